"""A short video from the agency photo: slow zoom and pan towards the subject, with a lower third.

Built with MoviePy (v2) as one `VideoClip` whose frame function does all the work in
Pillow/numpy, because MoviePy's own compositing (`CompositeVideoClip`, `TextClip`) is
several times slower:
- the content-aware crop of the photo is prepared ONCE at the output size times the
  final zoom (so every frame is a small downscale, never an upscale beyond the source's
  own resolution limits);
- each frame is `Image.resize(..., box=<float window>)` of that prepared image: sub-pixel
  windows give a smooth zoom (1.0 -> 1.12, eased) and pan (frame centre -> content centre);
- the lower third (caption + credit, a dark gradient) is drawn ONCE with Pillow as RGBA
  and alpha-blended onto the bottom band of each frame (Image.paste with its alpha, or
  integer numpy maths on the OpenCV path).

Speed (measured on this 2-core machine, 1080p25, 6 s, preset veryfast, while other jobs
loaded it ~5x): CPU per frame ~40-55 ms for Pillow's resize, ~15-25 ms for OpenCV's
warpAffine (used automatically when `opencv-python-headless` is installed, `warp="auto"`),
and ~45-65 ms for ffmpeg (RGB->YUV + x264 veryfast). Both cores together therefore give at
best ~15 fps (Pillow) / ~22 fps (OpenCV) at 1080p: x264 veryfast alone reaches only ~30 fps
here. 720p with Pillow is ~30 fps (real time). For real time at 1080p use warp="opencv"
and preset="superfast"/"ultrafast" (bigger files), or render at 720p.
A photo smaller than the output is upscaled (a video has a fixed size): `upscaled` says so.

Output: H.264 (libx264), yuv420p, `+faststart`, credit tags, no audio track unless `audio=True`
(then a silent AAC track). MoviePy makes the frames; ffmpeg (videonews' own binary, through
videonews' runner: timeout, progress, kill on error) encodes them from a pipe.
"""

from __future__ import annotations

import math
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from PIL import Image, ImageDraw
from pydantic import BaseModel, ConfigDict

from videonews.errors import FontError
from videonews.ffmpeg.runner import PIPE_ONLY
from videonews.images.crop import content_centre, content_crop_box
from videonews.images.frames import load_font

if TYPE_CHECKING:
    from videonews.graphics import Template

Warp = Literal["auto", "pillow", "opencv"]


def _opencv(warp: Warp):
    """The cv2 module when `warp` asks for it (or "auto" and it is installed), else None."""
    if warp == "pillow":
        return None
    try:
        import cv2
    except ImportError:
        if warp == "opencv":
            raise
        return None
    return cv2


class PhotoClip(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: Path
    width: int
    height: int
    duration: float
    fps: float
    frames: int
    seconds: float  # wall time to render and encode
    render_fps: float  # frames / seconds
    upscaled: bool = False  # the photo's crop was smaller than the output
    warp: str = "pillow"  # "pillow" or "opencv": which resampler made the frames


# ---------------------------------------------------------------- lower third

def _missing_glyphs(font_path: Path | str, text: str) -> list[str]:
    try:
        from fontTools.ttLib import TTFont  # optional: only used to name missing glyphs
    except ImportError:
        return []
    try:
        with TTFont(str(font_path), lazy=True, fontNumber=0) as tt:
            cmap = tt.getBestCmap() or {}
    except Exception:  # an unreadable cmap: let Pillow try
        return []
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})


def _wrap(text: str, font, max_width: float, max_lines: int) -> list[str]:
    words = text.split()
    lines: list[str] = []
    cur = ""
    for word in words:
        trial = f"{cur} {word}".strip()
        if font.getlength(trial) <= max_width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    # CJK or very long tokens: break by character
    fixed: list[str] = []
    for line in lines:
        while font.getlength(line) > max_width and len(line) > 1:
            cut = len(line)
            while cut > 1 and font.getlength(line[:cut]) > max_width:
                cut -= 1
            fixed.append(line[:cut])
            line = line[cut:].lstrip()
        fixed.append(line)
    if len(fixed) > max_lines:
        fixed = fixed[:max_lines]
        last = fixed[-1]
        while last and font.getlength(last + "…") > max_width:
            last = last[:-1]
        fixed[-1] = last.rstrip() + "…"
    return fixed


