"""One frame with every graphic drawn on it: `videonews still`, and the tests that measure where each
graphic lands. The ASS script is burned by libass exactly as in the render (same script, same fonts).

    still_argv(exe, ass, fonts_dir, out, video=..., at=...)   # a frame of the video
    still_argv(exe, ass, fonts_dir, out, size=(w, h), at=...) # on a flat background (tests, sign-off)

Filter paths are kept plain: ffmpeg runs in the script's folder and is given bare names.
"""

from __future__ import annotations

from pathlib import Path

from videonews.ffmpeg.runner import LOGO_ONLY, file_input, file_url, run


def still_argv(exe: str, ass_name: str, fonts_dir: str, out: str, *, at: float, video: Path | None = None,
               size: tuple[int, int] | None = None, scale: tuple[int, int] | None = None,
               background: str = "0x000000", crop: str | None = None,
               logo: tuple[Path, int, int, int] | None = None, prep: str | None = None) -> list[str]:
    """argv for one PNG frame at `at` seconds: the video's frame (or a flat colour of `size`), made ready as the
    render makes it (`prep`: `videonews.ffmpeg.render.source_chain`), optionally cropped (`crop` is an ffmpeg
    crop expression w:h:x:y) and scaled, with the template's `logo` (PNG, width, x, y) and the ASS script
    burned in, as the render draws them."""
    if video is None and size is None:
        raise ValueError("give a video or a size")
    argv = [exe, "-hide_banner", "-nostdin", "-y"]
    if video is not None:
        argv += ["-ss", f"{max(0.0, at):.3f}", *file_input(video)]
        setpts = f"setpts=PTS+{max(0.0, at):.3f}/TB"  # libass sees the frame's own time
    else:
        assert size is not None
        argv += ["-f", "lavfi", "-i", f"color=c={background}:s={size[0]}x{size[1]}:d={at + 1:.3f}:r=25"]
        setpts = None
    chain = []
    if video is None:
        chain.append(f"trim=start={at:.3f}")
    else:
        chain.append(setpts or "null")
    if prep:
        chain.append(prep)
    if crop:
        chain.append(f"crop={crop}")
    if scale:
        chain.append(f"scale={scale[0]}:{scale[1]}:flags=area")
    tail = ["format=yuv420p", f"ass={ass_name}:fontsdir={fonts_dir}", "format=rgb24"]
    if logo is None:
        return [*argv, "-vf", ",".join(chain + tail), "-frames:v", "1", "-update", "1", out]
    path, width, x, y = logo
    argv += [*(a for k, v in LOGO_ONLY.items() for a in (f"-{k}", v)), "-f", "png_pipe", "-i", file_url(path)]
    graph = (f"[0:v]{','.join(chain)}[v];[1:v]format=rgba,scale={width}:-1[l];"
             f"[v][l]overlay=x={x}:y={y}:format=yuv420,{','.join(tail)}[o]")
    return [*argv, "-filter_complex", graph, "-map", "[o]", "-frames:v", "1", "-update", "1", out]


def draw_still(exe: str, ass: Path, fonts_dir: Path, out: Path, *, at: float, video: Path | None = None,
               size: tuple[int, int] | None = None, scale: tuple[int, int] | None = None,
               background: str = "0x000000", crop: str | None = None, timeout: float = 120.0,
               logo: tuple[Path, int, int, int] | None = None, prep: str | None = None) -> Path:
    """Write one PNG frame with the script's graphics at `at` seconds (see `still_argv`)."""
    ass, fonts_dir, out = Path(ass).resolve(), Path(fonts_dir).resolve(), Path(out).resolve()
    rel_fonts = Path(_relpath(fonts_dir, ass.parent))
    argv = still_argv(exe, ass.name, str(rel_fonts), str(out), at=at, video=video and Path(video).resolve(),
                      size=size, scale=scale, background=background, crop=crop, logo=logo, prep=prep)
    run(argv, cwd=ass.parent, timeout=timeout, what="ffmpeg still", path=video or ass)
    return out


def _relpath(target: Path, start: Path) -> str:
    import os

    rel = os.path.relpath(target, start)
    if any(ch in rel for ch in ":,'[];\\"):
        raise ValueError(f"font folder path {rel!r} has a character the ass filter treats as syntax")
    return rel
