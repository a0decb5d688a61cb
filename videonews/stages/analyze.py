"""Analyze: one cheap ffmpeg pass over the source for speech, loudness and approximate shot changes.

`Ingested` -> `Analysis`. The graph and its parsers live in `videonews.ffmpeg.analysis`.
"""

from __future__ import annotations

from pathlib import Path

from videonews.errors import MediaError
from videonews.ffmpeg.analysis import (
    ThinnedLog,
    analysis_argv,
    check_integrity,
    parse_ebur128,
    parse_scdet,
    parse_silences,
    speech_from_silences,
)
from videonews.ffmpeg.probe import MediaInfo
from videonews.ffmpeg.runner import ProgressCallback, run
from videonews.models import Analysis, Loudness, Segment
from videonews.settings import Settings
from videonews.stages.ingest import Ingested


def analyze(ing: Ingested, settings: Settings, *, pcm: Path | None = None,
            on_progress: ProgressCallback | None = None) -> Analysis:
    """`pcm`: where to keep the audio as 16 kHz mono PCM for the speech stage (written in the same pass)."""
    return analyze_video(ing.story.video, ing.info, settings, exe=ing.exe, pcm=pcm, on_progress=on_progress)


def analyze_video(video: Path, info: MediaInfo, settings: Settings, *, exe: str, pcm: Path | None = None,
                  on_progress: ProgressCallback | None = None) -> Analysis:
    duration = float(info.duration or 0.0)
    log = ThinnedLog()
    result = run(analysis_argv(exe, video, info, settings, pcm=pcm), timeout=settings.ffmpeg_timeout,
                 duration=duration, on_progress=on_progress, what="ffmpeg analysis", path=video, check=False,
                 on_stderr_line=log)
    stderr = log.text()
    check_integrity(stderr, video)
    if result.returncode != 0:
        tail = [ln for ln in result.stderr.splitlines() if ln.strip()][-1:]
        raise MediaError(f"video cannot be decoded: {' '.join(tail) or 'ffmpeg failed'}", path=video,
                         remedy="check that the file plays; re-export it as H.264 MP4")
    warnings: list[str] = []
    speech: list[Segment] | None = None
    silences: list[Segment] = []
    loudness: Loudness | None = None
    if info.has_audio:
        silences = parse_silences(stderr, duration)
        speech = speech_from_silences(silences, duration)
        loudness = parse_ebur128(stderr)
        if not speech:
            warnings.append("no speech found in the audio")
    else:
        warnings.append("video has no audio track: cues are timed by reading speed")
    shots = [t for t in parse_scdet(stderr) if 0 < t < duration]
    return Analysis(duration=duration, speech=speech, silences=silences, shots=shots,
                    loudness=loudness, warnings=warnings)
