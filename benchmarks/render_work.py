#!/usr/bin/env python3
"""What the render pass does beyond a plain burn-in, counted in instructions, not seconds.

    python benchmarks/render_work.py --inputs ~/.cache/vn-bench          # 720p and 1080p inputs
    python benchmarks/render_work.py --story assets/sample/wuzhen --seconds 6

Wall and CPU seconds on a shared 2-core machine drift by 20-30% from run to run; the instructions
valgrind's cachegrind counts are the same every time, so small differences (one branch of the
filter graph, an encoder option) can be measured. Each story is built once with `build_story`
(the render's argv, plan and work folder are kept); then cachegrind counts, over the first
--seconds of the video (`-t` on the input: the plan is the whole video's, so the poster candidates
come as sparsely as in the real render):

  plain     the other benchmarks' baseline (`run.plain_burn_in`: ffmpeg -vf ass=... with the master's
            default x264 settings and AAC)
  render    the build's own render argv: master, preview, poster candidates, scoring copies, exact
            cuts, QA frame and loudness-normalised audio from one decode
  and each branch on its own (its instructions minus those of a bare decode): the preview, the
  full-size poster candidates, the scoring copies with the exact-cut detector, loudnorm.

Needs valgrind (Debian: apt-get install valgrind); a few minutes per input. "rest" is what the
branches measured alone do not explain (the QA frame, the tee muxer; negative when branches share
work in the one graph, e.g. the 640 px copy that feeds both the preview and the scoring copies).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def instructions(argv: list[str], cwd: Path) -> int:
    p = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *argv],
                       cwd=cwd, capture_output=True, text=True)
    found = re.findall(r"I\s+refs:\s+([\d,]+)", p.stderr)
    if p.returncode or not found:
        raise SystemExit(f"cachegrind failed on {' '.join(argv[:6])}...:\n{p.stderr[-1500:]}")
    return int(found[-1].replace(",", ""))


def captured_render(story: Path, out: Path, keep: Path) -> dict[str, Any]:
    """Build the story once; the render's argv, plan and a copy of its work folder."""
    import videonews.stages.render as render_stage
    from videonews.pipeline import build_story
    from videonews.settings import load_settings

    seen: dict[str, Any] = {}
    original = render_stage.run_render

    def capture(argv: list[str], **kw: Any) -> Any:
        ws = kw["ws"]
        if keep.exists():
            shutil.rmtree(keep)
        shutil.copytree(ws.root, keep)
        seen.update(argv=list(argv), plan=kw["plan"], cwd=keep / ws.scratch.relative_to(ws.root))
        return original(argv, **kw)

    render_stage.run_render = capture
    try:
        build_story(story, out, load_settings(), photo_clip=False)  # the story.toml may ask for the clip
    finally:
        render_stage.run_render = original
    return seen


