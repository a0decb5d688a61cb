"""Reviewers' edits as data: every `review edit` form recorded (who, when, what) and refused when wrong,
`review apply` re-rendering what the edits touch, and a rebuild of the story carrying them across."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from videonews.cli import main
from videonews.manifest import read_manifest, verify_package
from videonews.pipeline import build_story
from videonews.review.decision import record_decision
from videonews.review.edits import QuoteTimingEdit, add_edit, load_edits
from videonews.review.rerender import apply_edits

from .conftest import FAST


def _edit(pkg: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["review", "edit", str(pkg), "--by", "Mia", *args])


def _srt(pkg: Path) -> list[tuple[float, float, str]]:
    path = next((pkg / "subtitles").glob("*.srt"))
    out = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        a, b = lines[1].split(" --> ")
        out.append((_secs(a), _secs(b), " ".join(lines[2:])))
    return out


def _secs(stamp: str) -> float:
    h, m, s = stamp.strip().replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def _ass_times(pkg: Path) -> list[tuple[float, float]]:
    text = next((pkg / "subtitles").glob("*.ass")).read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^Dialogue: \d+,(\d+:\d\d:\d\d\.\d\d),(\d+:\d\d:\d\d\.\d\d),Caption,", text, re.M):
        out.append((_secs(m.group(1)), _secs(m.group(2))))
    return out


def test_every_edit_form_is_recorded_and_resets_an_approval(pkg):
    record_decision(pkg, "approved", by="Ed")
    before = read_manifest(pkg)
    forms = [
        ("--quote", "q1", "--start", "1.0", "--end", "6.5"),
        ("--quote", "q2", "--not-in-video"),
        ("--quote", "q2", "--speaker", "Anna Berg-Holm", "--title", "Water minister"),
        ("--cue", "1", "--cue-end", "4.0"),
        ("--poster-time", "2.5"),
        ("--note-at", "3.2", "--note", "the super is late here"),
    ]
    for args in forms:
        result = _edit(pkg, *args)
        assert result.exit_code == 0, result.output
        assert "qa: pending" in result.output
    log = load_edits(pkg)
    assert log is not None
    assert [e.kind for e in log.edits] == ["quote_timing", "quote_not_in_video", "quote_speaker", "cue_boundary",
                                           "poster_time", "note"]
    assert all(e.by == "Mia" and re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", e.at) for e in log.edits)
    speaker = log.edits[2]
    assert (speaker.article_speaker, speaker.speaker, speaker.title) == ("Anna Berg", "Anna Berg-Holm",  # type: ignore[union-attr]
                                                                           "Water minister")
    m = read_manifest(pkg)
    assert m.qa.status == "pending"
    notes = [e.note for e in m.qa.history[len(before.qa.history):]]
    assert len(notes) == len(forms) and all(e.status == "pending" for e in m.qa.history[len(before.qa.history):])
    assert notes[0] == "edit: quote q1 timed 1-6.5 s"
    # recorded, not yet applied: the files are those that were approved, and the package verifies
    assert m.content_digest() == before.content_digest()
    assert m.edits is not None and (m.edits.count, m.edits.applied) == (6, 0)
    assert verify_package(pkg) == []


@pytest.mark.parametrize(("args", "says"), [
    (("--quote", "q9", "--start", "1", "--end", "2"), "no direct quote 'q9'"),
    (("--quote", "q1", "--start", "1", "--end", "999"), "outside the video"),
    (("--quote", "q1", "--start", "-1", "--end", "2"), "outside the video"),
    (("--quote", "q1", "--start", "3", "--end", "2"), "is not before end"),
    (("--quote", "q1", "--speaker", "<b>Anna</b>"), "holds markup"),
    (("--quote", "q1", "--speaker", "Anna {\\b1}"), "holds markup"),
    (("--poster-time", "999"), "outside the video"),
    (("--note-at", "1.0", "--note", "   "), "the note is empty"),
    (("--quote", "q1", "--start", "1"), "needs both --start and --end"),
    ((), "no edit given"),
    (("--poster-time", "1", "--note-at", "1", "--note", "x"), "exactly one edit"),
    (("--cue", "99", "--cue-start", "1"), "no cue 99"),
    (("--quote", "q1", "--turn", "99"), "no voice turn 99"),
])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(pkg, args, says):
    manifest_before = (pkg / "manifest.json").read_bytes()
    result = _edit(pkg, *args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.output
    assert (pkg / "manifest.json").read_bytes() == manifest_before
    assert not (pkg / "edits.json").exists()


def test_a_quote_put_on_a_voice_turn_takes_its_times_never_the_reporters(pkg):
    voices = read_manifest(pkg).analysis.voices  # type: ignore[union-attr]
    assert voices is not None
    soundbite = next(i for i, t in enumerate(voices.turns) if not t.reporter)
    reporter = next(i for i, t in enumerate(voices.turns) if t.reporter)
    assert _edit(pkg, "--quote", "q2", "--turn", str(soundbite)).exit_code == 0
    e = load_edits(pkg).edits[-1]  # type: ignore[union-attr]
    turn = voices.turns[soundbite]
    assert (e.kind, e.start, e.end, e.turn) == ("quote_timing", round(turn.start, 3), round(turn.end, 3), soundbite)  # type: ignore[union-attr]
    result = _edit(pkg, "--quote", "q2", "--turn", str(reporter))
    assert result.exit_code == 2 and "reporter" in result.output


def test_a_timing_edit_replans_and_reencodes(pkg):
    old = read_manifest(pkg)
    old_video = next(a.sha256 for a in old.assets if a.role == "captioned_video")
    add_edit(pkg, QuoteTimingEdit(quote="q1", start=1.0, end=6.5, by="Mia", at=""))
    result = CliRunner().invoke(main, ["review", "apply", str(pkg)])
    assert result.exit_code == 0, result.output
    assert "full re-render" in result.output
    m = read_manifest(pkg)
    assert verify_package(pkg) == []
    q1 = next(q for q in m.quotes if q.id == "q1")
    assert q1.timing is not None and q1.timing.source == "edit" and (q1.timing.start, q1.timing.end) == (1.0, 6.5)
    assert "Mia" in (q1.timing.reason or "")
    cues = [c for c in _srt(pkg) if "finish the bridge" in c[2] or "floods" in c[2] or "safe" in c[2]]
    assert cues and abs(cues[0][0] - 1.0) < 0.05 and cues[-1][1] <= 6.5 + 0.041  # the frame grid
    assert abs(_ass_times(pkg)[0][0] - 1.0) < 0.02
    assert next(a.sha256 for a in m.assets if a.role == "captioned_video") != old_video
    assert m.edits is not None and (m.edits.count, m.edits.applied) == (1, 1)
    assert m.qa.status == "pending" and any("q1 timed" in (e.note or "") for e in m.qa.history)
    assert m.subtitles is not None and m.subtitles.timing_source in ("edit", "mixed")


def test_poster_only_edit_redoes_images_and_keeps_the_videos(pkg):
    old = read_manifest(pkg)
    keep = {a.path: a.sha256 for a in old.assets if a.role in ("captioned_video", "preview_video", "subtitles",
                                                               "contact_sheet")}
    old_poster = next(a for a in old.assets if a.role == "poster")
    assert _edit(pkg, "--poster-time", "5.0").exit_code == 0
    result = apply_edits(pkg, FAST)
    assert result.kind == "images"
    m = read_manifest(pkg)
    assert verify_package(pkg) == []
    assert {a.path: a.sha256 for a in m.assets if a.path in keep} == keep
    poster = next(a for a in m.assets if a.role == "poster")
    assert poster.time == 5.0 and poster.sha256 != old_poster.sha256
    assert m.poster is not None and (m.poster.time, m.poster.pinned, m.poster.pinned_by) == (5.0, True, "edit")
    assert m.poster.candidates == old.poster.candidates  # type: ignore[union-attr]
    assert all(a.time == 5.0 for a in m.assets if a.role in ("thumbnail", "poster_rendition"))
    assert m.content_digest() != old.content_digest()
    assert m.edits is not None and m.edits.applied == 1
    # nothing left to do
    assert apply_edits(pkg, FAST).kind == "none"


def test_speaker_and_not_in_video_edits_reach_captions_supers_and_manifest(pkg):
    assert _edit(pkg, "--quote", "q1", "--speaker", "Anna Berg-Holm", "--title", "Minister of Water").exit_code == 0
    assert _edit(pkg, "--quote", "q2", "--not-in-video").exit_code == 0
    assert apply_edits(pkg, FAST).kind == "full"
    m = read_manifest(pkg)
    q1, q2 = (next(q for q in m.quotes if q.id == i) for i in ("q1", "q2"))
    assert (q1.speaker, q1.speaker_title, q1.article_speaker) == ("Anna Berg-Holm", "Minister of Water", "Anna Berg")
    assert not q1.needs_review
    assert q2.in_video is False and q2.timing is not None and q2.timing.source == "none"
    assert "Mia" in (q2.timing.reason or "")
    assert m.subtitles is not None and [s.speaker for s in m.subtitles.supers] == ["Anna Berg-Holm"]
    assert not any("workers are ready" in c[2] for c in _srt(pkg))
    vtt = next((pkg / "subtitles").glob("*.vtt")).read_text(encoding="utf-8")
    assert "<v Anna Berg-Holm>" in vtt


def test_a_rebuild_of_the_story_carries_the_edits_across(pkg, built):
    story, _ = built
    assert _edit(pkg, "--quote", "q1", "--start", "1.0", "--end", "6.5").exit_code == 0
    assert _edit(pkg, "--note-at", "2", "--note", "check the cut").exit_code == 0
    build_story(story, pkg.parent, FAST)
    m = read_manifest(pkg)
    assert verify_package(pkg) == []
    log = load_edits(pkg)
    assert log is not None and len(log.edits) == 2
    assert m.edits is not None and (m.edits.count, m.edits.applied) == (2, 2)
    q1 = next(q for q in m.quotes if q.id == "q1")
    assert q1.timing is not None and q1.timing.source == "edit"
    assert [e.note for e in m.qa.history][:2] == ["edit: quote q1 timed 1-6.5 s", "note at 2 s: check the cut"]


def test_edits_from_many_threads_at_once_are_all_kept(pkg):
    import threading

    from videonews.review.edits import NoteEdit

    def note(i: int) -> None:
        add_edit(pkg, NoteEdit(time=float(i), text=f"note {i}", by=f"R{i}", at=""))

    threads = [threading.Thread(target=note, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log = load_edits(pkg)
    assert log is not None and sorted(e.text for e in log.edits) == [f"note {i}" for i in range(6)]  # type: ignore[union-attr]
    m = read_manifest(pkg)
    assert sum(1 for e in m.qa.history if (e.note or "").startswith("note at")) == 6
    assert m.edits is not None and m.edits.count == 6 and verify_package(pkg) == []


def test_a_published_package_keeps_its_edits_and_verifies(pkg, tmp_path):
    from videonews.publish import publish_package

    assert _edit(pkg, "--note-at", "1", "--note", "fine after all").exit_code == 0
    link = publish_package(pkg, tmp_path / "drop")
    assert verify_package(link) == []
    assert (link / "edits.json").read_bytes() == (pkg / "edits.json").read_bytes()


def test_a_nudged_cue_boundary_moves_in_the_subtitle_files(pkg):
    cues = _srt(pkg)
    last, n = cues[-1], len(cues)
    new_end = round(last[1] - 0.4, 2)
    assert _edit(pkg, "--cue", str(n), "--cue-end", str(new_end)).exit_code == 0
    # a move that would leave cue 1 shorter than the profile's minimum is ignored, with a warning
    assert _edit(pkg, "--cue", "1", "--cue-end", str(round(cues[0][0] + 0.1, 2))).exit_code == 0
    assert apply_edits(pkg, FAST).kind == "full"
    after = _srt(pkg)
    assert abs(after[-1][1] - new_end) < 0.041 and after[-1][0] == last[0]
    assert after[0][:2] == cues[0][:2]
    m = read_manifest(pkg)
    assert m.subtitles is not None and any("cue 1's end" in w and "ignored" in w for w in m.subtitles.warnings)
    assert verify_package(pkg) == []


def test_apply_with_nothing_to_do_or_no_story_says_so_in_one_line(pkg, tmp_path):
    result = CliRunner().invoke(main, ["review", "apply", str(pkg)])
    assert result.exit_code == 0 and result.output.strip().endswith("no edits to apply")
    result = CliRunner().invoke(main, ["review", "apply", str(pkg), "--story", str(tmp_path / "gone")])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "pass --story" in result.output
