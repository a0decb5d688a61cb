"""Poster frames from the video: score small candidate frames, pick the best, draw a contact sheet.

Candidates are small frames (about 320 px wide) from the lead's ffmpeg graph. Everything
is numpy on a <= 320 px greyscale copy, so a frame costs well under a millisecond or two.

Scores (per frame):
- mean_luma (0-255), contrast (std of luma),
- sharpness: variance of the 4-neighbour Laplacian,
- colourfulness: Hasler & Suesstrunk (2003), sqrt(std_rg^2 + std_yb^2) + 0.3 sqrt(mean_rg^2 + mean_yb^2),
- detail: Shannon entropy of the 64-bin luma histogram, in bits (0-6),
- score in [0, 1]: a weighted blend of the above, times penalties for the `reasons`.

`pick_posters` rejects black, faded, over-exposed and blurred frames, frames within 0.5 s
of a shot change (or of the start/end), and mid-dissolve frames (much softer than their
neighbours, or a near-exact cross-fade of the frames before and after); it then drops near-duplicates (64-bit difference hash within 6 bits, or a
16x16 thumbnail differing by less than 4 grey levels on average) and returns the top N.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from pydantic import BaseModel, ConfigDict, Field

from videonews.images.photo import srgb_icc_bytes

SCORE_WIDTH = 320

# thresholds on a <= 320 px wide frame
BLACK_LUMA = 24.0  # mean luma below this, with few bright pixels: black
FADED_CONTRAST = 16.0  # std of luma below this: faded / flat
DARK_LUMA = 40.0  # mean luma below this (and low contrast): faded to black
BRIGHT_LUMA = 225.0  # mean luma above this (and low contrast): washed out
BLUR_SHARPNESS = 40.0  # variance of Laplacian below this: blurred
DISSOLVE_RATIO = 0.45  # sharpness below this share of the neighbours' median: mid-dissolve
SHOT_GUARD_S = 0.5

FrameLike = Image.Image | np.ndarray


class FrameScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    black: bool
    mean_luma: float
    contrast: float
    sharpness: float
    colourfulness: float
    detail: float
    score: float
    reasons: list[str] = Field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.reasons)


class PosterCandidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time: float
    score: float
    reasons: list[str] = Field(default_factory=list)  # why it is good, or "fallback: ..." why not


def _rgb_array(img: FrameLike, width: int = SCORE_WIDTH) -> np.ndarray:
    """H x W x 3 float32 RGB, downscaled to at most `width` px wide."""
    if isinstance(img, np.ndarray):
        arr = img
        if arr.ndim == 2:
            arr = np.stack([arr] * 3, axis=-1)
        if arr.shape[-1] == 4:
            arr = arr[..., :3]
        if arr.shape[1] > width:
            im = Image.fromarray(np.ascontiguousarray(arr.astype(np.uint8)))
            arr = _rgb_array(im, width)
        return arr.astype(np.float32, copy=False)
    im = img if img.mode == "RGB" else img.convert("RGB")
    if im.width > width:
        im = im.resize((width, max(1, round(im.height * width / im.width))), Image.Resampling.BILINEAR,
                       reducing_gap=2.0)
    return np.asarray(im, dtype=np.float32)


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


def score_frame(img: FrameLike) -> FrameScore:
    """Exposure, contrast, sharpness, colourfulness and detail of one frame, and a [0, 1] score."""
    rgb = _rgb_array(img)
    y = _luma(rgb)
    mean = float(y.mean())
    contrast = float(y.std())
    if y.shape[0] >= 3 and y.shape[1] >= 3:
        lap = (y[:-2, 1:-1] + y[2:, 1:-1] + y[1:-1, :-2] + y[1:-1, 2:] - 4 * y[1:-1, 1:-1])
        sharpness = float(lap.var())
    else:
        sharpness = 0.0
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    rg = r - g
    yb = 0.5 * (r + g) - b
    colourfulness = float(math.hypot(rg.std(), yb.std()) + 0.3 * math.hypot(rg.mean(), yb.mean()))
    hist = np.bincount(np.clip(y, 0, 255).astype(np.uint8).ravel() >> 2, minlength=64).astype(np.float64)
    p = hist[hist > 0] / hist.sum()
    detail = float(-(p * np.log2(p)).sum())

    bright_share = float((y > 64).mean())
    black = mean < BLACK_LUMA and bright_share < 0.02
    reasons: list[str] = []
    if black:
        reasons.append("black")
    elif contrast < FADED_CONTRAST or (mean < DARK_LUMA and contrast < 2 * FADED_CONTRAST):
        reasons.append("faded")
    elif mean > BRIGHT_LUMA and contrast < 2 * FADED_CONTRAST:
        reasons.append("washed out")
    if not black and sharpness < BLUR_SHARPNESS:
        reasons.append("blurred")

    exposure = max(0.0, 1.0 - abs(mean - 118.0) / 118.0)
    s = (0.30 * min(1.0, math.log1p(sharpness) / math.log1p(2000.0))
         + 0.20 * exposure
         + 0.20 * min(1.0, contrast / 64.0)
         + 0.15 * min(1.0, colourfulness / 80.0)
         + 0.15 * min(1.0, detail / 6.0))
    if black:
        s = 0.0
    else:
        s *= 0.3 ** len(reasons)
    return FrameScore(black=black, mean_luma=mean, contrast=contrast, sharpness=sharpness,
                      colourfulness=colourfulness, detail=detail, score=round(s, 4), reasons=reasons)


def dhash(img: FrameLike) -> int:
    """64-bit difference hash (9x8 greyscale, left > right)."""
    im = img if isinstance(img, Image.Image) else Image.fromarray(np.asarray(img, dtype=np.uint8))
    small = np.asarray(im.convert("L").resize((9, 8), Image.Resampling.BILINEAR, reducing_gap=2.0),
                       dtype=np.int16)
    bits = (small[:, 1:] > small[:, :-1]).ravel()
    return int(sum(1 << i for i, bit in enumerate(bits) if bit))


def _thumb(img: FrameLike, size: tuple[int, int] = (16, 16)) -> np.ndarray:
    im = img if isinstance(img, Image.Image) else Image.fromarray(np.asarray(img, dtype=np.uint8))
    return np.asarray(im.convert("RGB").resize(size, Image.Resampling.BOX, reducing_gap=2.0),
                      dtype=np.float32)


def _is_blend(prev: np.ndarray, cur: np.ndarray, nxt: np.ndarray) -> bool:
    """True when `cur` looks like a cross-fade between two clearly different neighbours.

    Fits cur ~ a*prev + (1-a)*nxt by least squares; a mid-dissolve has 0.2 < a < 0.8 and a
    small residual compared with the difference between the neighbours.
    """
    d = prev - nxt
    span = float(np.sqrt((d * d).mean()))
    if span < 20.0:  # neighbours alike: no transition to be in the middle of
        return False
    a = float(((cur - nxt) * d).sum() / max(float((d * d).sum()), 1e-9))
    if not 0.2 < a < 0.8:
        return False
    resid = cur - (a * prev + (1 - a) * nxt)
    return float(np.sqrt((resid * resid).mean())) < 0.3 * span


def _signature(img: FrameLike) -> tuple[int, np.ndarray]:
    return dhash(img), _thumb(img).mean(axis=2)


def _same(sa: tuple[int, np.ndarray], sb: tuple[int, np.ndarray], max_bits: int, max_diff: float) -> bool:
    if bin(sa[0] ^ sb[0]).count("1") <= max_bits:
        return True
    return float(np.abs(sa[1] - sb[1]).mean()) < max_diff


def near_duplicate(a: FrameLike, b: FrameLike, *, max_bits: int = 6, max_diff: float = 4.0) -> bool:
    """True when two frames look the same (dHash within max_bits, or 16x16 mean diff < max_diff)."""
    return _same(_signature(a), _signature(b), max_bits, max_diff)


def _good_reasons(fs: FrameScore) -> list[str]:
    out = []
    if fs.sharpness >= 4 * BLUR_SHARPNESS:
        out.append("sharp")
    if 60 <= fs.mean_luma <= 190 and fs.contrast >= 40:
        out.append("well exposed")
    if fs.colourfulness >= 40:
        out.append("colourful")
    if fs.detail >= 5.0:
        out.append("detailed")
    return out


FACE_WEIGHT = 0.3  # a clear face is worth as much as sharpness: a speaker beats the backs of a crowd's heads
SOUNDBITE_TERM = 0.6  # a frame inside a named speaker's soundbite counts as a face of 0.6% of the frame
FACE_FRAMES = 6  # faces are looked for on the best-scoring usable frames only (~30 ms each)


def _face_terms(items: Sequence[tuple[float, FrameLike]], scores: Sequence[FrameScore],
                rejected: Sequence[list[str]]) -> dict[int, float]:
    """0..1 per frame: how much of it a frontal face fills (a face of 1% of the frame counts fully)."""
    from videonews.images.faces import detect_faces

    usable = sorted((i for i in range(len(items)) if not rejected[i]), key=lambda i: -scores[i].score)[:FACE_FRAMES]
    out: dict[int, float] = {}
    for i in usable:
        f = items[i][1]
        im = f if isinstance(f, Image.Image) else Image.fromarray(np.asarray(f, dtype=np.uint8))
        found = detect_faces(im)
        if found:
            share = sum(x.w * x.h for x in found[:3]) / float(im.width * im.height)
            out[i] = min(1.0, share / 0.01)
    return out


def _with_subjects(items: Sequence[tuple[float, FrameLike]], scores: list[FrameScore], rejected: list[list[str]], *,
                   faces: bool, soundbites: Sequence[tuple[float, float]]
                   ) -> tuple[list[FrameScore], dict[int, list[str]]]:
    """Scores weighted for a visible subject (faces; a named speaker's soundbite) and the reasons why."""
    terms = _face_terms(items, scores, rejected) if faces else {}
    reasons = {i: ["face"] for i in terms}
    for i, (t, _) in enumerate(items):
        if any(a <= t <= b for a, b in soundbites):  # the person is on camera: a weaker hint than a face
            terms[i] = max(terms.get(i, 0.0), SOUNDBITE_TERM)
            reasons[i] = [*reasons.get(i, []), "speaker on camera"]
    if not terms:
        return scores, reasons
    weighted = [fs.model_copy(update={"score": round((1 - FACE_WEIGHT) * fs.score + FACE_WEIGHT * terms.get(i, 0.0), 4)})
                for i, fs in enumerate(scores)]
    return weighted, reasons


def pick_posters(
    frames: Sequence[tuple[float, FrameLike]],
    *,
    shots: Sequence[float],
    duration: float,
    top: int = 5,
    guard: float = SHOT_GUARD_S,
    fallback: bool = True,
    faces: bool = True,
    soundbites: Sequence[tuple[float, float]] = (),
) -> list[PosterCandidate]:
    """The best `top` distinct poster frames, best first.

    A visible frontal face weighs 0.3 of the score (a face of 1% of the frame or more counts fully); a frame
    inside one of `soundbites` (a named speaker's soundbite: the person is on camera) counts as 0.6 of
    that. If every frame is rejected and `fallback` is set, the best non-black frames are returned
    anyway with "fallback: <why rejected>" reasons, so there is always something to review.
    """
    items = sorted(((float(t), f) for t, f in frames), key=lambda x: x[0])
    if not items:
        return []
    scores = [score_frame(f) for _, f in items]
    thumbs = [_thumb(f, (32, 18)) for _, f in items]
    shots_arr = np.asarray(sorted(float(s) for s in shots), dtype=np.float64)

    rejected: list[list[str]] = []
    for i, ((t, _), fs) in enumerate(zip(items, scores, strict=True)):
        why = list(fs.reasons)
        if shots_arr.size and float(np.min(np.abs(shots_arr - t))) < guard:
            why.append("near shot change")
        if t < guard or (duration > 0 and t > duration - guard):
            why.append("at start/end")
        neigh = [scores[j].sharpness for j in (i - 2, i - 1, i + 1, i + 2)
                 if 0 <= j < len(items) and not scores[j].black]
        if not fs.black and "blurred" not in why:
            softer = len(neigh) >= 2 and fs.sharpness < DISSOLVE_RATIO * float(np.median(neigh))
            # a cross-fade of the neighbours that is also softer than them (a pan is not)
            blend = (0 < i < len(items) - 1
                     and fs.sharpness < 0.8 * max(scores[i - 1].sharpness, scores[i + 1].sharpness)
                     and _is_blend(thumbs[i - 1], thumbs[i], thumbs[i + 1]))
            if softer or blend:
                why.append("mid-dissolve")
        rejected.append(why)

    scores, subject = _with_subjects(items, scores, rejected, faces=faces, soundbites=soundbites)
    order = sorted(range(len(items)), key=lambda i: -scores[i].score)
    accepted = [i for i in order if not rejected[i]]
    if not accepted and fallback:
        accepted = [i for i in order if not scores[i].black]
        if not accepted:
            return []
        use_fallback = True
    else:
        use_fallback = False

    chosen: list[int] = []
    sigs: dict[int, tuple[int, np.ndarray]] = {}
    for i in accepted:
        if len(chosen) >= top:
            break
        sigs[i] = _signature(items[i][1])
        if any(_same(sigs[i], sigs[j], 6, 4.0) for j in chosen):
            continue
        chosen.append(i)

    out = []
    for i in chosen:
        reasons = ([f"fallback: {', '.join(rejected[i])}"] if use_fallback else []) + _good_reasons(scores[i])
        reasons[:0] = subject.get(i, [])
        out.append(PosterCandidate(time=items[i][0], score=scores[i].score, reasons=reasons))
    return out


# ---------------------------------------------------------------- contact sheet

def format_timecode(t: float, *, hours: bool = False) -> str:
    """MM:SS.mmm, or HH:MM:SS.mmm when `hours` (or t >= 1 h)."""
    ms = max(0, round(t * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    if hours or h:
        return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"
    return f"{m:02d}:{s:02d}.{ms:03d}"


def load_font(font_path: Path | str | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A TTF at `size`, or Pillow's default font (scalable since Pillow 10.1)."""
    if font_path:
        return ImageFont.truetype(str(font_path), size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def contact_sheet(
    frames: Sequence[tuple[float, FrameLike]],
    out: Path,
    *,
    columns: int = 4,
    width: int = 1280,
    title: str | None = None,
    font_path: Path | str | None = None,
    quality: int = 85,
) -> tuple[int, int]:
    """Tile frames (in the order given) with their timecodes underneath; returns (width, height).

    The format follows `out`'s suffix (.jpg/.jpeg, .png, .webp). Tiles keep the first
    frame's aspect (up to twice as tall as wide); other frames are letterboxed into it.
    """
    if not frames:
        raise ValueError("contact_sheet needs at least one frame")
    columns = max(1, min(columns, len(frames)))
    pad = max(4, width // 160)
    tile_w = (width - pad * (columns + 1)) // columns
    first = frames[0][1]
    fw, fh = (first.width, first.height) if isinstance(first, Image.Image) else (first.shape[1], first.shape[0])
    # at most twice as tall as wide: a 96x4352 frame is letterboxed, not a sheet past JPEG's 65,500 px
    tile_h = max(1, min(round(tile_w * fh / fw), 2 * tile_w))
    label_size = max(10, tile_w // 14)
    font = load_font(font_path, label_size)
    label_h = label_size + pad
    title_size = max(12, width // 48)
    title_font = load_font(font_path, title_size) if title else None
    title_h = title_size + 2 * pad if title else 0
    rows = math.ceil(len(frames) / columns)
    height = title_h + pad + rows * (tile_h + label_h + pad)

    sheet = Image.new("RGB", (width, height), (24, 24, 24))
    draw = ImageDraw.Draw(sheet)
    if title and title_font is not None:
        shown = title
        while len(shown) > 1 and draw.textlength(shown, font=title_font) > width - 2 * pad:
            shown = shown[:-2].rstrip() + "…"
        draw.text((pad, pad), shown, font=title_font, fill=(240, 240, 240))
    use_hours = max(t for t, _ in frames) >= 3600
    for k, (t, f) in enumerate(frames):
        im = f if isinstance(f, Image.Image) else Image.fromarray(np.asarray(f, dtype=np.uint8))
        im = im.convert("RGB")
        r, c = divmod(k, columns)
        x = pad + c * (tile_w + pad)
        y = title_h + pad + r * (tile_h + label_h + pad)
        fitted = im.copy()
        fitted.thumbnail((tile_w, tile_h), Image.Resampling.BILINEAR, reducing_gap=2.0)
        if fitted.size != (tile_w, tile_h) and (im.width < tile_w or im.height < tile_h):
            s = min(tile_w / im.width, tile_h / im.height)
            fitted = im.resize((max(1, round(im.width * s)), max(1, round(im.height * s))),
                               Image.Resampling.BILINEAR)
        sheet.paste(fitted, (x + (tile_w - fitted.width) // 2, y + (tile_h - fitted.height) // 2))
        label = format_timecode(t, hours=use_hours)
        tw = draw.textlength(label, font=font)
        draw.text((x + (tile_w - tw) / 2, y + tile_h + pad // 2), label, font=font, fill=(230, 230, 230))

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    suffix = out.suffix.lower()
    icc = srgb_icc_bytes()
    if suffix == ".png":
        sheet.save(out, "PNG", compress_level=3, icc_profile=icc)
    elif suffix == ".webp":
        sheet.save(out, "WEBP", quality=82, icc_profile=icc)
    else:
        sheet.save(out, "JPEG", quality=quality, optimize=True, progressive=True, icc_profile=icc)
    return sheet.size
