"""Synthetic narrated news packages with ground truth: reporter voice-over, soundbites, cuts, music.

    reel = make_newsreel(tmp / "reel", [
        Seg("vo", "The summit opened on Wednesday.", "en-us+m3"),
        Seg("bite", "We will protect the rights of citizens.", "en+f2"),
        Seg("bite", "我们应该尊重网络主权", "cmn", lang="cmn"),
        Seg("bite", "he was not an ill disposed young man", "reader", audio=Path("speech.wav")),
    ], exe=ffmpeg_exe(), music_db=18)

Each segment is spoken by espeak-ng (``-s 165``; deterministic; recorded once per line as Opus in
``$VIDEONEWS_TEST_VOICES`` so later runs need no espeak-ng; Mandarin: voice ``cmn`` reads
Chinese characters, ``cmn-latn-pinyin`` reads pinyin) or, when ``audio`` names a WAV file, taken
from that recording (real speech; ``text`` is its transcript). Segments are trimmed
to their audible extent, levelled to the same loudness and joined with ``gap`` seconds of
pause; ``reel.segments`` holds where each one's speech starts and ends. The video is a
sequence of lavfi test patterns with a hard cut in the pause at every soundbite boundary and
one inside the first voice-over segment long enough to hold one (``reel.cuts``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
from pydantic import BaseModel

from videonews.ffmpeg import run

RATE = 16000  # the mix is built at the analysis rate; the AAC track is encoded at 48 kHz
ESPEAK_SPEED = 165  # words per minute
VOICES_ENV = "VIDEONEWS_TEST_VOICES"  # folder of recorded lines (see _segment_audio)
SPEECH_RMS = 0.1  # every segment is levelled to this RMS over its loud frames (-20 dBFS)
# flat colours of clearly different brightness: scdet measures luma, and a cut it cannot see is no test
_SOURCES = ("testsrc2", "smptebars", "rgbtestsrc", "testsrc", "color=c=0x204060", "color=c=0xc08850")

Kind = Literal["vo", "bite"]


class Seg(NamedTuple):
    kind: Kind
    text: str
    voice: str  # an espeak-ng voice (en-us+m3, en+f2, cmn...), or a label when audio is given
    lang: str = "en"
    audio: Path | None = None  # a WAV recording (16-bit PCM, any rate) to splice instead of espeak-ng


class SegmentTruth(BaseModel):
    index: int
    kind: Kind
    voice: str
    lang: str
    text: str
    start: float  # seconds: first audible sample of the segment
    end: float  # seconds: last audible sample


class Newsreel(BaseModel):
    video: Path  # H.264 + AAC mp4
    audio: Path  # the exact 16 kHz mono mix that was encoded (WAV)
    duration: float
    width: int
    height: int
    fps: int
    music_db: float | None
    segments: list[SegmentTruth]
    cuts: list[float]  # hard cuts, seconds (on frame boundaries)


def make_newsreel(
    out_dir: Path,
    segments: Sequence[Seg | tuple[str, ...]],
    *,
    exe: str,
    width: int = 320,
    height: int = 180,
    fps: int = 25,
    music_db: float | None = None,
    gap: float = 0.6,
    seed: int = 0,
) -> Newsreel:
    """Write ``video.mp4`` and ``speech.wav`` into out_dir; music_db: a music bed that many dB below the speech."""
    segs = [s if isinstance(s, Seg) else Seg(*s) for s in segments]  # type: ignore[arg-type]  # plain tuples
    if not segs:
        raise ValueError("a newsreel needs at least one segment")
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    clips = [_level(_trim(_segment_audio(s, out_dir / f"seg{i}.wav", exe))) for i, s in enumerate(segs)]

    lead = tail = 0.5
    starts: list[int] = []
    pos = int(lead * RATE)
    for clip in clips:
        starts.append(pos)
        pos += len(clip) + int(gap * RATE)
    frames = int(np.ceil((pos - int(gap * RATE) + tail * RATE) / RATE * fps))
    mix = np.zeros(frames * RATE // fps, dtype=np.float64)
    for s0, clip in zip(starts, clips, strict=True):
        mix[s0:s0 + len(clip)] += clip
    if music_db is not None:
        mix += _music(len(mix), rng) * SPEECH_RMS * 10 ** (-music_db / 20)
    mix /= max(1.0, float(np.abs(mix).max()) / 0.95)

    truth = [
        SegmentTruth(index=i, kind=s.kind, voice=s.voice, lang=s.lang, text=s.text,
                     start=round(s0 / RATE, 3), end=round((s0 + len(c)) / RATE, 3))
        for i, (s, s0, c) in enumerate(zip(segs, starts, clips, strict=True))
    ]
    cuts = _cuts(truth, fps)
    audio = out_dir / "speech.wav"
    _write_wav(audio, mix)
    video = out_dir / "video.mp4"
    _mux(exe, video, audio, cuts, frames, width, height, fps, rng)
    return Newsreel(video=video, audio=audio, duration=frames / fps, width=width, height=height, fps=fps,
                    music_db=music_db, segments=truth, cuts=cuts)


def read_pcm(media: Path, exe: str, *, rate: int = RATE) -> np.ndarray:
    """Decode a media file's audio to mono int16 PCM at `rate` (as the analysis pass does)."""
    fd, name = tempfile.mkstemp(suffix=".s16")  # a private file: two processes may read one recording
    os.close(fd)
    raw = Path(name)
    try:
        run([exe, "-hide_banner", "-loglevel", "error", "-y", "-i", str(media), "-vn", "-ac", "1", "-ar", str(rate),
             "-f", "s16le", str(raw)], what="ffmpeg (decode audio)", path=media)
        return np.fromfile(raw, dtype="<i2")
    finally:
        raw.unlink(missing_ok=True)


