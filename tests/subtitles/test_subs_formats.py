"""Writers: golden files, round trips through independent parsers, escaping, ASS layout, atomic save."""

from __future__ import annotations

import html
import io
import os
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pysubs2
import pytest
import srt as srt_lib
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from videonews.errors import InputError, SubtitleParseError
from videonews.models import Cue
from videonews.subtitles import WRITERS, read_subtitles, save_subtitles, write_subtitles
from videonews.subtitles.formats import ass as ass_fmt

GOLDEN = Path(__file__).parent / "golden"
WJ = "\u2060"


def fixed_cues() -> list[Cue]:
    return [
        Cue(index=1, start=1.0, end=3.5, lines=["We should regard the “respect of internet", "sovereignty” as a basic principle,"],
            speaker="Liu Yunshan", speaker_title="Senior CPC official", quote_id="q1", first_for_speaker=True),
        Cue(index=2, start=3.58, end=6.0, lines=["Science & technology <script>alert(1)</script>"],
            speaker="Liu Yunshan", speaker_title="Senior CPC official", quote_id="q1"),
        Cue(index=3, start=6.5, end=9.04, lines=["{\\an8}E-commerce is simply using", "internet --> technologies \\N a\\b"],
            speaker="Jack Ma", speaker_title="Founder, Alibaba Group", quote_id="q3", new_speaker=True,
            first_for_speaker=True),
    ]


GOLDEN_OPTS = {
    "srt": {},
    "vtt": {"language": "en", "kind": "captions"},
    "ass": {"width": 1920, "height": 1080, "font": "DejaVu Sans", "credit": "Video: CCTV.com", "duration": 12.0,
            "title": "Summit underway in Wuzhen"},
    "ttml": {"language": "en", "title": "Summit underway in Wuzhen"},
}


def render(fmt: str, cues: list[Cue], **opts) -> str:
    buf = io.StringIO()
    write_subtitles(fmt, cues, buf, **opts)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", sorted(GOLDEN_OPTS))
def test_golden(fmt):
    out = render(fmt, fixed_cues(), **GOLDEN_OPTS[fmt])
    path = GOLDEN / f"cues{WRITERS[fmt].extension}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8", newline="")
    assert out == path.read_text(encoding="utf-8")


def test_registry():
    assert set(WRITERS) == {"srt", "vtt", "ass", "ttml"}
    assert WRITERS["vtt"].media_type == "text/vtt" and WRITERS["vtt"].extension == ".vtt"
    assert WRITERS["srt"].extension == ".srt" and WRITERS["ass"].extension == ".ass"
    with pytest.raises(InputError):
        write_subtitles("sbv", fixed_cues(), io.StringIO())


# ---------------------------------------------------------------- SRT


def test_srt_shape_and_neutralised_tags():
    out = render("srt", fixed_cues())
    assert out.endswith("\n\n") and not out.endswith("\n\n\n")
    assert "00:00:03,580 --> 00:00:06,000" in out
    assert "<script>" not in out and f"<{WJ}script{WJ}>" in out
    assert "-->" not in out.replace(" --> 00:", "")  # the quote's arrow cannot make a timing line
    assert "{" not in out and "}" not in out and "\\an8" not in out
    assert f"\n- \uff5b\\{WJ}an8" in out  # dash on the change of speaker
    assert f"\\{WJ}N a\\{WJ}b" in out
    parsed = list(srt_lib.parse(out))
    assert [p.index for p in parsed] == [1, 2, 3]
    assert parsed[1].content.replace("<" + WJ, "<").replace(WJ + ">", ">") == \
        "Science & technology <script>alert(1)</script>"
    assert parsed[1].start == timedelta(seconds=3.58)


def test_srt_speaker_label_options():
    out = render("srt", fixed_cues(), speaker_labels="name")
    assert "\nJack Ma: \uff5b" in out and "\nLiu Yunshan: We should" in out
    assert out.count("Liu Yunshan:") == 1
    assert "- " not in out
    out = render("srt", fixed_cues(), speaker_labels="none")
    assert "Jack Ma" not in out and "\n- " not in out


# ---------------------------------------------------------------- WebVTT


def test_vtt_escaping_and_voices():
    out = render("vtt", fixed_cues(), language="en")
    assert out.startswith("WEBVTT\nLanguage: en\n\n")
    assert "<v Liu Yunshan>Science &amp; technology &lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "-->" not in out.replace(" --> ", "")  # only in timing lines
    assert "internet --&gt; technologies" in out
    captions = list(webvtt.from_string(out))
    assert [c.voice for c in captions] == ["Liu Yunshan", "Liu Yunshan", "Jack Ma"]
    assert captions[2].start == "00:00:06.500"
    assert html.unescape(captions[1].text) == "Science & technology <script>alert(1)</script>"


