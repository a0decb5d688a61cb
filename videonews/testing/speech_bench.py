"""Cost of analyze_speech on synthetic packages: audio seconds per CPU second, and peak memory.

pocketsphinx's own allocations (C) are not counted in the memory figure.

    python -m videonews.testing.speech_bench            # a 60 s package and a 10 minute one
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from videonews.ffmpeg import ffmpeg_exe
from videonews.speech import analyze_speech
from videonews.testing.newsreel import Seg, make_newsreel, read_pcm

NARRATION = [
    "The third World Internet Conference has opened in Wuzhen, in east China's Zhejiang province.",
    "Government officials, business leaders and industry experts are discussing internet regulation.",
    "They will also discuss cyber security and global governance in cyberspace.",
    "Senior official Liu Yunshan said countries should treat each other in an equal and fair manner.",
    "Internet industries have become a key growth engine for the economy.",
    "Jack Ma, founder of the Alibaba Group, said the internet should benefit all.",
    "The government has been advocating campaigns to integrate traditional sectors with the internet.",
]
QUOTES = [
    ("q1", "We should increase the representation and voices of emerging markets and developing countries."),
    ("q2", "E-commerce companies created a business model that is suitable for the future."),
    ("q3", "China will protect the intellectual property and safeguard the national security."),
]


def package(repeats: int) -> list[Seg]:
    """A ~52 s package (voice-over in the reporter's voice, the three quotes as soundbites), repeated."""
    return [Seg("vo", " ".join(NARRATION[:3]), "en-us+m3"), Seg("bite", QUOTES[0][1], "en+f2"),
            Seg("vo", " ".join(NARRATION[3:5]), "en-us+m3"), Seg("bite", QUOTES[1][1], "en+m1"),
            Seg("vo", NARRATION[5], "en-us+m3"), Seg("bite", QUOTES[2][1], "en+f3"),
            Seg("vo", NARRATION[6], "en-us+m3")] * repeats


def measure(repeats: int, work: Path) -> None:
    exe = ffmpeg_exe()
    reel = make_newsreel(work / f"bench{repeats}", package(repeats), exe=exe, music_db=20)
    pcm = read_pcm(reel.video, exe)
    tracemalloc.start()
    cpu = time.process_time()
    result = analyze_speech(pcm, 16000, quotes=QUOTES, narration=NARRATION, language="en")
    cpu = time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    seconds = len(pcm) / 16000
    found = sum(q.found for q in result.quotes)
    print(f"{seconds:6.1f} s of audio: {cpu:5.2f} s CPU = {seconds / cpu:5.1f}x real time on one core; "
          f"{len(result.turns)} turns, {len(result.voices)} voices, {found}/{len(QUOTES)} quotes found; "
          f"peak Python/numpy memory {peak / 2**20:.0f} MiB (the PCM itself: {pcm.nbytes / 2**20:.0f} MiB)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for repeats in [int(a) for a in sys.argv[1:]] or [1, 10]:
            measure(repeats, Path(tmp))


if __name__ == "__main__":
    main()
