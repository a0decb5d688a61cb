"""Content-aware crops: where is the subject, and which window of a given aspect keeps it whole.

Saliency (numpy only, on a ~256 px copy):
- spectral residual saliency (Hou & Zhang 2007) of the luma: what stands out from the
  image's average spectrum;
- gradient energy (Sobel magnitude): detail and edges;
- colour contrast: distance of each pixel's colour from the image's mean colour;
each normalised to [0, 1], blended, smoothed and thresholded at its median (a flat or
noisy background contributes nothing).

`content_crop_box` keeps the crop as large as the aspect allows (full width or full height)
and slides it along the free axis to maximise the saliency inside, minus a penalty for
saliency lying on the crop's edges (cutting a subject in half), with a mild pull towards
the centre so featureless photos crop centrally.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

WORK_SIDE = 256


def _box_blur(a: np.ndarray, r: int) -> np.ndarray:
    """Separable box blur with edge padding (radius r)."""
    if r <= 0:
        return a
    k = 2 * r + 1
    p = np.pad(a, r, mode="edge")
    c = np.cumsum(np.pad(p, ((1, 0), (0, 0))), axis=0)
    p = (c[k:] - c[:-k]) / k
    c = np.cumsum(np.pad(p, ((0, 0), (1, 0))), axis=1)
    return (c[:, k:] - c[:, :-k]) / k


def _norm(a: np.ndarray) -> np.ndarray:
    lo, hi = float(a.min()), float(a.max())
    if hi - lo < 1e-9:
        return np.zeros_like(a)
    return (a - lo) / (hi - lo)


def _spectral_residual(gray: np.ndarray) -> np.ndarray:
    """Spectral residual saliency on a 64 px-ish copy, returned at gray's size."""
    h, w = gray.shape
    s = 64 / max(h, w)
    small = np.asarray(Image.fromarray(gray.astype(np.float32)).resize(
        (max(8, round(w * s)), max(8, round(h * s))), Image.Resampling.BILINEAR))
    f = np.fft.fft2(small)
    log_amp = np.log(np.abs(f) + 1e-9)
    phase = np.angle(f)
    residual = log_amp - _box_blur(log_amp, 1)
    sal = np.abs(np.fft.ifft2(np.exp(residual + 1j * phase))) ** 2
    sal = _box_blur(sal, 2)
    return np.asarray(Image.fromarray(sal.astype(np.float32)).resize((w, h), Image.Resampling.BILINEAR))


def saliency_map(image: Image.Image, side: int = WORK_SIDE) -> tuple[np.ndarray, float]:
    """A saliency map in [0, 1] of a reduced copy, and the scale (map px per image px)."""
    rgb = image.convert("RGB")
    scale = min(1.0, side / max(rgb.size))
    size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
    small = rgb.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0) if scale < 1 else rgb
    arr = np.asarray(small, dtype=np.float32)
    gray = arr @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    h, w = gray.shape
    if h < 3 or w < 3 or float(arr.std()) < 1.0:  # tiny or flat: nothing stands out
        return np.zeros((h, w), np.float32), scale

    gx = np.zeros_like(gray)
    gy = np.zeros_like(gray)
    gx[:, 1:-1] = gray[:, 2:] - gray[:, :-2]
    gy[1:-1, :] = gray[2:, :] - gray[:-2, :]
    grad = _box_blur(np.hypot(gx, gy), 2)

    spectral = _spectral_residual(gray)

    mean = arr.reshape(-1, 3).mean(axis=0)
    colour = _box_blur(np.sqrt(((arr - mean) ** 2).sum(axis=2)), 2)

    sal = 0.4 * _norm(spectral) + 0.3 * _norm(grad) + 0.3 * _norm(colour)
    sal = _box_blur(sal, max(1, round(max(h, w) / 64)))
    sal = np.clip(sal - np.median(sal), 0, None)
    return _norm(sal).astype(np.float32), scale


def content_centre(image: Image.Image) -> tuple[float, float]:
    """The saliency-weighted centre of the image, in image pixels (image centre if featureless)."""
    sal, scale = saliency_map(image)
    total = float(sal.sum())
    if total <= 1e-6:
        return image.width / 2, image.height / 2
    ys, xs = np.indices(sal.shape)
    cx = float((xs * sal).sum() / total + 0.5) / scale
    cy = float((ys * sal).sum() / total + 0.5) / scale
    return min(max(cx, 0.0), image.width), min(max(cy, 0.0), image.height)


def _best_offset(profile: np.ndarray, window: int, edge_weight: float = 0.25,
                 centre_weight: float = 0.05) -> int:
    """Offset of the window (length `window` over `profile`) that keeps most saliency whole.

    score = share of saliency inside - edge_weight * saliency on the two cut lines (relative
    to the peak) - centre_weight * distance from the central position (relative).
    """
    n = len(profile)
    if window >= n:
        return 0
    c = np.concatenate([[0.0], np.cumsum(profile)])
    starts = np.arange(0, n - window + 1)
    inside = (c[starts + window] - c[starts]) / max(float(c[-1]), 1e-9)
    band = max(1, n // 32)  # saliency within a few samples of each cut line

    def band_mean(pos: np.ndarray) -> np.ndarray:
        lo = np.clip(pos - band, 0, n)
        hi = np.clip(pos + band, 0, n)
        return (c[hi] - c[lo]) / np.maximum(hi - lo, 1)

    edges = (band_mean(starts) + band_mean(starts + window)) / max(float(profile.max()), 1e-9)
    centre = (n - window) / 2
    score = inside - edge_weight * edges - centre_weight * np.abs(starts - centre) / max(centre, 1.0)
    return int(starts[int(np.argmax(score))])


def content_crop_box(image: Image.Image, aspect: float) -> tuple[int, int, int, int]:
    """The largest (left, top, right, bottom) box of `aspect` (w/h) that keeps the subject whole."""
    if aspect <= 0:
        raise ValueError(f"aspect must be positive, got {aspect}")
    W, H = image.size
    if W / H > aspect:  # too wide: full height, slide horizontally
        cw, ch = min(W, max(1, round(H * aspect))), H
    else:  # too tall: full width, slide vertically
        cw, ch = W, min(H, max(1, round(W / aspect)))
    if cw == W and ch == H:
        return (0, 0, W, H)
    sal, scale = saliency_map(image)
    if float(sal.sum()) <= 1e-6:  # featureless: centre crop
        left, top = (W - cw) // 2, (H - ch) // 2
        return (left, top, left + cw, top + ch)
    if cw < W:
        profile = sal.sum(axis=0).astype(np.float64)
        win = min(len(profile), max(1, round(cw * scale)))
        off = _best_offset(profile, win)
        left = round((off + win / 2) / scale - cw / 2) if win < len(profile) else (W - cw) // 2
        left = min(max(0, left), W - cw)
        return (left, 0, left + cw, H)
    profile = sal.sum(axis=1).astype(np.float64)
    win = min(len(profile), max(1, round(ch * scale)))
    off = _best_offset(profile, win)
    top = round((off + win / 2) / scale - ch / 2) if win < len(profile) else (H - ch) // 2
    top = min(max(0, top), H - ch)
    return (0, top, W, top + ch)
