"""Faces: where the people are, so posters and every crop keep them (with headroom).

OpenCV's frontal-face Haar cascade ships inside the `opencv-python-headless` wheel (`cv2.data`): no
download, ~10 ms on a 480 px frame. It finds upright frontal faces (the speaker at a podium, an
interviewee); backs of heads and profiles are not faces, which is what a poster wants.

    detect_faces(image) -> [Face(x, y, w, h, ...)]   # image pixels, largest first
    subject_crop_box(image, aspect)                  # a face inside with headroom, else saliency
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from videonews.images.crop import content_crop_box

DETECT_WIDTH = 400  # faces are found on a copy this wide (or the image, when smaller): ~30 ms
MIN_FACE = 0.06  # of the detection copy's width: smaller faces are crowd, not subject
_LOCK = threading.Lock()  # a CascadeClassifier is not safe to share between threads


@dataclass(frozen=True)
class Face:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@functools.lru_cache(maxsize=1)
def _cascade() -> Any:
    import cv2

    path = str(cv2.data.haarcascades) + "haarcascade_frontalface_default.xml"  # type: ignore[attr-defined]
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():  # pragma: no cover - the wheel ships it
        raise RuntimeError(f"OpenCV face cascade missing: {path}")
    return cascade


def detect_faces(image: Image.Image, *, min_face: float = MIN_FACE) -> list[Face]:
    """Upright frontal faces, in the image's pixels, largest first."""
    import cv2

    scale = min(1.0, DETECT_WIDTH / max(1, image.width))
    small = image if scale == 1.0 else image.resize((max(1, round(image.width * scale)),
                                                     max(1, round(image.height * scale))), Image.Resampling.BILINEAR)
    gray = np.asarray(small.convert("L"))
    gray = cv2.equalizeHist(gray)
    side = max(20, round(min_face * small.width))
    with _LOCK:
        found = _cascade().detectMultiScale(gray, scaleFactor=1.1, minNeighbors=4, minSize=(side, side))
    faces = [Face(float(x) / scale, float(y) / scale, float(w) / scale, float(h) / scale)
             for (x, y, w, h) in (found if len(found) else [])]
    return sorted(faces, key=lambda f: -f.w * f.h)


def subject_box(faces: list[Face]) -> tuple[float, float, float, float] | None:
    """The box around the largest face and the faces nearly as large (a two-shot), with headroom above
    (half a face) and the shoulders below (a face)."""
    if not faces:
        return None
    big = faces[0].w * faces[0].h
    keep = [f for f in faces if f.w * f.h >= 0.5 * big]
    left = min(f.x for f in keep)
    right = max(f.x + f.w for f in keep)
    top = min(f.y - 0.5 * f.h for f in keep)
    bottom = max(f.y + 2.0 * f.h for f in keep)
    return left, top, right, bottom


def _place(lo: float, hi: float, size: int, limit: int, prefer: float) -> int:
    """Start of a window of `size` in [0, limit] covering [lo, hi] when it can, else centred on `prefer`."""
    if hi - lo <= size:
        start = min(max(lo - (size - (hi - lo)) / 2, 0), limit - size)
        start = min(start, lo)  # never cut the subject's start
        start = max(start, hi - size)
    else:
        start = prefer - size / 2
    return int(round(min(max(start, 0), limit - size)))


def subject_crop_box(image: Image.Image, aspect: float, faces: list[Face] | None = None) -> tuple[int, int, int, int]:
    """The largest box of `aspect` that keeps the faces whole with headroom; saliency when there is none."""
    faces = detect_faces(image) if faces is None else faces
    box = subject_box(faces)
    if box is None:
        return content_crop_box(image, aspect)
    W, H = image.size
    if W / H > aspect:
        cw, ch = min(W, max(1, round(H * aspect))), H
    else:
        cw, ch = W, min(H, max(1, round(W / aspect)))
    left, top, right, bottom = box
    x = _place(left, right, cw, W, faces[0].cx)
    # vertically: the eyes near the upper third of the crop, never the chin cut
    y = _place(top, bottom, ch, H, faces[0].cy + 0.2 * ch) if ch < H else 0
    return (x, y, x + cw, y + ch)


def skin_heads(image: Image.Image, *, min_share: float = 0.0008) -> list[Face]:
    """Face-shaped regions of skin tone (YCrCb), largest first: a weaker hint than `detect_faces`, for
    framing a shot where no frontal face is found (a small or drawn face, a face turned aside). A blob
    counts when it is taller than wide (1.0-2.2) and covers at least `min_share` of the frame."""
    import cv2

    scale = min(1.0, DETECT_WIDTH / max(1, image.width))
    small = image if scale == 1.0 else image.resize((max(1, round(image.width * scale)),
                                                     max(1, round(image.height * scale))), Image.Resampling.BILINEAR)
    ycc = cv2.cvtColor(np.asarray(small.convert("RGB")), cv2.COLOR_RGB2YCrCb)
    y, cr, cb = ycc[..., 0], ycc[..., 1], ycc[..., 2]
    mask = ((cr >= 138) & (cr <= 173) & (cb >= 77) & (cb <= 127) & (y > 60)).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    area_min = min_share * small.width * small.height
    out = []
    for i in range(1, n):
        x, yy, w, h, area = (int(v) for v in stats[i])
        if area >= area_min and 1.0 <= h / max(1, w) <= 2.2 and area >= 0.5 * w * h:
            out.append(Face(x / scale, yy / scale, w / scale, h / scale))
    return sorted(out, key=lambda f: -f.w * f.h)
