"""Speech time: the stretches where speech is heard, joined end to end into one axis.

Quotes that share speech (several quotes of one voice, or a producer's story without voices)
split it in proportion to their reading time, with boundaries moved into pauses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from videonews.models import Segment

Span = tuple[float, float]

MERGE_GAP = 0.3  # seconds: silences shorter than this inside speech are breaths, not pauses
MIN_SPEECH = 0.1  # seconds: shorter "speech" blips are noise


@dataclass
class SpeechTimeline:
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


def clean_speech(speech: list[Segment], duration: float) -> list[tuple[float, float]]:
    segs = sorted((max(0.0, s.start), min(duration, s.end)) for s in speech)
    segs = [(s, e) for s, e in segs if e > s]
    merged: list[tuple[float, float]] = []
    for s, e in segs:
        if merged and s - merged[-1][1] < MERGE_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return [(s, e) for s, e in merged if e - s >= MIN_SPEECH]


def subtract(segs: list[tuple[float, float]], holes: list[tuple[float, float]]) -> list[tuple[float, float]]:
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


def clip(segs: list[Span], t0: float, t1: float) -> list[Span]:
    """The parts of segs inside [t0, t1]; the whole window when none is."""
    out = [(max(s, t0), min(e, t1)) for s, e in segs if e > t0 and s < t1]
    out = [(s, e) for s, e in out if e > s]
    return out or [(t0, t1)]


def share(segs: list[Span], weights: list[float]) -> list[tuple[float, float, list[Span]]]:
    """Windows (start, end, speech inside) over segs, one per weight, in order."""
    tl = SpeechTimeline(segs)
    bounds = share_boundaries(tl, weights)
    out = []
    for u0, u1 in zip(bounds, bounds[1:], strict=False):
        start, end = tl.wall_start(u0), tl.wall_end(u1)
        if end <= start:
            end = start + 0.1
        out.append((start, end, clip(segs, start, end)))
    return out


def share_boundaries(tl: SpeechTimeline, weights: list[float]) -> list[float]:
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
