"""The analysis pass as ffmpeg sees it: the filter graph (built as data) and the parsers of its
stderr (silencedetect, ebur128, scdet). Parsers are pure and tested on text.

One ffmpeg run reads the file once: the audio is cheap to decode; the video is decoded without
B-frames and without the deblocking filter and scaled down to a thumbnail before scdet, since
cuts show at any size.
"""

from __future__ import annotations

import re
from pathlib import Path

import ffmpeg  # ffmpeg-python: argv as data

from videonews.errors import MediaError
from videonews.ffmpeg.probe import MediaInfo
from videonews.ffmpeg.runner import FILE_ONLY, file_url
from videonews.models import Loudness, LoudnessPoint, Segment
from videonews.settings import Settings

_SIL_START = re.compile(r"silence_start: (-?[\d.]+)")
_SIL_END = re.compile(r"silence_end: (-?[\d.]+)")
_SCD = re.compile(r"lavfi\.scd\.score: ([\d.]+), lavfi\.scd\.time: ([\d.]+)")
_EBU_FRAME = re.compile(r"\bt: ([\d.]+)\s+TARGET:.*?M:\s*(\S+)\s+S:\s*(\S+)")
_NUM = r"(-?(?:[\d.]+|inf))"


def parse_silences(stderr: str, duration: float) -> list[Segment]:
    out: list[Segment] = []
    start: float | None = None
    for line in stderr.splitlines():
        m = _SIL_START.search(line)
        if m:
            start = max(0.0, float(m.group(1)))
            continue
        m = _SIL_END.search(line)
        if m and start is not None:
            out.append(Segment(start=start, end=min(duration, float(m.group(1)))))
            start = None
    if start is not None and start < duration:
        out.append(Segment(start=start, end=duration))
    return out


def speech_from_silences(silences: list[Segment], duration: float, min_speech: float = 0.15) -> list[Segment]:
    """The complement of the silences inside [0, duration], dropping clicks shorter than min_speech."""
    speech: list[Segment] = []
    t = 0.0
    for s in sorted(silences, key=lambda s: s.start):
        if s.start - t >= min_speech:
            speech.append(Segment(start=round(t, 3), end=round(s.start, 3)))
        t = max(t, s.end)
    if duration - t >= min_speech:
        speech.append(Segment(start=round(t, 3), end=round(duration, 3)))
    return speech


def parse_scdet(stderr: str, *, min_gap: float = 0.25) -> list[float]:
    cuts: list[float] = []
    for line in stderr.splitlines():
        m = _SCD.search(line)
        if m:
            t = float(m.group(2))
            if t > 0 and (not cuts or t - cuts[-1] >= min_gap):
                cuts.append(round(t, 3))
    return cuts


def _f(value: str) -> float | None:
    try:
        v = float(value)
    except ValueError:
        return None
    if v != v or v in (float("inf"), float("-inf")) or v <= -70:
        return None
    return v


class _Every:
    """Lets a time through when `step` seconds have passed since the last one it let through."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.next_t = 0.0

    def __call__(self, t: float) -> bool:
        if t + 1e-6 < self.next_t:
            return False
        self.next_t = t + self.step
        return True


_ASTATS = re.compile(r"\] (?:Channel: (\d+)|RMS level dB: (-?inf|-?[\d.]+))")
ONE_SIDED_DB = 40.0  # a side this much quieter than the other is a silent input, not a mix


def parse_sides(stderr: str) -> list[float]:
    """Each channel's RMS level (dBFS, -inf for digital silence) from astats, in channel order."""
    levels: list[float] = []
    for m in _ASTATS.finditer(stderr):
        if m.group(2) is not None:
            levels.append(float(m.group(2)))
    return levels


def one_sided(levels: list[float]) -> int | None:
    """The live channel (0 left, 1 right) of a stereo track whose other side is silent, else None."""
    if len(levels) != 2:
        return None
    loud = max(range(2), key=lambda i: levels[i])
    if levels[loud] > -60.0 and levels[loud] - levels[1 - loud] >= ONE_SIDED_DB:
        return loud
    return None


def parse_ebur128(stderr: str, *, step: float = 0.5) -> Loudness:
    series: list[LoudnessPoint] = []
    due = _Every(step)
    summary_at = stderr.rfind("Summary:")
    frames = stderr if summary_at < 0 else stderr[:summary_at]
    for line in frames.splitlines():
        m = _EBU_FRAME.search(line)
        if m and due(float(m.group(1))):
            series.append(LoudnessPoint(t=round(float(m.group(1)), 2), momentary=_f(m.group(2)),
                                        short_term=_f(m.group(3))))
    loud = Loudness(series=series)
    if summary_at >= 0:
        summary = stderr[summary_at:]
        m = re.search(r"I:\s+" + _NUM + r" LUFS\s+Threshold:\s+" + _NUM, summary)
        if m:
            loud.integrated, loud.threshold = _f(m.group(1)), _f(m.group(2))
        m = re.search(r"LRA:\s+" + _NUM + " LU", summary)
        if m:
            loud.lra = _f(m.group(1))
        m = re.search(r"Peak:\s+" + _NUM + " dBFS", summary)
        if m:
            loud.true_peak = float(m.group(1)) if m.group(1) not in ("inf", "-inf") else None
    return loud


