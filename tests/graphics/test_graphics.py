"""Graphics templates: validation (one clear line), on-air case, and where every graphic lands, measured
on frames libass really draws (title-safe, nothing clipped at an edge, the super's strap behind its
text, the credit legible in the 640 px preview)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from videonews.errors import GraphicsError
from videonews.ffmpeg.still import draw_still
from videonews.graphics import ass_colour, load_template, on_air_case
from videonews.models import Cue, Super
from videonews.subtitles.formats import ass as ass_fmt
from videonews.subtitles.formats import write_subtitles
from videonews.typefaces import bundled_font, bundled_fonts_dir

FILES = (bundled_font(), bundled_font(bold=True))
TITLE = "founder and chairman of the Alibaba Group"


def _write(tmp: Path, text: str, name: str = "t.toml") -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(("toml", "key", "words"), [
    ('[caption]\ncolour = "white"\n', "caption.colour", "not a colour"),
    ('[super]\nstrap = "#12345"\n', "super.strap", "not a colour"),
    ('[credit]\ncolour = "#GGGGGG"\n', "credit.colour", "not a colour"),
    ('[font]\nfile = "nope.ttf"\n', "font.file", "not found"),
    ('[font]\nfamily = "No Such Sans 77"\n', "font.family", "not installed"),
    ('[logo]\nfile = "logo.png"\n', "logo.file", "not found"),
    ('[caption]\nsizes = 0.05\n', "caption.sizes", "unknown key"),
    ('[credit]\nsize = 0.01\n', "credit.size", "greater than or equal"),
])
def test_bad_template_is_one_clear_line(tmp_path: Path, toml: str, key: str, words: str) -> None:
    path = _write(tmp_path, toml)
    with pytest.raises(GraphicsError) as err:
        load_template(path)
    line = err.value.one_line()
    assert "\n" not in line and str(path) in line and f"[{key}]" in line and words in line
    assert err.value.exit_code == 2


def test_template_syntax_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GraphicsError, match="not valid TOML"):
        load_template(_write(tmp_path, "[caption\n"))
    with pytest.raises(GraphicsError, match="not found"):
        load_template(tmp_path / "absent.toml")


def test_a_logo_that_is_not_a_png_is_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"not a png")
    with pytest.raises(GraphicsError, match="not a readable PNG"):
        load_template(_write(tmp_path, '[logo]\nfile = "logo.png"\n'))


def test_house_style_with_its_own_font_and_logo(tmp_path: Path) -> None:
    shutil.copy(bundled_font(), tmp_path / "House.ttf")
    Image.new("RGBA", (40, 20), (255, 0, 0, 255)).save(tmp_path / "logo.png")
    tpl = load_template(_write(tmp_path, 'name = "house"\n[font]\nfile = "House.ttf"\n[logo]\nfile = "logo.png"\n'
                                         '[super]\nstrap = "#102030"\n'))
    assert tpl.name == "house" and tpl.font_files == ((tmp_path / "House.ttf").resolve(),)
    assert tpl.logo == (tmp_path / "logo.png").resolve() and tpl.super_.strap == "#102030"


def test_builtins_load_and_colours_convert() -> None:
    assert load_template().name == "news" and load_template("plain").super_.strap == ""
    assert ass_colour("#0B2A4A") == "&H004A2A0B"
    assert ass_colour("#FF000080") == "&H7F0000FF"  # opacity 0x80 -> ASS transparency 0x7F


@pytest.mark.parametrize(("title", "aired"), [
    ("founder and chairman of the Alibaba Group", "Founder and chairman of the Alibaba Group"),
    ("CEO of IBM", "CEO of IBM"),
    ("iPhone designer", "IPhone designer"),
    ("'senior CPC official'", "'Senior CPC official'"),
    ("", ""),
])
def test_on_air_case(title: str, aired: str) -> None:
    assert on_air_case(title) == aired


# ---------------------------------------------------------------- geometry


SIZES = [(1920, 1080), (1280, 720), (640, 360), (1080, 1920), (1080, 1080), (720, 576)]


@pytest.mark.parametrize(("w", "h"), SIZES)
@pytest.mark.parametrize("template", ["news", "plain"])
def test_layout_every_graphic_inside_title_safe(w: int, h: int, template: str) -> None:
    tpl = load_template(template)
    lay = ass_fmt.layout(w, h, template=tpl)
    safe = lay.safe_box()
    cap = lay.caption_box(2)
    geo = ass_fmt.super_geometry(lay, ass_fmt._Measure(FILES), "Jack Ma", on_air_case(TITLE))
    assert cap.inside(safe, 1) and geo.strap.inside(safe, 1)
    assert not geo.strap.overlaps(cap)
    credit = lay.credit_box(ass_fmt._Measure(FILES).width("Source: CCTV.com", lay.credit_size))
    assert credit.inside(safe, 1) and not credit.overlaps(geo.strap)


def test_a_long_title_shrinks_to_stay_inside() -> None:
    lay = ass_fmt.layout(1080, 1920)
    geo = ass_fmt.super_geometry(lay, ass_fmt._Measure(FILES), "Dr Anna-Maria Berglund-Oyelaran",
                                 "Chief executive of the International Federation of Red Cross and Red Crescent Societies")
    assert geo.strap.right <= 0.95 * 1080 + 0.5 and geo.title_size < lay.super_title_size
    # shrunk at most to 80%, then the title wraps rather than getting unreadably small
    assert geo.title_size >= 0.8 * lay.super_title_size - 1 and geo.strap.top >= 0.05 * 1920
    longer = "Chief executive of the International Federation of Red Cross and Red Crescent Societies, Geneva"
    geo = ass_fmt.super_geometry(lay, ass_fmt._Measure(FILES), "Dr Anna-Maria Berglund-Oyelaran", longer)
    assert len(geo.title_lines) >= 2 and " ".join(geo.title_lines) == longer
    assert geo.title_size >= 0.8 * lay.super_title_size - 1 and geo.strap.right <= 0.95 * 1080 + 0.5
    room = geo.strap.right - geo.name_pos[0]
    assert all(ass_fmt._Measure(FILES).width(x, geo.title_size) <= room for x in geo.title_lines)


# ---------------------------------------------------------------- measured on drawn frames


def _script(tmp: Path, w: int, h: int, template: str = "news", **opts) -> Path:
    cues = [Cue(index=1, start=0.0, end=4.0, lines=["We will build the digital economy", "for every small business"],
                speaker="Jack Ma", quote_id="q1")]
    supers = [Super(speaker="Jack Ma", title=TITLE, start=0.0, end=4.0, quote_id="q1")]
    buf = io.StringIO()
    write_subtitles("ass", cues, buf, width=w, height=h, credit="Source: CCTV.com", duration=4.0, supers=supers,
                    template=load_template(template), font_files=FILES, **opts)
    path = tmp / f"g-{w}x{h}-{template}.ass"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _frame(exe: str, script: Path, size: tuple[int, int], at: float = 1.0, scale=None) -> np.ndarray:
    out = script.with_suffix(f".{size[0]}.{at}.png")
    draw_still(exe, script, bundled_fonts_dir(), out, at=at, size=size, scale=scale, background="0x000000")
    with Image.open(out) as im:
        return np.asarray(im.convert("RGB")).astype(int)


def _lit(px: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(px.max(axis=2) > 24)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


@pytest.mark.parametrize(("w", "h"), [(1280, 720), (1080, 1920), (1080, 1080)])
def test_drawn_graphics_stay_inside_title_safe(exe: str, tmp_path: Path, w: int, h: int) -> None:
    px = _frame(exe, _script(tmp_path, w, h), (w, h))
    left, top, right, bottom = _lit(px)
    assert left >= 0.05 * w - 1 and right <= 0.95 * w + 1, (left, right)
    assert top >= 0.05 * h - 1 and bottom <= 0.95 * h + 1, (top, bottom)
    # the strap is drawn where the layout says, in the template's colour, behind the name
    lay = ass_fmt.layout(w, h)
    geo = ass_fmt.super_geometry(lay, ass_fmt._Measure(FILES), "Jack Ma", on_air_case(TITLE))
    s = geo.strap
    probe = px[int(s.bottom) - 3, int(s.right) - 4]  # inside the strap, right of the text
    assert abs(probe - np.array([0x0B, 0x2A, 0x4A])).max() <= 24, probe
    accent = px[int((s.top + s.bottom) / 2), int(s.left) + 1]
    assert accent[0] > 150 and accent[1] < 60, accent


def test_preview_credit_is_legible(exe: str, tmp_path: Path) -> None:
    """The preview is the master's script drawn at 640 px: the credit's capitals are >= 10 px tall."""
    script = _script(tmp_path, 1280, 720)
    px = _frame(exe, script, (1280, 720), scale=(640, 360))
    band = px[: int(0.2 * 360), int(0.5 * 640):]  # top-right quarter: the credit and its box
    white = band.min(axis=2) > 200
    rows = np.nonzero(white.any(axis=1))[0]
    # "S" of "Source" and "CCTV": cap height from the first lit row to the baseline (no descenders)
    cols = np.nonzero(white.any(axis=0))[0]
    s_rows = np.nonzero(white[:, cols.min(): cols.min() + 6].any(axis=1))[0]
    assert s_rows.max() - s_rows.min() + 1 >= 10, (s_rows.min(), s_rows.max())
    assert rows.min() >= 0  # drawn at all


def test_super_fades_in(exe: str, tmp_path: Path) -> None:
    script = _script(tmp_path, 1280, 720)
    lay = ass_fmt.layout(1280, 720)
    geo = ass_fmt.super_geometry(lay, ass_fmt._Measure(FILES), "Jack Ma", on_air_case(TITLE))
    y, x = int(geo.strap.bottom) - 3, int(geo.strap.right) - 4
    early, full = _frame(exe, script, (1280, 720), at=0.08)[y, x], _frame(exe, script, (1280, 720), at=1.0)[y, x]
    assert early.sum() < full.sum()  # half-way through its fade at 0.08 s


def test_word_highlight_lights_the_current_word(exe: str, tmp_path: Path) -> None:
    from videonews.graphics import TemplateFile  # noqa: F401  (the option is a template key)
    from videonews.models import TimedWord

    tpl_path = _write(tmp_path, "[caption]\nword_highlight = true\nhighlight = \"#FFD23F\"\n", "hl.toml")
    cues = [Cue(index=1, start=0.0, end=3.0, lines=["alpha beta gamma"], quote_id="q1")]
    words = {"q1": [TimedWord(text="alpha", start=0.0, end=1.0), TimedWord(text="beta", start=1.0, end=2.0),
                    TimedWord(text="gamma", start=2.0, end=3.0)]}
    buf = io.StringIO()
    write_subtitles("ass", cues, buf, width=640, height=360, template=load_template(tpl_path), font_files=FILES,
                    words=words)
    script = tmp_path / "hl.ass"
    script.write_text(buf.getvalue(), encoding="utf-8")
    px = _frame(exe, script, (640, 360), at=1.5)
    yellow = (px[..., 0] > 200) & (px[..., 1] > 170) & (px[..., 2] < 120)
    white = px.min(axis=2) > 220
    ys, xs = np.nonzero(yellow)
    wx = np.nonzero(white.any(axis=0))[0]
    assert len(xs) > 20 and wx.min() < xs.min() and xs.max() < wx.max()  # the middle word, and only it


@pytest.mark.parametrize(("w", "h"), [(1280, 720), (1080, 1920)])
def test_photo_clip_lower_third_on_the_template_strap(tmp_path: Path, w: int, h: int) -> None:
    from videonews.images.clip import render_lower_third

    Image.new("RGBA", (60, 30), (0, 200, 0, 255)).save(tmp_path / "logo.png")
    tpl = load_template(_write(tmp_path, '[super]\nstrap = "#A3101B"\naccent = "#F2C230"\n'
                                         '[logo]\nfile = "logo.png"\ncorner = "top-left"\n'))
    caption = "The 3rd World Internet Conference opens in Wuzhen, east China's Zhejiang Province, Nov. 16, 2016."
    ov = np.asarray(render_lower_third(w, h, caption=caption, credit="Photo: Xinhua/Li Xin",
                                       font_path=bundled_font(), template=tpl))
    ys, xs = np.nonzero(ov[..., 3] > 0)
    assert xs.min() >= 0.05 * w - 1 and xs.max() <= 0.95 * w + 1 and ys.min() >= 0.05 * h - 1
    assert ys.max() <= 0.95 * h + 1
    red = (ov[..., 0] == 0xA3) & (ov[..., 1] == 0x10) & (ov[..., 3] == 255)
    ry, rx = np.nonzero(red)
    white = (ov[..., :3].min(axis=2) > 240) & (ov[..., 3] == 255)
    wy, wx = np.nonzero(white[int(ry.min()):, :])
    assert wx.max() < rx.max() - 4  # the text ends inside the strap, with padding
    logo = (ov[..., 1] == 200) & (ov[..., 0] == 0)
    ly, lx = np.nonzero(logo)
    assert lx.min() >= 0.05 * w - 1 and ly.min() >= 0.05 * h - 1 and lx.max() < w / 2  # top-left, inside


def test_webvtt_gets_timestamp_tags_for_the_words() -> None:
    import re

    from videonews.models import TimedWord
    from videonews.subtitles.formats import read_subtitles

    cues = [Cue(index=1, start=1.0, end=4.0, lines=["alpha beta", "gamma & delta"], speaker="A B", quote_id="q1"),
            Cue(index=2, start=5.0, end=6.0, lines=["no words here"], quote_id="q2")]
    words = {"q1": [TimedWord(text="alpha", start=1.0, end=1.5), TimedWord(text="beta", start=1.6, end=2.0),
                    TimedWord(text="gamma", start=2.2, end=2.6), TimedWord(text="delta", start=3.0, end=3.5)]}
    buf = io.StringIO()
    write_subtitles("vtt", cues, buf, words=words)
    out = buf.getvalue()
    assert "<v A B>alpha <00:00:01.600>beta\n<00:00:02.200>gamma &amp; <00:00:03.000>delta\n" in out
    stamps = [m.group(0) for m in re.finditer(r"<\d\d:\d\d:\d\d\.\d{3}>", out)]
    assert stamps == sorted(stamps) and len(stamps) == 3  # increasing, inside the cue (not at its start)
    assert "no words here\n" in out
    assert [c.lines for c in read_subtitles(out, "vtt")] == [["alpha beta", "gamma & delta"], ["no words here"]]


def test_a_story_template_may_not_reach_outside_the_story(tmp_path: Path) -> None:
    from videonews.errors import StoryError
    from videonews.settings import Settings
    from videonews.stages.ingest import graphics_for
    from videonews.story import load_story

    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "article.txt").write_text("Headline\n\nText.\n", encoding="utf-8")
    (folder / "video.mp4").write_bytes(b"x")
    shutil.copy(bundled_font(), tmp_path / "Outside.ttf")
    (folder / "house.toml").write_text('[font]\nfile = "../Outside.ttf"\n', encoding="utf-8")
    (folder / "story.toml").write_text('graphics = "house.toml"\n', encoding="utf-8")
    story = load_story(folder)
    with pytest.raises(StoryError, match="outside the story folder"):
        graphics_for(story, Settings())
    assert graphics_for(story, Settings(allow_outside_story=True)).font_files[0].name == "Outside.ttf"
    (folder / "story.toml").write_text('graphics = "plain"\n', encoding="utf-8")
    assert graphics_for(load_story(folder), Settings()).name == "plain"
    (folder / "story.toml").write_text('graphics = "nope.toml"\n', encoding="utf-8")
    with pytest.raises(StoryError, match="does not exist"):
        load_story(folder)
