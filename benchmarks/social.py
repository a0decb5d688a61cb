#!/usr/bin/env python3
"""What each social version adds to a package, next to a plain ffmpeg encode of the same version.

    python benchmarks/social.py                          # the sample story, first 30 s, 3 runs each
    python benchmarks/social.py --story DIR --seconds 0 --runs 5

Per run, alternately and as whole processes (CPU seconds from `os.wait4`, wall from the clock):
  base        `videonews build STORY`                 (no social versions)
  +9x16       `videonews build STORY --social 9x16`
  +1x1        `videonews build STORY --social 1x1`
  plain-9x16  one ffmpeg command that makes only that version: decode, crop, scale, burn the same
  plain-1x1   social ASS script, the master's x264 settings, AAC (its own decode, as a separate tool would)
  burn-in     the plain ffmpeg burn-in of the master (what `benchmarks/run.py` compares the package to)

It reports each version's added cost (+X minus base, medians) against its plain encode (the target is
<= 1.1x: the version rides on the master's decode and audio encode), the base package against the plain
burn-in (<= 1.25x), and that every build ran one render decode (the render's argv has one -i).
CPU seconds are the main figure on a shared machine; wall seconds are printed beside them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "assets" / "sample" / "wuzhen"


def ffmpeg() -> str:
    from videonews.ffmpeg import ffmpeg_exe

    return ffmpeg_exe()


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall s, CPU s of the process and its children) of one command."""
    t = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime


def make_story(src: Path, folder: Path, seconds: float) -> Path:
    """The story with its video cut to `seconds` (0: whole), social versions not asked for."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("article.txt", "photo.jpg", "graphics.toml"):
        if (src / name).is_file():
            shutil.copy(src / name, folder / name)
    toml = [ln for ln in (src / "story.toml").read_text(encoding="utf-8").splitlines()
            if not ln.startswith(("social", "photo_clip"))]
    (folder / "story.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")
    video = src / "video.mp4"
    if seconds > 0:
        subprocess.run([ffmpeg(), "-loglevel", "error", "-y", "-i", str(video), "-t", str(seconds), "-c", "copy",
                        str(folder / "video.mp4")], check=True)
    else:
        shutil.copy(video, folder / "video.mp4")
    return folder


def plain_social(story: Path, package: Path, aspect: str, out: Path) -> list[str]:
    """The plain one-version command: the same crop windows, size, ASS script and encoder settings."""
    import json

    from videonews.pipeline import build_story  # noqa: F401  (import cost outside the timing)

    plan = json.loads((package / ".bench" / f"social-{aspect}.json").read_text())
    crop = f"crop={plan['crop_width']}:{plan['crop_height']}:'{plan['x']}':'{plan['y']}':exact=1"
    vf = f"{crop},scale={plan['width']}:{plan['height']}:flags=bicubic,ass={plan['ass']}"
    return [ffmpeg(), "-hide_banner", "-nostdin", "-y", "-i", str(story / "video.mp4"), "-vf", vf,
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", str(out)]


def keep_social_plan(story: Path, work: Path, aspects: list[str]) -> None:
    """Build once with the social versions and keep their plans and scripts for the plain commands."""
    import json

    from videonews.pipeline import build_story
    from videonews.settings import Settings
    from videonews.stages import render as render_stage

    kept: dict[str, object] = {}
    real = render_stage.render

    def spy(ing, plan, subs, ws, settings, **kw):  # type: ignore[no-untyped-def]
        for sr in plan.render.social:
            ass = work / f"social-{sr.aspect}.ass"
            shutil.copy(ws.scratch / sr.ass_name, ass)
            fonts = work / "fonts"
            shutil.copytree(ws.fonts, fonts, dirs_exist_ok=True)
            kept[sr.aspect] = {"crop_width": sr.crop_width, "crop_height": sr.crop_height, "x": sr.x_expr(),
                               "y": sr.y_expr(), "width": sr.width, "height": sr.height,
                               "ass": f"{ass}:fontsdir={fonts}"}
        return real(ing, plan, subs, ws, settings, **kw)

    import videonews.pipeline as pipeline

    pipeline.render = spy  # type: ignore[assignment]
    try:
        build_story(story, work / "out", Settings(social=",".join(aspects)))
    finally:
        pipeline.render = real  # type: ignore[assignment]
    bench = work / "out" / ".bench"
    bench.mkdir(exist_ok=True)
    for aspect, data in kept.items():
        (bench / f"social-{aspect}.json").write_text(json.dumps(data), encoding="utf-8")


def render_inputs(story: Path, aspects: list[str]) -> int:
    """How many inputs (decodes) the render pass of a build with these social versions opens."""
    from videonews.ffmpeg.render import render_argv
    from videonews.models import RenderPlan, SocialRender

    social = [SocialRender(aspect=a, width=1080, height=1920, crop_width=404, crop_height=720,
                           windows=[(0.0, 0, 0)], ass_name="s.ass", output=f"s-{a}.mp4") for a in aspects]
    argv = render_argv(RenderPlan(width=1280, height=720, fps=25, duration=10, has_audio=True, social=social),
                       exe="ffmpeg", video=story / "video.mp4", ass_name="a.ass", fonts_dir="f", master="m.mp4",
                       preview="p.mp4", candidates_dir="c")
    return argv.count("-i")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--story", type=Path, default=SAMPLE)
    ap.add_argument("--seconds", type=float, default=30.0, help="cut the video to this long (0: whole)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--aspects", default="9x16,1x1")
    args = ap.parse_args()
    aspects = [a for a in args.aspects.split(",") if a]
    vn = [sys.executable, "-m", "videonews"]
    with tempfile.TemporaryDirectory(prefix="vn-social-") as tmp:
        work = Path(tmp)
        story = make_story(args.story, work / "story", args.seconds)
        keep_social_plan(story, work, aspects)
        package = work / "out" / next(p.name for p in (work / "out").iterdir() if not p.name.startswith("."))
        (package / ".bench").mkdir(exist_ok=True)
        for f in (work / "out" / ".bench").iterdir():
            shutil.copy(f, package / ".bench" / f.name)
        master_ass = next((package / "subtitles").glob("*.ass"))
        fonts = work / "fonts"
        burn = [ffmpeg(), "-hide_banner", "-nostdin", "-y", "-i", str(story / "video.mp4"), "-vf",
                f"ass={master_ass}:fontsdir={fonts}", "-c:v", "libx264", "-preset", "veryfast", "-crf", "21",
                "-profile:v", "high", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart",
                str(work / "burn.mp4")]
        commands: dict[str, list[str]] = {"base": [*vn, "build", str(story), "--out", str(work / "b")],
                                          "burn-in": burn}
        for a in aspects:
            commands[f"+{a}"] = [*vn, "build", str(story), "--out", str(work / "b"), "--social", a]
            commands[f"plain-{a}"] = plain_social(story, package, a, work / f"plain-{a}.mp4")
        results: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        for run in range(args.runs):
            for name, argv in commands.items():
                results[name].append(timed(argv))
                print(f"run {run + 1} {name}: {results[name][-1][0]:.1f} s wall, {results[name][-1][1]:.1f} CPU-s",
                      flush=True)
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in results.items()}
        print(f"\ninput: {story / 'video.mp4'} ({args.seconds or 'whole'} s), medians of {args.runs} runs\n")
        print(f"{'what':<28}{'wall s':>9}{'CPU s':>9}")
        for k, (w, c) in med.items():
            print(f"{k:<28}{w:>9.1f}{c:>9.1f}")
        print()
        base_w, base_c = med["base"]
        burn_w, burn_c = med["burn-in"]
        print(f"base package vs plain burn-in: {base_w / burn_w:.2f}x wall, {base_c / burn_c:.2f}x CPU (target <= 1.25x)")
        for a in aspects:
            add_w, add_c = med[f"+{a}"][0] - base_w, med[f"+{a}"][1] - base_c
            pw, pc = med[f"plain-{a}"]
            print(f"{a}: adds {add_w:.1f} s wall / {add_c:.1f} CPU-s; plain encode {pw:.1f} s / {pc:.1f} CPU-s: "
                  f"{add_w / pw:.2f}x wall, {add_c / pc:.2f}x CPU (target <= 1.1x); "
                  f"render decodes: {render_inputs(story, [a])}")


if __name__ == "__main__":
    main()
