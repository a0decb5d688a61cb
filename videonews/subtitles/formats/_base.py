"""Shared pieces of the subtitle writers and readers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol, TextIO

from videonews.models import Cue
from videonews.textsafe import safe_line

WORD_JOINER = "\u2060"  # zero-width, default-ignorable: breaks tag syntax without showing


class Writer(Protocol):
    name: str
    extension: str
    media_type: str

    def write(self, cues: list[Cue], stream: TextIO, **opts: Any) -> None: ...

    def read(self, text: str, *, path: str | None = None) -> list[Cue]: ...


def clean_line(line: str) -> str:
    """One displayable line: `videonews.textsafe.safe_line` (controls and separators as spaces, bidi
    controls made harmless, surrogates replaced), ends stripped."""
    return safe_line(line).strip()


def cue_lines(cue: Cue) -> list[str]:
    """The cue's non-empty, cleaned lines."""
    return [ln for ln in (clean_line(x) for x in cue.lines) if ln]


def written(cues: Iterable[Cue]) -> list[Cue]:
    """Cues that have something to show (writers skip empty cues)."""
    return [c for c in cues if cue_lines(c)]


def ms(t: float) -> int:
    return max(0, int(round(t * 1000)))


def clock(t: float, sep: str = ".") -> str:
    """HH:MM:SS.mmm (or with a comma for SRT)."""
    total = ms(t)
    h, rem = divmod(total, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, milli = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def split_blocks(text: str) -> list[tuple[int, list[str]]]:
    """Split text into blank-line separated blocks: (1-based first line number, lines)."""
    blocks: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    start = 0
    for n, line in enumerate(split_lines(text), start=1):
        if line.strip() == "":
            if cur:
                blocks.append((start, cur))
                cur = []
            continue
        if not cur:
            start = n
        cur.append(line)
    if cur:
        blocks.append((start, cur))
    return blocks


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


_EOL = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split on CR LF, CR or LF only (the subtitle formats' line terminators)."""
    lines = _EOL.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
