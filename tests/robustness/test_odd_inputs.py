"""Inputs that must work: each is a real build on tiny generated media that yields a valid package
(`verify_package` == []) with the property the case is about."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
import rb_media as m
from conftest import FAST, Media

from videonews.manifest import verify_package
from videonews.pipeline import BuildResult, build_story
from videonews.subtitles.formats.ass import layout


def _build(story: Path, out: Path) -> BuildResult:
    result = build_story(story, out, FAST)
    assert verify_package(result.package) == []
    assert m.leftovers(out) == []
    return result


def _asset(result: BuildResult, role: str) -> dict:
    return next(a for a in result.manifest.model_dump()["assets"] if a["role"] == role)


def _ass(result: BuildResult) -> tuple[dict[str, str], dict[str, dict[str, str]], list[dict[str, str]]]:
    (path,) = (result.package / "subtitles").glob("*.ass")
    return m.ass_sections(path.read_text(encoding="utf-8"))


def _srt(result: BuildResult) -> str:
    (path,) = (result.package / "subtitles").glob("*.srt")
    return path.read_text(encoding="utf-8")


# Every character the issue names, in the story folder, the file names and the output folder.
HOSTILE = "it's \"odd\": a, b [1] (x) café 中文"


@pytest.mark.parametrize("named_in_toml", [True, False], ids=["story.toml", "found-by-extension"])
def test_hostile_characters_in_every_path(media: Media, tmp_path: Path, named_in_toml: bool) -> None:
    folder = tmp_path / f"story {HOSTILE}"
    out = tmp_path / f"out {HOSTILE} %d {{x}}"
    names = {"article_name": f"art {HOSTILE}.txt", "video_name": f"clip {HOSTILE} %03d.mp4",
             "photo_name": f"ph {HOSTILE}.jpg"}
    story = m.make_story(folder, video=media.video("tiny"), photo=media.photo("rgb"),
                         toml='id = "case"' if named_in_toml else None, **names)
    result = _build(story, out)
    assert result.package.parent == out
    if not named_in_toml:
        assert result.story_id == "story-it-s-odd-a-b-1-x-caf"  # the slug of the folder name
    inputs = {i.role: i.name for i in result.manifest.provenance.inputs}
    assert inputs["video"] == names["video_name"] and inputs["article"] == names["article_name"]
    # the ass filter found its script (a missing one fails the render), so the captions are drawn:
    assert _ass(result)[2], "no caption events"


def test_video_without_audio_times_by_reading_speed(media: Media, tmp_path: Path) -> None:
    result = _build(m.make_story(tmp_path / "s", video=media.video("noaudio")), tmp_path / "out")
    assert any("no audio track" in w and "reading speed" in w for w in result.manifest.warnings)
    assert result.manifest.subtitles is not None
    assert result.manifest.subtitles.timing_source == "reading_speed"
    assert "Audio:" not in m.probe_text(media.exe, result.package / "captioned.mp4")


def test_odd_dimensions_are_cropped_to_even(media: Media, tmp_path: Path) -> None:
    assert m.probe(media.exe, media.video("odd")).width == 853
    result = _build(m.make_story(tmp_path / "s", video=media.video("odd")), tmp_path / "out")
    video = _asset(result, "captioned_video")
    assert (video["width"], video["height"]) == (852, 478)
    info, _, _ = _ass(result)
    assert (info["PlayResX"], info["PlayResY"]) == ("852", "478")


def test_vertical_video_captions_sized_for_it(media: Media, tmp_path: Path) -> None:
    result = _build(m.make_story(tmp_path / "s", video=media.video("vertical")), tmp_path / "out")
    video = _asset(result, "captioned_video")
    assert (video["width"], video["height"]) == (720, 1280)
    preview = _asset(result, "preview_video")
    assert preview["height"] > preview["width"]  # the preview stays portrait
    info, styles, _ = _ass(result)
    assert (info["PlayResX"], info["PlayResY"]) == ("720", "1280")
    size = int(styles["Caption"]["Fontsize"])
    assert size == layout(720, 1280).font_size
    # sized by the width, not the height: a full 42-character line fits the title-safe width
    assert size < 0.055 * 1280 and size * 42 * 0.6 <= 0.9 * 720
    margin = int(styles["Caption"]["MarginL"])
    assert 0.05 * 720 <= margin < 0.1 * 720


def test_variable_frame_rate(media: Media, tmp_path: Path) -> None:
    src = media.video("vfr")
    result = _build(m.make_story(tmp_path / "s", video=src), tmp_path / "out")
    video = _asset(result, "captioned_video")
    assert video["duration"] == pytest.approx(3.0, abs=0.15)
    for cue in _ass(result)[2]:
        h, mi, s = cue["End"].split(":")
        assert int(h) * 3600 + int(mi) * 60 + float(s) <= video["duration"] + 0.05
    # the whole master decodes without an error
    from videonews.ffmpeg.runner import run

    r = run([media.exe, "-hide_banner", "-v", "error", "-i", str(result.package / "captioned.mp4"), "-f", "null",
             "-"], check=True)
    assert r.stderr.strip() == ""


def test_rotated_phone_video_is_upright(media: Media, tmp_path: Path) -> None:
    src = media.video("rotated")
    info = m.probe(media.exe, src)
    assert info.rotation in (90, 270) and (info.width, info.height) == (320, 180)
    result = _build(m.make_story(tmp_path / "s", video=src), tmp_path / "out")
    video = _asset(result, "captioned_video")
    assert (video["width"], video["height"]) == (180, 320)
    out_info = m.probe(media.exe, result.package / "captioned.mp4")
    assert out_info.rotation == 0  # no display matrix left for players to apply twice
    # upright: the top third of a frame matches ffmpeg's own (display-matrix honouring) decode of the source
    ref = m.grab_frame(media.exe, src, 1.0, tmp_path / "ref.png")
    got = m.grab_frame(media.exe, result.package / "captioned.mp4", 1.0, tmp_path / "got.png")
    assert ref.shape == got.shape == (320, 180)
    band = slice(int(320 * 0.12), int(320 * 0.4))
    same = np.abs(ref[band] - got[band]).mean()
    flipped = np.abs(ref[band] - np.flipud(np.fliplr(got))[band]).mean()
    assert same < 12 and flipped > 2 * same, (same, flipped)


@pytest.mark.parametrize("kind", ["10bit", "422"])
def test_high_bit_depth_and_422_sources_give_8bit_420(media: Media, tmp_path: Path, kind: str) -> None:
    src = media.video(kind)
    assert m.probe(media.exe, src).pix_fmt == {"10bit": "yuv420p10le", "422": "yuv422p"}[kind]
    result = _build(m.make_story(tmp_path / "s", video=src), tmp_path / "out")
    for name in ("captioned.mp4", "preview.mp4"):
        line = m.video_stream_line(media.exe, result.package / name)
        profile = re.search(r"Video: h264 \(([^)]*)\)", line)
        assert profile and profile.group(1) in {"Constrained Baseline", "Baseline", "Main", "High"}, line
        assert re.search(r", yuv420p[(,]", line), line  # 8-bit 4:2:0, not yuv420p10le / yuv422p


def test_gbk_article_with_cjk_font(media: Media, tmp_path: Path) -> None:
    from videonews.errors import FontError
    from videonews.typefaces import choose_font

    try:
        font = choose_font(m.CJK_QUOTE)
    except FontError:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk or fonts-wqy-microhei)")
    story = m.make_story(tmp_path / "s", article=m.CJK_ARTICLE.encode("gbk"), video=media.video("tiny"),
                         toml='id = "case"\nlanguage = "zh"', timings={"q1": (0.2, 1.8)})  # text, not timing
    result = _build(story, tmp_path / "out")
    assert any("decoded as gbk" in w for w in result.manifest.warnings)
    assert [q.text for q in result.manifest.quotes] == [m.CJK_QUOTE]
    _, styles, events = _ass(result)
    assert styles["Caption"]["Fontname"] == font.family != "DejaVu Sans"
    assert "".join(e["Text"] for e in events if e["Style"] == "Caption").replace("\\N", "") == m.CJK_QUOTE
    assert m.CJK_QUOTE in _srt(result).replace("\n", "")


def test_cjk_without_a_cjk_font_is_a_clear_font_error(media: Media, tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from videonews import typefaces
    from videonews.cli import main
    from videonews.errors import FontError

    monkeypatch.setattr(typefaces, "SYSTEM_FONT_DIRS", [])
    monkeypatch.delenv("VIDEONEWS_FONTS_DIR", raising=False)
    story = m.make_story(tmp_path / "s", article=m.CJK_ARTICLE, video=media.video("tiny"))
    with pytest.raises(FontError) as ei:
        build_story(story, tmp_path / "out", FAST)
    err = ei.value
    assert "我" in err.problem and "桥" in err.problem  # the missing characters are named
    assert "fonts-noto-cjk" in (err.remedy or "") and "VIDEONEWS_FONTS_DIR" in (err.remedy or "")
    assert (err.path or "").endswith("article.txt")  # where the characters come from
    assert not (tmp_path / "out" / "case").exists()
    result = CliRunner().invoke(main, ["build", str(story), "--out", str(tmp_path / "out2")])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("videonews: error:")]
    assert "article.txt" in line and "fonts-noto-cjk" in line


def test_latin1_article(media: Media, tmp_path: Path) -> None:
    story = m.make_story(tmp_path / "s", article=m.LATIN1_ARTICLE.encode("latin-1"), video=media.video("tiny"),
                         toml='id = "case"\nlanguage = "fr"', timings={"q1": (0.2, 1.8)})  # text, not timing
    result = _build(story, tmp_path / "out")
    assert any("decoded as latin-1" in w or "decoded as cp1252" in w for w in result.manifest.warnings)
    assert [q.text for q in result.manifest.quotes] == [m.LATIN1_QUOTE]
    assert m.LATIN1_QUOTE in _srt(result).replace("\n", " ")


@pytest.mark.parametrize("kind", ["cmyk", "alpha"])
def test_cmyk_and_alpha_photos(media: Media, tmp_path: Path, kind: str) -> None:
    from PIL import Image

    photo = media.photo(kind)
    story = m.make_story(tmp_path / "s", video=media.video("tiny"), photo=photo, photo_name=photo.name)
    result = _build(story, tmp_path / "out")
    renditions = [a for a in result.manifest.assets if a.role == "photo_rendition"]
    assert renditions
    for a in renditions:
        with Image.open(result.package / a.path) as im:
            assert im.mode == "RGB", (a.path, im.mode)
            if kind == "alpha":  # transparent corners are flattened onto white, not black
                assert min(im.convert("L").getpixel((1, 1)), 255) > 200


def test_html_article_with_scripts_and_styles(media: Media, tmp_path: Path) -> None:
    story = m.make_story(tmp_path / "s", article=m.HTML_ARTICLE, article_name="article.html",
                         video=media.video("tiny"))
    result = _build(story, tmp_path / "out")
    man = result.manifest
    assert man.story.headline == "Ministers meet in Testville"
    assert [(q.speaker, q.text) for q in man.quotes] == [("Anna Berg", "The bridge is ready")]
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in result.package.rglob("*")
                         if p.suffix in {".srt", ".vtt", ".ass", ".ttml", ".json", ".html", ".jsonld"})
    for leak in ("Mallory", "Comic Sans", "document.write", "tracker.js", "not a quote"):
        assert leak not in everything, leak
    assert json.loads((result.package / "manifest.json").read_text())["story"]["source"] == "Example News"


def test_captions_fit_the_vertical_frame_width() -> None:
    """The ASS layout for every aspect the suite builds keeps the caption block inside title-safe."""
    for w, h in ((320, 180), (852, 478), (720, 1280), (180, 320)):
        lay = layout(w, h)
        box = lay.caption_box()
        assert box.left >= 0.05 * w - 1 and box.right <= 0.95 * w + 1
        assert math.isfinite(lay.font_size) and lay.font_size >= 12
