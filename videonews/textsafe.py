"""The one text-sanitising step for quote and metadata text, before any writer sees it.

Article text (`article.text.normalise_text`), story.toml values (`story.StoryFile`) and every line a
subtitle writer emits (`subtitles.formats._base.clean_line`) pass through `safe_line`:

- control characters (C0, C1, DEL) and line/paragraph separators become spaces: a newline inside a
  line would start a new line, or in SRT and WebVTT a blank line would end the cue;
- bidi embeddings and overrides (U+202A-U+202E) are removed: an unclosed U+202E reverses the rest of a
  caption line, and nothing in a news quote needs them;
- bidi isolates (U+2066-U+2069) are kept in balanced pairs only; an opener without its closer, or a
  closer without an opener, is removed (an isolate then never leaks past its line);
- interlinear annotation marks (U+FFF9-U+FFFB) are removed; lone surrogates become U+FFFD.

Escaping stays with each format's writer (ASS braces, SRT tags and arrows, HTML/XML entities).
"""

from __future__ import annotations

import unicodedata

_REMOVED = frozenset("\u202a\u202b\u202c\u202d\u202e\ufff9\ufffa\ufffb")
_OPEN = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
_CLOSE = "\u2069"  # PDI
# Zero-width formatting characters a shaper draws as nothing: no font needs a glyph for them.
INVISIBLE = frozenset("\u00ad\u034f\u061c\u200b\u200c\u200d\u200e\u200f\u2060\u2066\u2067\u2068\u2069\ufeff"
                      + "".join(map(chr, range(0xFE00, 0xFE10))))


def _balanced_isolates(line: str) -> str:
    """`line` without the isolate openers and closers that have no partner."""
    unmatched: set[int] = set()
    stack: list[int] = []
    for i, ch in enumerate(line):
        if ch in _OPEN:
            stack.append(i)
        elif ch == _CLOSE:
            if stack:
                stack.pop()
            else:
                unmatched.add(i)
    unmatched.update(stack)
    return "".join(ch for i, ch in enumerate(line) if i not in unmatched) if unmatched else line


def safe_line(line: str) -> str:
    """One line of text that displays as written in every output (see module doc); not stripped."""
    out = []
    for ch in line:
        if ch in _REMOVED:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Zl", "Zp"):
            out.append(" ")
        elif cat == "Cs":
            out.append("\ufffd")
        else:
            out.append(ch)
    return _balanced_isolates("".join(out))