SPEECH_RATE = 16000  # Hz: what the speech analysis listens to


LOOK_FPS = 2  # frames a second kept for planning social crops (only when social versions are asked for)
LOOK_WIDTH = 480
LOOK_PATTERN = "look_%05d.png"


# the sound every output carries: 5.1 and other surround layouts mixed down to stereo, mono kept mono
WEB_LAYOUTS = "stereo|mono"


def analysis_argv(exe: str, video: Path, info: MediaInfo, settings: Settings, *, pcm: Path | None = None,
                  audio: bool = True, video_pass: bool = True, frames_dir: Path | None = None) -> list[str]:
    """The analysis pass: audio filters on the audio (and, when `pcm` is given, the audio as 16 kHz
    mono 16-bit PCM for the speech analysis), scdet on a small copy of the video. `audio` and
    `video_pass` choose the halves, which the build runs as two processes so that the speech
    recogniser can work while the cuts are measured; each half decodes only its own stream.

    B-frames are skipped: a cut's first frame is an I or P frame in encoders that detect scene
    changes (x264, x265, hardware encoders), so cut times stay exact at about a third of the decode
    cost; so are the deblocking filter and bit-exact decoding (`-flags2 fast`), which a 160 px copy
    does not need. The render pass runs scdet on every frame again and the build re-plans if the exact cuts
    differ (see videonews.pipeline).
    """
    # one decoding thread: the cuts run beside the speech stage, and frame threads cost CPU there (about 15%)
    src = ffmpeg.input(file_url(video), skip_frame="bidir", skip_loop_filter="all", flags2="fast", threads=1,
                       **FILE_ONLY)
    outputs = []
    if audio and info.has_audio:
        # measured as the outputs carry it (explicitly: the 16 kHz mono branch would otherwise pull it to mono)
        sound = src["a:0"].filter("aformat", channel_layouts="mono" if info.channels == "mono" else "stereo")
        if pcm is not None:
            split = sound.filter_multi_output("asplit", 2)
            sound = split[0]
            mono = split[1].filter("aformat", sample_fmts="s16", sample_rates=SPEECH_RATE, channel_layouts="mono")
            outputs.append(ffmpeg.output(mono, str(pcm), format="s16le", acodec="pcm_s16le"))
        sound = (sound.filter("silencedetect", n=f"{settings.silence_db:g}dB", d=f"{settings.silence_min:g}")
                 .filter("ebur128", peak="true", framelog="info"))
        if info.channels != "mono":  # each side's level: a microphone on one input only leaves the other silent
            sound = sound.filter("astats", measure_perchannel="RMS_level", measure_overall="none")
        outputs.append(ffmpeg.output(sound, "-", format="null"))
    if video_pass:
        v = src["v:0"]
        if frames_dir is not None:
            # social versions are asked for: their crops are planned on these (subject and faces per shot)
            both = v.filter_multi_output("split", 2)
            v = both[0]
            look = (both[1].filter("fps", fps=LOOK_FPS, start_time=0, round="up")
                    .filter("scale", LOOK_WIDTH, -2, flags="area"))
            outputs.append(ffmpeg.output(look, f"{frames_dir}/{LOOK_PATTERN}", vcodec="png", compression_level=1,
                                         fps_mode="passthrough"))
        small = (v.filter("scale", 160, -2, flags="fast_bilinear")
                 .filter("scdet", threshold=f"{settings.scene_threshold:g}"))
        outputs.append(ffmpeg.output(small, "-", format="null"))
    if not outputs:
        raise ValueError("nothing to analyse: no audio stream and no video pass asked for")
    argv: list[str] = ffmpeg.merge_outputs(*outputs).compile(cmd=exe, overwrite_output=True)
    return [argv[0], "-hide_banner", "-nostdin", *argv[1:]]


def check_integrity(stderr: str, video: Path) -> None:
    lowered = stderr.lower()
    if "partial file" in lowered or "moov atom not found" in lowered or "file ended prematurely" in lowered:
        raise MediaError("video is truncated (its data ends early)", path=video,
                         remedy="copy the file again from its source, or re-export it")


class ThinnedLog:
    """The analysis' stderr, kept whole but for the loudness meter's 10 lines a second, which are
    thinned to the plotted step as they arrive (an hour of video stays a few thousand lines)."""

    def __init__(self, step: float = 0.5) -> None:
        self.lines: list[str] = []
        self.due = _Every(step)

    def __call__(self, line: str) -> None:
        m = _EBU_FRAME.search(line)
        if m is None or self.due(float(m.group(1))):
            self.lines.append(line)

    def text(self) -> str:
        return "\n".join(self.lines)
