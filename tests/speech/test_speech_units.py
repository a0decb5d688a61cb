"""The speech module's pure helpers, on data."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pocketsphinx
import pytest

from videonews.speech.activity import close_holes, runs, speech_regions
from videonews.speech.features import frames
from videonews.speech.match import Hit, best_hit, extend_edges
from videonews.speech.ngram import arpa
from videonews.speech.recognizer import Recognizer
from videonews.speech.text import number_words, rough_phones, spoken_words, words_of
from videonews.speech.voices import Gauss, cluster, delta_bic


def test_words_of_spells_numbers_and_drops_punctuation() -> None:
    assert words_of("The 3rd World Internet Conference, Nov. 16, 2016: 45% of e-commerce firms") == [
        "the", "third", "world", "internet", "conference", "nov", "sixteen", "two", "thousand", "sixteen",
        "forty", "five", "percent", "of", "e-commerce", "firms"]
    assert words_of("China\u2019s \u201csovereignty\u201d 我们 2.5 21st") == [
        "china's", "sovereignty", "two", "point", "five", "twenty", "first"]
    assert number_words(1_002_300) == ["one", "million", "two", "thousand", "three", "hundred"]


def test_spoken_words_give_every_word_a_pronunciation() -> None:
    lexicon = {"senior": "S IY N Y ER", "official": "AH F IH SH AH L", "c": "S IY", "p": "P IY",
               "internet": "IH N T ER N EH T", "tycoon": "T AY K UW N"}
    words = spoken_words("Senior CPC official Yunshan, internet-tycoon", lexicon.get)
    assert words == [("senior", "S IY N Y ER"), ("cpc", "S IY P IY S IY"), ("official", "AH F IH SH AH L"),
                     ("yunshan", "Y UW N SH AA N"), ("internet", "IH N T ER N EH T"), ("tycoon", "T AY K UW N")]
    assert rough_phones("Xinhua") == "SH IY N HH UW AA" and rough_phones("Wuzhen") == "W UW JH EH N"
    assert rough_phones("--") == ""


def test_arpa_model_is_consistent_and_loads(tmp_path: Path) -> None:
    sentences = [["we", "will", "build", "it"], ["we", "will", "win"], ["it", "rained"]]
    text = arpa(sentences)
    counts = [int(n) for n in re.findall(r"ngram \d=(\d+)", text)]
    sections = re.split(r"\\\d-grams:\n", text)[1:]
    assert [len(s.strip().split("\\end\\")[0].strip().splitlines()) for s in sections] == counts
    # "we" is followed by "will" both times: (2 - 0.5) / 2, the other 0.25 left to the back-off
    bigram = next(line for line in text.splitlines() if line.split()[1:3] == ["we", "will"])
    assert 10 ** float(bigram.split()[0]) == pytest.approx(0.75, abs=1e-3)
    decoder = pocketsphinx.Decoder(lm=None, dict=None, loglevel="FATAL")
    for word in {w for s in sentences for w in s}:
        decoder.add_word(word, "AH", False)
    decoder.add_word("rain", "R EY N", True)
    path = tmp_path / "lm.arpa"
    path.write_text(text)
    model = pocketsphinx.NGramModel(decoder.config, decoder.logmath, str(path))
    assert model.size() >= 3


def test_best_hit_finds_the_run_and_skips_taken_words() -> None:
    quote = "we should increase the representation of emerging markets".split()
    heard = "and said we should increase the presentation of emerging markets today".split()
    hit = best_hit(quote, heard)
    assert hit == Hit(0, 8, 2, 10, 7)
    assert hit.agreement == pytest.approx(7 / 8)
    assert best_hit(quote, heard, frozenset(range(2, 10))) is None
    assert best_hit(quote, "nothing like it at all".split()) is None
    assert best_hit([], heard) is None


def test_extend_edges_takes_misheard_edge_words() -> None:
    hit = Hit(1, 7, 1, 7, 6)  # quote words 1..6 heard at 1..6; word 0 and 7 misheard
    starts = [0.0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 3.5]
    ends = [s + 0.25 for s in starts]
    assert extend_edges(hit, 8, starts, ends) == Hit(0, 8, 0, 8, 6)
    assert extend_edges(hit, 8, starts, ends).agreed == (1, 7, 1, 7)  # the run the words agree on
    assert extend_edges(hit, 8, starts, ends, frozenset({0})) == Hit(1, 8, 1, 8, 6)
    assert extend_edges(Hit(0, 8, 0, 8, 8), 9, starts, ends) == Hit(0, 8, 0, 8, 8)  # next word after a 1.15 s pause


def test_delta_bic_and_cluster_separate_two_sources() -> None:
    rng = np.random.default_rng(0)
    a = [rng.normal(0, 1, (300, 19)) for _ in range(3)]
    b = [rng.normal(1.5, 1.5, (300, 19)) for _ in range(2)]
    assert delta_bic(Gauss.of(a[0]), Gauss.of(a[1])) < 0 < delta_bic(Gauss.of(a[0]), Gauss.of(b[0]))
    assert cluster([a[0], b[0], a[1], b[1], a[2], rng.normal(1.5, 1.5, (40, 19))]) == [0, 1, 0, 1, 0, 1]
    assert cluster([rng.normal(0, 1, (40, 19))] * 2) == [0, 0]  # nothing long enough: one voice


def test_cluster_makes_a_voice_of_short_pieces_no_other_voice_explains() -> None:
    # a soundbite under a music bed can come in pieces each too short to model (under MIN_MODEL)
    rng = np.random.default_rng(0)
    a = [rng.normal(0, 1, (300, 19)) for _ in range(3)]
    b = rng.normal(1.5, 1.5, (300, 19))
    c = [rng.normal(-1.5, 0.7, (n, 19)) for n in (120, 70, 100)]
    short_a, short_c = rng.normal(0, 1, (100, 19)), rng.normal(-1.5, 0.7, (100, 19))
    assert cluster([a[0], *c, a[1], b, a[2], short_a, short_c]) == [0, 1, 1, 1, 0, 2, 0, 0, 1]
    # a lone short piece (under MIN_MODEL in all) is not a voice of its own: it takes the likeliest
    assert cluster([a[0], b, short_c, a[1]]) == [0, 1, 0, 0]


def test_runs_and_holes() -> None:
    mask = np.array([0, 1, 1, 0, 0, 1, 0, 1, 1, 1], dtype=bool)
    assert runs(mask) == [(1, 3), (5, 6), (7, 10)]
    assert close_holes([(1, 3), (5, 6), (7, 10)], 2) == [(1, 3), (5, 10)]


def test_speech_regions_of_a_tone_and_of_speechlike_bursts() -> None:
    t = np.arange(16000 * 4) / 16000
    tone = (3000 * np.sin(2 * np.pi * 220 * t) * (1 + 0.5 * np.sin(2 * np.pi * 2 * t))).astype(np.int16)
    regions, why = speech_regions(frames(tone))
    assert regions == [] and why is not None
    rng = np.random.default_rng(0)
    voiced = 4000 * np.sin(2 * np.pi * 150 * t) * (np.sin(2 * np.pi * 3 * t) > 0)
    hiss = rng.normal(0, 1500, len(t)) * (np.sin(2 * np.pi * 3 * t + math.pi) > 0.5)
    bursts = np.where(t < 3, voiced + hiss, 0).astype(np.int16)
    regions, why = speech_regions(frames(bursts))
    assert why is None and regions and regions[-1][1] <= 305


def test_recognizer_words_follow_its_dictionary() -> None:
    rec = Recognizer(["Mr. Liu met e-commerce firms in Wuzhen."])
    assert rec.words("Mr. Liu met e-commerce firms in Wuzhen.") == [
        "mr", "liu", "met", "e-commerce", "firms", "in", "wuzhen"]
    assert rec.recognize(np.zeros(800, np.int16), 0.0) == []  # under 0.1 s
    assert rec.align(np.zeros(16000, np.int16), 0.0, []) is None
