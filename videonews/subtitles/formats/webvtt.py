"""WebVTT (.vtt), for browsers' `<track>`.

Writing: a `WEBVTT` line, optional `Kind:`/`Language:` header lines (opts `kind`,
`language`), then cues with `HH:MM:SS.mmm` times (dot decimals). Each cue with a
speaker starts with a voice span `<v Full Name>`; `&`, `<` and `>` are escaped
in the text and in the voice annotation, and a trailing `-` of the annotation is
written `&#45;` (so no `-->` can appear in a cue).
Lines are cleaned of control/separator characters so that no blank line ends a
cue early.

Reading: header, NOTE/STYLE/REGION blocks are skipped; voice spans give the
speaker, other tags are dropped and character references decoded.
"""

from __future__ import annotations

import html
import re
from typing import Any, TextIO

from videonews.errors import SubtitleParseError
from videonews.models import Cue, TimedWord

from ._base import clean_line, clock, cue_lines, split_blocks, strip_bom

name = "vtt"
extension = ".vtt"
media_type = "text/vtt"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _annotation(speaker: str) -> str:
    """A voice span's annotation: escaped, and no trailing '-' that the span's '>' would make a '-->'
    (a line holding '-->' ends the cue text)."""
    text = escape(speaker)
    bare = text.rstrip("-")
    return bare + "&#45;" * (len(text) - len(bare))


def _timed_lines(cue: Cue, words: list[TimedWord]) -> list[str]:
    """The cue's lines with a `<HH:MM:SS.mmm>` timestamp tag before each word said after the cue starts (the
    karaoke-style tags browsers expose as `:past`/`:future`)."""
    from .ass import word_times

    out = []
    last = cue.start
    for row in word_times(cue_lines(cue), cue.start, cue.end, words):
        parts = []
        for token, start, _end in row:
            if start is not None and last < start < cue.end:
                parts.append(f"<{clock(start)}>{escape(token)}")
                last = start
            else:
                parts.append(escape(token))
        out.append(" ".join(parts))
    return out


def write(cues: list[Cue], stream: TextIO, *, language: str | None = None, kind: str | None = None,
          voices: bool = True, words: dict[str, list[TimedWord]] | None = None, **_: Any) -> None:
    """`words` (quote id -> word times): timestamp tags before each word, for word-highlight players."""
    stream.write("WEBVTT\n")
    if kind:
        stream.write(f"Kind: {clean_line(kind).replace('-->', '')}\n")
    if language:
        stream.write(f"Language: {clean_line(language).replace('-->', '')}\n")
    stream.write("\n")
    for cue in cues:
        quote_words = words.get(cue.quote_id or "") if words else None
        lines = _timed_lines(cue, quote_words) if quote_words else [escape(x) for x in cue_lines(cue)]
        if not lines:
            continue
        speaker = clean_line(cue.speaker or "")
        if voices and speaker:
            lines[0] = f"<v {_annotation(speaker)}>{lines[0]}"
        stream.write(f"{clock(cue.start)} --> {clock(cue.end)}\n")
        stream.write("\n".join(lines))
        stream.write("\n\n")


_TS = r"(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TS}[ \t]+-->[ \t]+{_TS}(?:[ \t].*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>")
_TAGS = re.compile(r"<[^>]*>")


def _seconds(h: str | None, m: str, s: str, f: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(f) / 1000


def read(text: str, *, path: str | None = None) -> list[Cue]:
    text = strip_bom(text)
    blocks = split_blocks(text)
    if not blocks or not re.match(r"^WEBVTT(?:[ \t].*)?$", blocks[0][1][0]):
        raise SubtitleParseError("missing the 'WEBVTT' signature on the first line", path=path, line=1)
    cues: list[Cue] = []
    todo = list(blocks[1:])
    head_first, head_lines = blocks[0]
    k = next((n for n, ln in enumerate(head_lines) if "-->" in ln), None)
    if k is not None:  # no blank line after the header: the cue starts at its timing line
        todo.insert(0, (head_first + k, head_lines[k:]))
    for first, lines in todo:
        head = lines[0]
        if re.match(r"^(NOTE|STYLE|REGION)(?:[ \t]|$)", head):
            continue
        i = 0 if "-->" in head else 1
        if i >= len(lines) or "-->" not in lines[i]:
            raise SubtitleParseError(f"expected a timing line 'HH:MM:SS.mmm --> HH:MM:SS.mmm', got {head!r}",
                                     path=path, line=first, remedy="fix or remove that block")
        m = _TIMING.match(lines[i])
        if not m:
            raise SubtitleParseError(f"malformed timing line {lines[i]!r}", path=path, line=first + i)
        g = m.groups()
        start, end = _seconds(*g[:4]), _seconds(*g[4:])
        body = lines[i + 1 :]
        speaker = None
        out = []
        for ln in body:
            v = _VOICE.search(ln)
            if v and speaker is None and v.group(1):
                speaker = html.unescape(v.group(1).strip())
            out.append(html.unescape(_TAGS.sub("", ln)))
        cues.append(Cue(index=len(cues) + 1, start=start, end=end, lines=out, speaker=speaker))
    return cues
