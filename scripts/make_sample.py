#!/usr/bin/env python3
"""Build the bundled sample story ``assets/sample/wuzhen/`` (deterministic).

    python scripts/make_sample.py                 # (re)build assets/sample/wuzhen/
    python scripts/make_sample.py --verify        # ... and check it with silencedetect + scdet

What it writes (into ``--out``, default ``assets/sample/wuzhen``):

* ``article.txt``   the seed article, copied byte for byte from ``--seed``
  (default ``/work/shared/seed/wuzhen-article.txt``); if the seed is absent the
  existing copy in the output folder (or the committed sample) is kept.
* ``video.mp4``     a stand-in for the CCTV segment, edited as a TV news package: H.264 High
  yuv420p (BT.709), 25 fps, AAC mono 48 kHz 64 kb/s, faststart, opening with a 1 s fade from
  black.  The sound (espeak-ng) is a reporter's voice-over (``en-us+f3``) reading the article's
  own sentences between three soundbites: Liu Yunshan's first quote *in Mandarin* (``cmn``; the
  article carries it in English, as CCTV's English report did), his second in English
  (``en+m1``), and Jack Ma's (``en-gb+m2``).  Segments are joined by 0.8 s pauses; the mix is
  normalised with ``loudnorm=I=-23:TP=-2:LRA=11`` (two-pass, linear) over a room tone at about
  -62 dBFS RMS, so ``silencedetect=noise=-35dB:d=0.5`` finds exactly the pauses.  The pictures are
  procedurally painted, text-free, photograph-like scenes (conference stage, microphone
  close-up for the soundbites; Wuzhen canal at dusk, skyline, audience under the voice-over) with
  a slow pan/zoom done per frame in numpy/Pillow, a hard cut in every pause between voice-over
  and soundbite, cuts every ~5.5 s under the voice-over, and a cutaway inside each long soundbite.
* ``photo.jpg``     "The 3rd World Internet Conference opens in Wuzhen": a
  painted conference hall, 1600x1067, JPEG q85, no EXIF/credit metadata.
* ``story.toml``    the story description the pipeline reads.
* ``timeline.json`` the ground truth used: each segment (voice-over or soundbite, speaker,
  voice, language, quote number, start/end), expected silences, cut times/frames, shots, fade,
  loudness.

Benchmark variants (same structure, written elsewhere; ``--out`` is required as
soon as a size/length flag is given, so ``assets/`` is never overwritten by a
variant):

    python scripts/make_sample.py --out /tmp/bench1080 --width 1920 --height 1080 --seconds 60
    python scripts/make_sample.py --out /tmp/bench10m --width 1920 --height 1080 --seconds 600 --preset veryfast
    python scripts/make_sample.py --out /tmp/double --duration-scale 2

With ``--seconds N`` / ``--duration-scale S`` the segments repeat in order while they fit and
the rest is silent tail.

Needs: numpy, Pillow, imageio-ffmpeg (ffmpeg with libx264/aac/loudnorm; or set
VIDEONEWS_FFMPEG) and the ``espeak-ng`` binary (Debian package ``espeak-ng``).
Same inputs + same tool versions -> same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "assets" / "sample" / "wuzhen"
DEFAULT_SEED = Path("/work/shared/seed/wuzhen-article.txt")

FPS = 25
FADE_IN_S = 1.0
LEAD_S = 1.5
GAP_S = 0.8  # pause between a voice-over segment and a soundbite (an edit point)
TAIL_S = 1.5
TTS_SPEED = 170
MANDARIN_SPEED = 230  # espeak-ng's cmn voice is slow at the English rate
TTS_RATE = 22050
AUDIO_RATE = 48000
MAX_INNER_PAUSE_S = 0.35
LIMIT_CEILING = 0.7  # peak limiter on the raw TTS before loudness normalisation
ROOM_TONE_DBFS = -62.0
LOUDNORM = {"I": -23.0, "TP": -2.0, "LRA": 11.0}
SILENCE_DB = -35.0
SILENCE_MIN_S = 0.5
CUT_GUARD_S = 0.5  # cuts inside a segment stay at least this far from its start/end
BROLL_SHOT_S = 5.5  # voice-over is covered by shots of about this length
CUTAWAY_AFTER_S = 12.0  # a soundbite longer than this gets a cutaway in its middle
VIDEO_GRAIN = 0.5  # grain of the video scenes relative to the photo's (it costs bits)
MARGIN = 1.3  # scenes are painted this much larger than the frame, for pan/zoom

REPORTER = "en-us+f3"  # the CCTV reporter's voice-over
# Liu Yunshan's first soundbite as aired: in Mandarin (the article carries it in English)
LIU_IN_MANDARIN = ("我们应该把尊重网络主权作为一项基本原则，维护各国在网络空间发展、参与和治理方面的平等权利。"
                   "我们应该增加新兴市场国家和发展中国家的代表性和发言权。"
                   "我们不应搞网络霸权，不应单边决策，也不应只由少数几方作出决定。")
# The package as edited: the reporter reads the article's own sentences between the soundbites.
# ("vo", text) or ("bite", quote number, voice, language, spoken text or None for the quote itself)
NEWS = [
    ("vo", "The third World Internet Conference in east China's Zhejiang province has just got underway. "
           "A top conference that no single internet-tycoon in China would miss."),
    ("bite", 1, "cmn", "cmn", LIU_IN_MANDARIN),
    ("vo", "Liu says the Chinese government is willing to work with the international community. "
           "He added cyber security is a global issue that no country can ignore."),
    ("bite", 2, "en+m1", "en", None),
    ("vo", "Internet-related industries have also become a key growth engine for China's economy."),
    ("bite", 3, "en-gb+m2", "en", None),
    ("vo", "The Chinese government has been advocating massive campaigns to integrate traditional sectors like "
           "manufacturing and agriculture, as well as service sectors with the booming internet industries."),
]
VOICES = {"reporter": REPORTER, "Liu Yunshan": "cmn (soundbite 1), en+m1 (soundbite 2)", "Jack Ma": "en-gb+m2"}

# Shot lengths (s) cycled to place the cuts; scenes cycled in this order.
SHOT_PATTERN = [9.6, 12.2, 10.8, 8.4, 11.6, 10.2, 12.8, 9.2]
SCENE_ORDER = ["stage", "closeup", "crowd", "skyline", "town"]  # chosen so neighbours differ a lot (scdet)
# Camera move per scene.  "pan": the frame is a 1:1 crop of the painted scene that slides by whole pixels
# (`velocity` px/frame at 1280 wide, scaled with the width; `start` = fraction of the free margin), which
# keeps the picture sharp and cheap to encode.  "zoom": a slow push-in, resampled each frame.  On every
# second pass through SCENE_ORDER the moves run mirrored (pan the other way, pull out instead of in).
MOVES = {
    "stage": {"kind": "pan", "start": [0.08, 0.55], "velocity": [1.0, 0.0]},
    "closeup": {"kind": "zoom", "zoom": [1.0, 1.12], "center": [0.42, 0.45]},
    "crowd": {"kind": "pan", "start": [0.05, 0.15], "velocity": [1.0, 0.0]},
    "skyline": {"kind": "pan", "start": [0.92, 0.50], "velocity": [-1.0, 0.0]},
    "town": {"kind": "pan", "start": [0.95, 0.45], "velocity": [-1.0, 0.0]},
}


def move_for(scene: str, shot_index: int) -> dict:
    move = json.loads(json.dumps(MOVES[scene]))
    if (shot_index // len(SCENE_ORDER)) % 2:
        if move["kind"] == "pan":
            move["start"][0] = 1.0 - move["start"][0]
            move["velocity"] = [-v for v in move["velocity"]]
        else:
            move["zoom"] = move["zoom"][::-1]
    return move


# --------------------------------------------------------------------------- tools


def ffmpeg_exe() -> str:
    env = os.environ.get("VIDEONEWS_FFMPEG")
    if env:
        return env
    try:
        import imageio_ffmpeg
    except ImportError:
        found = shutil.which("ffmpeg")
        if found:
            return found
        sys.exit("make_sample: needs imageio-ffmpeg (pip install imageio-ffmpeg) or VIDEONEWS_FFMPEG")
    return imageio_ffmpeg.get_ffmpeg_exe()


def espeak_exe() -> str:
    for _ in range(3):
        found = shutil.which("espeak-ng")
        if found:
            return found
        time.sleep(2)
    sys.exit("make_sample: espeak-ng not found (apt-get install -y espeak-ng)")


def run(argv: list[str], **kw) -> subprocess.CompletedProcess:
    res = subprocess.run(argv, capture_output=True, **kw)
    if res.returncode != 0:
        err = res.stderr.decode("utf-8", "replace") if isinstance(res.stderr, bytes) else res.stderr
        sys.exit(f"make_sample: command failed ({res.returncode}): {argv[0]} {' '.join(argv[1:8])} ...\n{err[-3000:]}")
    return res


# --------------------------------------------------------------------------- article


@dataclass
class QuoteText:
    index: int
    text: str  # as printed inside the quote marks (trailing comma dropped)
    speaker: str

    @property
    def spoken(self) -> str:
        t = self.text.replace("\u201c", "").replace("\u201d", "")
        return t.replace("\u2019", "'").replace("\u2018", "'")


QUOTE_RE = re.compile(r'^"(?P<q>[^"\n]+?),?"\s*,?\s*said\s+(?P<who>[A-Z][\w.\- ]+?)\.\s*$', re.M)


def extract_quotes(article: str) -> list[QuoteText]:
    out = [QuoteText(i + 1, m.group("q").strip().rstrip(","), m.group("who").strip())
           for i, m in enumerate(QUOTE_RE.finditer(article))]
    if not out:
        sys.exit("make_sample: no direct quotes found in the article")
    return out


def place_article(seed: Path, out: Path) -> bytes:
    dest = out / "article.txt"
    if seed.is_file():
        data = seed.read_bytes()
        if not dest.is_file() or dest.read_bytes() != data:
            dest.write_bytes(data)
        return data
    if dest.is_file():
        print(f"make_sample: seed {seed} absent, keeping {dest}")
        return dest.read_bytes()
    committed = DEFAULT_OUT / "article.txt"
    if committed.is_file():
        print(f"make_sample: seed {seed} absent, copying {committed}")
        data = committed.read_bytes()
        dest.write_bytes(data)
        return data
    sys.exit(f"make_sample: seed article {seed} not found and no existing copy")


# --------------------------------------------------------------------------- audio


def read_wav_mono(path: Path) -> tuple[np.ndarray, int]:
    import wave

    with wave.open(str(path), "rb") as w:
        rate, n, ch, sw = w.getframerate(), w.getnframes(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(n)
    if sw != 2:
        sys.exit(f"make_sample: unexpected wav sample width {sw}")
    a = np.frombuffer(raw, np.int16).astype(np.float32) / 32768.0
    if ch > 1:
        a = a.reshape(-1, ch).mean(axis=1)
    return a, rate


def silent_runs(x: np.ndarray, thresh: float, min_len: int) -> list[tuple[int, int]]:
    """Runs [start, end) of |x| < thresh that are at least min_len samples long."""
    quiet = np.abs(x) < thresh
    if not quiet.any():
        return []
    d = np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return [(int(s), int(e)) for s, e in zip(starts, ends, strict=True) if e - s >= min_len]


def limit(x: np.ndarray, ceiling: float, window: int) -> np.ndarray:
    """Brick-wall peak limiter (centred sliding max, smoothed gain); keeps |x| <= ceiling."""
    half = window // 2
    env = np.lib.stride_tricks.sliding_window_view(np.pad(np.abs(x), half), 2 * half + 1).max(axis=1)
    gain = np.minimum(1.0, ceiling / np.maximum(env, 1e-9)).astype(np.float32)
    gain = _box(gain, half, 0)
    return (x * gain).astype(np.float32)


def synth(espeak: str, text: str, voice: str, tmp: Path, tag: str, speed: int = TTS_SPEED) -> np.ndarray:
    wav = tmp / f"{tag}.wav"
    run([espeak, "-v", voice, "-s", str(speed), "-w", str(wav), text])
    a, rate = read_wav_mono(wav)
    if rate != TTS_RATE:
        sys.exit(f"make_sample: espeak-ng wrote {rate} Hz, expected {TTS_RATE}")
    loud = np.flatnonzero(np.abs(a) >= 1e-3)
    a = a[loud[0]: loud[-1] + 1]
    # cap long pauses inside the quote so each quote is one stretch of speech
    keep = int(MAX_INNER_PAUSE_S * rate)
    pieces, pos = [], 0
    for s, e in silent_runs(a, 1e-3, keep + 1):
        mid = s + keep // 2
        pieces.append(a[pos:mid])
        pos = e - (keep - keep // 2)
    pieces.append(a[pos:])
    # tame espeak's few full-scale peaks so loudnorm can use a plain linear gain
    return limit(np.concatenate(pieces), LIMIT_CEILING, int(0.005 * rate))


def loudnorm_json(stderr: str) -> dict:
    blocks = re.findall(r"\{[^{}]*\}", stderr)
    if not blocks:
        sys.exit("make_sample: loudnorm printed no JSON")
    return json.loads(blocks[-1])


def normalise(ff: str, speech: np.ndarray, rate: int, tmp: Path) -> tuple[np.ndarray, dict]:
    raw = tmp / "speech.f32"
    speech.astype("<f4").tofile(raw)
    target = "I={I:g}:TP={TP:g}:LRA={LRA:g}".format(**LOUDNORM)
    src = ["-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", str(raw)]
    p1 = run([ff, "-hide_banner", "-nostats", *src, "-af", f"loudnorm={target}:print_format=json", "-f", "null", "-"],
             text=True)
    m = loudnorm_json(p1.stderr)
    second = (f"loudnorm={target}:measured_I={m['input_i']}:measured_TP={m['input_tp']}"
              f":measured_LRA={m['input_lra']}:measured_thresh={m['input_thresh']}"
              f":offset={m['target_offset']}:linear=true:print_format=json,aresample={AUDIO_RATE}")
    out = tmp / "speech_norm.f32"
    p2 = run([ff, "-hide_banner", "-nostats", "-y", *src, "-af", second, "-f", "f32le", "-ar", str(AUDIO_RATE),
              "-ac", "1", str(out)], text=True)
    info = loudnorm_json(p2.stderr)
    if info.get("normalization_type") != "linear":
        print(f"make_sample: note: loudnorm fell back to {info.get('normalization_type')} mode")
    return np.fromfile(out, "<f4").astype(np.float32), info


def measure_lufs(ff: str, audio: np.ndarray, rate: int, tmp: Path) -> float:
    raw = tmp / "final.f32"
    audio.astype("<f4").tofile(raw)
    p = run([ff, "-hide_banner", "-nostats", "-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", str(raw),
             "-af", "loudnorm=I=-23:TP=-2:LRA=11:print_format=json", "-f", "null", "-"], text=True)
    return float(loudnorm_json(p.stderr)["input_i"])


def room_tone(n: int, rate: int, rng: np.random.Generator) -> np.ndarray:
    white = rng.standard_normal(n).astype(np.float32)
    # gentle low-pass (air handling rumble) by a one-pole filter done in blocks via cumsum-free loop on a
    # decimated signal, then linear interpolation back up: cheap and deterministic
    step = 48
    coarse = rng.standard_normal(n // step + 2).astype(np.float32)
    for i in range(1, coarse.size):
        coarse[i] = 0.9 * coarse[i - 1] + 0.1 * coarse[i] * 4
    rumble = np.interp(np.arange(n) / step, np.arange(coarse.size), coarse).astype(np.float32)
    tone = rumble + 0.25 * white
    tone /= float(np.sqrt(np.mean(tone**2)))
    return tone * (10 ** (ROOM_TONE_DBFS / 20))


@dataclass
class SpeechPlan:
    audio: np.ndarray  # float32 mono at AUDIO_RATE, full length
    duration: float
    speech: list[dict]
    silences: list[dict]
    detected: list[dict]
    loudnorm: dict
    lufs: float


def segment_clips(quotes: list[QuoteText], tmp: Path) -> list[dict]:
    """Every segment of NEWS spoken: the reporter's voice-over and the soundbites."""
    espeak = espeak_exe()
    by_number = {q.index: q for q in quotes}
    clips = []
    for n, seg in enumerate(NEWS):
        if seg[0] == "vo":
            clips.append({"kind": "vo", "speaker": "reporter", "voice": REPORTER, "lang": "en", "quote": None,
                          "text": seg[1], "audio": synth(espeak, seg[1], REPORTER, tmp, f"s{n}")})
            continue
        _, number, voice, lang, spoken = seg
        q = by_number[number]
        said = spoken or q.spoken
        clips.append({"kind": "bite", "speaker": q.speaker, "voice": voice, "lang": lang, "quote": number,
                      "text": said, "audio": synth(espeak, said, voice, tmp, f"s{n}",
                                                   MANDARIN_SPEED if lang == "cmn" else TTS_SPEED)})
    return clips


