#!/usr/bin/env python3
"""Speed and memory of a whole videonews package against the plain ffmpeg burn-in and MoviePy.

    python benchmarks/run.py                       # 1080p 60 s and 720p 60 s, 3 runs each
    python benchmarks/run.py --sizes 1280x720 --seconds 20 --runs 3 --no-moviepy
    python benchmarks/run.py --memory              # also 1 min vs 10 min peak memory (slow)
    python benchmarks/run.py --memory-only --inputs ~/.cache/vn-bench
    python benchmarks/run.py --profile --sizes 1920x1080   # where the non-encode time goes
                                                   # (pip install pyinstrument)

Per input it runs, alternately and as whole processes under /usr/bin/time -v:
  videonews   `videonews build` (analysis, every render, thumbnails, photo renditions, manifest,
              review page; default settings, so no photo clip)
  ffmpeg      the plain command that only burns the same ASS captions into the same video with
              the same encoder settings (libx264 veryfast CRF 21, AAC 128k, faststart)
  moviepy     CompositeVideoClip of the video and one TextClip per cue, same encoder settings
              (run once per input unless --moviepy-runs says otherwise: it is slow)
and prints medians, ratios against the ffmpeg baseline, frames per second and peak memory.

Inputs are generated: scripts/make_sample.py (painted shots, espeak-ng speech) when espeak-ng
is installed, else lavfi sources with a speech-like buzz. `--inputs DIR` keeps them for the next
run (generating 60 s of 1080p takes minutes). The 10-minute memory input is the 1-minute one
looped ten times with stream copy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "assets" / "sample" / "wuzhen" / "article.txt"


def ffmpeg() -> str:
    from videonews.ffmpeg import ffmpeg_exe

    return ffmpeg_exe()


def plain_burn_in(video: Path, scratch: Path, *, before_input: tuple[str, ...] = ()) -> list[str]:
    """The baseline every ratio is against: `ffmpeg -vf ass=...` with the master's x264 settings and AAC,
    burning scratch/captions.ass with the fonts in scratch/fonts (see `plain_scratch`)."""
    return [ffmpeg(), "-hide_banner", "-nostdin", "-y", *before_input, "-i", str(video), "-vf",
            f"ass={scratch / 'captions.ass'}:fontsdir={scratch / 'fonts'}", "-c:v", "libx264", "-preset", "veryfast",
            "-crf", "21", "-profile:v", "high", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
            "-movflags", "+faststart", str(scratch / "plain.mp4")]


def plain_scratch(package: Path, scratch: Path) -> Path:
    """scratch with the package's ASS script as captions.ass and the bundled fonts, for `plain_burn_in`."""
    from videonews.typefaces import bundled_fonts_dir

    scratch.mkdir(parents=True, exist_ok=True)
    shutil.copy(next((package / "subtitles").glob("*.ass")), scratch / "captions.ass")
    shutil.copytree(bundled_fonts_dir(), scratch / "fonts", dirs_exist_ok=True)
    return scratch


def make_input(folder: Path, width: int, height: int, seconds: int) -> Path:
    """A story folder with article, video and photo at the given size (kept if already made)."""
    if (folder / "story.toml").is_file() and (folder / "video.mp4").is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("espeak-ng"):
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample.py"), "--out", str(folder),
                        "--width", str(width), "--height", str(height), "--seconds", str(seconds),
                        "--preset", "veryfast"], check=True, stdout=subprocess.DEVNULL)
        return folder
    # fallback: lavfi shots + a buzz where the sample's quotes would be spoken
    exe = ffmpeg()
    speech = "+".join(f"between(mod(t,60),{a},{b})" for a, b in ((2.5, 26.8), (28.8, 48.2), (50.2, 61.6)))
    voice = "(0.3*sin(2*PI*180*t)+0.15*sin(2*PI*360*t))*(0.6+0.4*sin(2*PI*4*t))"
    shots = "testsrc2", "mandelbrot", "life", "cellauto"
    args = [exe, "-hide_banner", "-loglevel", "error", "-y"]
    n = max(1, seconds // 10)
    for i in range(n):
        src = shots[i % len(shots)]
        extra = ":mold=10:ratio=0.2" if src == "life" else (":rule=90" if src == "cellauto" else "")
        args += ["-f", "lavfi", "-t", "10", "-i", f"{src}=s={width}x{height}:r=25{extra}"]
    args += ["-f", "lavfi", "-t", str(n * 10), "-i", f"aevalsrc='({speech})*{voice}':s=48000:c=mono"]
    chain = "".join(f"[{i}:v]format=yuv420p,setsar=1[v{i}];" for i in range(n))
    chain += "".join(f"[v{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0[v]"
    args += ["-filter_complex", chain, "-map", "[v]", "-map", f"{n}:a", "-c:v", "libx264", "-preset", "veryfast",
             "-crf", "20", "-c:a", "aac", str(folder / "video.mp4")]
    subprocess.run(args, check=True)
    shutil.copy(ARTICLE, folder / "article.txt")
    shutil.copy(ROOT / "assets" / "sample" / "wuzhen" / "photo.jpg", folder / "photo.jpg")
    (folder / "story.toml").write_text('id = "bench"\narticle = "article.txt"\nvideo = "video.mp4"\n'
                                       'photo = "photo.jpg"\nphoto_clip = false\n')
    return folder


def looped_input(src: Path, folder: Path, times: int) -> Path:
    """The story of `src` with its video looped `times` times (stream copy: seconds, not minutes)."""
    if (folder / "story.toml").is_file() and (folder / "video.mp4").is_file():
        return folder
    shutil.copytree(src, folder, dirs_exist_ok=True)
    (folder / "video.mp4").unlink()
    subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-stream_loop", str(times - 1),
                    "-i", str(src / "video.mp4"), "-c", "copy", str(folder / "video.mp4")], check=True)
    return folder