def test_vtt_voice_annotation_escaped():
    c = Cue(index=1, start=0, end=1, lines=["hi"], speaker="A <b> & C")
    out = render("vtt", [c])
    assert "<v A &lt;b&gt; &amp; C>hi" in out
    assert read_subtitles(out, "vtt")[0].speaker == "A <b> & C"


# ---------------------------------------------------------------- ASS


def test_ass_header_styles_and_events():
    out = render("ass", fixed_cues(), **GOLDEN_OPTS["ass"])
    assert "PlayResX: 1920\nPlayResY: 1080\n" in out
    assert "ScaledBorderAndShadow: yes" in out and "WrapStyle: 2" in out
    subs = pysubs2.SSAFile.from_string(out)
    cap = subs.styles["Caption"]
    assert cap.fontname == "DejaVu Sans" and cap.fontsize == 59  # 5.5 % of 1080
    assert cap.alignment == 2 and cap.marginv >= 54 and cap.marginl >= 96 and cap.marginr >= 96
    assert cap.outline == pytest.approx(0.06 * 59, abs=0.1) and cap.shadow > 0
    credit = [e for e in subs if e.style == "Credit"]
    assert len(credit) == 1 and credit[0].start == 0 and credit[0].end == 12000
    assert credit[0].text == "Video: CCTV.com"
    assert subs.styles["Credit"].alignment == 9
    supers = [e for e in subs if e.style == "Super"]
    assert [e.start for e in supers] == [1000, 6500]  # each speaker's first cue, same times
    assert [e.end for e in supers] == [3500, 9040]
    assert supers[1].text.endswith("}Jack Ma") and "\\fad(" in supers[1].text
    titles = [e for e in subs if e.style == "SuperTitle"]
    assert [e.start for e in titles] == [1000, 6500] and titles[1].text.endswith("}Founder, Alibaba Group")
    straps = [e for e in subs if e.style == "Strap"]
    assert len(straps) == 4 and all("\\p1}m 0 0 l" in e.text for e in straps)  # strap + accent bar per super
    assert subs.styles["Super"].bold and not subs.styles["SuperTitle"].bold


def test_ass_escaping_renders_literally():
    c = Cue(index=1, start=0, end=1, lines=["{\\an8}<b>&"])
    out = render("ass", [c])
    event = [ln for ln in out.splitlines() if ln.startswith("Dialogue: 0,")][0]
    text = event.split(",", 9)[9]
    assert text == "\\{\\" + WJ + "an8\\}<b>&"
    assert libass_text(text) == "{\\an8}<b>&"
    # none of libass's escapes or an override block survive
    assert not re.search(r"(?<!\\)\{", text.replace("\\{", ""))
    assert "\\N" not in text and "\\h" not in text


