"""Whole builds of packages shaped like real news: a reporter's voice-over between soundbites, a quote
the video never plays, a soundbite in another language, music under speech, a human reader, no speech.

The truth is what `make_newsreel` put where. A quote's captions and its speaker's name belong on that
speaker's soundbite, never over the reporter.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from narration import ANNA, LEE, REPORTER

from videonews.manifest import Manifest, verify_package
from videonews.pipeline import build_story
from videonews.settings import Settings
from videonews.testing import Newsreel

FAST = Settings(preset="draft", thumbnail_candidates=8)
FRAME = 1 / 25
START_SLACK = 0.3  # the first cue within 0.3 s of the first word ...
END_SLACK = 0.6  # ... and the last one ending within 0.6 s after the last word
EARLY_END = 0.2  # (not clearly before it: a last consonant's tail may outlast the caption a little)
DATA = Path(__file__).parent / "speech" / "data"

ARTICLE = """Video| Bridge plan approved in Testville

2024-March-05       Source: Example News

Ministers met in Testville on Tuesday to discuss the river project.

Water minister Anna Berg said the bridge would be finished next year.

"We will finish the bridge before the floods come, and the town will be safe," said Anna Berg.

The town council has argued about the cost of the project for two years.

"Every family in the valley will be able to cross the river in winter," said Tom Lee, the mayor of Testville.

"The money is there and the workers are ready," Berg added.

Work on the new bridge will start in the spring.

Editor: Lee
"""
Q1 = "We will finish the bridge before the floods come, and the town will be safe."
Q2 = "Every family in the valley will be able to cross the river in winter."
VO1 = "Ministers met in Testville on Tuesday to discuss the river project."
VO2 = "The town council has argued about the cost of the project for two years."
VO3 = "Work on the new bridge will start in the spring."

# reporter, Anna Berg (q1), reporter, Tom Lee (q2), reporter; q3 is never played
PACKAGE = (("vo", VO1, REPORTER), ("bite", Q1, ANNA), ("vo", VO2, REPORTER), ("bite", Q2, LEE),
           ("vo", VO3, REPORTER))


def _build(reel: Newsreel, tmp_path: Path, *, language: str = "en", article: str = ARTICLE) -> Manifest:
    story = tmp_path / "story"
    story.mkdir()
    (story / "article.txt").write_text(article, encoding="utf-8")
    shutil.copy(reel.video, story / "video.mp4")
    (story / "story.toml").write_text(f'id = "bridge"\nlanguage = "{language}"\n', encoding="utf-8")
    result = build_story(story, tmp_path / "out", FAST)
    assert verify_package(result.package) == []
    return result.manifest


def assert_on_the_soundbite(cues: list[tuple[float, float]], bite, reel: Newsreel) -> None:
    """First cue within START_SLACK of the first word, last within END_SLACK after the last, and no
    cue over the reporter's voice (one frame of rounding allowed)."""
    assert cues, "no captions"
    assert abs(cues[0][0] - bite.start) <= START_SLACK + FRAME, (cues[0], bite)
    assert bite.end - EARLY_END <= cues[-1][1] <= bite.end + END_SLACK + FRAME, (cues[-1], bite)
    for vo in (s for s in reel.segments if s.kind == "vo"):
        for start, end in cues:
            assert min(end, vo.end) - max(start, vo.start) <= FRAME, ("caption over the reporter", (start, end), vo)


def assert_inside_the_soundbite(cues: list[tuple[float, float]], bite, reel: Newsreel) -> None:
    """A quote put on a soundbite (its words unknown): starts with it, stays on it, never over the reporter."""
    assert cues, "no captions"
    assert abs(cues[0][0] - bite.start) <= START_SLACK + FRAME, (cues[0], bite)
    assert all(bite.start - START_SLACK - FRAME <= s and e <= bite.end + END_SLACK + FRAME for s, e in cues)
    for vo in (s for s in reel.segments if s.kind == "vo"):
        assert all(min(e, vo.end) - max(s, vo.start) <= FRAME for s, e in cues), "caption over the reporter"


