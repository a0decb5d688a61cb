"""The story build: ingest -> analyze -> plan -> render -> package.

`build_story` is the Python API the CLI and the batch runner call. The package
is assembled in a hidden work folder beside its destination and moved into
place only when complete, with the manifest written last; a failed build
leaves the previous package untouched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from videonews import __version__
from videonews.analyze import Analysis, analyze, parse_scdet
from videonews.article import parse_article
from videonews.errors import FontError, InputError, MediaError, OutputError, StoryError
from videonews.ffmpeg import ffmpeg_exe, ffmpeg_version, probe
from videonews.ffmpeg.probe import MediaInfo, require_video
from videonews.ffmpeg.runner import Progress, run
from videonews.manifest import (
    AnalysisInfo,
    Asset,
    AssetRole,
    CreditEntry,
    InputFile,
    LintSummary,
    LoudnessInfo,
    Manifest,
    PosterCandidate,
    PosterInfo,
    Provenance,
    QuoteEntry,
    StoryInfo,
    SubtitleInfo,
    write_manifest,
)
from videonews.models import PROFILES, Article, CuePlan, LintReport, StyleProfile
from videonews.render import SAFE_FRAME, RenderPlan, plan_render, render_argv, run_render
from videonews.settings import Settings
from videonews.story import ID_PATTERN, Story, load_story
from videonews.typefaces import FontChoice, choose_font

SUBTITLE_FORMATS = ("srt", "vtt", "ass", "ttml")

StageCallback = Callable[[str, float | None], None]


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


def style_profile(settings: Settings, story: Story) -> StyleProfile:
    name = story.options.profile or settings.profile
    if name not in PROFILES:
        raise InputError(f"unknown subtitle profile '{name}'", remedy=f"use one of: {', '.join(PROFILES)}")
    base = PROFILES[name]
    if story.options.style:
        try:
            return base.model_copy(update=story.options.style)
        except Exception as exc:  # pragma: no cover - pydantic's own message is clear
            raise InputError(f"bad [style] override: {exc}", path=story.folder / "story.toml") from exc
    return base


def _organisation(source: str | None) -> str | None:
    if not source:
        return None
    name = source.strip()
    for suffix in (".com.cn", ".co.uk", ".com", ".cn", ".org", ".net", ".tv"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def credits_for(article: Article, story: Story) -> list[CreditEntry]:
    o = story.options.credits
    credits: list[CreditEntry] = []
    photo = article.photos[0] if article.photos else None
    agency = o.agency or (photo.agency if photo else None)
    photographer = o.photographer or (photo.photographer if photo else None)
    if story.photo is not None and (agency or photographer):
        line = "/".join(x for x in (agency, photographer) if x)
        credits.append(CreditEntry(role="photo", name=photographer, organization=agency, credit_line=line))
    video_org = o.video or _organisation(article.source)
    if video_org:
        credits.append(CreditEntry(role="video", organization=video_org, credit_line=article.source or video_org))
    return credits


def _video_asset(root: Path, path: Path, role: AssetRole, exe: str, language: str) -> Asset:
    info = probe(path, exe=exe)
    return Asset.of_file(root, path, role, width=info.width, height=info.height,
                         duration=round(info.duration or 0.0, 3), format="mp4", codec=info.video_codec,
                         bitrate=(info.bitrate_kbps or 0) * 1000 or None, language=language)


@contextlib.contextmanager
def _story_lock(out_dir: Path, story_id: str) -> Iterator[None]:
    """Serialise builds of one story: a second build waits for the first."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir / f".{story_id}.lock"
    with lock_path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _work_name(story_id: str) -> str:
    return f".building-{story_id}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _clean_stale(out_dir: Path, story_id: str) -> None:
    """Remove work folders a killed build of this story left behind (we hold the story's lock).

    Only this story's: `.building-case-*` must not match `.building-case-2-<pid>-<hex>`, the work folder
    of story "case-2" that another process may be building right now.
    """
    building = re.compile(rf"^\.building-{re.escape(story_id)}-\d+-[0-9a-f]{{8}}$")
    old = re.compile(rf"^\.old-{re.escape(story_id)}-[0-9a-f]{{8}}$")
    for p in out_dir.iterdir():
        if building.match(p.name) or old.match(p.name):
            _remove(p)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _swap_into_place(work: Path, final: Path) -> None:
    """Move the finished package into place; the old one is removed only after.

    Where the kernel can, the two folders are exchanged in one step, so a reader of `final` always
    sees a complete package, old or new; elsewhere there is a moment with no package at all.
    """
    if final.is_dir() and not final.is_symlink() and _exchange(work, final):
        _remove(work)  # now the old package
        return
    old = None
    if final.exists() or final.is_symlink():
        old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(work, final)
    if old is not None:
        _remove(old)


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
        story = load_story(story_path)
        article = parse_article(story.article)
        profile = style_profile(settings, story)
        exe = ffmpeg_exe(settings.ffmpeg)
        info = probe(story.video, exe=exe)
        require_video(info, story.video)
        photo_image = None
        if story.photo is not None:
            from videonews.images import load_photo

            photo_image = load_photo(story.photo)
        quotes = article.direct_quotes
        caption_text = " ".join(q.text for q in quotes) + " " + " ".join(
            f"{q.speaker or ''} {q.speaker_title or ''}" for q in quotes) + (article.source or "")
        try:
            font = choose_font(caption_text, family=settings.font, fonts_dir=settings.fonts_dir)
        except FontError as exc:  # the characters come from the article: name it
            raise FontError(exc.problem, path=exc.path or story.article, remedy=exc.remedy) from None

    out_dir = Path(out_dir)
    if not ID_PATTERN.match(story.id):  # load_story guarantees it; the package path depends on it
        raise StoryError(f"story id {story.id!r} cannot name a folder", path=story.folder,
                         remedy="use letters, digits, '.', '_' or '-'")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output folder is a file", path=out_dir, remedy="give --out a folder")
    final = out_dir / story.id
    use_clip = photo_clip if photo_clip is not None else (
        story.options.photo_clip if story.options.photo_clip is not None else settings.photo_clip)
    try:
        with _story_lock(out_dir, story.id):
            _clean_stale(out_dir, story.id)
            work = out_dir / _work_name(story.id)
            work.mkdir(parents=True)
            try:
                manifest = _build_in(final.resolve(), work, story, article, info, exe, settings, profile, font,
                                     photo_image, stages, use_clip)
                with stages.stage("publish"):
                    _swap_into_place(work, final)
            except BaseException:
                _remove(work)
                raise
    except OSError as exc:
        if exc.errno is None:  # not a system call's failure (e.g. Pillow's): nothing to add
            raise
        raise _write_error(exc, out_dir) from exc
    return BuildResult(story_id=story.id, package=final, manifest=manifest,
                       wall=round(time.monotonic() - started, 3), stage_times=stages.times)


