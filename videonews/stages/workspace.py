"""The work folder a package is assembled in, and where each stage writes inside it.

    <out>/.building-<id>-<pid>-<hex>/    becomes <out>/<id>/ when the build succeeds
        subtitles/  images/  review/     published
        .scratch/                        ffmpeg's working folder: fonts, poster candidates,
                                         the QA frame; removed before the package is finished
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def subtitles(self) -> Path:
        return self.root / "subtitles"

    @property
    def images(self) -> Path:
        return self.root / "images"

    @property
    def scratch(self) -> Path:
        return self.root / ".scratch"

    @property
    def candidates(self) -> Path:
        """Poster candidates written by the render (full size and small scoring copies)."""
        return self.scratch / "cand"

    @property
    def fonts(self) -> Path:
        return self.scratch / "fonts"

    def create(self) -> Workspace:
        for folder in (self.subtitles, self.images, self.candidates):
            folder.mkdir(parents=True)
        return self