def line_key(seg: Seg) -> str:
    """The name a spoken line is recorded under: what espeak-ng is asked to say, and how."""
    return hashlib.sha256(f"espeak-ng\0{seg.voice}\0{ESPEAK_SPEED}\0{seg.text}".encode()).hexdigest()[:24]


def _segment_audio(seg: Seg, scratch: Path, exe: str) -> np.ndarray:
    """The segment's speech at RATE, float in [-1, 1].

    Spoken lines come from the recordings in $VIDEONEWS_TEST_VOICES (`<line_key>.opus`) when there is
    one, so that tests need no espeak-ng; otherwise espeak-ng speaks the line and, when that folder is
    set, the line is recorded there (Opus, 16 kHz mono) for the next run and for machines without it.
    """
    if seg.audio is not None:
        return _read_wav(seg.audio)
    library = os.environ.get(VOICES_ENV)
    recording = Path(library) / f"{line_key(seg)}.opus" if library else None
    if recording is not None and recording.is_file():
        return read_pcm(recording, exe).astype(np.float64) / 32768
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        where = f" and {recording} is not recorded" if recording else ""
        raise FileNotFoundError(f"espeak-ng is not installed{where}: install espeak-ng (Debian package "
                                f"espeak-ng) to speak {seg.text[:40]!r}")
    text_file = scratch.with_suffix(".txt")
    text_file.write_text(seg.text, encoding="utf-8")
    try:
        run([espeak, "-v", seg.voice, "-s", str(ESPEAK_SPEED), "-w", str(scratch), "-f", str(text_file)],
            what="espeak-ng")
        if recording is not None:
            recording.parent.mkdir(parents=True, exist_ok=True)
            run([exe, "-hide_banner", "-loglevel", "error", "-y", "-i", str(scratch), "-ac", "1", "-ar", str(RATE),
                 "-c:a", "libopus", "-b:a", "32k", "-map_metadata", "-1", "-fflags", "+bitexact",
                 "-flags:a", "+bitexact", str(recording)], what="ffmpeg (record a line)", path=recording)
            return read_pcm(recording, exe).astype(np.float64) / 32768  # the same sound as from the recording
        return _read_wav(scratch)
    finally:
        text_file.unlink(missing_ok=True)
        scratch.unlink(missing_ok=True)


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: only 16-bit PCM WAV is supported")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768
        data = data.reshape(-1, w.getnchannels()).mean(axis=1)
        return _resample(data, w.getframerate(), RATE)


