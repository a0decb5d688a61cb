"""Where each quote's captions go: the placement rules, pure data in and out.

With voices known (`place_on_voices`, what a build uses), in order:
1. explicit story.toml timings win;
2. a quote found by its words (`aligned`) gets captions on those words: from at most START_SLACK
   before the first word to at most END_SLACK after the last, never over another voice;
3. a quote not found by its words (a soundbite in another language carrying the article's
   translation, or words the recogniser missed) goes onto an unclaimed soundbite of a voice that is
   neither the reporter's nor another speaker's, in article order between its placed neighbours,
   one quote per soundbite and only if it can be read in it, flagged for review (`voice_turn`);
4. anything else is not in the video (`none`): no captions, the reason kept for the manifest.
Never a quote caption over the reporter's voice.

Without voices (`place_on_speech`: the planner's API when only speech segments are known):
timings first, then the other quotes share all speech in article order, else reading speed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from videonews.models import Placement, Quote, Segment, StyleProfile, TimedWord
from videonews.speech.models import QuoteMatch, SpeechAnalysis, Turn

from .speechtime import MERGE_GAP, Span, clean_speech, clip, share, subtract

START_SLACK = 0.3  # s: the first cue may start this much before the first word (a cut just before it)
END_SLACK = 0.25  # s: the last cue may run on this much after the last word (reading time), never over
# another voice; a cut a little later is not followed: the caption belongs to the words, not the shot
OFF_VOICE_SHARE = 0.1  # a short soundbite's caption may not lead or trail it by more than this share of it
MIN_SOUNDBITE = 1.0  # s: a shorter turn of another voice is a breath or a noise, not a soundbite
VOICE_TURN_CONFIDENCE = 0.3  # the right kind of voice at the right place in the story; words not checked
SPEECH_SHARE_CONFIDENCE = 0.5  # no voices known: a share of all speech in article order
TOO_LONG = 1.25  # a quote needing this many times its soundbite to read (at max_cps) cannot be what is said
REVIEW_CONFIDENCE = 0.7  # an aligned quote below this is flagged for review
REVIEW_COVERAGE = 0.9  # ... and one whose soundbite says less than this share of its words
FALLBACK_START = 0.5  # s: where reading-speed layout starts
FALLBACK_PAUSE = 0.5  # s between quotes in reading-speed layout


def captionable(quotes: Sequence[Quote]) -> list[Quote]:
    """The quotes that can become captions: direct, with text."""
    return [q for q in quotes if not q.partial and " ".join(q.text.split())]


def explicit_windows(quotes: list[Quote], timings: dict[str, tuple[float, float]] | None, duration: float,
                     warnings: list[str]) -> dict[str, Placement]:
    """story.toml timings as placements; an empty or unknown one is ignored with a warning."""
    out: dict[str, Placement] = {}
    known = {q.id for q in quotes}
    for qid, (s0, e0) in (timings or {}).items():
        if qid not in known:
            warnings.append(f"story timing for {qid!r} matches no direct quote of the article; ignored")
            continue
        s, e = max(0.0, float(s0)), min(duration, float(e0))
        if e <= s:
            warnings.append(f"quote {qid}: story timing {(s0, e0)} is empty inside the video (0-{duration:g} s); "
                            "ignored")
            continue
        out[qid] = Placement(quote_id=qid, source="explicit", start=s, end=e, speech=[(s, e)], confidence=1.0,
                             reason="timed in story.toml")
    return out


# ---------------------------------------------------------------- without voices


def place_on_speech(quotes: Sequence[Quote], speech: list[Segment] | None, *, duration: float, fps: float,
                    profile: StyleProfile, timings: dict[str, tuple[float, float]] | None = None,
                    warnings: list[str]) -> list[Placement]:
    kept = captionable(quotes)
    placed = explicit_windows(kept, timings, duration, warnings)
    untimed = [q for q in kept if q.id not in placed]
    if untimed:
        segs = subtract(clean_speech(speech or [], duration), [(p.start or 0.0, p.end or 0.0) for p in placed.values()])
        if segs:
            weights = [max(1.0, len(_text(q)) / profile.target_cps) for q in untimed]
            for q, (start, end, inside) in zip(untimed, share(segs, weights), strict=True):
                placed[q.id] = Placement(quote_id=q.id, source="speech", start=start, end=end, speech=inside,
                                         confidence=SPEECH_SHARE_CONFIDENCE,
                                         reason="no voices known: a share of the detected speech in article order")
        else:
            why = "no speech segments" if not speech else "no usable speech segments"
            warnings.append(f"{why}: timing fell back to reading speed ({profile.target_cps:g} cps "
                            f"from {FALLBACK_START:g} s); check the captions against the audio")
            placed.update(_by_reading_speed(kept, placed, profile, fps, why))
    return [placed[q.id] for q in kept]


def _text(q: Quote) -> str:
    return " ".join(q.text.split())


def _by_reading_speed(kept: list[Quote], placed: dict[str, Placement], profile: StyleProfile, fps: float,
                      why: str) -> dict[str, Placement]:
    """From FALLBACK_START, one quote after another at the target reading speed, around timed ones."""
    gap_s = profile.min_gap_frames / fps
    cursor = FALLBACK_START
    out: dict[str, Placement] = {}
    for q in kept:
        if q.id in placed:
            cursor = max(cursor, (placed[q.id].end or 0.0) + FALLBACK_PAUSE)
            continue
        chars = len(_text(q))
        k = max(1, math.ceil(chars / (profile.max_chars_per_line * profile.max_lines)))
        need = max(chars / profile.target_cps, k * profile.min_duration) + gap_s * (k - 1)
        out[q.id] = Placement(quote_id=q.id, source="reading_speed", start=cursor, end=cursor + need,
                              speech=[(cursor, cursor + need)], needs_review=True,
                              reason=f"{why}: timed by reading speed, not by the audio")
        cursor += need + FALLBACK_PAUSE
    return out


# ---------------------------------------------------------------- with voices


@dataclass(frozen=True)
class _Voices:
    """The speech analysis seen from one quote: who speaks where."""

    turns: list[Turn]
    reporter: int | None
    duration: float

    def limit(self, voice: int | None, start: float, end: float) -> tuple[float, float]:
        """[start - START_SLACK, end + END_SLACK], each slack at most OFF_VOICE_SHARE of what is said,
        cut back where any other voice speaks."""
        said = end - start
        lo = max(0.0, start - min(START_SLACK, OFF_VOICE_SHARE * said))
        hi = min(self.duration, end + min(END_SLACK, OFF_VOICE_SHARE * said))
        for t in self.turns:
            if t.voice == voice:
                continue
            if t.end <= start + 1e-6:
                lo = max(lo, t.end)
            elif t.start >= end - 1e-6:
                hi = min(hi, t.start)
        return (min(lo, start), max(hi, end))

    def voice_at(self, turn_ids: list[int]) -> int | None:
        return self.turns[turn_ids[0]].voice if turn_ids else None


def place_on_voices(quotes: Sequence[Quote], analysis: SpeechAnalysis, *, speech: list[Segment] | None,
                    duration: float, profile: StyleProfile, timings: dict[str, tuple[float, float]] | None = None,
                    warnings: list[str]) -> list[Placement]:
    kept = captionable(quotes)
    placed = explicit_windows(kept, timings, duration, warnings)
    voices = _Voices(turns=analysis.turns, reporter=analysis.reporter, duration=duration)
    matches = {m.quote_id: m for m in analysis.quotes}
    for q in kept:
        m = matches.get(q.id)
        if q.id not in placed and m is not None and m.found and m.start is not None and m.end is not None:
            placed[q.id] = _aligned(m, voices)
    claimed = {t for m in matches.values() if m.found and m.quote_id in placed for t in m.turns}
    claimed |= {i for i, t in enumerate(analysis.turns)
                if any((p.start or 0) < t.end and t.start < (p.end or 0) for p in placed.values()
                       if p.source == "explicit")}
    segs = clean_speech(speech or [], duration)
    placed.update(_on_voice_turns(kept, placed, voices, claimed, segs, profile))
    out = []
    for q in kept:
        if q.id in placed:
            out.append(placed[q.id])
            continue
        m = matches.get(q.id)
        why = (m.reason if m and m.reason else analysis.reason) or "its words were not found in the audio"
        out.append(Placement(quote_id=q.id, source="none", in_video=False,
                             reason=f"not in the video: {why}; no unclaimed soundbite of another voice is left"))
    for p in out:
        if p.source == "voice_turn":
            warnings.append(f"quote {p.quote_id}: not found by its words; put on the soundbite at "
                            f"{p.start:.2f}-{p.end:.2f} s: check")
        elif p.source == "none":
            warnings.append(f"quote {p.quote_id}: not in the video; no captions")
    return out


def _aligned(m: QuoteMatch, voices: _Voices) -> Placement:
    assert m.start is not None and m.end is not None
    voice = voices.voice_at(m.turns)
    runs: list[Span] = []
    for w in m.words:
        if runs and w.start - runs[-1][1] < MERGE_GAP:
            runs[-1] = (runs[-1][0], max(runs[-1][1], w.end))
        else:
            runs.append((w.start, w.end))
    doubts = []
    if m.confidence < REVIEW_CONFIDENCE:
        doubts.append(f"only {m.confidence:.0%} of its words were heard as such")
    if m.coverage < REVIEW_COVERAGE:
        doubts.append(f"the soundbite says {m.coverage:.0%} of the quote's words; the captions show all of them")
    return Placement(quote_id=m.quote_id, source="aligned", start=m.start, end=m.end, speech=runs or [(m.start, m.end)],
                     limit=voices.limit(voice, m.start, m.end), confidence=round(m.confidence * min(1.0, m.coverage), 3),
                     needs_review=bool(doubts), reason="; ".join(doubts) or "its words were found in the audio",
                     voice=voice, turn=m.turns[0] if m.turns else None,
                     words=[TimedWord(text=w.text, start=w.start, end=w.end) for w in m.words])


def _on_voice_turns(kept: list[Quote], placed: dict[str, Placement], voices: _Voices, claimed: set[int],
                    segs: list[Span], profile: StyleProfile) -> dict[str, Placement]:
    """Rule 3: the quotes still unplaced, in article order, onto unclaimed soundbites between their
    placed neighbours."""
    owner: dict[int, str] = {p.voice: q.speaker for q in kept
                             if (p := placed.get(q.id)) and p.voice is not None and q.speaker}
    out: dict[str, Placement] = {}
    i = 0
    while i < len(kept):
        if kept[i].id in placed:
            i += 1
            continue
        j = i
        while j < len(kept) and kept[j].id not in placed:
            j += 1
        known = placed | out
        lo = max((known[q.id].end or 0.0 for q in kept[:i] if q.id in known), default=0.0)
        hi = min((known[q.id].start or voices.duration for q in kept[j:] if q.id in known), default=voices.duration)
        free = [n for n, t in enumerate(voices.turns)
                if n not in claimed and t.voice != voices.reporter and t.end - t.start >= MIN_SOUNDBITE
                and t.start >= lo - 1e-6 and t.end <= hi + 1e-6]
        out.update(_fill(kept[i:j], free, voices, owner, segs, profile))
        claimed.update(p.turn for p in out.values() if p.turn is not None)
        i = j
    return out


def _fill(run: list[Quote], free: list[int], voices: _Voices, owner: dict[int, str],
          segs: list[Span], profile: StyleProfile) -> dict[str, Placement]:
    """One quote per soundbite, in order; a quote too long to be read in the next soundbite is left
    out (the soundbite may say only part of it) and the soundbite stays free for the next one."""
    out: dict[str, Placement] = {}
    for q in run:
        usable = [n for n in free if owner.get(voices.turns[n].voice, q.speaker) == q.speaker]
        own = [n for n in usable if owner.get(voices.turns[n].voice) == q.speaker]
        if not usable:
            continue
        n = (own or usable)[0]
        turn = voices.turns[n]
        if len(_text(q)) / profile.max_cps > TOO_LONG * (turn.end - turn.start):
            continue
        free = [f for f in free if f > n]
        if q.speaker:
            owner.setdefault(turn.voice, q.speaker)
        out[q.id] = Placement(
            quote_id=q.id, source="voice_turn", start=turn.start, end=turn.end,
            speech=clip(segs, turn.start, turn.end) if segs else [(turn.start, turn.end)],
            limit=voices.limit(turn.voice, turn.start, turn.end), confidence=VOICE_TURN_CONFIDENCE,
            needs_review=True, voice=turn.voice, turn=n,
            reason=f"its words were not found in the audio (another language, or misheard): put on the "
                   f"soundbite of voice {turn.voice} at {turn.start:.2f}-{turn.end:.2f} s in article order")
    return out
