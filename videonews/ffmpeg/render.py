"""The render: one decode of the source feeds every video output.

    source -> (bwdif, HDR->SDR, square, even) -> format=yuv420p -> split -> ass -> split -> master
                                                                                    -> trim -> one captioned
                                                                                       frame (QA safe area)
                                                                    -> fps -> poster candidates (PNG)
                                                                    -> scale 640 -> split -> ass -> preview
                                                                         -> scale 160 -> scdet (exact cuts)
                                                                         -> fps -> scale 480 -> scoring copies
                                                                    -> crop (per shot) -> scale -> ass
                                                                       -> social versions (when asked for)
    audio  -> loudnorm (linear, measured values from analysis) -> master, preview, social versions (one tee)

The plan is data (`videonews.models.RenderPlan`, made by the plan stage); `render_argv` turns it
into argv with ffmpeg-python so tests can read the list. Paths inside filters are kept simple
(ffmpeg runs in the work folder and the ASS script and fonts sit there), which
avoids the `subtitles`/`ass` filter's escaping pitfalls for odd file names.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import ffmpeg  # ffmpeg-python: argv as data

from videonews.ffmpeg.analysis import WEB_LAYOUTS
from videonews.ffmpeg.runner import FILE_ONLY, LOGO_ONLY, file_url
from videonews.models import RenderPlan, SocialRender

CANDIDATE_PATTERN = "cand_%03d.png"
SMALL_PATTERN = "small_%03d.png"
CANDIDATE_GLOB = "cand_*.png"
SMALL_GLOB = "small_*.png"
SAFE_FRAME = "safe.png"
# poster scoring works on 320 px and the contact sheet's tiles are ~250 px: the candidates are
# decoded at full size only for the chosen poster
SMALL_WIDTH = 480
PREVIEW_X264_PARAMS = "cabac=1:bframes=3:b-adapt=0"


def source_steps(plan: RenderPlan) -> list[tuple[str, list[object], dict[str, object]]]:
    """The filters that turn a source's frames into the outputs' frames, before anything is drawn on them:
    an interlaced source deinterlaced (bwdif, one frame per frame: 25i stays 25p; the frames the stream
    flags as interlaced), HDR tone-mapped to SDR BT.709, non-square pixels scaled to square ones, an odd
    size cropped to even. Every decode of the source that makes a picture uses them (render, `still`, a
    pinned poster)."""
    steps: list[tuple[str, list[object], dict[str, object]]] = []
    if plan.deinterlace:
        steps.append(("bwdif", [], {"mode": "send_frame", "parity": "auto", "deint": "interlaced"}))
    if plan.tonemap:
        # HDR (a phone's HLG, an HDR10 file) to SDR BT.709: to linear light, BT.709 primaries, Möbius' curve
        # (linear up to 70% of SDR white, highlights rolled off above: on a test chart, mean brightness 232
        # of 255 against the chart's 250; Hable's curve gave 153), back to BT.709 video levels; the input's
        # colours are named in case the frames do not carry them
        steps += [("zscale", [], {"tin": plan.tonemap, "min": "bt2020nc", "pin": "bt2020", "t": "linear",
                                  "npl": 100}),
                  ("format", ["gbrpf32le"], {}), ("zscale", [], {"p": "bt709"}),
                  ("tonemap", [], {"tonemap": "mobius", "param": 0.7}),
                  ("zscale", [], {"t": "bt709", "m": "bt709", "r": "tv"}), ("format", ["yuv420p"], {})]
    if plan.rescale:
        steps += [("scale", [plan.width, plan.height], {"flags": "bicubic"}), ("setsar", ["1"], {})]
    elif plan.crop:
        steps.append(("crop", [plan.crop[0], plan.crop[1], 0, 0], {}))
    return steps


def source_chain(plan: RenderPlan) -> str | None:
    """`source_steps` as a -vf chain ("bwdif=mode=send_frame:...,scale=1024:576:flags=bicubic,setsar=1")."""
    parts = [name + "=" + ":".join([*(str(a) for a in args), *(f"{k}={v}" for k, v in kwargs.items())])
             for name, args, kwargs in source_steps(plan)]
    return ",".join(parts) or None


def _video_codec_args(plan: RenderPlan, *, preview: bool) -> dict[str, object]:
    if plan.encoder == "h264_nvenc":
        return {"c": "h264_nvenc", "preset": "p5", "rc": "vbr", "cq": (plan.crf + 6 if preview else plan.crf + 2),
                "profile": "high", "pix_fmt": "yuv420p"}
    args: dict[str, object] = {
        "c": "libx264",
        # the QA preview is small and short-lived: ultrafast costs ~8% of a 720p master's encode,
        # veryfast ~16% (measured on the sample story)
        "preset": "ultrafast" if preview else plan.x264_preset,
        "crf": plan.preview_crf if preview else plan.crf,
        "profile": "high",
        "pix_fmt": "yuv420p",
    }
    if preview:
        # ultrafast drops CABAC and B-frames, which made the preview bigger than the master; with them back
        # (and CRF 32) the sample's preview video is 1.77 MB instead of 4.92 MB for less CPU (2.75 s
        # against 2.99 s on one core): fewer bits to code
        args["x264-params"] = PREVIEW_X264_PARAMS
    return args


def _per_stream(options: dict[str, object], index: int) -> dict[str, object]:
    """{"crf": 21} -> {"crf:v:1": 21}: options for one video stream of a multi-stream output."""
    return {f"{key}:v:{index}": value for key, value in options.items()}


_TEE_SPECIAL = set("[]|:=\'")


def tee_spec(names: list[str], selects: list[str]) -> str:
    """The tee muxer's target: each name gets its streams and faststart."""
    for name in names:
        if _TEE_SPECIAL & set(name):
            raise ValueError(f"output name {name!r} has a character the tee muxer treats as syntax")
    return "|".join(f"[select=\\'{sel}\\':movflags=+faststart]{name}" for name, sel in zip(names, selects, strict=True))


