"""A story on disk: a folder with story.toml, or one article, one video and one photo found in it.

Every file a story names resolves inside its folder (after following links) and is a regular file,
unless the operator allows files outside (`allow_outside_story`, `--allow-outside`): a story.toml from a
wire feed must not read `/etc/passwd` or another story's files. Every story.toml value is validated here,
so a bad one is one clear line naming story.toml and the key.
"""

from __future__ import annotations

import re
import stat
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator
from pydantic.fields import FieldInfo

from videonews.errors import StoryError, first_invalid
from videonews.models import PROFILES, StyleProfile
from videonews.textsafe import safe_line

ARTICLE_EXTS = {".txt", ".html", ".htm", ".md"}
VIDEO_EXTS = {".mp4", ".mov", ".m4v", ".mkv", ".mxf", ".webm", ".avi", ".ts", ".mts"}
PHOTO_EXTS = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif", ".heic", ".heif", ".avif"}
# `\Z`, not `$`: `$` also matches before a final newline, and "x\n" would name a package folder
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z")
# BCP 47 shape (en, pt-BR, zh-Hans-CN): it names subtitle files and goes into ffmpeg's filter graph.
LANGUAGE_PATTERN = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}\Z")
QUOTE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}\Z")
STORY_TOML_MAX_BYTES = 1_000_000
BUILTIN_GRAPHICS = ("news", "plain")  # videonews.graphics.BUILTIN (not imported: story.py stays light)
OUTSIDE_REMEDY = ("copy the file into the story folder, or allow files outside it with allow_outside_story = true "
                  "in videonews.toml (or --allow-outside)")
_STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)


def _text(v: str | None) -> str | None:
    """A one-line story.toml text value, made safe to display (videonews.textsafe); empty is None."""
    return (safe_line(v).strip() or None) if v is not None else None


class CreditOverrides(BaseModel):
    model_config = _STRICT
    photographer: str | None = Field(default=None, max_length=200)
    agency: str | None = Field(default=None, max_length=200)
    video: str | None = Field(default=None, max_length=200)  # organisation credited for the video, e.g. "CCTV"
    rights: str | None = Field(default=None, max_length=500)

    @field_validator("*")
    @classmethod
    def _safe(cls, v: str | None) -> str | None:
        return _text(v)


def _style_overrides() -> type[BaseModel]:
    """[style] overrides: any StyleProfile value but its name, each with the profile's own bounds."""
    fields: dict[str, Any] = {name: (info.annotation | None,  # type: ignore[operator]
                                     FieldInfo.merge_field_infos(info, default=None))
                              for name, info in StyleProfile.model_fields.items() if name != "name"}
    return create_model("StyleOverrides", __config__=_STRICT, **fields)


if TYPE_CHECKING:
    StyleOverrides = BaseModel
else:
    StyleOverrides = _style_overrides()


