"""Probe media with ffmpeg alone (the imageio-ffmpeg wheel ships no ffprobe).

We parse the stream summary `ffmpeg -i FILE` prints; the parser is pure and
tested on captured text.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from videonews.errors import MediaError, over_limit
from videonews.ffmpeg.runner import file_input, run
from videonews.settings import Settings

# Demuxers/codecs ffmpeg will happily "open" that are not a video segment.
_NOT_VIDEO_FORMATS = {"image2", "jpeg_pipe", "png_pipe", "webp_pipe", "bmp_pipe", "gif", "tty", "bin",
                      "tiff_pipe", "svg_pipe", "ico", "mp3", "wav", "flac", "ogg"}
_NOT_VIDEO_CODECS = {"ansi", "bintext", "xbin", "idf", "png", "mjpeg", "bmp", "gif", "webp", "tiff"}


class MediaInfo(BaseModel):
    path: str
    format: str
    duration: float | None
    width: int = 0
    height: int = 0
    fps: float = 0.0
    video_codec: str | None = None
    pix_fmt: str | None = None
    rotation: int = 0  # clockwise degrees a player applies (0/90/180/270)
    sar: tuple[int, int] = (1, 1)  # sample (pixel) aspect ratio: 64:45 for 16:9 PAL SD, 4:3 for HDV 1440x1080
    interlaced: bool = False  # the stream says its fields are interlaced (top or bottom first)
    hdr: str | None = None  # the transfer of HDR video: "smpte2084" (PQ, HDR10) or "arib-std-b67" (HLG)
    audio_codec: str | None = None
    sample_rate: int | None = None
    channels: str | None = None
    bitrate_kbps: int | None = None
    streams: int = 0  # every stream in the file (video, audio, subtitle, data...)

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as shown: non-square pixels widened or narrowed to square ones (a 720x576 16:9 PAL
        frame is 1024x576), then turned by the rotation metadata."""
        w = self.width
        if self.sar != (1, 1) and self.sar[0] > 0 and self.sar[1] > 0:
            w = round(self.width * self.sar[0] / self.sar[1])
        if self.rotation in (90, 270):
            return self.height, w
        return w, self.height


_DURATION = re.compile(r"Duration: (?:(\d+):(\d+):(\d+(?:\.\d+)?)|N/A)(?:, start: [-\d.]+)?, bitrate: (?:(\d+) kb/s|N/A)")
_INPUT = re.compile(r"^Input #0, ([^,]+(?:,[^ ,][^,]*)*?), from")
_STREAM = re.compile(r"Stream #0:(\d+)[^:]*: (Video|Audio|Subtitle|Data|Attachment): (.*)$")
_SIZE = re.compile(r"(?<![\dx])(\d{2,5})x(\d{2,5})(?![\dx])")
_FPS = re.compile(r"([\d.]+)(k?) fps")
_TBR = re.compile(r"([\d.]+)(k?) tbr")
_CONTEXT = re.compile(r"^\[[^\]]*\]\s*")  # "[in#0 @ 0x55...] "
_ROT = re.compile(r"rotation of (-?[\d.]+) degrees", re.IGNORECASE)
_SAR = re.compile(r"\[SAR (\d+):(\d+) DAR \d+:\d+\]")
_HDR = re.compile(r"\([^()]*/(smpte2084|arib-std-b67)[,)]")  # "yuv420p10le(tv, bt2020nc/bt2020/arib-std-b67, ...)"
_FIELDS = re.compile(r"\((?:[^()]*, )?(?:top|bottom)(?: coded)? first")  # "yuv420p(tv, top first)"


def parse_probe(text: str, path: str = "") -> MediaInfo:
    """Turn `ffmpeg -i` stderr into MediaInfo (first video and first audio stream)."""
    fmt = ""
    duration: float | None = None
    bitrate: int | None = None
    info: dict[str, object] = {}
    current: str | None = None
    for line in text.splitlines():
        s = line.strip()
        m = _INPUT.match(s)
        if m:
            fmt = m.group(1)
            continue
        m = _DURATION.search(s)
        if m and duration is None:
            if m.group(1) is not None:
                duration = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
            bitrate = int(m.group(4)) if m.group(4) else None
            continue
        m = _STREAM.search(s)
        if m:
            info["streams"] = int(info.get("streams", 0)) + 1  # type: ignore[call-overload]
            kind, rest = m.group(2), m.group(3)
            current = None
            if kind == "Video" and "video_codec" not in info and "(attached pic)" not in rest:
                current = "video"
                info.update(_video_stream(rest))
            elif kind == "Audio" and "audio_codec" not in info:
                info.update(_audio_stream(rest))
            continue
        if current == "video":
            rm = _ROT.search(s)
            if rm:
                # ffmpeg prints the display matrix's counter-clockwise angle; players rotate clockwise by -angle
                info["rotation"] = int(round(-float(rm.group(1)))) % 360
    return MediaInfo(path=path, format=fmt, duration=duration, bitrate_kbps=bitrate, **info)  # type: ignore[arg-type]


