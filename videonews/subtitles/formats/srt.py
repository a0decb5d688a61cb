"""SubRip (.srt).

Writing:
* `HH:MM:SS,mmm` (comma decimals), cues numbered from 1, a blank line after every
  cue including the last, UTF-8 without BOM, LF line ends.
* Speakers (opt `speaker_labels`): `"dash"` (default) starts the first line of each
  cue after a change of speaker with "- " (the planner keeps 2 characters free on
  that line, so lines stay within the profile); `"name"` prefixes "Name: " on those
  cues and on the story's first cue instead (lines may then exceed the profile's
  limit); `"none"` shows nothing.
* SRT has no escapes, yet players read HTML-like tags (`<b>`, `<font>`) and ASS
  overrides (`{\\an8}`) in it. So, to show article text literally:
  - `<` is followed by U+2060 WORD JOINER (invisible): `<b>` no longer parses as a tag
    in VLC, mpv, ffmpeg or browser shims, and still reads "<b>";
  - `{` and `}` become the full-width ｛ ｝: ffmpeg's SRT decoder passes any other `{`
    on to libass, which would hide the text up to the next `}` (and run `\\an8`);
  - `\\` is followed by a word joiner too, so `\\N`, `\\h` are not read as ASS escapes;
  - `>` is preceded by a word joiner: no line of text can hold a timing arrow (`-->`, or the `- >`
    the `srt` library also accepts), so a quote holding `00:00:00,000 --> 00:01:00,000` never
    starts a cue of its own in ffmpeg or any other reader; a line of digits alone is followed by
    one, so it never reads as the next cue's number.
  Reading undoes the word joiners; the braces stay full-width (a documented loss).
"""

from __future__ import annotations

import re
from typing import Any, TextIO

from videonews.errors import SubtitleParseError
from videonews.models import Cue

from ._base import WORD_JOINER, clean_line, clock, cue_lines, split_blocks, strip_bom

name = "srt"
extension = ".srt"
media_type = "application/x-subrip"

SPEAKER_LABELS = ("dash", "name", "none")


def neutralise(line: str) -> str:
    """Make a line display literally in tag-reading SRT players (see module doc)."""
    line = (line.replace("<", "<" + WORD_JOINER).replace(">", WORD_JOINER + ">")
            .replace("\\", "\\" + WORD_JOINER).replace("{", "\uff5b").replace("}", "\uff5d"))
    return line + WORD_JOINER if _NUMBER.fullmatch(line) else line


def write(cues: list[Cue], stream: TextIO, *, speaker_labels: str = "dash", **_: Any) -> None:
    if speaker_labels not in SPEAKER_LABELS:
        raise ValueError(f"speaker_labels must be one of {SPEAKER_LABELS}, got {speaker_labels!r}")
    n = 0
    for cue in cues:
        lines = [neutralise(x) for x in cue_lines(cue)]
        if not lines:
            continue
        if cue.new_speaker and speaker_labels == "dash":
            lines[0] = "- " + lines[0]
        elif (cue.new_speaker or cue.first_for_speaker) and speaker_labels == "name" and cue.speaker:
            lines[0] = f"{neutralise(clean_line(cue.speaker))}: {lines[0]}"
        n += 1
        stream.write(f"{n}\n{clock(cue.start, ',')} --> {clock(cue.end, ',')}\n")
        stream.write("\n".join(lines))
        stream.write("\n\n")


_TIME = r"(\d+):([0-5]?\d):([0-5]?\d)[,.](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s.*)?$")
_NUMBER = re.compile(r"\d+")  # a cue number, as readers match one
_TAG = re.compile(r"</?(?:b|i|u|s|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)


def _literal(line: str) -> str:
    """A line as written before `neutralise` (the braces stay full-width)."""
    line = line.replace("<" + WORD_JOINER, "<").replace(WORD_JOINER + ">", ">").replace("\\" + WORD_JOINER, "\\")
    return line[:-1] if line.endswith(WORD_JOINER) and _NUMBER.fullmatch(line[:-1]) else line


def _seconds(h: str, m: str, s: str, f: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(f.ljust(3, "0")) / 1000


def read(text: str, *, path: str | None = None) -> list[Cue]:
    """Parse SRT; formatting tags are dropped, our word joiners removed."""
    text = strip_bom(text)
    cues: list[Cue] = []
    for first, lines in split_blocks(text):
        i = 0
        if lines[0].strip().isdigit() and len(lines) > 1:
            i = 1
        m = _TIMING.match(lines[i])
        if not m:
            raise SubtitleParseError(f"expected a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm', got {lines[i]!r}",
                                     path=path, line=first + i, remedy="fix or remove that cue")
        g = m.groups()
        start, end = _seconds(*g[:4]), _seconds(*g[4:])
        body = [_literal(_TAG.sub("", ln)) for ln in lines[i + 1 :]]
        cues.append(Cue(index=len(cues) + 1, start=start, end=end, lines=body))
    if not cues and text.strip():
        raise SubtitleParseError("no cues found", path=path, line=1)
    return cues
