"""Line breaking (and cue-boundary scoring) at linguistic boundaries.

Rules, after the Netflix/BBC style guides:

* keep text on one line when it fits;
* break after punctuation, before conjunctions and prepositions;
* never inside a person's name (the speaker's name, any name passed in and any
  run of Capitalised Words), never between an article/determiner and its noun,
  never after an honorific or initial ("Mr.", "J.");
* prefer bottom-heavy (pyramid) two-liners when it doesn't hurt.

"Never" is implemented as a very large cost so that text that cannot be broken
cleanly still gets broken somewhere rather than overflowing.

`boundary_features` and `units` are shared with the cue planner (plan.py),
which uses the same analysis to choose where one cue ends and the next begins.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Boundary",
    "boundary_features",
    "break_lines",
    "fits",
    "line_break_cost",
    "normalise_text",
    "split_words",
]

ARTICLES = frozenset(
    "a an the this that these those my your his her its our their whose every each no some any".split()
)
CONJUNCTIONS = frozenset(
    "and but or nor so yet because while whereas although though unless if when where which who whom "
    "whether since until as than that".split()
)
PREPOSITIONS = frozenset(
    "in on at for with from by to into onto through over under about between among across without "
    "within during after before against toward towards upon via per like around beyond behind".split()
)
# Words that make a poor line/cue ending (they lean on the next word).
LEANERS = ARTICLES | PREPOSITIONS | CONJUNCTIONS | frozenset(
    "i we you he she it they is are was were be been will would shall should can could may might must "
    "do does did not very more most less to has have had".split()
)
ABBREVIATIONS = frozenset(
    "mr. mrs. ms. dr. prof. st. jr. sr. gen. col. capt. lt. sgt. gov. sen. rep. pres. rev. no. vs. "
    "e.g. i.e. jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. u.s. u.k. u.n. inc. co. "
    "corp. ltd. mt. ft.".split()
)

_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{"
_SENT_END = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*$")
_CLAUSE_END = re.compile(r"[,;:—–]+[" + re.escape(_CLOSERS) + r"]*$")
_INITIAL = re.compile(r"^[A-Z]\.$")

NOBREAK = 1000.0


def normalise_text(text: str) -> str:
    """Collapse all whitespace (newlines, tabs, NBSP) to single spaces."""
    return " ".join(text.split())


def split_words(text: str) -> list[str]:
    return text.split()


def _core(word: str) -> str:
    return word.strip(_OPENERS + _CLOSERS + ".,;:!?…—–-")


def _is_cap(word: str) -> bool:
    core = word.lstrip(_OPENERS)
    return bool(core) and core[0].isupper()


def _ends_punct(word: str) -> bool:
    return bool(_SENT_END.search(word) or _CLAUSE_END.search(word)) or word.endswith(tuple(_CLOSERS))


@dataclass(frozen=True)
class Boundary:
    """What lies between words[j-1] and words[j]."""

    sentence: bool = False  # words[j-1] ends a sentence
    clause: bool = False  # words[j-1] ends with , ; : or a dash
    conj: bool = False  # words[j] is a conjunction
    prep: bool = False  # words[j] is a preposition
    leans: bool = False  # words[j-1] leans on the next word ("the", "of", "will")
    weak: bool = False  # words[j] binds to what precedes it ("of": "kinds | of" splits a phrase)
    nobreak: bool = False  # breaking here splits a name, an article from its noun, ...


def _name_spans(words: Sequence[str], names: Iterable[str]) -> set[int]:
    """Boundary indices j (between j-1 and j) that fall inside any of `names`."""
    inside: set[int] = set()
    cores = [_core(w).lower() for w in words]
    for name in names:
        parts = [_core(p).lower() for p in name.split()]
        parts = [p for p in parts if p]
        if len(parts) < 2:
            continue
        for i in range(len(words) - len(parts) + 1):
            if cores[i : i + len(parts)] == parts:
                inside.update(range(i + 1, i + len(parts)))
    return inside


def boundary_features(words: Sequence[str], names: Iterable[str] = ()) -> list[Boundary]:
    """Features for every boundary; index j describes the gap before words[j] (index 0 unused)."""
    protected = _name_spans(words, names)
    out = [Boundary()]
    for j in range(1, len(words)):
        prev, nxt = words[j - 1], words[j]
        prev_l = prev.lower()
        prev_core = _core(prev).lower()
        nxt_core = _core(nxt).lower()
        abbrev = prev_l.lstrip(_OPENERS) in ABBREVIATIONS or bool(_INITIAL.match(prev.lstrip(_OPENERS)))
        sentence = bool(_SENT_END.search(prev)) and not abbrev
        clause = not sentence and (bool(_CLAUSE_END.search(prev)) or nxt in ("—", "–", "-"))
        punct = sentence or clause or _ends_punct(prev)
        nobreak = (
            j in protected
            or abbrev
            or (not punct and prev_core in ARTICLES and prev == prev.rstrip(_CLOSERS))
            or (not punct and _is_cap(prev) and _is_cap(nxt) and prev_core != "i")
            or (not punct and prev_core.replace(",", "").isdigit() and nxt_core in ("%", "percent", "per"))
        )
        out.append(
            Boundary(
                sentence=sentence,
                clause=clause,
                conj=not punct and nxt_core in CONJUNCTIONS and not _is_cap(nxt),
                prep=not punct and nxt_core in PREPOSITIONS and not _is_cap(nxt),
                leans=not punct and (prev_core in LEANERS or prev_core == "of"),
                weak=not punct and nxt_core == "of",
                nobreak=nobreak,
            )
        )
    return out


def line_break_cost(b: Boundary) -> float:
    """Cost of a line break at a boundary (lower is better)."""
    if b.nobreak:
        return NOBREAK
    cost = 0.0
    if b.sentence:
        cost -= 30
    elif b.clause:
        cost -= 22
    elif b.conj:
        cost -= 14
    elif b.prep:
        cost -= 12
    if b.leans:
        cost += 15
    if b.weak:
        cost += 5
    return cost


def _shape_cost(lengths: Sequence[int]) -> float:
    """Balanced lines, bottom-heavy (pyramid) preferred; no orphan words."""
    cost = 0.0
    for upper, lower in itertools.pairwise(lengths):
        d = upper - lower
        cost += 0.012 * d * d
        if d > 0:  # top-heavy
            cost += 2 + 0.2 * d
    for n in lengths:
        if n < 8:  # an orphan word on its own line
            cost += 8 - n
    return cost


def _units(words: Sequence[str], bounds: Sequence[Boundary]) -> list[int]:
    """Lengths (chars) of the unbreakable groups of words, for a quick fit check."""
    lengths: list[int] = []
    for j, w in enumerate(words):
        if j > 0 and bounds[j].nobreak:
            lengths[-1] += 1 + len(w)
        else:
            lengths.append(len(w))
    return lengths


def _greedy_lines(lengths: Sequence[int], max_chars: int, first_reserve: int = 0) -> int | None:
    """Number of lines a greedy fill needs (None when an item is longer than a line)."""
    lines, cur = 0, 0
    for n in lengths:
        if lines and cur + 1 + n <= max_chars - (first_reserve if lines == 1 else 0):
            cur += 1 + n
            continue
        lines += 1
        if n > max_chars - (first_reserve if lines == 1 else 0):
            return None
        cur = n
    return lines


def fits(words: Sequence[str], bounds: Sequence[Boundary], max_chars: int, max_lines: int,
         first_reserve: int = 0) -> bool:
    """Can `words` (with boundary features `bounds`, bounds[0] ignored) fit the box?

    Tries to keep unbreakable groups together; falls back to plain words when a
    group is longer than a line.
    """
    if not words:
        return True
    if sum(len(w) for w in words) + len(words) - 1 <= max_chars - first_reserve:
        return True
    rel = [Boundary()] + list(bounds[1:])
    n = _greedy_lines(_units(words, rel), max_chars, first_reserve)
    if n is None:
        n = _greedy_lines([len(w) for w in words], max_chars, first_reserve)
    return n is not None and n <= max_lines


def _hard_wrap(words: Sequence[str], max_chars: int) -> list[str]:
    """Last resort: greedy wrap, cutting words longer than a line."""
    pieces: list[str] = []
    for w in words:
        while len(w) > max_chars:
            pieces.append(w[:max_chars])
            w = w[max_chars:]
        if w:
            pieces.append(w)
    lines: list[str] = []
    for p in pieces:
        if lines and len(lines[-1]) + 1 + len(p) <= max_chars:
            lines[-1] += " " + p
        else:
            lines.append(p)
    return lines


_MAX_COMBINATIONS = 20000


def break_lines(text: str, max_chars: int = 42, max_lines: int = 2, *, names: Iterable[str] = (),
                first_line_reserve: int = 0) -> list[str]:
    """Break `text` into at most `max_lines` lines of at most `max_chars` characters.

    Uses as few lines as possible and, among those, the break points with the
    best linguistic score (see module doc). `names` are extra multi-word names
    that must not be split. `first_line_reserve` keeps that many characters free
    on the first line (e.g. for a "- " speaker dash).

    If the text cannot fit at all, returns a greedy wrap that may exceed
    `max_lines` (and cut words longer than a line): the caller (or lint) must
    deal with it.
    """
    text = normalise_text(text)
    if not text:
        return []
    max_chars = max(1, max_chars)
    if len(text) <= max_chars - first_line_reserve:
        return [text]
    words = split_words(text)
    bounds = boundary_features(words, names)
    costs = [line_break_cost(b) for b in bounds]
    # prefix sums of word lengths for O(1) line lengths
    pre = [0]
    for w in words:
        pre.append(pre[-1] + len(w))

    def length(i: int, j: int) -> int:
        return pre[j] - pre[i] + (j - i - 1)

    n = len(words)
    for k in range(2, max(2, max_lines) + 1):
        if k > n:
            break
        if math.comb(n - 1, k - 1) > _MAX_COMBINATIONS:
            break
        best: tuple[float, tuple[int, ...]] | None = None
        for cut in itertools.combinations(range(1, n), k - 1):
            edges = (0, *cut, n)
            lens = [length(a, b) for a, b in itertools.pairwise(edges)]
            if lens[0] > max_chars - first_line_reserve or any(x > max_chars for x in lens[1:]):
                continue
            cost = sum(costs[c] for c in cut) + _shape_cost(lens)
            if best is None or cost < best[0]:
                best = (cost, edges)
        if best is not None:
            edges = best[1]
            return [" ".join(words[a:b]) for a, b in itertools.pairwise(edges)]
        if k >= max_lines:
            break
    return _hard_wrap(words, max_chars)
