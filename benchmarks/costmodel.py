#!/usr/bin/env python3
"""Where a package's time goes: wall and CPU seconds per stage, split into what grows with the
video's length and what does not, next to the plain ffmpeg burn-in of the same video.

    python benchmarks/costmodel.py --inputs ~/.cache/vn-bench            # 720p and 1080p, 30 s / 60 s / 3 min
    python benchmarks/costmodel.py --sizes 1920x1080 --seconds 30,60 --runs 3

Each build runs in a fresh process (`videonews build` semantics: default settings, no photo clip)
with a stage callback that reads this process's CPU time and its children's (ffmpeg) at every
stage change; the plain burn-in (`ffmpeg -vf ass=...`, the same x264 and AAC settings) runs
alternately with it (and, with --signed, a build that signs every file with the test credentials).
The CPU ratio (the build's CPU seconds over the plain burn-in's) is the floor of the wall-time ratio
on a machine whose cores the encoder already fills. Per stage, a least-squares line through (video
seconds, median seconds) gives the fixed part and the part per minute of video. Inputs come from benchmarks/run.py's generator
(narrated packages from scripts/make_sample.py; --inputs keeps them).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

STAGE_SCRIPT = r"""
import json, os, resource, sys, time
booted = time.monotonic()
from pathlib import Path
from videonews.pipeline import build_story
from videonews.settings import load_settings

def cpu():
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime

marks = []
def on_stage(name, fraction):
    if not marks or marks[-1][0] != name:
        marks.append((name, time.monotonic(), cpu()))

t0, c0 = time.monotonic(), cpu()
settings = load_settings(test_credentials=sys.argv[3] == "signed")
result = build_story(Path(sys.argv[1]), Path(sys.argv[2]), settings, on_stage=on_stage, photo_clip=False)
marks.append(("end", time.monotonic(), cpu()))
stages = {}
for (name, t, c), (_, t2, c2) in zip(marks, marks[1:]):
    wall, used = stages.get(name, (0.0, 0.0))
    stages[name] = (wall + t2 - t, used + c2 - c)
print(json.dumps({"wall": marks[-1][1] - t0, "cpu": marks[-1][2] - c0, "imports": t0 - booted,
                  "stages": stages}))