def measure(story: Path, seconds: float, work: Path) -> dict[str, float]:
    from run import plain_burn_in, plain_scratch

    from videonews.ffmpeg.locate import ffmpeg_exe
    from videonews.ffmpeg.render import PREVIEW_X264_PARAMS, SMALL_WIDTH

    exe = ffmpeg_exe()
    cap = captured_render(story, work / "out", work / "kept")
    plan, cwd = cap["plan"], cap["cwd"]
    first_candidate = plan.candidate_start + plan.candidate_step
    if seconds < first_candidate:  # ffmpeg fails an image output that gets no frame
        raise SystemExit(f"--seconds must be at least {first_candidate:g} for {story.name}: the render's first "
                         "poster candidates come that late")
    limit = ["-t", f"{seconds:g}"]
    ass = next(a for a in cap["argv"][cap["argv"].index("-filter_complex") + 1].split(";") if "ass=" in a)
    ass_opt = ass[ass.index("ass="):].split("[")[0]  # ass=../subtitles/<id>.<lang>.ass:fontsdir=fonts
    base = [exe, "-hide_banner", "-nostdin", "-y", *limit, "-i", str(story.resolve() / "video.mp4")]
    scratch = work / "parts"
    scratch.mkdir()
    pw, ph = plan.preview_width, plan.preview_height
    fps = f"fps=fps=1/{plan.candidate_step}:round=up:start_time={plan.candidate_start}"
    loud = ":".join(f"{k}={v}" for k, v in (plan.loudnorm or {}).items())
    commands = {
        "plain": plain_burn_in(story.resolve() / "video.mp4", plain_scratch(work / "kept", work / "plain"),
                               before_input=tuple(limit)),
        "render": _limited(cap["argv"], limit),
        "decode": base + ["-an", "-f", "null", "-"],
        "preview": base + ["-an", "-vf", f"format=yuv420p,scale={pw}:{ph}:flags=area:out_range=tv,{ass_opt}",
                           "-c:v", "libx264", "-preset", "ultrafast", "-crf", str(plan.preview_crf),
                           "-x264-params", PREVIEW_X264_PARAMS, str(scratch / "preview.mp4")],
        "candidates": base + ["-an", "-vf", f"format=yuv420p,{fps}", "-c:v", "png", "-compression_level", "0",
                              "-fps_mode", "passthrough", str(scratch / "c_%03d.png")],
        "small copies + cuts": base + [
            "-an", "-filter_complex",
            f"[0:v]format=yuv420p,scale={pw}:{ph}:flags=area:out_range=tv,split[a][b];"
            f"[a]scale=160:-2:flags=fast_bilinear,scdet=threshold={plan.scene_threshold},nullsink;"
            f"[b]{fps},scale={min(SMALL_WIDTH, pw)}:-2:flags=area[s]",
            "-map", "[s]", "-c:v", "png", "-compression_level", "1", "-fps_mode", "passthrough",
            str(scratch / "s_%03d.png")],
        "audio (aac)": base + ["-vn", "-c:a", "aac", "-b:a", plan.audio_bitrate, str(scratch / "a.m4a")],
        "audio (loudnorm+aac)": base + ["-vn", "-af", f"loudnorm={loud}:linear=true:print_format=none,"
                                        "aresample=48000" if loud else "aresample=48000", "-c:a", "aac",
                                        "-b:a", plan.audio_bitrate, str(scratch / "a.m4a")],
    }
    counts = {}
    for name, argv in commands.items():
        counts[name] = instructions(argv, cwd)
        print(f"  {name:22s} {counts[name] / 1e9:8.2f} G instructions", flush=True)
    return counts


def _limited(argv: list[str], limit: list[str]) -> list[str]:
    """The render's argv over the first seconds only; its QA frame moved inside them."""
    half = float(limit[1]) / 2
    graph = argv.index("-filter_complex") + 1
    argv = [*argv[:graph], re.sub(r"trim=end=[\d.]+:start=[\d.]+", f"trim=end={half + 1:g}:start={half:g}",
                                  argv[graph]), *argv[graph + 1:]]
    i = argv.index("-i")
    return [*argv[:i], *limit, *argv[i:]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=Path, help="benchmarks/run.py's inputs folder: its in-1280x720-60 and "
                    "in-1920x1080-60 stories")
    ap.add_argument("--story", type=Path, action="append", default=[], help="a story folder (repeatable)")
    ap.add_argument("--seconds", type=float, default=6.0)
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("render_work.py needs valgrind (apt-get install valgrind)")
    stories = list(args.story)
    if args.inputs:
        stories += [args.inputs / n for n in ("in-1280x720-60", "in-1920x1080-60") if (args.inputs / n).is_dir()]
    if not stories:
        ap.error("give --inputs or --story")
    rows = []
    for story in stories:
        print(f"{story.name}: its first {args.seconds:g} s", flush=True)
        with tempfile.TemporaryDirectory(prefix="vn-work-") as tmp:
            rows.append((story.name, measure(story, args.seconds, Path(tmp))))
    print(f"\n{'input':18s} {'plain G':>8s} {'render G':>9s} {'ratio':>6s}   beyond a decode, % of plain: "
          "preview, candidates, small copies + cuts, loudnorm, rest")
    for name, c in rows:
        plain, dec = c["plain"], c["decode"]
        parts = [c["preview"] - dec, c["candidates"] - dec, c["small copies + cuts"] - dec,
                 c["audio (loudnorm+aac)"] - c["audio (aac)"]]
        rest = c["render"] - plain - sum(parts)
        pct = "  ".join(f"{100 * p / plain:5.1f}" for p in [*parts, rest])
        print(f"{name:18s} {plain / 1e9:8.2f} {c['render'] / 1e9:9.2f} {c['render'] / plain:6.3f}   {pct}")


if __name__ == "__main__":
    main()