def build_audio(ff: str, quotes: list[QuoteText], seconds: float | None, scale: float | None,
                tmp: Path) -> SpeechPlan:
    clips = segment_clips(quotes, tmp)
    if seconds is not None:
        # a variant of a given length: voice-over and soundbites alternate, shortest soundbites first,
        # so that even 30 s holds captions to burn in (the benchmark compares against a burn-in)
        vo = [c for c in clips if c["kind"] == "vo"]
        bites = sorted((c for c in clips if c["kind"] == "bite"), key=lambda c: len(c["audio"]))
        clips = [c for pair in zip(vo, [*bites, None], strict=False) for c in pair if c is not None] + vo[len(bites) + 1:]
    natural = LEAD_S + sum(len(c["audio"]) / TTS_RATE for c in clips) + GAP_S * (len(clips) - 1) + TAIL_S
    if seconds is None and scale is not None:
        seconds = natural * scale
    # lay the segments out in order (cycling through them again when a longer variant asks for it)
    t = LEAD_S
    layout = []
    k = 0
    while True:
        if seconds is None:
            if k >= len(clips):
                break
        else:
            fits = [j for j in range(len(clips))
                    if t + len(clips[(k + j) % len(clips)]["audio"]) / TTS_RATE + TAIL_S <= seconds + 1e-9]
            if not fits:
                break
            k += fits[0]
        clip = clips[k % len(clips)]
        layout.append((clip, t))
        t += len(clip["audio"]) / TTS_RATE + GAP_S
        k += 1
    end_speech = (t - GAP_S) if layout else LEAD_S
    total = seconds if seconds is not None else end_speech + TAIL_S
    frames = int(math.ceil(round(total * FPS, 6)))
    duration = frames / FPS
    n_tts = int(round(duration * TTS_RATE))
    speech = np.zeros(n_tts, np.float32)
    rows = []
    for clip, start in layout:
        i0 = int(round(start * TTS_RATE))
        speech[i0: i0 + len(clip["audio"])] = clip["audio"]
        rows.append({k: v for k, v in clip.items() if k != "audio"}
                    | {"start": round(i0 / TTS_RATE, 3), "end": round((i0 + len(clip["audio"])) / TTS_RATE, 3)})
    norm, info = normalise(ff, speech, TTS_RATE, tmp)
    n = int(round(duration * AUDIO_RATE))
    norm = np.pad(norm, (0, max(0, n - norm.size)))[:n]
    rng = np.random.default_rng(20161116)
    audio = (norm + room_tone(n, AUDIO_RATE, rng)).astype(np.float32)
    peak = float(np.max(np.abs(audio)))
    if peak > 0.99:
        audio *= 0.99 / peak
    # expected pauses = the gaps around the speech; check them the way silencedetect would
    edges = [0.0] + [v for r in rows for v in (r["start"], r["end"])] + [duration]
    silences = [{"start": round(a, 3), "end": round(b, 3)} for a, b in zip(edges[::2], edges[1::2], strict=True)
                if b - a >= SILENCE_MIN_S]
    runs = silent_runs(audio, 10 ** (SILENCE_DB / 20), int(SILENCE_MIN_S * AUDIO_RATE))
    detected = [{"start": round(s / AUDIO_RATE, 3), "end": round(e / AUDIO_RATE, 3)} for s, e in runs]
    if len(detected) != len(silences) or any(abs(a["start"] - b["start"]) > 0.15 or abs(a["end"] - b["end"]) > 0.15
                                             for a, b in zip(detected, silences, strict=False)):
        sys.exit(f"make_sample: pause check failed\n expected {silences}\n detected {detected}")
    lufs = measure_lufs(ff, audio, AUDIO_RATE, tmp)
    return SpeechPlan(audio, duration, rows, silences, detected, info, lufs)


# --------------------------------------------------------------------------- painting helpers


def vgrad(h: int, w: int, stops: list[tuple[float, tuple[float, float, float]]]) -> np.ndarray:
    ys = (np.arange(h, dtype=np.float32) + 0.5) / h
    pos = [p for p, _ in stops]
    cols = np.array([c for _, c in stops], np.float32)
    col = np.stack([np.interp(ys, pos, cols[:, k]) for k in range(3)], -1).astype(np.float32)
    return np.broadcast_to(col[:, None, :], (h, w, 3)).copy()


def hgrad(h: int, w: int, stops: list[tuple[float, tuple[float, float, float]]]) -> np.ndarray:
    return vgrad(w, h, stops).transpose(1, 0, 2).copy()


def radial(h: int, w: int, cx: float, cy: float, rx: float, ry: float | None = None) -> np.ndarray:
    ry = ry or rx
    y = ((np.arange(h, dtype=np.float32) + 0.5 - cy) / ry)[:, None]
    x = ((np.arange(w, dtype=np.float32) + 0.5 - cx) / rx)[None, :]
    return np.exp(-(x * x + y * y)).astype(np.float32)


def _box(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    if r < 1:
        return a
    n = a.shape[axis]
    pad = [(0, 0)] * a.ndim
    pad[axis] = (r + 1, r)
    c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis, dtype=np.float64)
    hi = np.take(c, np.arange(2 * r + 1, 2 * r + 1 + n), axis=axis)
    lo = np.take(c, np.arange(0, n), axis=axis)
    return ((hi - lo) / (2 * r + 1)).astype(np.float32)


def blur(a: np.ndarray, sigma: float, axes: tuple[int, ...] = (0, 1)) -> np.ndarray:
    """Approximate gaussian blur (three box passes) of an HxW or HxWxC float array."""
    r = int(round(sigma))
    if r < 1:
        return a.astype(np.float32)
    out = a.astype(np.float32)
    # very wide blurs: work on a downscaled copy
    if r > 24 and min(a.shape[:2]) > 64:
        f = r / 12
        h, w = a.shape[:2]
        sh, sw = max(2, int(h / f)), max(2, int(w / f))
        small = resize_f(out, sw, sh)
        small = blur(small, 12, axes)
        return resize_f(small, w, h)
    for _ in range(3):
        for ax in axes:
            out = _box(out, r, ax)
    return out


def resize_f(a: np.ndarray, w: int, h: int, resample=Image.BILINEAR) -> np.ndarray:
    if a.ndim == 2:
        return np.asarray(Image.fromarray(a.astype(np.float32)).resize((w, h), resample), np.float32)
    return np.stack([resize_f(a[..., k], w, h, resample) for k in range(a.shape[2])], -1)


def noise(rng: np.random.Generator, h: int, w: int, cell: float, octaves: int = 4, persistence: float = 0.5,
          aspect: float = 1.0) -> np.ndarray:
    """Fractal value noise in ~[0, 1]; `aspect` > 1 stretches features horizontally."""
    out = np.zeros((h, w), np.float32)
    amp, tot = 1.0, 0.0
    for o in range(octaves):
        c = max(cell / 2**o, 2.0)
        gh, gw = max(2, int(h / c) + 2), max(2, int(w / (c * aspect)) + 2)
        g = rng.random((gh, gw), dtype=np.float32)
        out += amp * resize_f(g, w, h, Image.BICUBIC)
        tot += amp
        amp *= persistence
    return out / tot


