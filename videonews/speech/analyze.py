"""analyze_speech: voice turns, the reporter's voice, and where each quote is said.

1. Speech regions (activity.py) are split at voice changes and clustered into voices (voices.py).
2. English only: a few seconds of each voice are recognised with a language model made of the
   article's own sentences; the voice whose words run like the narration (not the quotes) is the
   reporter, else the voice heard longest.
3. The other voices' turns are recognised in full; each quote is looked for in their words
   (match.py), the best quote first, each heard word claimed once; the words found are then
   force-aligned to the audio for exact times.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from videonews.speech.activity import gate, speech_regions
from videonews.speech.features import HOP, RATE, frames
from videonews.speech.match import Hit, best_hit, extend_edges
from videonews.speech.models import QuoteMatch, SpeechAnalysis, Turn, Voice, Word
from videonews.speech.recognizer import Heard, Recognizer
from videonews.speech.voices import diarize

MAX_TURN_GAP = 2.0  # s: a longer pause ends a turn even when the same voice goes on
SAMPLE_SECONDS = 12.0  # of each voice, recognised to tell the reporter
MAX_UTTERANCE = 30.0  # s: longer turns are recognised in pieces
CONTEXT = 0.1  # s of audio either side of what is recognised
EDGE_MIN, EDGE_MAX = 2, 8  # quote words either side of the heard run tried with it
MAX_FITS = 8  # alignments tried for one quote, the most words first
MIN_PHONE = 0.035  # s a phone: an aligned word squeezed shorter (the aligner allows 0.03) was not said there
TIGHT = 0.15  # s either side of the heard run when aligning it alone
MIN_MATCHES = 3
MIN_AGREEMENT = 0.5
REPORTER_SHARE = 0.15  # of the word triples a voice says beyond the quotes, found in the narration
# (a reader's share is 0.25-0.8 even under a music bed that mars recognition; other voices' under 0.1)


@dataclass
class _Turn:
    start: float
    end: float
    voice: int
    pieces: list[tuple[float, float]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(b - a for a, b in self.pieces)


@dataclass
class _Stretch:
    """Consecutive non-reporter turns: their pieces of speech (between pauses) and the words heard."""

    pieces: list[tuple[float, float]]
    heard: list[Heard]

    def around(self, start: float, end: float) -> tuple[float, float]:
        """From the pause before `start` to the pause after `end` (recognised times may spill CONTEXT over)."""
        a = max((p[0] for p in self.pieces if p[0] <= start + CONTEXT), default=self.pieces[0][0])
        b = min((p[1] for p in self.pieces if p[1] >= end - CONTEXT), default=self.pieces[-1][1])
        return a, b


def analyze_speech(
    pcm: np.ndarray,
    rate: int,
    *,
    quotes: Sequence[tuple[str, str]],
    narration: Sequence[str],
    language: str,
    speech_segments: Sequence[tuple[float, float]] | None = None,
) -> SpeechAnalysis:
    """Analyse mono int16 PCM at 16 kHz. quotes: (quote id, text); narration: the article's other
    sentences; speech_segments: (start, end) seconds known to hold speech, if any (the rest is ignored).
    Never raises on the audio's content: silence, music or noise give no turns and a reason."""
    if rate != RATE:
        raise ValueError(f"analyze_speech needs {RATE} Hz audio, got {rate} Hz")
    pcm = np.asarray(pcm, dtype=np.int16)
    if pcm.ndim != 1:
        raise ValueError("analyze_speech needs mono audio (a 1-D array)")
    duration = round(len(pcm) / RATE, 3)
    warnings = []
    clipped = np.count_nonzero((pcm == 32767) | (pcm == -32768)) / max(1, len(pcm))
    if clipped > 0.001:
        warnings.append(f"{clipped:.1%} of the samples are clipped: recognition may miss words")

    fr = frames(pcm)
    within = None if speech_segments is None else [
        (int(a * RATE / HOP), math.ceil(b * RATE / HOP)) for a, b in speech_segments]
    regions, why = speech_regions(fr, within)
    if not regions:
        return SpeechAnalysis(duration=duration, reason=why, warnings=warnings,
                              quotes=[QuoteMatch(quote_id=q, found=False, reason=why) for q, _ in quotes])
    pieces = [(round(a * HOP / RATE, 3), round(b * HOP / RATE, 3), v) for (a, b), v in diarize(fr, regions, gate(fr))]
    onsets = {round(a * HOP / RATE, 3) for a, _ in regions}  # where speech starts after a pause
    turns = _turns(pieces)
    out = SpeechAnalysis(duration=duration, warnings=warnings)

    if not language.lower().replace("_", "-").split("-")[0] == "en":
        why = f"no speech model for language {language!r}: voice turns only, quotes not placed"
        out.warnings.append(why)
        voices = _voices(turns)
        longest = max(voices, key=lambda v: v.seconds)
        if len(voices) > 1:
            _fill(out, turns, longest.id, f"voice {longest.id} speaks longest ({longest.seconds:.1f} s); "
                                          "the words could not be checked")
        else:
            _fill(out, turns, None, "a single voice, and no words to tell it is a reporter")
        out.quotes = [QuoteMatch(quote_id=q, found=False, reason=why) for q, _ in quotes]
        return out

    rec = Recognizer([*narration, *(text for _, text in quotes)])
    heard: dict[tuple[float, float], list[Heard]] = {}  # (start, end) of a turn -> words heard in all of it
    reporter, reason, readers = _reporter(rec, pcm, turns, narration, quotes, heard)
    if reporter is None:  # no voice reads the narration: listen for the quotes in every voice first
        out.quotes = _place_quotes(rec, pcm, turns, _stretches(rec, pcm, turns, None, heard), quotes, onsets)
        reporter, reason = _reporter_by_elimination(turns, out.quotes, reason)
        reporter = _renumber(turns, reporter)
        _fill(out, turns, reporter, reason)
        for q in out.quotes:  # the turn indices of found quotes are unchanged by renumbering voices
            q.turns = [i for i, t in enumerate(turns) if q.start is not None and q.end is not None
                       and t.start < q.end and q.start < t.end]
        return out
    if len(readers) > 1:  # one voice split in two by the clustering: both read the narration
        pieces = [(a, b, reporter if v in readers else v) for a, b, v in pieces]
        turns = _turns(pieces)
        reason += f"; voices {', '.join(map(str, sorted(readers - {reporter})))} read it too and are taken as the same"
    reporter = _renumber(turns, reporter)
    _fill(out, turns, reporter, reason)
    out.quotes = _place_quotes(rec, pcm, turns, _stretches(rec, pcm, turns, reporter, heard), quotes, onsets)
    return out