def _build_in(
    final: Path,
    work: Path, story: Story, article: Article, info: MediaInfo, exe: str, settings: Settings,
    profile: StyleProfile, font: FontChoice, photo_image: Image.Image | None, stages: _Stages, photo_clip: bool,
) -> Manifest:
    from videonews.images import ImageCredits, render_renditions
    from videonews.subtitles import lint_cues, plan_cues
    from videonews.subtitles.formats import save_subtitles

    language = story.options.language
    warnings: list[str] = list(article.warnings)
    credits = credits_for(article, story)
    photo_credit = next((c for c in credits if c.role == "photo"), None)
    video_credit = next((c for c in credits if c.role == "video"), None)
    headline = story.options.headline or article.headline

    with stages.stage("analyze"):
        analysis: Analysis = analyze(story.video, info, settings, exe=exe, on_progress=stages.progress("analyze"))
        warnings += analysis.warnings

    quotes = article.direct_quotes
    fps = info.fps or 25.0
    timings = dict(story.options.timings) or None

    def plan_subtitles(shots: list[float]) -> tuple[CuePlan | None, LintReport | None]:
        if not quotes:
            return None, None
        p = plan_cues(quotes, duration=analysis.duration, fps=fps, speech=analysis.speech, shots=shots,
                      profile=profile, timings=timings)
        return p, lint_cues(p.cues, profile=profile, fps=fps, shots=shots, duration=analysis.duration)

    with stages.stage("plan"):
        plan, lint = plan_subtitles(analysis.shots)
        tags = {
            "title": headline or story.id,
            "artist": (video_credit.organization if video_credit else "") or "",
            "copyright": f"© {video_credit.credit_line}" if video_credit and video_credit.credit_line else "",
            "comment": f"Captions: direct quotes from the article ({article.source or 'source unknown'}); "
                       f"built by videonews {__version__}",
            "date": article.date.isoformat() if article.date else "",
        }
        rplan = plan_render(info, analysis, settings, metadata={k: v for k, v in tags.items() if v},
                            safe_frame_time=_safe_frame_time(plan))

    sub_dir = work / "subtitles"
    img_dir = work / "images"
    sub_dir.mkdir()
    img_dir.mkdir()
    scratch = work / ".scratch"
    (scratch / "cand").mkdir(parents=True)
    ass_path = sub_dir / f"{story.id}.{language}.ass"
    credit_line = f"Source: {article.source}" if article.source else None

    def write_subtitles(plan: CuePlan | None) -> list[Asset]:
        cues = plan.cues if plan else []
        save_subtitles("ass", cues, ass_path, width=rplan.width, height=rplan.height, font=font.family,
                       credit=credit_line, duration=analysis.duration, title=headline or story.id)
        out: list[Asset] = []
        if plan:
            for fmt in SUBTITLE_FORMATS:
                path = sub_dir / f"{story.id}.{language}.{fmt}"
                if fmt != "ass":
                    save_subtitles(fmt, cues, path, language=language, title=headline or story.id)
                out.append(Asset.of_file(work, path, "subtitles" if fmt != "ass" else "captions_script",
                                         format=fmt, language=language))
        return out

    with stages.stage("subtitles"):
        font.install(scratch / "fonts")
        sub_assets = write_subtitles(plan)

    def photo_work() -> tuple[list[Asset], list[str]]:
        """The photo's renditions (and clip) need nothing from the video: they run beside the
        render, on the CPU that ffmpeg leaves idle (Pillow and x264 release the GIL)."""
        assert photo_image is not None and story.photo is not None
        from videonews.images import DEFAULT_SPECS, iptc_length_warnings, read_embedded_credits

        out: list[Asset] = []
        pc = article.photos[0] if article.photos else None
        ic = ImageCredits(
            creator=photo_credit.name if photo_credit else None,
            credit=photo_credit.organization if photo_credit else None,
            source=photo_credit.organization if photo_credit else None,
            rights=story.options.credits.rights or (f"© {photo_credit.credit_line}" if photo_credit else None),
            description=pc.caption if pc else headline,
            title=headline,
        )
        notes = iptc_length_warnings(ic) + _credit_disagreements(story.photo, ic, read_embedded_credits)
        for r in render_renditions(photo_image, DEFAULT_SPECS, img_dir, stem="photo", credits=ic):
            out.append(Asset.of_file(work, r.path, "photo_rendition", width=r.width, height=r.height,
                                     format=r.format, label=r.name))
        if photo_clip:
            from videonews.images import make_photo_clip
            from videonews.typefaces import bundled_font

            clip = work / "photo-clip.mp4"
            big = rplan.height >= 1080
            make_photo_clip(photo_image, clip, width=rplan.width, height=rplan.height,
                            caption=(pc.caption if pc else headline or ""),
                            credit=(f"Photo: {photo_credit.credit_line}" if photo_credit else ""),
                            font_path=bundled_font(), ffmpeg_exe=exe,
                            # at 1080p and above x264 is the bottleneck: ultrafast keeps the clip near
                            # real time on 2 cores (measured 22-27 fps; veryfast 16 fps), at larger size
                            preset="ultrafast" if big else "veryfast", crf=23 if big else 20)
            out.append(_video_asset(work, clip, "photo_clip", exe, language))
        return out, notes

    photo_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="videonews-photo")
    photo_job: Future[tuple[list[Asset], list[str]]] | None = None
    if photo_image is not None and story.photo is not None:
        photo_job = photo_pool.submit(photo_work)
    try:
        with stages.stage("render"):
            def make_argv() -> list[str]:
                return render_argv(rplan, exe=exe, video=story.video, ass_name=f"../subtitles/{ass_path.name}",
                                   fonts_dir="fonts", master="../captioned.mp4", preview="../preview.mp4",
                                   candidates_dir="cand", safe_frame=SAFE_FRAME)

            argv = make_argv()
            result = run_render(argv, cwd=scratch, plan=rplan, settings=settings,
                                on_progress=stages.progress("render"), video=story.video)
            exact = [t for t in parse_scdet(result.stderr) if 0 < t < analysis.duration]
            if not _same_cuts(exact, analysis.shots, 1.5 / fps):
                # the fast analysis missed or misplaced a cut: plan again on the exact cuts, and
                # render again only if the captions change
                new_plan, new_lint = plan_subtitles(exact)
                analysis.shots = exact
                if new_plan is not None and plan is not None and new_plan.cues != plan.cues:
                    warnings.append("shot changes found in the render differed from the analysis; "
                                    "captions were re-planned and the video rendered again")
                    plan, lint = new_plan, new_lint
                    for f in scratch.joinpath("cand").iterdir():
                        f.unlink()
                    sub_assets = write_subtitles(plan)
                    rplan = rplan.model_copy(update={"safe_frame_time": _safe_frame_time(plan)})
                    argv = make_argv()
                    run_render(argv, cwd=scratch, plan=rplan, settings=settings,
                               on_progress=stages.progress("render"), video=story.video)
                elif plan is not None:
                    lint = new_lint
            if plan is not None:
                warnings += plan.warnings
            assets: list[Asset] = list(sub_assets)
            assets.append(_video_asset(work, work / "captioned.mp4", "captioned_video", exe, language))
            _require_complete(assets[-1].duration, info, story.video)
            assets.append(_video_asset(work, work / "preview.mp4", "preview_video", exe, language))
            safe_frame = _load_frame(scratch / SAFE_FRAME, rplan.safe_frame_time)

        with stages.stage("thumbnails"):
            poster_info, poster_assets = _posters(work, scratch, story, rplan, analysis, exe, settings,
                                                  video_credit, headline)
            assets += poster_assets
    except BaseException:
        if photo_job is not None:
            photo_job.cancel()
        photo_pool.shutdown(wait=True)
        raise

    if photo_job is not None:
        with stages.stage("photo"):
            photo_assets, photo_warnings = photo_job.result()
            assets += photo_assets
            warnings += photo_warnings
            photo_pool.shutdown()

    with stages.stage("package"):
        shutil.rmtree(scratch, ignore_errors=True)
        inputs = [InputFile.of_file("article", story.article), InputFile.of_file("video", story.video)]
        if story.photo:
            inputs.append(InputFile.of_file("photo", story.photo))
        toml = story.folder / "story.toml"
        if toml.is_file():
            inputs.append(InputFile.of_file("story", toml))
        loud = analysis.loudness
        manifest = Manifest(
            story=StoryInfo(id=story.id, headline=headline, date=article.date.isoformat() if article.date else None,
                            language=language, source=article.source,
                            source_url=story.options.source_url or article.source_url, editor=article.editor),
            credits=credits,
            quotes=[QuoteEntry(id=q.id, speaker=q.speaker, speaker_title=q.speaker_title, text=q.text,
                               partial=q.partial, span=q.span, confidence=q.confidence,
                               needs_review=q.needs_review, reason=q.reason) for q in article.quotes],
            subtitles=SubtitleInfo(
                timing_source=plan.timing_source,
                lint=LintSummary(profile=lint.profile, cues=lint.cues, errors=lint.errors,
                                 warnings=len(lint.findings) - lint.errors, findings=lint.findings),
                warnings=plan.warnings,
            ) if plan and lint else None,
            no_subtitles_reason=None if quotes else "the article has no direct quotes",
            poster=poster_info,
            analysis=AnalysisInfo(
                speech=[(s.start, s.end) for s in analysis.speech or []],
                shots=analysis.shots,
                loudness=LoudnessInfo(integrated=loud.integrated if loud else None,
                                      true_peak=loud.true_peak if loud else None,
                                      lra=loud.lra if loud else None,
                                      target=settings.loudness_target, normalized=rplan.loudnorm is not None),
            ),
            assets=assets,
            provenance=Provenance(
                inputs=inputs, videonews_version=__version__, ffmpeg_version=ffmpeg_version(exe),
                settings=settings.fingerprint_fields() | {"profile": profile.name, "photo_clip": photo_clip},
                created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            ),
            warnings=warnings,
        )
        from videonews.structured import write_structured_data

        jsonld = write_structured_data(manifest, work)
        manifest.assets.append(Asset.of_file(work, jsonld, "structured_data", format="json-ld"))
        from videonews.review import write_review_page

        write_review_page(manifest, work, analysis=analysis, plan=plan, lint=lint, package_path=final,
                          safe_frame=safe_frame)
        write_manifest(manifest, work)
    return manifest


