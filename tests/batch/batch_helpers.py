"""Helpers for the batch tests: fake stories for the fake build, and copies of real story folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
FAKE_BUILD = "batch_fakebuild:build_story"

# The worker subprocesses (and Dask workers) import the fake build from this folder.
_pp = os.environ.get("PYTHONPATH", "")
if str(HERE) not in _pp.split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), _pp) if p)

REAL_ARTICLE = """Video| Ministers meet in Testville

2024-March-05       Source: Example News

Ministers met in Testville on Tuesday to discuss the river project.

Water minister Anna Berg said the project would be finished next year.

"We will finish the bridge before the floods come," said Anna Berg.

Editor: Lee
"""


def fake_story(root: Path, name: str, *, directive: str = "", video: bytes | None = None,
               toml: str | None = None) -> Path:
    """A story folder for the fake build: an article (with FAKE: directives) and a fake MP4."""
    from batch_fakebuild import FAKE_MAGIC

    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(f"Headline of {name}\n\n{directive}\n", encoding="utf-8")
    (folder / "video.mp4").write_bytes(video if video is not None else FAKE_MAGIC + name.encode() * 10)
    if toml is not None:
        (folder / "story.toml").write_text(toml, encoding="utf-8")
    return folder


def corrupt(folder: Path) -> None:
    (folder / "video.mp4").write_bytes(b"this is not a video at all " * 200)


def copy_stories(src: Path, dst: Path, names: list[str] | None = None) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for p in sorted(src.iterdir()):
        if p.is_dir() and (names is None or p.name in names):
            shutil.copytree(p, dst / p.name)
    return dst


def alive(pid: int) -> bool:
    """Whether a process with this pid still exists."""
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
