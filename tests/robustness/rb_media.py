"""Tiny hostile inputs for the robustness suite, generated with ffmpeg and Pillow (nothing is committed).

Every generator is cheap (320x180 or smaller unless the case is about size, 2-3 s); the session
fixtures in conftest.py cache what they make so each file is made once per run.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

from videonews.ffmpeg.probe import MediaInfo, parse_probe

SPEECH = "(between(t,0.2,2.6))*(0.35*sin(2*PI*180*t)+0.2*sin(2*PI*360*t))*(0.6+0.4*sin(2*PI*4*t))"

# One short direct quote: the cue fits a 3 s video without reading-speed complaints mattering.
ARTICLE = """Ministers meet in Testville

2024-03-05 Source: Example News

Ministers met in Testville on Tuesday to discuss the river project.

"The bridge is ready," said Anna Berg.

Editor: Lee
"""

# Markup in a quote: it must reach every output as literal text.
INJECTED = "Type {\\an8} then <b>bold</b> & <script>alert(1)</script> now"
INJECTION_ARTICLE = f"""Ministers meet in Testville

2024-03-05 Source: Example News

Ministers met in Testville on Tuesday.

"{INJECTED}," said Anna Berg.
"""

CJK_QUOTE = "我们会在洪水来临之前建好这座桥。"
CJK_ARTICLE = f"""桥梁项目在测试镇开工

2024年3月5日 来源：新华网

部长们周二在测试镇开会，讨论河流项目。

水利部长王芳说：“{CJK_QUOTE}”

编辑：李
"""

LATIN1_QUOTE = "Le pont sera prêt avant l'été, c'est sûr"
LATIN1_ARTICLE = f"""Ministre à Testville

2024-03-05 Source: Example News

Les ministres se sont réunis à Testville mardi, à côté du fleuve.

"{LATIN1_QUOTE}," said Anna Berg.
"""

HTML_ARTICLE = """<!doctype html>
<html lang="en"><head><title>Ministers meet in Testville - Example News</title>
<meta property="og:site_name" content="Example News">
<style>body { color: red } p::before { content: "not a quote, said nobody" }</style>
<script>var s = "\\"Injected script quote,\\" said Mallory."; document.write(s);</script>
</head><body>
<nav><a href="/">Home</a></nav>
<article><h1>Ministers meet in Testville</h1>
<time datetime="2024-03-05">March 5, 2024</time>
<p>Ministers met in Testville on Tuesday to discuss the river project.</p>
<script>window.evil = "\\"Another script quote,\\" said Mallory.";</script>
<style>.x { font-family: "Comic Sans" }</style>
<p>&ldquo;The bridge is ready,&rdquo; said Anna Berg.</p>
</article>
<script src="/tracker.js"></script>
</body></html>
"""


def ffmpeg(exe: str, *args: str) -> None:
    subprocess.run([exe, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args], check=True,
                   stdin=subprocess.DEVNULL)


def probe_text(exe: str, path: Path) -> str:
    out = subprocess.run([exe, "-hide_banner", "-nostdin", "-i", str(path)], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL)
    return out.stderr


def probe(exe: str, path: Path) -> MediaInfo:
    return parse_probe(probe_text(exe, path), str(path))


def make_video(exe: str, out: Path, *, size: str = "320x180", duration: float = 3.0, fps: int = 25,
               audio: bool = True, pix_fmt: str = "yuv420p", faststart: bool = False,
               pattern: str = "testsrc2") -> Path:
    """H.264 (+ AAC speech) clip. testsrc2 rounds sizes to even; use pattern="testsrc" for odd sizes."""
    args = ["-f", "lavfi", "-i", f"{pattern}=s={size}:r={fps}:d={duration}"]
    if audio:
        args += ["-f", "lavfi", "-t", str(duration), "-i", f"aevalsrc='{SPEECH}':s=48000:c=mono"]
    args += ["-map", "0:v"] + (["-map", "1:a", "-c:a", "aac", "-b:a", "48k"] if audio else [])
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pix_fmt, "-g", "25"]
    if faststart:
        args += ["-movflags", "+faststart"]
    ffmpeg(exe, *args, str(out))
    return out


def make_vfr_video(exe: str, out: Path) -> Path:
    """1.5 s at 25 fps then 1.5 s at 15 fps, kept variable (`-fps_mode vfr`), with audio."""
    graph = ("[0:v]settb=1/1000[a];[1:v]settb=1/1000[b];[a][b]concat=n=2:v=1:a=0,format=yuv420p[v]")
    ffmpeg(exe, "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=1.5", "-f", "lavfi",
           "-i", "testsrc2=s=320x180:r=15:d=1.5", "-f", "lavfi", "-t", "3", "-i",
           f"aevalsrc='{SPEECH}':s=48000:c=mono", "-filter_complex", graph, "-map", "[v]", "-map", "2:a",
           "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "48k",
           "-video_track_timescale", "1000", str(out))
    return out


def make_rotated(exe: str, source: Path, out: Path, degrees: int = 90) -> Path:
    """A phone clip: the same stream with a display matrix (players rotate it upright)."""
    ffmpeg(exe, "-display_rotation", str(degrees), "-i", str(source), "-c", "copy", str(out))
    return out


def make_many_streams(exe: str, out: Path, audio_streams: int) -> Path:
    """A short Matroska clip with one video and `audio_streams` silent audio streams."""
    maps = [arg for _ in range(audio_streams) for arg in ("-map", "1:a")]
    ffmpeg(exe, "-f", "lavfi", "-i", "testsrc2=s=160x90:r=5:d=0.6", "-f", "lavfi", "-t", "0.6", "-i",
           "anullsrc=r=8000:cl=mono", "-map", "0:v", *maps, "-c:v", "libx264", "-preset", "ultrafast",
           "-c:a", "aac", str(out))
    return out


def claim_duration(exe: str, source: Path, out: Path, seconds: float) -> Path:
    """`source` remuxed to Matroska whose header claims `seconds` (the Segment Info Duration, in ms)."""
    data = bytearray(remux(exe, source, out.with_suffix(".tmp.mkv")).read_bytes())
    at = data.index(b"\x44\x89")  # the Duration element: an 8-byte big-endian float
    assert data[at + 2] == 0x88, "ffmpeg wrote a 4-byte duration"
    struct.pack_into(">d", data, at + 3, seconds * 1000.0)
    out.write_bytes(data)
    return out


def remux(exe: str, source: Path, out: Path) -> Path:
    ffmpeg(exe, "-i", str(source), "-c", "copy", str(out))
    return out


def truncate(source: Path, out: Path, fraction: float = 0.5) -> Path:
    data = source.read_bytes()
    out.write_bytes(data[: int(len(data) * fraction)])
    return out


def make_jpeg(out: Path, size: tuple[int, int] = (320, 200), mode: str = "RGB") -> Path:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", size, (40, 60, 90))
    d = ImageDraw.Draw(im)
    d.ellipse([size[0] * 0.5, size[1] * 0.2, size[0] * 0.8, size[1] * 0.7], fill=(230, 200, 160))
    d.rectangle([10, size[1] // 2, size[0] // 3, size[1] - 10], fill=(200, 120, 40))
    if mode == "CMYK":
        im.convert("CMYK").save(out, "JPEG", quality=85)
    elif mode == "RGBA":
        rgba = im.convert("RGBA")
        alpha = Image.new("L", size, 0)
        ImageDraw.Draw(alpha).ellipse([20, 10, size[0] - 20, size[1] - 10], fill=255)
        rgba.putalpha(alpha)
        rgba.save(out, "PNG")
    else:
        im.save(out, "JPEG", quality=85)
    return out


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def make_png_bomb(out: Path, width: int = 30000, height: int = 30000) -> Path:
    """A few hundred bytes that claim width*height pixels (greyscale): a decompression bomb's header."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 4, 9)  # 4 rows of zeros; the rest is "to come"
    out.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", rows)
                    + _png_chunk(b"IEND", b""))
    return out


