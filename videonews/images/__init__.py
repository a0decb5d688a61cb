"""Photos and frames: safe loading, content-aware renditions with credits, posters, contact sheets, photo clips.

- `load_photo`: upright, 8-bit sRGB RGB, <= 4096 px, bombs/corrupt files refused (MediaError).
- `render_renditions` + `DEFAULT_SPECS` / `POSTER_SPECS` / `THUMBNAIL_SPECS`: JPEG/WebP
  renditions cropped around the subject, never upscaled, with XMP + EXIF credits.
- `read_embedded_credits`, `iptc_length_warnings`: the photo's own credits; IIM 32-byte limits.
- `score_frame`, `pick_posters`, `contact_sheet`: poster frames from the video.
- `make_photo_clip`: MoviePy Ken Burns clip with a lower third.
"""

from videonews.images.clip import PhotoClip, make_photo_clip, render_lower_third
from videonews.images.credits import (
    ImageCredits,
    exif_bytes,
    iptc_length_warnings,
    parse_xmp,
    read_embedded_credits,
    xmp_packet,
)
from videonews.images.crop import content_centre, content_crop_box, saliency_map
from videonews.images.frames import (
    FrameScore,
    PosterCandidate,
    contact_sheet,
    dhash,
    format_timecode,
    near_duplicate,
    pick_posters,
    score_frame,
)
from videonews.images.photo import load_photo, srgb_icc_bytes
from videonews.images.renditions import (
    DEFAULT_SPECS,
    POSTER_SPECS,
    THUMBNAIL_SPECS,
    Rendition,
    RenditionSpec,
    encode_image,
    render_renditions,
)

__all__ = [
    "DEFAULT_SPECS",
    "POSTER_SPECS",
    "THUMBNAIL_SPECS",
    "FrameScore",
    "ImageCredits",
    "PhotoClip",
    "PosterCandidate",
    "Rendition",
    "RenditionSpec",
    "contact_sheet",
    "content_centre",
    "content_crop_box",
    "dhash",
    "encode_image",
    "exif_bytes",
    "format_timecode",
    "iptc_length_warnings",
    "load_photo",
    "make_photo_clip",
    "near_duplicate",
    "parse_xmp",
    "pick_posters",
    "read_embedded_credits",
    "render_lower_third",
    "render_renditions",
    "saliency_map",
    "score_frame",
    "srgb_icc_bytes",
    "xmp_packet",
]
