"""Where a text's words were heard: local alignment (Smith-Waterman) of its words against recognised words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

MATCH, MISMATCH, GAP = 2, -1, -1
EDGE_WORDS = 2  # unmatched quote words either side taken as misheard when the recogniser heard a word there
EDGE_GAP = 0.3  # ...with at most this pause (s) before the matched run


@dataclass(frozen=True)
class Hit:
    """Text words [text_start, text_end) lie on heard words [heard_start, heard_end); `matches` agree.
    core: the same four bounds before extend_edges widened the run (its first and last words agree)."""

    text_start: int
    text_end: int
    heard_start: int
    heard_end: int
    matches: int
    core: tuple[int, int, int, int] | None = field(default=None, compare=False)

    @property
    def agreed(self) -> tuple[int, int, int, int]:
        """(text_start, text_end, heard_start, heard_end) of the run between its first and last agreeing words."""
        return self.core or (self.text_start, self.text_end, self.heard_start, self.heard_end)

    @property
    def agreement(self) -> float:
        """Share of the aligned stretch (the longer side) whose words agree: 1.0 when every word was heard."""
        return self.matches / max(self.text_end - self.text_start, self.heard_end - self.heard_start, 1)


def best_hit(text: Sequence[str], heard: Sequence[str], taken: frozenset[int] = frozenset()) -> Hit | None:
    """The best-scoring run of `text` found in `heard`; heard positions in `taken` never match."""
    n, m = len(text), len(heard)
    if not n or not m:
        return None
    score = [[0] * (m + 1) for _ in range(n + 1)]
    best, at = 0, (0, 0)
    for i in range(1, n + 1):
        row, prev, word = score[i], score[i - 1], text[i - 1]
        for j in range(1, m + 1):
            same = word == heard[j - 1] and (j - 1) not in taken
            s = max(0, prev[j - 1] + (MATCH if same else MISMATCH), prev[j] + GAP, row[j - 1] + GAP)
            row[j] = s
            if s > best:
                best, at = s, (i, j)
    if best == 0:
        return None
    i, j = at
    matches = 0
    while i > 0 and j > 0 and score[i][j] > 0:  # trace back to where the run starts
        same = text[i - 1] == heard[j - 1] and (j - 1) not in taken
        if score[i][j] == score[i - 1][j - 1] + (MATCH if same else MISMATCH):
            matches += same
            i, j = i - 1, j - 1
        elif score[i][j] == score[i - 1][j] + GAP:
            i -= 1
        else:
            j -= 1
    return Hit(i, at[0], j, at[1], matches)


def extend_edges(hit: Hit, text_len: int, starts: Sequence[float], ends: Sequence[float],
                 taken: frozenset[int] = frozenset()) -> Hit:
    """Take up to EDGE_WORDS quote words either side of the run as misheard, one heard word each,
    when the recogniser heard a word there with no real pause (the first word of a soundbite is
    often misrecognised)."""
    ts, te, hs, he = hit.text_start, hit.text_end, hit.heard_start, hit.heard_end
    for _ in range(EDGE_WORDS):
        if ts > 0 and hs > 0 and (hs - 1) not in taken and starts[hs] - ends[hs - 1] <= EDGE_GAP:
            ts, hs = ts - 1, hs - 1
        if te < text_len and he < len(starts) and he not in taken and starts[he] - ends[he - 1] <= EDGE_GAP:
            te, he = te + 1, he + 1
    return Hit(ts, te, hs, he, hit.matches, hit.agreed)
