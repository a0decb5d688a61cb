"""Hand a package to the CMS drop folder so the CMS never sees a partial one, nor anything unlisted.

Layout of the drop folder:

    DROP/<story id>                         -> symlink to .versions/<id>-<content>-<manifest>
    DROP/.versions/<id>-<content>-<manifest>/   a complete package (assets copied first, manifest last)

What is published is exactly what the manifest lists, plus the manifest: each file read without following
any link and checked against its size and sha256 *as it is copied* (a file swapped between the check and
the copy is caught), nothing unlisted (the review page only if listed with its checksum). A package that
does not verify (`verify_package`: schema, checksums, C2PA credentials, links and unlisted files) is refused.

A new version is copied under a temporary name, renamed to its versioned name (content digest and
manifest digest: a QA decision makes a new version), then the story's symlink is swapped atomically
(rename of a new link over the old). The live version is never removed or rewritten: a reader following
DROP/<id> sees the old package or the new one, never neither. Older versions are pruned after the swap
(the previous one is kept so a reader mid-copy is safe). Publishing the same manifest again is a no-op.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import uuid
from pathlib import Path

from videonews.errors import InputError
from videonews.fsutil import inside, open_inside, real_folder, remove_path
from videonews.manifest import MANIFEST_NAME, Manifest, read_manifest, verify_package
from videonews.story import ID_PATTERN

KEEP_VERSIONS = 2


def publish_package(package: Path, drop: Path, *, require_approval: bool = False, allow_draft: bool = False,
                    settings: object | None = None) -> Path:
    """Copy a verified package into DROP and point DROP/<id> at it; return that link.

    With require_approval, the last QA decision must be an approval signed by a key in the settings'
    `trusted_reviewers`, over the package's content as it is now, and the package must not be a draft
    unless allow_draft.
    """
    from videonews.settings import Settings, load_settings

    cfg = settings if isinstance(settings, Settings) else load_settings()
    package = Path(package)
    if package.name == MANIFEST_NAME:
        package = package.parent
    package = package.resolve()  # a DROP/<id> link may be given: read one version throughout
    problems = verify_package(package)  # the decisions: the last one is checked below, when it matters
    if problems:
        raise InputError(f"package is not valid: {problems[0]}"
                         + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""), path=package,
                         remedy="rebuild it; run `videonews validate` for the full list")
    manifest_bytes = _read_regular(package, MANIFEST_NAME)
    manifest = read_manifest(package / MANIFEST_NAME)
    if require_approval:
        from videonews.review.decision import approval_problem, trusted_reviewers

        problem = approval_problem(manifest, trusted_reviewers(cfg), allow_draft=allow_draft)
        if problem:
            raise InputError(problem, path=package / MANIFEST_NAME,
                             remedy="have a trusted reviewer approve this content with `videonews review approve`")
    story_id = manifest.story.id
    if not ID_PATTERN.fullmatch(story_id):  # it names DROP/<id>: a hand-edited manifest must not climb out
        raise InputError(f"story id {story_id!r} cannot name a folder of the drop", path=package,
                         remedy="rebuild the package with videonews build")
    name = f"{story_id}-{manifest.content_digest()[:16]}-{hashlib.sha256(manifest_bytes).hexdigest()[:8]}"
    drop = Path(drop)
    versions = real_folder(drop / ".versions")
    target = versions / name
    link = drop / story_id
    if link.exists() and not link.is_symlink():
        raise InputError("drop folder holds a real folder where videonews keeps a link", path=link,
                         remedy="move that folder away; videonews manages DROP/<story id> as a link")
    if _is_current(link, target, name, manifest_bytes):
        return link  # same content, same manifest: nothing to do
    if not (target.is_dir() and not target.is_symlink() and _same_bytes(target, manifest_bytes)):
        _copy_version(package, manifest, manifest_bytes, versions, target, name)
    tmp_link = drop / f".{story_id}.link-{uuid.uuid4().hex[:8]}"
    os.symlink(f".versions/{name}", tmp_link)
    os.replace(tmp_link, link)
    _prune(versions, story_id, keep=name)
    return link


def _is_current(link: Path, target: Path, name: str, manifest_bytes: bytes) -> bool:
    return (link.is_symlink() and os.readlink(link) == f".versions/{name}" and target.is_dir()
            and not target.is_symlink() and _same_bytes(target, manifest_bytes))


def _same_bytes(folder: Path, manifest_bytes: bytes) -> bool:
    try:
        return _read_regular(folder, MANIFEST_NAME) == manifest_bytes
    except (OSError, ValueError):
        return False


def _read_regular(root: Path, rel: str) -> bytes:
    with open_inside(root, rel) as fh:
        return fh.read()


def _copy_version(package: Path, manifest: Manifest, manifest_bytes: bytes, versions: Path, target: Path,
                  name: str) -> None:
    """Copy the listed assets and edits (checked as they are copied) and the manifest into a new version
    folder."""
    incoming = versions / f".incoming-{name}-{uuid.uuid4().hex[:8]}"
    try:
        incoming.mkdir()
        for asset in manifest.assets:
            _copy_checked(package, asset.path, asset.sha256, incoming, size=asset.bytes)
        if manifest.edits is not None:  # listed with its sha256: the reviewers' edits travel with the package
            _copy_checked(package, manifest.edits.path, manifest.edits.sha256, incoming)
        tmp = incoming / f".{MANIFEST_NAME}.tmp"
        with tmp.open("xb") as out:
            out.write(manifest_bytes)
        os.replace(tmp, incoming / MANIFEST_NAME)
        if target.exists() or target.is_symlink():
            # a leftover of the same name that is not live (the live one returned above): set it aside first
            stale = versions / f".stale-{name}-{uuid.uuid4().hex[:8]}"
            os.replace(target, stale)
            remove_path(stale)
        os.replace(incoming, target)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise


def _copy_checked(package: Path, rel: str, sha256: str, dest_root: Path, *, size: int | None = None) -> None:
    """Copy package/<rel> without following any link, hashing what is copied."""
    dest = inside(dest_root, rel)
    dest.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    copied = 0
    with open_inside(package, rel) as src, dest.open("xb") as out:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            h.update(chunk)
            copied += len(chunk)
            out.write(chunk)
    if (size is not None and copied != size) or h.hexdigest() != sha256:
        raise InputError(f"{rel} changed while it was published (sha256 {h.hexdigest()[:12]}..., "
                         f"manifest says {sha256[:12]}...)", path=package / rel,
                         remedy="do not modify a package while publishing it; rebuild and publish again")


def _prune(versions: Path, story_id: str, keep: str) -> None:
    pattern = re.compile(rf"{re.escape(story_id)}-[0-9a-f]{{16}}(-[0-9a-f]{{8}})?")
    old = sorted((p for p in versions.iterdir() if pattern.fullmatch(p.name) and p.name != keep),
                 key=lambda p: p.lstat().st_mtime, reverse=True)
    for p in old[KEEP_VERSIONS - 1:]:
        with contextlib.suppress(OSError):
            remove_path(p)
