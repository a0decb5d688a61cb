"""analyze_speech on narrated packages made by make_newsreel: turns, reporter, quote times."""

from __future__ import annotations

import numpy as np
import pytest
from speech_helpers import END_TOLERANCE, NARRATION, QUOTES, START_TOLERANCE, analyse

from videonews.speech import SpeechAnalysis, analyze_speech
from videonews.testing import Newsreel, Seg, make_newsreel, read_pcm

Package = tuple[Newsreel, SpeechAnalysis]


def voice_over(reel: Newsreel, result: SpeechAnalysis, index: int) -> int:
    """The voice of the turn that overlaps truth segment `index` most."""
    seg = reel.segments[index]
    overlap = [min(t.end, seg.end) - max(t.start, seg.start) for t in result.turns]
    return result.turns[int(np.argmax(overlap))].voice


def check_quote(reel: Newsreel, result: SpeechAnalysis, quote_id: str, index: int) -> None:
    match = next(q for q in result.quotes if q.quote_id == quote_id)
    truth = reel.segments[index]
    assert match.found, match.reason
    assert match.start is not None and match.end is not None
    assert abs(match.start - truth.start) <= START_TOLERANCE, (match.start, truth.start)
    assert abs(match.end - truth.end) <= END_TOLERANCE, (match.end, truth.end)
    assert match.words[0].start == match.start and match.words[-1].end == match.end
    assert 0.5 <= match.confidence <= 1 and match.coverage == 1.0
    assert all(result.turns[t].voice != result.reporter for t in match.turns)


@pytest.mark.parametrize("fixture", ["package", "package_with_music"])
def test_quotes_are_found_where_they_are_said(fixture: str, request: pytest.FixtureRequest) -> None:
    reel, result = request.getfixturevalue(fixture)
    check_quote(reel, result, "q1", 1)
    check_quote(reel, result, "q2", 3)


@pytest.mark.parametrize("fixture", ["package", "package_with_music"])
def test_reporter_is_the_voice_reading_the_narration(fixture: str, request: pytest.FixtureRequest) -> None:
    reel, result = request.getfixturevalue(fixture)
    reporter = voice_over(reel, result, 0)
    assert result.reporter == reporter
    assert "reads the narration" in (result.reporter_reason or "")
    assert all(voice_over(reel, result, i) == reporter for i in (2, 4, 6))
    bites = {voice_over(reel, result, i) for i in (1, 3, 5)}
    assert reporter not in bites and len(bites) == 3  # en+f2, en+m1 and the Mandarin voice


def test_turns_follow_the_voices(package: Package) -> None:
    reel, result = package
    assert len(result.turns) == len(reel.segments)
    for turn, seg in zip(result.turns, reel.segments, strict=True):
        assert abs(turn.start - seg.start) < 0.15 and abs(turn.end - seg.end) < 0.15
    assert [t.start for t in result.turns] == sorted(t.start for t in result.turns)
    assert sum(v.seconds for v in result.voices) == pytest.approx(sum(t.end - t.start for t in result.turns), abs=0.5)


@pytest.mark.parametrize("fixture", ["package", "package_with_music"])
def test_quote_not_in_the_audio_is_not_found(fixture: str, request: pytest.FixtureRequest) -> None:
    _, result = request.getfixturevalue(fixture)
    q4 = next(q for q in result.quotes if q.quote_id == "q4")
    assert not q4.found and q4.start is None and not q4.words
    assert q4.reason and "not heard" in q4.reason


@pytest.mark.parametrize("fixture", ["package", "package_with_music"])
def test_mandarin_soundbite_is_an_unclaimed_turn(fixture: str, request: pytest.FixtureRequest) -> None:
    reel, result = request.getfixturevalue(fixture)
    q3 = next(q for q in result.quotes if q.quote_id == "q3")
    assert not q3.found
    mandarin = reel.segments[5]
    unclaimed = [result.turns[i] for i in result.unclaimed_turns()]
    assert any(t.start < mandarin.end and mandarin.start < t.end for t in unclaimed)
    assert all(t.voice != result.reporter for t in unclaimed)


def test_other_language_gives_turns_only(package: Package, exe: str) -> None:
    reel, _ = package
    result = analyse(reel, exe, language="zh-CN")
    assert len(result.turns) == len(reel.segments)
    assert len(result.warnings) == 1 and "no speech model" in result.warnings[0]
    assert not any(q.found for q in result.quotes)
    assert result.reporter is not None and "speaks longest" in (result.reporter_reason or "")


def test_only_the_reporter_speaks(exe: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    reel = make_newsreel(tmp_path_factory.mktemp("vo"), [Seg("vo", " ".join(NARRATION[:3]), "en+f2")], exe=exe)
    result = analyse(reel, exe, quotes={"q1": QUOTES["q1"], "q5": NARRATION[1]})
    assert [v.id for v in result.voices] == [0] and result.reporter == 0
    assert [q.found for q in result.quotes] == [False, False]  # narration said by the reporter is no quote
    assert all(q.reason == "only the reporter's voice was heard" for q in result.quotes)


def test_no_speech_model_needed_for_silence_music_and_noise() -> None:
    from videonews.testing.newsreel import _music

    rng = np.random.default_rng(1)
    cases = {
        "silent": np.zeros(16000 * 5, dtype=np.int16),
        "music": (_music(16000 * 12, rng) * 3000).astype(np.int16),
        "noise": rng.normal(0, 300, 16000 * 5).astype(np.int16),
        "too short": np.zeros(100, dtype=np.int16),
    }
    for name, pcm in cases.items():
        result = analyze_speech(pcm, 16000, quotes=[("q1", "We will build it.")], narration=["It rained."],
                                language="en")
        assert result.turns == [] and result.voices == [] and result.reporter is None, name
        assert result.reason, name
        assert [q.found for q in result.quotes] == [False] and result.quotes[0].reason == result.reason


def test_clipped_speech_is_analysed_with_a_warning(package: Package, exe: str) -> None:
    reel, _ = package
    loud = np.clip(read_pcm(reel.video, exe).astype(np.int32) * 20, -32768, 32767).astype(np.int16)
    result = analyze_speech(loud, 16000, quotes=[("q1", reel.segments[1].text)], narration=[], language="en")
    assert result.turns and "clipped" in result.warnings[0]


def test_speech_segments_limit_the_analysis(package: Package, exe: str) -> None:
    reel, _ = package
    pcm = read_pcm(reel.video, exe)
    bite = reel.segments[1]
    result = analyze_speech(pcm, 16000, quotes=[("q1", bite.text)], narration=[], language="en",
                            speech_segments=[(bite.start - 0.2, bite.end + 0.2)])
    assert len(result.turns) == 1 and result.turns[0].start >= bite.start - 0.25


def test_rejects_wrong_rate_and_stereo() -> None:
    with pytest.raises(ValueError, match="16000 Hz"):
        analyze_speech(np.zeros(100, np.int16), 48000, quotes=[], narration=[], language="en")
    with pytest.raises(ValueError, match="mono"):
        analyze_speech(np.zeros((100, 2), np.int16), 16000, quotes=[], narration=[], language="en")
