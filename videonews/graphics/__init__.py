"""On-screen graphics templates: fonts, colours, straps and positions for the captions, the name
supers, the source credit, the logo and the photo clip's lower third.

A template is a TOML file (see `news.toml`, the default, and `plain.toml`): sizes are fractions of
the frame height, positions are in title-safe units (0 = the left/top edge of the 90% title-safe
area, 1 = its right/bottom edge), colours are `#RRGGBB` or `#RRGGBBAA` (AA = opacity). Fonts and the
logo are files relative to the template. `load_template` validates it all and raises `GraphicsError`
(one line: the file, the key, what is wrong, the fix); nothing here runs at import time.

Pick one with `graphics = "house.toml"` in story.toml (a file in the story folder), the
`graphics` setting (`VIDEONEWS_GRAPHICS`: `news`, `plain` or a path), or `--graphics` on `build`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from videonews.errors import GraphicsError, first_invalid

BUILTIN = ("news", "plain")
DEFAULT = "news"
Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
_COLOUR = re.compile(r"#([0-9A-Fa-f]{6})([0-9A-Fa-f]{2})?")
_FONT_EXTS = {".ttf", ".otf", ".ttc"}
_STRICT = ConfigDict(extra="forbid", frozen=True)


def _colour(v: str, *, optional: bool) -> str:
    if optional and v == "":
        return v
    if not isinstance(v, str) or not _COLOUR.fullmatch(v):
        raise ValueError(f"{v!r} is not a colour: use \"#RRGGBB\" or \"#RRGGBBAA\""
                         + (' (or "" for none)' if optional else ""))
    return v.upper()


Colour = Annotated[str, AfterValidator(partial(_colour, optional=False))]
OptionalColour = Annotated[str, AfterValidator(partial(_colour, optional=True))]  # "" for none


class FontSpec(BaseModel):
    model_config = _STRICT
    family: str = Field(default="DejaVu Sans", min_length=1, max_length=200)
    file: str = ""
    bold_file: str = ""


class CaptionSpec(BaseModel):
    model_config = _STRICT
    size: float = Field(default=0.055, ge=0.02, le=0.15)
    colour: Colour = "#FFFFFF"
    outline: Colour = "#000000"
    outline_width: float = Field(default=0.06, ge=0, le=0.3)
    box: OptionalColour = ""
    bottom: float = Field(default=1.0, ge=0.3, le=1.0)
    word_highlight: bool = False
    highlight: Colour = "#FFD23F"




class SuperSpec(BaseModel):
    model_config = _STRICT
    strap: OptionalColour = "#0B2A4AEB"
    accent: OptionalColour = "#D7141A"
    outline: OptionalColour = ""
    name_colour: Colour = "#FFFFFF"
    title_colour: Colour = "#D5DEE8"
    name_size: float = Field(default=0.05, ge=0.02, le=0.12)
    title_size: float = Field(default=0.038, ge=0.015, le=0.1)
    x: float = Field(default=0.0, ge=0.0, le=0.5)
    bottom: float = Field(default=0.8, ge=0.2, le=1.0)
    fade: float = Field(default=0.25, ge=0.0, le=1.0)




class CreditSpec(BaseModel):
    model_config = _STRICT
    size: float = Field(default=0.045, ge=0.035, le=0.1)  # 0.035: cap height >= 9 px at 360 px high
    colour: Colour = "#FFFFFF"
    strap: OptionalColour = "#000000A0"
    outline: OptionalColour = ""
    corner: Literal["top-left", "top-right"] = "top-right"




class LogoSpec(BaseModel):
    model_config = _STRICT
    file: str = ""
    width: float = Field(default=0.12, gt=0.0, le=0.3)
    corner: Literal["top-left", "top-right"] = "top-left"  # the bottom belongs to captions and supers


class TemplateFile(BaseModel):
    """The schema of a graphics template."""

    model_config = _STRICT
    name: str = Field(default="custom", min_length=1, max_length=100)
    font: FontSpec = Field(default_factory=FontSpec)
    caption: CaptionSpec = Field(default_factory=CaptionSpec)
    super_: SuperSpec = Field(default_factory=SuperSpec, alias="super")
    credit: CreditSpec = Field(default_factory=CreditSpec)
    logo: LogoSpec = Field(default_factory=LogoSpec)


@dataclass(frozen=True)
class Template:
    """A validated template with its files resolved."""

    name: str
    source: Path | None  # the TOML file (None: built from defaults)
    font_family: str
    font_files: tuple[Path, ...]  # regular first, then bold; empty: the caption font chosen at ingest
    caption: CaptionSpec
    super_: SuperSpec
    credit: CreditSpec
    logo: Path | None
    logo_spec: LogoSpec
    named_files: tuple[Path, ...] = ()  # the files the template names itself (font.file, bold_file, logo)


def builtin_path(name: str) -> Path:
    return Path(str(resources.files("videonews.graphics") / f"{name}.toml"))


def ass_colour(colour: str) -> str:
    """'#RRGGBB[AA]' (AA opacity) -> ASS '&HAABBGGRR' (AA transparency)."""
    m = _COLOUR.fullmatch(colour)
    if not m:
        raise ValueError(f"not a colour: {colour!r}")
    rgb, alpha = m.group(1), m.group(2) or "FF"
    r, g, b = rgb[0:2], rgb[2:4], rgb[4:6]
    return f"&H{255 - int(alpha, 16):02X}{b}{g}{r}".upper()


def rgba(colour: str) -> tuple[int, int, int, int]:
    m = _COLOUR.fullmatch(colour)
    if not m:
        raise ValueError(f"not a colour: {colour!r}")
    v = m.group(1)
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16), int(m.group(2) or "FF", 16)


def on_air_case(title: str) -> str:
    """A super's title as it goes on air: the first letter capitalised, the rest (acronyms, names) kept."""
    for i, ch in enumerate(title):
        if ch.isalpha():
            return title[:i] + ch.upper() + title[i + 1:] if ch.islower() else title
    return title


