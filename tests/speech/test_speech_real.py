"""A human reader's recorded sentences (LibriVox, see data/README.md) as soundbites between espeak voice-over."""

from __future__ import annotations

import numpy as np
import pytest
from speech_helpers import DATA, END_TOLERANCE, NARRATION, START_TOLERANCE, analyse

from videonews.speech import SpeechAnalysis
from videonews.testing import Newsreel, Seg, make_newsreel

REAL = {
    "r1": ("Unless to be rather cold-hearted and rather selfish is to be ill-disposed.", "librivox-0890.wav"),
    "r2": ("He was not an ill-disposed young man.", "librivox-0880.wav"),
}


@pytest.fixture(scope="module")
def real(exe: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Newsreel, SpeechAnalysis]:
    segments = [
        Seg("vo", f"{NARRATION[0]} {NARRATION[1]}", "en-us+m3"),
        Seg("bite", REAL["r1"][0], "reader", audio=DATA / REAL["r1"][1]),
        Seg("vo", NARRATION[2], "en-us+m3"),
        Seg("bite", REAL["r2"][0], "reader", audio=DATA / REAL["r2"][1]),
        Seg("vo", NARRATION[3], "en-us+m3"),
    ]
    reel = make_newsreel(tmp_path_factory.mktemp("real"), segments, exe=exe, music_db=20, seed=1)
    quotes = {qid: text for qid, (text, _) in REAL.items()} | {"q9": "A quote that nobody in this video says."}
    return reel, analyse(reel, exe, quotes=quotes)


def test_real_speech_quotes_are_found_and_timed(real: tuple[Newsreel, SpeechAnalysis]) -> None:
    reel, result = real
    for qid, index in (("r1", 1), ("r2", 3)):
        match = next(q for q in result.quotes if q.quote_id == qid)
        truth = reel.segments[index]
        assert match.found, match.reason
        assert match.start is not None and match.end is not None
        assert abs(match.start - truth.start) <= START_TOLERANCE, (qid, match.start, truth.start)
        assert abs(match.end - truth.end) <= END_TOLERANCE, (qid, match.end, truth.end)
        assert match.coverage == 1.0
    assert not next(q for q in result.quotes if q.quote_id == "q9").found


def test_real_voice_is_told_apart_from_the_reporter(real: tuple[Newsreel, SpeechAnalysis]) -> None:
    reel, result = real

    def voice(index: int) -> int:
        seg = reel.segments[index]
        return result.turns[int(np.argmax([min(t.end, seg.end) - max(t.start, seg.start) for t in result.turns]))].voice

    assert result.reporter == voice(0) == voice(2) == voice(4)
    assert voice(1) == voice(3) != result.reporter  # one reader, both sentences
    assert len(result.voices) == 2
