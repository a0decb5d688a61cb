"""Thumbnails: the poster frame chosen from the render's candidates, its crops and thumbnails, and
the contact sheet. `Rendered` candidates (in the workspace) -> `Thumbnails`.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from PIL import Image

from videonews.errors import MediaError
from videonews.ffmpeg.render import CANDIDATE_GLOB, SMALL_GLOB, source_chain
from videonews.ffmpeg.runner import file_input, run
from videonews.manifest import Asset, AssetRole, PosterCandidate, PosterInfo
from videonews.models import Analysis, RenderPlan
from videonews.settings import Settings
from videonews.stages.ingest import Ingested
from videonews.stages.plan import source_prep
from videonews.stages.workspace import Workspace

if TYPE_CHECKING:
    from videonews.images import Rendition

CONTACT_SHEET = "contact-sheet.jpg"


@dataclass(frozen=True)
class Thumbnails:
    poster: PosterInfo
    assets: list[Asset]


def thumbnails(ing: Ingested, analysis: Analysis, rplan: RenderPlan, ws: Workspace,
               settings: Settings, *, soundbites: list[tuple[float, float]] | None = None) -> Thumbnails:
    """`soundbites`: when named speakers are on camera (their supers): the poster prefers those frames."""
    from videonews.images import contact_sheet, pick_posters
    from videonews.typefaces import bundled_font

    files = sorted(ws.candidates.glob(CANDIDATE_GLOB))
    smalls = sorted(ws.candidates.glob(SMALL_GLOB))
    times = rplan.candidate_times(len(files))
    frames = []  # scoring copies: poster scoring and the contact sheet never need the full size
    for t, f in zip(times, smalls if len(smalls) == len(files) else files, strict=True):
        with Image.open(f) as im:
            frames.append((t, im.convert("RGB")))
    if not frames:
        raise MediaError("no frames could be read from the video", path=ing.story.video,
                         remedy="check that the video plays; re-export it")
    candidates = pick_posters(frames, shots=analysis.shots, duration=analysis.duration, top=5,
                              soundbites=soundbites or ())
    sheet = ws.root / CONTACT_SHEET
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="videonews-thumbs")
    # Pillow releases the GIL while it resizes and encodes: the sheet and the WebP renditions are
    # made beside the JPEG ones
    sheet_job = pool.submit(contact_sheet, frames, sheet, columns=6, width=1536, title=ing.headline,
                            font_path=bundled_font())
    pinned = ing.poster_time
    try:
        if pinned is not None:
            poster_t = min(pinned, max(0.0, analysis.duration - 0.05))
            poster_img = _grab_frame(ing, poster_t, ws, settings, rplan)
        else:
            best = candidates[0] if candidates else None
            index = times.index(best.time) if best else len(files) // 2
            poster_t = times[index]
            with Image.open(files[index]) as im:
                poster_img = im.convert("RGB")
        on_camera = any(a <= poster_t <= b for a, b in soundbites or [])
        assets = _poster_renditions(ing, poster_img, poster_t, ws, pool, on_camera=on_camera)
        sw, sh = sheet_job.result()
        assets.append(Asset.of_file(ws.root, sheet, "contact_sheet", width=sw, height=sh, format="jpeg"))
    finally:
        pool.shutdown(wait=True)
    info = PosterInfo(time=poster_t, pinned=pinned is not None, pinned_by=_pinned_by(ing),
                      candidates=[PosterCandidate(time=c.time, score=round(c.score, 4), reasons=list(c.reasons))
                                  for c in candidates])
    return Thumbnails(poster=info, assets=assets)


def _pinned_by(ing: Ingested) -> Literal["story", "edit"] | None:
    if ing.edits is not None and ing.edits.poster_time is not None:
        return "edit"
    return "story" if ing.story.options.poster_time is not None else None


def repin_poster(ing: Ingested, t: float, ws: Workspace, settings: Settings, old: PosterInfo | None) -> Thumbnails:
    """Only the poster, at a reviewer's time: one frame grabbed from the source, its renditions and
    thumbnails (the contact sheet and the candidates' scores are kept)."""
    poster_t = min(t, max(0.0, float(ing.info.duration or t) - 0.05))
    ws.scratch.mkdir(parents=True, exist_ok=True)
    poster_img = _grab_frame(ing, poster_t, ws, settings, source_prep(ing.info, ing.short_side))
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="videonews-thumbs")
    try:
        assets = _poster_renditions(ing, poster_img, poster_t, ws, pool)
    finally:
        pool.shutdown(wait=True)
    info = PosterInfo(time=poster_t, pinned=True, pinned_by="edit", candidates=old.candidates if old else [])
    return Thumbnails(poster=info, assets=assets)


def _poster_renditions(ing: Ingested, poster_img: Image.Image, poster_t: float, ws: Workspace,
                       pool: ThreadPoolExecutor, *, on_camera: bool = False) -> list[Asset]:
    from videonews.images import POSTER_SPECS, THUMBNAIL_SPECS, ImageCredits, render_renditions
    from videonews.images.faces import detect_faces, skin_heads

    vc = ing.credit("video")
    credits = ImageCredits(
        creator=None, credit=vc.organization if vc else None, source=vc.credit_line if vc else None,
        rights=f"© {vc.credit_line}" if vc and vc.credit_line else None,
        description=ing.headline, title=ing.headline,
    )
    poster_path = ws.images / "poster.jpg"
    # once: every crop of the poster keeps them; a speaker on camera whom the cascade cannot see (drawn,
    # small, turned) is the face-shaped patch of skin tone
    faces = detect_faces(poster_img) or (skin_heads(poster_img)[:1] if on_camera else [])
    webp_job = pool.submit(render_renditions, poster_img, POSTER_SPECS[1:], ws.images, stem="poster",
                           credits=credits, formats=("webp",), faces=faces)
    assets: list[Asset] = []

    def add(r: Rendition, role: AssetRole) -> None:
        assets.append(Asset.of_file(ws.root, r.path, role, width=r.width, height=r.height, format=r.format,
                                    label=r.name, time=poster_t))

    jpeg_sizes: set[tuple[tuple[int, int], int, int]] = set()  # a thumbnail the size of a poster is that poster
    for i, r in enumerate(render_renditions(poster_img, POSTER_SPECS, ws.images, stem="poster", credits=credits,
                                            formats=("jpeg",), seen=jpeg_sizes, faces=faces)):
        if i == 0:  # POSTER_SPECS[0] at its true size is "the" poster
            os.replace(r.path, poster_path)
            r.path = poster_path
            add(r, "poster")
        else:
            add(r, "poster_rendition")
    for r in render_renditions(poster_img, THUMBNAIL_SPECS, ws.images, stem="poster", credits=credits,
                               formats=("jpeg",), seen=jpeg_sizes, faces=faces):
        add(r, "thumbnail")
    for r in webp_job.result():
        add(r, "poster_rendition")
    return assets


def _grab_frame(ing: Ingested, t: float, ws: Workspace, settings: Settings, rplan: RenderPlan) -> Image.Image:
    """The frame at a pinned poster time: one seek, one frame, made ready as the render makes its frames."""
    out = ws.scratch / "pinned.png"
    chain = source_chain(rplan)
    run([ing.exe, "-hide_banner", "-nostdin", "-y", "-ss", f"{t:.3f}", *file_input(ing.story.video),
         *(["-vf", chain] if chain else []), "-frames:v", "1", str(out)], timeout=settings.ffmpeg_timeout,
        what="ffmpeg frame grab", path=ing.story.video)
    with Image.open(out) as im:
        return im.convert("RGB")