class Layer:
    """A 2x-supersampled drawing surface; `mask()` / `rgba()` give antialiased float arrays."""

    def __init__(self, w: int, h: int, mode: str = "RGBA", ss: int = 2):
        self.w, self.h, self.ss, self.mode = w, h, ss, mode
        self.im = Image.new(mode, (w * ss, h * ss), 0 if mode == "L" else (0, 0, 0, 0))
        self.d = ImageDraw.Draw(self.im)

    def _fill(self, fill):
        if self.mode == "L":
            return int(round(255 * fill)) if isinstance(fill, float) else fill
        c = [int(round(255 * min(max(v, 0.0), 1.0))) for v in fill]
        return tuple(c + [255] * (4 - len(c)))

    def poly(self, pts, fill):
        self.d.polygon([(x * self.ss, y * self.ss) for x, y in pts], fill=self._fill(fill))

    def ellipse(self, x0, y0, x1, y1, fill):
        self.d.ellipse([x0 * self.ss, y0 * self.ss, x1 * self.ss, y1 * self.ss], fill=self._fill(fill))

    def rect(self, x0, y0, x1, y1, fill):
        x0, x1 = sorted((x0 * self.ss, x1 * self.ss))
        y0, y1 = sorted((y0 * self.ss, y1 * self.ss))
        self.d.rectangle([x0, y0, max(x0, x1 - 1), max(y0, y1 - 1)], fill=self._fill(fill))

    def line(self, pts, fill, width):
        self.d.line([(x * self.ss, y * self.ss) for x, y in pts], fill=self._fill(fill),
                    width=max(1, int(round(width * self.ss))), joint="curve")

    def circle_outline(self, cx, cy, rx, ry, fill, width):
        self.d.ellipse([(cx - rx) * self.ss, (cy - ry) * self.ss, (cx + rx) * self.ss, (cy + ry) * self.ss],
                       outline=self._fill(fill), width=max(1, int(round(width * self.ss))))

    def mask(self) -> np.ndarray:
        return np.asarray(self.im.resize((self.w, self.h), Image.BOX), np.float32) / 255.0

    def rgba(self) -> tuple[np.ndarray, np.ndarray]:
        a = np.asarray(self.im.convert("RGBa").resize((self.w, self.h), Image.BOX), np.float32) / 255.0
        return a[..., :3], a[..., 3]


def over(img: np.ndarray, prem: np.ndarray, alpha: np.ndarray) -> None:
    img *= 1.0 - alpha[..., None]
    img += prem


def paint(img: np.ndarray, m: np.ndarray, col, alpha: float = 1.0) -> None:
    mm = (m * alpha)[..., None]
    img *= 1.0 - mm
    img += np.asarray(col, np.float32) * mm


def add_light(img: np.ndarray, m: np.ndarray, col, k: float = 1.0) -> None:
    img += (m * k)[..., None] * np.asarray(col, np.float32)


def glow(img: np.ndarray, m: np.ndarray, col, sigma: float, k: float, core: float = 1.0) -> None:
    """Additive light: a sharp core plus a soft halo."""
    add_light(img, blur(m, sigma), col, k)
    if core:
        add_light(img, m, col, core)


def vignette(img: np.ndarray, k: float = 0.35) -> None:
    h, w, _ = img.shape
    y = ((np.arange(h, dtype=np.float32) + 0.5) / h * 2 - 1)[:, None]
    x = ((np.arange(w, dtype=np.float32) + 0.5) / w * 2 - 1)[None, :]
    r2 = np.clip((x * x * 0.8 + y * y) / 1.8, 0, 1)
    img *= (1.0 - k * r2**1.3)[..., None]


def finish(img: np.ndarray, rng: np.random.Generator, grain: float = 0.010, bloom: float = 0.35) -> np.ndarray:
    h, w, _ = img.shape
    s = w / 1600
    bright = np.clip(img - 0.75, 0, None)
    img = img + blur(bright, 18 * s) * bloom
    img = np.clip(img, 0, None)
    img = img / (1 + 0.25 * np.clip(img - 0.8, 0, None))  # soft shoulder for highlights
    # gentle S-curve
    img = np.clip(img, 0, 1)
    img = img + 0.12 * img * (1 - img) * (img - 0.5) * 4 * 0.5
    g = rng.standard_normal((h, w)).astype(np.float32)
    g = _box(_box(g, 1, 0), 1, 1) * 3.0  # slightly clumpy grain, unit-ish variance
    lum = img.mean(axis=2, keepdims=True)
    img = img + g[..., None] * grain * (0.5 + 0.8 * np.sqrt(lum) * (1.2 - lum))
    return (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)


def reflect(img: np.ndarray, wl: int, rng: np.random.Generator, s: float, dark: float = 0.55,
            tint=(0.85, 0.92, 1.05), amp: float = 5.0) -> None:
    """Mirror everything above row `wl` into the water below it, with ripples."""
    h, w, _ = img.shape
    d = np.arange(h - wl, dtype=np.float32)
    src_y = np.clip(wl - 1 - d * 1.0, 0, wl - 1).astype(np.int64)
    depth = d / max(1, h - wl)
    ph1, ph2 = rng.random(2) * 6.283
    off = amp * s * (0.4 + 2.2 * depth) * (np.sin(d * 0.23 / s + ph1) + 0.6 * np.sin(d * 0.071 / s + ph2))
    wob = noise(rng, h - wl, w, cell=40 * s, octaves=2, aspect=6.0)
    xs = np.arange(w, dtype=np.float32)[None, :] + off[:, None] + (wob - 0.5) * amp * 3 * s * (0.5 + depth[:, None])
    xs = np.clip(xs, 0, w - 1).astype(np.int64)
    refl = img[src_y[:, None], xs]
    refl = blur(refl, 1.5 * s, axes=(1,))
    refl = blur(refl, 3.0 * s, axes=(0,))
    streak = noise(rng, h - wl, w, cell=12 * s, octaves=3, aspect=12.0)
    refl *= (dark * (0.8 + 0.4 * streak))[..., None] * np.asarray(tint, np.float32)
    img[wl:] = refl


def poly_circle(cx, cy, rx, ry, a0=0.0, a1=2 * math.pi, n=48):
    return [(cx + rx * math.cos(a0 + (a1 - a0) * i / n), cy + ry * math.sin(a0 + (a1 - a0) * i / n))
            for i in range(n + 1)]


# --------------------------------------------------------------------------- scenes


def screen_art(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """An LED backdrop: blue gradient, light ribbons, a network and a wireframe globe (no text)."""
    s = w / 1100
    img = hgrad(h, w, [(0, (0.02, 0.07, 0.26)), (0.45, (0.05, 0.24, 0.62)), (1, (0.02, 0.09, 0.32))])
    img *= vgrad(h, w, [(0, (0.7, 0.7, 0.8)), (0.6, (1.0, 1.0, 1.0)), (1, (0.8, 0.85, 0.9))])
    add_light(img, radial(h, w, 0.40 * w, 0.55 * h, 0.35 * w, 0.45 * h), (0.10, 0.30, 0.55), 0.9)
    lines = Layer(w, h, "L")
    for k in range(9):
        pts = [(x, h * (0.70 + 0.10 * math.sin(x / w * 5.0 + k * 0.35) + 0.012 * k - 0.04 * math.sin(x / w * 2.1)))
               for x in np.linspace(-10, w + 10, 80)]
        lines.line(pts, 0.55 + 0.05 * k, 1.6 * s)
    m = lines.mask()
    glow(img, m, (0.25, 0.75, 1.0), 6 * s, 1.6, 0.7)
    net = Layer(w, h, "L")
    nodes = np.column_stack([rng.uniform(0.03, 0.55, 46) * w, rng.uniform(0.08, 0.62, 46) * h])
    for i in range(len(nodes)):
        for j in range(i + 1, len(nodes)):
            if np.hypot(*(nodes[i] - nodes[j])) < 0.13 * w:
                net.line([tuple(nodes[i]), tuple(nodes[j])], 0.35, 1.0 * s)
    for x, y in nodes:
        r = rng.uniform(2, 4.5) * s
        net.ellipse(x - r, y - r, x + r, y + r, 1.0)
    m = net.mask()
    glow(img, m, (0.45, 0.85, 1.0), 5 * s, 1.8, 0.8)
    cx, cy, r = 0.74 * w, 0.42 * h, 0.33 * h
    disk = Layer(w, h, "L")
    disk.ellipse(cx - r, cy - r, cx + r, cy + r, 1.0)
    add_light(img, blur(disk.mask(), 3 * s), (0.05, 0.18, 0.35), 1.0)
    globe = Layer(w, h, "L")
    for k in range(-5, 6):
        rx = r * abs(math.cos(k * math.pi / 12))
        globe.circle_outline(cx, cy, max(rx, 1), r, 0.8, 1.1 * s)
    for k in range(-4, 5):
        yy = cy + r * math.sin(k * math.pi / 10)
        half = r * math.cos(k * math.pi / 10)
        globe.line([(cx - half, yy), (cx + half, yy)], 0.8, 1.1 * s)
    globe.circle_outline(cx, cy, r, r, 1.0, 2.0 * s)
    m = globe.mask()
    glow(img, m, (0.5, 0.9, 1.0), 7 * s, 1.4, 0.6)
    stars = Layer(w, h, "L")
    for _ in range(140):
        x, y, rr = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.6, 1.8) * s
        stars.ellipse(x - rr, y - rr, x + rr, y + rr, float(rng.uniform(0.2, 1.0)))
    glow(img, stars.mask(), (0.7, 0.9, 1.0), 3 * s, 1.0, 0.6)
    # LED cabinet seams
    seam = np.ones((h, w), np.float32)
    for x in np.linspace(0, w, 25)[1:-1]:
        seam[:, int(x)] *= 0.82
    for y in np.linspace(0, h, 9)[1:-1]:
        seam[int(y), :] *= 0.82
    img *= seam[..., None]
    return img


def audience(img: np.ndarray, rng: np.random.Generator, rows: int, y_far: float, y_near: float,
             size_far: float, size_near: float, rim=(0.35, 0.5, 0.9), rim_k: float = 0.55,
             blurs=(0.0, 0.0, 0.0), light: float = 1.0, phones: float = 0.01) -> None:
    """Rows of seated people seen from behind (far rows first), drawn in three depth bands."""
    h, w, _ = img.shape
    hair = [((0.04, 0.04, 0.05), 0.55), ((0.09, 0.07, 0.06), 0.18), ((0.30, 0.30, 0.31), 0.12),
            ((0.16, 0.15, 0.15), 0.10), ((0.45, 0.33, 0.27), 0.05)]
    suits = [((0.05, 0.05, 0.07), 0.35), ((0.08, 0.09, 0.14), 0.25), ((0.13, 0.13, 0.14), 0.2),
             ((0.20, 0.19, 0.18), 0.08), ((0.55, 0.55, 0.57), 0.05), ((0.25, 0.08, 0.08), 0.04),
             ((0.35, 0.30, 0.25), 0.03)]

    def pick(table):
        r, acc = rng.random(), 0.0
        for col, p in table:
            acc += p
            if r <= acc:
                return col
        return table[0][0]

    bands = [Layer(w, h) for _ in range(3)]
    lights = Layer(w, h, "L")
    rim = np.asarray(rim, np.float32)
    for row in range(rows):
        t = row / max(1, rows - 1)
        y = y_far + (y_near - y_far) * t**1.35
        hs = size_far + (size_near - size_far) * t
        lay = bands[min(2, int(t * 3))]
        x = -rng.uniform(0, 2) * hs
        shade = light * (0.75 + 0.5 * (1 - t))
        while x < w + 2 * hs:
            x += hs * rng.uniform(1.55, 2.1)
            if rng.random() < 0.06:  # empty seat
                continue
            hx = x + rng.normal(0, 0.12) * hs
            hy = y + rng.normal(0, 0.10) * hs
            hw, hh = hs * rng.uniform(0.85, 1.05), hs * rng.uniform(1.1, 1.3)
            sw = hs * rng.uniform(2.3, 2.9)
            suit = np.asarray(pick(suits)) * shade
            hcol = np.asarray(pick(hair)) * shade
            rimc = tuple(np.clip(suit * 0.5 + rim * rim_k * shade, 0, 1))
            # shoulders with a rim of stage light on top
            lay.ellipse(hx - sw / 2, hy + 0.30 * hs - 0.05 * hs, hx + sw / 2, hy + 2.6 * hs, rimc)
            lay.ellipse(hx - sw / 2, hy + 0.30 * hs + 0.06 * hs, hx + sw / 2, hy + 2.7 * hs, tuple(suit))
            # neck/collar
            lay.rect(hx - 0.22 * hw, hy - 0.1 * hs, hx + 0.22 * hw, hy + 0.42 * hs,
                     tuple(np.asarray((0.20, 0.15, 0.12)) * shade))
            lay.poly([(hx - 0.45 * hw, hy + 0.33 * hs), (hx + 0.45 * hw, hy + 0.33 * hs), (hx, hy + 0.55 * hs)],
                     tuple(suit * 0.7))
            rimh = tuple(np.clip(hcol * 0.5 + rim * rim_k * shade, 0, 1))
            lay.ellipse(hx - hw / 2, hy - hh - 0.05 * hs, hx + hw / 2, hy - 0.02 * hs, rimh)
            lay.ellipse(hx - hw / 2, hy - hh + 0.05 * hs, hx + hw / 2, hy + 0.02 * hs, tuple(hcol))
            if rng.random() < 0.18:  # head turned: a bit of cheek and ear
                side = 1 if rng.random() < 0.5 else -1
                skin = tuple(np.asarray((0.42, 0.31, 0.25)) * shade)
                cx = hx + side * hw * 0.30
                lay.ellipse(cx - hw * 0.20, hy - hh * 0.55, cx + hw * 0.20, hy - hh * 0.02, skin)
            if rng.random() < phones and t > 0.2:
                px, py = hx + rng.uniform(-0.6, 0.6) * hs, hy - hh - rng.uniform(0.2, 0.9) * hs
                lights.rect(px - 0.15 * hs, py - 0.27 * hs, px + 0.15 * hs, py + 0.27 * hs, 0.55)
    tex = noise(rng, h, w, 0.004 * w, octaves=2)
    for lay, b in zip(bands, blurs, strict=True):
        prem, a = lay.rgba()
        prem = prem * (0.8 + 0.4 * tex[..., None])
        if b > 0:
            prem, a = blur(prem, b), blur(a, b)
        over(img, prem, a)
    glow(img, lights.mask(), (0.7, 0.82, 1.0), 5 * w / 1600, 0.7, 0.8)