def _reporter_by_elimination(turns: list[_Turn], found: list[QuoteMatch], why: str) -> tuple[int | None, str]:
    """No voice reads the narration: the reporter is the voice heard longest among those that say
    none of the quotes; with a single voice, or every voice saying quotes, there is no reporter."""
    quoting = {t.voice for q in found if q.found and q.start is not None and q.end is not None
               for t in turns if t.start < q.end and q.start < t.end}
    voices = _voices(turns)
    others = [v for v in voices if v.id not in quoting]
    if len(voices) < 2 or not others:
        return None, f"{why}; {'a single voice' if len(voices) < 2 else 'every voice says quotes'}: no reporter"
    longest = max(others, key=lambda v: v.seconds)
    return longest.id, f"{why}; voice {longest.id} speaks longest ({longest.seconds:.1f} s) and says no quote"


def _turns(pieces: list[tuple[float, float, int]]) -> list[_Turn]:
    """Pieces of one voice with pauses under MAX_TURN_GAP between them make a turn."""
    turns: list[_Turn] = []
    for start, end, voice in pieces:
        if turns and turns[-1].voice == voice and start - turns[-1].end < MAX_TURN_GAP:
            turns[-1].end = end
            turns[-1].pieces.append((start, end))
        else:
            turns.append(_Turn(start, end, voice, [(start, end)]))
    return turns


def _renumber(turns: list[_Turn], reporter: int | None) -> int | None:
    """Number the voices in the order they are first heard (in place); the reporter's new id."""
    order: dict[int, int] = {}
    for t in turns:
        order.setdefault(t.voice, len(order))
    for t in turns:
        t.voice = order[t.voice]
    return None if reporter is None else order[reporter]