"""


def build_once(story: Path, out: Path, signed: bool = False) -> dict:
    """One build in a fresh interpreter (start-up and imports count, as for a producer)."""
    import resource
    import time

    def used() -> float:
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build process and its ffmpeg children
        return kids.ru_utime + kids.ru_stime

    started, cpu = time.monotonic(), used()
    proc = subprocess.run([sys.executable, "-c", STAGE_SCRIPT, str(story), str(out), "signed" if signed else "-"],
                          check=True, capture_output=True, text=True)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["process_wall"] = time.monotonic() - started
    data["process_cpu"] = used() - cpu
    return data


def plain_once(story: Path, scratch: Path) -> dict:
    from run import plain_burn_in, timed

    return timed(plain_burn_in(story / "video.mp4", scratch))


def measure(story: Path, work: Path, runs: int, signed: bool = False) -> dict:
    from run import plain_scratch

    first = build_once(story, work / "warm")  # warm-up: also gives the ASS script the baseline burns in
    pkg = next(p for p in (work / "warm").iterdir() if p.is_dir() and not p.name.startswith("."))
    scratch = plain_scratch(pkg, work / "scratch")
    builds, plains, signs = [], [], []
    for i in range(runs):
        order = ["plain", "build", "signed"] if i % 2 == 0 else ["signed", "build", "plain"]
        for what in order:
            if what == "plain":
                plains.append(plain_once(story, scratch))
            elif what == "build":
                builds.append(build_once(story, work / f"out{i}"))
            elif signed:
                signs.append(build_once(story, work / f"signed{i}", signed=True))
    stages = list(dict.fromkeys(s for b in [first, *builds] for s in b["stages"]))
    return {
        "build_wall": statistics.median(b["process_wall"] for b in builds),
        "plain_wall": statistics.median(p["wall"] for p in plains),
        "build_cpu": statistics.median(b["process_cpu"] for b in builds),
        "plain_cpu": statistics.median(p["cpu"] for p in plains),
        "signed_wall": statistics.median(b["process_wall"] for b in signs) if signs else None,
        "sign_stage": statistics.median(b["stages"].get("sign", (0, 0))[0] for b in signs) if signs else None,
        # Python's start and videonews' imports: all of the process that is not the build itself
        "start": statistics.median(b["process_wall"] - b["wall"] for b in builds),
        "stages": {s: (statistics.median(b["stages"].get(s, (0, 0))[0] for b in builds),
                       statistics.median(b["stages"].get(s, (0, 0))[1] for b in builds)) for s in stages},
        "runs": {"build": [round(b["process_wall"], 2) for b in builds], "plain": [round(p["wall"], 2) for p in plains],
                 "signed": [round(b["process_wall"], 2) for b in signs]},
    }


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """(fixed seconds, seconds per minute of video) by least squares; one point: all of it per minute."""
    if len(points) == 1:
        x, y = points[0]
        return 0.0, y / x * 60
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope * 60


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1280x720,1920x1080")
    ap.add_argument("--seconds", default="30,60,180")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--inputs", type=Path, default=Path(tempfile.gettempdir()) / "vn-costmodel-inputs")
    ap.add_argument("--json", type=Path, help="also write the measurements here")
    ap.add_argument("--signed", action="store_true", help="also build with test content credentials (C2PA), alternately")
    args = ap.parse_args()
    from run import make_input

    report: dict[str, dict[int, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="vn-cost-") as tmp:
        for size in args.sizes.split(","):
            w, h = (int(x) for x in size.split("x"))
            for secs in (int(s) for s in args.seconds.split(",")):
                story = make_input(args.inputs.expanduser() / f"in-{size}-{secs}", w, h, secs)
                r = measure(story, Path(tmp) / f"{size}-{secs}", args.runs, args.signed)
                report.setdefault(size, {})[secs] = r
                print(f"{size} {secs:>4} s: videonews {r['build_wall']:.2f} s, plain burn-in {r['plain_wall']:.2f} s, "
                      f"{r['build_wall'] / r['plain_wall']:.3f}x  runs {r['runs']}", file=sys.stderr)
    print(f"\n{'size':10} {'length':>6} {'plain s':>8} {'videonews s':>12} {'ratio':>6} {'CPU ratio':>9}"
          f" {'signed s':>9} {'ratio':>6} {'sign stage s':>12}")
    for size, by_len in report.items():
        for secs, r in by_len.items():
            signed = (f" {r['signed_wall']:9.2f} {r['signed_wall'] / r['plain_wall']:6.3f} {r['sign_stage']:12.2f}"
                      if r["signed_wall"] else "")
            print(f"{size:10} {secs:>5}s {r['plain_wall']:8.2f} {r['build_wall']:12.2f} "
                  f"{r['build_wall'] / r['plain_wall']:6.3f} {r['build_cpu'] / r['plain_cpu']:9.3f}{signed}")
    print(f"\n{'size':10} {'stage':12} {'wall fixed':>10} {'wall/min':>9} {'CPU fixed':>10} {'CPU/min':>8}"
          "   (start-up: interpreter and imports, wall only)")
    for size, by_len in report.items():
        names = list(next(iter(by_len.values()))["stages"])
        rows = [("start-up", [(s, r["start"]) for s, r in by_len.items()], [(s, r["start"]) for s, r in by_len.items()])]
        rows += [(n, [(s, r["stages"][n][0]) for s, r in by_len.items() if n in r["stages"]],
                  [(s, r["stages"][n][1]) for s, r in by_len.items() if n in r["stages"]]) for n in names]
        for name, wall_pts, cpu_pts in rows:
            wf, wm = fit(wall_pts)
            cf, cm = fit(cpu_pts)
            print(f"{size:10} {name:12} {wf:10.2f} {wm:9.2f} {cf:10.2f} {cm:8.2f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
