"""Lint: one cue that breaks each rule, clean cues, files."""

from __future__ import annotations

from pathlib import Path

import pytest

from videonews.errors import SubtitleParseError
from videonews.models import PROFILES, Cue
from videonews.subtitles import lint_cues, lint_file, save_subtitles

NETFLIX = PROFILES["netflix"]
FPS = 25.0


def cue(i: int, start: float, end: float, *lines: str) -> Cue:
    return Cue(index=i, start=start, end=end, lines=list(lines) or ["Fine text here."])


def rules(report, severity="error"):
    return {(f.cue, f.rule) for f in report.findings if f.severity == severity}


def test_clean_cues_pass():
    cues = [cue(1, 1.0, 3.5, "We should regard it", "as a basic principle."), cue(2, 3.58, 5.0, "And so on.")]
    report = lint_cues(cues, profile=NETFLIX, fps=FPS, shots=[1.0, 7.0], duration=10.0)
    assert report.ok and report.findings == [] and report.cues == 2 and report.profile == "netflix"


@pytest.mark.parametrize(
    ("bad", "rule", "value", "limit"),
    [
        (cue(1, 1.0, 4.0, "x" * 43), "chars_per_line", 43, 42),
        (cue(1, 1.0, 4.0, "one", "two", "three"), "lines", 3, 2),
        (cue(1, 1.0, 1.48, "Hi."), "min_duration", 0.48, 0.833),
        (cue(1, 1.0, 9.0, "Too long on screen."), "max_duration", 8.0, 7.0),
        (cue(1, 1.0, 2.0, "x" * 30), "cps", 30.0, 20.0),
        (cue(1, 1.0, 2.0, " "), "empty", 0, 1),
        (cue(1, 2.0, 2.0, "Zero."), "order", 0.0, 0.0),
    ],
)
def test_each_single_cue_rule(bad, rule, value, limit):
    report = lint_cues([bad], profile=NETFLIX, fps=FPS)
    found = [f for f in report.findings if f.rule == rule and f.severity == "error"]
    assert found, report.findings
    assert found[0].cue == 1
    assert found[0].value == pytest.approx(value)
    assert found[0].limit == pytest.approx(limit, abs=1e-3)
    assert not report.ok


def test_gap_overlap_and_too_close():
    cues = [cue(1, 1.0, 3.0), cue(2, 2.6, 4.5), cue(3, 4.54, 6.0)]
    report = lint_cues(cues, profile=NETFLIX, fps=FPS)
    gaps = {f.cue: f for f in report.findings if f.rule == "gap"}
    assert gaps[2].value == -10 and gaps[2].limit == 2
    assert gaps[3].value == 1 and gaps[3].limit == 2


def test_unclosed_small_gap_is_a_warning():
    cues = [cue(1, 1.0, 3.0), cue(2, 3.2, 5.0)]  # 5 frames
    report = lint_cues(cues, profile=NETFLIX, fps=FPS)
    assert report.ok
    assert (2, "gap") in rules(report, "warning")


def test_order():
    cues = [cue(1, 5.0, 6.0), cue(2, 1.0, 2.0)]
    assert (2, "order") in rules(lint_cues(cues, profile=NETFLIX, fps=FPS))


def test_crosses_cut_and_near_cut():
    cues = [cue(1, 1.0, 3.0), cue(2, 4.2, 6.0), cue(3, 7.0, 8.92)]
    shots = [2.0, 4.0, 9.0]
    report = lint_cues(cues, profile=NETFLIX, fps=FPS, shots=shots)
    crossing = [f for f in report.findings if f.rule == "crosses_cut"]
    assert [(f.cue, f.value) for f in crossing] == [(1, 2.0)]
    near = [f for f in report.findings if f.rule == "near_cut"]
    assert {f.cue for f in near} == {2}  # 5 frames after the cut at 4.0
    assert near[0].severity == "warning" and near[0].value == 5 and near[0].limit == 12
    # cue 3 ends 2 frames before the cut at 9.0: that counts as on it


def test_bounds():
    report = lint_cues([cue(1, 8.0, 11.0)], profile=NETFLIX, fps=FPS, duration=10.0)
    assert (1, "bounds") in rules(report)


def test_bbc_profile_is_stricter():
    c = cue(1, 1.0, 3.0, "x" * 40)
    assert lint_cues([c], profile=NETFLIX, fps=FPS).ok
    report = lint_cues([c], profile=PROFILES["bbc"], fps=FPS)
    assert (1, "chars_per_line") in rules(report)


def test_times_are_measured_in_frames_at_2997():
    fps = 30000 / 1001
    # 2 frames at 29.97 = 66.7 ms; millisecond (or centisecond) rounding must not read as 1.99 frames
    a_end = round(100 / fps, 2)
    b_start = round(102 / fps, 3)
    cues = [cue(1, 1.0, a_end), cue(2, b_start, 5.0)]
    assert not [f for f in lint_cues(cues, profile=NETFLIX, fps=fps).findings if f.rule == "gap"]


def test_lint_file_reads_each_format(tmp_path: Path):
    cues = [cue(1, 1.0, 4.0, "x" * 50), cue(2, 4.08, 6.0)]
    for fmt in ("srt", "vtt", "ass", "ttml"):
        p = tmp_path / f"c.{fmt}"
        save_subtitles(fmt, cues, p)
        report = lint_file(p, profile=NETFLIX)
        assert rules(report) == {(1, "chars_per_line")}, fmt


def test_lint_file_parse_error_has_line(tmp_path: Path):
    p = tmp_path / "bad.srt"
    p.write_text("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nnot a timing line\ntext\n", encoding="utf-8")
    with pytest.raises(SubtitleParseError) as exc:
        lint_file(p, profile=NETFLIX)
    assert exc.value.line == 6
    assert "line 6" in str(exc.value)
    p2 = tmp_path / "bad.vtt"
    p2.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nhi\n", encoding="utf-8")
    with pytest.raises(SubtitleParseError) as exc:
        lint_file(p2, profile=NETFLIX)
    assert exc.value.line == 3
    p3 = tmp_path / "missing.srt"
    with pytest.raises(SubtitleParseError):
        lint_file(p3, profile=NETFLIX)
    p4 = tmp_path / "latin1.srt"
    p4.write_bytes("1\n00:00:01,000 --> 00:00:02,000\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(SubtitleParseError) as exc:
        lint_file(p4, profile=NETFLIX)
    assert exc.value.line == 3