def beams(img: np.ndarray, rng: np.random.Generator, xs, top: float, bottom: float, spread: float, col,
          k: float, haze_cell: float) -> None:
    h, w, _ = img.shape
    s = w / 1600
    lay = Layer(w, h, "L")
    for x in xs:
        lean = rng.uniform(-0.5, 0.5) * spread
        lay.poly([(x - 3 * s, top), (x + 3 * s, top), (x + lean + spread, bottom), (x + lean - spread, bottom)],
                 float(rng.uniform(0.5, 1.0)))
    m = blur(lay.mask(), 14 * s)
    hz = noise(rng, h, w, haze_cell, octaves=3)
    yfade = np.clip((np.arange(h, dtype=np.float32)[:, None] - top) / max(1.0, bottom - top), 0, 1)
    add_light(img, m * (0.5 + hz) * (1.0 - 0.6 * yfade), col, k)


def scene_stage(w: int, h: int, rng: np.random.Generator, grain: float = 1.0) -> np.ndarray:
    s = w / 1600
    img = vgrad(h, w, [(0, (0.02, 0.025, 0.05)), (0.55, (0.035, 0.04, 0.07)), (0.75, (0.03, 0.03, 0.045)),
                       (1, (0.015, 0.015, 0.02))])
    hz = noise(rng, h, w, 0.25 * w, octaves=3)
    img += (hz[..., None] - 0.5) * np.asarray((0.03, 0.035, 0.06), np.float32)
    x0, x1, y0, y1 = int(0.13 * w), int(0.87 * w), int(0.10 * h), int(0.57 * h)
    scr = screen_art(x1 - x0, y1 - y0, rng)
    full = np.zeros_like(img)
    full[y0:y1, x0:x1] = scr
    # side screens showing a soft blue picture
    for sx0, sx1 in ((0.012, 0.105), (0.895, 0.988)):
        a0, a1, b0, b1 = int(sx0 * w), int(sx1 * w), int(0.15 * h), int(0.38 * h)
        small = resize_f(blur(scr, 6 * s), a1 - a0, b1 - b0) * 0.85
        full[b0:b1, a0:a1] = small
    img += blur(full, 70 * s) * 0.55 + blur(full, 20 * s) * 0.25
    m = np.zeros((h, w), np.float32)
    m[full.sum(-1) > 0] = 1
    img[:] = img * (1 - m[..., None]) + full * m[..., None]
    # cabinet frame
    frame = Layer(w, h, "L")
    frame.rect(x0 - 6 * s, y0 - 6 * s, x1 + 6 * s, y0, 1.0)
    frame.rect(x0 - 6 * s, y1, x1 + 6 * s, y1 + 6 * s, 1.0)
    paint(img, frame.mask(), (0.03, 0.03, 0.04))
    # stage: dark glossy floor reflecting the screen, LED strip on the front edge
    f0, f1, f2 = int(0.60 * h), int(0.70 * h), int(0.755 * h)
    img[y1 + int(6 * s):f0] = img[y1 + int(6 * s):f0] * 0.5 + np.asarray((0.02, 0.02, 0.03), np.float32)
    floor = vgrad(f1 - f0, w, [(0, (0.05, 0.05, 0.07)), (1, (0.08, 0.08, 0.10))])
    refl = resize_f(blur(scr[::-1], 5 * s), x1 - x0, f1 - f0) * 0.22
    floor[:, x0:x1] += refl
    img[f0:f1] = floor
    img[f1:f2] = vgrad(f2 - f1, w, [(0, (0.03, 0.03, 0.05)), (1, (0.012, 0.012, 0.02))])
    strip = Layer(w, h, "L")
    strip.rect(0, f1 - 1.5 * s, w, f1 + 2.5 * s, 1.0)
    glow(img, strip.mask(), (0.35, 0.45, 1.0), 10 * s, 0.9, 0.9)
    # flowers along the stage front
    fl = Layer(w, h)
    palette = [(0.80, 0.12, 0.16), (0.92, 0.72, 0.18), (0.90, 0.88, 0.84), (0.88, 0.38, 0.55), (0.95, 0.5, 0.15)]
    for _ in range(int(900 * s) + 300):
        x = rng.uniform(0.02, 0.98) * w
        y = f1 - rng.uniform(-0.004, 0.03) * h
        r = rng.uniform(2.5, 6) * s
        if rng.random() < 0.45:
            fl.ellipse(x - r * 1.5, y - r, x + r * 1.5, y + r, (0.05, 0.16 + rng.uniform(0, 0.08), 0.06))
        else:
            c = np.asarray(palette[int(rng.integers(len(palette)))]) * rng.uniform(0.45, 0.8)
            fl.ellipse(x - r, y - r, x + r, y + r, tuple(c))
    prem, a = fl.rgba()
    over(img, prem, a)
    # podium with a speaker behind it
    px = 0.30 * w
    pod = Layer(w, h)
    bw, tw, ptop = 0.036 * w, 0.044 * w, 0.465 * h
    # speaker
    head_cy, hr = 0.395 * h, 0.0125 * w
    pod.poly([(px - 0.040 * w, ptop + 2 * s), (px - 0.034 * w, 0.425 * h), (px - 0.012 * w, 0.413 * h),
              (px + 0.012 * w, 0.413 * h), (px + 0.034 * w, 0.425 * h), (px + 0.040 * w, ptop + 2 * s)],
             (0.05, 0.05, 0.07))
    pod.poly([(px - 0.006 * w, 0.413 * h), (px + 0.006 * w, 0.413 * h), (px, 0.445 * h)], (0.75, 0.75, 0.78))
    pod.poly([(px - 0.0015 * w, 0.418 * h), (px + 0.0015 * w, 0.418 * h), (px + 0.002 * w, 0.44 * h),
              (px - 0.002 * w, 0.44 * h)], (0.45, 0.08, 0.10))
    pod.ellipse(px - hr, head_cy - hr * 1.25, px + hr, head_cy + hr * 1.25, (0.06, 0.05, 0.05))
    pod.ellipse(px - hr * 0.92, head_cy - hr * 0.85, px + hr * 0.92, head_cy + hr * 1.25, (0.40, 0.29, 0.23))
    pod.ellipse(px - hr * 0.55, head_cy - hr * 0.5, px + hr * 0.75, head_cy + hr * 1.1, (0.50, 0.37, 0.30))
    pod.rect(px - 0.0045 * w, head_cy + hr * 0.8, px + 0.0045 * w, 0.416 * h, (0.42, 0.31, 0.26))
    prem, a = pod.rgba()
    over(img, prem, a)
    # lectern: wood with a vertical grain, lit from the left
    lec = Layer(w, h, "L")
    lec.poly([(px - tw, ptop), (px + tw, ptop), (px + bw, f1 - 4 * s), (px - bw, f1 - 4 * s)], 1.0)
    wood = vgrad(h, w, [(0, (0.42, 0.25, 0.13)), (0.5, (0.33, 0.19, 0.10)), (0.7, (0.18, 0.10, 0.06))])
    grain_t = noise(rng, h, w, 0.004 * w, octaves=2, aspect=0.1)
    wood *= (0.85 + 0.3 * grain_t)[..., None]
    xx = (np.arange(w, dtype=np.float32)[None, :] - px) / tw
    wood *= np.clip(1.05 - 0.45 * xx**2 - 0.15 * xx, 0.4, 1.2)[..., None]
    paint(img, lec.mask(), wood)
    lip = Layer(w, h, "L")
    lip.rect(px - tw - 4 * s, ptop - 3 * s, px + tw + 4 * s, ptop + 4 * s, 1.0)
    paint(img, lip.mask(), (0.50, 0.32, 0.18))
    emb = Layer(w, h, "L")
    ey = ptop + 0.08 * h
    for rr, wd in ((0.016 * w, 2.2 * s), (0.011 * w, 1.4 * s)):
        emb.circle_outline(px, ey, rr, rr, 1.0, wd)
    emb.line([(px - 0.011 * w, ey), (px + 0.011 * w, ey)], 1.0, 1.2 * s)
    emb.circle_outline(px, ey, 0.0055 * w, 0.011 * w, 1.0, 1.2 * s)
    paint(img, emb.mask(), (0.85, 0.68, 0.30), 0.85)
    mic = Layer(w, h, "L")
    mic.line([(px - 0.006 * w, ptop), (px - 0.003 * w, 0.43 * h), (px + 0.003 * w, 0.418 * h)], 1.0, 1.4 * s)
    paint(img, mic.mask(), (0.08, 0.08, 0.09))
    # truss and spots
    truss = Layer(w, h, "L")
    truss.rect(0, 0.015 * h, w, 0.032 * h, 1.0)
    paint(img, truss.mask(), (0.06, 0.06, 0.07))
    fx = np.linspace(0.06, 0.94, 12) * w + rng.uniform(-10, 10, 12) * s
    beams(img, rng, fx[::2], 0.03 * h, f1, 0.06 * w, (0.95, 0.88, 0.75), 0.10, 0.15 * w)
    spots = Layer(w, h, "L")
    for x in fx:
        r = 4.5 * s
        spots.ellipse(x - r, 0.032 * h - r, x + r, 0.032 * h + r, 1.0)
    glow(img, spots.mask(), (1.0, 0.92, 0.8), 9 * s, 2.5, 1.0)
    # key light on the speaker
    add_light(img, radial(h, w, px, 0.43 * h, 0.06 * w, 0.08 * h), (0.5, 0.42, 0.32), 0.22)
    # out-of-focus audience heads in the foreground
    audience(img, rng, rows=3, y_far=0.90 * h, y_near=1.02 * h, size_far=0.032 * w, size_near=0.05 * w,
             rim=(0.25, 0.35, 0.8), rim_k=0.5, blurs=(5 * s, 7 * s, 9 * s), light=0.55, phones=0.02)
    vignette(img, 0.45)
    return finish(img, rng, grain=0.011 * grain)


