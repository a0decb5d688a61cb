"""QA decisions: approve or reject a package, recorded in its manifest's qa.history, signed.

The decision names the content it was made on (manifest.content_digest()), so a package
rebuilt after approval shows the approval belongs to other content. Assets are never
touched: `verify_package` passes before and after.

Each decision is signed with the reviewer's (or desk's) Ed25519 key (`review_key`, named by
`review_key_id`): the signature covers the story id, status, reviewer, time, note, the content
digest judged and the key's name (`decision_payload`). The manifest's `integrity` is only a
checksum: anyone can recompute it after an edit. What `publish --require-approval` trusts is a
signature by a key in `trusted_reviewers` over the content as it is now (`check_approval`).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from videonews.errors import InputError, ManifestError, ReviewError
from videonews.fsutil import atomic_write, locked
from videonews.manifest import MANIFEST_NAME, Manifest, QAEvent, read_manifest, verify_package, write_manifest

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    from videonews.settings import Settings

log = logging.getLogger(__name__)

Decision = Literal["approved", "rejected"]
DECISIONS: tuple[str, ...] = ("approved", "rejected")
MAX_BY = 200
MAX_NOTE = 4000


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


@dataclass(frozen=True)
class ReviewKey:
    key_id: str
    private: Ed25519PrivateKey


_FROM_SETTINGS: Any = object()


def decision_payload(story_id: str, event: QAEvent) -> bytes:
    """The bytes a decision's signature covers: canonical JSON (keys sorted, no spaces, UTF-8)."""
    data = {"story": story_id, "status": event.status, "by": event.by, "at": event.at, "note": event.note,
            "content_sha256": event.content_sha256, "key_id": event.key_id}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign_event(story_id: str, event: QAEvent, key: ReviewKey) -> QAEvent:
    signed = event.model_copy(update={"key_id": key.key_id})
    signature = key.private.sign(decision_payload(story_id, signed))
    return signed.model_copy(update={"signature": base64.b64encode(signature).decode("ascii")})


def event_problem(story_id: str, event: QAEvent, trusted: dict[str, Ed25519PublicKey]) -> str | None:
    """Why a decision's signature cannot be trusted; None when a trusted key signed exactly this decision."""
    from cryptography.exceptions import InvalidSignature

    if not event.signature or not event.key_id:
        return f"the {event.status} decision by {event.by!r} at {event.at} is not signed"
    public = trusted.get(event.key_id)
    if public is None:
        return f"the {event.status} decision by {event.by!r} is signed by unknown key {event.key_id!r}"
    try:
        public.verify(base64.b64decode(event.signature, validate=True), decision_payload(story_id, event))
    except (InvalidSignature, binascii.Error, ValueError):
        return (f"the {event.status} decision by {event.by!r} does not match its signature "
                f"(key {event.key_id!r}): it was forged or edited")
    return None


