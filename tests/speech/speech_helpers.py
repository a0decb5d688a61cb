"""Story text, the narrated test package and a helper to analyse a newsreel (shared by the speech tests)."""

from __future__ import annotations

from pathlib import Path

from videonews.speech import SpeechAnalysis, analyze_speech
from videonews.testing import Newsreel, Seg, read_pcm

DATA = Path(__file__).parent / "data"

NARRATION = [
    "The third World Internet Conference has opened in Wuzhen, in east China's Zhejiang province.",
    "Government officials, business leaders and industry experts are discussing internet regulation.",
    "Senior CPC official Liu Yunshan said countries should treat each other in an equal and fair manner.",
    "Internet industries have become a key growth engine for the economy.",
    "Jack Ma, founder of the Alibaba Group, said the internet should benefit all.",
]
QUOTES = {
    "q1": "We should increase the representation and voices of emerging markets and developing countries.",
    "q2": "E-commerce companies created a business model that is suitable for the future.",
    # said in Mandarin in the package: the English translation cannot be heard
    "q3": "We should regard respect for internet sovereignty as a basic principle.",
    # in the article, not in the video
    "q4": "China will protect the intellectual property and safeguard individuals' privacy.",
}
MANDARIN = "我们应该把尊重网络主权作为基本原则"

START_TOLERANCE = 0.3
END_TOLERANCE = 0.6


def analyse(reel: Newsreel, exe: str, quotes: dict[str, str] = QUOTES, language: str = "en") -> SpeechAnalysis:
    pcm = read_pcm(reel.video, exe)
    return analyze_speech(pcm, 16000, quotes=list(quotes.items()), narration=NARRATION, language=language)


def package_segments() -> list[Seg]:
    """Reporter voice-over (en-us+m3), an English soundbite each by en+f2 and en+m1, one in Mandarin."""
    return [
        Seg("vo", f"{NARRATION[0]} {NARRATION[1]}", "en-us+m3"),
        Seg("bite", QUOTES["q1"], "en+f2"),
        Seg("vo", NARRATION[2], "en-us+m3"),
        Seg("bite", QUOTES["q2"], "en+m1"),
        Seg("vo", NARRATION[3], "en-us+m3"),
        Seg("bite", MANDARIN, "cmn", lang="cmn"),
        Seg("vo", NARRATION[4], "en-us+m3"),
    ]
