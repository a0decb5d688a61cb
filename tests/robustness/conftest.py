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
        makers: dict[str, Callable[[], Path]] = {
            "base": lambda: m.make_video(e, out),
            "tiny": lambda: m.make_video(e, out, size="160x90", duration=2.0),  # for the many-builds tests
            "faststart": lambda: m.make_video(e, out, faststart=True),
            "noaudio": lambda: m.make_video(e, out, audio=False),
            # H.264 4:4:4 allows odd sizes; testsrc keeps them
            "odd": lambda: m.make_video(e, out, size="853x479", duration=2.0, pix_fmt="yuv444p", pattern="testsrc"),
            "vertical": lambda: m.make_video(e, out, size="720x1280", duration=2.0, fps=15),
            "10bit": lambda: m.make_video(e, out, pix_fmt="yuv420p10le"),
            "422": lambda: m.make_video(e, out, pix_fmt="yuv422p"),
            "vfr": lambda: m.make_vfr_video(e, out),
            "rotated": lambda: m.make_rotated(e, self.video("base"), out, 90),
            # long enough to interrupt a render on purpose
            "slow": lambda: m.make_video(e, out, size="160x90", duration=6.0),
            # oversized ones (issue 17): two frames are enough to be refused
            "8k-square": lambda: m.make_video(e, out, size="8192x8192", duration=0.4, fps=5, audio=False),
            "wide": lambda: m.make_video(e, out, size="4352x96", duration=0.4, fps=5, audio=False),
            "tall": lambda: m.make_video(e, out, size="96x4352", duration=0.4, fps=5, audio=False),
            "3000-square": lambda: m.make_video(e, out, size="3000x3000", duration=0.4, fps=5, audio=False),
            # 2 s of video whose header claims 10 hours (over the limit) or about 2 (under it)
            "ten-hours": lambda: m.claim_duration(e, self.video("tiny"), self.root / "ten-hours.mkv", 36000.0),
            "two-hours": lambda: m.claim_duration(e, self.video("tiny"), self.root / "two-hours.mkv", 7000.0),
            "many-streams": lambda: m.make_many_streams(e, self.root / "many-streams.mkv", 40),
        }
        return makers[kind]()

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
