"""Fixtures for the batch tests: real story folders with tiny lavfi media (see tests/conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from batch_helpers import REAL_ARTICLE


@pytest.fixture(scope="session")
def real_stories(make_video, tmp_path_factory) -> Path:
    """Three real story folders with 3-second 320x180 clips: a, b (with a photo) and c."""
    from PIL import Image

    root = tmp_path_factory.mktemp("real-stories")
    clip = make_video(shots=(1.5, 1.5), speech=((0.3, 1.3), (1.7, 2.8)))
    for name in ("story-a", "story-b", "story-c"):
        folder = root / name
        folder.mkdir()
        (folder / "article.txt").write_text(REAL_ARTICLE.replace("Testville", name), encoding="utf-8")
        shutil.copy(clip, folder / "video.mp4")
    Image.new("RGB", (480, 320), (60, 90, 120)).save(root / "story-b" / "photo.jpg", quality=85)
    return root
