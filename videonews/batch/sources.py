"""Batch sources: what `videonews batch SOURCE...` accepts, expanded into a list of story paths.

A SOURCE is one of

* a folder of story folders (each non-hidden sub-folder is a story); a folder that is itself a
  story (it holds story.toml, or an article and a video) is taken as one story;
* a story.toml file (one story);
* a list file (any other text file): one story path a line, ``#`` starts a comment,
  paths relative to the list file's folder;
* a CSV manifest (``.csv``): a ``path`` column and an optional ``id`` column;
* a TOML manifest (``.toml``): ``[[story]]`` tables with ``path`` and an optional ``id``.

Relative paths inside list, CSV and TOML files are relative to the file's folder, and every story a
source names must resolve inside that folder (the folder of story folders, or the list file's folder),
links followed, unless the operator allows stories outside (``allow_outside_story``, ``--allow-outside``):
the rule stories follow for their own files. An ``id`` given
in a manifest must agree with the story's own id (story.toml ``id`` or the folder name), which
names the package folder; the batch reports a disagreement as an input error for that story.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from videonews.errors import InputError
from videonews.story import ARTICLE_EXTS, VIDEO_EXTS


class SourceError(InputError):
    """A batch SOURCE is missing, unreadable or malformed."""


@dataclass(frozen=True)
class StorySpec:
    """One story named by a source: its path (folder or story.toml), an optional id and where it came from."""

    path: Path
    id: str | None = None
    origin: str = ""  # e.g. "stories.csv:4"


def _looks_like_story(folder: Path) -> bool:
    if (folder / "story.toml").is_file():
        return True
    names = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return any(p.suffix.lower() in VIDEO_EXTS for p in names) and any(p.suffix.lower() in ARTICLE_EXTS
                                                                       for p in names)


def _within(base: Path, p: Path, where: str, src: Path, allow_outside: bool) -> Path:
    """p, refused when it resolves (links followed) outside base and stories outside are not allowed."""
    if not allow_outside and not p.resolve().is_relative_to(base.resolve()):
        raise SourceError(f"{where}: story '{p}' leads outside {base}", path=src,
                          remedy="keep the stories under the source's folder, or allow stories outside it with "
                          "allow_outside_story = true in videonews.toml (or --allow-outside)")
    return p


def _from_folder(folder: Path, allow_outside: bool) -> list[StorySpec]:
    if _looks_like_story(folder):
        return [StorySpec(folder, origin=str(folder))]
    subs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not subs:
        raise SourceError("folder holds no story folders", path=folder,
                          remedy="give a folder of story folders, a story folder, a list file or a CSV/TOML manifest")
    return [StorySpec(_within(folder, p, p.name, folder, allow_outside), origin=str(folder)) for p in subs]


def _resolve(base: Path, raw: str, where: str, src: Path, allow_outside: bool) -> Path:
    raw = raw.strip()
    if not raw:
        raise SourceError(f"{where}: empty story path", path=src, remedy="give a story folder or story.toml path")
    p = Path(raw).expanduser()
    return _within(base, p if p.is_absolute() else base / p, where, src, allow_outside)


def _from_list(src: Path, allow_outside: bool) -> list[StorySpec]:
    try:
        text = src.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError("list file is not UTF-8 text", path=src,
                          remedy="one story path a line, '#' for comments") from exc
    specs = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            specs.append(StorySpec(_resolve(src.parent, line, f"line {n}", src, allow_outside),
                                   origin=f"{src.name}:{n}"))
    return specs


def _from_csv(src: Path, allow_outside: bool) -> list[StorySpec]:
    try:
        with src.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "path" not in fields:
                raise SourceError("CSV manifest has no 'path' column", path=src,
                                  remedy="add a header row with 'path' (and optionally 'id')")
            specs = []
            for n, row in enumerate(reader, 2):
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
                if not any(row.values()):
                    continue
                path = _resolve(src.parent, row.get("path", ""), f"row {n}", src, allow_outside)
                specs.append(StorySpec(path, id=row.get("id") or None, origin=f"{src.name}:{n}"))
            return specs
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(f"unreadable CSV: {exc}", path=src, remedy="save it as UTF-8 CSV") from exc


def _from_toml(src: Path, allow_outside: bool) -> list[StorySpec]:
    try:
        data = tomllib.loads(src.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"not valid TOML: {exc}", path=src, remedy="fix the syntax") from exc
    if "story" not in data:
        if {"article", "video", "id", "photo"} & data.keys() or src.name == "story.toml":
            return [StorySpec(src, origin=str(src))]  # a single story's story.toml
        raise SourceError("TOML manifest has no [[story]] tables", path=src,
                          remedy='list stories as [[story]] tables with path = "..." (and optionally id)')
    stories = data["story"]
    if not isinstance(stories, list) or not all(isinstance(s, dict) for s in stories):
        raise SourceError("'story' must be an array of tables ([[story]])", path=src)
    specs = []
    for n, s in enumerate(stories, 1):
        if not isinstance(s.get("path"), str):
            raise SourceError(f"[[story]] #{n} has no path", path=src, field=f"story[{n}].path",
                              remedy='add path = "story-folder"')
        sid = s.get("id")
        specs.append(StorySpec(_resolve(src.parent, s["path"], f"[[story]] #{n}", src, allow_outside),
                               id=str(sid) if sid is not None else None, origin=f"{src.name}#{n}"))
    return specs


def expand_source(source: str | Path, *, allow_outside: bool = False) -> list[StorySpec]:
    """The stories one SOURCE names (paths are not checked here: a missing story fails on its own; a path
    leaving the source's folder is refused unless `allow_outside`)."""
    src = Path(source).expanduser()
    if not src.exists():
        raise SourceError("batch source does not exist", path=src,
                          remedy="give a folder of story folders, a list file or a CSV/TOML manifest")
    if src.is_dir():
        return _from_folder(src, allow_outside)
    suffix = src.suffix.lower()
    if suffix == ".csv":
        return _from_csv(src, allow_outside)
    if suffix == ".toml":
        return _from_toml(src, allow_outside)
    return _from_list(src, allow_outside)


def expand_sources(sources: Iterable[str | Path] | str | Path, *, allow_outside: bool = False) -> list[StorySpec]:
    """All stories of all SOURCES, in order; the same story path named twice is kept once."""
    if isinstance(sources, str | Path):
        sources = [sources]
    seen: set[Path] = set()
    out: list[StorySpec] = []
    for source in sources:
        for spec in expand_source(source, allow_outside=allow_outside):
            key = spec.path.resolve()
            if key.name == "story.toml":
                key = key.parent
            if key in seen:
                continue
            seen.add(key)
            out.append(spec)
    return out
