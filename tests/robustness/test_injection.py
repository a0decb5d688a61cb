"""Markup in a quote ({\\an8}, <b>, &, <script>) is text: it reaches every output literally and never
styles, positions or runs anything. One real build is checked in every format, and the burned-in
picture shows the caption at the bottom (libass did not obey {\\an8})."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import rb_media as m
from conftest import FAST, Media
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from videonews.manifest import verify_package
from videonews.pipeline import BuildResult, build_story

WJ = "\u2060"
Q = m.INJECTED


@pytest.fixture(scope="module")
def injected(media: Media, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("inject")
    # timed by hand: this is about the quote's text in every format, not about where it is said
    story = m.make_story(root / "s", article=m.INJECTION_ARTICLE, video=media.video("base"), timings={"q1": (0.2, 2.8)})
    result = build_story(story, root / "out", FAST)
    assert verify_package(result.package) == []
    return result


def _sub(result: BuildResult, ext: str) -> str:
    (path,) = (result.package / "subtitles").glob(f"*.{ext}")
    return path.read_text(encoding="utf-8")


def _words(text: str) -> str:
    return " ".join(text.split())


def test_manifest_keeps_the_quote_verbatim(injected: BuildResult) -> None:
    data = json.loads((injected.package / "manifest.json").read_text(encoding="utf-8"))
    assert [q["text"] for q in data["quotes"]] == [Q]
    ld = json.loads((injected.package / "structured-data.jsonld").read_text(encoding="utf-8"))  # still JSON
    strings: list[str] = []

    def walk(v: object) -> None:
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(ld)
    assert all(Q in s for s in strings if "alert(1)" in s)  # if the quote is there, it is there verbatim
    raw = (injected.package / "structured-data.jsonld").read_text(encoding="utf-8")
    assert "<" not in raw and ">" not in raw  # and escaped so it can be embedded in a script element


def test_srt_shows_markup_literally(injected: BuildResult) -> None:
    text = _sub(injected, "srt")
    payload = "\n".join(ln for ln in text.splitlines() if ln and not ln.isdigit() and "-->" not in ln)
    assert not re.search(r"<(?!\u2060)", payload), "a '<' that players would read as a tag"
    assert "{" not in payload and "}" not in payload, "a brace that libass/ffmpeg would read as an override"
    assert not re.search(r"\\(?!\u2060)", payload), "a backslash escape"
    shown = payload.replace(WJ, "").replace("\uff5b", "{").replace("\uff5d", "}")
    assert _words(Q) in _words(shown.removeprefix("- "))


def test_vtt_escapes_markup(injected: BuildResult) -> None:
    text = _sub(injected, "vtt")
    cues = text.split("\n\n")[1:]
    payload = "\n".join(ln for c in cues for ln in c.splitlines() if ln and "-->" not in ln)
    voices = re.findall(r"<v [^<>&]*>", payload)
    assert all(v == "<v Anna Berg>" for v in voices)  # the speaker's voice span is the only tag
    payload = re.sub(r"<v [^<>&]*>|</v>", "", payload)
    assert "<" not in payload and ">" not in payload.replace("-->", "")
    assert not re.search(r"&(?!amp;|lt;|gt;)", payload), "an unescaped '&'"
    assert _words(Q) in _words(html.unescape(payload).removeprefix("- "))
    webvtt = pytest.importorskip("webvtt")
    import io

    parsed = webvtt.from_buffer(io.StringIO(text)) if hasattr(webvtt, "from_buffer") else webvtt.read(
        str(next((injected.package / "subtitles").glob("*.vtt"))))
    assert _words(Q) in _words(html.unescape(" ".join(c.text for c in parsed)))


def test_ass_cannot_be_overridden(injected: BuildResult) -> None:
    from videonews.subtitles.formats.ass import unescape

    _, _, events = m.ass_sections(_sub(injected, "ass"))
    captions = [e["Text"] for e in events if e["Style"] == "Caption"]
    assert captions
    for t in captions:
        # libass reads {...} as overrides and \N \n \h \{ \} as escapes: only our \N and \{ \} may remain
        assert not re.search(r"(?<!\\)\{", t), t
        assert not re.search(r"\\(?![N{}\u2060])", t), t
    shown = " ".join(unescape(t).replace("\n", " ") for t in captions)
    assert _words(Q) in _words(shown)


def test_ttml_is_well_formed_and_literal(injected: BuildResult) -> None:
    root = ET.fromstring(_sub(injected, "ttml").encode("utf-8"))
    assert not [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] in {"script", "b"}]
    paras = [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "p"]

    def text_of(el: ET.Element) -> str:
        parts = [el.text or ""]
        for child in el:
            parts += [" " if child.tag.rsplit("}", 1)[-1] == "br" else text_of(child), child.tail or ""]
        return "".join(parts)

    shown = " ".join(text_of(p) for p in paras)
    assert _words(Q) in _words(shown.removeprefix("- "))


def test_review_page_escapes_markup(injected: BuildResult) -> None:
    pages = [p for p in (injected.package / "review").rglob("*") if p.is_file() and p.suffix in {".html", ".js"}]
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text and "<b>bold</b>" not in text, page
        assert "alert(1)" in text or page.suffix != ".html"  # the quote is there, as text
        # every </script> closes a script the page opened itself
        assert text.count("</script>") == len(re.findall(r"<script\b", text)), page


def test_burned_in_caption_stays_at_the_bottom(injected: BuildResult, media: Media, tmp_path: Path) -> None:
    """If libass obeyed {\\an8} the caption would move to the top centre."""
    _, _, events = m.ass_sections(_sub(injected, "ass"))
    cue = next(e for e in events if e["Style"] == "Caption")

    def secs(ts: str) -> float:
        h, mi, s = ts.split(":")
        return int(h) * 3600 + int(mi) * 60 + float(s)

    t = (secs(cue["Start"]) + secs(cue["End"])) / 2
    src = m.grab_frame(media.exe, media.video("base"), t, tmp_path / "src.png")
    cap = m.grab_frame(media.exe, injected.package / "captioned.mp4", t, tmp_path / "cap.png")
    h, w = src.shape
    bottom = np.abs(src[int(h * 0.8):] - cap[int(h * 0.8):]).mean()
    top = np.abs(src[int(h * 0.14):int(h * 0.45), : int(w * 0.5)] - cap[int(h * 0.14):int(h * 0.45), : int(w * 0.5)])
    assert bottom > 4 and bottom > 3 * top.mean(), (bottom, top.mean())


# --- property: whatever a quote holds, the writers keep it text -------------------------------------------

_TOKENS = list("ab {}\\<>&/;Nnh='") + ["<b>", "</b>", "{\\an8}", "\\N", "<script>", "&amp;", "-->", "\\h",
                                          "{\\b1}", "\\{", "<i>", "<v x>", "&lt;", "\u2028", "\r\n"]
_MARKUPY = st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=16).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inner=_MARKUPY)
def test_parsed_quotes_never_inject_markup(inner: str) -> None:
    from videonews.article import parse_article_text
    from videonews.models import Cue
    from videonews.subtitles.formats import WRITERS
    from videonews.subtitles.formats.ass import unescape as ass_unescape

    inner = inner.replace('"', "'").strip()
    if not inner.strip(" -"):
        return
    art = parse_article_text(f'Headline here\n\nBody text of the story.\n\n"Well {inner} indeed," said Anna Berg.\n')
    texts = [q.text for q in art.quotes] or [inner]
    for text in texts:
        cue = Cue(index=1, start=0.0, end=2.0, lines=[text], speaker="Anna Berg")
        import io

        out = {}
        for fmt in ("srt", "vtt", "ass"):
            buf = io.StringIO()
            WRITERS[fmt].write([cue], buf, width=320, height=180, language="en")
            out[fmt] = buf.getvalue()
        srt_body = out["srt"].split("\n", 2)[2]
        assert not re.search(r"<(?!\u2060)", srt_body) and "{" not in srt_body and "}" not in srt_body
        assert not re.search(r"\\(?!\u2060)", srt_body)
        vtt_body = re.sub(r"^<v Anna Berg>|</v>", "", out["vtt"].split("-->", 1)[1].split("\n", 1)[1], flags=re.M)
        assert "<" not in vtt_body and not re.search(r"&(?!amp;|lt;|gt;)", vtt_body)
        assert "\n\n" not in vtt_body.strip("\n")  # a blank line would end the cue early
        _, _, events = m.ass_sections(out["ass"])
        (cap,) = [e["Text"] for e in events if e["Style"] == "Caption"]
        assert not re.search(r"(?<!\\)\{", cap) and not re.search(r"\\(?![{}\u2060])", cap), cap
        assert _words(ass_unescape(cap)) == _words(text)
