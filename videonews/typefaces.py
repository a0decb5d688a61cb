"""Choose a caption font that really has the glyphs, so libass never draws boxes silently.

The bundled DejaVu Sans covers Latin, Greek and Cyrillic. For other scripts
(CJK above all) we look in `fonts_dir`, then the system font folders, for a
font whose character map covers the text, and fail with `FontError` naming the
missing characters when none does.
"""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from videonews.errors import FontError
from videonews.textsafe import INVISIBLE

SYSTEM_FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
                    Path.home() / ".local/share/fonts", Path("/Library/Fonts"), Path("C:/Windows/Fonts")]
FONT_EXTS = {".ttf", ".otf", ".ttc"}


@dataclass(frozen=True)
class FontChoice:
    family: str
    files: tuple[Path, ...]  # regular first, bold if there is one

    def install(self, folder: Path) -> Path:
        """Copy the font files into folder (a simple path for ffmpeg's fontsdir)."""
        folder.mkdir(parents=True, exist_ok=True)
        for f in self.files:
            shutil.copyfile(f, folder / f.name)
        return folder


def bundled_fonts_dir() -> Path:
    return Path(str(resources.files("videonews") / "fonts"))


def bundled_font(bold: bool = False) -> Path:
    return bundled_fonts_dir() / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


def _open_font(p: Path) -> Any:
    from fontTools.ttLib import TTCollection, TTFont

    return TTCollection(p, lazy=True).fonts[0] if p.suffix.lower() == ".ttc" else TTFont(p, lazy=True)


@functools.lru_cache(maxsize=256)
def _font_family(path: str) -> str:
    """The family name: the name table only (a font's cmap takes ~0.1 s to read)."""
    return _open_font(Path(path))["name"].getBestFamilyName() or Path(path).stem


@functools.lru_cache(maxsize=256)
def _font_info(path: str) -> tuple[str, frozenset[int]]:
    font = _open_font(Path(path))
    cmap = font.getBestCmap() or {}
    return _font_family(path), frozenset(cmap.keys())


def _needed(text: str) -> set[int]:
    return {ord(c) for c in text if not c.isspace() and ord(c) >= 0x20 and c not in INVISIBLE}


def _candidates(extra: Path | None, *, system: bool) -> list[Path]:
    dirs = ([extra] if extra else []) + [bundled_fonts_dir()] + (SYSTEM_FONT_DIRS if system else [])
    found: list[Path] = []
    for d in dirs:
        if d.is_dir():
            fonts = [p for p in d.rglob("*") if p.suffix.lower() in FONT_EXTS]
            found += sorted(fonts, key=lambda p: ("bold" in p.name.lower(), p.name))
    return found


def choose_font(text: str, *, family: str = "DejaVu Sans", fonts_dir: Path | None = None) -> FontChoice:
    """A font that covers every character of text; the configured family when it does.

    Fonts are scanned only when the configured family misses a character, so the
    common case reads one font file.
    """
    need = _needed(text)
    first = [p for p in _candidates(fonts_dir, system=False) if _safe_family(p) == family] or [bundled_font()]
    for path in first:
        fam, cmap = _safe_info(path)
        if not need - cmap:
            return _with_bold(fam, path, first)
    everything = _candidates(fonts_dir, system=True)
    for path in everything:
        fam, cmap = _safe_info(path)
        if cmap and not need - cmap:
            return _with_bold(fam, path, everything)
    fam, cmap = _safe_info(bundled_font())
    missing_chars = "".join(sorted({chr(c) for c in need - cmap}))[:20]
    raise FontError(
        f"no installed font can draw these caption characters: {missing_chars}",
        remedy="install a font for this script (e.g. Debian fonts-noto-cjk) or set VIDEONEWS_FONTS_DIR "
        "to a folder holding one",
    )


def _with_bold(family: str, path: Path, pool: list[Path]) -> FontChoice:
    bold = [p for p in pool if p != path and "bold" in p.name.lower() and _safe_family(p) == family]
    return FontChoice(family, (path, *bold[:1]))


def _safe_family(path: Path) -> str:
    try:
        return _font_family(str(path))
    except Exception:
        return ""


def _safe_info(path: Path) -> tuple[str, frozenset[int]]:
    try:
        return _font_info(str(path))
    except Exception:
        return ("", frozenset())


def find_family(family: str, fonts_dir: Path | None = None) -> tuple[Path, ...]:
    """The files of an installed family (regular first, then bold), or () when none is found."""
    pool = _candidates(fonts_dir, system=False)
    found = [p for p in pool if _safe_family(p) == family]
    if not found:
        pool = _candidates(fonts_dir, system=True)
        found = [p for p in pool if _safe_family(p) == family]
    if not found:
        return ()
    regular = found[0]
    return _with_bold(family, regular, found).files


def covers(path: Path, text: str) -> bool:
    """Whether the font file has a glyph for every character of text."""
    _, cmap = _safe_info(path)
    return bool(cmap) and not (_needed(text) - cmap)
