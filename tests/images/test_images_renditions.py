"""Renditions: sizes, no upscaling, content-aware crops, encoding settings and embedded credits."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from videonews.images import (
    DEFAULT_SPECS,
    THUMBNAIL_SPECS,
    ImageCredits,
    RenditionSpec,
    content_crop_box,
    iptc_length_warnings,
    parse_xmp,
    read_embedded_credits,
    render_renditions,
    xmp_packet,
)
from videonews.images.credits import exif_text, insert_jpeg_xmp

CREDITS = ImageCredits(
    creator="Li Xin",
    credit="Xinhua",
    source="Xinhua News Agency",
    rights="© 2024 Xinhua <all rights> & more",
    description='Delegates arrive in Wuzhen for the "World Internet Conference" — 乌镇',
    title="Wuzhen summit",
)

EXPECTED = {
    "16x9-1920": (1920, 1080), "16x9-1280": (1280, 720), "16x9-640": (640, 360),
    "1x1-1080": (1080, 1080), "9x16-1080": (1080, 1920), "4x3-1200": (1200, 900),
    "thumb-16x9-320": (320, 180), "thumb-16x9-160": (160, 90),
}


@pytest.fixture(scope="module")
def big_photo(make_textured: Callable[..., Image.Image]) -> Image.Image:
    return make_textured(2000, 2000, seed=3)


def test_every_spec_has_the_right_size(tmp_path: Path, big_photo: Image.Image) -> None:
    assert [s.name for s in DEFAULT_SPECS] == ["16x9-1920", "16x9-1280", "16x9-640", "1x1-1080",
                                               "9x16-1080", "4x3-1200"]
    out = render_renditions(big_photo, DEFAULT_SPECS + THUMBNAIL_SPECS, tmp_path, stem="photo",
                            credits=CREDITS, formats=("jpeg",))
    assert len(out) == 8
    for r in out:
        assert (r.width, r.height) == EXPECTED[r.name], r.name
        assert not r.upscaled and not r.short
        assert r.path.name == f"photo-{r.name}.jpg"
        with Image.open(r.path) as im:
            assert im.size == (r.width, r.height)
            assert im.format == "JPEG" and im.mode == "RGB"
            assert im.info.get("progressive") or im.info.get("progression")
            icc = im.info.get("icc_profile")
            assert icc and "sRGB" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc)))
        assert r.bytes == r.path.stat().st_size
        left, top, right, bottom = r.crop
        assert abs((right - left) / (bottom - top) - r.width / r.height) < 0.01
    assert not list(tmp_path.glob(".*tmp"))


def test_small_source_is_not_upscaled(tmp_path: Path, make_textured: Callable[..., Image.Image]) -> None:
    small = make_textured(800, 600, seed=4)
    out = render_renditions(small, DEFAULT_SPECS, tmp_path, stem="s", credits=CREDITS, formats=("webp",))
    by = {r.name: r for r in out}
    assert (by["16x9-640"].width, by["16x9-640"].height) == (640, 360)
    big = out[0]
    assert big.width <= 800 and big.height <= 600 and not big.upscaled and big.short
    assert abs(big.width / big.height - 16 / 9) < 0.01
    assert (big.requested_width, big.requested_height) == (1920, 1080)
    # the name says the true width: "16x9-1920" became "16x9-800"; 1280 came out the same size and is not
    # written twice
    assert big.name == f"16x9-{big.width}" and big.path.name == f"s-16x9-{big.width}.webp"
    assert [r.name for r in out if r.name.startswith("16x9")] == [f"16x9-{big.width}", "16x9-640"]
    portrait = next(r for r in out if r.name.startswith("9x16-"))
    assert portrait.height <= 600 and abs(portrait.width / portrait.height - 9 / 16) < 0.01
    assert portrait.name == f"9x16-{portrait.width}"
    with Image.open(big.path) as im:
        assert im.format == "WEBP" and im.size == (big.width, big.height)


def test_names_never_lie_and_no_duplicates(tmp_path: Path, make_textured: Callable[..., Image.Image]) -> None:
    """A 1280x720 poster (the issue's case): every file's name carries its real width, no two are the same."""
    import hashlib

    frame = make_textured(1280, 720, seed=5)
    out = render_renditions(frame, DEFAULT_SPECS + THUMBNAIL_SPECS, tmp_path, stem="poster", credits=CREDITS,
                            formats=("jpeg",))
    for r in out:
        aspect, width = r.name.removeprefix("thumb-").rsplit("-", 1)
        a, b = (int(x) for x in aspect.split("x"))
        with Image.open(r.path) as im:
            assert im.width == int(width) == r.width and abs(im.width / im.height - a / b) < 0.01
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "poster-9x16-405.jpg" in names and "poster-16x9-1920.jpg" not in names
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()]
    assert len(digests) == len(set(digests))


@pytest.mark.parametrize("cx,cy", [(1300, 450), (260, 300), (800, 700)])
def test_crop_keeps_off_centre_subject_whole(make_scene: Callable[..., Image.Image], cx: int, cy: int) -> None:
    r = 130
    im = make_scene(1600, 900, cx, cy, r)
    for aspect in (9 / 16, 1.0, 4 / 3):
        left, top, right, bottom = content_crop_box(im, aspect)
        assert abs((right - left) / (bottom - top) - aspect) < 0.01
        assert left <= cx - r and right >= cx + r and top <= cy - r and bottom >= cy + r, (aspect, (left, right))


def test_crop_portrait_source_vertical_subject(make_scene: Callable[..., Image.Image]) -> None:
    im = make_scene(1000, 1500, 500, 1250, 140)
    left, top, right, bottom = content_crop_box(im, 16 / 9)
    assert (left, right) == (0, 1000)
    assert top <= 1250 - 140 and bottom >= 1250 + 140


def test_featureless_photo_crops_centrally() -> None:
    im = Image.new("RGB", (1600, 900), (90, 90, 90))
    assert content_crop_box(im, 1.0) == (350, 0, 1250, 900)


def test_rendition_spec_heights() -> None:
    spec = RenditionSpec(name="x", width=1080, aspect=(9, 16))
    assert spec.height == 1920 and abs(spec.ratio - 0.5625) < 1e-9


# ---------------------------------------------------------------- credits

def _check_credits(got: ImageCredits) -> None:
    assert got.creator == CREDITS.creator
    assert got.credit == CREDITS.credit
    assert got.source == CREDITS.source
    assert got.rights == CREDITS.rights
    assert got.description == CREDITS.description
    assert got.title == CREDITS.title


@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_credits_read_back_with_pillow(tmp_path: Path, fmt: str, make_textured: Callable[..., Image.Image]) -> None:
    out = render_renditions(make_textured(700, 400), [THUMBNAIL_SPECS[1]], tmp_path, stem="c", credits=CREDITS,
                            formats=(fmt,))
    path = out[0].path
    _check_credits(read_embedded_credits(path))
    with Image.open(path) as im:
        xmp = im.info.get("xmp")
        assert xmp, "no XMP packet in the file"
        assert parse_xmp(xmp)["credit"] == "Xinhua"
        exif = im.getexif()
        assert exif_text(exif[0x013B]) == "Li Xin"
        assert exif_text(exif[0x8298]) == CREDITS.rights  # UTF-8 in EXIF ASCII
        assert exif_text(exif[0x010E]) == CREDITS.description


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_credits_read_back_with_exiftool(tmp_path: Path, fmt: str,
                                         make_textured: Callable[..., Image.Image]) -> None:
    out = render_renditions(make_textured(700, 400), [THUMBNAIL_SPECS[1]], tmp_path, stem="e", credits=CREDITS,
                            formats=(fmt,))
    proc = subprocess.run(
        ["exiftool", "-j", "-charset", "exif=utf8", "-XMP-dc:Creator", "-XMP-photoshop:Credit",
         "-XMP-photoshop:Source", "-XMP-dc:Rights", "-XMP-dc:Description", "-XMP-dc:Title",
         "-EXIF:Artist", "-EXIF:Copyright", "-EXIF:ImageDescription", "-ICC_Profile:ProfileDescription",
         str(out[0].path)],
        capture_output=True, text=True, check=True, timeout=30,
    )
    tags = json.loads(proc.stdout)[0]
    assert tags["Creator"] == "Li Xin"
    assert tags["Credit"] == "Xinhua"
    assert tags["Source"] == "Xinhua News Agency"
    assert tags["Rights"] == CREDITS.rights
    assert tags["Description"] == CREDITS.description
    assert tags["Title"] == CREDITS.title
    assert tags["Artist"] == "Li Xin"
    assert tags["Copyright"] == CREDITS.rights
    assert tags["ImageDescription"] == CREDITS.description
    assert "sRGB" in tags["ProfileDescription"]


def test_iptc_length_warnings() -> None:
    assert iptc_length_warnings(CREDITS) == []
    long = ImageCredits(creator="A" * 33, credit="Xinhua", source="新华社新华社新华社新华社",  # 36 bytes
                        rights=None, description="x" * 500)
    warnings = iptc_length_warnings(long)
    assert len(warnings) == 2
    assert warnings[0].startswith("creator is 33 bytes") and "32-byte" in warnings[0]
    assert warnings[1].startswith("source is 36 bytes")


def test_xmp_is_escaped_and_parses() -> None:
    packet = xmp_packet(ImageCredits(creator="A <b> & C; D", credit='"Q"', source=None, rights=None,
                                     description="ctrl\x01char"))
    assert b"<b>" not in packet
    got = parse_xmp(packet)
    assert got["creator"] == "A <b> & C; D"
    assert got["credit"] == '"Q"'
    assert got["description"] == "ctrlchar"


def test_parse_xmp_attribute_form_and_refuses_entities() -> None:
    short = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
             b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="AFP"/>'
             b"</rdf:RDF></x:xmpmeta>")
    assert parse_xmp(short) == {"credit": "AFP"}
    evil = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + short.replace(b"AFP", b"&a;")
    assert parse_xmp(evil) in ({}, {"credit": "AFP"})
    assert parse_xmp(b"<x:xmpmeta><!ENTITY a 'b'></x:xmpmeta>") == {}
    assert parse_xmp(b"garbage") == {}


def test_insert_jpeg_xmp_for_old_pillow(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(buf, "JPEG")
    path = tmp_path / "x.jpg"
    path.write_bytes(insert_jpeg_xmp(buf.getvalue(), xmp_packet(CREDITS)))
    _check_credits(read_embedded_credits(path))


def test_read_embedded_credits_from_agency_style_photo(tmp_path: Path) -> None:
    """EXIF-only photo (no XMP): creator and rights come from EXIF."""
    exif = Image.Exif()
    exif[0x013B] = "Wang Fang"
    exif[0x8298] = "Xinhua"
    path = tmp_path / "agency.jpg"
    Image.new("RGB", (20, 20)).save(path, exif=exif.tobytes())
    got = read_embedded_credits(path)
    assert got.creator == "Wang Fang" and got.rights == "Xinhua" and got.credit is None
    plain = tmp_path / "plain.png"
    Image.new("RGB", (5, 5)).save(plain)
    assert read_embedded_credits(plain).is_empty()
