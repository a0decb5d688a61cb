"""pocketsphinx over the story's own words: recognition with a story language model, forced alignment.

The decoders share one small dictionary (the story's words, pronunciations from the CMU dictionary
that ships in the pocketsphinx wheel, a rough guess for the rest) instead of the full 135k-word
one, which keeps start-up under 0.1 s. The recogniser scores every other frame and prunes hard
(~40x real time on one core); the aligner scores every frame for exact word times, and a second
aligner that knows one pronunciation a word takes over where the first finds no path.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from dataclasses import dataclass

import numpy as np
import pocketsphinx

from videonews.speech.features import HOP, RATE
from videonews.speech.ngram import arpa
from videonews.speech.text import spoken_words, words_of

_QUIET = {"loglevel": "FATAL"}
_RECOGNISER = {"ds": 2, "fwdflat": False, "bestpath": False, "beam": 1e-40, "wbeam": 1e-30, "maxhmmpf": 5000}


@dataclass(frozen=True)
class Heard:
    """A recognised or aligned word: text and seconds."""

    text: str
    start: float
    end: float
    score: float = 0.0  # aligner only: mean acoustic log score per frame (0 is a perfect fit)


def _cmudict(words: set[str]) -> dict[str, list[str]]:
    """Pronunciations of `words` from the wheel's CMU dictionary (one pass over the file, ~60 ms)."""
    found: dict[str, list[str]] = {}
    with open(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict"), encoding="utf-8") as f:
        for line in f:
            word, _, phones = line.partition(" ")
            base = word.split("(", 1)[0]
            if base in words:
                found.setdefault(base, []).append(phones.strip())
    return found


def _candidates(text: str) -> set[str]:
    """Every spelling spoken_words may look up: words, hyphen parts, single letters."""
    words = set(words_of(text))
    words |= {part for w in words for part in w.split("-")}
    return words | set("abcdefghijklmnopqrstuvwxyz")


class Recognizer:
    """Recognises and aligns English speech against the words of a story's sentences."""

    def __init__(self, sentences: list[str]) -> None:
        self._lexicon = _cmudict(_candidates(" ".join(sentences)))
        self.sentences: list[list[str]] = []
        prons: dict[str, list[str]] = {}
        for sentence in sentences:
            words = spoken_words(sentence, self._lookup)
            for word, phones in words:
                prons.setdefault(word, self._lexicon.get(word, [phones]))
            if words:
                self.sentences.append([w for w, _ in words])
        self._decoder = pocketsphinx.Decoder(lm=None, dict=None, **_QUIET, **_RECOGNISER)
        self._aligner = pocketsphinx.Decoder(lm=None, dict=None, **_QUIET)
        self._plain = pocketsphinx.Decoder(lm=None, dict=None, **_QUIET)  # first pronunciations only
        self._phones = {word: min(len(v.split()) for v in variants) for word, variants in prons.items()}
        entries = [(word if k == 0 else f"{word}({k + 1})", phones)
                   for word, variants in prons.items() for k, phones in enumerate(variants)]
        for decoder in (self._decoder, self._aligner):
            for i, (name, phones) in enumerate(entries):
                decoder.add_word(name, phones, i == len(entries) - 1)  # the last add commits the batch
        for i, (word, variants) in enumerate(prons.items()):
            self._plain.add_word(word, variants[0], i == len(prons) - 1)
        if self.sentences:
            self._add_lm()

    def _lookup(self, word: str) -> str | None:
        variants = self._lexicon.get(word)
        return variants[0] if variants else None

    def words(self, text: str) -> list[str]:
        """The recogniser's words for a text (one of the sentences it was made with)."""
        return [w for w, _ in spoken_words(text, self._lookup)]

    def _add_lm(self) -> None:
        fd, path = tempfile.mkstemp(suffix=".arpa")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(arpa(self.sentences))
            model = pocketsphinx.NGramModel(self._decoder.config, self._decoder.logmath, path)
        finally:
            os.unlink(path)
        self._decoder.add_lm("story", model)
        self._decoder.activate_search("story")

    def recognize(self, pcm: np.ndarray, offset: float) -> list[Heard]:
        """Words heard in pcm (int16 at 16 kHz); times are seconds plus offset."""
        if not self.sentences or len(pcm) < RATE // 10:
            return []
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(pcm.tobytes(), full_utt=True)
        decoder.end_utt()
        return [Heard(_base(s.word), offset + s.start_frame * HOP / RATE, offset + (s.end_frame + 1) * HOP / RATE)
                for s in decoder.seg() or () if _is_word(s.word)]

    def align(self, pcm: np.ndarray, offset: float, words: list[str]) -> list[Heard] | None:
        """Times of `words` said in that order in pcm, or None when they cannot be fitted to it.

        The aligner that knows every pronunciation sometimes finds no path through them at all (the
        search then ends early); the words are then aligned again with one pronunciation each."""
        if not words or len(pcm) < RATE // 10:
            return None
        for aligner in (self._aligner, self._plain):
            try:
                aligner.set_align_text(" ".join(words))
                aligner.start_utt()
                aligner.process_raw(pcm.tobytes(), full_utt=True)
                aligner.end_utt()
            except RuntimeError:
                continue
            out = [Heard(_base(s.word), offset + s.start_frame * HOP / RATE, offset + (s.end_frame + 1) * HOP / RATE,
                         math.log(max(s.ascore, 1e-300)) / (s.end_frame - s.start_frame + 1))
                   for s in aligner.seg() or () if _is_word(s.word)]
            if [h.text for h in out] == words:
                return out
        return None

    def phones(self, word: str) -> int:
        """How many phones the shortest of a word's pronunciations has (0 for a word it lacks)."""
        return self._phones.get(word, 0)


def _base(word: str) -> str:
    return re.sub(r"\(\d+\)$", "", word)


def _is_word(word: str) -> bool:
    return not (word.startswith("<") or word.startswith("[") or word.startswith("+"))