def _video_stream(rest: str) -> dict[str, object]:
    """A video stream line after "Video: ": codec, pixel format, size, pixel aspect, fields, frame rate."""
    info: dict[str, object] = {"video_codec": rest.split()[0].rstrip(",")}
    pm = re.match(r"[^,]+, ([a-z0-9_]+)", rest)
    if pm:
        info["pix_fmt"] = pm.group(1)
    sm = _SIZE.search(rest)
    if sm:
        info["width"], info["height"] = int(sm.group(1)), int(sm.group(2))
    sar = _SAR.search(rest)
    if sar and int(sar.group(1)) > 0 and int(sar.group(2)) > 0:
        info["sar"] = (int(sar.group(1)), int(sar.group(2)))
    info["interlaced"] = bool(_FIELDS.search(rest))
    hdr = _HDR.search(rest)
    if hdr:
        info["hdr"] = hdr.group(1)
    fm = _FPS.search(rest) or _TBR.search(rest)
    if fm:
        info["fps"] = float(fm.group(1)) * (1000 if fm.group(2) else 1)
    return info


def _audio_stream(rest: str) -> dict[str, object]:
    """An audio stream line after "Audio: ": codec, sample rate, channel layout."""
    info: dict[str, object] = {"audio_codec": rest.split()[0].rstrip(",")}
    hz = re.search(r"(\d+) Hz", rest)
    if hz:
        info["sample_rate"] = int(hz.group(1))
    ch = re.search(r"Hz, ([^,]+),", rest)
    if ch:
        info["channels"] = ch.group(1)
    return info


def probe(path: Path, *, exe: str, timeout: float = 60.0) -> MediaInfo:
    """Probe a file; MediaError names the file and the problem when it is not usable media."""
    if not path.is_file():
        raise MediaError("file not found", path=path, remedy="check the path in story.toml or the story folder")
    if path.stat().st_size == 0:
        raise MediaError("file is empty", path=path, remedy="copy the file again from its source")
    result = run([exe, "-hide_banner", "-nostdin", *file_input(path)], timeout=timeout, check=False,
                 what="ffmpeg probe", path=path)
    text = result.stderr
    if "Input #0" not in text:
        lines = [_CONTEXT.sub("", ln).strip() for ln in text.splitlines() if ln.strip()]
        specific = [ln for ln in lines if not ln.lower().startswith(("error opening input", "error reading header"))]
        reason = specific[0] if specific else (lines[-1] if lines else "unreadable")
        if "misdetection possible" in text or "Format not on whitelist" in text \
                or reason.endswith(("Invalid data found when processing input", "Invalid argument")):
            reason = ("ffmpeg does not recognise it as a video container (MP4/MOV, MKV/WebM, MXF, AVI, MPEG-TS/PS, "
                      "ASF, FLV, DV): it is probably not a video file")
        elif "moov atom not found" in text:
            reason = "the MP4 index (moov atom) is missing: the file is truncated or still being copied"
        elif "End of file" in text or "reached eof" in text:
            reason = f"the file ends early: it is truncated or still being copied ({reason})"
        raise MediaError(f"not readable as media: {reason}", path=path,
                         remedy="re-export or re-copy the file; check it plays in a media player")
    return parse_probe(text, str(path))


def require_video(info: MediaInfo, path: Path) -> None:
    """Refuse inputs that are not a video segment (a JPEG named .mp4, a text file, audio only)."""
    if not info.has_video or info.format in _NOT_VIDEO_FORMATS or (info.video_codec or "") in _NOT_VIDEO_CODECS:
        what = info.video_codec or info.format or "no video stream"
        raise MediaError(f"not a video (ffmpeg reads it as {what})", path=path,
                         remedy="give the story's video segment (MP4, MOV, MXF, MKV...)")
    if info.duration is None or info.duration < 0.2:
        raise MediaError("video has no usable duration", path=path, remedy="re-export the video segment")
    if info.width < 16 or info.height < 16:
        raise MediaError(f"video frame is too small ({info.width}x{info.height})", path=path)


def check_video_limits(info: MediaInfo, path: Path, settings: Settings) -> None:
    """Refuse a video over the size, length or stream limits of `settings`, from its probe alone (before any
    decode): an 8192x8192 clip of a few hundred KB costs gigabytes to render, and a header claiming ten hours
    would plan ten hours."""
    w, h = info.width, info.height
    checks = [
        (w > settings.max_video_width, f"video is {w}x{h}", f"{settings.max_video_width}-pixel width",
         "max_video_width"),
        (h > settings.max_video_height, f"video is {w}x{h}", f"{settings.max_video_height}-pixel height",
         "max_video_height"),
        (w * h > settings.max_video_pixels, f"video frame is {w}x{h} = {w * h:,} pixels",
         f"{settings.max_video_pixels:,}-pixel", "max_video_pixels"),
        ((info.duration or 0) > settings.max_video_seconds, f"video header says it lasts {info.duration or 0:,.0f} s",
         f"{settings.max_video_seconds:,.0f}-second", "max_video_seconds"),
        (info.streams > settings.max_video_streams, f"video file has {info.streams} streams",
         f"{settings.max_video_streams}-stream", "max_video_streams"),
    ]
    for over, what, limit, setting in checks:
        if over:
            raise over_limit(MediaError, what, limit, setting, path=path)
