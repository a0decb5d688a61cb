"""Re-render a package with its recorded edits, redoing only what they touch.

- Only poster times and notes pending: the images path. The videos, subtitles, photo renditions and the
  contact sheet are carried over from the package as they are (hard links where the file system allows); the
  poster frame is grabbed once from the source at the new time and its renditions and thumbnails made
  again; the structured data, the review page and the manifest are written anew.
- Anything else (a quote's timing or speaker, a cue boundary, a quote taken out): a build of the story
  (`build_story`), which carries the edits across and applies them: it re-plans and re-encodes the videos.

Both assemble the new package in a hidden work folder and swap it into place in one step.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from videonews.errors import ReviewError
from videonews.fsutil import locked, remove_path, swap_into_place
from videonews.manifest import MANIFEST_NAME, Manifest, read_manifest, write_manifest
from videonews.rebuild import read_build_record
from videonews.review.edits import (
    EDITS_NAME,
    IMAGE_KINDS,
    EditPlan,
    build_lock,
    load_edits,
    now,
    pending,
    write_edits,
)
from videonews.settings import Settings

StageCallback = Callable[[str, float | None], None]
# files the images path makes again; everything else in the package is carried over
_REDONE = ("images/poster", MANIFEST_NAME, EDITS_NAME, "structured-data.jsonld", "review/index.html")


@dataclass
class ApplyResult:
    package: Path
    kind: Literal["none", "images", "full"]
    applied: int
    wall: float
    manifest: Manifest


def apply_edits(package: Path, settings: Settings | None = None, *, story: Path | None = None,
                on_stage: StageCallback | None = None, full: bool = False) -> ApplyResult:
    """Re-render `package` with its recorded edits; `story` defaults to where it was built from."""
    started = time.monotonic()
    package = Path(package)
    if package.name == MANIFEST_NAME:
        package = package.parent
    settings = settings or Settings()
    if not (package / MANIFEST_NAME).is_file():
        raise ReviewError("no manifest.json here", path=package, remedy="give the package folder of a built story")
    manifest = read_manifest(package / MANIFEST_NAME)
    log = load_edits(package)
    todo = pending(manifest, log)
    record = read_build_record(package)
    story = Path(story) if story is not None else (Path(str(record["story"])) if record.get("story") else None)
    if story is None or not story.exists():
        raise ReviewError(f"the story this package was built from is not at {story or '(not recorded)'}",
                          path=package, remedy="pass --story STORY_FOLDER")
    if package.name != manifest.story.id:
        raise ReviewError(f"the package folder is named {package.name!r}, its story {manifest.story.id!r}",
                          path=package, remedy="a build writes <out>/<story id>: rename the folder back")
    if not todo and not full:
        return ApplyResult(package, "none", 0, round(time.monotonic() - started, 3), manifest)
    photo_clip = bool(record.get("photo_clip", False))
    if not full and {e.kind for e in todo} <= IMAGE_KINDS:
        manifest = _images_only(package, story, settings, on_stage)
        kind: Literal["images", "full"] = "images"
    else:
        from videonews.pipeline import build_story

        with locked(package):  # a decision or an edit waits, then lands in the new package
            manifest = build_story(story, package.parent, settings, on_stage=on_stage, photo_clip=photo_clip).manifest
        kind = "full"
    return ApplyResult(package, kind, len(todo), round(time.monotonic() - started, 3), manifest)


def _images_only(package: Path, story: Path, settings: Settings, on_stage: StageCallback | None) -> Manifest:
    from videonews.pipeline import _work_name
    from videonews.review.page import write_review_page
    from videonews.stages.ingest import ingest
    from videonews.stages.thumbnails import repin_poster
    from videonews.stages.workspace import Workspace
    from videonews.structured import write_structured_data

    def stage(name: str) -> None:
        if on_stage:
            on_stage(name, None)

    stage("ingest")
    ing = ingest(story, settings)
    with locked(package), locked(build_lock(package)):
        old = read_manifest(package / MANIFEST_NAME)
        log = load_edits(package)
        if ing.story.id != old.story.id:
            raise ReviewError(f"the story at {story} is {ing.story.id!r}, not this package's {old.story.id!r}",
                              path=package, remedy="pass the right --story")
        plan = EditPlan.of(log)
        ing = ing.with_edits(plan)
        work = package.parent / _work_name(old.story.id)
        try:
            _carry_files(package, work)
            ws = Workspace(work)
            manifest = old.model_copy(deep=True)
            if plan.poster_time is not None:
                stage("thumbnails")
                thumbs = repin_poster(ing, plan.poster_time, ws, settings, old.poster)
                kept = [a for a in old.assets if a.role not in ("poster", "thumbnail", "poster_rendition",
                                                                "structured_data")]
                manifest.assets = [*kept, *thumbs.assets]
                manifest.poster = thumbs.poster
            else:
                manifest.assets = [a for a in old.assets if a.role != "structured_data"]
            remove_path(ws.scratch)
            stage("package")
            from videonews.manifest import Asset

            jsonld = write_structured_data(manifest, work)
            manifest.assets.append(Asset.of_file(work, jsonld, "structured_data", format="json-ld"))
            if log is not None:
                manifest.edits = write_edits(log, work)
            manifest.provenance.created_at = now()
            from videonews.manifest import QAEvent

            manifest.qa.history.append(QAEvent(status="pending", by="videonews", at=now(),
                                               note=f"images re-rendered with {len(log.edits) if log else 0} "
                                                    "review edit(s)", content_sha256=manifest.content_digest()))
            manifest.qa.status = "pending"
            write_review_page(manifest, work, package_path=package.resolve())
            write_manifest(manifest, work)
            stage("publish")
            swap_into_place(work, package)
        except BaseException:
            remove_path(work)
            raise
    return manifest


def _carry_files(package: Path, work: Path) -> None:
    """Every file of the package but those the images path makes again: hard links (the old package is
    replaced, never written in place), copies where links are not possible."""
    for src in sorted(package.rglob("*")):
        rel = src.relative_to(package).as_posix()
        if src.is_symlink() or rel.startswith(_REDONE):
            continue
        dst = work / rel
        if src.is_dir():
            dst.mkdir(parents=True, exist_ok=True)
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    (work / "images").mkdir(parents=True, exist_ok=True)