def render_argv(
    plan: RenderPlan,
    *,
    exe: str,
    video: Path,
    ass_name: str,
    fonts_dir: str,
    master: str,
    preview: str,
    candidates_dir: str,
    safe_frame: str | None = None,
    social_dir: str = "..",
) -> list[str]:
    """argv for the single render pass; output names are relative to the work folder."""
    src = ffmpeg.input(file_url(video), **FILE_ONLY)
    v = src.video
    for name, args, kwargs in source_steps(plan):
        v = v.filter(name, *args, **kwargs)
    v = v.filter("format", "yuv420p")
    split = v.filter_multi_output("split", 3 + len(plan.social))
    to_caption, cand_src, to_small = split[0], split[1], split[2]
    logos = _logo_streams(plan, 2 + len(plan.social))
    # each social version: its crop window (shot by shot, as planned), its size, its own captions
    social_v = [_social_branch(split[3 + i], sr, i, fonts_dir, plan=plan,
                               logo=logos[2 + i] if logos else None) for i, sr in enumerate(plan.social)]
    if logos:  # the template's logo, under the captions, in its corner inside title-safe
        to_caption = _with_logo(to_caption, logos[0], plan, plan.width, plan.height, TITLE_SAFE_MARGINS)
    captioned = to_caption.filter("ass", ass_name, fontsdir=fonts_dir)
    want_safe = safe_frame is not None and plan.safe_frame_time is not None
    if want_safe:
        csplit = captioned.filter_multi_output("split", 2)
        master_v, safe_v = csplit[0], csplit[1]
    else:
        master_v, safe_v = captioned, None
    # One clean downscale serves the preview (captions drawn on it by libass at its own size, crisper
    # than a downscaled caption), the exact shot changes and the small scoring copies. Area averaging:
    # a clean 3x downscale for half the CPU of bicubic (4.8 -> 2.2 CPU-s on 60 s of 1080p).
    small_clean = to_small.filter("scale", plan.preview_width, plan.preview_height, flags="area", out_range="tv")
    ssplit = small_clean.filter_multi_output("split", 3)
    preview_in = ssplit[0]
    if logos:
        preview_in = _with_logo(preview_in, logos[1], plan, plan.preview_width, plan.preview_height,
                                TITLE_SAFE_MARGINS)
    preview_v = preview_in.filter("ass", ass_name, fontsdir=fonts_dir)
    # exact shot changes on every frame, riding on this decode (analysis skipped B-frames)
    shots_v = ssplit[1].filter("scale", 160, -2, flags="fast_bilinear").filter("scdet", threshold=plan.scene_threshold)
    cand_w = plan.candidate_width
    cand = cand_src.filter("fps", fps=f"1/{plan.candidate_step}", start_time=plan.candidate_start,
                           round="up")  # "up": the frame on screen at each time ("near" is half a step late)
    if cand_w != plan.width:
        cand = cand.filter("scale", cand_w, -2, flags="bicubic")
    small = (ssplit[2].filter("fps", fps=f"1/{plan.candidate_step}", start_time=plan.candidate_start, round="up")
             .filter("scale", min(SMALL_WIDTH, plan.preview_width), -2, flags="area"))

    # Master, preview and social versions are one tee output: the audio is normalised and AAC-encoded once
    # and muxed into every file (a second AAC encode cost ~2 CPU-s a minute).
    names = [master, preview, *(f"{social_dir}/{sr.output}" for sr in plan.social)]
    tee, tee_out = _tee_output(plan, src, [master_v, preview_v, *social_v], names)
    outputs = [tee_out]
    outputs.append(ffmpeg.output(cand, f"{candidates_dir}/{CANDIDATE_PATTERN}", vcodec="png",
                                 compression_level=0, fps_mode="passthrough"))
    outputs.append(ffmpeg.output(small, f"{candidates_dir}/{SMALL_PATTERN}", vcodec="png",
                                 compression_level=1, fps_mode="passthrough"))
    if safe_v is not None:
        assert safe_frame is not None and plan.safe_frame_time is not None
        # trim ends the branch after its window, so this output closes cleanly mid-render; the second trim
        # passes one frame, so one frame (not a second's worth) is converted to RGB for the PNG
        t = plan.safe_frame_time
        frame = safe_v.filter("trim", start=t, end=round(t + 1.0, 3)).filter("trim", end_frame=1)
        outputs.append(ffmpeg.output(frame, safe_frame, vcodec="png", compression_level=1, update=1, frames=1,
                                     fps_mode="passthrough"))
    outputs.append(ffmpeg.output(shots_v, "-", format="null"))
    argv: list[str] = ffmpeg.merge_outputs(*outputs).compile(cmd=exe, overwrite_output=True)
    argv = _with_metadata(argv, outputs=[tee], metadata=plan.metadata)
    argv = _with_crop_expressions(argv, plan)
    return [argv[0], "-hide_banner", "-nostdin", *argv[1:]]