def _fill(out: SpeechAnalysis, turns: list[_Turn], reporter: int | None, reason: str) -> None:
    out.turns = [Turn(start=t.start, end=t.end, voice=t.voice) for t in turns]
    out.voices = _voices(turns)
    out.reporter, out.reporter_reason = reporter, reason


def _voices(turns: list[_Turn]) -> list[Voice]:
    ids = sorted({t.voice for t in turns})
    return [Voice(id=v, seconds=round(sum(t.seconds for t in turns if t.voice == v), 3),
                  turns=sum(1 for t in turns if t.voice == v)) for v in ids]


def _recognize(rec: Recognizer, pcm: np.ndarray, start: float, end: float) -> list[Heard]:
    a, b = max(0.0, start - CONTEXT), min(len(pcm) / RATE, end + CONTEXT)
    return rec.recognize(pcm[int(a * RATE):int(b * RATE)], a)


def _turn_words(rec: Recognizer, pcm: np.ndarray, turn: _Turn) -> list[Heard]:
    """Recognise a whole turn, in utterances of at most MAX_UTTERANCE seconds cut at pauses."""
    words: list[Heard] = []
    chunk_start, chunk_end = turn.pieces[0]
    for a, b in turn.pieces[1:]:
        if b - chunk_start > MAX_UTTERANCE:
            words += _recognize(rec, pcm, chunk_start, chunk_end)
            chunk_start = a
        chunk_end = b
    return words + _recognize(rec, pcm, chunk_start, chunk_end)


def _reporter(rec: Recognizer, pcm: np.ndarray, turns: list[_Turn], narration: Sequence[str],
              quotes: Sequence[tuple[str, str]], heard: dict[tuple[float, float], list[Heard]],
              ) -> tuple[int | None, str, set[int]]:
    """(reporter voice, why, every voice that reads the narration). A voice reads the narration when
    REPORTER_SHARE of the word triples recognised in SAMPLE_SECONDS of it, and MIN_MATCHES at least,
    are the narration's (and more are than are the quotes'); the reporter is the one that does most,
    else None (decided later by elimination). Whole turns recognised on the way are kept in `heard`."""
    voices = _voices(turns)
    narr = set().union(*(_trigrams(rec.words(s)) for s in narration))
    quoted = set().union(*(_trigrams(rec.words(t)) for _, t in quotes))
    narr -= quoted
    if not narr:
        return None, "no narration to compare", set()
    readers: dict[int, tuple[float, int, int]] = {}  # voice -> (share, narration triples, triples)
    for voice in voices:
        grams = _trigrams_in_order(_sample(rec, pcm, turns, voice.id, heard))
        hits = sum(g in narr for g in grams)
        said = sum(g in quoted for g in grams)
        share = hits / max(1, len(grams) - said)  # of what it says beyond the quotes
        if share >= REPORTER_SHARE and hits >= MIN_MATCHES and hits > said:
            readers[voice.id] = (share, hits, len(grams))
    if not readers:
        return None, "no voice reads the narration", set()
    best = max(readers, key=lambda v: readers[v][0])
    _, hits, total = readers[best]
    return best, f"voice {best} reads the narration ({hits} of {total} recognised word triples are in it)", set(readers)


def _sample(rec: Recognizer, pcm: np.ndarray, turns: list[_Turn], voice: int,
            heard: dict[tuple[float, float], list[Heard]]) -> list[str]:
    """Words recognised in about SAMPLE_SECONDS of a voice, its longest turns first. A turn up to twice
    the budget is recognised whole and kept: if the voice is not the reporter's, its turns are
    recognised whole later anyway, and recognising a piece of one first would be work done twice."""
    budget = SAMPLE_SECONDS
    words: list[str] = []
    for turn in sorted((t for t in turns if t.voice == voice), key=lambda t: -t.seconds):
        if budget <= 0:
            break
        if turn.end - turn.start <= max(budget, 2 * SAMPLE_SECONDS):
            heard[turn.start, turn.end] = _turn_words(rec, pcm, turn)
            words += [h.text for h in heard[turn.start, turn.end]]
        else:
            words += [h.text for h in _recognize(rec, pcm, turn.start, turn.start + budget)]
        budget -= turn.end - turn.start
    return words