class StoryFile(BaseModel):
    """The schema of story.toml. Paths are relative to the story folder."""

    model_config = _STRICT
    id: str | None = None
    article: str | None = Field(default=None, min_length=1, max_length=4096)
    video: str | None = Field(default=None, min_length=1, max_length=4096)
    photo: str | None = Field(default=None, min_length=1, max_length=4096)
    language: str = "en"
    headline: str | None = Field(default=None, max_length=1000)
    source_url: str | None = Field(default=None, max_length=2048)
    photo_clip: bool | None = None
    # sign the outputs with videonews' untrusted test credentials when no signing_key is set (the sample)
    test_credentials: bool | None = None
    profile: str | None = None
    poster_time: float | None = Field(default=None, ge=0)
    # a graphics template (TOML in the story folder) or a built-in name (news, plain)
    graphics: str | None = Field(default=None, min_length=1, max_length=4096)
    # captioned social versions made from the same decode: "9x16", "1x1"
    social: list[Literal["9x16", "1x1"]] | None = None
    credits: CreditOverrides = Field(default_factory=CreditOverrides)
    # quote id -> [start, end] seconds; wins over speech detection
    timings: dict[str, tuple[float, float]] = Field(default_factory=dict)
    # subtitle profile overrides, e.g. max_chars_per_line = 37
    style: StyleOverrides = Field(default_factory=StyleOverrides)

    @field_validator("id")
    @classmethod
    def _safe_id(cls, v: str | None) -> str | None:
        if v is not None and not ID_PATTERN.fullmatch(v):
            raise ValueError("must be letters, digits, '.', '_' or '-' (it names the output folder)")
        return v

    @field_validator("language")
    @classmethod
    def _safe_language(cls, v: str) -> str:
        if not LANGUAGE_PATTERN.fullmatch(v):
            raise ValueError("must be a language tag such as 'en', 'zh' or 'pt-BR' (it names the subtitle files)")
        return v

    @field_validator("article", "video", "photo", "graphics")
    @classmethod
    def _path(cls, v: str | None) -> str | None:
        if v is not None and ("\0" in v or not v.strip()):
            raise ValueError("must be a file name (relative to the story folder)")
        return v

    @field_validator("headline")
    @classmethod
    def _headline(cls, v: str | None) -> str | None:
        return _text(v)

    @field_validator("source_url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"https?://[^\s\x00-\x1f\x7f\"<>\\^`{|}]+", v):
            raise ValueError("must be an http:// or https:// address without spaces")
        return v

    @field_validator("profile")
    @classmethod
    def _profile(cls, v: str | None) -> str | None:
        if v is not None and v not in PROFILES:
            raise ValueError(f"must be one of: {', '.join(PROFILES)}")
        return v

    @field_validator("timings")
    @classmethod
    def _ordered(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for key, (start, end) in v.items():
            if not QUOTE_ID_PATTERN.fullmatch(key):
                raise ValueError(f"{key!r} is not a quote id (`videonews article FILE` lists them)")
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
    graphics: Path | None = None  # the story's graphics template file (resolved inside the folder)


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-._")
    return slug[:128] or "story"


def _one(folder: Path, exts: set[str], kind: str, required: bool, allow_outside: bool) -> Path | None:
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
    return _input_file(folder, found[0].name, kind, where=found[0], field=None, allow_outside=allow_outside)


def _input_file(folder: Path, rel: str, kind: str, *, where: Path, field: str | None, allow_outside: bool) -> Path:
    """folder/rel resolved (links followed): a regular file inside the (resolved) story folder. Errors name
    `where` (story.toml or the file) and the story.toml `field` that named it."""
    try:
        real = (folder / rel).resolve(strict=True)
        mode = real.stat().st_mode
    except FileNotFoundError:
        raise StoryError(f"{kind} file '{rel}' does not exist", path=where, field=field,
                         remedy="fix the path (relative to the story folder)") from None
    except (OSError, RuntimeError) as exc:  # a loop of links, a folder we may not enter...
        raise StoryError(f"{kind} '{rel}' cannot be opened: {getattr(exc, 'strerror', None) or exc}",
                         path=where, field=field, remedy="fix the path (relative to the story folder)") from None
    if not allow_outside and not real.is_relative_to(folder):
        raise StoryError(f"{kind} '{rel}' leads outside the story folder", path=where, field=field,
                         remedy=OUTSIDE_REMEDY)
    if not stat.S_ISREG(mode):
        raise StoryError(f"{kind} '{rel}' is not a regular file", path=where, field=field,
                         remedy="name the file itself, not a folder, device or pipe")
    return real


def _read_toml(folder: Path, toml: Path, allow_outside: bool) -> StoryFile:
    """story.toml validated (or the defaults when there is none); the file obeys the input-path rule too."""
    if not toml.is_file() and not toml.is_symlink():
        return StoryFile()
    real = _input_file(folder, toml.name, "story file", where=toml, field=None, allow_outside=allow_outside)
    with real.open("rb") as fh:
        data = fh.read(STORY_TOML_MAX_BYTES + 1)
    if len(data) > STORY_TOML_MAX_BYTES:
        raise StoryError(f"larger than {STORY_TOML_MAX_BYTES:,} bytes", path=toml,
                         remedy="story.toml holds a few settings; check it is the right file")
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StoryError(f"not valid TOML: {exc}", path=toml, remedy="fix the syntax") from exc
    try:
        return StoryFile.model_validate(raw)
    except ValidationError as exc:
        field, msg, _ = first_invalid(exc)
        raise StoryError(msg, path=toml, field=field or None,
                         remedy="see the story.toml reference in the README") from exc


def load_story(path: Path, *, allow_outside: bool = False) -> Story:
    """Load a story from a folder (or a story.toml path). `allow_outside` lets it name files outside its
    folder (the `allow_outside_story` setting)."""
    path = Path(path)
    if path.is_file() and path.name.endswith(".toml"):
        folder, toml_name = path.parent, path.name
    else:
        folder, toml_name = path, "story.toml"
    if not folder.exists():
        raise StoryError("story folder does not exist", path=folder, remedy="check the path")
    if not folder.is_dir():
        raise StoryError("not a story folder", path=folder,
                         remedy="give a folder holding story.toml, or an article, a video and a photo")
    folder = folder.resolve()
    toml = folder / toml_name
    options = _read_toml(folder, toml, allow_outside)

    def named(kind: str, exts: set[str], required: bool) -> Path | None:
        rel = getattr(options, kind)
        if rel:
            return _input_file(folder, rel, kind, where=toml, field=kind, allow_outside=allow_outside)
        return _one(folder, exts, kind, required, allow_outside)

    article = named("article", ARTICLE_EXTS, True)
    video = named("video", VIDEO_EXTS, True)
    photo = named("photo", PHOTO_EXTS, False)
    graphics = None
    if options.graphics and options.graphics not in BUILTIN_GRAPHICS:
        graphics = _input_file(folder, options.graphics, "graphics", where=toml, field="graphics",
                               allow_outside=allow_outside)
    assert article is not None and video is not None
    story_id = options.id or _slug(folder.name)
    return Story(id=story_id, folder=folder, article=article, video=video, photo=photo, options=options,
                 graphics=graphics)