def libass_text(text: str) -> str:
    """What libass shows for event text (an independent reading of its escapes and override blocks)."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("\\N", i) or text.startswith("\\n", i):
            out.append("\n")
            i += 2
        elif text.startswith("\\h", i):
            out.append("\u00a0")
            i += 2
        elif text.startswith("\\{", i) or text.startswith("\\}", i):
            out.append(text[i + 1])
            i += 2
        elif text[i] == "{" and "}" in text[i:]:
            i = text.index("}", i) + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out).replace("\\" + WJ, "\\")  # the joiner is zero-width: the backslash shows alone


@pytest.mark.parametrize(("w", "h"), [(1920, 1080), (1280, 720), (640, 360), (1080, 1920), (720, 576), (320, 180)])
def test_ass_layout_inside_title_safe_and_no_overlap(w, h):
    lay = ass_fmt.layout(w, h)
    safe = lay.safe_box()
    cap, sup = lay.caption_box(2), lay.super_box()
    assert not cap.overlaps(sup)
    for box in (cap, sup):
        assert box.top >= safe.top and box.bottom <= safe.bottom + 1
        assert box.left >= safe.left - 0.5 and box.right <= safe.right + 0.5
    # a full 42-character line fits the safe width (unless the frame is too small for 12 px)
    assert lay.font_size == 12 or 42 * ass_fmt.AVG_CHAR_EM * lay.font_size <= safe.right - safe.left
    assert lay.font_size >= 12


# ---------------------------------------------------------------- TTML


def test_ttml_is_wellformed_imsc_text():
    out = render("ttml", fixed_cues(), language="en")
    root = ET.fromstring(out.encode())
    tt = "{http://www.w3.org/ns/ttml}"
    assert root.tag == f"{tt}tt"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.get("{http://www.w3.org/ns/ttml#parameter}timeBase") == "media"
    ps = list(root.iter(f"{tt}p"))
    assert [p.get("begin") for p in ps] == ["00:00:01.000", "00:00:03.580", "00:00:06.500"]
    assert "".join(ps[1].itertext()) == "Science & technology <script>alert(1)</script>"
    assert len(ps[0].findall(f"{tt}br")) == 1


# ---------------------------------------------------------------- round trips

_bad_cats = ("Cc", "Cs", "Zl", "Zp")
_SANITISED = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufff9\ufffa\ufffb"
_token = st.one_of(
    st.sampled_from(["<", ">", "&", "{", "}", "\\", "-->", "\\N", "{\\an8}", "&amp;", "<b>", WJ, "é", "中文",
                     "🙂", " ", '"', "'"]),
    # direction controls are sanitised (videonews.textsafe; tests/robustness/test_text_properties.py)
    st.text(st.characters(exclude_categories=_bad_cats, exclude_characters=_SANITISED), min_size=1, max_size=6),
)
_line = st.lists(_token, min_size=1, max_size=8).map("".join).map(str.strip).filter(bool)


@st.composite
def cue_lists(draw, max_cues=5):
    n = draw(st.integers(1, max_cues))
    t = draw(st.integers(0, 5000))
    cues = []
    for i in range(n):
        start = t + draw(st.integers(0, 3000))
        end = start + draw(st.integers(1, 8000))
        t = end
        lines = draw(st.lists(_line, min_size=1, max_size=3))
        speaker = draw(st.one_of(st.none(), _line))
        cues.append(Cue(index=i + 1, start=start / 1000, end=end / 1000, lines=lines, speaker=speaker))
    return cues


@settings(max_examples=80, deadline=None, database=None)
@given(cue_lists())
def test_srt_round_trip(cues):
    out = render("srt", cues, speaker_labels="none")
    parsed = list(srt_lib.parse(out))
    assert len(parsed) == len(cues)
    for c, p in zip(cues, parsed, strict=True):
        assert round(p.start.total_seconds() * 1000) == round(c.start * 1000)
        assert round(p.end.total_seconds() * 1000) == round(c.end * 1000)
        expected = "\n".join(x.replace("{", "\uff5b").replace("}", "\uff5d") for x in c.lines)
        content = re.sub(r"^(\d+)\u2060$", r"\1", p.content, flags=re.M)  # a number line is not a cue number
        assert content.replace("<" + WJ, "<").replace(WJ + ">", ">").replace("\\" + WJ, "\\") == expected
        assert not re.search("<(?!" + WJ + ")", p.content)  # no tag can open
    ours = read_subtitles(out, "srt")
    assert [x.lines for x in ours] == [[y.replace("{", "\uff5b").replace("}", "\uff5d") for y in c.lines] for c in cues]


@settings(max_examples=80, deadline=None, database=None)
@given(cue_lists())
def test_vtt_round_trip(cues):
    out = render("vtt", cues)
    captions = list(webvtt.from_string(out))
    assert len(captions) == len(cues)
    for c, cap in zip(cues, captions, strict=True):
        assert cap.start == _vtt_clock(c.start) and cap.end == _vtt_clock(c.end)
        assert html.unescape(cap.text) == "\n".join(c.lines)
        for line in cap.raw_text.split("\n"):
            assert "-->" not in line
    ours = read_subtitles(out, "vtt")
    assert [x.lines for x in ours] == [c.lines for c in cues]
    assert [x.speaker for x in ours] == [c.speaker for c in cues]


def _vtt_clock(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


@settings(max_examples=80, deadline=None, database=None)
@given(cue_lists())
def test_ass_round_trip(cues):
    out = render("ass", cues)
    subs = pysubs2.SSAFile.from_string(out)
    events = [e for e in subs if e.style == "Caption"]
    assert len(events) == len(cues)
    for c, e in zip(cues, events, strict=True):
        assert e.start == 10 * int(c.start * 100 + 0.5)  # centiseconds
        assert e.end == 10 * int(c.end * 100 + 0.5)
        assert libass_text(e.text) == "\n".join(c.lines)
    ours = read_subtitles(out, "ass")
    assert [x.lines for x in ours] == [c.lines for c in cues]


@settings(max_examples=50, deadline=None, database=None)
@given(cue_lists())
def test_ttml_round_trip(cues):
    out = render("ttml", cues)
    ET.fromstring(out.encode())
    ours = read_subtitles(out, "ttml")
    assert [x.lines for x in ours] == [c.lines for c in cues]
    assert [round(x.start * 1000) for x in ours] == [round(c.start * 1000) for c in cues]


# ---------------------------------------------------------------- files


def test_save_is_atomic_and_readable(tmp_path: Path):
    cues = fixed_cues()
    for fmt in WRITERS:
        p = tmp_path / "out" / f"captions{WRITERS[fmt].extension}"
        save_subtitles(fmt, cues, p)
        assert p.read_bytes().decode("utf-8") == render(fmt, cues)
        back = read_subtitles(p)
        assert [round(c.start, 2) for c in back] == [1.0, 3.58, 6.5]
    assert [x.name for x in (tmp_path / "out").iterdir() if x.name.startswith(".")] == []


def test_save_failure_leaves_old_file(tmp_path: Path):
    p = tmp_path / "c.srt"
    p.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError):
        save_subtitles("srt", fixed_cues(), p, speaker_labels="bogus")
    assert p.read_text(encoding="utf-8") == "old"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["c.srt"]


def test_read_errors():
    with pytest.raises(SubtitleParseError) as exc:
        read_subtitles("hello\n00:00:01,000 --> 00:00:02,000\n", "vtt")
    assert exc.value.line == 1
    with pytest.raises(SubtitleParseError):
        read_subtitles("[Events]\nFormat: Layer, Start, End, Style, Text\nDialogue: 0,0:00:01.00\n", "ass")
    with pytest.raises(SubtitleParseError):
        read_subtitles("<tt xmlns='http://www.w3.org/ns/ttml'><p begin='1s'", "ttml")
    assert read_subtitles("1\n00:00:01,000 --> 00:00:02,500\n<i>hi</i>\n", "srt")[0].lines == ["hi"]


def _ffmpeg_with_libass() -> str | None:
    import shutil
    import subprocess

    exe = shutil.which("ffmpeg")
    if exe is None:
        try:
            import imageio_ffmpeg

            exe = imageio_ffmpeg.get_ffmpeg_exe()
        except Exception:
            return None
    try:
        out = subprocess.run([exe, "-hide_banner", "-filters"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return exe if re.search(r"^\s*\S+\s+ass\s", out, re.M) else None


def test_libass_shows_the_injection_attempt_at_the_bottom(tmp_path: Path):
    """Burn one frame with real libass: an `{\\an8}` in the quote must not move the caption to the top."""
    import subprocess

    exe = _ffmpeg_with_libass()
    if exe is None:
        pytest.skip("no ffmpeg with libass")
    w, h = 320, 180
    cue = Cue(index=1, start=0.0, end=2.0, lines=["{\\an8}<b>&"])
    save_subtitles("ass", [cue], tmp_path / "t.ass", width=w, height=h)
    proc = subprocess.run(
        [exe, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", f"color=c=black:s={w}x{h}:d=1",
         "-vf", "ass=t.ass", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        cwd=tmp_path, capture_output=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    frame = proc.stdout
    assert len(frame) == w * h

    def lit(y0: int, y1: int) -> int:
        return sum(1 for y in range(y0, y1) for x in range(w) if frame[y * w + x] > 128)

    assert lit(0, h // 2) == 0  # nothing at the top (\an8 would put it there)
    assert lit(h // 2, h) > 20  # the text, at the bottom


def test_reads_foreign_files():
    srt_text = "\ufeff1\r\n00:00:01,000 --> 00:00:02,000 X1:10\r\n<i>Hello</i> {\\an8}there\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,500\r\nbye\r\n"
    cues = read_subtitles(srt_text, "srt")
    assert [(c.start, c.end, c.lines) for c in cues] == [(1.0, 2.0, ["Hello there"]), (3.0, 4.5, ["bye"])]
    vtt_text = ("WEBVTT - demo\n\nNOTE a comment\n\nSTYLE\n::cue { color: red }\n\nid-1\n"
                "01:02.500 --> 01:04.000 line:0 align:start\n<v.loud Ann Lee>Hi <b>&amp;</b> bye\n")
    (c,) = read_subtitles(vtt_text, "vtt")
    assert (c.start, c.end, c.lines, c.speaker) == (62.5, 64.0, ["Hi & bye"], "Ann Lee")
    ass_text = ("[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, "
                "MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.50,0:00:03.00,Default,Bob,0,0,0,,"
                "{\\i1}Hi,{\\i0} there\\Nnext\nComment: 0,0:00:01.50,0:00:03.00,Default,,0,0,0,,hidden\n")
    (c,) = read_subtitles(ass_text)
    assert (c.start, c.end, c.lines, c.speaker) == (1.5, 3.0, ["Hi, there", "next"], "Bob")