def make_story(folder: Path, *, article: str | bytes = ARTICLE, article_name: str = "article.txt",
               video: Path | None = None, video_name: str = "video.mp4", photo: Path | None = None,
               photo_name: str = "photo.jpg", toml: str | None = 'id = "case"\n',
               timings: dict[str, tuple[float, float]] | None = None) -> Path:
    """A story folder; with `toml` the files are named in story.toml, else found by extension.
    `timings` (quote id -> seconds) time quotes by hand, for tests about text rather than timing."""
    folder.mkdir(parents=True, exist_ok=True)
    data = article.encode("utf-8") if isinstance(article, str) else article
    (folder / article_name).write_bytes(data)
    if video is not None:
        shutil.copyfile(video, folder / video_name)
    if photo is not None:
        shutil.copyfile(photo, folder / photo_name)
    if toml is not None:
        esc = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')  # noqa: E731
        lines = [toml, f'article = "{esc(article_name)}"', f'video = "{esc(video_name)}"']
        if photo is not None:
            lines.append(f'photo = "{esc(photo_name)}"')
        if timings:
            lines += ["[timings]", *(f"{k} = [{a}, {b}]" for k, (a, b) in timings.items())]
        (folder / "story.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def snapshot(package: Path) -> dict[str, bytes]:
    """Every file of a package, for 'untouched' checks."""
    return {p.relative_to(package).as_posix(): p.read_bytes() for p in sorted(package.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    """Work or old folders a build must never leave behind."""
    if not out.exists():
        return []
    return sorted(p.name for p in out.iterdir() if p.name.startswith((".building-", ".old-")))


def ass_sections(text: str) -> tuple[dict[str, str], dict[str, dict[str, str]], list[dict[str, str]]]:
    """(Script Info, styles by name, events) of an ASS script, for checks."""
    info: dict[str, str] = {}
    styles: dict[str, dict[str, str]] = {}
    events: list[dict[str, str]] = []
    section = ""
    fmt: list[str] = []
    for line in text.splitlines():
        if line.startswith("["):
            section, fmt = line.strip(), []
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        if section == "[Script Info]" and value and not line.startswith(";"):
            info[key.strip()] = value
        elif key == "Format":
            fmt = [f.strip() for f in value.split(",")]
        elif key == "Style":
            row = dict(zip(fmt, value.split(",", len(fmt) - 1), strict=True))
            styles[row["Name"]] = row
        elif key == "Dialogue":
            events.append(dict(zip(fmt, value.split(",", len(fmt) - 1), strict=True)))
    return info, styles, events


def video_stream_line(exe: str, path: Path) -> str:
    return next(ln for ln in probe_text(exe, path).splitlines() if "Video:" in ln)


def grab_frame(exe: str, video: Path, t: float, out: Path):  # -> numpy array, greyscale int16
    import numpy as np
    from PIL import Image

    ffmpeg(exe, "-ss", f"{t:.3f}", "-i", str(video), "-frames:v", "1", str(out))
    with Image.open(out) as im:
        return np.asarray(im.convert("L"), dtype=np.int16)
