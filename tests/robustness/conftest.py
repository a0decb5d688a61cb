"""Session-scoped hostile media (made once per run) and a known-good package to protect."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import rb_media as m

from videonews.manifest import MANIFEST_NAME, verify_package
from videonews.pipeline import build_story
from videonews.settings import Settings

FAST = Settings(preset="draft", thumbnail_candidates=8)


class Media:
    """Lazily generated, cached test media in one session folder."""

    def __init__(self, exe: str, root: Path) -> None:
        self.exe = exe
        self.root = root

    @functools.cache  # noqa: B019 - one Media per session
    def video(self, kind: str) -> Path:
        out = self.root / f"{kind}.mp4"
        e = self.exe
        if kind == "base":
            return m.make_video(e, out)
        if kind == "tiny":  # for the many-builds tests
            return m.make_video(e, out, size="160x90", duration=2.0)
        if kind == "faststart":
            return m.make_video(e, out, faststart=True)
        if kind == "noaudio":
            return m.make_video(e, out, audio=False)
        if kind == "odd":  # H.264 4:4:4 allows odd sizes; testsrc keeps them
            return m.make_video(e, out, size="853x479", duration=2.0, pix_fmt="yuv444p", pattern="testsrc")
        if kind == "vertical":
            return m.make_video(e, out, size="720x1280", duration=2.0, fps=15)
        if kind == "10bit":
            return m.make_video(e, out, pix_fmt="yuv420p10le")
        if kind == "422":
            return m.make_video(e, out, pix_fmt="yuv422p")
        if kind == "vfr":
            return m.make_vfr_video(e, out)
        if kind == "rotated":
            return m.make_rotated(e, self.video("base"), out, 90)
        if kind == "slow":  # long enough to interrupt a render on purpose
            return m.make_video(e, out, size="160x90", duration=6.0)
        raise KeyError(kind)

    @functools.cache  # noqa: B019
    def photo(self, kind: str) -> Path:
        if kind == "rgb":
            return m.make_jpeg(self.root / "rgb.jpg")
        if kind == "cmyk":
            return m.make_jpeg(self.root / "cmyk.jpg", mode="CMYK")
        if kind == "alpha":
            return m.make_jpeg(self.root / "alpha.png", mode="RGBA")
        raise KeyError(kind)


@pytest.fixture(scope="session")
def media(exe: str, tmp_path_factory: pytest.TempPathFactory) -> Media:
    return Media(exe, tmp_path_factory.mktemp("rb-media"))


@pytest.fixture(scope="session")
def good_out(media: Media, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder holding a valid package of story id "case" (copy it before use)."""
    root = tmp_path_factory.mktemp("rb-good")
    story = m.make_story(root / "story", video=media.video("tiny"))
    build_story(story, root / "out", FAST)
    assert verify_package(root / "out" / "case") == []
    return root / "out"


@pytest.fixture
def old_package(good_out: Path, tmp_path: Path) -> Callable[[], tuple[Path, dict[str, bytes]]]:
    """A private copy of the good output folder and a snapshot of its package."""

    def make() -> tuple[Path, dict[str, bytes]]:
        out = tmp_path / "out"
        shutil.copytree(good_out, out)
        pkg = out / "case"
        assert (pkg / MANIFEST_NAME).is_file()
        return out, m.snapshot(pkg)

    return make
