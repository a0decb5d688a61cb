"""Batch throughput: stories per minute for 1, 2, 3 workers, and the cost of a no-op rerun.

    python benchmarks/batch_throughput.py --stories 6 --runs 3 --workers 1,2,3

Generates N small stories (lavfi test video with a voice-like tone, a short article with a
direct quote) in a temporary folder, builds them with `run_batch` into a fresh output folder
per run, and prints the median of the runs. Then reruns the last batch (everything up to date)
to measure what skipping costs per story. Prints the core count and the load average: on a
shared machine other jobs change the figures, so compare numbers taken together.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ARTICLE = """Video| {title}

2024-March-05       Source: Example News

Officials met in {town} on Tuesday to discuss the river project.

Water minister Anna Berg said the project would be finished next year.

"We will finish the bridge before the floods come, and the town will be safe," said Anna Berg.

Editor: Lee
"""


def make_story(folder: Path, index: int, *, duration: float, size: str, exe: str) -> Path:
    """One story folder: article.txt and a `duration`-second H.264/AAC clip with two shots and 'speech'."""
    folder.mkdir(parents=True, exist_ok=True)
    town = f"Town{index}"
    (folder / "article.txt").write_text(ARTICLE.format(title=f"Ministers meet in {town}", town=town), encoding="utf-8")
    half = duration / 2
    voice = "(0.35*sin(2*PI*180*t)+0.2*sin(2*PI*360*t))*(0.6+0.4*sin(2*PI*4*t))"
    gate = f"(between(t,0.3,{half - 0.2:.2f})+between(t,{half + 0.2:.2f},{duration - 0.2:.2f}))"
    srcs = ["testsrc2", "smptehdbars"]
    args = [exe, "-hide_banner", "-loglevel", "error", "-y"]
    for i in range(2):
        args += ["-f", "lavfi", "-t", f"{half}", "-i", f"{srcs[(i + index) % 2]}=s={size}:r=25"]
    args += ["-f", "lavfi", "-t", f"{duration}", "-i", f"aevalsrc='{gate}*{voice}':s=48000:c=mono",
             "-filter_complex", "[0:v]format=yuv420p,setsar=1[a];[1:v]format=yuv420p,setsar=1[b];"
             "[a][b]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-map", "2:a", "-c:v", "libx264", "-preset",
             "ultrafast", "-c:a", "aac", "-b:a", "64k", str(folder / "video.mp4")]
    subprocess.run(args, check=True)
    return folder


def main() -> None:
    from videonews.batch import run_batch
    from videonews.ffmpeg import ffmpeg_exe

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stories", type=int, default=6, help="stories per batch")
    ap.add_argument("--duration", type=float, default=3.0, help="seconds of video per story")
    ap.add_argument("--size", default="320x180", help="video size")
    ap.add_argument("--workers", default="1,2,3", help="worker counts to compare")
    ap.add_argument("--runs", type=int, default=3, help="runs per worker count (the median is printed)")
    ap.add_argument("--keep", type=Path, default=None, help="build here and keep the outputs")
    args = ap.parse_args()
    counts = [int(x) for x in args.workers.split(",") if x.strip()]

    tmp = Path(tempfile.mkdtemp(prefix="videonews-bench-")) if args.keep is None else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        exe = ffmpeg_exe()
        stories = tmp / "stories"
        for i in range(args.stories):
            make_story(stories / f"bench-{i:02d}", i, duration=args.duration, size=args.size, exe=exe)
        print(f"cores: {os.cpu_count()}  load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{args.stories} stories of {args.duration:g} s at {args.size}; median of {args.runs} runs\n")
        print(f"{'workers':>7} {'batch wall s':>13} {'stories/min':>12} {'build wall s':>13} {'cpu s/story':>12} "
              f"{'runs (wall s)':>20}")
        last_out = None
        for w in counts:
            walls, builds, cpus = [], [], []
            for r in range(args.runs):
                out = tmp / f"out-w{w}-r{r}"
                shutil.rmtree(out, ignore_errors=True)
                t = time.monotonic()
                result = run_batch([stories], out, workers=w)
                walls.append(time.monotonic() - t)
                if result.exit_code != 0:
                    raise SystemExit(f"batch failed: {[o.error for o in result.failures]}")
                builds += [o.wall for o in result.outcomes if o.wall]
                cpus += [o.cpu for o in result.outcomes if o.cpu]
                last_out = out
            med = statistics.median(walls)
            print(f"{w:>7} {med:>13.2f} {args.stories / med * 60:>12.1f} {statistics.mean(builds):>13.2f} "
                  f"{statistics.mean(cpus) if cpus else 0:>12.2f} {' '.join(f'{x:.1f}' for x in walls):>20}")
        assert last_out is not None
        noop = []
        for _ in range(max(3, args.runs)):
            t = time.monotonic()
            result = run_batch([stories], last_out)
            noop.append(time.monotonic() - t)
            assert result.counts["skipped"] == args.stories, result.counts
        med = statistics.median(noop)
        print(f"\nno-op rerun (all {args.stories} up to date): {med * 1000:.0f} ms per batch, "
              f"{med / args.stories * 1000:.1f} ms per story (median of {len(noop)})")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