def _safe_frame_time(plan: CuePlan | None) -> float | None:
    """The QA page's safe-area frame: the middle of the first cue, grabbed during the render."""
    if plan is None or not plan.cues:
        return None
    return (plan.cues[0].start + plan.cues[0].end) / 2


def _load_frame(path: Path, t: float | None) -> tuple[Image.Image, float] | None:
    if t is None or not path.is_file():
        return None
    try:
        with Image.open(path) as im:
            return im.convert("RGB"), t
    except OSError:
        return None  # the review page grabs its own frame


def _same_cuts(a: list[float], b: list[float], tolerance: float) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _require_complete(rendered: float | None, info: MediaInfo, video: Path) -> None:
    """Refuse a short package: a truncated file whose container does not say so (Matroska/WebM keep
    their declared duration in the header; ffmpeg only notes "File ended prematurely")."""
    declared = float(info.duration or 0.0)
    got = float(rendered or 0.0)
    if declared > 0.5 and got < declared - max(0.5, 0.05 * declared):
        raise MediaError(f"video is truncated or damaged: only {got:.2f} s of its {declared:.2f} s could be decoded",
                         path=video, remedy="copy the file again from its source, or re-export it")


def _credit_disagreements(photo: Path, ic: object, reader: Callable[[Path], object]) -> list[str]:
    try:
        embedded = reader(photo)
    except Exception:
        return []
    out = []
    for name in ("creator", "credit"):
        theirs = getattr(embedded, name, None)
        ours = getattr(ic, name, None)
        if theirs and ours and theirs.strip().lower() != ours.strip().lower():
            out.append(f"photo's embedded {name} '{theirs}' differs from the article's '{ours}'")
    return out


