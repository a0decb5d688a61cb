"""Whatever a quote holds (any Unicode: controls, separators, lone surrogates, bidi controls, subtitle
syntax of every format), every writer keeps it text: read back by an independent parser (`srt`,
`webvtt-py`, `pysubs2`, an XML parser for TTML), the cue count and the text survive, and nothing is
injected (no extra cue, no tag, no override, no direction control left open)."""

from __future__ import annotations

import html
import io
import re
import unicodedata
import xml.etree.ElementTree as ET

import pysubs2
import srt as srt_lib
import webvtt
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from videonews.models import Cue
from videonews.subtitles.formats import WRITERS
from videonews.textsafe import safe_line

WJ = "\u2060"
TT = "{http://www.w3.org/ns/ttml}"
# what a hostile quote would carry: each format's syntax, line and cue breaks, direction controls
TOKENS = ["\n", "\r\n", "\n\n", "\r", "\u2028", "\u2029", "\x00", "\x85", "\x1b[31m", "-->", "- >", "--  >",
          "00:00:00,000 --> 00:01:00,000 x", "00:00:05.000 --> 00:00:09.000", "12", "1\n00:00:01,000", "\n3\n00:00:01,000 x", "WEBVTT",
          "NOTE", "STYLE", "<v Mallory>", "</v>", "<b>", "<i>", "<c.x>", "&amp;", "&lt;", "&", "<", ">",
          "[Events]", "\nDialogue: 0,0:00:00.00,0:01:00.00,Caption,,0,0,0,,x", "{\\an8}", "{", "}", "\\N", "\\h",
          "\\", ",", "</p>", "<br/>", "]]>", "<!--", "\ufffe", "\uffff", "\u202e", "\u202d", "\u202c", "\u2066",
          "\u2067", "\u2068", "\u2069", "\u200f", "\ufeff", WJ, " ", "é", "中文", "🙂"]
TEXT = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(st.characters(exclude_categories=()), max_size=5)),
                min_size=1, max_size=12).map("".join)


def _expected(line: str) -> str:
    """What a line should read as after the one sanitising step (videonews.textsafe)."""
    return safe_line(line).strip()


def _cues(texts: list[str], speaker: str) -> tuple[list[Cue], list[list[str]]]:
    cues, shown = [], []
    for n, text in enumerate(texts):
        lines = text.split("\n")  # as if the planner broke the quote there
        cues.append(Cue(index=n + 1, start=n * 3.0, end=n * 3.0 + 2.0, lines=lines, speaker=speaker or None))
        kept = [x for x in map(_expected, lines) if x]
        if kept:
            shown.append(kept)
    return cues, shown


def _write(fmt: str, cues: list[Cue]) -> str:
    buf = io.StringIO()
    WRITERS[fmt].write(cues, buf, width=640, height=360, language="en", speaker_labels="none")
    return buf.getvalue()


def _no_controls(text: str) -> None:
    """No character that would break a line, reverse a run or leave an isolate open."""
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", text), repr(text)
    for line in text.split("\n"):
        depth = 0
        for ch in line:
            depth += 1 if ch in "\u2066\u2067\u2068" else -1 if ch == "\u2069" else 0
            assert depth >= 0, repr(line)
        assert depth == 0, repr(line)


def _libass(text: str) -> str:
    """What libass shows for event text: its escapes and override blocks, read independently."""
    out, i = [], 0
    while i < len(text):
        two = text[i:i + 2]
        if two in ("\\N", "\\n"):
            out.append("\n")
            i += 2
        elif two in ("\\{", "\\}"):
            out.append(two[1])
            i += 2
        elif text[i] == "{" and "}" in text[i:]:
            raise AssertionError(f"an override block reached libass: {text!r}")
        else:
            out.append(text[i])
            i += 1
    return "".join(out).replace("\\" + WJ, "\\")


