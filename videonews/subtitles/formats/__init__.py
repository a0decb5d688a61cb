"""Subtitle format registry: writers take text streams, `save_subtitles` wraps them for paths.

    WRITERS["srt" | "vtt" | "ass" | "ttml"]  -> module with .extension, .media_type,
                                               .write(cues, stream, **opts), .read(text)
    write_subtitles(fmt, cues, stream, **opts)
    save_subtitles(fmt, cues, path, **opts)   # atomically (videonews.fsutil)
    read_subtitles(path_or_text, fmt=None)   # Path -> file, str -> the text itself
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO, cast

from videonews.errors import InputError, SubtitleParseError
from videonews.fsutil import atomic_writer
from videonews.models import Cue

from . import ass, srt, ttml, webvtt
from ._base import Writer

__all__ = ["WRITERS", "Writer", "detect_format", "format_for_path", "read_subtitles", "save_subtitles",
           "write_subtitles"]

WRITERS: dict[str, Writer] = {
    "srt": cast(Writer, srt),
    "vtt": cast(Writer, webvtt),
    "ass": cast(Writer, ass),
    "ttml": cast(Writer, ttml),
}
_ALIASES = {"webvtt": "vtt", "ssa": "ass", "dfxp": "ttml", "xml": "ttml", "imsc": "ttml", "subrip": "srt"}


def _writer(fmt: str) -> Writer:
    key = fmt.lower().lstrip(".")
    key = _ALIASES.get(key, key)
    try:
        return WRITERS[key]
    except KeyError:
        raise InputError(f"unknown subtitle format {fmt!r}", field="format",
                         remedy=f"use one of {', '.join(sorted(WRITERS))}") from None


def format_for_path(path: Path) -> str:
    return _writer(Path(path).suffix or "?").name


def write_subtitles(fmt: str, cues: list[Cue], stream: TextIO, **opts: Any) -> None:
    """Write cues in `fmt` to a text stream (open it with newline="" to keep LF line ends)."""
    _writer(fmt).write(cues, stream, **opts)


def save_subtitles(fmt: str, cues: list[Cue], path: Path, **opts: Any) -> None:
    """Write cues to `path` atomically (UTF-8, LF)."""
    writer = _writer(fmt)
    with atomic_writer(Path(path)) as fh:
        writer.write(cues, fh, **opts)


def _sniff(text: str) -> str:
    head = text.lstrip("\ufeff").lstrip()
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("<?xml") or head.startswith("<tt"):
        return "ttml"
    if head.startswith("[Script Info]") or "[Events]" in head[:5000]:
        return "ass"
    return "srt"


def read_subtitles(source: Path | str, fmt: str | None = None) -> list[Cue]:
    """Read cues from a file (`Path`) or from subtitle text (`str`).

    `fmt` defaults to the file's extension, else the content is sniffed.
    Raises SubtitleParseError (with a line number where there is one).
    """
    path: str | None = None
    if isinstance(source, Path):
        path = str(source)
        try:
            raw = source.read_bytes()
        except OSError as exc:
            raise SubtitleParseError(f"cannot read: {exc.strerror or exc}", path=path) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise SubtitleParseError("not UTF-8 text", path=path, line=line,
                                     remedy="re-save the file as UTF-8") from None
    else:
        text = source
    if "\x00" in text:
        raise SubtitleParseError("binary data, not subtitle text", path=path,
                                 line=text[: text.index("\x00")].count("\n") + 1)
    writer = _writer(fmt or detect_format(text, source if isinstance(source, Path) else None))
    return writer.read(text, path=path)


def detect_format(text: str, path: Path | None = None) -> str:
    """The format of subtitle text: by the file's extension when it names one, else by its content."""
    if path is not None and path.suffix.lower().lstrip(".") in set(WRITERS) | set(_ALIASES):
        return _writer(path.suffix).name
    return _sniff(text)
