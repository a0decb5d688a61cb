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
            cost += boundary_cost(bounds[j])
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
