"""Render: one ffmpeg pass decodes the source once and writes every video output.

`StoryPlan` + `SubtitleFiles` -> `Rendered`: the captioned master and the preview (one tee output),
the poster candidates and their scoring copies, the QA page's captioned frame, and the exact shot
changes seen on every frame. The graph is built as data in `videonews.ffmpeg.render`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from videonews.errors import MediaError
from videonews.ffmpeg import probe
from videonews.ffmpeg.analysis import parse_scdet
from videonews.ffmpeg.probe import MediaInfo
from videonews.ffmpeg.render import SAFE_FRAME, render_argv
from videonews.ffmpeg.runner import ProgressCallback, RunResult, run
from videonews.manifest import Asset, AssetRole
from videonews.models import RenderPlan
from videonews.settings import Settings
from videonews.stages.ingest import Ingested
from videonews.stages.plan import StoryPlan
from videonews.stages.subtitles import SubtitleFiles
from videonews.stages.workspace import Workspace

MASTER = "captioned.mp4"
PREVIEW = "preview.mp4"


@dataclass(frozen=True)
class Rendered:
    assets: list[Asset]  # the captioned master and the preview
    cuts: list[float]  # shot changes measured on every frame, seconds
    safe_frame: tuple[Image.Image, float] | None  # captioned frame for the QA page, and its time


def render(ing: Ingested, plan: StoryPlan, subs: SubtitleFiles, ws: Workspace, settings: Settings, *,
           on_progress: ProgressCallback | None = None) -> Rendered:
    for old in ws.candidates.iterdir():  # a second render must not mix in the first one's frames
        old.unlink()
    rp = plan.render
    # ffmpeg runs in the scratch folder: every path inside the filter graph is short and plain
    argv = render_argv(rp, exe=ing.exe, video=ing.story.video, ass_name=f"../subtitles/{subs.ass.name}",
                       fonts_dir=ws.fonts.name, master=f"../{MASTER}", preview=f"../{PREVIEW}",
                       candidates_dir=ws.candidates.name, safe_frame=SAFE_FRAME)
    result = run_render(argv, ing=ing, plan=rp, ws=ws, settings=settings, on_progress=on_progress)
    duration = rp.duration
    cuts = [t for t in parse_scdet(result.stderr) if 0 < t < duration]
    master = video_asset(ws, MASTER, "captioned_video", ing)
    _require_complete(master.duration, ing.info, ing)
    assets = [master, video_asset(ws, PREVIEW, "preview_video", ing)]
    assets += [video_asset(ws, sr.output, "social_video", ing).model_copy(update={"aspect": sr.aspect})
               for sr in rp.social]
    return Rendered(assets=assets, cuts=cuts, safe_frame=_load_frame(ws, rp.safe_frame_time))


def run_render(argv: list[str], *, ing: Ingested, plan: RenderPlan, ws: Workspace, settings: Settings,
               on_progress: ProgressCallback | None = None) -> RunResult:
    return run(argv, cwd=ws.scratch, timeout=settings.ffmpeg_timeout, duration=plan.duration,
               on_progress=on_progress, what="ffmpeg render", path=ing.story.video)


def video_asset(ws: Workspace, name: str, role: AssetRole, ing: Ingested) -> Asset:
    path = ws.root / name
    info = probe(path, exe=ing.exe)
    return Asset.of_file(ws.root, path, role, width=info.width, height=info.height,
                         duration=round(info.duration or 0.0, 3), format="mp4", codec=info.video_codec,
                         bitrate=(info.bitrate_kbps or 0) * 1000 or None, language=ing.language)


def _load_frame(ws: Workspace, t: float | None) -> tuple[Image.Image, float] | None:
    path = ws.scratch / SAFE_FRAME
    if t is None or not path.is_file():
        return None
    try:
        with Image.open(path) as im:
            return im.convert("RGB"), t
    except OSError:
        return None  # the review page grabs its own frame


def _require_complete(rendered: float | None, info: MediaInfo, ing: Ingested) -> None:
    """Refuse a short package: a truncated file whose container does not say so (Matroska/WebM keep
    their declared duration in the header; ffmpeg only notes "File ended prematurely")."""
    declared = float(info.duration or 0.0)
    got = float(rendered or 0.0)
    if declared > 0.5 and got < declared - max(0.5, 0.05 * declared):
        raise MediaError(f"video is truncated or damaged: only {got:.2f} s of its {declared:.2f} s could be decoded",
                         path=ing.story.video, remedy="copy the file again from its source, or re-export it")