def render_lower_third(width: int, height: int, *, caption: str, credit: str,
                       font_path: Path | str | None = None, max_lines: int = 2,
                       template: Template | None = None) -> Image.Image:
    """An RGBA overlay (width x height): the caption and the credit on the template's strap (with its
    accent bar and logo), or on a dark gradient without a template (or with a strapless one).

    Text stays inside the title-safe area (90%: 5% margins). Raises FontError when the TTF
    lacks glyphs for the text (checked with fontTools when it is installed).
    """
    if font_path:
        missing = _missing_glyphs(font_path, caption + credit)
        if missing:
            raise FontError(f"font has no glyphs for {''.join(missing[:20])!r}", path=font_path,
                            remedy="pass a font that covers the caption's script (e.g. Noto Sans CJK)")
    margin_x, margin_y = round(width * 0.05), round(height * 0.05)
    text_w = width - 2 * margin_x
    cap_size = max(12, round(height / 21))
    if template is not None and template.super_.strap:  # the strap's accent bar and padding (see _strapped)
        text_w -= max(3, round(0.006 * width)) + 2 * _strap_pad(cap_size)
    cred_size = max(10, round(height / 36))
    cap_font = load_font(font_path, cap_size)
    cred_font = load_font(font_path, cred_size)
    cap_lines = _wrap(" ".join(caption.split()), cap_font, text_w, max_lines) if caption.strip() else []
    cred_lines = _wrap(" ".join(credit.split()), cred_font, text_w, 1) if credit.strip() else []

    def line_height(font) -> int:
        try:
            ascent, descent = font.getmetrics()
            return ascent + descent
        except AttributeError:  # bitmap default font
            box = font.getbbox("Ag")
            return box[3] - box[1]

    cap_lh = round(line_height(cap_font) * 1.1)
    cred_lh = round(line_height(cred_font) * 1.1)
    gap = round(cap_size * 0.3) if cap_lines and cred_lines else 0
    block_h = len(cap_lines) * cap_lh + gap + len(cred_lines) * cred_lh
    bottom = height - margin_y
    top = bottom - block_h

    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if not block_h:
        return overlay
    if template is not None and template.super_.strap:
        return _strapped(overlay, template, cap_lines, cred_lines, (cap_font, cred_font), (cap_lh, cred_lh, gap),
                         top, (margin_x, margin_y))
    # gradient: transparent above the text, ~70% black behind it
    band_top = max(0, top - round(height * 0.08))
    ramp = np.zeros((height, 1), np.float32)
    span = max(1, top - band_top)
    ramp[band_top:top, 0] = np.linspace(0.0, 1.0, span, dtype=np.float32)[: top - band_top]
    ramp[top:, 0] = 1.0
    alpha = (ramp * 180).astype(np.uint8)
    grad = np.zeros((height, width, 4), np.uint8)
    grad[..., 3] = alpha
    overlay = Image.fromarray(grad)
    draw = ImageDraw.Draw(overlay)
    shadow = max(1, cap_size // 24)
    y = top
    for line in cap_lines:
        draw.text((margin_x + shadow, y + shadow), line, font=cap_font, fill=(0, 0, 0, 200))
        draw.text((margin_x, y), line, font=cap_font, fill=(255, 255, 255, 255))
        y += cap_lh
    y += gap
    for line in cred_lines:
        draw.text((margin_x, y), line, font=cred_font, fill=(220, 220, 220, 255))
        y += cred_lh
    return overlay


def _strap_pad(cap_size: int) -> int:
    return max(4, round(0.45 * cap_size))


def _strapped(overlay: Image.Image, tpl: Template, cap_lines: list[str], cred_lines: list[str],
              fonts: tuple[Any, Any], heights: tuple[int, int, int], top: int, margins: tuple[int, int]) -> Image.Image:
    """The lower third as the template draws a super: a strap with an accent bar, caption over credit."""
    from videonews.graphics import rgba

    width, height = overlay.size
    (cap_font, cred_font), (cap_lh, cred_lh, gap), (mx, my) = fonts, heights, margins
    sup = tpl.super_
    pad = _strap_pad(int(getattr(cap_font, "size", cap_lh)))
    accent = max(3, round(0.006 * width)) if sup.accent else 0
    text_w = max([cap_font.getlength(x) for x in cap_lines] + [cred_font.getlength(x) for x in cred_lines] + [1])
    left = mx
    right = min(width - mx, left + accent + 2 * pad + math.ceil(text_w))
    strap_top = max(my, top - pad)
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((left, strap_top, right - 1, height - my - 1), fill=rgba(sup.strap))
    if accent:
        draw.rectangle((left, strap_top, left + accent - 1, height - my - 1), fill=rgba(sup.accent))
    x = left + accent + pad
    y = strap_top + pad // 2
    for line in cap_lines:
        draw.text((x, y), line, font=cap_font, fill=rgba(sup.name_colour))
        y += cap_lh
    y += gap
    for line in cred_lines:
        draw.text((x, y), line, font=cred_font, fill=rgba(sup.title_colour))
        y += cred_lh
    if tpl.logo is not None:
        _paste_logo(overlay, tpl)
    return overlay


def _paste_logo(overlay: Image.Image, tpl: Template) -> None:
    """The template's logo in its corner, inside title-safe."""
    width, height = overlay.size
    with Image.open(tpl.logo) as im:  # type: ignore[arg-type]
        logo = im.convert("RGBA")
    lw = max(8, round(tpl.logo_spec.width * width))
    lh = max(1, round(logo.height * lw / logo.width))
    logo = logo.resize((lw, lh), Image.Resampling.LANCZOS)
    mx, my = math.ceil(0.05 * width), math.ceil(0.05 * height)
    corner = tpl.logo_spec.corner
    x = mx if corner.endswith("left") else width - mx - lw
    y = my if corner.startswith("top") else height - my - lh
    overlay.alpha_composite(logo, (x, y))


# ---------------------------------------------------------------- motion

def _ease(p: float) -> float:
    p = min(max(p, 0.0), 1.0)
    return p * p * (3 - 2 * p)


class _KenBurns:
    """Frame function state: a prepared image, the zoom/pan path and the overlay band."""

    def __init__(self, image: Image.Image, width: int, height: int, duration: float,
                 zoom: tuple[float, float], overlay: Image.Image | None, cv2=None) -> None:
        self.cv2 = cv2
        self.width, self.height, self.duration = width, height, duration
        z0, z1 = zoom
        if z0 <= 0 or z1 <= 0:
            raise ValueError("zoom factors must be positive")
        self.z0, self.z1 = z0, z1
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        box = content_crop_box(rgb, width / height)
        cx, cy = content_centre(rgb)
        zmax = max(z0, z1)
        zmin = min(z0, z1)
        # prepared image = the crop at the output size x (zmax / zmin), capped at the crop's size
        pw = max(width, min(round(width * zmax / zmin), box[2] - box[0]))
        ph = max(1, round(pw * height / width))
        self.work = rgb.resize((pw, ph), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
        self.work_arr = np.asarray(self.work) if cv2 is not None else None
        self.upscaled = (box[2] - box[0]) < width
        sx, sy = pw / (box[2] - box[0]), ph / (box[3] - box[1])
        self.target = ((cx - box[0]) * sx, (cy - box[1]) * sy)
        self.zmin = zmin
        self.band: tuple[int, np.ndarray, np.ndarray] | None = None
        self.band_rgba: tuple[int, Image.Image] | None = None
        if overlay is not None:
            rgba = overlay.convert("RGBA")
            arr = np.asarray(rgba)
            rows = np.nonzero(arr[..., 3].max(axis=1))[0]
            if rows.size:
                y0 = int(rows[0])
                a = arr[y0:, :, 3:4].astype(np.uint16)
                self.band = (y0, 255 - a, arr[y0:, :, :3].astype(np.uint16) * a + 128)
                self.band_rgba = (y0, rgba.crop((0, y0, width, height)))

    def window(self, t: float) -> tuple[float, float, float, float]:
        p = _ease(t / self.duration) if self.duration > 0 else 0.0
        z = self.z0 + (self.z1 - self.z0) * p
        pw, ph = self.work.size
        vw, vh = pw * self.zmin / z, ph * self.zmin / z
        cx = pw / 2 + (self.target[0] - pw / 2) * p
        cy = ph / 2 + (self.target[1] - ph / 2) * p
        x0 = min(max(cx - vw / 2, 0.0), pw - vw)
        y0 = min(max(cy - vh / 2, 0.0), ph - vh)
        return (x0, y0, x0 + vw, y0 + vh)

    def __call__(self, t: float) -> np.ndarray:
        x0, y0, x1, y1 = self.window(t)
        cv2 = self.cv2
        if cv2 is None:
            frame = self.work.resize((self.width, self.height), Image.Resampling.BILINEAR, box=(x0, y0, x1, y1))
            if self.band_rgba is not None:
                top, band = self.band_rgba
                frame.paste(band, (0, top), band)  # alpha blend of the lower third
            return np.asarray(frame)
        sx, sy = (x1 - x0) / self.width, (y1 - y0) / self.height
        # pixel centres: output (i + .5) samples the source at x0 + (i + .5) * sx
        m = np.array([[sx, 0.0, x0 + 0.5 * sx - 0.5], [0.0, sy, y0 + 0.5 * sy - 0.5]])
        arr = cv2.warpAffine(self.work_arr, m, (self.width, self.height),
                             flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
        if self.band is not None:
            top, inv_a, premult = self.band
            x = arr[top:].astype(np.uint16) * inv_a + premult  # < 65536; /255 by shifts
            arr[top:] = ((x + (x >> 8)) >> 8).astype(np.uint8)
        return arr


# ---------------------------------------------------------------- render

def _resolve_ffmpeg(ffmpeg_exe: str | Path | None) -> str:
    if ffmpeg_exe:
        return str(ffmpeg_exe)
    from videonews.ffmpeg import ffmpeg_exe as default_exe

    return default_exe()


def clip_argv(exe: str, out: Path, *, width: int, height: int, fps: float, duration: float, preset: str,
              crf: int, threads: int | None = None, audio: bool = False,
              metadata: dict[str, str] | None = None) -> list[str]:
    """ffmpeg reading raw RGB frames on stdin and writing H.264 (BT.709, limited range) with faststart."""
    # RGB -> BT.709 limited-range yuv420p, tagged as such (swscale would use BT.601 by default)
    vf = ("scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,"
          "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709")
    argv = [exe, "-hide_banner", "-nostdin", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-s", f"{width}x{height}", "-r", f"{fps:g}", "-protocol_whitelist", PIPE_ONLY["protocol_whitelist"],
            "-i", "pipe:0"]
    if audio:
        argv += ["-f", "lavfi", "-t", f"{duration:g}", "-i", "anullsrc=r=48000:cl=stereo"]
    argv += ["-vf", vf, "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-profile:v", "high",
             "-pix_fmt", "yuv420p"]
    if threads:
        argv += ["-threads", str(threads)]
    argv += ["-c:a", "aac", "-b:a", "64k"] if audio else ["-an"]
    for key, value in (metadata or {}).items():
        argv += ["-metadata", f"{key}={value}"]
    return [*argv, "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4", str(out)]


def make_photo_clip(
    image: Image.Image,
    out: Path,
    *,
    width: int = 1920,
    height: int = 1080,
    duration: float = 6.0,
    fps: float = 25,
    caption: str = "",
    credit: str = "",
    font_path: Path | str | None = None,
    template: Template | None = None,
    zoom: tuple[float, float] = (1.0, 1.12),
    ffmpeg_exe: str | Path | None = None,
    preset: str = "veryfast",
    crf: int = 20,
    threads: int | None = None,
    audio: bool = False,
    metadata: dict[str, str] | None = None,
    warp: Warp = "auto",
    timeout: float = 3600.0,
    cancel: threading.Event | None = None,
) -> PhotoClip:
    """Render the Ken Burns photo clip with its lower third to `out` (.mp4); returns what was made.

    `image` should come from `load_photo`. Width and height must be even (yuv420p). MoviePy's
    `VideoClip` makes the frames; they go to ffmpeg through videonews' runner (timeout, kill on
    error or `cancel`), with `metadata` as MP4 tags (title, artist, copyright...).
    `warp`: how each frame is resampled; "auto" uses OpenCV's warpAffine when
    opencv-python(-headless) is installed (about 3x faster at 1080p), else Pillow's resize.
    Raises FontError for a font lacking glyphs, FFmpegError when ffmpeg fails.
    """
    from moviepy import VideoClip

    from videonews.ffmpeg.runner import run

    if width % 2 or height % 2 or width <= 0 or height <= 0:
        raise ValueError(f"width and height must be positive and even for yuv420p, got {width}x{height}")
    if duration <= 0 or fps <= 0:
        raise ValueError("duration and fps must be positive")
    started = time.perf_counter()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    overlay = (render_lower_third(width, height, caption=caption, credit=credit, font_path=font_path,
                                  template=template)
               if (caption.strip() or credit.strip()) else None)
    kb = _KenBurns(image, width, height, duration, zoom, overlay, cv2=_opencv(warp))
    exe = _resolve_ffmpeg(ffmpeg_exe)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.part{out.suffix or '.mp4'}")
    clip = VideoClip(frame_function=kb, duration=duration)
    frames = (np.ascontiguousarray(f, dtype=np.uint8).tobytes() for f in clip.iter_frames(fps=fps, dtype="uint8"))
    try:
        run(clip_argv(exe, tmp, width=width, height=height, fps=fps, duration=duration, preset=preset, crf=crf,
                      threads=threads, audio=audio, metadata=metadata),
            stdin=frames, timeout=timeout, cancel=cancel, what="ffmpeg photo clip", path=out)
        os.replace(tmp, out)
    finally:
        clip.close()
        tmp.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    n = int(round(duration * fps))
    return PhotoClip(path=out, width=width, height=height, duration=duration, fps=fps, frames=n,
                     seconds=round(seconds, 3), render_fps=round(n / seconds, 2) if seconds > 0 else 0.0,
                     upscaled=kb.upscaled, warp="opencv" if kb.cv2 is not None else "pillow")
