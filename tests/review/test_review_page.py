"""The review page: contents, escaping, relative links, plots."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from videonews.manifest import verify_package
from videonews.review import write_review_page
from videonews.review.page import DECISION_END, DECISION_START, fmt_clock, safe_url
from videonews.review.plots import CueBar, loudness_svg, timeline_svg

from .conftest import EVIL, STORY_ID, Built


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attr, value)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        for attr in ("href", "src", "poster"):
            if d.get(attr):
                self.links.append((tag, attr, d[attr] or ""))


def _page(b: Built) -> str:
    return (b.folder / "review" / "index.html").read_text(encoding="utf-8")


def test_page_and_plots_are_written(package: Built) -> None:
    review = package.folder / "review"
    for name in ("index.html", "timeline.svg", "loudness.svg", "safe-area.jpg", "data.json"):
        assert (review / name).is_file(), name
    for name in ("timeline.svg", "loudness.svg"):
        root = ET.fromstring((review / name).read_text(encoding="utf-8"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert int(root.get("width", "0")) > 0 and int(root.get("height", "0")) > 0
    # the review folder is not an asset: the package still verifies
    assert verify_package(package.folder) == []


def test_article_text_is_escaped(package: Built) -> None:
    html = _page(package)
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    # the cue text also reaches the timeline's tooltips, escaped
    svg = (package.folder / "review" / "timeline.svg").read_text(encoding="utf-8")
    assert EVIL not in svg and "&lt;script&gt;" in svg


def test_javascript_source_url_is_not_a_link(package: Built) -> None:
    parser = _Links()
    parser.feed(_page(package))
    assert not any(v.lower().startswith("javascript:") for _, _, v in parser.links)
    assert "javascript:alert(2)" in _page(package)  # shown as text
    assert safe_url("https://example.com/a") == "https://example.com/a"
    assert safe_url(" JavaScript:alert(1)") is None


def test_relative_links_resolve_to_files_in_the_package(package: Built) -> None:
    parser = _Links()
    parser.feed(_page(package))
    review = package.folder / "review"
    root = package.folder.resolve()
    checked = 0
    for tag, attr, value in parser.links:
        parts = urlsplit(value)
        if parts.scheme in ("http", "https", "data") or value.startswith("#"):
            continue
        assert not parts.scheme and not value.startswith("/"), f"absolute link {value}"
        target = (review / unquote(parts.path)).resolve()
        assert target.is_file(), f"<{tag} {attr}={value}> points at a missing file"
        assert root in target.parents
        checked += 1
    assert checked >= 15
    tracks = [d for t, d in parser.tags if t == "track"]
    # no `default`: the sidecar track is off over the burned-in captions (a toggle shows it)
    assert tracks == [{"kind": "subtitles", "src": f"../subtitles/{STORY_ID}.en.vtt",
                       "srclang": "en", "label": "en (sidecar WebVTT)"}]
    video = next(d for t, d in parser.tags if t == "video")
    assert video["src"] == "../preview.mp4" and video["poster"] == "../images/poster.jpg"
    imgs = {d["src"] for t, d in parser.tags if t == "img"}
    assert {"timeline.svg", "loudness.svg", "safe-area.jpg", "../contact-sheet.jpg",
            "../images/poster.jpg"} <= imgs
    assert {a.path for a in package.manifest.assets if a.media_type.startswith("image/")} <= \
        {s.removeprefix("../") for s in imgs}


def test_page_contents(package: Built) -> None:
    html = _page(package)
    m = package.manifest
    for a in m.assets:  # every asset with bytes and sha256
        assert a.sha256 in html and f">{a.bytes}<" in html
    assert m.content_digest() in html
    # quotes: speaker, title, confidence, needs_review flag
    assert "Water minister" in html and "0.95" in html and "0.40" in html
    assert 'class="check" id="quote-q2"' in html and "CHECK ATTRIBUTION" in html
    assert "speaker named only by surname" in html
    # subtitle table: lint finding on its row
    assert 'class="error" id="cue-2"' in html and 'class="" id="cue-1"' in html
    assert "20.8 characters/s" in html
    assert "00:00:01.600" in html and "00:00:02.800" in html
    # credits read back from the files; a rendition without credits is flagged
    assert "Li Xin" in html and "(c) Xinhua/Li Xin" in html
    assert "no photographer or credit embedded" in html
    # poster candidates with scores
    assert "0.812" in html and "0.550" in html and "chosen" in html
    # story facts, warnings, loudness verdict, QA
    assert "Example News" in html and "differs from the article" in html and "shortened to fit" in html
    assert "-0.4 dBTP" in html and "over the limit" in html
    assert 'id="qa-status">pending<' in html
    # file:// page: the CLI command between the decision markers, no form
    block = html[html.index(DECISION_START):html.index(DECISION_END)]
    assert "videonews review approve" in block and "<form" not in html


def test_credits_fallback_without_images_module(package: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "videonews.images", None)  # import raises ImportError
    write_review_page(package.manifest, package.folder)
    html = _page(package)
    assert "Li Xin" in html and "(c) Xinhua/Li Xin" in html


def test_rerender_from_saved_data(package: Built) -> None:
    """A re-render with only the manifest (after a decision) keeps the loudness series and the cue plan."""
    review = package.folder / "review"
    before = (review / "loudness.svg").read_text(encoding="utf-8")
    write_review_page(package.manifest, package.folder)
    assert (review / "loudness.svg").read_text(encoding="utf-8") == before
    assert "<polyline" in before
    assert "Water minister" in _page(package)  # speaker_title only exists in the plan's cues


def test_rerender_without_saved_data_reads_the_subtitle_files(package: Built) -> None:
    (package.folder / "review" / "data.json").unlink()
    write_review_page(package.manifest, package.folder)
    html = _page(package)
    assert 'id="cue-2"' in html and "&lt;script&gt;" in html and EVIL not in html


def test_safe_area_frame_comes_from_the_captioned_video(package: Built) -> None:
    html = _page(package)
    assert "captioned.mp4 at 0.95 s" in html
    with Image.open(package.folder / "review" / "safe-area.jpg") as im:
        assert im.size == (320, 180)
        rgb = im.convert("RGB")
        # title-safe line: 5% in from the left edge, cyan
        r, g, b = rgb.getpixel((round(320 * 0.05) + 1, 90))
        assert g > 150 and b > 150 and r < 120


def test_safe_area_falls_back_to_the_poster(package: Built) -> None:
    m = package.manifest.model_copy(deep=True)
    m.assets = [a for a in m.assets if a.role != "captioned_video"]
    write_review_page(m, package.folder, analysis=package.analysis, plan=package.plan, lint=package.lint)
    assert "images/poster.jpg (poster" in _page(package)


def test_timeline_svg_lanes() -> None:
    svg = timeline_svg(duration=10, speech=None, shots=[], cues=[
        CueBar(index=1, start=1, end=3, text='a "b" & <c>', severity="warning"),
        CueBar(index=2, start=9.99, end=10, text="tiny")], poster_time=9.5, candidates=[(2.0, 0.3)])
    root = ET.fromstring(svg)
    text = "".join(root.itertext())
    assert "no audio track" in text and "no shot changes" in text and "poster 9.50 s" in text
    assert 'a "b" &amp; &lt;c&gt;' in svg or "a &quot;b&quot; &amp; &lt;c&gt;" in svg
    assert "#e08a00" in svg  # warning colour


def test_loudness_svg_breaks_the_line_at_silence() -> None:
    series = [(0.0, -20.0, None), (0.5, -21.0, -22.0), (1.0, None, -22.0), (1.5, -19.0, -21.0)]
    svg = loudness_svg(duration=2.0, series=series, target=-23, integrated=-24.0, true_peak=-0.5)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}polyline")) == 3  # momentary in two runs, short-term in one
    text = "".join(root.itertext())
    assert "target -23" in text and "integrated -24.0" in text and "OVER" in text
    quiet = ET.fromstring(loudness_svg(duration=1.0, series=[], integrated=None, true_peak=None))
    assert "no loudness series" in "".join(quiet.itertext())


def test_fmt_clock() -> None:
    assert fmt_clock(3723.4567) == "01:02:03.457"


def test_page_without_subtitles_or_analysis(tmp_path: Path, package: Built) -> None:
    m = package.manifest.model_copy(deep=True)
    m.subtitles, m.analysis, m.poster = None, None, None
    m.no_subtitles_reason = "the article has no direct quotes"
    m.assets = [a for a in m.assets if a.role not in ("subtitles", "captioned_video")]
    (package.folder / "review" / "data.json").unlink()
    write_review_page(m, package.folder)
    html = _page(package)
    assert "No subtitles: the article has no direct quotes" in html and "<track" not in html
    ET.fromstring((package.folder / "review" / "timeline.svg").read_text(encoding="utf-8"))
