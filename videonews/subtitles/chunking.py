"""Cutting a quote into cue-sized chunks: fewest, most natural breaks that fit the style box."""

from __future__ import annotations

import math

from videonews.models import StyleProfile

from .linebreak import Boundary, boundary_features, break_lines, fits, normalise_text, split_words

# chunk (cue boundary) costs, lower is better
_CHUNK_COST = 40.0
_STRADDLE_COST = 100.0


def boundary_cost(b: Boundary) -> float:
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


class _Words:
    """A quote's words with what it costs to make a chunk of words[i:j]."""

    def __init__(self, words: list[str], profile: StyleProfile, names: tuple[str, ...], first_reserve: int,
                 anchors: tuple[float, ...]) -> None:
        self.words, self.profile, self.reserve, self.anchors = words, profile, first_reserve, anchors
        self.n = len(words)
        self.bounds = boundary_features(words, names)
        self.max_len = max(profile.max_chars_per_line, int(profile.target_cps * profile.max_duration))
        self.pre = [0]
        for w in words:
            self.pre.append(self.pre[-1] + len(w))
        # index j: the boundary before word j ends a sentence
        self.sentence_end = [False] + [b.sentence for b in self.bounds[1:]] + [True]

    def length(self, i: int, j: int) -> int:
        return self.pre[j] - self.pre[i] + (j - i - 1)

    def fits(self, i: int, j: int) -> bool:
        if self.length(i, j) > self.max_len:
            return False
        p = self.profile
        return fits(self.words[i:j], self.bounds[i:j], p.max_chars_per_line, p.max_lines,
                    self.reserve if i == 0 else 0)

    def cost(self, i: int, j: int) -> float:
        cost = _CHUNK_COST
        chars = self.length(i, j)
        if chars < 20 and not (i == 0 and j == self.n):
            cost += (20 - chars) * 3
        inner_sentence = any(self.sentence_end[k] for k in range(i + 1, j))
        if inner_sentence and not ((i == 0 or self.sentence_end[i]) and self.sentence_end[j]):
            cost += _STRADDLE_COST
        if j < self.n:
            cost += boundary_cost(self.bounds[j])
        a, b = self.pre[i] + i, self.pre[j] + j - 1  # char offsets of the chunk in the text
        for x in self.anchors:
            if a < x < b:
                cost += min(400.0, 8.0 * min(x - a, b - x))
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
    words = split_words(normalise_text(text))
    if not words:
        return []
    ws = _Words(words, profile, names, first_reserve, anchors)
    edges = _cheapest_edges(ws, min(max(1, min_chunks), ws.n))
    return [break_lines(" ".join(words[a:b]), profile.max_chars_per_line, profile.max_lines, names=names,
                        first_line_reserve=first_reserve if a == 0 else 0)
            for a, b in zip(edges, edges[1:], strict=False)]


def _cheapest_edges(ws: _Words, want: int) -> list[int]:
    """Chunk boundaries (word indices, 0 ... n) of least total cost with at least `want` chunks.

    dp[k][j]: the best cost covering words[:j] with k chunks, k == want meaning "want or more".
    """
    n, inf = ws.n, math.inf
    dp = [[inf] * (n + 1) for _ in range(want + 1)]
    back: list[list[tuple[int, int]]] = [[(-1, -1)] * (n + 1) for _ in range(want + 1)]
    dp[0][0] = 0.0
    span = max(1, ws.max_len // 2 + 1)  # words per chunk are bounded by the box: look back only that far
    for j in range(1, n + 1):
        for i in range(max(0, j - span), j):
            fit = ws.fits(i, j)
            if not fit and j - i > 1:
                continue
            c = ws.cost(i, j) + (0 if fit else 10000.0)  # a single overlong word: allowed, costly
            for k_prev in range(want + 1):
                prev = dp[k_prev][i]
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
    return edges[::-1]