def _build_and_read(reel: Newsreel, tmp_path: Path, **kw: str) -> tuple[Manifest, dict[str, list[tuple[float, float]]]]:
    """The manifest, and each quote's cue times as published in the SRT file."""
    from videonews.subtitles import read_subtitles

    m = _build(reel, tmp_path, **kw)
    pkg = tmp_path / "out" / m.story.id
    published = read_subtitles(next((pkg / "subtitles").glob("*.srt")))
    planned = json.loads((pkg / "review" / "data.json").read_text(encoding="utf-8"))["cues"]  # knows the quote ids
    by_quote: dict[str, list[tuple[float, float]]] = {}
    for cue, plan in zip(published, planned, strict=True):
        by_quote.setdefault(plan["quote_id"], []).append((cue.start, cue.end))
    return m, by_quote


@pytest.fixture(scope="module")
def narrated(make_reel, tmp_path_factory) -> tuple[Newsreel, Manifest, dict[str, list[tuple[float, float]]], Path]:
    reel = make_reel(PACKAGE)
    tmp = tmp_path_factory.mktemp("narrated")
    m, cues = _build_and_read(reel, tmp)
    return reel, m, cues, tmp / "out" / m.story.id


def test_quotes_are_captioned_on_their_speakers_soundbites(narrated) -> None:
    reel, m, cues, _ = narrated
    quotes = {q.id: q for q in m.quotes}
    for qid, seg in (("q1", reel.segments[1]), ("q2", reel.segments[3])):
        assert quotes[qid].in_video and quotes[qid].timing is not None
        assert quotes[qid].timing.source == "aligned" and quotes[qid].timing.confidence >= 0.5
        assert abs((quotes[qid].timing.start or 0) - seg.start) <= START_SLACK  # where the first word is said
        assert_on_the_soundbite(cues[qid], seg, reel)
    assert m.analysis is not None and m.analysis.voices is not None
    reporter = m.analysis.voices.reporter
    assert reporter is not None and quotes["q1"].timing.voice != reporter != quotes["q2"].timing.voice


def test_a_quote_the_video_never_plays_gets_no_captions(narrated) -> None:
    _, m, cues, pkg = narrated
    q3 = next(q for q in m.quotes if q.id == "q3")
    assert q3.in_video is False and q3.timing is not None and q3.timing.source == "none" and q3.timing.reason
    assert "q3" not in cues
    for ext in ("srt", "vtt", "ttml", "ass"):
        text = next((pkg / "subtitles").glob(f"*.{ext}")).read_text(encoding="utf-8")
        assert "workers are ready" not in text
    page = (pkg / "review" / "index.html").read_text(encoding="utf-8")
    assert 'id="placement"' in page and "not in the video" in page


def test_name_supers_go_up_with_the_speakers_soundbite(narrated) -> None:
    import pysubs2

    reel, m, _, pkg = narrated
    assert m.subtitles is not None
    supers = {s.speaker: s for s in m.subtitles.supers}
    assert set(supers) == {"Anna Berg", "Tom Lee"}
    burned = pysubs2.SSAFile.from_string(next((pkg / "subtitles").glob("*.ass")).read_text(encoding="utf-8"))
    for name, seg in (("Anna Berg", reel.segments[1]), ("Tom Lee", reel.segments[3])):
        s = supers[name]
        assert seg.start - START_SLACK - FRAME <= s.start and s.end <= seg.end + END_SLACK + FRAME
        assert s.end - s.start >= min(3.0, seg.end - seg.start) - FRAME
        # what is burned in (strap, accent bar, name, title) is up exactly then: inside the soundbite
        events = [e for e in burned if e.style in ("Strap", "Super", "SuperTitle")
                  and abs(e.start / 1000 - s.start) < 0.011]
        assert len(events) == 4 and all(abs(e.end / 1000 - s.end) < 0.011 for e in events), name


def test_word_times_are_published_beside_the_subtitles(narrated) -> None:
    reel, m, _, pkg = narrated
    (asset,) = [a for a in m.assets if a.role == "word_timings"]
    words = json.loads((pkg / asset.path).read_text(encoding="utf-8"))
    q1 = next(q for q in words["quotes"] if q["id"] == "q1")
    assert [w["text"] for w in q1["words"]][:3] == ["we", "will", "finish"]
    bite = reel.segments[1]
    assert all(bite.start - 0.1 <= w["start"] < w["end"] <= bite.end + 0.1 for w in q1["words"])