def load_review_key(path: Path, key_id: str) -> ReviewKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ReviewError(f"cannot read the review key: {exc}", path=path,
                          remedy="set review_key to an unencrypted PEM Ed25519 key (`videonews keys reviewer`)"
                          ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ReviewError("the review key is not an Ed25519 key", path=path,
                          remedy="make one with `videonews keys reviewer --name NAME --out DIR`")
    return ReviewKey(key_id=key_id, private=key)


def review_key_from(settings: Settings, by: str) -> ReviewKey | None:
    if settings.review_key is None:
        return None
    return load_review_key(settings.review_key, settings.review_key_id or by)


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """A public key as settings hold it: base64 of the raw 32 bytes."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def trusted_reviewers(settings: Settings) -> dict[str, Ed25519PublicKey]:
    """`trusted_reviewers` from settings: name -> base64 raw key, or a PEM public key file."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    out: dict[str, Ed25519PublicKey] = {}
    for name, value in settings.trusted_reviewers.items():
        try:
            if value.strip().endswith(".pem") or "/" in value and Path(value).is_file():
                key = serialization.load_pem_public_key(Path(value).read_bytes())
                if not isinstance(key, Ed25519PublicKey):
                    raise ValueError("not an Ed25519 public key")
                out[name] = key
            else:
                out[name] = Ed25519PublicKey.from_public_bytes(base64.b64decode(value, validate=True))
        except (OSError, ValueError, binascii.Error) as exc:
            raise InputError(f"trusted reviewer key {name!r} is unusable: {exc}", field="trusted_reviewers",
                             remedy="give base64 of the raw 32-byte Ed25519 public key, or a PEM file") from None
    return out


def make_reviewer_key(out: Path, name: str) -> tuple[Path, str]:
    """A new Ed25519 key for a reviewer or desk: the PEM private key in out/<name>.key.pem (mode 0600) and the
    public key text to put in `trusted_reviewers`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from videonews.story import ID_PATTERN

    if not ID_PATTERN.fullmatch(name):
        raise InputError(f"key name {name!r} cannot name a file", remedy="use letters, digits, '.', '_' or '-'")
    key = Ed25519PrivateKey.generate()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.key.pem"
    if path.exists():
        raise InputError("a key of that name exists", path=path, remedy="choose another name or folder")
    atomic_write(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))
    path.chmod(0o600)
    public = public_key_text(key)
    atomic_write(out / f"{name}.pub", public + "\n")
    return path, public


def approval_problem(manifest: Manifest, trusted: dict[str, Ed25519PublicKey], *, allow_draft: bool = False
                     ) -> str | None:
    """Why this package may not be published as approved; None when it may.

    The last decision must be an approval signed by a trusted key, over the content as it is now; a draft
    needs allow_draft.
    """
    if manifest.quality == "draft" and not allow_draft:
        return "package is a draft (built with --preset draft); rebuild it, or pass --allow-draft"
    last = manifest.qa.history[-1] if manifest.qa.history else None
    if last is None or last.status != "approved" or manifest.qa.status != "approved":
        status = last.status if last else manifest.qa.status
        return f"package is {status if status != 'approved' else 'approved without a decision'}, not approved"
    problem = event_problem(manifest.story.id, last, trusted)
    if problem:
        return problem
    now = manifest.content_digest()
    if last.content_sha256 != now:
        return (f"the approval by {last.by!r} was for content {str(last.content_sha256)[:16]}..., "
                f"the package's content is now {now[:16]}...")
    return None


def record_decision(
    package: Path,
    status: Decision,
    *,
    by: str,
    note: str | None = None,
    expect_content: str | None = None,
    render: bool = True,
    key: ReviewKey | None = _FROM_SETTINGS,
) -> Manifest:
    """Append a QAEvent to the package's manifest, set qa.status, re-render the review page.

    Refuses (ReviewError) a status other than approved/rejected, an empty `by`, a package that
    does not verify, and, when `expect_content` is given, a package whose content changed since
    the reviewer looked at it. The decision is signed with `key` (default: `review_key` from settings;
    None: unsigned, which `publish --require-approval` refuses).
    """
    package = Path(package)
    if package.name == MANIFEST_NAME:
        package = package.parent
    if status not in DECISIONS:
        raise ReviewError(f"unknown decision {status!r}", path=package, remedy="use approved or rejected")
    by = _clean(by or "")
    if not by:
        raise ReviewError("the reviewer's name is empty", path=package, remedy="pass --by NAME")
    if len(by) > MAX_BY:
        raise ReviewError(f"the reviewer's name is longer than {MAX_BY} characters", path=package)
    note = _clean(note) if note else None
    if note and len(note) > MAX_NOTE:
        raise ReviewError(f"the note is longer than {MAX_NOTE} characters", path=package)
    if not (package / MANIFEST_NAME).is_file():
        raise ReviewError("no manifest.json here", path=package, remedy="give the package folder of a built story")
    if key is _FROM_SETTINGS:
        from videonews.settings import load_settings

        key = review_key_from(load_settings(), by)
    with locked(package):  # two reviewers clicking at once must not lose an event
        problems = verify_package(package)
        if problems:
            raise ReviewError(f"package does not verify: {problems[0]}"
                              + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
                              path=package, remedy="rebuild it; run `videonews validate` for the full list")
        try:
            manifest = read_manifest(package / MANIFEST_NAME)
        except ManifestError as exc:  # pragma: no cover - verify_package caught it
            raise ReviewError(exc.problem, path=package) from exc
        digest = manifest.content_digest()
        if expect_content is not None and expect_content != digest:
            raise ReviewError("the package changed since its review page was loaded", path=package,
                              remedy="reload the review page and check it again")
        event = QAEvent(status=status, by=by, at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), note=note,
                        content_sha256=digest)
        if key is not None:
            event = sign_event(manifest.story.id, event, key)
        manifest.qa.history.append(event)
        manifest.qa.status = status
        write_manifest(manifest, package)
        if render:
            try:
                from videonews.review.page import write_review_page

                write_review_page(manifest, package)
            except Exception as exc:  # the decision stands; the page is a view of it
                log.warning("%s: decision recorded, but the review page could not be re-rendered: %s", package, exc)
    return manifest


def carry_decisions(previous: Path, manifest: Manifest) -> None:
    """A rebuild keeps the package's QA record (previous: the package folder being replaced).

    Same content digest: the status and history stay as they were. Changed content: the history stays, a
    "content changed" entry by videonews is added and the status goes back to pending.
    """
    path = Path(previous) / MANIFEST_NAME
    if path.is_symlink() or not path.is_file():
        return
    try:
        old = read_manifest(path)
    except ManifestError as exc:
        log.warning("%s: the previous package's QA record could not be read (%s); it starts again as pending",
                    previous, exc.problem)
        return
    if not old.qa.history or old.story.id != manifest.story.id:
        return
    digest = manifest.content_digest()
    manifest.qa = old.qa.model_copy(deep=True)
    if old.content_digest() == digest:
        return
    manifest.qa.history.append(QAEvent(
        status="pending", by="videonews", at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        note=f"content changed: rebuilt; the decisions above were for content {old.content_digest()[:16]}...",
        content_sha256=digest))
    manifest.qa.status = "pending"


def verify_decisions(path: Path, settings: Settings) -> list[str]:
    """What is wrong with the package's QA record, as `manifest.json: ...` lines: every decision whose
    signature a key in `trusted_reviewers` does not vouch for (the build's own "content changed" entries are
    not decisions), an approval of other content than the package holds now, an approved draft."""
    try:
        manifest = read_manifest(Path(path))
    except ManifestError:
        return []  # verify_package reports it
    trusted = trusted_reviewers(settings)
    out = []
    for event in manifest.qa.history:
        if event.status == "pending" and event.by == "videonews":
            continue
        problem = event_problem(manifest.story.id, event, trusted)
        if problem:
            out.append(f"{MANIFEST_NAME}: {problem}")
    last = manifest.qa.history[-1] if manifest.qa.history else None
    if manifest.qa.status == "approved":
        now = manifest.content_digest()
        if last is None or last.status != "approved":
            out.append(f"{MANIFEST_NAME}: qa.status says approved, its last decision does not")
        elif last.content_sha256 != now:
            out.append(f"{MANIFEST_NAME}: the approval by {last.by!r} was for content "
                       f"{str(last.content_sha256)[:16]}..., the package's content is now {now[:16]}...")
        if manifest.quality == "draft":
            out.append(f"{MANIFEST_NAME}: approved, but a draft (quality: draft): not for publishing as it is")
    return out
