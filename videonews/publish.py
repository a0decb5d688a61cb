"""Hand a package to the CMS drop folder so the CMS never sees a partial one.

Layout of the drop folder:

    DROP/<story id>                  -> symlink to .versions/<story id>-<content digest>
    DROP/.versions/<id>-<digest>/    a complete package (assets copied first, manifest last)

A new version is copied under a temporary name, renamed to its versioned name,
then the story's symlink is swapped atomically (rename of a new link over the
old). A reader following DROP/<id> always sees one complete package; the
previous version is kept until the next publish so a reader mid-copy is safe.
Publishing the same content again is a no-op.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

from videonews.errors import InputError
from videonews.fsutil import inside, open_inside, real_folder, remove_path
from videonews.manifest import MANIFEST_NAME, read_manifest, verify_package
from videonews.story import ID_PATTERN

KEEP_VERSIONS = 2


def publish_package(package: Path, drop: Path, *, require_approval: bool = False) -> Path:
    package = Path(package)
    if package.name == MANIFEST_NAME:
        package = package.parent
    problems = verify_package(package)
    if problems:
        raise InputError(f"package is not valid: {problems[0]}", path=package,
                         remedy="rebuild it; run `videonews validate` for the full list")
    manifest = read_manifest(package / MANIFEST_NAME)
    if require_approval and manifest.qa.status != "approved":
        raise InputError(f"package is {manifest.qa.status}, not approved", path=package,
                         remedy="approve it with `videonews review approve` first")
    story_id = manifest.story.id
    if not ID_PATTERN.fullmatch(story_id):  # it names DROP/<id>: a hand-edited manifest must not climb out
        raise InputError(f"story id {story_id!r} cannot name a folder of the drop", path=package,
                         remedy="rebuild the package with videonews build")
    digest = manifest.content_digest()[:16]
    drop = Path(drop)
    versions = real_folder(drop / ".versions")
    name = f"{story_id}-{digest}"
    target = versions / name
    link = drop / story_id
    if link.is_symlink() and os.readlink(link) == f".versions/{name}" and (target / MANIFEST_NAME).is_file():
        if (target / MANIFEST_NAME).read_bytes() == (package / MANIFEST_NAME).read_bytes():
            return link  # same content, same manifest: nothing to do
    if link.exists() and not link.is_symlink():
        raise InputError("drop folder holds a real folder where videonews keeps a link", path=link,
                         remedy="move that folder away; videonews manages DROP/<story id> as a link")
    incoming = versions / f".incoming-{name}-{uuid.uuid4().hex[:8]}"
    try:
        incoming.mkdir()
        for asset in manifest.assets:
            _copy_inside(package, asset.path, incoming)
        for rel in _review_files(package):
            _copy_inside(package, rel, incoming)
        if manifest.edits is not None:  # listed in the manifest (with its sha256): it travels with it
            _copy_inside(package, manifest.edits.path, incoming)
        shutil.copy2(package / MANIFEST_NAME, incoming / f".{MANIFEST_NAME}.tmp")
        os.replace(incoming / f".{MANIFEST_NAME}.tmp", incoming / MANIFEST_NAME)
        if target.exists() or target.is_symlink():
            remove_path(target)  # a link there is removed, not followed
        os.replace(incoming, target)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    tmp_link = drop / f".{story_id}.link-{uuid.uuid4().hex[:8]}"
    os.symlink(f".versions/{name}", tmp_link)
    os.replace(tmp_link, link)
    _prune(versions, story_id, keep=name)
    return link


def _copy_inside(package: Path, rel: str, dest_root: Path) -> None:
    """Copy package/rel to dest_root/rel, reading it without following any link."""
    dest = inside(dest_root, rel)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open_inside(package, rel) as src, dest.open("xb") as out:
        shutil.copyfileobj(src, out, 1 << 20)


def _review_files(package: Path) -> list[str]:
    """The review page's regular files (links are never published)."""
    review = package / "review"
    if not review.is_dir() or review.is_symlink():
        return []
    found = []
    for folder, dirs, files in os.walk(review):  # os.walk does not descend into linked folders
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
        for name in files:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(package).as_posix())
    return sorted(found)


def _prune(versions: Path, story_id: str, keep: str) -> None:
    pattern = re.compile(rf"{re.escape(story_id)}-[0-9a-f]{{16}}")
    old = sorted((p for p in versions.iterdir() if pattern.fullmatch(p.name) and p.name != keep),
                 key=lambda p: p.lstat().st_mtime, reverse=True)
    for p in old[KEEP_VERSIONS - 1:]:
        remove_path(p)
