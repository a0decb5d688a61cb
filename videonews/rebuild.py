"""What a build carries over from the package it replaces: the reviewers' edits (the QA trail: decision.py).

A build replaces `<out>/<id>/` whole, so `edits.json` (review/edits.py) would be lost with it. Under the
story's build lock, `carry_edits` reads the old package's edits; the new package gets the same `edits.json`
(all of it applied). The edits stay with the package, not in the story folder: the story folder is the
producer's delivery (often a read-only agency drop, shared by several outputs), while the edits are QA's
changes to this package.

`review/build.json` records where the package was built from, so `videonews review apply` can build it again
without being told.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from videonews.fsutil import atomic_write
from videonews.manifest import Manifest

if TYPE_CHECKING:
    from videonews.review.editlog import EditLog, EditPlan
    from videonews.stages.ingest import Ingested

BUILD_RECORD = "review/build.json"


@dataclass
class CarriedEdits:
    log: EditLog
    plan: EditPlan

    def into(self, manifest: Manifest, root: Path) -> None:
        """Write the edits into the new package and list them in its manifest. The QA trail is carried by
        `review.decision.carry_decisions` (each edit already put the package back to pending; a rebuild that
        changes the content adds a "content changed" entry)."""
        from videonews.review.editlog import write_edits

        manifest.edits = write_edits(self.log, root)


def carry_edits(package: Path) -> CarriedEdits | None:
    """The edits and QA history of the package at `package`, if it has edits."""
    from videonews.review.editlog import EditPlan, load_edits

    if not package.is_dir():
        return None
    log = load_edits(package)
    if log is None or not log.edits:
        return None
    return CarriedEdits(log=log, plan=EditPlan.of(log))


def write_build_record(root: Path, ing: Ingested, photo_clip: bool) -> None:
    path = root / BUILD_RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps({"story": str(ing.story.folder.resolve()), "photo_clip": photo_clip}) + "\n")


def read_build_record(package: Path) -> dict[str, object]:
    try:
        data = json.loads((package / BUILD_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
