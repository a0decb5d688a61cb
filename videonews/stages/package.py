"""Package: the manifest the CMS ingests, and the web page's structured data.

Everything the earlier stages made -> `Manifest` (in memory; the orchestrator writes it last, after
the review page, so a package without its manifest is never mistaken for a finished one).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

from videonews import __version__
from videonews.ffmpeg import ffmpeg_version
from videonews.manifest import (
    AnalysisInfo,
    Asset,
    ContentCredentialsInfo,
    InputFile,
    LintSummary,
    LoudnessInfo,
    Manifest,
    PosterInfo,
    Provenance,
    QuoteEntry,
    QuoteTiming,
    StoryInfo,
    SubtitleInfo,
    SuperInfo,
    VoicesInfo,
    VoiceTurnInfo,
)
from videonews.models import Analysis, Placement, Quote, RenderPlan
from videonews.settings import Settings
from videonews.speech import SpeechAnalysis
from videonews.stages.ingest import Ingested
from videonews.stages.plan import StoryPlan
from videonews.stages.workspace import Workspace
from videonews.story import Story


def package(ing: Ingested, analysis: Analysis, speech: SpeechAnalysis | None, plan: StoryPlan, assets: list[Asset],
            poster: PosterInfo, warnings: list[str], ws: Workspace, settings: Settings, *, photo_clip: bool,
            credentials: ContentCredentialsInfo | None = None, inputs: list[InputFile] | None = None) -> Manifest:
    from videonews.structured import write_structured_data

    shutil.rmtree(ws.scratch, ignore_errors=True)
    story, article = ing.story, ing.article
    cues, lint = plan.cues, plan.lint
    manifest = Manifest(
        quality=settings.preset,
        content_credentials=credentials or ContentCredentialsInfo(status="unsigned", reason="not signed"),
        story=StoryInfo(id=story.id, headline=ing.headline, date=article.date.isoformat() if article.date else None,
                        language=ing.language, source=article.source,
                        source_url=story.options.source_url or article.source_url, editor=article.editor),
        credits=ing.credits,
        quotes=_quotes(article.quotes, cues.placements if cues else [], ing),
        subtitles=SubtitleInfo(
            timing_source=cues.timing_source,
            lint=LintSummary(profile=lint.profile, cues=lint.cues, errors=lint.errors,
                             warnings=len(lint.findings) - lint.errors, findings=lint.findings),
            supers=[SuperInfo(speaker=s.speaker, title=s.title, start=round(s.start, 3), end=round(s.end, 3))
                    for s in cues.supers],
            warnings=cues.warnings,
        ) if cues and lint else None,
        no_subtitles_reason=None if ing.quotes else "the article has no direct quotes",
        poster=poster,
        analysis=_analysis_info(analysis, speech, plan.render, settings),
        assets=assets,
        provenance=Provenance(
            inputs=inputs if inputs is not None else story_inputs(ing.story), videonews_version=__version__, ffmpeg_version=ffmpeg_version(ing.exe),
            settings=settings.fingerprint_fields() | {"profile": ing.profile.name, "photo_clip": photo_clip},
            created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        ),
        warnings=warnings,
    )
    jsonld = write_structured_data(manifest, ws.root)
    manifest.assets.append(Asset.of_file(ws.root, jsonld, "structured_data", format="json-ld"))
    return manifest


def _quotes(quotes: list[Quote], placements: list[Placement], ing: Ingested | None = None) -> list[QuoteEntry]:
    """Each quote with its attribution (needs_review: the speaker) and, for direct ones, where its captions
    are and why (timing.needs_review: the placement); a reviewer's speaker edit keeps the article's beside it."""
    where = {p.quote_id: p for p in placements}
    edited = ing.edits.speakers if ing is not None and ing.edits is not None else {}
    out = []
    for q in quotes:
        p = where.get(q.id)
        timing = None if p is None else QuoteTiming(
            source=p.source, start=_ms(p.start), end=_ms(p.end), confidence=p.confidence,
            needs_review=p.needs_review, reason=p.reason, voice=p.voice)
        out.append(QuoteEntry(id=q.id, speaker=q.speaker, speaker_title=q.speaker_title,
                              speaker_title_source=q.speaker_title_source, quoted_by=q.quoted_by, text=q.text,
                              partial=q.partial, span=q.span, confidence=q.confidence, needs_review=q.needs_review,
                              reason=q.reason, in_video=p.in_video if p else None, timing=timing,
                              article_speaker=edited[q.id].article_speaker if q.id in edited else None,
                              article_speaker_title=edited[q.id].article_title if q.id in edited else None))
    return out


def _ms(t: float | None) -> float | None:
    return None if t is None else round(t, 3)


def _voices(speech: SpeechAnalysis | None) -> VoicesInfo | None:
    if speech is None:
        return None
    return VoicesInfo(turns=[VoiceTurnInfo(start=t.start, end=t.end, voice=t.voice, reporter=t.voice == speech.reporter)
                             for t in speech.turns],
                      reporter=speech.reporter, reporter_reason=speech.reporter_reason, reason=speech.reason)


def _analysis_info(analysis: Analysis, speech: SpeechAnalysis | None, rplan: RenderPlan,
                   settings: Settings) -> AnalysisInfo:
    loud = analysis.loudness
    return AnalysisInfo(
        voices=_voices(speech),
        speech=[(s.start, s.end) for s in analysis.speech or []],
        shots=analysis.shots,
        loudness=LoudnessInfo(integrated=loud.integrated if loud else None,
                              true_peak=loud.true_peak if loud else None,
                              lra=loud.lra if loud else None,
                              target=settings.loudness_target, normalized=rplan.loudnorm is not None),
    )


def story_inputs(story: Story) -> list[InputFile]:
    """The files the package was built from, for its provenance."""
    inputs = [InputFile.of_file("article", story.article), InputFile.of_file("video", story.video)]
    if story.photo:
        inputs.append(InputFile.of_file("photo", story.photo))
    toml = story.folder / "story.toml"
    if toml.is_file():
        inputs.append(InputFile.of_file("story", toml))
    return inputs
