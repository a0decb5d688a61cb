"""Plan: what the package will hold, as data, without running ffmpeg.

`Ingested` + `Analysis` -> `StoryPlan`: the caption cues and their lint report, and the render
plan (sizes, encoder settings, loudness correction, poster candidate times, metadata tags).
Tests build a plan from data alone.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from videonews import __version__
from videonews.ffmpeg.probe import MediaInfo
from videonews.ffmpeg.size import even, frame_size, needs_rescale
from videonews.models import Analysis, CuePlan, LintReport, Placement, RenderPlan, SocialRender
from videonews.settings import Settings
from videonews.speech import SpeechAnalysis
from videonews.stages.ingest import Ingested

if TYPE_CHECKING:
    from videonews.review.editlog import EditPlan


class StoryPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cues: CuePlan | None  # None: the article has no direct quotes
    lint: LintReport | None
    render: RenderPlan


def plan(ing: Ingested, analysis: Analysis, speech: SpeechAnalysis | None, settings: Settings, *,
         social: list[SocialRender] | None = None) -> StoryPlan:
    cues, lint = plan_captions(ing, analysis, speech)
    rp = plan_render(ing.info, analysis, settings, metadata=video_tags(ing), safe_frame_time=safe_frame_time(cues))
    tpl = ing.graphics
    logo = {"logo": str(tpl.logo), "logo_width": tpl.logo_spec.width, "logo_corner": tpl.logo_spec.corner} \
        if tpl.logo is not None else {}
    return StoryPlan(cues=cues, lint=lint, render=rp.model_copy(update={"social": social or [], **logo}))


def plan_captions(ing: Ingested, analysis: Analysis, speech: SpeechAnalysis | None
                  ) -> tuple[CuePlan | None, LintReport | None]:
    """Cues for the direct quotes where they are said (the placement rules), cut at shot changes,
    and their lint: what `videonews lint` will say about each subtitle file shipped (one source of truth for
    the manifest, the build summary and the review page). Without an audio track the quotes are timed by
    reading speed and flagged."""
    from videonews.subtitles import WRITERS, plan_cues
    from videonews.subtitles.lint import lint_shipped
    from videonews.subtitles.placement import place_on_speech, place_on_voices

    if not ing.quotes:
        return None, None
    fps = ing.info.fps or 25.0
    edits = ing.edits
    # a reviewer's timing wins over story.toml's (the same explicit path, recorded as an edit)
    timings = {**ing.story.options.timings, **(edits.timings if edits else {})} or None
    notes: list[str] = []
    placements = None
    if speech is not None:
        placements = place_on_voices(ing.quotes, speech, speech=analysis.speech, duration=analysis.duration,
                                     profile=ing.profile, timings=timings, warnings=notes)
    elif edits is not None and edits.count:
        placements = place_on_speech(ing.quotes, analysis.speech, duration=analysis.duration, fps=fps,
                                     profile=ing.profile, timings=timings, warnings=notes)
    if edits is not None and placements is not None:
        placements = _edited(placements, edits)
    cues = plan_cues(ing.quotes, duration=analysis.duration, fps=fps, speech=analysis.speech, shots=analysis.shots,
                     profile=ing.profile, timings=timings, placements=placements)
    cues.warnings[:0] = notes
    if edits is not None and edits.cues:
        cues = _nudged(cues, edits, profile_gap=ing.profile.min_gap_frames / fps, min_duration=ing.profile.min_duration)
    # every format videonews writes is shipped (stages/subtitles.py: SIDECAR_FORMATS)
    return cues, lint_shipped(cues.cues, tuple(WRITERS), profile=ing.profile, fps=fps, shots=analysis.shots,
                              duration=analysis.duration)


def _edited(placements: list[Placement], edits: EditPlan) -> list[Placement]:
    """Placements with reviewers' edits: their timings (already placed as explicit windows) recorded as
    edits, quotes marked not in the video taken out."""
    out = []
    for p in placements:
        if p.quote_id in edits.not_in_video:
            p = Placement(quote_id=p.quote_id, source="none", in_video=False,
                          reason=f"marked not in the video by {edits.not_in_video[p.quote_id]} (review edit)")
        elif p.quote_id in edits.timings and p.source == "explicit":
            p = p.model_copy(update={"source": "edit",
                                     "reason": f"timed by {edits.timing_by[p.quote_id]} (review edit)"})
        out.append(p)
    return out


def _nudged(cues: CuePlan, edits: EditPlan, *, profile_gap: float, min_duration: float) -> CuePlan:
    """Cue boundaries a reviewer moved, kept inside the neighbours (a minimum gap apart); a move that would
    leave the cue shorter than the profile's minimum (e.g. recorded before a re-plan renumbered the cues)
    is ignored with a warning."""
    items = [c.model_copy() for c in cues.cues]
    warnings = list(cues.warnings)
    for (number, edge), t in sorted(edits.cues.items()):
        if not 1 <= number <= len(items):
            warnings.append(f"review edit of cue {number} ignored: the plan has {len(items)} cues")
            continue
        c = items[number - 1]
        lo = items[number - 2].end + profile_gap if number > 1 else 0.0
        hi = items[number].start - profile_gap if number < len(items) else math.inf
        start, end = (min(max(t, lo), c.end), c.end) if edge == "start" else (c.start, max(min(t, hi), c.start))
        if end - start < min_duration - 1e-6:
            warnings.append(f"review edit of cue {number}'s {edge} to {t:g} s ignored: it would leave the cue "
                            f"{max(0.0, end - start):.2f} s long (minimum {min_duration:.2f} s)")
            continue
        c.start, c.end = round(start, 3), round(end, 3)
    return cues.model_copy(update={"cues": items, "warnings": warnings})


def video_tags(ing: Ingested) -> dict[str, str]:
    """MP4 metadata of the captioned videos: title, credits, what the captions are."""
    video_credit = ing.credit("video")
    article = ing.article
    tags = {
        "title": ing.title,
        "artist": (video_credit.organization if video_credit else "") or "",
        "copyright": f"© {video_credit.credit_line}" if video_credit and video_credit.credit_line else "",
        "comment": f"Captions: direct quotes from the article ({article.source or 'source unknown'}); "
                   f"built by videonews {__version__}",
        "date": article.date.isoformat() if article.date else "",
    }
    return {k: v for k, v in tags.items() if v}


def safe_frame_time(cues: CuePlan | None) -> float | None:
    """The QA page's safe-area frame: the middle of the first cue, grabbed during the render."""
    if cues is None or not cues.cues:
        return None
    return (cues.cues[0].start + cues.cues[0].end) / 2


