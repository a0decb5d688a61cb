"""One exception base for videonews; every error names what failed and how to fix it.

The CLI turns these into one line and an exit status (2 for bad input, 1 for
internal failures); library callers get the fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import ValidationError


class VideonewsError(Exception):
    """Base of every error videonews raises on purpose."""

    exit_code = 1

    def __init__(
        self,
        problem: str,
        *,
        path: str | Path | None = None,
        remedy: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = str(path) if path is not None else None
        self.remedy = remedy
        self.field = field
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.path or ""
        if self.field:
            where = f"{where} [{self.field}]" if where else f"[{self.field}]"
        text = f"{where}: {self.problem}" if where else self.problem
        if self.remedy:
            text += f" ({self.remedy})"
        return text


class InputError(VideonewsError):
    """The user's input (a story, an article, a video, a photo, a flag) is unusable."""

    exit_code = 2


E = TypeVar("E", bound=InputError)


def over_limit(kind: type[E], what: str, limit: str, setting: str, *, path: str | Path | None = None) -> E:
    """A refusal of an input over one of the limits in `Settings`: `what` it is, the limit and the setting that
    raises it, e.g. "video is 8192x8192, over the 4096-pixel width limit (max_video_width)"."""
    return kind(f"{what}, over the {limit} limit ({setting})", path=path,
                remedy=f"raise {setting} (VIDEONEWS_{setting.upper()} or videonews.toml) only for a trusted file")


class StoryError(InputError):
    """story.toml or the story folder is wrong."""


class ArticleError(InputError):
    """The article is empty, binary or unreadable."""


class MediaError(InputError):
    """A video or photo is missing, corrupt, truncated or of the wrong kind."""


class FontError(InputError):
    """No font can render some of the caption text (e.g. CJK without a CJK font)."""


class SubtitleParseError(InputError):
    """A subtitle file given to `videonews lint` cannot be read."""

    def __init__(self, problem: str, *, path: str | Path | None = None, line: int | None = None,
                 remedy: str | None = None) -> None:
        self.line = line
        if line is not None:
            problem = f"line {line}: {problem}"
        super().__init__(problem, path=path, remedy=remedy)


class ManifestError(InputError):
    """A manifest is unreadable or fails its schema."""


class OutputError(VideonewsError):
    """The package could not be written: the disk is full, the folder is read-only..."""


class FFmpegError(VideonewsError):
    """ffmpeg failed, hung or was not found; carries its argv and the tail of stderr."""

    def __init__(
        self,
        problem: str,
        *,
        argv: list[str] | None = None,
        returncode: int | None = None,
        stderr: str = "",
        path: str | Path | None = None,
        remedy: str | None = None,
    ) -> None:
        self.argv = argv or []
        self.returncode = returncode
        self.stderr = stderr
        super().__init__(problem, path=path, remedy=remedy)

    @property
    def stderr_tail(self) -> str:
        lines = [ln for ln in self.stderr.strip().splitlines() if ln.strip()]
        return lines[-1] if lines else ""


class FFmpegNotFound(FFmpegError):
    exit_code = 2


class ReviewError(InputError):
    """A review decision could not be recorded (no package, bad status)."""


class GraphicsError(InputError):
    """A graphics template (TOML) is unusable: a bad colour, a missing font or logo, an unknown key."""


def first_invalid(exc: ValidationError, *, skip: int = 0) -> tuple[str, str, Any]:
    """The first problem pydantic found, for a one-line error: the dotted location (its first `skip` parts
    dropped), pydantic's message and the value it refused."""
    err = exc.errors()[0]
    return ".".join(str(x) for x in err["loc"][skip:]), str(err["msg"]), err.get("input")