def _first_error(exc: ValidationError) -> tuple[str, str]:
    loc, msg, _ = first_invalid(exc)
    loc = ".".join("super" if p == "super_" else p for p in loc.split("."))
    if exc.errors()[0]["type"] == "extra_forbidden":
        return loc, "unknown key"
    return loc, msg.removeprefix("Value error, ")


def _file(base: Path, rel: str, what: str, key: str, path: Path, exts: set[str]) -> Path:
    p = (base / rel).resolve()
    if not p.is_file():
        raise GraphicsError(f"{what} {rel!r} not found (looked for {p})", path=path, field=key,
                            remedy=f"put the {what} beside the template or fix the path")
    if p.suffix.lower() not in exts:
        raise GraphicsError(f"{what} {rel!r} must be one of {', '.join(sorted(exts))}", path=path, field=key)
    return p


def _font_files(spec: FontSpec, base: Path, path: Path, fonts_dir: Path | None) -> tuple[Path, ...]:
    if spec.file:
        files = [_file(base, spec.file, "font", "font.file", path, _FONT_EXTS)]
        if spec.bold_file:
            files.append(_file(base, spec.bold_file, "font", "font.bold_file", path, _FONT_EXTS))
        return tuple(files)
    if spec.bold_file:
        raise GraphicsError("font.bold_file needs font.file", path=path, field="font.bold_file")
    from videonews.typefaces import find_family

    found = find_family(spec.family, fonts_dir)
    if not found:
        raise GraphicsError(f"font family {spec.family!r} is not installed", path=path, field="font.family",
                            remedy="name a bundled family (DejaVu Sans), set VIDEONEWS_FONTS_DIR to a folder "
                            "holding it, or give font.file")
    return found


def load_template(which: str | Path | None = None, *, fonts_dir: Path | None = None) -> Template:
    """A built-in template by name (`news`, `plain`) or a TOML file; validated, files resolved."""
    which = DEFAULT if which is None or which == "" else which
    path = builtin_path(str(which)) if str(which) in BUILTIN else Path(which)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GraphicsError("graphics template not found", path=path,
                            remedy=f"give a TOML file or one of: {', '.join(BUILTIN)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphicsError(f"cannot read the graphics template: {exc}", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise GraphicsError(f"not valid TOML: {exc}", path=path, remedy="fix the syntax") from None
    try:
        tf = TemplateFile.model_validate(raw)
    except ValidationError as exc:
        key, msg = _first_error(exc)
        raise GraphicsError(msg, path=path, field=key, remedy="see videonews/graphics/news.toml") from None
    if tf.logo.file and tf.logo.corner == tf.credit.corner:
        raise GraphicsError("the logo and the credit are in the same corner", path=path, field="logo.corner",
                            remedy="put one of them in another corner")
    base = path.resolve().parent
    logo = _file(base, tf.logo.file, "logo", "logo.file", path, {".png"}) if tf.logo.file else None
    if logo is not None:
        _check_png(logo, path)
    font_files = _font_files(tf.font, base, path, fonts_dir)
    named = (*(font_files if tf.font.file else ()), *((logo,) if logo else ()))
    return Template(name=tf.name, source=path, font_family=tf.font.family, font_files=font_files,
                    caption=tf.caption, super_=tf.super_, credit=tf.credit, logo=logo, logo_spec=tf.logo,
                    named_files=named)


def _check_png(logo: Path, path: Path) -> None:
    from PIL import Image

    try:
        with Image.open(logo) as im:
            im.verify()
    except Exception:
        raise GraphicsError("logo.file is not a readable PNG", path=path, field="logo.file",
                            remedy="export the logo as a PNG with transparency") from None


def default_template() -> Template:
    return load_template(DEFAULT)


__all__ = ["BUILTIN", "DEFAULT", "Template", "TemplateFile", "ass_colour", "default_template", "load_template",
           "on_air_case", "rgba"]
