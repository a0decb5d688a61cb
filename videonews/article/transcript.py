"""Interview transcripts whose turns are labelled with the speakers' names.

Broadcasters publish interviews as "TAPPER: Mayor, how many families are back?" / "BISSEN: Not nearly
enough." (or "MARY LOUISE KELLY, HOST:" on a line of its own, the words in the next paragraph). Each turn is a
direct quote of the person its label names, the interviewer's questions included: the label says who spoke.
A label is one to four upper-case words before a colon; the same speaker may be labelled in full once and by
surname after ("DAVID MILIBAND:", then "MILIBAND:"), so turns are keyed by the label's last word. It is a
transcript only when at least two speakers have at least two turns each: one "UPDATE:" line is not one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_LABEL = re.compile(r"^(?P<name>[A-Z][A-Z'’.\-]*(?: [A-Z][A-Z'’.\-]*){0,3})(?:,\s*(?P<role>[A-Z][A-Z\- ]{1,30}))?\s*:\s*")
# Upper-case labels that are not speakers.
_NOT_SPEAKERS = frozenset("""UPDATE UPDATED NOTE CORRECTION CLARIFICATION WATCH LIVE BREAKING VIDEO PHOTO PHOTOS SOURCE
EDITOR EDITORS TRANSCRIPT READ MORE ALSO RELATED""".split())
_MIN_TURNS = 2  # a transcript has at least two speakers with at least this many turns each


@dataclass(frozen=True)
class Turn:
    """Words of one speaker: paragraph `para` from offset `start` on, labelled `label` ("MARY LOUISE KELLY", the
    fullest label seen for the speaker) with `role` ("HOST") when the label gives one."""

    para: int
    start: int
    key: str  # the label's last word: the same speaker however the label is written
    label: str
    role: str | None


def find_turns(paragraphs: list[str]) -> list[Turn]:
    """The turns of a labelled transcript, in order; [] when the paragraphs are not one. A paragraph with no
    label after a turn continues it; a label alone on its line gives the paragraphs after it to that speaker."""
    labels: dict[int, re.Match[str]] = {}
    for i, p in enumerate(paragraphs):
        m = _LABEL.match(p)
        if m and len(m.group("name")) >= 2 and not set(m.group("name").split()) & _NOT_SPEAKERS:
            labels[i] = m
    counts = Counter(m.group("name").split()[-1] for m in labels.values())
    if sum(1 for n in counts.values() if n >= _MIN_TURNS) < 2:
        return []
    fullest: dict[str, tuple[str, str | None]] = {}
    for m in labels.values():
        name = m.group("name")
        key = name.split()[-1]
        if len(name.split()) > len(fullest.get(key, ("",))[0].split()):
            fullest[key] = (name, m.group("role"))
        elif m.group("role") and not fullest[key][1]:
            fullest[key] = (fullest[key][0], m.group("role"))
    turns: list[Turn] = []
    current: str | None = None
    for i, p in enumerate(paragraphs):
        m = labels.get(i)
        if m is not None:
            current = m.group("name").split()[-1]
            start = m.end()
        else:
            start = 0
        if current is not None and p[start:].strip():
            turns.append(Turn(i, start, current, *fullest[current]))
    return turns
