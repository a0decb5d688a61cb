"""A small back-off trigram language model in ARPA format, built from the article's own sentences.

Absolute discounting (D = 0.5) with Katz-style back-off weights. The model is tiny (a few hundred
words), so the recogniser's vocabulary and word sequences are those of the story.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

DISCOUNT = 0.5
History = tuple[str, ...]


def arpa(sentences: Sequence[Sequence[str]]) -> str:
    """ARPA text of a trigram model over word sentences (each gets <s> and </s>)."""
    counts: list[Counter[History]] = [Counter(), Counter(), Counter()]
    for words in sentences:
        seq = ["<s>", *words, "</s>"]
        for n in range(3):
            for i in range(len(seq) - n):
                counts[n][tuple(seq[i:i + n + 1])] += 1
    total = sum(c for (w,), c in counts[0].items() if w != "<s>")
    uni = {g: (0.0 if g == ("<s>",) else c / total) for g, c in counts[0].items()}
    probs: list[dict[History, float]] = [uni, _discounted(counts[1], counts[0]), _discounted(counts[2], counts[1])]

    def prob(gram: History) -> float:
        """Probability of gram's last word after its history, backing off through shorter histories."""
        if gram in probs[len(gram) - 1]:
            return probs[len(gram) - 1][gram]
        return backoff[len(gram) - 2].get(gram[:-1], 1.0) * prob(gram[1:])

    backoff: list[dict[History, float]] = [{}, {}]
    for n in (1, 2):
        seen: dict[History, list[History]] = defaultdict(list)
        for gram in probs[n]:
            seen[gram[:-1]].append(gram)
        for hist, grams in seen.items():
            kept = sum(probs[n][g] for g in grams)
            lower = sum(prob(g[1:]) for g in grams)
            backoff[n - 1][hist] = (1.0 - kept) / max(1e-9, 1.0 - lower)

    lines = ["\\data\\", *(f"ngram {n + 1}={len(probs[n])}" for n in range(3)), ""]
    for n in range(3):
        lines.append(f"\\{n + 1}-grams:")
        for gram, p in sorted(probs[n].items()):
            text = f"{_log10(p):.4f} {' '.join(gram)}"
            if n < 2:
                text += f" {_log10(backoff[n].get(gram, 1.0)):.4f}"
            lines.append(text)
        lines.append("")
    lines.append("\\end\\")
    return "\n".join(lines) + "\n"


def _discounted(grams: Counter[History], histories: Counter[History]) -> dict[History, float]:
    return {g: (c - DISCOUNT) / histories[g[:-1]] for g, c in grams.items()}


def _log10(p: float) -> float:
    return -99.0 if p <= 0 else math.log10(p)
