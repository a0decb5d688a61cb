"""Plan caption cues from direct quotes: pure data in, pure data out (no I/O, no ffmpeg).

Steps (see `plan_cues`):

1. each quote's window comes from its placement (`placement.py`: where its words are said, or the
   soundbite it was put on, or story.toml timings); a quote not in the video gets no cues;
2. cut each quote into chunks (sentence > clause > word boundaries, `chunking.py`) that fit the
   profile's box and reading speed, and lay the chunks out in the window over the speech in it;
3. make the plan legal on a frame grid (`legalise.py`): snap to shot changes, never cross one,
   keep min gaps (close small gaps), min/max duration, clamp to the video, never leave the voice;
4. flag speaker changes, and plan the name supers over each speaker's first soundbite.

Times are worked in integer frames from step 3 on, so what lint measures is exactly what was planned.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from videonews.errors import InputError
from videonews.models import (
    PROFILES,
    Cue,
    CuePlan,
    Placement,
    Quote,
    Segment,
    StyleProfile,
    Super,
    TimingSource,
)

from .chunking import chunk_text
from .legalise import Item, QuoteRef, legalise, rate, read_time
from .linebreak import normalise_text
from .placement import FALLBACK_START, place_on_speech
from .speechtime import SpeechTimeline, clip

__all__ = ["plan_cues", "chunk_text", "SPEAKER_DASH_RESERVE", "FALLBACK_START", "SUPER_MIN", "SUPER_MAX"]

SPEAKER_DASH_RESERVE = 2  # room kept on the first line of a new speaker's cue for an SRT "- " dash
SUPER_MIN = 3.0  # s: a name super stays up at least this long, unless another voice follows sooner
SUPER_MAX = 6.0  # s: and no longer than this


@dataclass
class _Quote:
    quote: Quote
    text: str
    placement: Placement
    chunks: list[list[str]] = field(default_factory=list)
    start: float = 0.0  # window, seconds
    end: float = 0.0
    speech: list[tuple[float, float]] = field(default_factory=list)  # speech inside the window
    first_reserve: int = 0
    warned: bool = False  # a reading-speed warning was already given

    @property
    def chars(self) -> int:
        return len(self.text)

    @property
    def lo(self) -> float:
        return self.placement.limit[0] if self.placement.limit else 0.0

    @property
    def hi(self) -> float:
        return self.placement.limit[1] if self.placement.limit else math.inf


def plan_cues(
    quotes: list[Quote],
    *,
    duration: float,
    fps: float,
    speech: list[Segment] | None = None,
    shots: list[float] | None = None,
    profile: StyleProfile = PROFILES["netflix"],
    timings: dict[str, tuple[float, float]] | None = None,
    placements: list[Placement] | None = None,
) -> CuePlan:
    """Plan caption cues for the story's direct quotes (see module doc).

    `placements` (from `placement.place_on_voices`) say where each quote goes; without them the
    quotes share the `speech` segments in article order after any story `timings`.
    """
    if not fps or fps <= 0 or not math.isfinite(fps):
        raise InputError(f"frame rate must be positive, got {fps!r}", field="fps")
    if duration is None or duration <= 0 or not math.isfinite(duration):
        raise InputError(f"video duration must be positive, got {duration!r}", field="duration",
                         remedy="probe the video first")
    warnings: list[str] = []
    for q in quotes:
        if not q.partial and not normalise_text(q.text):
            warnings.append(f"quote {q.id}: empty text, no cue")
    if placements is None:
        placements = place_on_speech(quotes, speech, duration=duration, fps=fps, profile=profile, timings=timings,
                                     warnings=warnings)
    kept = _kept(quotes, placements)
    source = _timing_source(placements, has_speech=bool(speech))
    if not kept:
        return CuePlan(cues=[], warnings=warnings, timing_source=source, placements=placements)
    items = _lay_out(kept, duration, fps, shots or [], profile, warnings)
    refs = [QuoteRef(id=kq.quote.id, speaker=kq.quote.speaker) for kq in kept]
    frames = legalise(items, refs, profile, fps, duration, shots or [], warnings)
    warnings += _too_fast(frames, kept, profile, fps)
    cues = _cues(frames, kept, fps)
    return CuePlan(cues=cues, warnings=warnings, timing_source=source, placements=placements,
                   supers=_supers(cues, kept, shots or [], duration))


def _kept(quotes: list[Quote], placements: list[Placement]) -> list[_Quote]:
    """The quotes that get cues, in article order, with their windows and speaker-dash room."""
    where = {p.quote_id: p for p in placements}
    kept: list[_Quote] = []
    for q in quotes:
        p = where.get(q.id)
        text = normalise_text(q.text)
        if q.partial or not text or p is None or not p.in_video or p.start is None or p.end is None:
            continue
        kept.append(_Quote(quote=q, text=text, placement=p, start=p.start, end=p.end, speech=list(p.speech)))
    for prev, kq in itertools.pairwise(kept):
        if kq.quote.speaker != prev.quote.speaker:
            kq.first_reserve = SPEAKER_DASH_RESERVE
    return kept


def _timing_source(placements: list[Placement], *, has_speech: bool) -> TimingSource:
    sources = {p.source for p in placements if p.in_video}
    if not sources:
        return "speech" if has_speech else "reading_speed"
    if len(sources) == 1:
        only = sources.pop()
        return "mixed" if only == "none" else only  # type: ignore[return-value]
    return "mixed"


def _lay_out(kept: list[_Quote], duration: float, fps: float, shots: list[float], profile: StyleProfile,
             warnings: list[str]) -> list[Item]:
    """Chunks of each quote laid out over the speech in its window (seconds), in time order."""
    order = sorted(range(len(kept)), key=lambda i: (kept[i].start, i))
    items: list[Item] = []
    for pos, qi in enumerate(order):
        nxt_start = min([duration, *(kept[later].start for later in order[pos + 1:])])
        items += _lay_out_quote(qi, kept[qi], nxt_start, duration, fps, shots, profile, warnings)
    return items


def _lay_out_quote(qi: int, kq: _Quote, nxt_start: float, duration: float, fps: float, shots: list[float],
                   profile: StyleProfile, warnings: list[str]) -> list[Item]:
    gap_s = profile.min_gap_frames / fps
    snap_s = profile.shot_snap_frames / fps
    names = tuple(x for x in (kq.quote.speaker,) if x)
    # a slow speaker gets more, shorter cues, but not below about a line each
    min_chunks = max(1, min(math.ceil((kq.end - kq.start) / profile.max_duration - 1e-9), len(kq.text) // 40))
    chunks = chunk_text(kq.text, profile, names=names, min_chunks=min_chunks, first_reserve=kq.first_reserve)
    extended = _fit_window(kq, chunks, nxt_start, duration, gap_s, profile, warnings)
    if extended or not kq.speech:
        kq.speech = [(kq.start, kq.end)]
    tl = SpeechTimeline(clip(kq.speech, kq.start, kq.end))
    cuts_in = [c for c in sorted(shots) if 0 < c < duration and kq.start + snap_s < c < kq.end - snap_s]
    anchors = tuple(tl.u_of(c) / tl.total * len(kq.text) for c in cuts_in) if tl.total > 0 else ()
    if anchors:  # a chunk boundary near each cut inside the window
        min_chunks = max(min_chunks, min(len(anchors) + 1, len(kq.text.split())))
        chunks = chunk_text(kq.text, profile, names=names, min_chunks=min_chunks, first_reserve=kq.first_reserve,
                            anchors=anchors)
    kq.chunks = chunks
    end_limit = min(duration, kq.hi, max(kq.end, nxt_start - gap_s))
    return _layout_quote(qi, kq, profile, gap_s, tl, cuts_in, anchors, end_limit)


def _fit_window(kq: _Quote, chunks: list[list[str]], nxt_start: float, duration: float, gap_s: float,
                profile: StyleProfile, warnings: list[str]) -> bool:
    """A window too short to read its chunks runs on into the silence after it (never past the next
    quote or out of the voice's limit); what still cannot be read is said. True when extended."""
    k = len(chunks)
    need = sum(max(profile.min_duration, read_time(" ".join(c), profile) / 0.98) for c in chunks) + gap_s * (k - 1)
    window = kq.end - kq.start
    if window >= need:
        return False
    extended = False
    new_end = min(max(kq.end, nxt_start - gap_s), kq.start + need, duration, kq.hi)
    if new_end > kq.end + 1e-9:
        kq.end = new_end
        extended = True
    window = kq.end - kq.start
    display = window - gap_s * (k - 1)
    load, desc = rate(kq.text, display if display > 0 else window, profile)
    if load > 1 + 1e-6:
        where = "even after extending into the following silence" if extended else \
            "and no silence follows to extend into"
        warnings.append(f"quote {kq.quote.id}: {kq.chars} chars in {window:.2f} s is {desc}, too fast to read, "
                        f"{where}; shorten the quote or give it more time in story.toml")
        kq.warned = True
    elif display < k * profile.min_duration - 1e-6:
        warnings.append(f"quote {kq.quote.id}: {window:.2f} s is too short for {k} cues of at "
                        f"least {profile.min_duration:.2f} s each")
    return extended


def _too_fast(frames: list[Item], kept: list[_Quote], profile: StyleProfile, fps: float) -> list[str]:
    """Reading speed as finally laid out: never squeezed silently (one line per quote, its worst cue)."""
    worst: dict[int, tuple[float, str, Item]] = {}
    for it in frames:
        load, desc = rate(it.text, (it.end - it.start) / fps, profile)
        if load > 1 + 1e-6 and not kept[it.q].warned and load > worst.get(it.q, (0.0, "", it))[0]:
            worst[it.q] = (load, desc, it)
    return [f"quote {kept[qi].quote.id}: cue at {worst[qi][2].start / fps:.2f} s needs {worst[qi][1]}, too fast to "
            "read (no room around it: shot changes, speech or the video's end)" for qi in sorted(worst)]


def _cues(frames: list[Item], kept: list[_Quote], fps: float) -> list[Cue]:
    cues: list[Cue] = []
    seen: set[str | None] = set()
    prev: object = object()
    for n, it in enumerate(frames, start=1):
        q = kept[it.q].quote
        cues.append(Cue(index=n, start=it.start / fps, end=it.end / fps, lines=it.lines, speaker=q.speaker,
                        speaker_title=q.speaker_title, quote_id=q.id, new_speaker=n > 1 and q.speaker != prev,
                        first_for_speaker=q.speaker is not None and q.speaker not in seen))
        seen.add(q.speaker)
        prev = q.speaker
    return cues


def _supers(cues: list[Cue], kept: list[_Quote], shots: list[float], duration: float) -> list[Super]:
    """A name super with each speaker's first cue, for their soundbite: SUPER_MIN to SUPER_MAX seconds,
    ending at a cut where one falls after SUPER_MIN, never past the voice's limit."""
    by_id = {kq.quote.id: kq for kq in kept}
    out: list[Super] = []
    for cue in cues:
        if not (cue.first_for_speaker and cue.speaker and cue.quote_id in by_id):
            continue
        kq = by_id[cue.quote_id]
        bite_end = max(kq.end, cue.end)
        end = min(max(bite_end, cue.start + SUPER_MIN), cue.start + SUPER_MAX, kq.hi, duration)
        cut = next((c for c in sorted(shots) if cue.start + SUPER_MIN <= c < end), None)
        if cut is not None:
            end = cut
        out.append(Super(speaker=cue.speaker, title=cue.speaker_title, start=cue.start, end=round(max(end, cue.end), 3),
                         quote_id=cue.quote_id))
    return out


def _layout_quote(qi: int, kq: _Quote, profile: StyleProfile, gap_s: float, tl: SpeechTimeline,
                  cuts: list[float], anchors: tuple[float, ...], end_limit: float) -> list[Item]:
    """Lay the quote's chunks out over its window (seconds).

    Each shot change inside the window pins the chunk boundary nearest to it (in
    the text) to the cut; between pins, chunks share the speech in proportion to
    their length. When the last stretch is too short to read, it may run on into
    the following silence up to `end_limit`.
    """
    chunks = kq.chunks
    k = len(chunks)
    lens = [len(" ".join(c)) for c in chunks]
    offs = [0.0]
    for n in lens:
        offs.append(offs[-1] + n + 1)
    offs[-1] -= 1
    forced: dict[int, float] = {}
    last = 0
    for c, x in sorted(zip(cuts, anchors, strict=True)):
        cands = [j for j in range(last + 1, k) if j not in forced]
        if not cands:
            break
        j = min(cands, key=lambda j: abs(offs[j] - x))
        if abs(offs[j] - x) < min(x, offs[-1] - x):
            forced[j] = c
            last = j
    edges = [0, *sorted(forced), k]
    times_at = {0: kq.start, k: kq.end, **forced}
    out: list[Item] = []
    for a, b in itertools.pairwise(edges):
        t0, t1 = times_at[a], times_at[b]
        if b == k and forced:
            need = sum(max(profile.min_duration, read_time(" ".join(c), profile) / 0.98) for c in chunks[a:b])
            need += gap_s * (b - a - 1)
            if t1 - t0 < need:
                t1 = max(t1, min(end_limit, t0 + need))
        spans = _spread(lens[a:b], t0, t1, clip(tl.segs, t0, t1), profile, gap_s)
        out.extend(Item(start=s, end=e, lines=chunks[a + i], q=qi, reserve=kq.first_reserve if a + i == 0 else 0,
                        lo=kq.lo, hi=kq.hi) for i, (s, e) in enumerate(spans))
    return out


def _spread(lens: list[int], t0: float, t1: float, speech: list[tuple[float, float]], profile: StyleProfile,
            gap_s: float) -> list[tuple[float, float]]:
    """Times for chunks of these lengths in [t0, t1]: in proportion to length over the speech
    (so boundaries follow pauses), else over wall time with each at least min_duration."""
    k = len(lens)
    if k == 1:
        return [(t0, t1)]
    tl = SpeechTimeline(speech)
    total = sum(lens) or 1
    times: list[tuple[float, float]] = []
    acc = 0.0
    for n in lens:
        u0, u1 = tl.total * acc / total, tl.total * (acc + n) / total
        acc += n
        times.append((tl.wall_start(u0), tl.wall_end(u1)))
    times[0] = (t0, times[0][1])
    times[-1] = (times[-1][0], t1)
    fixed = []
    for j, (s, e) in enumerate(times):
        if j + 1 < k:
            e = min(e, times[j + 1][0] - gap_s)
        fixed.append((s, e))
    if all(e - s >= profile.min_duration - 1e-9 for s, e in fixed):
        return fixed
    durs = _distribute(t1 - t0, [float(n) for n in lens], profile.min_duration, gap_s)
    out = []
    t = t0
    for d in durs:
        out.append((t, t + d))
        t += d + gap_s
    return out


def _distribute(total: float, weights: list[float], min_each: float, gap: float) -> list[float]:
    """Split `total` seconds (minus gaps) over weights, each at least min_each where possible."""
    k = len(weights)
    avail = total - gap * (k - 1)
    if avail <= 0:
        return [total / k] * k
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(k) if i not in fixed]
        rest = avail - sum(fixed.values())
        wsum = sum(weights[i] for i in free) or 1.0
        durs = {i: rest * weights[i] / wsum for i in free}
        small = [i for i in free if durs[i] < min_each]
        if not small or len(fixed) + len(small) >= k:
            out = [fixed.get(i, durs.get(i, 0.0)) for i in range(k)]
            if any(d <= 0 for d in out):
                return [avail / k] * k
            return out
        for i in small:
            fixed[i] = min_each
