"""Make laid-out cues legal on the frame grid, pass by pass.

Each cue carries the limits of its quote's voice (`lo`, `hi`): another voice speaks outside them,
so no pass moves a cue past them, whatever the style rules would like (a short cue is flagged by
lint; a caption over the wrong voice would be published). Without limits a cue may use the whole
video, as before voices were known.

Passes, in order: to frames, max duration, snap to cuts, resolve crossings, gaps, min duration,
safety net (cuts, max duration, limits), rebalance reading speed, clamp to the video.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

from videonews.models import StyleProfile

from .chunking import boundary_cost
from .linebreak import boundary_features, break_lines


@dataclass
class Item:
    """A cue in progress: seconds while laid out, whole frames once legalised."""

    start: float
    end: float
    lines: list[str]
    q: int  # index into the planner's quotes
    reserve: int = 0  # first-line room kept for a speaker dash
    lo: float = 0.0  # the quote's voice limits: the cue never leaves [lo, hi]
    hi: float = math.inf

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class QuoteRef:
    """What the passes say about a quote in warnings and use to split text."""

    id: str
    speaker: str | None


@dataclass(frozen=True)
class _Grid:
    profile: StyleProfile
    fps: float
    last_frame: int
    cuts: list[int]
    min_d: int
    max_d: int

    @property
    def gap(self) -> int:
        return self.profile.min_gap_frames


def read_time(text: str, profile: StyleProfile) -> float:
    """Shortest legal display time for text: max_cps and, where set, max_wpm."""
    t = len(text) / profile.max_cps
    if profile.max_wpm:
        t = max(t, len(text.split()) * 60 / profile.max_wpm)
    return t


def rate(text: str, secs: float, profile: StyleProfile) -> tuple[float, str]:
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


def frame(t: float, fps: float) -> int:
    """Nearest frame (halves round up, unlike round())."""
    return int(math.floor(t * fps + 0.5))


def legalise(items: list[Item], quotes: list[QuoteRef], profile: StyleProfile, fps: float, duration: float,
             shots: list[float], warnings: list[str]) -> list[Item]:
    last_frame = int(math.floor(duration * fps + 1e-6))
    grid = _Grid(profile=profile, fps=fps, last_frame=last_frame,
                 cuts=sorted({frame(c, fps) for c in shots if 0 < c * fps < last_frame}),
                 min_d=int(math.ceil(profile.min_duration * fps - 1e-6)),
                 max_d=int(math.floor(profile.max_duration * fps + 1e-6)))
    cues = sorted((_to_frames(it, grid) for it in items), key=lambda c: (c.start, c.q))
    for c in cues:  # max duration first: a cue that is too long keeps its start (speech onset)
        c.end = min(c.end, c.start + grid.max_d)
    _snap_to_cuts(cues, grid)
    cues = _resolve_crossings(cues, grid, warnings, quotes)
    cues.sort(key=lambda c: (c.start, c.q))
    _fix_gaps(cues, grid)
    _min_durations(cues, grid)
    _safety_net(cues, grid)
    _rebalance(cues, grid)
    return _clamp_to_video(cues, grid, duration, warnings, quotes)


def _to_frames(it: Item, grid: _Grid) -> Item:
    fps = grid.fps
    lo = max(0, math.ceil(it.lo * fps - 1e-6))
    s = max(frame(it.start, fps), lo)
    e = max(frame(it.end, fps), s + 1)
    hi: float = math.inf
    if it.hi != math.inf:
        hi = max(lo + 1, math.floor(it.hi * fps + 1e-6))
        s = min(s, int(hi) - 1)
        e = min(max(e, s + 1), int(hi))
    return Item(start=s, end=e, lines=it.lines, q=it.q, reserve=it.reserve, lo=lo, hi=hi)


def _nearest(cuts: list[int], t: float, within: int) -> int | None:
    best = None
    for c in cuts:
        d = abs(c - t)
        if d <= within and (best is None or d < abs(best - t)):
            best = c
    return best


def _snap_to_cuts(cues: list[Item], grid: _Grid) -> None:
    """An in or out within shot_snap_frames of a cut moves onto it (inside the voice's limits)."""
    snap, min_d, max_d = grid.profile.shot_snap_frames, grid.min_d, grid.max_d
    for c in cues:
        near_in = _nearest(grid.cuts, c.start, snap)
        if (near_in is not None and near_in != c.start and near_in >= c.lo
                and c.end - near_in >= min(min_d, c.end - c.start)):
            c.start = near_in
            c.end = min(c.end, c.start + max_d)
        near_out = _nearest(grid.cuts, c.end, snap)
        if (near_out is not None and near_out != c.end and near_out <= c.hi
                and near_out - c.start >= min(min_d, c.end - c.start) and near_out - c.start <= max_d):
            c.end = near_out


def _fix_gaps(cues: list[Item], grid: _Grid) -> None:
    """At least min_gap frames between cues; gaps up to close_gap_frames closed to min_gap."""
    gap, close, min_d, max_d, cuts = grid.gap, grid.profile.close_gap_frames, grid.min_d, grid.max_d, grid.cuts
    for a, b in itertools.pairwise(cues):
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
                        b.end = min(b.hi, b.start + max(min_d, b.end - b.start + shift))
        elif g <= close:
            target = min(b.start - gap, a.hi)
            if target - a.start <= max_d and not any(a.start < cut < target for cut in cuts):
                a.end = max(a.end, target)
            else:
                inner = [cut for cut in cuts if a.end < cut <= target]
                if inner and inner[0] - a.start <= max_d:
                    a.end = inner[0]


def _min_durations(cues: list[Item], grid: _Grid) -> None:
    """A cue under min duration grows into free space after it, then before it."""
    gap, min_d, cuts = grid.gap, grid.min_d, grid.cuts
    for i, c in enumerate(cues):
        if c.end - c.start >= min_d:
            continue
        limit_after = min(c.hi, cues[i + 1].start - gap if i + 1 < len(cues) else grid.last_frame)
        next_cut = next((cut for cut in cuts if cut > c.start), None)
        if next_cut is not None:
            limit_after = min(limit_after, next_cut)
        c.end = max(c.end, min(c.start + min_d, limit_after))
        if c.end - c.start < min_d:
            limit_before = max(c.lo, cues[i - 1].end + gap if i > 0 else 0)
            prev_cut = next((cut for cut in reversed(cuts) if cut <= c.start), None)
            if prev_cut is not None:
                limit_before = max(limit_before, prev_cut)
            c.start = min(c.start, max(c.end - min_d, limit_before))


def _safety_net(cues: list[Item], grid: _Grid) -> None:
    """Whatever the passes above did: no cue crosses a cut, runs too long or leaves its voice."""
    for c in cues:
        c.start, c.end = max(c.start, c.lo), min(c.end, c.hi)
        c.end = min(c.end, c.start + grid.max_d)
        for cut in grid.cuts:
            if c.start < cut < c.end:
                if cut - c.start >= c.end - cut:
                    c.end = cut
                else:
                    c.start = cut


def _clamp_to_video(cues: list[Item], grid: _Grid, duration: float, warnings: list[str],
                    quotes: list[QuoteRef]) -> list[Item]:
    out: list[Item] = []
    fps = grid.fps
    for c in cues:
        q = quotes[c.q]
        if c.start >= grid.last_frame:
            warnings.append(f"quote {q.id}: cue starting at {c.start / fps:.2f} s is past the end of the "
                            f"video ({duration:g} s); dropped")
            continue
        c.start = max(0, c.start)
        c.end = min(c.end, grid.last_frame)
        if c.end <= c.start:
            continue
        if c.end - c.start < grid.min_d:
            warnings.append(f"quote {q.id}: cue at {c.start / fps:.2f} s lasts {(c.end - c.start) / fps:.2f} s, "
                            f"below the {grid.profile.min_duration:.2f} s minimum (no room around it)")
        out.append(c)
    return out


def _fits(lines: list[str], profile: StyleProfile, reserve: int = 0) -> bool:
    return (0 < len(lines) <= profile.max_lines
            and all(len(ln) + (reserve if i == 0 else 0) <= profile.max_chars_per_line for i, ln in enumerate(lines)))


def _load(c: Item, text: str, grid: _Grid) -> float:
    return rate(text, (c.end - c.start) / grid.fps, grid.profile)[0]


def _rebalance(cues: list[Item], grid: _Grid) -> None:
    """Times are fixed by now (speech, cuts and gaps decided them); where a cue is still too fast
    to read: even out touching cues, borrow a little free time, then move words."""
    _even_out(cues, grid)
    _borrow_time(cues, grid)
    _move_words(cues, grid)


def _even_out(cues: list[Item], grid: _Grid) -> None:
    """Between touching cues of one quote in one shot: move the boundary, a little."""
    min_d, max_d, gap = grid.min_d, grid.max_d, grid.gap
    slack = grid.profile.shot_snap_frames  # how far a boundary may drift from where the speech put it
    origin = {id(c): (c.start, c.end) for c in cues}
    for _ in range(8):
        for a, b in itertools.pairwise(cues):
            if a.q != b.q or b.start - a.end > gap or any(a.start < cut <= b.start for cut in grid.cuts):
                continue
            span = b.end - a.start - gap
            want = round(span * a.chars / max(1, a.chars + b.chars))
            lo = max(min_d, span - max_d, origin[id(a)][1] - slack - a.start)
            hi = min(max_d, span - min_d, origin[id(a)][1] + slack - a.start)
            if lo <= hi:
                a.end = a.start + min(hi, max(lo, want))
                b.start = a.end + gap


def _borrow_time(cues: list[Item], grid: _Grid) -> None:
    """Still too fast: borrow a little free time before the speech onset or after its end."""
    profile, fps, gap, max_d = grid.profile, grid.fps, grid.gap, grid.max_d
    slack = profile.shot_snap_frames
    for i, c in enumerate(cues):
        if _load(c, c.text, grid) <= 1:
            continue
        need = math.ceil(len(c.text) / profile.max_cps * fps) - (c.end - c.start)
        floor = max(c.lo, cues[i - 1].end + gap if i else 0)
        floor = max([floor, *[cut for cut in grid.cuts if cut <= c.start]])
        c.start = max(c.start - min(need, slack), floor, c.end - max_d)
        need = math.ceil(len(c.text) / profile.max_cps * fps) - (c.end - c.start)
        if need > 0:
            ceiling = min(c.hi, cues[i + 1].start - gap if i + 1 < len(cues) else c.end + slack)
            ceiling = min([ceiling, *[cut for cut in grid.cuts if cut >= c.end]])
            c.end = min(c.end + min(need, slack), ceiling, c.start + max_d)


def _move_words(cues: list[Item], grid: _Grid) -> None:
    """Still too fast (typically a cue pinned between speech onset and a cut): move a few words
    to its neighbour of the same quote when both still fit the box."""
    for _ in range(4 * len(cues)):
        changed = False
        for a, b in itertools.pairwise(cues):
            if a.q == b.q and _move_between(a, b, grid):
                changed = True
        if not changed:
            return


def _move_between(a: Item, b: Item, grid: _Grid) -> bool:
    profile = grid.profile
    mc, ml = profile.max_chars_per_line, profile.max_lines
    wa, wb = a.text.split(), b.text.split()
    load_a, load_b = _load(a, a.text, grid), _load(b, b.text, grid)
    now = max(load_a, load_b)
    if now <= 1:
        return False
    best: tuple[float, list[str], list[str]] | None = None
    for k in range(1, 4):
        if load_a > 1 and k < len(wa):  # a too fast: its last words go to b
            na, nb = wa[:-k], wa[-k:] + wb
        elif load_b > 1 and k < len(wb):  # b too fast: its first words go to a
            na, nb = wa + wb[:k], wb[k:]
        else:
            continue
        la = break_lines(" ".join(na), mc, ml, first_line_reserve=a.reserve)
        lb = break_lines(" ".join(nb), mc, ml)
        if not (_fits(la, profile, a.reserve) and _fits(lb, profile)):
            continue
        worst = max(_load(a, " ".join(na), grid), _load(b, " ".join(nb), grid))
        if worst < now - 1e-9 and (best is None or worst < best[0]):
            best = (worst, la, lb)
    if best is None:
        return False
    a.lines, b.lines = best[1], best[2]
    return True


def _resolve_crossings(cues: list[Item], grid: _Grid, warnings: list[str], quotes: list[QuoteRef]) -> list[Item]:
    """No cue may cross a cut (frames). For each crossing, the options are: keep the part on one
    side, move the whole cue to one side (if there is room, inside its voice), or split its text at
    the cut; the one with the lowest reading speed wins, illegal ones last."""
    if not grid.cuts:
        return cues
    out: list[Item] = []
    queue = list(cues)
    budget = 10 * len(cues) + 100
    while queue:
        c = queue.pop(0)
        inner = [cut for cut in grid.cuts if c.start < cut < c.end]
        budget -= 1
        if not inner or budget < 0:
            out.append(c)
            continue
        cut = inner[0]
        best = _best_option(c, cut, out[-1].end if out else 0, queue[0].start if queue else None, grid,
                            quotes[c.q].speaker)
        if any(p.end - p.start < grid.min_d for p in best):
            warnings.append(f"quote {quotes[c.q].id}: cue at {c.start / grid.fps:.2f} s had to be cut short at "
                            f"the shot change at {cut / grid.fps:.2f} s")
        queue[0:0] = best
    return out


def _best_option(c: Item, cut: int, prev_end: int | float, next_start: int | float | None, grid: _Grid,
                 speaker: str | None) -> list[Item]:
    profile, fps, min_d, gap = grid.profile, grid.fps, grid.min_d, grid.gap

    def score(parts: list[Item], extra: float = 0.0) -> float:
        """Reading load in cps-equivalents (lower is better), illegal options last."""
        worst = max(rate(p.text, (p.end - p.start) / fps, profile)[0] for p in parts)
        short = any(p.end - p.start < min_d for p in parts)
        return worst * profile.max_cps + extra + (1000 if short else 0) + (500 if worst > 1 + 1e-6 else 0)

    def part(start: float, end: float) -> Item:
        return replace(c, start=start, end=end)

    options: list[tuple[float, list[Item]]] = [(score([part(cut, c.end)]), [part(cut, c.end)]),
                                               (score([part(c.start, cut)]), [part(c.start, cut)])]
    dur = c.end - c.start
    if (next_start is None or cut + dur <= next_start - gap) and cut + dur <= c.hi:  # move after the cut
        options.append((score([part(cut, cut + dur)], 1.0 + 4 * (cut - c.start) / fps), [part(cut, cut + dur)]))
    if cut - dur >= prev_end + gap and cut - dur >= c.lo:  # move before the cut
        options.append((score([part(cut - dur, cut)], 1.0 + 4 * (c.end - cut) / fps), [part(cut - dur, cut)]))
    words = c.text.split()
    if len(words) >= 2:
        left, right = cut - c.start, c.end - cut
        a_words, b_words = _split_words_at(words, left / (left + right), speaker)
        mc, ml = profile.max_chars_per_line, profile.max_lines
        a = replace(c, end=cut, lines=break_lines(" ".join(a_words), mc, ml, first_line_reserve=c.reserve))
        b = replace(c, start=cut, lines=break_lines(" ".join(b_words), mc, ml), reserve=0)
        options.append((score([a, b], 2.0), [a, b]))
    return min(options, key=lambda o: o[0])[1]


def _split_words_at(words: list[str], ratio: float, speaker: str | None) -> tuple[list[str], list[str]]:
    """Split words near `ratio` of the characters, at the best linguistic boundary."""
    bounds = boundary_features(words, (speaker,) if speaker else ())
    total = len(" ".join(words))
    best, best_cost = 1, math.inf
    acc = 0
    for j in range(1, len(words)):
        acc += len(words[j - 1]) + (1 if j > 1 else 0)
        off = abs(acc / total - ratio)
        cost = off * 200 + boundary_cost(bounds[j]) * 0.5
        if cost < best_cost:
            best, best_cost = j, cost
    return words[:best], words[best:]
