"""QA decisions: approve or reject a package, recorded in its manifest's qa.history.

The decision names the content it was made on (manifest.content_digest()), so a package
rebuilt after approval shows the approval belongs to other content. Assets are never
touched: `verify_package` passes before and after.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from videonews.errors import ManifestError, ReviewError
from videonews.fsutil import locked
from videonews.manifest import MANIFEST_NAME, Manifest, QAEvent, read_manifest, verify_package, write_manifest

log = logging.getLogger(__name__)

Decision = Literal["approved", "rejected"]
DECISIONS: tuple[str, ...] = ("approved", "rejected")
MAX_BY = 200
MAX_NOTE = 4000


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def record_decision(
    package: Path,
    status: Decision,
    *,
    by: str,
    note: str | None = None,
    expect_content: str | None = None,
    render: bool = True,
) -> Manifest:
    """Append a QAEvent to the package's manifest, set qa.status, re-render the review page.

    Refuses (ReviewError) a status other than approved/rejected, an empty `by`, a package that
    does not verify, and, when `expect_content` is given, a package whose content changed since
    the reviewer looked at it.
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
