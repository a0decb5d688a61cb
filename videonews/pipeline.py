"""The story build: the stages in order, and the few decisions between them.

    ingest -> analyze -> speech -> plan -> subtitles -> render -> thumbnails -> sign -> package (+ review page)
              photo renditions and clip run on a second thread from analyze to thumbnails

`build_story` is the Python API the CLI and the batch runner call. Each stage is a module of
`videonews.stages` with one entry function taking and returning plain typed data (see
ARCHITECTURE.md). The package is assembled in a hidden work folder beside its destination and
moved into place only when complete, with the manifest written last; a failed build leaves the
previous package untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from videonews.errors import InputError, OutputError, StoryError
from videonews.ffmpeg.runner import Progress
from videonews.fsutil import locked, remove_path, swap_into_place
from videonews.manifest import Manifest, write_manifest
from videonews.models import Analysis
from videonews.rebuild import CarriedEdits, carry_edits, write_build_record
from videonews.settings import Settings
from videonews.speech import SpeechAnalysis
from videonews.stages import social
from videonews.stages.analyze import hear, look
from videonews.stages.ingest import Ingested, ingest
from videonews.stages.package import package, story_inputs
from videonews.stages.photo import photo_outputs
from videonews.stages.plan import StoryPlan, plan
from videonews.stages.render import Rendered, render
from videonews.stages.sign import credentials_for, sign_assets
from videonews.stages.speech import listen
from videonews.stages.subtitles import SubtitleFiles, write_subtitles
from videonews.stages.thumbnails import thumbnails
from videonews.stages.workspace import Workspace
from videonews.story import ID_PATTERN

StageCallback = Callable[[str, float | None], None]
T = TypeVar("T")


@dataclass
class BuildResult:
    story_id: str
    package: Path
    manifest: Manifest
    wall: float
    stage_times: dict[str, float] = field(default_factory=dict)


class _Stages:
    """Times each stage and tells the caller where the build is."""

    def __init__(self, callback: StageCallback | None) -> None:
        self.callback = callback
        self.times: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.callback:
            self.callback(name, None)
        t = time.monotonic()
        try:
            yield
        finally:
            self.times[name] = round(time.monotonic() - t, 3)

    def progress(self, name: str) -> Callable[[Progress], None]:
        def report(p: Progress) -> None:
            if self.callback:
                self.callback(name, p.fraction)

        return report


def build_story(
    story_path: Path,
    out_dir: Path,
    settings: Settings | None = None,
    *,
    on_stage: StageCallback | None = None,
    photo_clip: bool | None = None,
) -> BuildResult:
    """Build one story's package into out_dir/<story id>/ and return its manifest."""
    settings = settings or Settings()
    started = time.monotonic()
    stages = _Stages(on_stage)
    with stages.stage("ingest"):
        ing = ingest(story_path, settings)
    story = ing.story
    out_dir = Path(out_dir)
    if not ID_PATTERN.match(story.id):  # load_story guarantees it; the package path depends on it
        raise StoryError(f"story id {story.id!r} cannot name a folder", path=story.folder,
                         remedy="use letters, digits, '.', '_' or '-'")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output folder is a file", path=out_dir, remedy="give --out a folder")
    final = out_dir / story.id
    use_clip = next(x for x in (photo_clip, story.options.photo_clip, settings.photo_clip) if x is not None)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with locked(out_dir / f".{story.id}.lock"):  # a second build of this story waits for the first
            _clean_stale(out_dir, story.id)
            carried = carry_edits(final)  # reviewers' edits of the package this build replaces
            work = out_dir / _work_name(story.id)
            work.mkdir(parents=True)
            try:
                manifest = _build_in(ing.with_edits(carried.plan if carried else None), Workspace(work).create(),
                                     settings, stages, use_clip, final.resolve(), carried)
                with stages.stage("publish"):
                    swap_into_place(work, final)
            except BaseException:
                remove_path(work)
                raise
    except OSError as exc:
        if exc.errno is None:  # not a system call's failure (e.g. Pillow's): nothing to add
            raise
        raise _write_error(exc, out_dir) from exc
    return BuildResult(story_id=story.id, package=final, manifest=manifest,
                       wall=round(time.monotonic() - started, 3), stage_times=stages.times)