def _tee_output(plan: RenderPlan, src: Any, video: list[Any], names: list[str]) -> tuple[str, Any]:
    """The one tee output of every video (master, preview, social versions) and the shared audio."""
    streams = list(video)
    codec = _per_stream(_video_codec_args(plan, preview=False), 0) | _per_stream(_video_codec_args(plan, preview=True), 1)
    for i in range(2, len(video)):  # social versions get the master's settings: the same look in the feeds
        codec |= _per_stream(_video_codec_args(plan, preview=False), i)
    selects = [f"v:{i}" for i in range(len(video))]
    if plan.has_audio:
        a = src.audio
        if plan.mono_from is not None:  # a microphone on one input: its side on both
            a = a.filter("channelmap", map=f"{plan.mono_from}|{plan.mono_from}", channel_layout="stereo")
        if plan.loudnorm:
            a = a.filter("loudnorm", linear="true", print_format="none", **plan.loudnorm)
        # stereo for the web: a 5.1 or 7.1 mix folded down (after the resampler, which does the mixing), mono kept
        streams.append(a.filter("aresample", 48000).filter("aformat", channel_layouts=WEB_LAYOUTS))
        codec |= {"c:a": "aac", "b:a": plan.audio_bitrate}
        selects = [f"{sel},a" for sel in selects]
    if plan.threads:
        codec["threads"] = plan.threads
    tee = tee_spec(names, selects)
    return tee, ffmpeg.output(*streams, tee, format="tee", map_metadata=-1, fflags="+bitexact", **codec)