def scene_town(w: int, h: int, rng: np.random.Generator, grain: float = 1.0) -> np.ndarray:
    """Wuzhen at dusk: white houses with dark tile roofs along a canal, a stone arch bridge, reflections."""
    s = w / 1600
    wl = int(0.62 * h)
    img = vgrad(h, w, [(0, (0.08, 0.12, 0.30)), (0.22, (0.22, 0.25, 0.48)), (0.42, (0.62, 0.46, 0.55)),
                       (0.56, (0.98, 0.66, 0.42)), (0.62, (1.0, 0.74, 0.48))])
    add_light(img, radial(h, w, 0.38 * w, 0.56 * h, 0.30 * w, 0.12 * h), (0.45, 0.25, 0.10), 1.0)
    cl = noise(rng, h, w, 0.10 * w, octaves=5, aspect=4.0)
    cloud = np.clip((cl - 0.52) * 4, 0, 1) * np.clip(1 - np.arange(h)[:, None] / (0.48 * h), 0, 1)
    ylit = np.clip(np.arange(h, dtype=np.float32)[:, None] / (0.5 * h), 0, 1)
    ccol = (0.45 + 0.5 * ylit)[..., None] * np.asarray((0.95, 0.62, 0.60), np.float32)
    img[:] = img * (1 - 0.55 * cloud[..., None]) + ccol * (0.55 * cloud[..., None])
    # distant tree canopy behind the houses
    trees = Layer(w, h, "L")
    for x in np.arange(-0.02, 1.03, 0.012) * w:
        r = rng.uniform(0.015, 0.045) * w * (1.6 if rng.random() < 0.12 else 1.0)
        y = rng.uniform(0.44, 0.50) * h
        trees.ellipse(x - r, y - r * 0.8, x + r, y + r * 0.8, 1.0)
    trees.rect(0, 0.49 * h, w, wl, 1.0)
    tex = noise(rng, h, w, 0.008 * w, octaves=3)
    paint(img, blur(trees.mask(), 1.5 * s) * 0.9,
          np.asarray((0.13, 0.14, 0.18), np.float32) * (0.7 + 0.6 * tex[..., None]))
    walls, roofs, det = Layer(w, h), Layer(w, h), Layer(w, h)
    lit = Layer(w, h, "L")
    lan = Layer(w, h, "L")
    bridge_x0, bridge_x1 = 0.50 * w, 0.80 * w
    x = -0.03 * w
    while x < w:
        hw = rng.uniform(0.07, 0.13) * w
        if x < bridge_x0 and x + hw > bridge_x0 - 0.01 * w:  # runs into the bridge
            if bridge_x0 - x >= 0.05 * w:
                hw = bridge_x0 + 0.015 * w - x  # tucked behind the bridge ramp
            else:
                x = bridge_x1 - 0.015 * w
                continue
        base = wl - 0.012 * h
        top = base - rng.uniform(0.12, 0.19) * h
        floor = base - rng.uniform(0.055, 0.075) * h
        tint = rng.uniform(0.85, 1.0)
        white = (0.72 * tint, 0.70 * tint, 0.72 * tint)
        walls.rect(x, top, x + hw, floor, white)
        walls.rect(x, floor, x + hw, base, (0.22, 0.13, 0.08))
        walls.rect(x - 2 * s, base, x + hw + 2 * s, wl + 1, (0.30, 0.29, 0.28))
        for px_ in np.arange(x + 0.01 * w, x + hw, 0.012 * w):  # wooden planks
            det.line([(px_, floor + 2 * s), (px_, base - 1 * s)], (0.12, 0.07, 0.04), 1.2 * s)
        det.rect(x - 3 * s, floor - 3 * s, x + hw + 3 * s, floor + 1.5 * s, (0.10, 0.08, 0.07))
        # windows upstairs
        nwin = int(rng.integers(1, 4))
        for i in range(nwin):
            cx = x + hw * (i + 1) / (nwin + 1)
            ww_, wh_ = rng.uniform(0.012, 0.018) * w, rng.uniform(0.03, 0.045) * h
            wy = top + (floor - top) * 0.35
            if rng.random() < 0.55:
                lit.rect(cx - ww_ / 2, wy, cx + ww_ / 2, wy + wh_, float(rng.uniform(0.6, 1.0)))
                det.line([(cx, wy), (cx, wy + wh_)], (0.2, 0.1, 0.05), 1.2 * s)
                det.line([(cx - ww_ / 2, wy + wh_ / 2), (cx + ww_ / 2, wy + wh_ / 2)], (0.2, 0.1, 0.05), 1.0 * s)
            else:
                det.rect(cx - ww_ / 2, wy, cx + ww_ / 2, wy + wh_, (0.09, 0.06, 0.05))
                det.line([(cx, wy), (cx, wy + wh_)], (0.25, 0.16, 0.1), 1.0 * s)
        # ground floor doors: lit shop fronts or dark shutters
        for i in range(int(rng.integers(1, 3))):
            cx = x + hw * (i + 0.5) / 2 + rng.uniform(-0.1, 0.1) * hw
            dw = rng.uniform(0.018, 0.03) * w
            if rng.random() < 0.5:
                lit.rect(cx - dw / 2, floor + 0.012 * h, cx + dw / 2, base - 0.004 * h, float(rng.uniform(0.5, 0.9)))
        # roof with upturned eaves
        eave, rh = 0.012 * w, rng.uniform(0.035, 0.05) * h
        roofs.poly([(x - eave, top + 0.006 * h), (x - eave * 0.4, top - 0.004 * h), (x + 0.18 * hw, top - rh),
                    (x + hw - 0.18 * hw, top - rh), (x + hw + eave * 0.4, top - 0.004 * h),
                    (x + hw + eave, top + 0.006 * h)], (0.13, 0.13, 0.15))
        roofs.rect(x + 0.16 * hw, top - rh - 3 * s, x + hw - 0.16 * hw, top - rh + 1.5 * s, (0.09, 0.09, 0.1))
        if rng.random() < 0.45:  # stepped "horse-head" gable wall
            side = x if rng.random() < 0.5 else x + hw - 0.018 * w
            gw = 0.018 * w
            walls.poly([(side, top), (side, top - rh - 0.035 * h), (side + gw, top - rh - 0.035 * h),
                        (side + gw, top)], white)
            roofs.rect(side - 3 * s, top - rh - 0.04 * h, side + gw + 3 * s, top - rh - 0.033 * h,
                       (0.1, 0.1, 0.11))
        if rng.random() < 0.6:  # red lanterns under the eave
            for _ in range(int(rng.integers(1, 3))):
                lx = x + rng.uniform(0.15, 0.85) * hw
                ly = top + 0.025 * h
                lan.ellipse(lx - 0.006 * w, ly, lx + 0.006 * w, ly + 0.017 * h, 1.0)
                det.line([(lx, top + 0.006 * h), (lx, ly)], (0.1, 0.1, 0.1), 1.0 * s)
        x += hw + rng.uniform(-0.004, 0.01) * w
    prem, a = walls.rgba()
    weather = noise(rng, h, w, 0.02 * w, octaves=4, aspect=0.35)
    dusk = vgrad(h, w, [(0, (0.85, 0.85, 1.0)), (0.5, (0.95, 0.88, 0.92)), (0.62, (0.75, 0.72, 0.8))])
    prem = prem * (0.72 + 0.45 * weather)[..., None] * dusk
    over(img, prem, a)
    prem, a = roofs.rgba()
    xx = np.arange(w, dtype=np.float32)[None, :]
    tiles = 0.78 + 0.35 * np.abs(np.sin(xx * math.pi / (4.5 * s)))
    prem = prem * tiles[..., None] * (0.85 + 0.3 * weather[..., None])
    over(img, prem, a)
    prem, a = det.rgba()
    over(img, prem, a)
    lm = lit.mask()
    paint(img, lm, (1.0, 0.70, 0.36), 0.95)
    glow(img, lm, (1.0, 0.6, 0.25), 8 * s, 0.7, 0.0)
    lnm = lan.mask()
    paint(img, lnm, (0.85, 0.12, 0.08))
    glow(img, lnm, (1.0, 0.25, 0.1), 10 * s, 1.1, 0.25)
    # the stone arch bridge over a side canal
    br = Layer(w, h, "L")
    cx, r = (bridge_x0 + bridge_x1) / 2, 0.085 * w
    deck = [(bridge_x0 - 0.02 * w, wl), (bridge_x0 - 0.01 * w, wl - 0.06 * h)]
    for i in range(21):
        u = i / 20
        deck.append((bridge_x0 + u * (bridge_x1 - bridge_x0),
                     wl - 0.06 * h - 0.115 * h * math.sin(u * math.pi) ** 0.8))
    deck += [(bridge_x1 + 0.01 * w, wl - 0.06 * h), (bridge_x1 + 0.02 * w, wl)]
    br.poly(deck, 1.0)
    body = br.mask()
    hole = Layer(w, h, "L")
    hole.poly(poly_circle(cx, wl + 0.01 * h, r, r * 1.05, math.pi, 2 * math.pi) + [(cx + r, wl + 2), (cx - r, wl + 2)],
              1.0)
    holem = hole.mask()
    # view through the arch: dim canal and far houses
    through = vgrad(h, w, [(0, (0.3, 0.25, 0.3)), (0.5, (0.35, 0.28, 0.30)), (0.62, (0.18, 0.15, 0.18))])
    paint(img, holem, through)
    far = Layer(w, h, "L")
    for _ in range(10):
        fx = rng.uniform(cx - r, cx + r)
        far.rect(fx - 0.006 * w, wl - rng.uniform(0.03, 0.07) * h, fx + 0.006 * w, wl, 1.0)
    paint(img, far.mask() * holem, (0.12, 0.10, 0.12), 0.9)
    yy = np.arange(h, dtype=np.float32)[:, None]
    bx, by = 0.022 * w, 0.018 * h
    row = np.floor(yy / by)
    mortar = ((np.abs(((xx + (row % 2) * bx / 2) % bx) - bx / 2) > bx / 2 - 1.2 * s)
              | ((yy % by) < 1.2 * s)).astype(np.float32)
    stone_t = noise(rng, h, w, 0.006 * w, octaves=3)
    stone = np.asarray((0.42, 0.40, 0.40), np.float32) * (0.75 + 0.45 * stone_t[..., None]) * (1 - 0.35 * mortar[..., None])
    stone *= vgrad(h, w, [(0, (1.0, 0.95, 1.0)), (0.45, (1.0, 0.9, 0.88)), (0.62, (0.7, 0.68, 0.72))])
    bm = np.clip(body - holem, 0, 1)
    paint(img, bm, stone)
    ring = Layer(w, h, "L")
    ring.circle_outline(cx, wl + 0.01 * h, r + 0.008 * w, r * 1.05 + 0.008 * w, 1.0, 0.012 * w)
    paint(img, ring.mask() * (yy < wl), (0.55, 0.52, 0.5), 0.6)
    par = Layer(w, h, "L")
    pts = deck[2:-2]
    par.line([(px_, py - 0.018 * h) for px_, py in pts], 1.0, 2.5 * s)
    for px_, py in pts[1:-1:2]:
        par.rect(px_ - 2.5 * s, py - 0.024 * h, px_ + 2.5 * s, py, 1.0)
    paint(img, par.mask(), (0.30, 0.29, 0.30))
    # a few people on the bridge, silhouetted
    ppl = Layer(w, h, "L")
    for u in (0.38, 0.47, 0.62):
        px_ = bridge_x0 + u * (bridge_x1 - bridge_x0)
        py = wl - 0.06 * h - 0.115 * h * math.sin(u * math.pi) ** 0.8
        ph = 0.040 * h
        ppl.ellipse(px_ - 0.0028 * w, py - ph - 0.010 * h, px_ + 0.0028 * w, py - ph + 0.001 * h, 1.0)
        ppl.poly([(px_ - 0.0045 * w, py - ph + 0.002 * h), (px_ + 0.0045 * w, py - ph + 0.002 * h),
                  (px_ + 0.0040 * w, py - 0.45 * ph), (px_ - 0.0040 * w, py - 0.45 * ph)], 1.0)
        ppl.line([(px_ - 0.0022 * w, py - 0.46 * ph), (px_ - 0.0026 * w, py)], 1.0, 0.0028 * w)
        ppl.line([(px_ + 0.0022 * w, py - 0.46 * ph), (px_ + 0.0030 * w, py)], 1.0, 0.0028 * w)
    paint(img, ppl.mask(), (0.06, 0.05, 0.07))
    # water
    reflect(img, wl, rng, s, dark=0.5, tint=(0.8, 0.85, 1.0), amp=3.0)
    sheen = vgrad(h - wl, w, [(0, (0.22, 0.16, 0.16)), (1, (0.03, 0.04, 0.08))])
    img[wl:] += sheen * 0.5
    # a covered wooden boat
    boat = Layer(w, h)
    bx0, by0, bl = 0.12 * w, 0.80 * h, 0.24 * w
    boat.poly([(bx0, by0), (bx0 + bl, by0 - 0.01 * h), (bx0 + bl - 0.02 * w, by0 + 0.035 * h),
               (bx0 + 0.02 * w, by0 + 0.04 * h)], (0.16, 0.09, 0.05))
    boat.poly(poly_circle(bx0 + bl * 0.5, by0, bl * 0.22, 0.055 * h, math.pi, 2 * math.pi), (0.05, 0.05, 0.06))
    boat.rect(bx0 + bl * 0.28, by0 - 0.005 * h, bx0 + bl * 0.72, by0 + 0.004 * h, (0.08, 0.06, 0.05))
    boat.line([(bx0 + bl * 0.9, by0 - 0.01 * h), (bx0 + bl * 1.05, by0 - 0.09 * h)], (0.12, 0.08, 0.05), 2.5 * s)
    boat.ellipse(bx0 + bl * 0.86, by0 - 0.05 * h, bx0 + bl * 0.9, by0 - 0.025 * h, (0.05, 0.04, 0.05))
    prem, a = boat.rgba()
    over(img, prem, a)
    brm = Layer(w, h, "L")
    brm.ellipse(bx0 - 0.01 * w, by0 + 0.03 * h, bx0 + bl + 0.01 * w, by0 + 0.06 * h, 1.0)
    paint(img, blur(brm.mask(), 6 * s), (0.02, 0.02, 0.04), 0.6)
    vignette(img, 0.4)
    return finish(img, rng, grain=0.010 * grain)


