"""Plan caption cues from direct quotes: pure data in, pure data out (no I/O, no ffmpeg).

Steps (see `plan_cues`):

1. keep the non-partial quotes, in article order;
2. give every quote a time window: story.toml `timings` first, else the quote's
   share of the speech segments (silencedetect's non-silent stretches), else
   reading speed from t=0.5 s (with a warning);
3. cut each quote into chunks (sentence > clause > word boundaries) that fit
   the profile's box and reading speed, and lay the chunks out in the window in
   proportion to their length;
4. make the plan legal on a frame grid: snap to shot changes, never cross one,
   keep min gaps (close small gaps), min/max duration, clamp to the video.

Times are worked in integer frames from step 4 on, so what lint measures is
exactly what was planned.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from videonews.errors import InputError
from videonews.models import PROFILES, Cue, CuePlan, Quote, Segment, StyleProfile

from .linebreak import Boundary, boundary_features, break_lines, fits, normalise_text, split_words

__all__ = ["plan_cues", "chunk_text", "SPEAKER_DASH_RESERVE", "FALLBACK_START", "MERGE_GAP"]

SPEAKER_DASH_RESERVE = 2  # room kept on the first line of a new speaker's cue for an SRT "- " dash
FALLBACK_START = 0.5  # seconds: where reading-speed layout starts
FALLBACK_PAUSE = 0.5  # seconds between quotes in reading-speed layout
MERGE_GAP = 0.3  # seconds: silences shorter than this inside speech are breaths, not pauses
MIN_SPEECH = 0.1  # seconds: shorter "speech" blips are noise

# chunk (cue boundary) costs, lower is better
_CHUNK_COST = 40.0
_STRADDLE_COST = 100.0


def _chunk_boundary_cost(b: Boundary) -> float:
    if b.nobreak:
        return 1000.0
    if b.sentence:
        cost = 0.0
    elif b.clause:
        cost = 30.0
    elif b.conj:
        cost = 45.0
    elif b.prep:
        cost = 55.0
    else:
        cost = 80.0
    if b.leans:
        cost += 30.0
    if b.weak:
        cost += 20.0
    return cost


def chunk_text(text: str, profile: StyleProfile, *, names: tuple[str, ...] = (), min_chunks: int = 1,
               first_reserve: int = 0, anchors: tuple[float, ...] = ()) -> list[list[str]]:
    """Split text into cue-sized chunks, each returned as its broken lines.

    Each chunk fits `max_lines` x `max_chars_per_line` and can be read at
    `target_cps` within `max_duration`. Boundaries prefer sentence ends, then
    clause ends / conjunctions / prepositions, then any word boundary; at least
    `min_chunks` chunks are made when the text has enough words.

    `anchors` are character offsets where a cue boundary is wanted (shot changes
    mapped into the text): a chunk pays for holding one deep inside it.
    """
    text = normalise_text(text)
    words = split_words(text)
    if not words:
        return []
    n = len(words)
    bounds = boundary_features(words, names)
    max_len = max(profile.max_chars_per_line, int(profile.target_cps * profile.max_duration))
    pre = [0]
    for w in words:
        pre.append(pre[-1] + len(w))

    def length(i: int, j: int) -> int:
        return pre[j] - pre[i] + (j - i - 1)

    def ok(i: int, j: int) -> bool:
        if length(i, j) > max_len:
            return False
        reserve = first_reserve if i == 0 else 0
        return fits(words[i:j], bounds[i:j], profile.max_chars_per_line, profile.max_lines, reserve)

    sentence_end = [False] + [b.sentence for b in bounds[1:]] + [True]  # index j: boundary before word j

    def chunk_cost(i: int, j: int) -> float:
        cost = _CHUNK_COST
        chars = length(i, j)
        if chars < 20 and not (i == 0 and j == n):
            cost += (20 - chars) * 3
        inner_sentence = any(sentence_end[k] for k in range(i + 1, j))
        if inner_sentence and not ((i == 0 or sentence_end[i]) and sentence_end[j]):
            cost += _STRADDLE_COST
        if j < n:
            cost += _chunk_boundary_cost(bounds[j])
        a, b = pre[i] + i, pre[j] + j - 1  # char offsets of the chunk in the text
        for x in anchors:
            if a < x < b:
                cost += min(400.0, 8.0 * min(x - a, b - x))
        return cost

    inf = math.inf
    want = min(max(1, min_chunks), n)
    # dp[k][j]: best cost covering words[:j] with k chunks, k == want meaning "want or more"
    dp = [[inf] * (n + 1) for _ in range(want + 1)]
    back: list[list[tuple[int, int]]] = [[(-1, -1)] * (n + 1) for _ in range(want + 1)]
    dp[0][0] = 0.0
    # words per chunk is bounded by the box, so only look back that far
    span = max(1, max_len // 2 + 1)
    for j in range(1, n + 1):
        for i in range(max(0, j - span), j):
            fit = ok(i, j)
            if not fit and j - i > 1:
                continue
            c = chunk_cost(i, j) + (0 if fit else 10000.0)  # a single overlong word: allowed, costly
            for k_prev in range(want + 1):
                prev = dp[k_prev][i]
                if prev == inf:
                    continue
                k = min(k_prev + 1, want)
                if prev + c < dp[k][j]:
                    dp[k][j] = prev + c
                    back[k][j] = (i, k_prev)
    edges = [n]
    k, j = want, n
    while j > 0:
        i, k_prev = back[k][j]
        edges.append(i)
        j, k = i, k_prev
    edges.reverse()
    chunks = []
    for a, b in zip(edges, edges[1:], strict=False):
        piece = " ".join(words[a:b])
        chunks.append(
            break_lines(piece, profile.max_chars_per_line, profile.max_lines, names=names,
                        first_line_reserve=first_reserve if a == 0 else 0)
        )
    return chunks


# ----------------------------------------------------------------------------------------------
# speech timeline


@dataclass
class _Timeline:
    """Speech segments concatenated into one "speech time" axis u."""

    segs: list[tuple[float, float]]
    cum: list[float] = field(default_factory=list)  # u at the start of each segment

    def __post_init__(self) -> None:
        acc = 0.0
        self.cum = []
        for s, e in self.segs:
            self.cum.append(acc)
            acc += e - s
        self.total = acc

    def wall_start(self, u: float) -> float:
        """Wall time where speech time u begins (a boundary at a gap maps to the next segment)."""
        for (s, e), c in zip(self.segs, self.cum, strict=True):
            if u < c + (e - s) - 1e-9:
                return s + max(0.0, u - c)
        return self.segs[-1][1]

    def u_of(self, t: float) -> float:
        """Speech time at wall time t (a time inside a pause maps to the pause's position)."""
        for (s, e), c in zip(self.segs, self.cum, strict=True):
            if t < s:
                return c
            if t <= e:
                return c + (t - s)
        return self.total

    def wall_end(self, u: float) -> float:
        """Wall time where speech time u ends (a boundary at a gap maps to the previous segment)."""
        for (s, e), c in zip(self.segs, self.cum, strict=True):
            if u <= c + (e - s) + 1e-9:
                return s + max(0.0, u - c)
        return self.segs[-1][1]


def _clean_speech(speech: list[Segment], duration: float) -> list[tuple[float, float]]:
    segs = sorted((max(0.0, s.start), min(duration, s.end)) for s in speech)
    segs = [(s, e) for s, e in segs if e > s]
    merged: list[tuple[float, float]] = []
    for s, e in segs:
        if merged and s - merged[-1][1] < MERGE_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return [(s, e) for s, e in merged if e - s >= MIN_SPEECH]


def _subtract(segs: list[tuple[float, float]], holes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = segs
    for hs, he in holes:
        nxt = []
        for s, e in out:
            if he <= s or hs >= e:
                nxt.append((s, e))
                continue
            if s < hs:
                nxt.append((s, hs))
            if he < e:
                nxt.append((he, e))
        out = nxt
    return [(s, e) for s, e in out if e - s >= MIN_SPEECH]


def _assign_boundaries(tl: _Timeline, weights: list[float]) -> list[float]:
    """Speech-time boundaries U_0=0 < U_1 < ... < U_n=total, one window per quote.

    Ideal boundaries split speech time in proportion to reading time; each is
    then moved to a pause between segments when one is near (longer pauses
    preferred), else left inside a segment.
    """
    n = len(weights)
    total_w = sum(weights)
    S = tl.total
    if n == 1:
        return [0.0, S]
    ideal = []
    acc = 0.0
    for w in weights[:-1]:
        acc += w
        ideal.append(S * acc / total_w)
    gaps = []  # (u, length of the pause)
    for k in range(len(tl.segs) - 1):
        u = tl.cum[k + 1]
        gaps.append((u, tl.segs[k + 1][0] - tl.segs[k][1]))
    scale = S / n
    eps = min(0.05, S / (4 * n))
    inside_cost = 6.0  # a quote starting mid-stretch of speech: only when no pause is anywhere near

    # candidates per boundary: (u, cost)
    cands: list[list[tuple[float, float]]] = []
    for p in ideal:
        row = [(p, inside_cost)]
        for u, g in gaps:
            d = abs(u - p) / scale
            if d <= 1.5:
                row.append((u, 4.0 * d * d - 1.5 * min(g, 2.0)))
        cands.append(row)
    inf = math.inf
    best = [[c for _, c in cands[0]]]
    back: list[list[int]] = [[-1] * len(cands[0])]
    for b in range(1, len(cands)):
        row_best, row_back = [], []
        for u, c in cands[b]:
            m, arg = inf, -1
            for i, (pu, _) in enumerate(cands[b - 1]):
                if pu < u - eps and best[b - 1][i] < m:
                    m, arg = best[b - 1][i], i
            row_best.append(m + c)
            row_back.append(arg)
        best.append(row_best)
        back.append(row_back)
    last = len(cands) - 1
    idx = min(
        (i for i, (u, _) in enumerate(cands[last]) if u < S - eps),
        key=lambda i: best[last][i],
        default=None,
    )
    if idx is None or best[last][idx] == inf:
        return [0.0, *ideal, S]
    chosen = []
    for b in range(last, -1, -1):
        chosen.append(cands[b][idx][0])
        idx = back[b][idx]
        if idx < 0 and b > 0:
            return [0.0, *ideal, S]
    chosen.reverse()
    return [0.0, *chosen, S]


# ----------------------------------------------------------------------------------------------
# per-quote layout


@dataclass
class _Item:
    """A cue in progress, times in frames."""

    start: float  # seconds while laying out, frames (whole numbers) once legalised
    end: float
    lines: list[str]
    q: int  # index into the kept quotes
    reserve: int = 0  # first-line room kept for a speaker dash

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass
class _Quote:
    quote: Quote
    text: str
    chunks: list[list[str]] = field(default_factory=list)
    start: float = 0.0  # window, seconds
    end: float = 0.0
    speech: list[tuple[float, float]] = field(default_factory=list)  # speech inside the window
    source: str = "speech"
    first_reserve: int = 0
    warned: bool = False  # a reading-speed warning was already given

    @property
    def chars(self) -> int:
        return len(self.text)


def _chars(lines: list[str]) -> int:
    return len(" ".join(lines))


def _read_time(text: str, profile: StyleProfile) -> float:
    """Shortest legal display time for text: max_cps and, where set, max_wpm."""
    t = len(text) / profile.max_cps
    if profile.max_wpm:
        t = max(t, len(text.split()) * 60 / profile.max_wpm)
    return t


def _rate(text: str, secs: float, profile: StyleProfile) -> tuple[float, str]:
    """(load, description): load > 1 means faster than the profile allows."""
    if secs <= 0:
        return math.inf, f"{len(text)} chars in no time"
    cps = len(text) / secs
    load = cps / profile.max_cps
    desc = f"{cps:.1f} cps (limit {profile.max_cps:g})"
    if profile.max_wpm:
        wpm = len(text.split()) * 60 / secs
        if wpm / profile.max_wpm > load:
            load = wpm / profile.max_wpm
            desc = f"{wpm:.0f} words/min (limit {profile.max_wpm:g}), {cps:.1f} cps"
    return load, desc


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


# ----------------------------------------------------------------------------------------------


def plan_cues(
    quotes: list[Quote],
    *,
    duration: float,
    fps: float,
    speech: list[Segment] | None,
    shots: list[float] | None = None,
    profile: StyleProfile = PROFILES["netflix"],
    timings: dict[str, tuple[float, float]] | None = None,
) -> CuePlan:
    """Plan caption cues for the story's direct quotes (see module doc)."""
    if not fps or fps <= 0 or not math.isfinite(fps):
        raise InputError(f"frame rate must be positive, got {fps!r}", field="fps")
    if duration is None or duration <= 0 or not math.isfinite(duration):
        raise InputError(f"video duration must be positive, got {duration!r}", field="duration",
                         remedy="probe the video first")
    warnings: list[str] = []
    timings = timings or {}

    kept: list[_Quote] = []
    for q in quotes:
        if q.partial:
            continue
        text = normalise_text(q.text)
        if not text:
            warnings.append(f"quote {q.id}: empty text, no cue")
            continue
        kept.append(_Quote(quote=q, text=text))
    if not kept:
        return CuePlan(cues=[], warnings=warnings, timing_source="speech" if speech else "reading_speed")

    prev_speaker: object = object()
    for i, kq in enumerate(kept):
        if i > 0 and kq.quote.speaker != prev_speaker:
            kq.first_reserve = SPEAKER_DASH_RESERVE
        prev_speaker = kq.quote.speaker

    # ---- 1. windows
    timed: list[_Quote] = []
    for kq in kept:
        if kq.quote.id in timings:
            s, e = timings[kq.quote.id]
            s, e = max(0.0, float(s)), min(duration, float(e))
            if e <= s:
                warnings.append(f"quote {kq.quote.id}: story timing {timings[kq.quote.id]} is empty "
                                f"inside the video (0-{duration:g} s); ignored")
                continue
            kq.start, kq.end, kq.speech, kq.source = s, e, [(s, e)], "story"
            timed.append(kq)
    known = {kq.quote.id for kq in kept}
    for qid in timings:
        if qid not in known:
            warnings.append(f"story timing for {qid!r} matches no direct quote of the article; ignored")
    untimed = [kq for kq in kept if kq.source != "story"]
    timing_source = "story"
    if untimed:
        segs = _clean_speech(speech or [], duration)
        segs = _subtract(segs, [(kq.start, kq.end) for kq in timed])
        if segs:
            timing_source = "speech"
            _place_on_speech(untimed, segs, profile)
        else:
            timing_source = "reading_speed"
            why = "no speech segments" if not speech else "no usable speech segments"
            warnings.append(f"{why}: timing fell back to reading speed ({profile.target_cps:g} cps "
                            f"from {FALLBACK_START:g} s); check the captions against the audio")
            _place_by_reading_speed(kept, profile, fps)

    # ---- 2. chunks, reading-speed check and layout within each window
    frame = 1.0 / fps
    gap_s = profile.min_gap_frames * frame
    snap_s = profile.shot_snap_frames * frame
    cut_list = sorted(c for c in (shots or []) if 0 < c < duration)
    order = sorted(range(len(kept)), key=lambda i: (kept[i].start, i))
    items: list[_Item] = []
    for pos, qi in enumerate(order):
        kq = kept[qi]
        nxt_start = duration
        for later in order[pos + 1 :]:
            nxt_start = min(nxt_start, kept[later].start)
        names = tuple(x for x in (kq.quote.speaker,) if x)
        window = kq.end - kq.start
        # a slow speaker gets more, shorter cues, but not below about a line each
        min_chunks = max(1, min(math.ceil(window / profile.max_duration - 1e-9), len(kq.text) // 40))
        chunks = chunk_text(kq.text, profile, names=names, min_chunks=min_chunks, first_reserve=kq.first_reserve)
        k = len(chunks)
        need = sum(max(profile.min_duration, _read_time(" ".join(c), profile) / 0.98) for c in chunks)
        need += gap_s * (k - 1)
        extended = False
        if window < need:
            limit = max(kq.end, nxt_start - gap_s)
            new_end = min(limit, kq.start + need, duration)
            if new_end > kq.end + 1e-9:
                kq.end = new_end
                extended = True
            window = kq.end - kq.start
            display = window - gap_s * (k - 1)
            load, desc = _rate(kq.text, display if display > 0 else window, profile)
            if load > 1 + 1e-6:
                where = "even after extending into the following silence" if extended else \
                    "and no silence follows to extend into"
                warnings.append(
                    f"quote {kq.quote.id}: {kq.chars} chars in {window:.2f} s is {desc}, too fast to read, "
                    f"{where}; shorten the quote or give it more time in story.toml"
                )
                kq.warned = True
            elif display < k * profile.min_duration - 1e-6:
                warnings.append(f"quote {kq.quote.id}: {window:.2f} s is too short for {k} cues of at "
                                f"least {profile.min_duration:.2f} s each")
        if extended or not kq.speech:
            kq.speech = [(kq.start, kq.end)]
        tl = _Timeline(_clip(kq.speech, kq.start, kq.end))
        cuts_in = [c for c in cut_list if kq.start + snap_s < c < kq.end - snap_s]
        total_chars = len(kq.text)
        anchors = tuple(tl.u_of(c) / tl.total * total_chars for c in cuts_in) if tl.total > 0 else ()
        if anchors:
            min_chunks = max(min_chunks, min(len(anchors) + 1, len(kq.text.split())))
            chunks = chunk_text(kq.text, profile, names=names, min_chunks=min_chunks,
                                first_reserve=kq.first_reserve, anchors=anchors)
        kq.chunks = chunks
        end_limit = min(duration, max(kq.end, nxt_start - gap_s))
        items.extend(_layout_quote(qi, kq, profile, gap_s, tl, cuts_in, anchors, end_limit))

    # ---- 3. frames: snap/cut/gap/duration legalisation
    cues_f = _legalise(items, kept, profile, fps, duration, shots or [], warnings)

    # reading speed as finally laid out: never squeezed silently
    worst: dict[int, tuple[float, str, _Item]] = {}
    for it in cues_f:
        load, desc = _rate(it.text, (it.end - it.start) / fps, profile)
        if load > 1 + 1e-6 and not kept[it.q].warned and load > worst.get(it.q, (0.0, "", it))[0]:
            worst[it.q] = (load, desc, it)
    for qi in sorted(worst):
        _, desc, it = worst[qi]
        warnings.append(f"quote {kept[qi].quote.id}: cue at {it.start / fps:.2f} s needs {desc}, too fast to read "
                        "(no room around it: shot changes, speech or the video's end)")

    # ---- 4. cues with speaker flags
    cues: list[Cue] = []
    seen: set[str | None] = set()
    prev: object = object()
    for n, it in enumerate(cues_f, start=1):
        q = kept[it.q].quote
        cues.append(
            Cue(
                index=n,
                start=it.start / fps,
                end=it.end / fps,
                lines=it.lines,
                speaker=q.speaker,
                speaker_title=q.speaker_title,
                quote_id=q.id,
                new_speaker=n > 1 and q.speaker != prev,
                first_for_speaker=q.speaker is not None and q.speaker not in seen,
            )
        )
        seen.add(q.speaker)
        prev = q.speaker
    return CuePlan(cues=cues, warnings=warnings, timing_source=timing_source)  # type: ignore[arg-type]


def _place_on_speech(untimed: list[_Quote], segs: list[tuple[float, float]], profile: StyleProfile) -> None:
    tl = _Timeline(segs)
    weights = [max(1.0, kq.chars / profile.target_cps) for kq in untimed]
    bounds = _assign_boundaries(tl, weights)
    for kq, u0, u1 in zip(untimed, bounds, bounds[1:], strict=False):
        kq.start = tl.wall_start(u0)
        kq.end = tl.wall_end(u1)
        if kq.end <= kq.start:
            kq.end = kq.start + 0.1
        # the speech inside the window, as a sub-timeline for distributing chunks
        kq.speech = [(max(s, kq.start), min(e, kq.end)) for s, e in segs if e > kq.start and s < kq.end]
        kq.speech = [(s, e) for s, e in kq.speech if e > s] or [(kq.start, kq.end)]


def _place_by_reading_speed(kept: list[_Quote], profile: StyleProfile, fps: float) -> None:
    gap_s = profile.min_gap_frames / fps
    cursor = FALLBACK_START
    for kq in kept:
        if kq.source == "story":
            cursor = max(cursor, kq.end + FALLBACK_PAUSE)
            continue
        kq.source = "reading_speed"
        words = len(kq.text)
        k = max(1, math.ceil(words / (profile.max_chars_per_line * profile.max_lines)))
        need = max(words / profile.target_cps, k * profile.min_duration) + gap_s * (k - 1)
        kq.start, kq.end = cursor, cursor + need
        kq.speech = [(kq.start, kq.end)]
        cursor = kq.end + FALLBACK_PAUSE


def _clip(segs: list[tuple[float, float]], t0: float, t1: float) -> list[tuple[float, float]]:
    out = [(max(s, t0), min(e, t1)) for s, e in segs if e > t0 and s < t1]
    out = [(s, e) for s, e in out if e > s]
    return out or [(t0, t1)]


def _layout_quote(qi: int, kq: _Quote, profile: StyleProfile, gap_s: float, tl: _Timeline,
                  cuts: list[float], anchors: tuple[float, ...], end_limit: float) -> list[_Item]:
    """Lay the quote's chunks out over its window (seconds).

    Each shot change inside the window pins the chunk boundary nearest to it (in
    the text) to the cut; between pins, chunks share the speech in proportion to
    their length. When the last stretch is too short to read, it may run on into
    the following silence up to `end_limit`.
    """
    chunks = kq.chunks
    k = len(chunks)
    lens = [_chars(c) for c in chunks]
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
    out: list[_Item] = []
    for a, b in itertools.pairwise(edges):
        t0, t1 = times_at[a], times_at[b]
        if b == k and forced:
            need = sum(max(profile.min_duration, _read_time(" ".join(c), profile) / 0.98) for c in chunks[a:b])
            need += gap_s * (b - a - 1)
            if t1 - t0 < need:
                t1 = max(t1, min(end_limit, t0 + need))
        spans = _spread(lens[a:b], t0, t1, _clip(tl.segs, t0, t1), profile, gap_s)
        out.extend(_Item(start=s, end=e, lines=chunks[a + i], q=qi, reserve=kq.first_reserve if a + i == 0 else 0)
                   for i, (s, e) in enumerate(spans))
    return out


def _spread(lens: list[int], t0: float, t1: float, speech: list[tuple[float, float]], profile: StyleProfile,
            gap_s: float) -> list[tuple[float, float]]:
    """Times for chunks of these lengths in [t0, t1]: in proportion to length over the speech
    (so boundaries follow pauses), else over wall time with each at least min_duration."""
    k = len(lens)
    if k == 1:
        return [(t0, t1)]
    tl = _Timeline(speech)
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


# ----------------------------------------------------------------------------------------------
# legalisation on the frame grid


def _legalise(items: list[_Item], kept: list[_Quote], profile: StyleProfile, fps: float, duration: float,
              shots: list[float], warnings: list[str]) -> list[_Item]:
    last_frame = int(math.floor(duration * fps + 1e-6))
    min_d = int(math.ceil(profile.min_duration * fps - 1e-6))
    max_d = int(math.floor(profile.max_duration * fps + 1e-6))
    gap = profile.min_gap_frames
    close = profile.close_gap_frames
    snap = profile.shot_snap_frames
    cuts = sorted({_frame(c, fps) for c in shots if 0 < c * fps < last_frame})

    cues = []
    for it in items:
        s = _frame(it.start, fps)
        e = _frame(it.end, fps)
        cues.append(_Item(start=s, end=max(e, s + 1), lines=it.lines, q=it.q, reserve=it.reserve))
    cues.sort(key=lambda c: (c.start, c.q))

    # max duration first: a cue that is too long keeps its start (speech onset)
    for c in cues:
        if c.end - c.start > max_d:
            c.end = c.start + max_d

    # shot changes: snap ins and outs, then resolve crossings
    for c in cues:
        near_in = _nearest(cuts, c.start, snap)
        if near_in is not None and near_in != c.start and c.end - near_in >= min(min_d, c.end - c.start):
            c.start = near_in
            c.end = min(c.end, c.start + max_d)
        near_out = _nearest(cuts, c.end, snap)
        if near_out is not None and near_out != c.end and near_out - c.start >= min(min_d, c.end - c.start):
            if near_out - c.start <= max_d:
                c.end = near_out
    cues = _resolve_crossings(cues, cuts, profile, fps, min_d, gap, warnings, kept)

    # order, gaps, close small gaps
    cues.sort(key=lambda c: (c.start, c.q))
    for a, b in zip(cues, cues[1:], strict=False):
        g = b.start - a.end
        if g < gap:
            target = b.start - gap
            if target - a.start >= min(min_d, a.end - a.start) and target > a.start:
                a.end = target
            else:
                a.end = max(a.start + 1, target) if target > a.start else a.start + 1
                if b.start < a.end + gap:
                    shift = a.end + gap - b.start
                    b.start += shift
                    if b.end - b.start < min_d:
                        b.end = b.start + max(min_d, b.end - b.start + shift)
        elif g <= close:
            target = b.start - gap
            if target - a.start <= max_d and not any(a.start < cut < target for cut in cuts):
                a.end = target
            else:
                inner = [cut for cut in cuts if a.end < cut <= target]
                if inner and inner[0] - a.start <= max_d:
                    a.end = inner[0]

    # min duration: extend into free space after, then before
    for i, c in enumerate(cues):
        if c.end - c.start >= min_d:
            continue
        limit_after = cues[i + 1].start - gap if i + 1 < len(cues) else last_frame
        next_cut = next((cut for cut in cuts if cut > c.start), None)
        if next_cut is not None:
            limit_after = min(limit_after, next_cut)
        c.end = max(c.end, min(c.start + min_d, limit_after))
        if c.end - c.start < min_d:
            limit_before = cues[i - 1].end + gap if i > 0 else 0
            prev_cut = next((cut for cut in reversed(cuts) if cut <= c.start), None)
            if prev_cut is not None:
                limit_before = max(limit_before, prev_cut)
            c.start = min(c.start, max(c.end - min_d, limit_before))
    # safety net: whatever the passes above did, no cue crosses a cut or runs too long
    for c in cues:
        c.end = min(c.end, c.start + max_d)
        for cut in cuts:
            if c.start < cut < c.end:
                if cut - c.start >= c.end - cut:
                    c.end = cut
                else:
                    c.start = cut

    _rebalance(cues, profile, fps, cuts)

    # clamp to the video
    out: list[_Item] = []
    for c in cues:
        if c.start >= last_frame:
            q = kept[c.q].quote
            warnings.append(f"quote {q.id}: cue starting at {c.start / fps:.2f} s is past the end of the "
                            f"video ({duration:g} s); dropped")
            continue
        c.start = max(0, c.start)
        c.end = min(c.end, last_frame)
        if c.end <= c.start:
            continue
        if c.end - c.start < min_d:
            q = kept[c.q].quote
            warnings.append(f"quote {q.id}: cue at {c.start / fps:.2f} s lasts {(c.end - c.start) / fps:.2f} s, "
                            f"below the {profile.min_duration:.2f} s minimum (no room around it)")
        out.append(c)
    return out


def _fits(lines: list[str], profile: StyleProfile, reserve: int = 0) -> bool:
    return (0 < len(lines) <= profile.max_lines
            and all(len(ln) + (reserve if i == 0 else 0) <= profile.max_chars_per_line for i, ln in enumerate(lines)))


def _rebalance(cues: list[_Item], profile: StyleProfile, fps: float, cuts: list[int]) -> None:
    """Move words between neighbouring cues of one quote when one is too fast to read and the
    other has time to spare (times are fixed by now: speech, cuts and gaps decided them)."""
    mc, ml = profile.max_chars_per_line, profile.max_lines
    min_d = int(math.ceil(profile.min_duration * fps - 1e-6))
    max_d = int(math.floor(profile.max_duration * fps + 1e-6))
    gap = profile.min_gap_frames
    slack = profile.shot_snap_frames  # how far a boundary may drift from where the speech put it

    def load(c: _Item, text: str) -> float:
        return _rate(text, (c.end - c.start) / fps, profile)[0]

    # 1. even out reading speed between touching cues of one shot: move the boundary, a little
    origin = {id(c): (c.start, c.end) for c in cues}
    for _ in range(8):
        for a, b in itertools.pairwise(cues):
            if a.q != b.q or b.start - a.end > gap or any(a.start < cut <= b.start for cut in cuts):
                continue
            span = b.end - a.start - gap
            want = round(span * a.chars / max(1, a.chars + b.chars))
            lo = max(min_d, span - max_d, origin[id(a)][1] - slack - a.start)
            hi = min(max_d, span - min_d, origin[id(a)][1] + slack - a.start)
            if lo <= hi:
                a.end = a.start + min(hi, max(lo, want))
                b.start = a.end + gap

    # 2. still too fast: borrow a little free time before the speech onset or after its end
    for i, c in enumerate(cues):
        if load(c, c.text) <= 1:
            continue
        need = math.ceil(len(c.text) / profile.max_cps * fps) - (c.end - c.start)
        floor = cues[i - 1].end + gap if i else 0
        floor = max([floor, *[cut for cut in cuts if cut <= c.start]])
        c.start = max(c.start - min(need, slack), floor, c.end - max_d)
        need = math.ceil(len(c.text) / profile.max_cps * fps) - (c.end - c.start)
        if need > 0:
            ceiling = cues[i + 1].start - gap if i + 1 < len(cues) else c.end + slack
            ceiling = min([ceiling, *[cut for cut in cuts if cut >= c.end]])
            c.end = min(c.end + min(need, slack), ceiling, c.start + max_d)

    # 3. still too fast (typically a cue pinned between speech onset and a cut): move words
    for _ in range(4 * len(cues)):
        changed = False
        for a, b in itertools.pairwise(cues):
            if a.q != b.q:
                continue
            wa, wb = a.text.split(), b.text.split()
            now = max(load(a, a.text), load(b, b.text))
            if now <= 1:
                continue
            best: tuple[float, list[str], list[str]] | None = None
            for k in range(1, 4):
                if load(a, a.text) > 1 and k < len(wa):  # a too fast: its last words go to b
                    na, nb = wa[:-k], wa[-k:] + wb
                elif load(b, b.text) > 1 and k < len(wb):  # b too fast: its first words go to a
                    na, nb = wa + wb[:k], wb[k:]
                else:
                    continue
                la = break_lines(" ".join(na), mc, ml, first_line_reserve=a.reserve)
                lb = break_lines(" ".join(nb), mc, ml)
                if not (_fits(la, profile, a.reserve) and _fits(lb, profile)):
                    continue
                worst = max(load(a, " ".join(na)), load(b, " ".join(nb)))
                if worst < now - 1e-9 and (best is None or worst < best[0]):
                    best = (worst, la, lb)
            if best is not None:
                a.lines, b.lines = best[1], best[2]
                changed = True
        if not changed:
            return


def _frame(t: float, fps: float) -> int:
    """Nearest frame (halves round up, unlike round())."""
    return int(math.floor(t * fps + 0.5))


def _nearest(cuts: list[int], t: float, within: int) -> int | None:
    best = None
    for c in cuts:
        d = abs(c - t)
        if d <= within and (best is None or d < abs(best - t)):
            best = c
    return best


def _resolve_crossings(cues: list[_Item], cuts: list[int], profile: StyleProfile, fps: float, min_d: int,
                       gap: int, warnings: list[str], kept: list[_Quote]) -> list[_Item]:
    """No cue may cross a cut (frames). For each crossing, the options are: keep the
    part on one side, move the whole cue to one side (if there is room), or split its
    text at the cut; the one with the lowest reading speed wins, illegal ones last."""
    if not cuts:
        return cues
    out: list[_Item] = []
    queue = list(cues)
    budget = 10 * len(cues) + 100
    while queue:
        c = queue.pop(0)
        inner = [cut for cut in cuts if c.start < cut < c.end]
        budget -= 1
        if not inner or budget < 0:
            out.append(c)
            continue
        cut = inner[0]
        prev_end = out[-1].end if out else 0
        next_start = queue[0].start if queue else None

        def score(parts: list[_Item], extra: float = 0.0) -> float:
            """Reading load in cps-equivalents (lower is better), illegal options last."""
            worst = max(_rate(p.text, (p.end - p.start) / fps, profile)[0] for p in parts)
            short = any(p.end - p.start < min_d for p in parts)
            return worst * profile.max_cps + extra + (1000 if short else 0) + (500 if worst > 1 + 1e-6 else 0)

        options: list[tuple[float, list[_Item]]] = []
        def part(start: float, end: float, c: _Item = c) -> _Item:
            return _Item(start, end, c.lines, c.q, c.reserve)

        options.append((score([part(cut, c.end)]), [part(cut, c.end)]))
        options.append((score([part(c.start, cut)]), [part(c.start, cut)]))
        dur = c.end - c.start
        if next_start is None or cut + dur <= next_start - gap:  # move after the cut
            shift = (cut - c.start) / fps
            options.append((score([part(cut, cut + dur)], 1.0 + 4 * shift), [part(cut, cut + dur)]))
        if cut - dur >= prev_end + gap:  # move before the cut
            shift = (c.end - cut) / fps
            options.append((score([part(cut - dur, cut)], 1.0 + 4 * shift), [part(cut - dur, cut)]))
        words = " ".join(c.lines).split()
        if len(words) >= 2:
            left, right = cut - c.start, c.end - cut
            a_words, b_words = _split_words_at(words, left / (left + right), kept[c.q].quote.speaker)
            mc, ml = profile.max_chars_per_line, profile.max_lines
            a = _Item(c.start, cut, break_lines(" ".join(a_words), mc, ml, first_line_reserve=c.reserve), c.q,
                      c.reserve)
            b = _Item(cut, c.end, break_lines(" ".join(b_words), mc, ml), c.q)
            options.append((score([a, b], 2.0), [a, b]))
        best = min(options, key=lambda o: o[0])[1]
        if any(p.end - p.start < min_d for p in best):
            q = kept[c.q].quote
            warnings.append(f"quote {q.id}: cue at {c.start / fps:.2f} s had to be cut short at the shot change "
                            f"at {cut / fps:.2f} s")
        queue[0:0] = best
    return out


def _split_words_at(words: list[str], ratio: float, speaker: str | None) -> tuple[list[str], list[str]]:
    """Split words near `ratio` of the characters, at the best linguistic boundary."""
    bounds = boundary_features(words, (speaker,) if speaker else ())
    total = len(" ".join(words))
    best, best_cost = 1, math.inf
    acc = 0
    for j in range(1, len(words)):
        acc += len(words[j - 1]) + (1 if j > 1 else 0)
        off = abs(acc / total - ratio)
        cost = off * 200 + _chunk_boundary_cost(bounds[j]) * 0.5
        if cost < best_cost:
            best, best_cost = j, cost
    return words[:best], words[best:]
