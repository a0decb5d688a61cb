"""Fixtures for the images tests: generated pictures, a font, ffmpeg, a wide-gamut ICC profile."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="session")
def font_path() -> Path | None:
    return DEJAVU if DEJAVU.is_file() else None


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def textured(w: int, h: int, *, seed: int = 0, mean: float = 90, spread: float = 25) -> Image.Image:
    """A photo-like background: smooth blotches plus fine texture."""
    rng = np.random.default_rng(seed)
    coarse = rng.normal(0, 1, (max(2, h // 40), max(2, w // 40), 3))
    coarse_im = Image.fromarray(((coarse * 30) + 128).clip(0, 255).astype(np.uint8)).resize(
        (w, h), Image.Resampling.BICUBIC)
    amp = int(spread * 0.7)
    fine = rng.integers(-amp, amp + 1, (h, w, 3), dtype=np.int16)
    arr = np.asarray(coarse_im, dtype=np.int16) + (int(mean) - 128) + fine
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


@pytest.fixture(scope="session")
def make_textured() -> Callable[..., Image.Image]:
    return textured


@pytest.fixture
def make_scene() -> Callable[..., Image.Image]:
    """A textured picture with a bright disc (the subject) at (cx, cy), radius r."""

    def make(w: int, h: int, cx: int, cy: int, r: int, seed: int = 0) -> Image.Image:
        im = textured(w, h, seed=seed)
        d = ImageDraw.Draw(im)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(245, 205, 70))
        d.ellipse((cx - r // 3, cy - r // 3, cx, cy), fill=(120, 40, 30))
        return im

    return make


def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def matrix_icc(description: str, red: tuple[float, float, float], green: tuple[float, float, float],
               blue: tuple[float, float, float], gamma: float = 2.2) -> bytes:
    """A minimal ICC v2 RGB matrix/TRC display profile (colorants D50-adapted)."""
    def xyz(v: tuple[float, float, float]) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(_s15(c) for c in v)

    asc = description.encode("ascii") + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(asc)) + asc + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    tags = [(b"desc", desc), (b"wtpt", xyz((0.9642, 1.0, 0.8249))), (b"rXYZ", xyz(red)),
            (b"gXYZ", xyz(green)), (b"bXYZ", xyz(blue)), (b"rTRC", curve), (b"gTRC", curve),
            (b"bTRC", curve), (b"cprt", b"text\0\0\0\0public domain\0")]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        while (offset + len(data)) % 4:
            data += b"\0"
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    body = struct.pack(">I", len(tags)) + table + data
    size = 128 + len(body)
    header = (struct.pack(">I", size) + b"\0\0\0\0" + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 4 + b"\0" * 4 + b"\0" * 8
              + b"\0" * 8 + b"\0" * 4 + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 4 + b"\0" * 44)
    assert len(header) == 128
    return header + body


@pytest.fixture(scope="session")
def display_p3_icc() -> bytes:
    return matrix_icc("Display P3 (test)", (0.5151, 0.2412, -0.0011), (0.2920, 0.6922, 0.0419),
                      (0.1571, 0.0666, 0.7841))
