"""The analyze stage on generated media: speech, loudness and cuts from one ffmpeg pass."""

import pytest

from videonews.ffmpeg import probe
from videonews.settings import Settings
from videonews.stages.analyze import analyze_video as analyze


def test_analyze_finds_speech_and_cuts(exe, make_video):
    video = make_video()
    info = probe(video, exe=exe)
    a = analyze(video, info, Settings(), exe=exe)
    assert a.shots == [pytest.approx(3.0, abs=0.05), pytest.approx(6.0, abs=0.05)]
    assert a.speech is not None and len(a.speech) == 2
    assert a.speech[0].start == pytest.approx(1.0, abs=0.1) and a.speech[0].end == pytest.approx(3.5, abs=0.1)
    assert a.speech[1].start == pytest.approx(4.5, abs=0.1) and a.speech[1].end == pytest.approx(8.0, abs=0.1)
    assert a.loudness and a.loudness.integrated is not None and a.loudness.series


def test_analyze_without_audio_warns(exe, make_video):
    video = make_video(audio=False)
    a = analyze(video, probe(video, exe=exe), Settings(), exe=exe)
    assert a.speech is None and any("no audio" in w for w in a.warnings)