def scene_crowd(w: int, h: int, rng: np.random.Generator, grain: float = 1.0) -> np.ndarray:
    """The audience from behind, the lit stage out of focus beyond them."""
    s = w / 1600
    img = vgrad(h, w, [(0, (0.03, 0.035, 0.07)), (0.35, (0.05, 0.06, 0.10)), (1, (0.02, 0.02, 0.03))])
    scr = screen_art(int(0.92 * w), int(0.30 * h), rng)
    full = np.zeros_like(img)
    full[int(0.03 * h):int(0.03 * h) + scr.shape[0], int(0.04 * w):int(0.04 * w) + scr.shape[1]] = scr
    full = blur(full, 9 * s)
    img += full * 0.85 + blur(full, 60 * s) * 0.5
    stage = Layer(w, h, "L")
    stage.rect(0, 0.34 * h, w, 0.36 * h, 1.0)
    glow(img, blur(stage.mask(), 4 * s), (0.35, 0.4, 1.0), 18 * s, 0.8, 0.5)
    beams(img, rng, np.linspace(0.1, 0.9, 5) * w, 0.0, 0.5 * h, 0.08 * w, (0.8, 0.85, 1.0), 0.07, 0.2 * w)
    add_light(img, radial(h, w, 0.5 * w, 0.25 * h, 0.6 * w, 0.3 * h), (0.05, 0.08, 0.16), 1.0)
    audience(img, rng, rows=13, y_far=0.40 * h, y_near=1.10 * h, size_far=0.011 * w, size_near=0.080 * w,
             rim=(0.40, 0.55, 1.0), rim_k=0.45, blurs=(1.0 * s, 0.0, 4.0 * s), light=0.8, phones=0.015)
    vignette(img, 0.45)
    return finish(img, rng, grain=0.011 * grain)


def scene_skyline(w: int, h: int, rng: np.random.Generator, grain: float = 1.0) -> np.ndarray:
    """City at blue hour across a river, lit windows, reflections."""
    s = w / 1600
    wl = int(0.72 * h)
    img = vgrad(h, w, [(0, (0.05, 0.08, 0.22)), (0.35, (0.16, 0.22, 0.46)), (0.60, (0.55, 0.45, 0.56)),
                       (0.72, (0.95, 0.64, 0.42))])
    cl = noise(rng, h, w, 0.06 * w, octaves=4, aspect=8.0)
    cloud = np.clip((cl - 0.55) * 3.5, 0, 1) * np.clip(1 - np.arange(h)[:, None] / (0.6 * h), 0, 1)
    img[:] = img * (1 - 0.4 * cloud[..., None]) + np.asarray((0.55, 0.42, 0.55), np.float32) * 0.4 * cloud[..., None]
    haze_col = np.asarray((0.70, 0.56, 0.58), np.float32)
    lights = Layer(w, h)
    reds = Layer(w, h, "L")
    layers = [  # (count, wmin, wmax, hmin, hmax, colour, window probability, haze)
        (34, 0.02, 0.05, 0.04, 0.14, (0.42, 0.40, 0.55), 0.0, 0.55),
        (26, 0.025, 0.06, 0.07, 0.30, (0.20, 0.21, 0.32), 0.25, 0.25),
        (16, 0.04, 0.09, 0.10, 0.40, (0.07, 0.08, 0.12), 0.45, 0.0),
    ]
    yy = np.arange(h, dtype=np.float32)[:, None]
    for li, (count, wmin, wmax, hmin, hmax, col, pwin, haze) in enumerate(layers):
        lay = Layer(w, h)
        xs = np.sort(rng.uniform(-0.05, 1.0, count)) * w
        for bxi in xs:
            bw = rng.uniform(wmin, wmax) * w
            bh = rng.uniform(hmin, hmax) * h
            if li == 2 and 0.35 * w < bxi < 0.6 * w:
                bh *= 0.45
            top = wl - 0.012 * h - bh
            c = tuple(np.clip(np.asarray(col) * rng.uniform(0.8, 1.15), 0, 1))
            style = rng.random()
            lay.rect(bxi, top, bxi + bw, wl, c)
            if style < 0.2:
                lay.rect(bxi + 0.2 * bw, top - 0.05 * bh, bxi + 0.8 * bw, top + 1, c)
                lay.poly([(bxi + 0.48 * bw, top - 0.05 * bh), (bxi + 0.52 * bw, top - 0.05 * bh),
                          (bxi + 0.5 * bw, top - 0.20 * bh)], c)
                if li > 0:
                    reds.ellipse(bxi + 0.5 * bw - 2.5 * s, top - 0.2 * bh - 2.5 * s, bxi + 0.5 * bw + 2.5 * s,
                                 top - 0.2 * bh + 2.5 * s, 1.0)
            elif style < 0.35:
                lay.poly([(bxi, top + 1), (bxi + bw, top + 1), (bxi + bw, top - 0.12 * bh)], c)
            elif style < 0.45:
                lay.ellipse(bxi, top - 0.08 * bh, bxi + bw, top + 0.08 * bh, c)
            if pwin > 0:
                cw_, ch_ = (0.0055 + 0.002 * li) * w, (0.009 + 0.003 * li) * h
                nx, ny = max(1, int(bw / cw_) - 1), max(1, int((bh - 0.02 * h) / ch_))
                on = rng.random((ny, nx)) < pwin * rng.uniform(0.5, 1.3)
                warm = rng.random() < 0.7
                for j, i in zip(*np.nonzero(on), strict=True):
                    wx = bxi + (i + 0.6) * bw / (nx + 0.2)
                    wy = top + 0.01 * h + j * ch_
                    wc = (1.0, 0.78, 0.45) if warm else (0.75, 0.88, 1.0)
                    k = rng.uniform(0.35, 1.0) * (0.6 + 0.2 * li)
                    lights.rect(wx - 0.33 * cw_, wy, wx + 0.33 * cw_, wy + 0.55 * ch_, tuple(np.asarray(wc) * k))
        if li == 1:  # TV tower
            tx, tb = 0.74 * w, wl - 0.012 * h
            lay.rect(tx - 0.004 * w, tb - 0.46 * h, tx + 0.004 * w, tb, col)
            lay.ellipse(tx - 0.017 * w, tb - 0.33 * h, tx + 0.017 * w, tb - 0.27 * h, col)
            lay.ellipse(tx - 0.010 * w, tb - 0.42 * h, tx + 0.010 * w, tb - 0.385 * h, col)
            lay.line([(tx, tb - 0.46 * h), (tx, tb - 0.56 * h)], col, 1.6 * s)
            reds.ellipse(tx - 3 * s, tb - 0.56 * h - 3 * s, tx + 3 * s, tb - 0.56 * h + 3 * s, 1.0)
            ring = Layer(w, h, "L")
            ring.rect(tx - 0.017 * w, tb - 0.302 * h, tx + 0.017 * w, tb - 0.297 * h, 1.0)
            lights.rect(tx - 0.016 * w, tb - 0.302 * h, tx + 0.016 * w, tb - 0.297 * h, (0.5, 0.8, 1.0))
        prem, a = lay.rgba()
        facade = vgrad(h, w, [(0, (1.35, 1.3, 1.45)), (0.5, (1.1, 1.05, 1.1)), (0.72, (0.8, 0.8, 0.85))])
        tex = noise(rng, h, w, 0.004 * w, octaves=2, aspect=0.2)
        prem = prem * facade * (0.9 + 0.2 * tex[..., None])
        if haze:
            hz = haze * np.clip(0.4 + 0.6 * (yy / wl), 0, 1)
            prem = prem * (1 - hz[..., None]) + haze_col * a[..., None] * hz[..., None]
        over(img, prem, a)
    prem, a = lights.rgba()
    img += prem * 1.2
    glow(img, prem.mean(-1), (1.0, 0.8, 0.55), 5 * s, 0.6, 0.0)
    rm = reds.mask()
    paint(img, rm, (1.0, 0.2, 0.15))
    glow(img, rm, (1.0, 0.15, 0.1), 6 * s, 1.5, 0.0)
    # embankment with street lamps
    emb = Layer(w, h, "L")
    emb.rect(0, wl - 0.014 * h, w, wl, 1.0)
    paint(img, emb.mask(), (0.05, 0.05, 0.07))
    lamps = Layer(w, h, "L")
    for x in np.arange(0.01, 1.0, 0.035) * w:
        lamps.ellipse(x - 2.5 * s, wl - 0.02 * h - 2.5 * s, x + 2.5 * s, wl - 0.02 * h + 2.5 * s, 1.0)
    glow(img, lamps.mask(), (1.0, 0.75, 0.4), 6 * s, 1.5, 1.0)
    reflect(img, wl, rng, s, dark=0.6, tint=(0.8, 0.85, 1.05), amp=2.5)
    vignette(img, 0.35)
    return finish(img, rng, grain=0.010 * grain)


