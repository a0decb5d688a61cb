"""Speech: who speaks where, which voice is the reporter's, and where each quote is said.

`Ingested` + the analysis pass' 16 kHz PCM -> `SpeechAnalysis` (None without an audio track).
The recogniser listens for the article's own words: its quotes, and its other sentences, which
are what a reporter's voice-over reads (see `videonews.speech`).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np

from videonews.ffmpeg.analysis import SPEECH_RATE
from videonews.models import Analysis, Article
from videonews.speech import SpeechAnalysis, analyze_speech
from videonews.stages.ingest import Ingested

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘A-Z0-9])")
MIN_NARRATION_WORDS = 5  # shorter lines are captions, datelines and credits, not what a reporter reads


def listen(ing: Ingested, analysis: Analysis, pcm: Path, *,
           cancel: threading.Event | None = None) -> SpeechAnalysis | None:
    """None without an audio track (or when the build was cancelled before it began)."""
    if analysis.speech is None or not pcm.is_file() or (cancel is not None and cancel.is_set()):
        return None  # no audio track
    audio = np.memmap(pcm, dtype="<i2", mode="r") if pcm.stat().st_size else np.zeros(0, dtype=np.int16)
    return analyze_speech(np.asarray(audio), SPEECH_RATE, quotes=[(q.id, q.text) for q in ing.quotes],
                          narration=narration(ing.article), language=ing.language)


def narration(article: Article) -> list[str]:
    """The article's sentences that hold no quote: what a reporter's voice-over would read."""
    text = article.text
    spans = sorted(q.span for q in article.quotes)
    out: list[str] = []
    cursor = 0
    for para in article.paragraphs:
        at = text.find(para, cursor)
        if at < 0:
            continue
        cursor = at + len(para)
        pos = at
        for sentence in _SENTENCE_END.split(para):
            begin = text.find(sentence, pos)
            end = begin + len(sentence)
            pos = max(pos, end)
            quoted = any(s < end and begin < e for s, e in spans)
            if not quoted and not any(m in sentence for m in '"“”«»') and \
                    len(sentence.split()) >= MIN_NARRATION_WORDS:
                out.append(sentence.strip())
    return out
