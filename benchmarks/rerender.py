#!/usr/bin/env python3
"""A poster-only re-render (`videonews review apply` after `review edit --poster-time`) against a full build.

    python benchmarks/rerender.py                  # the bundled sample story, 3 alternating runs
    python benchmarks/rerender.py STORY --runs 5

Each run, as whole processes (Python start included on both sides): `videonews build STORY --out TMP`, then
`videonews review edit PKG --by bench --poster-time T` (not timed), then `videonews review apply PKG`
(timed). A different poster time each run, so every apply really redoes the images. Prints the medians and
the ratio apply / build; the issue's bar is under 20%.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIDEONEWS = [sys.executable, "-m", "videonews"]


def timed(args: list[str]) -> float:
    t = time.monotonic()
    subprocess.run([*VIDEONEWS, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("story", nargs="?", type=Path, default=ROOT / "assets" / "sample" / "wuzhen")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    builds: list[float] = []
    applies: list[float] = []
    with tempfile.TemporaryDirectory(prefix="vn-rerender-") as tmp:
        out = Path(tmp) / "out"
        for i in range(args.runs):
            builds.append(timed(["build", str(args.story), "--out", str(out)]))
            pkg = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
            duration = next(a["duration"] for a in json.loads((pkg / "manifest.json").read_text())["assets"]
                            if a["role"] == "captioned_video")
            poster = round(duration * (0.2 + 0.15 * i) % duration, 2)
            subprocess.run([*VIDEONEWS, "review", "edit", str(pkg), "--by", "bench", "--poster-time", str(poster)],
                           check=True, stdout=subprocess.DEVNULL)
            applies.append(timed(["review", "apply", str(pkg)]))
            manifest = json.loads((pkg / "manifest.json").read_text())
            assert manifest["poster"]["time"] == poster and manifest["poster"]["pinned_by"] == "edit"
            print(f"run {i + 1}: build {builds[-1]:.2f} s, poster-only apply {applies[-1]:.2f} s", flush=True)
            subprocess.run(["rm", "-rf", str(pkg)], check=True)  # the next build starts clean (no edits carried)
    b, a = statistics.median(builds), statistics.median(applies)
    print(f"median full build {b:.2f} s, poster-only re-render {a:.2f} s: {100 * a / b:.1f}% of a build")


if __name__ == "__main__":
    main()
