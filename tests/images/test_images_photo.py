"""load_photo: orientation, colour, alpha, odd modes, size limits, bombs and broken files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from videonews.errors import MediaError
from videonews.images import load_photo


def _exif_orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def test_exif_orientation_6_comes_out_upright(tmp_path: Path) -> None:
    # stored sideways as a camera does: 200x100, left half red, right half blue;
    # orientation 6 = rotate 90 degrees clockwise to display -> 100x200, red on top
    stored = Image.new("RGB", (200, 100), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 100, 100))
    path = tmp_path / "phone.jpg"
    stored.save(path, quality=95, exif=_exif_orientation(6))
    im = load_photo(path)
    assert im.size == (100, 200)
    top, bottom = im.getpixel((50, 30)), im.getpixel((50, 170))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_cmyk_jpeg_becomes_srgb(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (64, 48), (0, 255, 255, 0)).save(path, quality=95)  # pure red ink
    with Image.open(path) as raw:
        assert raw.mode == "CMYK"
    im = load_photo(path)
    assert im.mode == "RGB" and im.size == (64, 48)
    r, g, b = im.getpixel((32, 24))
    assert r > 200 and g < 60 and b < 60


def test_wide_gamut_icc_converted_to_srgb(tmp_path: Path, display_p3_icc: bytes) -> None:
    path = tmp_path / "p3.png"
    im = Image.new("RGB", (40, 20), (150, 100, 80))
    im.paste((128, 128, 128), (20, 0, 40, 20))
    im.save(path, icc_profile=display_p3_icc)
    out = load_photo(path)
    r, g, b = out.getpixel((5, 5))
    assert r >= 155 and b <= 78  # Display P3 colours are more saturated in sRGB numbers
    gr = out.getpixel((30, 5))
    assert max(gr) - min(gr) <= 2 and abs(gr[0] - 128) <= 3  # neutral stays neutral
    assert "icc_profile" not in out.info


def test_png_alpha_flattened_onto_white(tmp_path: Path) -> None:
    path = tmp_path / "alpha.png"
    im = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    im.paste((255, 0, 0, 255), (10, 10, 40, 40))
    im.save(path)
    out = load_photo(path)
    assert out.mode == "RGB"
    assert out.getpixel((2, 2)) == (255, 255, 255)
    assert out.getpixel((25, 25)) == (255, 0, 0)


@pytest.mark.parametrize("mode", ["LA", "P"])
def test_la_and_palette_with_transparency(tmp_path: Path, mode: str) -> None:
    path = tmp_path / f"{mode}.png"
    if mode == "LA":
        im = Image.new("LA", (30, 30), (0, 0))
        im.paste((40, 255), (10, 10, 20, 20))
        im.save(path)
    else:
        im = Image.new("P", (30, 30), 0)
        im.putpalette([0, 0, 0, 0, 200, 0] + [0] * 762)
        im.paste(1, (10, 10, 20, 20))
        im.save(path, transparency=0)
    out = load_photo(path)
    assert out.mode == "RGB"
    assert out.getpixel((1, 1)) == (255, 255, 255)
    assert out.getpixel((15, 15)) != (255, 255, 255)


def test_16bit_png(tmp_path: Path) -> None:
    path = tmp_path / "deep.png"
    ramp = np.tile(np.linspace(0, 65535, 256).astype(np.uint16), (16, 1))
    Image.fromarray(ramp).save(path)
    with Image.open(path) as raw:
        assert raw.mode.startswith("I")
    out = load_photo(path)
    assert out.mode == "RGB" and out.size == (256, 16)
    arr = np.asarray(out)
    assert arr[0, 0, 0] == 0 and arr[0, -1, 0] == 255
    assert 120 <= arr[0, 128, 0] <= 135


def test_large_jpeg_decoded_reduced(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (6000, 1000), (10, 120, 200)).save(path, quality=80)
    out = load_photo(path, max_side=2000)
    assert max(out.size) <= 2000 and out.size[0] >= 1900
    assert abs(out.width / out.height - 6.0) < 0.05


def test_large_png_reduced(tmp_path: Path) -> None:
    path = tmp_path / "wide.png"
    Image.new("RGB", (5000, 400), (200, 10, 10)).save(path, compress_level=1)
    out = load_photo(path, max_side=1000)
    assert out.size == (1000, 80)


def _png_header_only(path: Path, w: int, h: int) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))


def test_decompression_bomb_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    _png_header_only(path, 50_000, 50_000)  # 2.5 gigapixels claimed by a tiny file
    with pytest.raises(MediaError) as err:
        load_photo(path)
    msg = str(err.value)
    assert "bomb" in msg and str(path) in msg and err.value.remedy


def test_own_pixel_limit(tmp_path: Path) -> None:
    path = tmp_path / "medium.png"
    _png_header_only(path, 8_000, 6_000)  # 48 MP: over our default 40 MP, under Pillow's own limits
    with pytest.raises(MediaError, match=r"48\.0 megapixels .* over the 40-megapixel limit \(max_photo_megapixels\)"):
        load_photo(path)
    small = tmp_path / "small.png"
    Image.new("RGB", (1000, 1000)).save(small)
    with pytest.raises(MediaError, match="decompression bomb"):
        load_photo(small, max_pixels=500_000)


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_text("this is an article, not a photo\n")
    with pytest.raises(MediaError) as err:
        load_photo(path)
    assert str(path) in str(err.value)


def test_truncated_jpeg(tmp_path: Path) -> None:
    full = tmp_path / "full.jpg"
    rng = np.random.default_rng(1)
    Image.fromarray(rng.integers(0, 255, (300, 400, 3), dtype=np.uint8)).save(full, quality=90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 3])
    with pytest.raises(MediaError) as err:
        load_photo(cut)
    assert "truncated" in str(err.value) and str(cut) in str(err.value)


def test_missing_and_empty(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="not found"):
        load_photo(tmp_path / "nope.jpg")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(MediaError, match="empty"):
        load_photo(empty)


def test_iphone_heic_and_avif_photos_are_read_with_their_credits(tmp_path: Path) -> None:
    """A HEIC (what iPhones take) is read through pillow-heif, upright and with its EXIF credits; AVIF by Pillow."""
    import pillow_heif

    from videonews.images.credits import read_embedded_credits

    stored = Image.new("RGB", (200, 100), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 100, 100))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways, shown upright
    exif[0x013B] = "Li Xin"
    exif[0x8298] = "Xinhua"
    heic = tmp_path / "IMG_0001.HEIC"
    pillow_heif.from_pillow(stored).save(heic, quality=90, exif=exif.tobytes())
    im = load_photo(heic)
    assert im.size == (100, 200) and im.mode == "RGB"
    r, g, b = im.getpixel((50, 20))
    assert r > 200 and b < 60  # red on top: the orientation was applied
    credits = read_embedded_credits(heic)
    assert (credits.creator, credits.rights) == ("Li Xin", "Xinhua")
    avif = tmp_path / "photo.avif"
    stored.save(avif, quality=90)
    assert load_photo(avif).size == (200, 100)
