"""Analyze: cheap ffmpeg passes over the source for speech, loudness and approximate shot changes.

`Ingested` -> `Analysis`, in two halves that decode different streams: `hear` (the audio, and the
16 kHz PCM the speech stage listens to) and `look` (the video's reference frames, for cuts), so the
orchestrator can run the speech recogniser while `look` runs. The graph and its parsers live in
`videonews.ffmpeg.analysis`.
"""

from __future__ import annotations

from pathlib import Path

from videonews.errors import MediaError
from videonews.ffmpeg.analysis import (
    ThinnedLog,
    analysis_argv,
    check_integrity,
    one_sided,
    parse_ebur128,
    parse_scdet,
    parse_sides,
    parse_silences,
    speech_from_silences,
)
from videonews.ffmpeg.probe import MediaInfo
from videonews.ffmpeg.runner import ProgressCallback, run
from videonews.models import Analysis
from videonews.settings import Settings
from videonews.stages.ingest import Ingested


def hear(ing: Ingested, settings: Settings, *, pcm: Path | None = None,
         on_progress: ProgressCallback | None = None) -> Analysis:
    """The audio half: speech segments, loudness and (into `pcm`) 16 kHz mono PCM for the speech stage."""
    return hear_video(ing.story.video, ing.info, settings, exe=ing.exe, pcm=pcm, on_progress=on_progress)


def look(ing: Ingested, settings: Settings, analysis: Analysis, *,
         on_progress: ProgressCallback | None = None, frames_dir: Path | None = None) -> Analysis:
    """The video half: approximate shot changes from the reference frames, added to `analysis` (and, with
    `frames_dir`, two small frames a second for planning the social versions' crops)."""
    return look_video(ing.story.video, ing.info, settings, analysis, exe=ing.exe, on_progress=on_progress,
                      frames_dir=frames_dir)


def analyze_video(video: Path, info: MediaInfo, settings: Settings, *, exe: str, pcm: Path | None = None,
                  on_progress: ProgressCallback | None = None) -> Analysis:
    """Both halves, one after the other."""
    heard = hear_video(video, info, settings, exe=exe, pcm=pcm, on_progress=on_progress)
    return look_video(video, info, settings, heard, exe=exe, on_progress=on_progress)


def hear_video(video: Path, info: MediaInfo, settings: Settings, *, exe: str, pcm: Path | None = None,
               on_progress: ProgressCallback | None = None) -> Analysis:
    duration = float(info.duration or 0.0)
    if not info.has_audio:
        return Analysis(duration=duration, speech=None,
                        warnings=["video has no audio track: cues are timed by reading speed"])
    stderr, _ = _run_pass(analysis_argv(exe, video, info, settings, pcm=pcm, video_pass=False), video, duration,
                          settings, on_progress)
    silences = parse_silences(stderr, duration)
    speech = speech_from_silences(silences, duration)
    loudness, live = parse_ebur128(stderr), one_sided(parse_sides(stderr))
    warnings = [] if speech else ["no speech found in the audio"]
    if live is not None:
        side = ("left", "right")[live]
        warnings.append(f"the sound is on the {side} channel only (the other is silent): both sides carry it")
        if loudness.integrated is not None:  # both sides equal: 3 dB more than one alone (ebur128 sums them)
            loudness = loudness.model_copy(update={"integrated": round(loudness.integrated + 3.01, 1)})
    return Analysis(duration=duration, speech=speech, silences=silences, loudness=loudness, one_sided=live,
                    warnings=warnings)


def look_video(video: Path, info: MediaInfo, settings: Settings, analysis: Analysis, *, exe: str,
               on_progress: ProgressCallback | None = None, frames_dir: Path | None = None) -> Analysis:
    duration = analysis.duration
    if frames_dir is not None:
        frames_dir.mkdir(parents=True, exist_ok=True)
    stderr, reached = _run_pass(analysis_argv(exe, video, info, settings, audio=False, frames_dir=frames_dir), video,
                                duration, settings, on_progress)
    if reached is not None and reached < duration / 2 - 1.0:  # what the plan and the render would trust
        raise MediaError(f"video header says it lasts {duration:,.1f} s, but its frames end at {reached:.1f} s",
                         path=video, remedy="re-export the video: its header is wrong or the file is cut short")
    return analysis.model_copy(update={"shots": [t for t in parse_scdet(stderr) if 0 < t < duration]})


def _run_pass(argv: list[str], video: Path, duration: float, settings: Settings,
              on_progress: ProgressCallback | None) -> tuple[str, float | None]:
    """Run one analysis pass; its stderr (loudness lines thinned as they come) and the media time it reached
    (known when progress is followed). A truncated or undecodable file is a MediaError naming it."""
    log = ThinnedLog()
    result = run(argv, timeout=settings.ffmpeg_timeout, duration=duration, on_progress=on_progress,
                 what="ffmpeg analysis", path=video, check=False, on_stderr_line=log)
    stderr = log.text()
    check_integrity(stderr, video)
    if result.returncode != 0:
        tail = [ln for ln in result.stderr.splitlines() if ln.strip()][-1:]
        raise MediaError(f"video cannot be decoded: {' '.join(tail) or 'ffmpeg failed'}", path=video,
                         remedy="check that the file plays; re-export it as H.264 MP4")
    return stderr, (result.progress[-1].seconds if result.progress else None)
