"""Subtitles: the planned cues written as sidecar files and as the styled ASS script the render
burns in. `StoryPlan` -> `SubtitleFiles`. One module per format lives in `videonews.subtitles.formats`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from videonews.fsutil import atomic_write
from videonews.manifest import Asset
from videonews.models import CuePlan, SocialRender, TimedWord
from videonews.stages.ingest import Ingested
from videonews.stages.plan import StoryPlan
from videonews.stages.workspace import Workspace

SIDECAR_FORMATS = ("srt", "vtt", "ass", "ttml")  # the ASS script is published too: it is what was burned


@dataclass(frozen=True)
class SubtitleFiles:
    ass: Path  # the script the render burns in (written even without cues: it carries the credit)
    assets: list[Asset]


def write_subtitles(ing: Ingested, plan: StoryPlan, duration: float, ws: Workspace) -> SubtitleFiles:
    from videonews.subtitles.formats import save_subtitles

    story, lang = ing.story, ing.language
    cues = plan.cues.cues if plan.cues else []
    ing.font.install(ws.fonts)  # libass finds the caption font here (the render's fontsdir)
    ass = ws.subtitles / f"{story.id}.{lang}.ass"
    save_subtitles("ass", cues, ass, width=plan.render.width, height=plan.render.height, font=ing.font.family,
                   credit=ing.credit_line, duration=duration, title=ing.title,
                   supers=plan.cues.supers if plan.cues else [], template=ing.graphics, font_files=ing.font.files,
                   words=_words(plan.cues))
    for sr in plan.render.social:  # each social version's own script, laid out for its frame
        _social_script(ing, plan, sr, duration, ws)
    assets: list[Asset] = []
    if plan.cues:
        for fmt in SIDECAR_FORMATS:
            path = ws.subtitles / f"{story.id}.{lang}.{fmt}"
            if fmt != "ass":
                # word-highlight captions: WebVTT gets a timestamp tag before each word where word times exist
                extra = {"words": _words(plan.cues)} if fmt == "vtt" and ing.graphics.caption.word_highlight else {}
                save_subtitles(fmt, cues, path, language=lang, title=ing.title, **extra)
            assets.append(Asset.of_file(ws.root, path, "subtitles" if fmt != "ass" else "captions_script",
                                        format=fmt, language=lang))
        words = ws.subtitles / f"{story.id}.{lang}.words.json"
        atomic_write(words, word_timings(ing, plan.cues))
        assets.append(Asset.of_file(ws.root, words, "word_timings", format="json", language=lang))
    else:  # no captions: the script still burns in the source credit, and a package lists every file it holds
        assets.append(Asset.of_file(ws.root, ass, "captions_script", format="ass", language=lang))
    return SubtitleFiles(ass=ass, assets=assets)


def _social_script(ing: Ingested, plan: StoryPlan, sr: SocialRender, duration: float, ws: Workspace) -> Path:
    from videonews.stages.social import SOCIAL_CHARS, SOCIAL_LINES, SOCIAL_SAFE, social_cues
    from videonews.subtitles.formats import save_subtitles

    cues = social_cues(plan.cues.cues, max_chars=SOCIAL_CHARS[sr.aspect]) if plan.cues else []
    path = ws.scratch / sr.ass_name
    save_subtitles("ass", cues, path, width=sr.width, height=sr.height, font=ing.font.family, credit=ing.credit_line,
                   duration=duration, title=ing.title, supers=plan.cues.supers if plan.cues else [],
                   template=ing.graphics, font_files=ing.font.files, words=_words(plan.cues),
                   max_chars=SOCIAL_CHARS[sr.aspect], max_lines=SOCIAL_LINES, safe=SOCIAL_SAFE[sr.aspect],
                   highlight=True)  # the way social captions look: the word being said lights up
    return path


def _words(cues: CuePlan | None) -> dict[str, list[TimedWord]]:
    """Each aligned quote's words (for word-highlight captions)."""
    if cues is None:
        return {}
    return {p.quote_id: list(p.words) for p in cues.placements if p.in_video and p.words}


def word_timings(ing: Ingested, cues: CuePlan) -> str:
    """Each captioned quote's words where they are said (aligned quotes; others have none): what
    word-by-word highlight captions and an editor's tools need."""
    quotes = [{"id": p.quote_id, "source": p.source, "confidence": p.confidence,
               "start": None if p.start is None else round(p.start, 3),
               "end": None if p.end is None else round(p.end, 3),
               "words": [{"text": w.text, "start": round(w.start, 3), "end": round(w.end, 3)} for w in p.words]}
              for p in cues.placements if p.in_video]
    return json.dumps({"version": 1, "story": ing.story.id, "language": ing.language, "quotes": quotes},
                      indent=1, ensure_ascii=False) + "\n"
