"""Soundbites under a music bed, and the first word of a soundbite the recogniser mishears.

A music bed changes chord every two seconds; under it one speaker's soundbite used to look like
several short pieces, none long enough to model, that went to the reporter's voice. The turns must
follow the voices within FRAME_SLACK, and each quote's first word must be placed where it is said.
"""

from __future__ import annotations

import pytest
from speech_helpers import analyse_bridge, bridge_segments

from videonews.speech import SpeechAnalysis
from videonews.testing import Newsreel, make_newsreel

BOUNDARY = 0.3  # s: a soundbite's turns start and end this close to where its speech does
FIRST_WORD = 0.1  # s: a quote's first word starts this close to where it is said (typically within 0.03)


def check_soundbites(reel: Newsreel, result: SpeechAnalysis) -> None:
    """Each soundbite is covered by non-reporter turns that start and end within BOUNDARY of it and
    reach into no voice-over; the two speakers are told apart from the reporter and from each other."""
    assert result.reporter is not None, result.reporter_reason
    voices = []
    for seg in (s for s in reel.segments if s.kind == "bite"):
        turns = [t for t in result.turns if t.start < seg.end and seg.start < t.end]
        assert turns and all(t.voice != result.reporter for t in turns), (seg, result.turns)
        assert abs(turns[0].start - seg.start) <= BOUNDARY and abs(turns[-1].end - seg.end) <= BOUNDARY, (seg, turns)
        voices.append({t.voice for t in turns})
    for vo in (s for s in reel.segments if s.kind == "vo"):
        for t in result.turns:
            if t.start < vo.end and vo.start < t.end:
                assert t.voice == result.reporter or min(t.end, vo.end) - max(t.start, vo.start) <= BOUNDARY, (vo, t)
    assert voices[0].isdisjoint(voices[1]), result.turns


def check_quotes(reel: Newsreel, result: SpeechAnalysis) -> None:
    for qid, index in (("q1", 1), ("q2", 3)):
        match = next(q for q in result.quotes if q.quote_id == qid)
        truth = reel.segments[index]
        assert match.found and match.start is not None and match.end is not None, match.reason
        assert match.coverage == 1.0, (qid, match)
        assert abs(match.start - truth.start) <= FIRST_WORD, (qid, match.start, truth.start)
        assert abs(match.end - truth.end) <= 0.3, (qid, match.end, truth.end)
        assert all(result.turns[t].voice != result.reporter for t in match.turns)
    assert not next(q for q in result.quotes if q.quote_id == "q3").found


@pytest.mark.parametrize(("music_db", "seed"), [(18.0, 0), (18.0, 1), (15.0, 0), (15.0, 2)])
def test_a_female_and_a_male_soundbite_under_music_keep_their_own_turns(
        music_db: float, seed: int, exe: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    reel = make_newsreel(tmp_path_factory.mktemp("music"), bridge_segments(), exe=exe, music_db=music_db, seed=seed)
    result = analyse_bridge(reel, exe)
    check_soundbites(reel, result)
    check_quotes(reel, result)


@pytest.mark.parametrize("voices", [("en-us+m3", "en+f2", "en+m1"), ("en+m1", "en-us+f2", "en+m5")])
def test_a_first_word_the_recogniser_misses_is_placed_where_it_is_said(
        voices: tuple[str, str, str], exe: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    # the recogniser hears en+m1's and en+m5's "every" as "we" or not at all: the quote's run of
    # recognised words starts at "family", 0.3 s after the soundbite does
    reel = make_newsreel(tmp_path_factory.mktemp("first"), bridge_segments(*voices), exe=exe)
    result = analyse_bridge(reel, exe)
    check_soundbites(reel, result)
    check_quotes(reel, result)
    q2 = next(q for q in result.quotes if q.quote_id == "q2")
    assert q2.words[0].text == "every" and q2.words[1].text == "family"


@pytest.mark.parametrize("voices", [("en-us+m3", "en+f2", "en+m1"), ("en+m1", "en-us+f2", "en+m5")])
def test_quote_words_the_soundbite_leaves_out_are_not_squeezed_in(
        voices: tuple[str, str, str], exe: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    # the soundbite starts at the quote's second word and stops before its last two
    reporter, _, speaker = voices
    said = "family in the valley will be able to cross the river"
    segments = [s if s.kind == "vo" else s._replace(text=said, voice=speaker) for s in bridge_segments(*voices)][2:]
    reel = make_newsreel(tmp_path_factory.mktemp("part"), segments, exe=exe)
    result = analyse_bridge(reel, exe)
    q2 = next(q for q in result.quotes if q.quote_id == "q2")
    truth = reel.segments[1]
    assert q2.found and q2.start is not None and q2.end is not None, q2.reason
    assert [q2.words[0].text, q2.words[-1].text] == ["family", "river"] and q2.coverage < 1
    assert abs(q2.start - truth.start) <= FIRST_WORD and abs(q2.end - truth.end) <= 0.3, (q2, truth)
