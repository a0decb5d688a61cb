"""`videonews still`: one frame with every graphic, without a full build."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from videonews.cli import main


@pytest.fixture
def story(tmp_path: Path, make_reel, article_text) -> tuple[Path, object]:
    reel = make_reel()
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "article.txt").write_text(article_text, encoding="utf-8")
    shutil.copy(reel.video, folder / "video.mp4")
    return folder, reel


def _raw(exe: str, video: Path, t: float, out: Path) -> np.ndarray:
    subprocess.run([exe, "-loglevel", "error", "-y", "-ss", f"{t:.3f}", "-i", str(video), "-frames:v", "1", str(out)],
                   check=True)
    with Image.open(out) as im:
        return np.asarray(im.convert("RGB")).astype(int)


def test_still_draws_the_caption_super_and_credit_on_the_soundbite(story, exe: str, tmp_path: Path) -> None:
    folder, reel = story
    bite = reel.segments[1]  # Anna Berg's first soundbite: her caption and her name super
    at = round(bite.start + 1.0, 2)
    out = tmp_path / "frame.png"
    result = CliRunner().invoke(main, ["still", str(folder), "--at", str(at), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as im:
        still = np.asarray(im.convert("RGB")).astype(int)
    raw = _raw(exe, folder / "video.mp4", at, tmp_path / "raw.png")
    assert still.shape == raw.shape
    h, w = raw.shape[:2]
    diff = np.abs(still - raw).max(axis=2) > 40
    ys, xs = np.nonzero(diff)
    assert len(xs) > 0.005 * w * h  # graphics are there
    assert ys.min() >= 0.05 * h - 1 and ys.max() <= 0.95 * h + 1  # inside title-safe
    assert xs.min() >= 0.05 * w - 1 and xs.max() <= 0.95 * w + 1
    # the strap's navy fills a block in the lower half, left of centre
    navy = (np.abs(still - np.array([0x0B, 0x2A, 0x4A])).max(axis=2) < 30)
    assert navy[h // 2:, : w // 2].mean() > 0.01


@pytest.mark.parametrize(("args", "words"), [(["--at", "999"], "outside the video"),
                                             (["--at", "1", "--graphics", "missing.toml"], "not found")])
def test_still_errors_are_one_line(story, tmp_path: Path, args: list[str], words: str) -> None:
    folder, _ = story
    result = CliRunner().invoke(main, ["still", str(folder), "--out", str(tmp_path / "f.png"), *args])
    assert result.exit_code == 2 and words in result.output and result.output.count("\n") == 1


def test_still_wants_a_png(story, tmp_path: Path) -> None:
    folder, _ = story
    result = CliRunner().invoke(main, ["still", str(folder), "--at", "1", "--out", str(tmp_path / "f.jpg")])
    assert result.exit_code == 2 and "PNG" in result.output