def scene_closeup(w: int, h: int, rng: np.random.Generator, grain: float = 1.0) -> np.ndarray:
    """A conference microphone on a wooden lectern, hall lights as bokeh behind."""
    s = w / 1600
    img = vgrad(h, w, [(0, (0.03, 0.04, 0.08)), (0.6, (0.06, 0.05, 0.07)), (1, (0.04, 0.03, 0.03))])
    bok = Layer(w, h)
    for _ in range(55):
        x, y = rng.uniform(-0.05, 1.05) * w, rng.uniform(-0.05, 0.75) * h
        r = rng.uniform(0.015, 0.06) * w
        if rng.random() < 0.6:
            c = (rng.uniform(0.2, 0.4), rng.uniform(0.45, 0.7), 1.0)
        else:
            c = (1.0, rng.uniform(0.6, 0.8), rng.uniform(0.3, 0.5))
        k = rng.uniform(0.06, 0.28)
        bok.ellipse(x - r, y - r, x + r, y + r, tuple(np.asarray(c) * k))
        bok.ellipse(x - r * 0.9, y - r * 0.9, x + r * 0.9, y + r * 0.9, tuple(np.asarray(c) * k * 0.75))
    prem, _ = bok.rgba()
    img += blur(prem, 5 * s) * 1.3
    add_light(img, radial(h, w, 0.35 * w, 0.3 * h, 0.5 * w, 0.35 * h), (0.06, 0.12, 0.25), 1.0)
    # lectern top: wood grain in perspective
    top = int(0.66 * h)
    yy = np.arange(h - top, dtype=np.float32)[:, None]
    xx = np.arange(w, dtype=np.float32)[None, :]
    depth = 1.0 / (0.15 + yy / (h - top))
    u = (xx - 0.5 * w) / w
    n = noise(rng, h - top, w, 0.05 * w, octaves=4)
    ring = np.sin(depth * 9.0 + 3.0 * n + 0.8 * np.sin(u * 5.0))
    fine = noise(rng, h - top, w, 0.003 * w, octaves=2, aspect=25.0)
    g = 0.5 + 0.25 * ring + 0.25 * (fine - 0.5) * 2
    dark, light = np.asarray((0.20, 0.10, 0.05), np.float32), np.asarray((0.52, 0.30, 0.15), np.float32)
    wood = dark + (light - dark) * g[..., None]
    wood *= (0.55 + 0.55 * np.exp(-((u * 1.6) ** 2)) * np.clip(1.2 - yy / (h - top), 0.3, 1.2))[..., None]
    spec = np.exp(-((yy - 0.12 * (h - top)) / (0.08 * h)) ** 2) * np.exp(-((u + 0.1) / 0.35) ** 2)
    wood += (spec * 0.25)[..., None] * np.asarray((1.0, 0.85, 0.7), np.float32)
    img[top:] = wood
    edge = Layer(w, h, "L")
    edge.rect(0, top - 1.5 * s, w, top + 2.5 * s, 1.0)
    glow(img, edge.mask(), (0.9, 0.7, 0.5), 3 * s, 0.3, 0.35)
    base = Layer(w, h)
    base.ellipse(0.14 * w, 0.80 * h, 0.38 * w, 0.90 * h, (0.05, 0.05, 0.06))
    base.ellipse(0.16 * w, 0.795 * h, 0.36 * w, 0.87 * h, (0.12, 0.12, 0.13))
    prem, a = base.rgba()
    over(img, prem, a)
    # gooseneck: quadratic bezier
    p0, p1, p2 = np.array([0.26 * w, 0.83 * h]), np.array([0.30 * w, 0.42 * h]), np.array([0.52 * w, 0.34 * h])
    ts = np.linspace(0, 1, 160)[:, None]
    curve = (1 - ts) ** 2 * p0 + 2 * (1 - ts) * ts * p1 + ts**2 * p2
    neck = Layer(w, h, "L")
    neck.line([tuple(p) for p in curve], 1.0, 0.011 * w)
    nm = neck.mask()
    paint(img, nm, (0.07, 0.07, 0.08))
    hl = Layer(w, h, "L")
    tang = np.gradient(curve, axis=0)
    norm = np.column_stack([tang[:, 1], -tang[:, 0]]) / np.linalg.norm(tang, axis=1)[:, None]
    offc = curve - norm * 0.0028 * w
    hl.line([tuple(p) for p in offc], 1.0, 0.0025 * w)
    ribs = Layer(w, h, "L")
    for i in range(0, 160, 3):
        a_, b_ = curve[i] - norm[i] * 0.0055 * w, curve[i] + norm[i] * 0.0055 * w
        ribs.line([tuple(a_), tuple(b_)], 1.0, 0.9 * s)
    paint(img, ribs.mask() * nm, (0.16, 0.16, 0.17), 0.7)
    add_light(img, blur(hl.mask(), 1.2 * s) * nm, (0.55, 0.58, 0.65), 0.9)
    # capsule: a cylinder along the end tangent with a mesh grille
    d = p2 - p1
    d = d / np.linalg.norm(d)
    nrm = np.array([d[1], -d[0]])
    c0 = p2
    c1 = p2 + d * 0.13 * w
    rad = 0.021 * w
    cap = Layer(w, h, "L")
    cap.poly([tuple(c0 + nrm * rad * 0.7), tuple(c1 + nrm * rad), tuple(c1 - nrm * rad), tuple(c0 - nrm * rad * 0.7)],
             1.0)
    cap.ellipse(c1[0] - rad, c1[1] - rad, c1[0] + rad, c1[1] + rad, 1.0)
    cm = cap.mask()
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    along = ((gx - c0[0]) * d[0] + (gy - c0[1]) * d[1])
    across = ((gx - c0[0]) * nrm[0] + (gy - c0[1]) * nrm[1])
    mesh = (np.sin(along / (1.6 * s)) * np.sin(across / (1.6 * s)) > 0.3).astype(np.float32)
    shade = np.clip(0.35 + 0.65 * np.cos(np.clip(across / (rad * 1.05), -1, 1) * 1.4 + 0.5), 0.05, 1)
    capcol = (0.10 + 0.32 * shade)[..., None] * np.asarray((0.9, 0.92, 1.0), np.float32)
    capcol = capcol * (1 - 0.45 * mesh[..., None] * (along > 0.03 * w)[..., None])
    paint(img, cm, capcol)
    led = Layer(w, h, "L")
    q0 = c0 + d * 0.018 * w
    led.line([tuple(q0 + nrm * rad * 0.78), tuple(q0 - nrm * rad * 0.78)], 1.0, 0.0035 * w)
    glow(img, led.mask(), (1.0, 0.1, 0.08), 6 * s, 1.2, 0.9)
    vignette(img, 0.5)
    return finish(img, rng, grain=0.012 * grain)


def scene_photo(w: int, h: int, rng: np.random.Generator, grain: float = 1.0) -> np.ndarray:
    """The opening ceremony seen from the back of the hall (the 'agency photo')."""
    s = w / 1600
    img = vgrad(h, w, [(0, (0.03, 0.03, 0.05)), (0.5, (0.05, 0.05, 0.08)), (1, (0.02, 0.02, 0.03))])
    # ceiling with rows of downlights in perspective
    ceil = Layer(w, h, "L")
    vx = 0.5 * w
    for j in range(7):
        t = j / 6
        y = 0.015 * h + (0.14 * h) * t**1.2
        for i in range(-9, 10):
            x = vx + (i * 0.06 * w) * (1.8 - 0.9 * t) * 0.55
            r = (2.2 - 1.2 * t) * s
            ceil.ellipse(x - r * 2, y - r, x + r * 2, y + r, float(0.9 - 0.4 * t))
    glow(img, ceil.mask(), (1.0, 0.93, 0.8), 6 * s, 1.6, 1.0)
    # side walls with warm sconces
    walls = Layer(w, h, "L")
    walls.poly([(0, 0), (0.16 * w, 0.17 * h), (0.16 * w, 0.58 * h), (0, 0.85 * h)], 1.0)
    walls.poly([(w, 0), (0.84 * w, 0.17 * h), (0.84 * w, 0.58 * h), (w, 0.85 * h)], 1.0)
    wt = noise(rng, h, w, 0.05 * w, octaves=3)
    paint(img, walls.mask(), (np.asarray((0.10, 0.07, 0.06), np.float32) * (0.7 + 0.6 * wt[..., None])))
    sc = Layer(w, h, "L")
    for x, y in ((0.05, 0.30), (0.11, 0.33), (0.95, 0.30), (0.89, 0.33)):
        sc.ellipse(x * w - 4 * s, y * h - 9 * s, x * w + 4 * s, y * h + 9 * s, 1.0)
    glow(img, sc.mask(), (1.0, 0.7, 0.4), 22 * s, 1.5, 1.0)
    # the main LED screen and two side screens
    x0, x1, y0, y1 = int(0.21 * w), int(0.79 * w), int(0.17 * h), int(0.45 * h)
    scr = screen_art(x1 - x0, y1 - y0, rng)
    full = np.zeros_like(img)
    full[y0:y1, x0:x1] = scr
    for a0, a1 in ((0.175, 0.20), (0.80, 0.825)):
        b0, b1 = int(0.20 * h), int(0.38 * h)
        full[b0:b1, int(a0 * w):int(a1 * w)] = resize_f(blur(scr, 4), int(a1 * w) - int(a0 * w), b1 - b0) * 0.8
    img += blur(full, 80 * s) * 0.6 + blur(full, 25 * s) * 0.3
    m = (full.sum(-1) > 0).astype(np.float32)
    img[:] = img * (1 - m[..., None]) + full * m[..., None]
    # stage
    st0, st1 = int(0.455 * h), int(0.53 * h)
    img[st0:st1] = vgrad(st1 - st0, w, [(0, (0.06, 0.06, 0.09)), (1, (0.10, 0.10, 0.13))])
    img[st0:st1, x0:x1] += resize_f(blur(scr[::-1], 4 * s), x1 - x0, st1 - st0) * 0.2
    strip = Layer(w, h, "L")
    strip.rect(0.12 * w, st1 - 1 * s, 0.88 * w, st1 + 2 * s, 1.0)
    glow(img, strip.mask(), (0.4, 0.45, 1.0), 8 * s, 0.9, 1.0)
    fl = Layer(w, h)
    for _ in range(500):
        x, y, r = rng.uniform(0.14, 0.86) * w, st1 - rng.uniform(0, 0.012) * h, rng.uniform(1.5, 3.5) * s
        c = [(0.75, 0.1, 0.15), (0.9, 0.7, 0.2), (0.9, 0.88, 0.85), (0.1, 0.3, 0.1)][int(rng.integers(4))]
        fl.ellipse(x - r, y - r, x + r, y + r, tuple(np.asarray(c) * 0.7))
    prem, a = fl.rgba()
    over(img, prem, a)
    pod = Layer(w, h)
    px = 0.36 * w
    pod.poly([(px - 0.011 * w, st1 - 0.05 * h), (px + 0.011 * w, st1 - 0.05 * h), (px + 0.009 * w, st1),
              (px - 0.009 * w, st1)], (0.35, 0.2, 0.1))
    pod.ellipse(px - 0.003 * w, st1 - 0.072 * h, px + 0.003 * w, st1 - 0.062 * h, (0.45, 0.33, 0.27))
    pod.poly([(px - 0.008 * w, st1 - 0.05 * h), (px - 0.006 * w, st1 - 0.062 * h), (px + 0.006 * w, st1 - 0.062 * h),
              (px + 0.008 * w, st1 - 0.05 * h)], (0.05, 0.05, 0.07))
    prem, a = pod.rgba()
    over(img, prem, a)
    add_light(img, radial(h, w, px, st1 - 0.06 * h, 0.03 * w, 0.05 * h), (0.5, 0.45, 0.35), 0.3)
    beams(img, rng, np.linspace(0.25, 0.75, 6) * w, 0.16 * h, st1, 0.05 * w, (0.9, 0.9, 1.0), 0.07, 0.2 * w)
    audience(img, rng, rows=17, y_far=0.575 * h, y_near=1.08 * h, size_far=0.0075 * w, size_near=0.05 * w,
             rim=(0.40, 0.5, 0.95), rim_k=0.55, blurs=(0.0, 0.0, 2.0 * s), light=1.0, phones=0.03)
    vignette(img, 0.4)
    return finish(img, rng, grain=0.009 * grain)


SCENES = {"stage": scene_stage, "town": scene_town, "crowd": scene_crowd, "closeup": scene_closeup,
          "skyline": scene_skyline}
SCENE_SEEDS = {"stage": 101, "town": 202, "crowd": 303, "closeup": 404, "skyline": 505, "photo": 606}


# --------------------------------------------------------------------------- shots and video


BITE_SCENES = ["stage", "closeup"]  # a soundbite shows its speaker
BROLL_SCENES = ["town", "skyline", "crowd"]  # voice-over is covered by pictures of the place