def _trigrams_in_order(words: Sequence[str]) -> list[tuple[str, ...]]:
    return [tuple(words[i:i + 3]) for i in range(len(words) - 2)]


def _trigrams(words: Sequence[str]) -> set[tuple[str, ...]]:
    return set(_trigrams_in_order(words))


def _stretches(rec: Recognizer, pcm: np.ndarray, turns: list[_Turn], reporter: int | None,
               heard: dict[tuple[float, float], list[Heard]]) -> list[_Stretch]:
    """Runs of consecutive non-reporter turns, each with the words heard in it."""
    out: list[_Stretch] = []
    previous_was_other = False
    for turn in turns:
        if turn.voice == reporter:
            previous_was_other = False
            continue
        words = heard.get((turn.start, turn.end)) or _turn_words(rec, pcm, turn)
        if previous_was_other:
            out[-1].pieces += turn.pieces
            out[-1].heard += words
        else:
            out.append(_Stretch(list(turn.pieces), list(words)))
        previous_was_other = True
    return out


def _place_quotes(rec: Recognizer, pcm: np.ndarray, turns: list[_Turn], stretches: list[_Stretch],
                  quotes: Sequence[tuple[str, str]], onsets: set[float]) -> list[QuoteMatch]:
    """Best quote first: find its words among the heard ones not yet claimed, then align them."""
    words = {qid: rec.words(text) for qid, text in quotes}
    taken: list[set[int]] = [set() for _ in stretches]
    runs: dict[tuple[str, int], Hit | None] = {}  # (quote, stretch) -> best run, dropped when the stretch changes
    results: dict[str, QuoteMatch] = {}
    pending = [qid for qid, _ in quotes]
    while pending:
        best: dict[str, tuple[int, Hit]] = {}
        for qid in pending:
            for si, st in enumerate(stretches):
                if (qid, si) not in runs:
                    runs[qid, si] = _run(words[qid], st, frozenset(taken[si]))
                hit = runs[qid, si]
                if hit is not None and (qid not in best or hit.matches > best[qid][1].matches):
                    best[qid] = (si, hit)
        passing = [qid for qid in pending if qid in best and _passes(best[qid][1])]
        if not passing:
            for qid in pending:
                results[qid] = QuoteMatch(quote_id=qid, found=False, reason=_not_found(
                    words[qid], best[qid][1].matches if qid in best else 0, bool(stretches)))
            break
        qid = max(passing, key=lambda q: best[q][1].matches)
        pending.remove(qid)
        si, hit = best[qid]
        st = stretches[si]
        taken[si].update(range(hit.heard_start, hit.heard_end))
        for key in [k for k in runs if k[1] == si]:
            del runs[key]
        placed, first, last = _place(rec, pcm, st, hit, words[qid], onsets)
        start, end = placed[0].start, placed[-1].end
        results[qid] = QuoteMatch(
            quote_id=qid, found=True, start=round(start, 3), end=round(end, 3),
            words=[Word(text=w.text, start=round(w.start, 3), end=round(w.end, 3)) for w in placed],
            confidence=round(min(1.0, hit.matches / (last - first)), 3),
            coverage=round((last - first) / len(words[qid]), 3),
            turns=[i for i, t in enumerate(turns) if t.start < end and start < t.end])
    return [results[qid] for qid, _ in quotes]


def _run(text: list[str], st: _Stretch, taken: frozenset[int]) -> Hit | None:
    """The quote's best run in a stretch's unclaimed words, widened over misheard edge words."""
    hit = best_hit(text, [h.text for h in st.heard], taken)
    if hit is None:
        return None
    return extend_edges(hit, len(text), [h.start for h in st.heard], [h.end for h in st.heard], taken)


def _passes(hit: Hit) -> bool:
    return hit.matches >= MIN_MATCHES and hit.agreement >= MIN_AGREEMENT


