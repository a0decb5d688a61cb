#!/usr/bin/env python3
"""What C2PA signing adds to a package: a 60 s 1080p story built with and without credentials.

    python benchmarks/signing.py [--seconds 60] [--size 1920x1080] [--runs 1]

The input is generated with ffmpeg's lavfi (a moving test pattern with cuts, a tone for audio) next to
the sample's article and a 3000x2000 agency photo; each build runs with default settings (web preset, no photo
clip). Reported: the whole build's wall time, the `sign` stage's, and its share (budget: 3%).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_story(folder: Path, seconds: int, size: str) -> Path:
    from PIL import Image

    from videonews.ffmpeg import ffmpeg_exe
    from videonews.ffmpeg.runner import run

    folder.mkdir(parents=True, exist_ok=True)
    # the sample's article: quotes and credits (its quotes are not in this video: captions are not the point)
    (folder / "article.txt").write_bytes((ROOT / "assets" / "sample" / "wuzhen" / "article.txt").read_bytes())
    third = seconds / 3
    run([ffmpeg_exe(), "-y", "-loglevel", "error",
         "-f", "lavfi", "-i", f"testsrc2=s={size}:r=25:d={third}", "-f", "lavfi", "-i", f"smptehdbars=s={size}:r=25:d={third}",
         "-f", "lavfi", "-i", f"rgbtestsrc=s={size}:r=25:d={third}", "-f", "lavfi", "-i", f"sine=f=220:d={seconds}",
         "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0[v]", "-map", "[v]", "-map", "3:a",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-c:a", "aac",
         str(folder / "video.mp4")])
    Image.effect_mandelbrot((3000, 2000), (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB").save(folder / "photo.jpg",
                                                                                             quality=90)
    return folder


def build(story: Path, out: Path, signed: bool) -> dict:
    from videonews.pipeline import build_story
    from videonews.settings import Settings

    settings = Settings(photo_clip=False, test_credentials=signed)
    t = time.monotonic()
    result = build_story(story, out, settings, photo_clip=False)
    wall = time.monotonic() - t
    return {"wall": wall, "sign": result.stage_times.get("sign", 0.0),
            "signed_assets": sum(a.content_credentials == "c2pa" for a in result.manifest.assets)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        story = make_story(Path(tmp) / "bench-story", args.seconds, args.size)
        rows: dict[str, list[dict]] = {"unsigned": [], "signed": []}
        for i in range(args.runs):
            for kind in ("signed", "unsigned"):
                rows[kind].append(build(story, Path(tmp) / f"out-{kind}-{i}", kind == "signed"))
        signed_wall = statistics.median(r["wall"] for r in rows["signed"])
        sign = statistics.median(r["sign"] for r in rows["signed"])
        report = {"input": f"{args.size}, {args.seconds} s", "runs": args.runs,
                  "signed_build_s": round(signed_wall, 2),
                  "unsigned_build_s": round(statistics.median(r["wall"] for r in rows["unsigned"]), 2),
                  "sign_stage_s": round(sign, 3), "sign_share": round(sign / signed_wall, 4),
                  "signed_assets": rows["signed"][0]["signed_assets"], "budget_share": 0.03}
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
