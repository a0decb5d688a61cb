"""Find ffmpeg lazily: VIDEONEWS_FFMPEG or settings win, else the imageio-ffmpeg wheel's binary."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from videonews.errors import FFmpegError, FFmpegNotFound


@functools.lru_cache(maxsize=8)
def _resolve(configured: str | None) -> str:
    candidate = configured or os.environ.get("VIDEONEWS_FFMPEG")
    if candidate:
        found = shutil.which(candidate) if os.sep not in candidate else candidate
        if found and Path(found).is_file() and os.access(found, os.X_OK):
            return str(found)
        raise FFmpegNotFound(
            "ffmpeg not found or not executable",
            path=candidate,
            remedy="point VIDEONEWS_FFMPEG (or --ffmpeg) at an ffmpeg binary, or unset it to use the bundled one",
        )
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise FFmpegNotFound(
            "no ffmpeg configured and imageio-ffmpeg is not installed",
            remedy="pip install imageio-ffmpeg, or set VIDEONEWS_FFMPEG",
        ) from exc
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:
        raise FFmpegNotFound(str(exc), remedy="reinstall imageio-ffmpeg or set VIDEONEWS_FFMPEG") from exc


def ffmpeg_exe(configured: str | Path | None = None) -> str:
    """Path of the ffmpeg binary to use."""
    return _resolve(str(configured) if configured else None)


@functools.lru_cache(maxsize=8)
def ffmpeg_version(exe: str) -> str:
    """First line of `ffmpeg -version`, e.g. 'ffmpeg version n9.0.2-...'."""
    from videonews.ffmpeg.runner import run

    try:
        out = run([exe, "-hide_banner", "-version"], timeout=30, what="ffmpeg -version", check=False)
    except FFmpegError as exc:
        raise FFmpegNotFound(f"cannot run ffmpeg: {exc.problem}", path=exe) from exc
    first = out.stdout.splitlines()[0] if out.stdout else "unknown"
    return first.replace("ffmpeg version ", "").split(" Copyright")[0].strip()
