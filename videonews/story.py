"""A story on disk: a folder with story.toml, or one article, one video and one photo found in it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from videonews.errors import StoryError

ARTICLE_EXTS = {".txt", ".html", ".htm", ".md"}
VIDEO_EXTS = {".mp4", ".mov", ".m4v", ".mkv", ".mxf", ".webm", ".avi", ".ts", ".mts"}
PHOTO_EXTS = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif"}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
# BCP 47 shape (en, pt-BR, zh-Hans-CN): it names subtitle files and goes into ffmpeg's filter graph.
LANGUAGE_PATTERN = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}$")


class CreditOverrides(BaseModel):
    model_config = ConfigDict(extra="forbid")
    photographer: str | None = None
    agency: str | None = None
    video: str | None = None  # organisation credited for the video, e.g. "CCTV"
    rights: str | None = None


class StoryFile(BaseModel):
    """The schema of story.toml. Paths are relative to the story folder."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = None
    article: str | None = None
    video: str | None = None
    photo: str | None = None
    language: str = "en"
    headline: str | None = None
    source_url: str | None = None
    photo_clip: bool | None = None
    profile: str | None = None
    poster_time: float | None = Field(default=None, ge=0)
    credits: CreditOverrides = Field(default_factory=CreditOverrides)
    # quote id -> [start, end] seconds; wins over speech detection
    timings: dict[str, tuple[float, float]] = Field(default_factory=dict)
    # subtitle profile overrides, e.g. max_chars_per_line = 37
    style: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _safe_id(cls, v: str | None) -> str | None:
        if v is not None and not ID_PATTERN.match(v):
            raise ValueError("must be letters, digits, '.', '_' or '-' (it names the output folder)")
        return v

    @field_validator("language")
    @classmethod
    def _safe_language(cls, v: str) -> str:
        if not LANGUAGE_PATTERN.match(v):
            raise ValueError("must be a language tag such as 'en', 'zh' or 'pt-BR' (it names the subtitle files)")
        return v

    @field_validator("timings")
    @classmethod
    def _ordered(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for key, (start, end) in v.items():
            if not 0 <= start < end:
                raise ValueError(f"{key}: start must be >= 0 and before end")
        return v


class Story(BaseModel):
    """A resolved story: absolute paths that exist, and the options from story.toml."""

    id: str
    folder: Path
    article: Path
    video: Path
    photo: Path | None = None
    options: StoryFile = Field(default_factory=StoryFile)


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-._")
    return slug[:128] or "story"


def _one(folder: Path, exts: set[str], kind: str, required: bool) -> Path | None:
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in exts and not p.name.startswith("."))
    if not found:
        if required:
            raise StoryError(f"no {kind} file found", path=folder,
                             remedy=f"add one ({', '.join(sorted(exts))}) or name it in story.toml")
        return None
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise StoryError(f"several {kind} files ({names})", path=folder,
                         remedy=f"keep one, or name the {kind} in story.toml")
    return found[0]


def _resolve(folder: Path, rel: str, field: str, toml: Path) -> Path:
    p = (folder / rel)
    if not p.exists():
        raise StoryError(f"{field} file '{rel}' does not exist", path=toml, field=field,
                         remedy="fix the path (relative to the story folder)")
    if not p.is_file():
        raise StoryError(f"{field} '{rel}' is not a file", path=toml, field=field)
    return p.resolve()


def load_story(path: Path) -> Story:
    """Load a story from a folder (or a story.toml path)."""
    path = Path(path)
    if path.is_file() and path.name.endswith(".toml"):
        folder, toml = path.parent, path
    else:
        folder, toml = path, path / "story.toml"
    if not folder.exists():
        raise StoryError("story folder does not exist", path=folder, remedy="check the path")
    if not folder.is_dir():
        raise StoryError("not a story folder", path=folder,
                         remedy="give a folder holding story.toml, or an article, a video and a photo")
    folder = folder.resolve()
    options = StoryFile()
    if toml.is_file():
        try:
            raw = tomllib.loads(toml.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise StoryError(f"not valid TOML: {exc}", path=toml, remedy="fix the syntax") from exc
        try:
            options = StoryFile.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(x) for x in err["loc"]) or None
            raise StoryError(err["msg"], path=toml, field=field,
                             remedy="see the story.toml reference in the README") from exc
    article = (_resolve(folder, options.article, "article", toml) if options.article
               else _one(folder, ARTICLE_EXTS, "article", True))
    video = (_resolve(folder, options.video, "video", toml) if options.video
             else _one(folder, VIDEO_EXTS, "video", True))
    photo = (_resolve(folder, options.photo, "photo", toml) if options.photo
             else _one(folder, PHOTO_EXTS, "photo", False))
    assert article is not None and video is not None
    story_id = options.id or _slug(folder.name)
    return Story(id=story_id, folder=folder, article=article, video=video, photo=photo, options=options)