def test_a_soundbite_in_another_language_is_put_on_its_turn_and_flagged(make_reel, tmp_path) -> None:
    # Anna Berg answers in Mandarin; the article carries her words in English
    reel = make_reel((("vo", VO1, REPORTER), ("bite", "我们会在洪水来之前修好这座桥，小镇会很安全。", "cmn", "cmn"),
                      ("vo", VO2, REPORTER), ("bite", Q2, LEE), ("vo", VO3, REPORTER)))
    m, cues = _build_and_read(reel, tmp_path)
    q1 = next(q for q in m.quotes if q.id == "q1")
    assert q1.in_video and q1.timing is not None and q1.timing.source == "voice_turn"
    assert q1.timing.needs_review and q1.timing.reason and q1.timing.confidence < 0.5
    assert_inside_the_soundbite(cues["q1"], reel.segments[1], reel)
    assert next(q for q in m.quotes if q.id == "q2").timing.source == "aligned"  # type: ignore[union-attr]
    assert any("q1" in w and "check" in w for w in m.warnings)


def test_music_under_the_speech(make_reel, tmp_path) -> None:
    reel = make_reel(PACKAGE, music_db=18.0)
    m, cues = _build_and_read(reel, tmp_path)
    for qid, seg in (("q1", reel.segments[1]), ("q2", reel.segments[3])):
        assert_on_the_soundbite(cues[qid], seg, reel)
    assert "q3" not in cues


def test_a_human_readers_recorded_soundbite(make_reel, tmp_path) -> None:
    sentence = "He was not an ill-disposed young man."
    article = ARTICLE.replace(f'"{Q2[:-1]},"', f'"{sentence[:-1]},"')
    reel = make_reel((("vo", VO1, REPORTER), ("bite", Q1, ANNA), ("vo", VO2, REPORTER),
                      ("bite", sentence, "reader", "en", DATA / "librivox-0880.wav"), ("vo", VO3, REPORTER)))
    m, cues = _build_and_read(reel, tmp_path, article=article)
    q2 = next(q for q in m.quotes if q.id == "q2")
    assert q2.speaker == "Tom Lee" and q2.timing is not None and q2.timing.source == "aligned"
    assert_on_the_soundbite(cues["q2"], reel.segments[3], reel)


def test_a_language_without_a_speech_model_places_on_turns_and_says_so_once(make_reel, tmp_path) -> None:
    reel = make_reel(PACKAGE)
    m, cues = _build_and_read(reel, tmp_path, language="de")
    assert sum("no speech model" in w for w in m.warnings) == 1
    placed = {q.id: q for q in m.quotes if q.in_video}
    assert set(placed) == {"q1", "q2"}  # q3 is never played; in article order onto the two soundbites
    assert all(q.timing and q.timing.source == "voice_turn" and q.timing.needs_review for q in placed.values())
    assert_inside_the_soundbite(cues["q1"], reel.segments[1], reel)
    assert_inside_the_soundbite(cues["q2"], reel.segments[3], reel)


@pytest.mark.parametrize("audio", ["silence", "music"])
def test_no_speech_gives_a_package_that_says_why(audio: str, exe: str, tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    sound = ("anullsrc=r=48000:cl=mono" if audio == "silence" else
             "aevalsrc='0.2*sin(2*PI*220*t)+0.15*sin(2*PI*277*t)+0.1*sin(2*PI*330*t)':s=48000:c=mono")
    subprocess.run([exe, "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=6",
                    "-f", "lavfi", "-t", "6", "-i", sound, "-c:v", "libx264", "-preset", "ultrafast",
                    "-c:a", "aac", "-shortest", str(video)], check=True)
    m = _build(Newsreel(video=video, audio=video, duration=6, width=320, height=180, fps=25, music_db=None,
                        segments=[], cuts=[]), tmp_path)
    direct = [q for q in m.quotes if not q.partial]
    assert direct and all(q.in_video is False and q.timing and q.timing.reason for q in direct)
    assert m.subtitles is not None and m.subtitles.lint.cues == 0
    assert m.analysis is not None and m.analysis.voices is not None and m.analysis.voices.reason
