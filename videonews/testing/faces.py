"""A synthetic frontal face that OpenCV's Haar cascade detects: for tests of face-aware posters and crops."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter


def face_image(width: int = 1280, height: int = 720, *, cx: float = 1000, cy: float = 300, r: float = 90,
               background: tuple[int, int, int] = (70, 80, 95)) -> Image.Image:
    """A head and shoulders: face of radius `r` centred at (cx, cy) (eyes, brows, nose bridge, mouth, hair)."""
    im = Image.new("RGB", (width, height), background)
    d = ImageDraw.Draw(im)
    d.rectangle((cx - 0.45 * r, cy + 1.0 * r, cx + 0.45 * r, cy + 1.8 * r), fill=(200, 160, 130))  # neck
    d.ellipse((cx - 2.2 * r, cy + 1.6 * r, cx + 2.2 * r, cy + 4.5 * r), fill=(30, 35, 60))  # shoulders
    d.ellipse((cx - 1.08 * r, cy - 1.45 * r, cx + 1.08 * r, cy + 0.6 * r), fill=(35, 25, 20))  # hair
    d.ellipse((cx - r, cy - 1.2 * r, cx + r, cy + 1.25 * r), fill=(230, 190, 160))
    d.rectangle((cx - 0.95 * r, cy - 1.25 * r, cx + 0.95 * r, cy - 0.75 * r), fill=(35, 25, 20))  # fringe
    for s in (-1, 1):
        ex, ey = cx + s * 0.42 * r, cy - 0.2 * r
        d.ellipse((ex - 0.3 * r, ey - 0.15 * r, ex + 0.3 * r, ey + 0.15 * r), fill=(60, 40, 35))  # socket
        d.ellipse((ex - 0.12 * r, ey - 0.09 * r, ex + 0.12 * r, ey + 0.09 * r), fill=(20, 15, 15))  # pupil
        d.rectangle((ex - 0.33 * r, ey - 0.38 * r, ex + 0.33 * r, ey - 0.27 * r), fill=(50, 35, 25))  # brow
    d.rectangle((cx - 0.1 * r, cy - 0.3 * r, cx + 0.1 * r, cy + 0.35 * r), fill=(245, 210, 180))  # bridge
    d.ellipse((cx - 0.22 * r, cy + 0.28 * r, cx + 0.22 * r, cy + 0.45 * r), fill=(170, 120, 100))
    d.ellipse((cx - 0.4 * r, cy + 0.6 * r, cx + 0.4 * r, cy + 0.8 * r), fill=(140, 60, 60))  # mouth
    return im.filter(ImageFilter.GaussianBlur(max(1.0, r / 40)))


def crowd_image(width: int = 1280, height: int = 720, *, seed: int = 1) -> Image.Image:
    """Backs of heads in rows, sharp and colourful: what a poster chooser must not prefer to a face."""
    import numpy as np

    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (width, height), (20, 30, 80))
    d = ImageDraw.Draw(im)
    for row in range(6):
        y = height * (0.35 + 0.11 * row)
        rr = width * (0.02 + 0.006 * row)
        for x in np.arange(rr, width, 2.3 * rr):
            tone = int(rng.integers(15, 70))
            d.ellipse((x - rr, y - 1.2 * rr, x + rr, y + 1.2 * rr), fill=(tone, tone - 5 if tone > 5 else 0, tone))
            d.rectangle((x - 1.3 * rr, y + rr, x + 1.3 * rr, y + 3 * rr),
                        fill=tuple(int(v) for v in rng.integers(40, 220, 3)))
    for x in range(0, width, 40):  # a bright stage screen full of detail
        d.line((x, 0, x + 200, height * 0.3), fill=(90, 160, 255), width=2)
    return im
