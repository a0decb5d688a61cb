"""Photo: the agency photo's renditions with their credits, and the photo clip when asked for.

`Ingested` -> `PhotoOutputs`. Nothing here needs the video's analysis or render, so the
orchestrator runs it on a second thread from the start of the build, on the core the analysis
and the speech recogniser leave idle (Pillow, OpenCV and x264 release the GIL).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from videonews import __version__
from videonews.manifest import Asset
from videonews.settings import Settings
from videonews.stages.ingest import Ingested
from videonews.stages.workspace import Workspace

if TYPE_CHECKING:
    from videonews.images import ImageCredits

PHOTO_CLIP = "photo-clip.mp4"


@dataclass(frozen=True)
class PhotoOutputs:
    assets: list[Asset] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def photo_outputs(ing: Ingested, ws: Workspace, settings: Settings, *, clip: bool,
                  cancel: threading.Event | None = None) -> PhotoOutputs:
    from videonews.images import (
        DEFAULT_SPECS,
        ImageCredits,
        iptc_length_warnings,
        read_embedded_credits,
        render_renditions,
    )

    if ing.photo_image is None or ing.story.photo is None:
        return PhotoOutputs()
    pc = ing.article.photos[0] if ing.article.photos else None
    credit = ing.credit("photo")
    ic = ImageCredits(
        creator=credit.name if credit else None,
        credit=credit.organization if credit else None,
        source=credit.organization if credit else None,
        rights=ing.story.options.credits.rights or (f"© {credit.credit_line}" if credit else None),
        description=pc.caption if pc else ing.headline,
        title=ing.headline,
    )
    notes = iptc_length_warnings(ic) + _credit_disagreements(ing.story.photo, ic, read_embedded_credits)
    assets = [Asset.of_file(ws.root, r.path, "photo_rendition", width=r.width, height=r.height, format=r.format,
                            label=r.name)
              for r in render_renditions(ing.photo_image, DEFAULT_SPECS, ws.images, stem="photo", credits=ic)]
    if clip:
        assets.append(_photo_clip(ing, ws, settings, cancel))
    return PhotoOutputs(assets=assets, warnings=notes)


def _photo_clip(ing: Ingested, ws: Workspace, settings: Settings, cancel: threading.Event | None) -> Asset:
    from videonews.images import make_photo_clip
    from videonews.stages.render import video_asset
    from videonews.typefaces import bundled_font

    assert ing.photo_image is not None
    pc = ing.article.photos[0] if ing.article.photos else None
    credit = ing.credit("photo")
    width, height = ing.frame  # the clip matches the captioned video's size
    big = height >= 1080
    make_photo_clip(ing.photo_image, ws.root / PHOTO_CLIP, width=width, height=height,
                    caption=(pc.caption if pc else ing.headline or ""),
                    credit=(f"Photo: {credit.credit_line}" if credit else ""),
                    font_path=_clip_font(ing, bundled_font()), template=ing.graphics, ffmpeg_exe=ing.exe,
                    # at 1080p and above x264 is the bottleneck: ultrafast keeps the clip near
                    # real time on 2 cores (measured 22-27 fps; veryfast 16 fps), at larger size
                    preset="ultrafast" if big else "veryfast", crf=23 if big else 20,
                    metadata=_clip_tags(ing), timeout=settings.ffmpeg_timeout, cancel=cancel)
    return video_asset(ws, PHOTO_CLIP, "photo_clip", ing)


def _clip_font(ing: Ingested, fallback: Path) -> Path:
    """The template's own font when it has files (the photo clip's text is the caption and credit)."""
    return ing.graphics.font_files[0] if ing.graphics.font_files else fallback


def _clip_tags(ing: Ingested) -> dict[str, str]:
    """MP4 tags of the photo clip: the photo's credits, not the video's."""
    credit = ing.credit("photo")
    tags = {
        "title": ing.title,
        "artist": (credit.name or credit.organization or "") if credit else "",
        "copyright": ing.story.options.credits.rights or (f"© {credit.credit_line}" if credit else ""),
        "comment": f"Photo clip of the agency photo; built by videonews {__version__}",
        "date": ing.article.date.isoformat() if ing.article.date else "",
    }
    return {k: v for k, v in tags.items() if v}


def _credit_disagreements(photo: Path, ic: ImageCredits, reader: Callable[[Path], ImageCredits]) -> list[str]:
    """Where the photo file's own embedded credits name someone else than the article does."""
    try:
        embedded = reader(photo)
    except Exception:  # an unreadable XMP packet is no reason to stop the build
        return []
    out = []
    for name in ("creator", "credit"):
        theirs = getattr(embedded, name)
        ours = getattr(ic, name)
        if theirs and ours and theirs.strip().lower() != ours.strip().lower():
            out.append(f"photo's embedded {name} '{theirs}' differs from the article's '{ours}'")
    return out
