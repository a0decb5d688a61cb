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
    InputFile,
    LintSummary,
    LoudnessInfo,
    Manifest,
    PosterInfo,
    Provenance,
    QuoteEntry,
    StoryInfo,
    SubtitleInfo,
)
from videonews.models import Analysis, RenderPlan
from videonews.settings import Settings
from videonews.stages.ingest import Ingested
from videonews.stages.plan import StoryPlan
from videonews.stages.workspace import Workspace


def package(ing: Ingested, analysis: Analysis, plan: StoryPlan, assets: list[Asset], poster: PosterInfo,
            warnings: list[str], ws: Workspace, settings: Settings, *, photo_clip: bool) -> Manifest:
    from videonews.structured import write_structured_data

    shutil.rmtree(ws.scratch, ignore_errors=True)
    story, article = ing.story, ing.article
    cues, lint = plan.cues, plan.lint
    manifest = Manifest(
        story=StoryInfo(id=story.id, headline=ing.headline, date=article.date.isoformat() if article.date else None,
                        language=ing.language, source=article.source,
                        source_url=story.options.source_url or article.source_url, editor=article.editor),
        credits=ing.credits,
        quotes=[QuoteEntry(id=q.id, speaker=q.speaker, speaker_title=q.speaker_title, text=q.text,
                           partial=q.partial, span=q.span, confidence=q.confidence,
                           needs_review=q.needs_review, reason=q.reason) for q in article.quotes],
        subtitles=SubtitleInfo(
            timing_source=cues.timing_source,
            lint=LintSummary(profile=lint.profile, cues=lint.cues, errors=lint.errors,
                             warnings=len(lint.findings) - lint.errors, findings=lint.findings),
            warnings=cues.warnings,
        ) if cues and lint else None,
        no_subtitles_reason=None if ing.quotes else "the article has no direct quotes",
        poster=poster,
        analysis=_analysis_info(analysis, plan.render, settings),
        assets=assets,
        provenance=Provenance(
            inputs=_inputs(ing), videonews_version=__version__, ffmpeg_version=ffmpeg_version(ing.exe),
            settings=settings.fingerprint_fields() | {"profile": ing.profile.name, "photo_clip": photo_clip},
            created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        ),
        warnings=warnings,
    )
    jsonld = write_structured_data(manifest, ws.root)
    manifest.assets.append(Asset.of_file(ws.root, jsonld, "structured_data", format="json-ld"))
    return manifest


def _analysis_info(analysis: Analysis, rplan: RenderPlan, settings: Settings) -> AnalysisInfo:
    loud = analysis.loudness
    return AnalysisInfo(
        speech=[(s.start, s.end) for s in analysis.speech or []],
        shots=analysis.shots,
        loudness=LoudnessInfo(integrated=loud.integrated if loud else None,
                              true_peak=loud.true_peak if loud else None,
                              lra=loud.lra if loud else None,
                              target=settings.loudness_target, normalized=rplan.loudnorm is not None),
    )


def _inputs(ing: Ingested) -> list[InputFile]:
    story = ing.story
    inputs = [InputFile.of_file("article", story.article), InputFile.of_file("video", story.video)]
    if story.photo:
        inputs.append(InputFile.of_file("photo", story.photo))
    toml = story.folder / "story.toml"
    if toml.is_file():
        inputs.append(InputFile.of_file("story", toml))
    return inputs