def source_prep(info: MediaInfo, short_side: int = 0) -> RenderPlan:
    """A render plan that says only how the source's frames are made ready (size, crop, deinterlacing,
    square pixels, tone mapping): for decodes of single frames outside the render (a reviewer's poster)."""
    w, h, crop = frame_size(info, short_side)
    return RenderPlan(width=w, height=h, crop=crop, deinterlace=info.interlaced,
                      rescale=needs_rescale(info, (w, h), crop), tonemap=info.hdr, fps=info.fps or 25.0,
                      duration=float(info.duration or 0.0), has_audio=info.has_audio)


def plan_render(info: MediaInfo, analysis: Analysis, settings: Settings, *, metadata: dict[str, str],
                safe_frame_time: float | None = None) -> RenderPlan:
    source = source_prep(info, settings.output_short_side)  # size, crop, deinterlacing, pixels, tone mapping
    w, h = source.width, source.height
    enc = settings.encoder_options()
    duration = analysis.duration or float(info.duration or 0)
    step = max(duration / settings.thumbnail_candidates, 0.2)
    pw = min(settings.preview_width, w)
    ph = max(2, round(pw * h / w / 2) * 2)
    pw = even(pw)
    return RenderPlan(
        **source.model_dump(include={"width", "height", "crop", "deinterlace", "rescale", "tonemap", "fps",
                                     "has_audio"}),
        mono_from=analysis.one_sided, duration=duration,
        encoder=settings.encoder, x264_preset=enc["preset"], crf=enc["crf"], audio_bitrate=enc["audio_bitrate"],
        preview_width=pw, preview_height=ph, candidate_start=round(step / 2, 3), candidate_step=round(step, 3),
        candidate_width=min(w, 1920), threads=settings.threads, scene_threshold=settings.scene_threshold,
        loudnorm=_loudnorm(analysis, settings), metadata=metadata,
        safe_frame_time=(None if safe_frame_time is None
                         else round(min(max(0.0, safe_frame_time), max(0.0, duration - 0.1)), 3)),
    )


def _loudnorm(analysis: Analysis, settings: Settings) -> dict[str, float] | None:
    """loudnorm's second pass (linear): the target and what the analysis measured."""
    loud = analysis.loudness
    if loud is None or loud.integrated is None:
        return None
    return {
        "I": settings.loudness_target,
        "TP": settings.true_peak_max,
        "LRA": 11.0 if (loud.lra or 0) <= 11 else min(20.0, math.ceil(loud.lra or 11)),
        "measured_I": loud.integrated or -70.0,
        "measured_TP": loud.true_peak if loud.true_peak is not None else -70.0,
        "measured_LRA": loud.lra or 0.0,
        "measured_thresh": loud.threshold if loud.threshold is not None else -70.0,
    }