def plan_shots(duration: float, speech: list[dict]) -> list[dict]:
    """A cut in the pause at every edit between voice-over and soundbite, shots of about BROLL_SHOT_S
    under the voice-over, and a cutaway in the middle of a long soundbite."""
    frames_total = int(round(duration * FPS))
    cuts: list[tuple[int, str]] = []  # (first frame of a shot, its scene)
    bites = 0
    for n, seg in enumerate(speech):
        start = 0.0 if n == 0 else (speech[n - 1]["end"] + seg["start"]) / 2
        if seg["kind"] == "bite":
            scene = BITE_SCENES[bites % len(BITE_SCENES)]
            cuts.append((int(round(start * FPS)), scene))
            if seg["end"] - seg["start"] > CUTAWAY_AFTER_S:
                cuts.append((int(round((seg["start"] + seg["end"]) / 2 * FPS)), "crowd"))
            bites += 1
            continue
        end = duration if n + 1 == len(speech) else (seg["end"] + speech[n + 1]["start"]) / 2
        pieces = max(1, round((end - start) / BROLL_SHOT_S))
        for k in range(pieces):
            t = start + (end - start) * k / pieces
            if k and (t - seg["start"] < CUT_GUARD_S or seg["end"] - t < CUT_GUARD_S):
                continue
            cuts.append((int(round(t * FPS)), BROLL_SCENES[(len(cuts) + k) % len(BROLL_SCENES)]))
    cuts = [c for c in cuts if 0 <= c[0] < frames_total]
    cuts[0] = (0, cuts[0][1])
    shots = []
    for i, (f0, scene) in enumerate(cuts):
        f1 = cuts[i + 1][0] if i + 1 < len(cuts) else frames_total
        if shots and scene == shots[-1]["scene"]:  # never cut to the same picture: scdet could not see it
            scene = BROLL_SCENES[(BROLL_SCENES.index(scene) + 1) % len(BROLL_SCENES)] if scene in BROLL_SCENES \
                else "crowd"
        shots.append({"index": i, "scene": scene, "start_frame": f0, "end_frame": f1,
                      "start": round(f0 / FPS, 3), "end": round(f1 / FPS, 3), "move": move_for(scene, i)})
    return shots


def render_scenes(names: set[str], w: int, h: int) -> dict[str, Image.Image]:
    cw, ch = int(math.ceil(w * MARGIN / 2) * 2), int(math.ceil(h * MARGIN / 2) * 2)
    out = {}
    for name in sorted(names):
        rng = np.random.default_rng(SCENE_SEEDS[name])
        out[name] = Image.fromarray(SCENES[name](cw, ch, rng, grain=VIDEO_GRAIN))
    return out


def shot_frames(canvas: Image.Image, w: int, h: int, move: dict, n: int):
    """Yield the n frames (PIL images) of one shot."""
    cw, ch = canvas.size
    if move["kind"] == "pan":
        mx, my = cw - w, ch - h
        x0, y0 = move["start"][0] * mx, move["start"][1] * my
        vx, vy = (v * w / 1280 for v in move["velocity"])
        span = max(1, n - 1)
        # slow down if the move would run off the painted margin
        for lim, p0, v in ((mx, x0, vx), (my, y0, vy)):
            room = (lim - p0) if v > 0 else p0
            if abs(v) * span > room:
                f = room / (abs(v) * span)
                vx, vy = vx * f, vy * f
        for i in range(n):
            x = min(max(int(round(x0 + vx * i)), 0), mx)
            y = min(max(int(round(y0 + vy * i)), 0), my)
            yield canvas.crop((x, y, x + w, y + h))
    else:
        z0, z1 = move["zoom"]
        for i in range(n):
            u = i / max(1, n - 1)
            z = min(max(z0 + (z1 - z0) * u, 1.0), min(cw / w, ch / h))
            cropw, croph = cw / z, (cw / z) * h / w
            left = min(max(move["center"][0] * cw - cropw / 2, 0), cw - cropw)
            top = min(max(move["center"][1] * ch - croph / 2, 0), ch - croph)
            yield canvas.resize((w, h), Image.BILINEAR, box=(left, top, left + cropw, top + croph))


def encode(ff: str, out: Path, canvases: dict[str, Image.Image], shots: list[dict], w: int, h: int,
           audio: np.ndarray, tmp: Path, crf: int, preset: str) -> None:
    araw = tmp / "audio.f32"
    audio.astype("<f4").tofile(araw)
    tmp_mp4 = tmp / "video.mp4"
    argv = [ff, "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-framerate", str(FPS), "-i", "-",
            "-f", "f32le", "-ar", str(AUDIO_RATE), "-ac", "1", "-i", str(araw),
            "-map", "0:v", "-map", "1:a",
            "-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,"
                   "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709",
            "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-g", str(FPS * 10), "-keyint_min", str(FPS), "-threads", "0",
            "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709", "-color_range", "tv",
            "-c:a", "aac", "-b:a", "64k", "-ar", str(AUDIO_RATE), "-ac", "1",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
            "-movflags", "+faststart", str(tmp_mp4)]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    fade = int(round(FADE_IN_S * FPS))
    try:
        for shot in shots:
            canvas = canvases[shot["scene"]]
            n = shot["end_frame"] - shot["start_frame"]
            for i, im in enumerate(shot_frames(canvas, w, h, shot["move"], n)):
                f = shot["start_frame"] + i
                if f < fade:
                    arr = np.asarray(im, np.float32) * (f / fade)
                    im = Image.fromarray((arr + 0.5).astype(np.uint8))
                proc.stdin.write(im.tobytes())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    err = proc.stderr.read().decode("utf-8", "replace")
    if proc.wait() != 0:
        sys.exit(f"make_sample: ffmpeg encode failed\n{err[-3000:]}")
    shutil.move(str(tmp_mp4), out)


def verify(ff: str, mp4: Path, timeline: dict) -> bool:
    sd = run([ff, "-hide_banner", "-nostats", "-i", str(mp4), "-af",
              f"silencedetect=noise={SILENCE_DB:g}dB:d={SILENCE_MIN_S:g}", "-vn", "-f", "null", "-"], text=True)
    starts = [float(x) for x in re.findall(r"silence_start: ([\d.]+)", sd.stderr)]
    ends = [float(x) for x in re.findall(r"silence_end: ([\d.]+)", sd.stderr)]
    sc = run([ff, "-hide_banner", "-nostats", "-i", str(mp4), "-vf", "scdet=threshold=10", "-an", "-f", "null", "-"],
             text=True)
    cuts = [float(x) for x in re.findall(r"lavfi\.scd\.time: ([\d.]+)", sc.stderr)]
    print("silencedetect starts:", starts)
    print("silencedetect ends:  ", ends)
    print("expected silences:   ", [(x["start"], x["end"]) for x in timeline["silences"]])
    print("scdet cuts:          ", cuts)
    print("expected cuts:       ", timeline["cuts"])
    ok = len(cuts) == len(timeline["cuts"]) and all(abs(a - b) < 0.05 for a, b in zip(cuts, timeline["cuts"],
                                                                                     strict=False))
    exp = timeline["silences"]
    ok_s = len(starts) == len(exp) and all(abs(a - e["start"]) < 0.2 for a, e in zip(starts, exp, strict=False))
    ok_e = all(abs(a - e["end"]) < 0.2 for a, e in zip(ends, exp[:len(ends)], strict=False))
    print("verify:", "OK" if ok and ok_s and ok_e else "MISMATCH")
    return ok and ok_s and ok_e


# --------------------------------------------------------------------------- main


STORY_TOML = """\
# Bundled sample story (generated by scripts/make_sample.py; see timeline.json for the ground truth).
id = "wuzhen-2016"
article = "article.txt"
video = "video.mp4"
photo = "photo.jpg"
language = "en"
photo_clip = true
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=Path, default=DEFAULT_SEED, help="seed article (default %(default)s)")
    ap.add_argument("--out", type=Path, default=None, help=f"output folder (default {DEFAULT_OUT})")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=720)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--seconds", type=float, default=None, help="total length; quotes and shots repeat to fill")
    g.add_argument("--duration-scale", type=float, default=None, help="total length = natural length x this")
    ap.add_argument("--crf", type=int, default=31)
    ap.add_argument("--preset", default="slow", help="x264 preset (default slow; e.g. veryfast for long variants)")
    ap.add_argument("--no-photo", action="store_true", help="skip photo.jpg (benchmarks)")
    ap.add_argument("--verify", action="store_true", help="run silencedetect and scdet on the result")
    args = ap.parse_args(argv)

    variant = (args.width, args.height) != (1280, 720) or args.seconds is not None or args.duration_scale is not None
    if args.out is None:
        if variant:
            ap.error("--out is required with --width/--height/--seconds/--duration-scale (keeps assets/ intact)")
        args.out = DEFAULT_OUT
    if args.width % 2 or args.height % 2 or args.width < 64 or args.height < 64:
        ap.error("--width/--height must be even and at least 64")
    if args.seconds is not None and args.seconds < 8:
        ap.error("--seconds must be at least 8")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    ff = ffmpeg_exe()
    article = place_article(args.seed, out).decode("utf-8")
    quotes = extract_quotes(article)
    with tempfile.TemporaryDirectory(prefix="make_sample_") as td:
        tmp = Path(td)
        plan = build_audio(ff, quotes, args.seconds, args.duration_scale, tmp)
        t_audio = time.monotonic()
        shots = plan_shots(plan.duration, plan.speech)
        cuts = [sh["start_frame"] for sh in shots[1:]]
        inside = [c for c in cuts if any(r["start"] < c / FPS < r["end"] for r in plan.speech if r["kind"] == "bite")]
        if any(r["kind"] == "bite" for r in plan.speech) and not inside and not variant:
            sys.exit("make_sample: no cut falls inside a soundbite")  # the sample must show cues split at a cut
        canvases = render_scenes({sh["scene"] for sh in shots}, args.width, args.height)
        t_paint = time.monotonic()
        encode(ff, out / "video.mp4", canvases, shots, args.width, args.height, plan.audio, tmp, args.crf,
               args.preset)
        t_enc = time.monotonic()
    if not args.no_photo:
        photo = scene_photo(1600, 1067, np.random.default_rng(SCENE_SEEDS["photo"]))
        Image.fromarray(photo).save(out / "photo.jpg", "JPEG", quality=85, optimize=True, progressive=False)
    (out / "story.toml").write_text(STORY_TOML, encoding="utf-8")
    espeak_ver = run([espeak_exe(), "--version"], text=True).stdout.strip()
    timeline = {
        "story": "wuzhen-2016",
        "generator": "scripts/make_sample.py",
        "width": args.width, "height": args.height, "fps": FPS,
        "frames": int(round(plan.duration * FPS)), "duration": round(plan.duration, 3),
        "fade_in": {"start": 0.0, "duration": FADE_IN_S, "from": "black"},
        "cuts": [round(c / FPS, 3) for c in cuts],
        "cut_frames": cuts,
        "cuts_inside_soundbites": [round(c / FPS, 3) for c in inside],
        "shots": shots,
        "speech": plan.speech,
        "silences": plan.silences,
        "audio": {
            "sample_rate": AUDIO_RATE, "channels": 1, "codec": "aac", "bitrate": "64k",
            "loudnorm": {"target": LOUDNORM, "mode": plan.loudnorm.get("normalization_type"),
                         "input_i": float(plan.loudnorm["input_i"])},
            "integrated_lufs": round(plan.lufs, 2),
            "room_tone_dbfs_rms": ROOM_TONE_DBFS,
            "lead_in": LEAD_S, "gap": GAP_S, "tail": TAIL_S, "max_inner_pause": MAX_INNER_PAUSE_S,
            "silencedetect": {"noise_db": SILENCE_DB, "min_duration": SILENCE_MIN_S, "found_in_mix": plan.detected},
        },
        "tts": {"engine": "espeak-ng", "version": espeak_ver, "speed_wpm": TTS_SPEED,
                "mandarin_speed_wpm": MANDARIN_SPEED, "voices": VOICES},
        "video": {"codec": "h264", "profile": "high", "pix_fmt": "yuv420p", "crf": args.crf, "preset": args.preset},
    }
    (out / "timeline.json").write_text(json.dumps(timeline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"make_sample: wrote {out} ({plan.duration:.2f} s, {len(shots)} shots, {len(plan.speech)} segments) "
          f"audio {t_audio - t0:.1f}s, paint {t_paint - t_audio:.1f}s, encode {t_enc - t_paint:.1f}s, "
          f"total {time.monotonic() - t0:.1f}s")
    for p in sorted(out.iterdir()):
        print(f"  {p.name:14s} {p.stat().st_size:>10,d} bytes")
    if args.verify:
        return 0 if verify(ff, out / "video.mp4", timeline) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
