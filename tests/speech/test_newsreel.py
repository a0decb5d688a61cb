"""make_newsreel: ground truth that matches the media it writes, quickly and deterministically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from speech_helpers import DATA

from videonews.ffmpeg import probe
from videonews.testing import Seg, make_newsreel, read_pcm

SEGMENTS: list[Seg | tuple[str, ...]] = [
    Seg("vo", "The summit opened on Wednesday in the old canal town. Leaders arrived by boat.", "en-us+m3"),
    ("bite", "We will work with everyone.", "en+f2"),  # a plain tuple works too
    Seg("bite", "he was not an ill disposed young man", "reader", audio=DATA / "librivox-0880.wav"),
    Seg("vo", "The talks go on until Friday.", "en-us+m3"),
]


def test_truth_matches_the_media(exe: str, tmp_path: Path) -> None:
    reel = make_newsreel(tmp_path, SEGMENTS, exe=exe, gap=0.6)
    assert [s.kind for s in reel.segments] == ["vo", "bite", "bite", "vo"]
    assert [s.voice for s in reel.segments][1:3] == ["en+f2", "reader"]
    for a, b in zip(reel.segments, reel.segments[1:], strict=False):
        assert b.start - a.end == pytest.approx(0.6, abs=0.002)
    info = probe(reel.video, exe=exe)
    assert info.duration == pytest.approx(reel.duration, abs=0.05)
    pcm = read_pcm(reel.video, exe).astype(np.float64)

    def rms_db(a: float, b: float) -> float:
        x = pcm[int(a * 16000):int(b * 16000)]
        return 10 * np.log10(np.mean(x * x) + 1e-9)

    for seg in reel.segments:
        assert rms_db(seg.start, seg.end) > 55  # levelled speech, about -20 dBFS
    for a, b in zip(reel.segments, reel.segments[1:], strict=False):
        assert rms_db(a.end + 0.1, b.start - 0.1) < 25  # the pause is silent
    # a cut in each pause next to a soundbite, and one inside the first voice-over
    first = reel.segments[0]
    assert len(reel.cuts) == 4 and first.start < reel.cuts[0] < first.end
    for cut, (a, b) in zip(reel.cuts[1:], zip(reel.segments, reel.segments[1:], strict=False), strict=True):
        assert a.end <= cut <= b.start
        assert round(cut * reel.fps, 6) == int(round(cut * reel.fps))


def test_same_inputs_same_audio(exe: str, tmp_path: Path) -> None:
    one = make_newsreel(tmp_path / "a", SEGMENTS[:2], exe=exe, music_db=12, seed=5)
    two = make_newsreel(tmp_path / "b", SEGMENTS[:2], exe=exe, music_db=12, seed=5)
    assert hashlib.sha256(one.audio.read_bytes()).digest() == hashlib.sha256(two.audio.read_bytes()).digest()
    assert one.segments == two.segments and one.cuts == two.cuts


def test_music_bed_sits_under_the_speech(exe: str, tmp_path: Path) -> None:
    reel = make_newsreel(tmp_path, SEGMENTS[:2], exe=exe, music_db=20)
    pcm = read_pcm(reel.audio, exe).astype(np.float64)
    seg = reel.segments[0]
    speech = np.sqrt(np.mean(pcm[int(seg.start * 16000):int(seg.end * 16000)] ** 2))
    lead = np.sqrt(np.mean(pcm[: int(0.4 * 16000)] ** 2))
    assert 20 * np.log10(speech / lead) == pytest.approx(20, abs=4)


def test_bad_segments_are_refused(exe: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        make_newsreel(tmp_path, [], exe=exe)
