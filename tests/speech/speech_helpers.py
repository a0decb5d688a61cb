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

# A second story, read by a male reporter between a female and a male speaker (en+f2 and en+m1 are
# the voices a music bed once merged, and en+m1's first word the one the recogniser misses).
BRIDGE_NARRATION = [
    "Ministers met in Testville on Tuesday to discuss the river project.",
    "Water minister Anna Berg said the bridge would be finished next year.",
    "The town council has argued about the cost of the project for two years.",
    "Work on the new bridge will start in the spring.",
]
BRIDGE_QUOTES = {
    "q1": "We will finish the bridge before the floods come, and the town will be safe.",
    "q2": "Every family in the valley will be able to cross the river in winter.",
    "q3": "The money is there and the workers are ready.",  # in the article, not in the video
}


def analyse(reel: Newsreel, exe: str, quotes: dict[str, str] = QUOTES, language: str = "en") -> SpeechAnalysis:
    pcm = read_pcm(reel.video, exe)
    return analyze_speech(pcm, 16000, quotes=list(quotes.items()), narration=NARRATION, language=language)


def bridge_segments(reporter: str = "en-us+m3", first: str = "en+f2", second: str = "en+m1") -> list[Seg]:
    """Reporter, q1 said by `first`, reporter, q2 said by `second`, reporter."""
    return [
        Seg("vo", BRIDGE_NARRATION[0], reporter),
        Seg("bite", BRIDGE_QUOTES["q1"], first),
        Seg("vo", BRIDGE_NARRATION[2], reporter),
        Seg("bite", BRIDGE_QUOTES["q2"], second),
        Seg("vo", BRIDGE_NARRATION[3], reporter),
    ]


def analyse_bridge(reel: Newsreel, exe: str) -> SpeechAnalysis:
    pcm = read_pcm(reel.video, exe)
    return analyze_speech(pcm, 16000, quotes=list(BRIDGE_QUOTES.items()), narration=BRIDGE_NARRATION, language="en")


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
