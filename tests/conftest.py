"""Shared fixtures: tiny media generated with ffmpeg's lavfi sources into tmp_path.

Also a guard: a test that makes videonews log at ERROR level fails, so errors
are never swallowed silently.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from narration import NEWS_SEGMENTS

from videonews.ffmpeg import ffmpeg_exe

VOICES = Path(__file__).parent / "data" / "voices"


def pytest_configure(config: pytest.Config) -> None:
    # the narrated packages' lines, recorded (videonews.testing.newsreel): tests need no espeak-ng;
    # a new line is spoken by espeak-ng once and recorded there (commit it)
    os.environ.setdefault("VIDEONEWS_TEST_VOICES", str(VOICES))
    # a suite started in the background by a non-interactive shell inherits Ctrl-C ignored (POSIX), and so
    # would every child it starts: the Ctrl-C tests need it delivered, as it is at a terminal
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _signals_left_as_found() -> Iterator[None]:
    """A test that leaves Ctrl-C ignored (or handled) breaks every later Ctrl-C test and every child it
    starts (children inherit an ignored SIGINT): fail the test that did it."""
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    yield
    after = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    if after != before:
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])
        pytest.fail(f"the test changed the process's SIGINT/SIGTERM handlers: {before} -> {after}")


@pytest.fixture(autouse=True)
def _fail_on_logged_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.WARNING)
    yield
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR and r.name.startswith("videonews")]
    if errors:
        pytest.fail("videonews logged errors: " + "; ".join(r.getMessage() for r in errors))


@pytest.fixture(scope="session")
def exe() -> str:
    return ffmpeg_exe()


def speech_expr(segments: list[tuple[float, float]]) -> str:
    """aevalsrc expression: a voice-like buzz (syllable-rate modulated tones) inside segments, silence outside."""
    gate = "+".join(f"between(t,{a},{b})" for a, b in segments) or "0"
    voice = "(0.35*sin(2*PI*180*t)+0.2*sin(2*PI*360*t)+0.1*sin(2*PI*720*t))*(0.6+0.4*sin(2*PI*4*t))"
    return f"({gate})*{voice}"


MakeVideo = Callable[..., Path]


@pytest.fixture(scope="session")
def make_video(exe: str, tmp_path_factory: pytest.TempPathFactory) -> MakeVideo:
    """Make a small H.264/AAC clip: `shots` colour/pattern shots joined by hard cuts, speech in `speech`."""
    cache: dict[tuple, Path] = {}

    def make(
        *,
        size: str = "320x180",
        shots: tuple[float, ...] = (3.0, 3.0, 3.0),
        speech: tuple[tuple[float, float], ...] = ((1.0, 3.5), (4.5, 8.0)),
        fps: int = 25,
        audio: bool = True,
        fade_in: float = 0.0,
        pix_fmt: str = "yuv420p",
        name: str = "video.mp4",
        extra: tuple[str, ...] = (),
    ) -> Path:
        key = (size, shots, speech, fps, audio, fade_in, pix_fmt, name, extra)
        if key in cache:
            return cache[key]
        folder = tmp_path_factory.mktemp("media")
        out = folder / name
        sources = ["testsrc2", "smptehdbars", "mandelbrot", "rgbtestsrc", "testsrc", "cellauto"]
        args: list[str] = [exe, "-hide_banner", "-loglevel", "error", "-y"]
        for i, d in enumerate(shots):
            src = sources[i % len(sources)]
            opts = f"s={size}:r={fps}" if src != "cellauto" else f"s={size}:r={fps}:rule=110"
            args += ["-f", "lavfi", "-t", str(d), "-i", f"{src}={opts}"]
        total = sum(shots)
        if audio:
            args += ["-f", "lavfi", "-t", str(total), "-i",
                     f"aevalsrc='{speech_expr(list(speech))}':s=48000:c=mono"]
        chain = "".join(f"[{i}:v]format=yuv420p,setsar=1[v{i}];" for i in range(len(shots)))
        chain += "".join(f"[v{i}]" for i in range(len(shots))) + f"concat=n={len(shots)}:v=1:a=0"
        if fade_in:
            chain += f",fade=t=in:st=0:d={fade_in}"
        chain += f",format={pix_fmt}[v]"
        args += ["-filter_complex", chain, "-map", "[v]"]
        if audio:
            args += ["-map", f"{len(shots)}:a", "-c:a", "aac", "-b:a", "64k"]
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-g", "50", *extra, str(out)]
        subprocess.run(args, check=True)
        cache[key] = out
        return out

    return make


ARTICLE = """Video| Ministers meet in Testville

2024-March-05       Source: Example News

Ministers met in Testville on Tuesday to discuss the river project.

The river project opens in Testville, March 4, 2024. (Xinhua/Wang Fang)

Water minister Anna Berg said the project would be finished next year.

"We will finish the bridge before the floods come, and the town will be safe," said Anna Berg.

"The money is there and the workers are ready," Berg added.

Editor: Lee
"""


@pytest.fixture
def article_text() -> str:
    return ARTICLE


@pytest.fixture
def make_photo(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str = "photo.jpg", size: tuple[int, int] = (800, 533)) -> Path:
        from PIL import Image, ImageDraw

        im = Image.new("RGB", size, (40, 60, 90))
        d = ImageDraw.Draw(im)
        for i in range(0, size[0], 40):
            d.rectangle([i, size[1] // 2, i + 25, size[1] - 20], fill=(200 - i % 120, 150, 90))
        d.ellipse([size[0] * 0.55, size[1] * 0.2, size[0] * 0.8, size[1] * 0.6], fill=(230, 200, 160))
        path = tmp_path / name
        im.save(path, quality=90)
        return path

    return make


@pytest.fixture
def story_dir(tmp_path: Path, make_video: MakeVideo, make_photo: Callable[..., Path], article_text: str) -> Path:
    import shutil

    folder = tmp_path / "river-story"
    folder.mkdir()
    (folder / "article.txt").write_text(article_text, encoding="utf-8")
    shutil.copy(make_video(), folder / "video.mp4")
    shutil.copy(make_photo(), folder / "photo.jpg")
    return folder


@pytest.fixture(scope="session")
def make_reel(exe: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Any]:
    """A narrated news package (videonews.testing.make_newsreel), made once per session per recipe."""
    from videonews.testing import Seg, make_newsreel

    cache: dict[tuple[Any, ...], Any] = {}

    def make(segments: tuple[tuple[str, ...], ...] = NEWS_SEGMENTS, **options: Any) -> Any:
        key = (segments, tuple(sorted(options.items())))
        if key not in cache:
            cache[key] = make_newsreel(tmp_path_factory.mktemp("reel"), [Seg(*s) for s in segments], exe=exe,
                                       **options)
        return cache[key]

    return make