def _posters(
    work: Path, scratch: Path, story: Story, rplan: RenderPlan, analysis: Analysis, exe: str, settings: Settings,
    video_credit: CreditEntry | None, headline: str | None,
) -> tuple[PosterInfo, list[Asset]]:
    from videonews.images import (
        POSTER_SPECS,
        THUMBNAIL_SPECS,
        ImageCredits,
        contact_sheet,
        pick_posters,
        render_renditions,
    )
    from videonews.typefaces import bundled_font

    cand_dir = scratch / "cand"
    files = sorted(cand_dir.glob("cand_*.png"))
    smalls = sorted(cand_dir.glob("small_*.png"))
    times = rplan.candidate_times(len(files))
    frames = []  # scoring copies: poster scoring and the contact sheet never need the full size
    for t, f in zip(times, smalls if len(smalls) == len(files) else files, strict=True):
        with Image.open(f) as im:
            frames.append((t, im.convert("RGB")))
    if not frames:
        raise MediaError("no frames could be read from the video", path=story.video,
                         remedy="check that the video plays; re-export it")
    candidates = pick_posters(frames, shots=analysis.shots, duration=analysis.duration, top=5)
    sheet = work / "contact-sheet.jpg"
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="videonews-thumbs")
    # Pillow releases the GIL while it resizes and encodes: the sheet and the WebP renditions are
    # made beside the JPEG ones
    sheet_job = pool.submit(contact_sheet, frames, sheet, columns=6, width=1536, title=headline,
                            font_path=bundled_font())
    pinned = story.options.poster_time
    try:
        if pinned is not None:
            poster_t = min(pinned, max(0.0, analysis.duration - 0.05))
            poster_img = _grab_frame(story.video, poster_t, exe, scratch, settings)
        else:
            best = candidates[0] if candidates else None
            index = times.index(best.time) if best else len(files) // 2
            poster_t = times[index]
            with Image.open(files[index]) as im:
                poster_img = im.convert("RGB")
        credits = ImageCredits(
            creator=None, credit=video_credit.organization if video_credit else None,
            source=video_credit.credit_line if video_credit else None,
            rights=f"© {video_credit.credit_line}" if video_credit and video_credit.credit_line else None,
            description=headline, title=headline,
        )
        img_dir = work / "images"
        assets: list[Asset] = []
        poster_path = img_dir / "poster.jpg"
        webp_job = pool.submit(render_renditions, poster_img, POSTER_SPECS[1:], img_dir, stem="poster",
                               credits=credits, formats=("webp",))
        for r in render_renditions(poster_img, POSTER_SPECS, img_dir, stem="poster", credits=credits, formats=("jpeg",)):
            role: AssetRole = "poster" if r.name == POSTER_SPECS[0].name else "poster_rendition"
            if role == "poster":
                os.replace(r.path, poster_path)
                r.path = poster_path
            assets.append(Asset.of_file(work, r.path, role, width=r.width, height=r.height, format=r.format,
                                        label=r.name, time=poster_t))
        for r in render_renditions(poster_img, THUMBNAIL_SPECS, img_dir, stem="poster", credits=credits, formats=("jpeg",)):
            assets.append(Asset.of_file(work, r.path, "thumbnail", width=r.width, height=r.height, format=r.format,
                                        label=r.name, time=poster_t))
        for r in webp_job.result():
            assets.append(Asset.of_file(work, r.path, "poster_rendition", width=r.width, height=r.height,
                                        format=r.format, label=r.name, time=poster_t))
        sw, sh = sheet_job.result()
        assets.append(Asset.of_file(work, sheet, "contact_sheet", width=sw, height=sh, format="jpeg"))
    finally:
        pool.shutdown(wait=True)
    info = PosterInfo(time=poster_t, pinned=pinned is not None,
                      candidates=[PosterCandidate(time=c.time, score=round(c.score, 4), reasons=list(c.reasons))
                                  for c in candidates])
    return info, assets


def _grab_frame(video: Path, t: float, exe: str, scratch: Path, settings: Settings) -> Image.Image:
    out = scratch / "pinned.png"
    run([exe, "-hide_banner", "-nostdin", "-y", "-ss", f"{t:.3f}", "-i", str(video), "-frames:v", "1", str(out)],
        timeout=settings.ffmpeg_timeout, what="ffmpeg frame grab", path=video)
    with Image.open(out) as im:
        return im.convert("RGB")


__all__ = ["BuildResult", "build_story"]