def profile(story: Path, work: Path) -> str:
    """One build under pyinstrument: stage times and the call tree down to 0.1 s."""
    script = work / "profile_build.py"
    work.mkdir(parents=True, exist_ok=True)
    script.write_text(
        "import json, sys\n"
        "from videonews.pipeline import build_story\n"
        "r = build_story(sys.argv[1], sys.argv[2], photo_clip=False)\n"
        "print(json.dumps({'wall': r.wall, 'stages': r.stage_times}))\n")
    report = work / "profile.txt"
    done = subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(report), str(script),
                           str(story), str(work / "out")], capture_output=True, text=True, check=True)
    keep = [ln for ln in report.read_text().splitlines()
            if (m := re.search(r"(\d+\.\d+) ", ln)) and float(m.group(1)) >= 0.1 and len(ln) - len(ln.lstrip(" │├└─")) < 40]
    return done.stdout.strip() + "\n" + "\n".join(keep)


def timed(argv: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run argv under /usr/bin/time -v; wall seconds and peak RSS (MiB) of the largest process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-v", "-o", tf.name, *argv], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        text = Path(tf.name).read_text()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    sys_ = re.search(r"System time \(seconds\): ([\d.]+)", text)
    return {"wall": wall, "rss_mib": int(rss.group(1)) / 1024 if rss else 0.0,
            "cpu": float(user.group(1)) + float(sys_.group(1)) if user and sys_ else 0.0}


def moviepy_script(video: Path, vtt_cues: list[tuple[float, float, str]], out: Path, font: Path) -> str:
    return f"""
import os
os.environ["IMAGEIO_FFMPEG_EXE"] = {ffmpeg()!r}
from moviepy import VideoFileClip, TextClip, CompositeVideoClip
video = VideoFileClip({str(video)!r})
h = video.h
clips = [video]
for start, end, text in {vtt_cues!r}:
    clips.append(TextClip(font={str(font)!r}, text=text, font_size=int(h * 0.055), color="white",
                          stroke_color="black", stroke_width=2, method="caption", size=(int(video.w * 0.9), None),
                          text_align="center").with_start(start).with_duration(end - start)
                 .with_position(("center", int(h * 0.78))))
CompositeVideoClip(clips).write_videofile({str(out)!r}, codec="libx264", preset="veryfast",
    ffmpeg_params=["-crf", "21", "-profile:v", "high", "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
    audio_codec="aac", audio_bitrate="128k", logger=None)
"""


def read_cues(srt: Path) -> list[tuple[float, float, str]]:
    cues = []
    for block in srt.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        a, b = lines[1].split(" --> ")

        def secs(ts: str) -> float:
            h, m, s = ts.replace(",", ".").split(":")
            return int(h) * 3600 + int(m) * 60 + float(s)

        cues.append((secs(a), secs(b), "\n".join(lines[2:])))
    return cues


def bench(story: Path, work: Path, runs: int, moviepy_runs: int) -> dict[str, object]:
    exe = ffmpeg()
    out = work / "out"
    vn = [sys.executable, "-m", "videonews", "build", str(story), "--out", str(out), "--no-photo-clip"]
    # one warm-up build gives the ASS script the baselines burn in
    subprocess.run(vn, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pkg = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    srt = next((pkg / "subtitles").glob("*.srt"))
    scratch = plain_scratch(pkg, work / "scratch")
    from videonews.typefaces import bundled_font

    video = story / "video.mp4"
    plain = plain_burn_in(video, scratch)
    results: dict[str, list[dict[str, float]]] = {"videonews": [], "ffmpeg": [], "moviepy": []}
    cwd = os.getcwd()
    for i in range(runs):
        order = [("ffmpeg", plain), ("videonews", vn)] if i % 2 == 0 else [("videonews", vn), ("ffmpeg", plain)]
        for name, argv in order:
            os.chdir(scratch if name == "ffmpeg" else cwd)
            results[name].append(timed(argv))
            os.chdir(cwd)
    script = scratch / "moviepy_baseline.py"
    script.write_text(moviepy_script(video, read_cues(srt), scratch / "moviepy.mp4", bundled_font()))
    for _ in range(moviepy_runs):
        results["moviepy"].append(timed([sys.executable, str(script)]))
    from videonews.ffmpeg import probe

    info = probe(video, exe=exe)
    frames = (info.duration or 0) * (info.fps or 25)
    summary: dict[str, object] = {"input": f"{info.width}x{info.height} {info.duration:.1f}s", "frames": frames}
    base = statistics.median(r["wall"] for r in results["ffmpeg"])
    for name, rs in results.items():
        if not rs:
            continue
        wall = statistics.median(r["wall"] for r in rs)
        summary[name] = {"median_wall_s": round(wall, 2), "ratio_vs_ffmpeg": round(wall / base, 3),
                         "fps": round(frames / wall, 1), "peak_rss_mib": round(max(r["rss_mib"] for r in rs), 1),
                         "cpu_s": round(statistics.median(r["cpu"] for r in rs), 1),
                         "runs": [round(r["wall"], 2) for r in rs]}
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1920x1080,1280x720")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--moviepy-runs", type=int, default=1)
    ap.add_argument("--no-moviepy", action="store_true")
    ap.add_argument("--memory", action="store_true", help="compare peak memory of a 1 min and a 10 min input")
    ap.add_argument("--memory-only", action="store_true", help="only the memory comparison")
    ap.add_argument("--signed", action="store_true", help="the memory comparison also with test content credentials")
    ap.add_argument("--profile", action="store_true", help="only profile one build per size (pyinstrument)")
    ap.add_argument("--inputs", type=Path, help="keep generated inputs here and reuse them")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}", file=sys.stderr)
    report = []
    with tempfile.TemporaryDirectory(prefix="vn-bench-") as tmp:
        inputs = args.inputs.expanduser() if args.inputs else Path(tmp)
        for size in args.sizes.split(","):
            if args.memory_only:
                break
            w, h = (int(x) for x in size.split("x"))
            story = make_input(inputs / f"in-{size}-{args.seconds}", w, h, args.seconds)
            if args.profile:
                print(f"== {size} {args.seconds}s\n" + profile(story, Path(tmp) / f"profile-{size}"))
                continue
            s = bench(story, Path(tmp) / f"work-{size}", args.runs, 0 if args.no_moviepy else args.moviepy_runs)
            report.append(s)
            print(json.dumps(s), file=sys.stderr)
        if args.memory or args.memory_only:
            one = make_input(inputs / "in-1920x1080-60", 1920, 1080, 60)
            for minutes, story in ((1, one), (10, looped_input(one, inputs / "in-1920x1080-600", 10))):
                for signed in (False, True) if args.signed else (False,):
                    out = Path(tmp) / f"mem-out-{minutes}-{signed}"
                    r = timed([sys.executable, "-m", "videonews", "build", str(story), "--out", str(out),
                               "--no-photo-clip", *(["--test-credentials"] if signed else [])])
                    report.append({"memory": f"1080p {minutes} min{' signed' if signed else ''}",
                                   "peak_rss_mib": round(r["rss_mib"], 1), "wall_s": round(r["wall"], 1),
                                   "cpu_s": round(r["cpu"], 1)})
                    print(json.dumps(report[-1]), file=sys.stderr)
        if args.profile:
            return
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"\n{'input':<20}{'tool':<11}{'median s':>10}{'x ffmpeg':>10}{'fps':>8}{'CPU s':>8}{'peak MiB':>10}")
    for s in report:
        if "memory" in s:
            print(f"{s['memory']:<20}{'videonews':<11}{s['wall_s']:>10}{'':>10}{'':>8}{s['cpu_s']:>8}"
                  f"{s['peak_rss_mib']:>10}")
            continue
        for tool in ("ffmpeg", "videonews", "moviepy"):
            r = s.get(tool)
            if isinstance(r, dict):
                print(f"{s['input']:<20}{tool:<11}{r['median_wall_s']:>10}{r['ratio_vs_ffmpeg']:>10}"
                      f"{r['fps']:>8}{r['cpu_s']:>8}{r['peak_rss_mib']:>10}")


if __name__ == "__main__":
    main()
