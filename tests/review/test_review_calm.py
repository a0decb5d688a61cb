"""A calmer review page: findings ranked (errors, then what needs a person, then advice), a style target
that is only advice never orange, and the sidecar track never doubling the burned-in captions."""

from __future__ import annotations

import re

from videonews.models import LintFinding, LintReport
from videonews.review import write_review_page

from .conftest import Built


def _render(b: Built, findings: list[LintFinding]) -> str:
    lint = LintReport(profile="netflix", cues=2, findings=findings)
    write_review_page(b.manifest, b.folder, analysis=b.analysis, plan=b.plan, lint=lint)
    return (b.folder / "review" / "index.html").read_text(encoding="utf-8")


ADVICE = LintFinding(cue=1, rule="cps", message="18.2 characters/s is above the 17 target", value=18.2, limit=17,
                     severity="warning")
ERROR = LintFinding(cue=2, rule="cps", message="20.8 characters/s, limit 20", value=20.8, limit=20)


def test_advice_is_not_orange_and_comes_last(package: Built) -> None:
    html = _render(package, [ADVICE, ERROR])
    row1 = re.search(r'<tr class="([^"]*)" id="cue-1">', html)
    row2 = re.search(r'<tr class="([^"]*)" id="cue-2">', html)
    assert row1 and row1.group(1) == "advice"  # not "warning": no orange
    assert row2 and row2.group(1) == "error"
    assert '<li class="advice"><strong>cps</strong>' in html
    assert "0 to check" in html and "1 advice" in html
    ranked = re.search(r'<ol class="ranked">(.*?)</ol>', html, re.S)
    assert ranked is not None
    ranks = re.findall(r'<li class="rank-(\w+)">', ranked.group(1))
    assert ranks == sorted(ranks, key=["error", "person", "advice"].index)  # most serious first
    assert ranks[0] == "error" and ranks[-1] == "advice" and "person" in ranks  # the manifest's warning
    timeline = (package.folder / "review" / "timeline.svg").read_text(encoding="utf-8")
    # the advice cue's bar is drawn as advice (the plain cue colour), not as a warning (orange)
    assert "lint: advice" in timeline and "lint: warning" not in timeline and "lint: error" in timeline


def test_only_advice_leaves_the_rows_calm(package: Built) -> None:
    html = _render(package, [ADVICE])
    assert 'class="warning"' not in html.split('id="subtitles"')[1].split("</section>")[0]
    assert '<span class="badge approved">0 to check</span>' in html


def test_the_sidecar_track_is_off_by_default_with_a_toggle(package: Built) -> None:
    html = _render(package, [])
    track = re.search(r"<track [^>]*>", html)
    assert track and " default" not in track.group(0)
    assert 'id="sidecar-toggle"' in html