PROPERTY = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.lists(TEXT, min_size=1, max_size=3), TEXT)
def test_srt_keeps_any_text_as_text(texts: list[str], speaker: str) -> None:
    cues, shown = _cues(texts, speaker)
    out = _write("srt", cues)
    parsed = list(srt_lib.parse(out))  # strict: any text it cannot place raises
    assert len(parsed) == len(shown)
    for p, lines in zip(parsed, shown, strict=True):
        assert not re.search(r"<(?!\u2060)|(?<!\u2060)>|[{}]", p.content), p.content  # no tag, arrow or override
        body = re.sub(r"^(\d+)\u2060$", r"\1", p.content, flags=re.M)
        body = body.replace("<" + WJ, "<").replace(WJ + ">", ">").replace("\\" + WJ, "\\")
        assert body == "\n".join(x.replace("{", "\uff5b").replace("}", "\uff5d") for x in lines)
        _no_controls(p.content)


@PROPERTY
@given(st.lists(TEXT, min_size=1, max_size=3), TEXT)
@example(["x"], "<!--")  # the voice span's '>' after a trailing '--' made a '-->'
def test_webvtt_keeps_any_text_as_text(texts: list[str], speaker: str) -> None:
    cues, shown = _cues(texts, speaker)
    out = _write("vtt", cues)
    captions = list(webvtt.from_string(out))
    assert len(captions) == len(shown)
    for cap, lines in zip(captions, shown, strict=True):
        assert "-->" not in cap.raw_text
        raw = re.sub(r"^<v [^<>]*>", "", cap.raw_text)  # the speaker's voice span: the only tag
        assert "<" not in raw and ">" not in raw
        assert html.unescape(raw) == "\n".join(lines)
        _no_controls(html.unescape(cap.raw_text))


@PROPERTY
@given(st.lists(TEXT, min_size=1, max_size=3), TEXT)
def test_ass_keeps_any_text_as_text(texts: list[str], speaker: str) -> None:
    cues, shown = _cues(texts, speaker)
    out = _write("ass", cues)
    subs = pysubs2.SSAFile.from_string(out)
    captions = [e for e in subs if e.style == "Caption"]
    assert len(captions) == len(shown)
    assert len(subs) - len(captions) == sum(1 for c in cues if c.first_for_speaker)  # no smuggled event
    for event, lines in zip(captions, shown, strict=True):
        assert _libass(event.text) == "\n".join(lines)
        _no_controls(_libass(event.text))


@PROPERTY
@given(st.lists(TEXT, min_size=1, max_size=3), TEXT)
def test_ttml_keeps_any_text_as_text(texts: list[str], speaker: str) -> None:
    cues, shown = _cues(texts, speaker)
    root = ET.fromstring(_write("ttml", cues).encode("utf-8"))
    paras = list(root.iter(f"{TT}p"))
    assert len(paras) == len(shown)
    for p, lines in zip(paras, shown, strict=True):
        assert [child.tag for child in p] == [f"{TT}br"] * (len(lines) - 1)  # text and line breaks only
        got = (p.text or "") + "".join("\n" + (child.tail or "") for child in p)
        want = "\n".join(re.sub("[\ufffe\uffff]", "\ufffd", x) for x in lines)  # not XML characters
        assert got == want
        _no_controls(got)


@settings(max_examples=300, deadline=None, database=None)
@given(TEXT)
def test_sanitising_is_idempotent_and_keeps_plain_text(text: str) -> None:
    once = safe_line(text)
    assert safe_line(once) == once
    _no_controls(once)
    plain = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNPS" or ch == " ")
    assert safe_line(plain) == plain  # letters, digits, punctuation, symbols and spaces pass untouched


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT)
def test_article_text_reaches_the_writers_sanitised(headline: str, quote: str) -> None:
    """The article's headline, body, quotes and speakers (what the manifest, the review page and the
    JSON-LD show) carry no control or unbalanced direction character either."""
    from videonews.article import parse_article_text
    from videonews.errors import ArticleError

    try:
        art = parse_article_text(f'{headline}\n\nMinisters met on Tuesday.\n\n"{quote}," said Anna Berg.\n')
    except ArticleError:
        return
    for text in [art.headline or "", art.source or "", art.text, *(q.text for q in art.quotes),
                 *(q.speaker or "" for q in art.quotes)]:
        _no_controls(text)
