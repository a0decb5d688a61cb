"""Poster frame scoring and picking, near-duplicates, contact sheet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from videonews.images import contact_sheet, format_timecode, near_duplicate, pick_posters, score_frame


def sharp_frame(seed: int = 0, w: int = 320, h: int = 180) -> Image.Image:
    """A colourful, detailed, well-exposed frame: shapes over texture."""
    rng = np.random.default_rng(seed)
    base = rng.normal(110, 35, (h // 6, w // 6, 3)).clip(0, 255).astype(np.uint8)
    im = Image.fromarray(base).resize((w, h), Image.Resampling.NEAREST)
    d = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = int(rng.integers(0, w - 40)), int(rng.integers(0, h - 30))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        d.rectangle((x, y, x + int(rng.integers(10, 40)), y + int(rng.integers(8, 30))), fill=colour)
    return im


def test_score_flags_black_faded_blurred_and_likes_sharp() -> None:
    sharp = score_frame(sharp_frame())
    assert not sharp.black and sharp.reasons == []
    assert sharp.sharpness > 200 and sharp.colourfulness > 20 and sharp.detail > 4

    black = score_frame(Image.new("RGB", (320, 180), (6, 6, 8)))
    assert black.black and black.score == 0 and "black" in black.reasons

    arr = np.asarray(sharp_frame(), dtype=np.float32)
    faded_arr = (arr - arr.mean()) * 0.15 + 30  # dim and flat: fading to black
    faded = score_frame(faded_arr.clip(0, 255).astype(np.uint8))
    assert not faded.black and "faded" in faded.reasons

    blurred = score_frame(sharp_frame().filter(ImageFilter.GaussianBlur(4)))
    assert "blurred" in blurred.reasons
    assert sharp.score > blurred.score > 0
    assert sharp.score > faded.score


def test_score_accepts_ndarray_and_large_frames() -> None:
    big = sharp_frame(w=1280, h=720)
    a = score_frame(big)
    b = score_frame(np.asarray(big))
    assert a.score == pytest.approx(b.score, abs=0.02)


def test_pick_posters_rejects_bad_frames_and_picks_the_sharp_one() -> None:
    sharp = sharp_frame(1)
    frames = [
        (1.0, Image.new("RGB", (320, 180), (0, 0, 0))),
        (2.0, sharp.filter(ImageFilter.GaussianBlur(5))),
        (3.0, Image.fromarray(((np.asarray(sharp, np.float32) - 110) * 0.1 + 120).astype(np.uint8))),
        (4.0, sharp),
        (5.0, sharp_frame(2)),  # fine, but 0.2 s from a cut
        (6.0, Image.new("RGB", (320, 180), (3, 3, 3))),
    ]
    picks = pick_posters(frames, shots=[5.2], duration=7.0, top=5)
    assert [p.time for p in picks] == [4.0]
    assert "sharp" in picks[0].reasons


def test_pick_posters_drops_near_duplicates_and_orders_by_score() -> None:
    a = sharp_frame(10)
    rng = np.random.default_rng(0)
    a_noisy = Image.fromarray((np.asarray(a, np.int16) + rng.integers(-3, 4, (180, 320, 3))).clip(0, 255)
                              .astype(np.uint8))
    assert near_duplicate(a, a_noisy)
    assert not near_duplicate(a, sharp_frame(11))
    frames = [(2.0, a), (4.0, a_noisy), (6.0, sharp_frame(11)), (8.0, sharp_frame(12))]
    picks = pick_posters(frames, shots=[], duration=10.0, top=5)
    times = [p.time for p in picks]
    assert len(picks) == 3 and (2.0 in times) != (4.0 in times)
    assert [p.score for p in picks] == sorted((p.score for p in picks), reverse=True)
    assert len(pick_posters(frames, shots=[], duration=10.0, top=2)) == 2


def test_pick_posters_rejects_mid_dissolve() -> None:
    a, b = sharp_frame(20), sharp_frame(21)
    mid = Image.blend(a, b, 0.5)
    frames = [(1.0, a), (1.5, mid), (2.0, b)]
    picks = pick_posters(frames, shots=[], duration=10.0)
    assert 1.5 not in [p.time for p in picks] and len(picks) == 2


def test_pick_posters_fallback_when_everything_is_rejected() -> None:
    soft = sharp_frame(3).filter(ImageFilter.GaussianBlur(6))
    picks = pick_posters([(1.0, Image.new("RGB", (320, 180))), (2.0, soft)], shots=[], duration=5.0)
    assert [p.time for p in picks] == [2.0] and picks[0].reasons[0].startswith("fallback:") and "blurred" in picks[0].reasons[0]
    assert pick_posters([(1.0, Image.new("RGB", (32, 18)))], shots=[], duration=5.0) == []
    assert pick_posters([], shots=[], duration=5.0) == []


def test_timecodes() -> None:
    assert format_timecode(65.4321) == "01:05.432"
    assert format_timecode(3725.5) == "01:02:05.500"
    assert format_timecode(5.0, hours=True) == "00:00:05.000"


def test_contact_sheet_dimensions(tmp_path: Path, font_path: Path | None) -> None:
    frames = [(i * 1.5, sharp_frame(i, w=160, h=90)) for i in range(10)]
    out = tmp_path / "sheet.jpg"
    size = contact_sheet(frames, out, columns=4, width=1280, title="Wuzhen summit", font_path=font_path)
    with Image.open(out) as im:
        assert im.size == size and im.format == "JPEG"
    assert size[0] == 1280
    pad = 1280 // 160
    tile_h = round((1280 - pad * 5) // 4 * 9 / 16)
    assert size[1] > 3 * tile_h  # three rows of 16:9 tiles plus labels and title
    untitled = contact_sheet(frames, tmp_path / "s2.png", columns=4, width=1280, title=None)
    assert untitled[0] == 1280 and size[1] > untitled[1]
    with Image.open(tmp_path / "s2.png") as im:
        assert im.size == untitled
    # ndarray frames and the default font
    one = contact_sheet([(0.0, np.asarray(sharp_frame()))], tmp_path / "one.webp", columns=4, width=640)
    assert one[0] == 640