def _social_branch(stream: Any, sr: SocialRender, index: int, fonts_dir: str, *, plan: RenderPlan,
                   logo: Any = None) -> Any:
    """crop (window per shot) -> scale to the social size -> (logo) -> its own captions."""
    from videonews.stages.social import SOCIAL_SAFE

    cropped = stream.filter("crop", sr.crop_width, sr.crop_height, f"SOCIALX{index}", f"SOCIALY{index}", exact=1)
    scaled = cropped.filter("scale", sr.width, sr.height, flags="bicubic")
    if logo is not None:
        scaled = _with_logo(scaled, logo, plan, sr.width, sr.height, SOCIAL_SAFE[sr.aspect])
    return scaled.filter("ass", sr.ass_name, fontsdir=fonts_dir)


TITLE_SAFE_MARGINS = (0.05, 0.05, 0.05, 0.05)


def _logo_streams(plan: RenderPlan, count: int) -> list[Any]:
    """The logo PNG (one frame, held: overlay repeats it) split for each video output; [] without one."""
    if not plan.logo:
        return []
    # one decoded frame, repeated inside the graph for as long as the video lasts (overlay's shortest=1 ends it)
    png = (ffmpeg.input(file_url(plan.logo), f="png_pipe", **LOGO_ONLY).video.filter("format", "rgba")
           .filter("loop", loop=-1, size=1, start=0))
    if count == 1:
        return [png]
    split = png.filter_multi_output("split", count)
    return [split[i] for i in range(count)]  # (a multi-output node has no length: never list() it)


def logo_place(plan: RenderPlan, width: int, height: int, safe: tuple[float, float, float, float]
               ) -> tuple[int, int, int]:
    """(logo width, x, y) in an output of width x height: its corner, inside the safe margins."""
    lw = max(8, round(plan.logo_width * width) // 2 * 2)
    x = math.ceil(safe[0] * width) if plan.logo_corner == "top-left" else width - math.ceil(safe[2] * width) - lw
    return lw, x, math.ceil(safe[1] * height)


def _with_logo(stream: Any, logo: Any, plan: RenderPlan, width: int, height: int,
               safe: tuple[float, float, float, float]) -> Any:
    lw, x, y = logo_place(plan, width, height, safe)
    return ffmpeg.overlay(stream, logo.filter("scale", lw, -1, flags="bicubic"), x=x, y=y, shortest=1,
                          format="yuv420")


def _with_crop_expressions(argv: list[str], plan: RenderPlan) -> list[str]:
    """Put each social crop's expression of t in the graph, quoted (ffmpeg-python would break its commas)."""
    if not plan.social:
        return argv
    i = argv.index("-filter_complex") + 1
    graph = argv[i]
    for k, sr in enumerate(plan.social):
        graph = graph.replace(f"SOCIALX{k}", f"'{sr.x_expr()}'").replace(f"SOCIALY{k}", f"'{sr.y_expr()}'")
    return [*argv[:i], graph, *argv[i + 1:]]


def _with_metadata(argv: list[str], *, outputs: list[str], metadata: dict[str, str]) -> list[str]:
    """Insert `-metadata key=value` before each video output name (ffmpeg-python can't repeat a flag)."""
    tags: list[str] = []
    for key, value in metadata.items():
        tags += ["-metadata", f"{key}={value}"]
    out: list[str] = []
    for arg in argv:
        if arg in outputs:
            out += tags
        out.append(arg)
    return out
