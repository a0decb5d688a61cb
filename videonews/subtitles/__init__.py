"""Captions from quotes: plan cues, break lines, lint, and write SRT/WebVTT/ASS/TTML."""

from __future__ import annotations

from .formats import WRITERS, read_subtitles, save_subtitles, write_subtitles
from .linebreak import break_lines
from .lint import lint_cues, lint_file
from .plan import plan_cues

__all__ = [
    "WRITERS",
    "break_lines",
    "lint_cues",
    "lint_file",
    "plan_cues",
    "read_subtitles",
    "save_subtitles",
    "write_subtitles",
]