def _resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Band-limited resampling of a whole clip through its spectrum (exact for a few seconds of audio)."""
    if src == dst or len(x) == 0:
        return x
    n_out = round(len(x) * dst / src)
    spectrum = np.fft.rfft(x)[: n_out // 2 + 1]
    return np.fft.irfft(spectrum, n_out) * (n_out / len(x))


def _trim(x: np.ndarray) -> np.ndarray:
    """Cut leading and trailing quiet so the truth marks audible speech: 10 ms frames more than 40 dB
    under the loudest, or within 15 dB of the recording's noise floor, do not count."""
    db = 20 * np.log10(np.sqrt((x[: len(x) // 160 * 160].reshape(-1, 160) ** 2).mean(axis=1)) + 1e-9)
    if len(db) == 0 or db.max() < -80:
        raise ValueError("a segment has no audible speech")
    loud = np.flatnonzero(db > max(db.max() - 40, float(np.percentile(db, 10)) + 15))
    return x[loud[0] * 160:(loud[-1] + 1) * 160]


def _level(x: np.ndarray) -> np.ndarray:
    """Scale to SPEECH_RMS over the 10 ms frames within 30 dB of the loudest (pauses do not count)."""
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    rms = np.sqrt((frames**2).mean(axis=1))
    loud = rms[rms > rms.max() * 10 ** (-30 / 20)] if len(rms) else np.array([1.0])
    return x * (SPEECH_RMS / float(np.sqrt((loud**2).mean())))


def _music(n: int, rng: np.random.Generator) -> np.ndarray:
    """A music bed at unit RMS: an arpeggio (eighth notes, 120 bpm) over a sustained chord, chords changing per bar."""
    roots = rng.permutation([0, 5, 7, 9])  # semitones above A3: a pop progression in a seeded order
    t = np.arange(n) / RATE
    out = np.zeros(n)
    step = int(0.25 * RATE)
    for k, s0 in enumerate(range(0, n, step)):
        root = int(roots[(k // 8) % 4])
        chord = [220 * 2 ** ((root + iv) / 12) for iv in (0, 4, 7)]
        seg = slice(s0, min(n, s0 + step))
        local = t[seg] - t[s0]
        note = chord[k % 3] * (2 if k % 4 == 3 else 1)
        out[seg] += np.exp(-local * 6) * sum(a * np.sin(2 * np.pi * note * h * t[seg]) for h, a in ((1, 1), (2, .4), (3, .2)))
        out[seg] += 0.3 * sum(np.sin(2 * np.pi * f / 2 * t[seg]) for f in chord)
    return out / float(np.sqrt((out**2).mean()))


def _cuts(truth: list[SegmentTruth], fps: int) -> list[float]:
    """Cuts in the pause at each soundbite boundary and one mid-way through the first voice-over of 2 s or more."""
    times = [(a.end + b.start) / 2 for a, b in zip(truth, truth[1:], strict=False) if "bite" in (a.kind, b.kind)]
    long_vo = next((s for s in truth if s.kind == "vo" and s.end - s.start >= 2), None)
    if long_vo is not None:
        times.append((long_vo.start + long_vo.end) / 2)
    return sorted({round(round(t * fps) / fps, 3) for t in times})


def _write_wav(path: Path, x: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.round(x * 32767).astype("<i2").tobytes())


def _mux(exe: str, video: Path, audio: Path, cuts: list[float], frames: int, width: int, height: int, fps: int,
         rng: np.random.Generator) -> None:
    """H.264 (ultrafast) shots joined by hard cuts at `cuts`, with the mix as AAC."""
    bounds = [0, *(round(c * fps) for c in cuts), frames]
    order = rng.permutation(len(_SOURCES))
    args = [exe, "-hide_banner", "-loglevel", "error", "-y"]
    for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
        src = _SOURCES[int(order[i % len(_SOURCES)])]
        sep = ":" if "=" in src else "="
        args += ["-f", "lavfi", "-i", f"{src}{sep}s={width}x{height}:r={fps}:d={(b - a) / fps}"]
    n = len(bounds) - 1
    chain = "".join(f"[{i}:v]format=yuv420p,setsar=1[v{i}];" for i in range(n))
    chain += "".join(f"[v{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0[v]"
    args += ["-i", str(audio), "-filter_complex", chain, "-map", "[v]", "-map", f"{n}:a",
             "-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-g", str(2 * fps),
             "-c:a", "aac", "-b:a", "64k", "-ar", "48000", "-movflags", "+faststart", str(video)]
    run(args, what="ffmpeg (newsreel)", path=video)