def _place(rec: Recognizer, pcm: np.ndarray, st: _Stretch, hit: Hit, text: list[str],
           onsets: set[float]) -> tuple[list[Heard], int, int]:
    """Align the quote's words where the run was heard: (timed words, first and end index into text).

    The aligner must account for every sound in its window, so the window runs from pause to pause
    around the run. The recogniser often mishears a soundbite's first or last words (the run then
    stops short of them, or spans them with wrong words), so quote words either side of the run's
    first and last agreeing words are aligned with them: as many as the speech beyond them could
    hold (at least EDGE_MIN, at most EDGE_MAX a side), then fewer, the most words first, at most
    MAX_FITS tries. Words that were not said there fail the alignment, or the outermost is squeezed
    in (under MIN_PHONE a phone) or put over the pause beyond the speech, and is not tried again.
    Failing that, the agreeing run alone in a tight window; failing that, the recogniser's own times. Where
    the speech starts after a pause (`onsets`), the first word starts no earlier than it does (a
    music bed in the pause can pass for the start of a word)."""
    cs, ce, hs, he = hit.agreed  # the quote words that were heard, first and last
    heard = st.heard[hs:he]
    a, b = st.around(heard[0].start, heard[-1].end)
    w0, w1 = max(0.0, a - CONTEXT), min(len(pcm) / RATE, b + CONTEXT)
    clip = pcm[int(w0 * RATE):int(w1 * RATE)]
    first = cs - _room(rec, text[cs - 1::-1] if cs else [], heard[0].start - a)
    last = ce + _room(rec, text[ce:], b - heard[-1].end)
    placed: list[Heard] | None = None
    fits = sorted(((f, e) for f in range(first, cs + 1) for e in range(ce, last + 1)), key=lambda fe: (fe[0] - fe[1], fe[0]))
    tries = 0
    for f, e in fits:
        if f < first or e > last or (tries == MAX_FITS - 1 and (f, e) != (cs, ce)):
            continue  # a side already found too long, or out of tries but for the agreeing run alone
        tries += 1
        aligned = rec.align(clip, w0, text[f:e])
        if aligned is None:
            continue
        bad_start = f < cs and not _said(rec, aligned[0], a, b)  # the outermost word tried either side
        bad_end = e > ce and not _said(rec, aligned[-1], a, b)
        if not bad_start and not bad_end:
            placed, first, last = aligned, f, e
            break
        first, last = f + 1 if bad_start else first, e - 1 if bad_end else last
    if placed is None:
        first, last = cs, ce
        w0, w1 = max(0.0, heard[0].start - TIGHT), min(len(pcm) / RATE, heard[-1].end + TIGHT)
        placed = rec.align(pcm[int(w0 * RATE):int(w1 * RATE)], w0, text[first:last]) or heard
    if a in onsets and placed[0].start < a < placed[0].end:
        placed = [Heard(placed[0].text, a, placed[0].end, placed[0].score), *placed[1:]]
    return placed, first, last


def _room(rec: Recognizer, words: list[str], seconds: float) -> int:
    """How many of `words` (outward from the run) to try aligning beside it: as many as `seconds`
    of speech could hold at MIN_PHONE a phone, at least EDGE_MIN, at most EDGE_MAX."""
    n, held = 0, 0.0
    for word in words[:EDGE_MAX]:
        held += MIN_PHONE * rec.phones(word)
        if held > seconds and n >= EDGE_MIN:
            break
        n += 1
    return n


def _said(rec: Recognizer, word: Heard, start: float, end: float) -> bool:
    """Whether an aligned word looks said: MIN_PHONE a phone or more, mostly over the speech in [start, end]."""
    length = word.end - word.start
    inside = min(word.end, end) - max(word.start, start)
    return length >= MIN_PHONE * rec.phones(word.text) and inside >= 0.5 * length


def _not_found(words: list[str], matches: int, any_other_voice: bool) -> str:
    if len(words) < MIN_MATCHES:
        return f"the quote has under {MIN_MATCHES} words to listen for"
    if not any_other_voice:
        return "only the reporter's voice was heard"
    return f"not heard outside the reporter's turns (at best {matches} of its {len(words)} words in order)"