def _build_in(ing: Ingested, ws: Workspace, settings: Settings, stages: _Stages, photo_clip: bool,
              final: Path, carried: CarriedEdits | None = None) -> Manifest:
    pcm = ws.scratch / "speech-16k.pcm"
    creds = credentials_for(ing, settings)  # a bad key is refused before any work
    with contextlib.ExitStack() as beside:
        with stages.stage("analyze"):
            analysis = hear(ing, settings, pcm=pcm, on_progress=stages.progress("analyze"))
            # the speech recogniser works on one core while the cuts are measured on the other; the photo
            # (it needs nothing from the video) then takes the second core while the speech goes on
            social_aspects = social.social_aspects(ing, settings)
            look_dir = ws.scratch / "look" if social_aspects else None  # frames for the social crops
            heard = beside.enter_context(_beside(listen, ing, analysis, pcm))
            analysis = look(ing, settings, analysis, on_progress=stages.progress("analyze"), frames_dir=look_dir)
            photo_job = beside.enter_context(_beside(photo_outputs, ing, ws, settings, clip=photo_clip))
        with stages.stage("speech"):
            speech = heard.result()
        with stages.stage("social"):
            socials = social.plan_for(ing, analysis, social_aspects, look_dir)
        with stages.stage("plan"):
            story_plan = plan(ing, analysis, speech, settings, social=socials)
        with stages.stage("subtitles"):
            subs = write_subtitles(ing, story_plan, analysis.duration, ws)
        with stages.stage("render"):
            rendered = render(ing, story_plan, subs, ws, settings, on_progress=stages.progress("render"))
            analysis, story_plan, subs, rendered, notes = _confirm_cuts(ing, analysis, speech, story_plan, subs,
                                                                        rendered, ws, settings, stages)
        with stages.stage("thumbnails"):
            thumbs = thumbnails(ing, analysis, story_plan.render, ws, settings,
                                soundbites=[(x.start, x.end) for x in story_plan.cues.supers] if story_plan.cues else [])
        with stages.stage("photo"):
            photo = photo_job.result()
    cue_warnings = story_plan.cues.warnings if story_plan.cues else []
    speech_notes = speech.warnings if speech else []
    warnings = [*ing.article.warnings, *analysis.warnings, *speech_notes, *notes, *cue_warnings, *photo.warnings]
    inputs = story_inputs(ing.story)  # hashed once: the provenance and the credentials' ingredients
    with stages.stage("sign"):
        signed = sign_assets(ing, [*subs.assets, *rendered.assets, *thumbs.assets, *photo.assets], ws, settings,
                             creds, inputs)
    with stages.stage("package"):
        manifest = package(ing, analysis, speech, story_plan, signed.assets, thumbs.poster, warnings, ws, settings,
                           photo_clip=photo_clip, credentials=signed.info, inputs=inputs)
        from videonews.review import write_review_page
        from videonews.review.decision import carry_decisions

        if carried is not None:
            carried.into(manifest, ws.root)  # the reviewers' edits travel with the package
        carry_decisions(final, manifest)  # a rebuild keeps its QA record (content changed: back to pending)
        write_build_record(ws.root, ing, photo_clip)
        write_review_page(manifest, ws.root, analysis=analysis, plan=story_plan.cues, lint=story_plan.lint,
                          package_path=final, safe_frame=rendered.safe_frame)
        write_manifest(manifest, ws.root)
    return manifest


def _confirm_cuts(ing: Ingested, analysis: Analysis, speech: SpeechAnalysis | None, story_plan: StoryPlan,
                  subs: SubtitleFiles, rendered: Rendered, ws: Workspace, settings: Settings, stages: _Stages,
                  ) -> tuple[Analysis, StoryPlan, SubtitleFiles, Rendered, list[str]]:
    """The render saw every frame; the analysis skipped B-frames. If it missed or misplaced a cut,
    plan again on the exact cuts, and render again only if the captions change."""
    tolerance = 1.5 / (ing.info.fps or 25.0)
    if _same_cuts(rendered.cuts, analysis.shots, tolerance):
        return analysis, story_plan, subs, rendered, []
    analysis = analysis.model_copy(update={"shots": rendered.cuts})
    replanned = plan(ing, analysis, speech, settings, social=story_plan.render.social)
    if replanned.cues is None or story_plan.cues is None or replanned.cues.cues == story_plan.cues.cues:
        return analysis, replanned, subs, rendered, []
    subs = write_subtitles(ing, replanned, analysis.duration, ws)
    rendered = render(ing, replanned, subs, ws, settings, on_progress=stages.progress("render"))
    return analysis, replanned, subs, rendered, ["shot changes found in the render differed from the analysis; "
                                                 "captions were re-planned and the video rendered again"]


@contextlib.contextmanager
def _beside(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Iterator[Future[T]]:
    """Run fn(..., cancel=Event) on a second thread during the block; a failure in the block cancels
    it and waits for it, so no work outlives the build."""
    cancel = threading.Event()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="videonews-beside")
    job = pool.submit(fn, *args, cancel=cancel, **kwargs)
    try:
        yield job
    except BaseException:
        job.cancel()
        cancel.set()  # an ffmpeg child of that thread is stopped too
        raise
    finally:
        pool.shutdown(wait=True)


def _same_cuts(a: list[float], b: list[float], tolerance: float) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _work_name(story_id: str) -> str:
    return f".building-{story_id}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _clean_stale(out_dir: Path, story_id: str) -> None:
    """Remove work folders a killed build of this story left behind (we hold the story's lock).

    Only this story's: `.building-case-*` must not match `.building-case-2-<pid>-<hex>`, the work folder
    of story "case-2" that another process may be building right now.
    """
    building = re.compile(rf"^\.building-{re.escape(story_id)}-\d+-[0-9a-f]{{8}}$")
    old = re.compile(rf"^\.old-{re.escape(story_id)}-[0-9a-f]{{8}}$")
    for p in out_dir.iterdir():
        if building.match(p.name) or old.match(p.name):
            remove_path(p)


def _write_error(exc: OSError, out_dir: Path) -> OutputError:
    """An OSError while writing the package, as one clear line (the old package is untouched)."""
    where = exc.filename if exc.filename else out_dir
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError("no space left on device while writing the package", path=out_dir,
                           remedy=f"free disk space where {out_dir} lives and build again; "
                           "the previous package is untouched")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"cannot write the package: {exc.strerror}", path=where,
                           remedy="check the output folder's permissions, or choose another with --out")
    return OutputError(f"cannot write the package: {exc.strerror or exc}", path=where,
                       remedy="check the output folder and free disk space; the previous package is untouched")


__all__ = ["BuildResult", "build_story"]
