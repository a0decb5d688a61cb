"""Ingest: read what the producer delivered and refuse what cannot be built, before any work starts.

story folder -> `Ingested`: the story and its options, the article's facts and quotes, the video's
probe, the photo (decoded and checked), the caption font, the subtitle profile and the credits.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image
from pydantic import ValidationError

from videonews.article import parse_article
from videonews.errors import ArticleError, FontError, InputError, StoryError, over_limit
from videonews.ffmpeg import ffmpeg_exe, probe
from videonews.ffmpeg.probe import MediaInfo, check_video_limits, require_video
from videonews.ffmpeg.size import frame_size
from videonews.graphics import Template, default_template, load_template
from videonews.manifest import CreditEntry
from videonews.models import PROFILES, Article, Quote, StyleProfile
from videonews.settings import Settings
from videonews.story import OUTSIDE_REMEDY, Story, load_story
from videonews.typefaces import FontChoice, choose_font, covers

if TYPE_CHECKING:
    from videonews.review.editlog import EditPlan


@dataclass(frozen=True)
class Ingested:
    """Everything later stages know about the story; nothing here changes during a build."""

    story: Story
    article: Article
    info: MediaInfo
    exe: str  # the ffmpeg binary
    profile: StyleProfile
    font: FontChoice
    photo_image: Image.Image | None
    credits: list[CreditEntry]
    graphics: Template = field(default_factory=default_template)
    edits: EditPlan | None = None  # reviewers' edits of the previous package (review/edits.py), applied
    short_side: int = 0  # the outputs' shorter side at most (settings.output_short_side; 0: the source's)

    @property
    def frame(self) -> tuple[int, int]:
        """The video outputs' width and height (see `videonews.ffmpeg.size.frame_size`)."""
        w, h, _ = frame_size(self.info, self.short_side)
        return w, h

    def with_edits(self, edits: EditPlan | None) -> Ingested:
        """This story with reviewers' edits: speakers and titles changed in the quote model (the rest acts
        in the planner and the thumbnails stage)."""
        if edits is None or not edits.count:
            return self
        quotes = [q.model_copy(update={"speaker": edits.speakers[q.id].speaker,
                                       "speaker_title": edits.speakers[q.id].title,
                                       "speaker_title_source": "review edit", "needs_review": False,
                                       "confidence": 1.0,
                                       "reason": f"speaker set by {edits.speakers[q.id].by} (review edit)"})
                  if q.id in edits.speakers else q for q in self.article.quotes]
        return replace(self, article=self.article.model_copy(update={"quotes": quotes}), edits=edits)

    @property
    def poster_time(self) -> float | None:
        """The pinned poster time: a reviewer's edit, else story.toml's."""
        if self.edits is not None and self.edits.poster_time is not None:
            return self.edits.poster_time
        return self.story.options.poster_time

    @property
    def quotes(self) -> list[Quote]:
        """The quotes that become captions: direct ones, in article order."""
        return self.article.direct_quotes

    @property
    def headline(self) -> str | None:
        return self.story.options.headline or self.article.headline

    @property
    def title(self) -> str:
        return self.headline or self.story.id

    @property
    def language(self) -> str:
        return self.story.options.language

    def credit(self, role: str) -> CreditEntry | None:
        return next((c for c in self.credits if c.role == role), None)

    @property
    def credit_line(self) -> str | None:
        """The source credit burned in at the top of the captioned video."""
        return f"Source: {self.article.source}" if self.article.source else None


def ingest(story_path: Path, settings: Settings) -> Ingested:
    """Read and check everything; every limit in `settings` is checked here, before any work starts."""
    story = load_story(story_path, allow_outside=settings.allow_outside_story)
    article = parse_article(story.article, max_bytes=settings.max_article_bytes)
    profile = style_profile(settings, story)
    check_quotes(article, profile, settings, story.article)
    exe = ffmpeg_exe(settings.ffmpeg)
    info = probe(story.video, exe=exe)
    require_video(info, story.video)
    check_video_limits(info, story.video, settings)
    photo_image = None
    if story.photo is not None:
        from videonews.images import load_photo

        photo_image = load_photo(story.photo, max_pixels=settings.max_photo_pixels)
    graphics = graphics_for(story, settings)
    return Ingested(story=story, article=article, info=info, exe=exe, profile=profile,
                    short_side=settings.output_short_side,
                    font=_caption_font(article, story, settings, graphics), photo_image=photo_image,
                    credits=credits_for(article, story), graphics=graphics)


def graphics_for(story: Story, settings: Settings) -> Template:
    """The story's graphics template (story.toml wins over the setting), validated."""
    which: str | Path = story.graphics or story.options.graphics or settings.graphics
    tpl = load_template(which, fonts_dir=settings.fonts_dir)
    if story.graphics is not None and not settings.allow_outside_story:
        # the story's own template obeys the story's rule: the files it names are inside the folder too
        for f in tpl.named_files:
            if not f.resolve().is_relative_to(story.folder):
                raise StoryError(f"the graphics template names a file outside the story folder: {f.name}",
                                 path=story.graphics, remedy=OUTSIDE_REMEDY)
    return tpl


def _caption_font(article: Article, story: Story, settings: Settings, graphics: Template | None = None) -> FontChoice:
    quotes = article.direct_quotes
    caption_text = " ".join(q.text for q in quotes) + " " + " ".join(
        f"{q.speaker or ''} {q.speaker_title or ''}" for q in quotes) + (article.source or "")
    family = settings.font
    if graphics is not None and graphics.font_files:
        # the template's font when it draws every character; otherwise a font that does
        if covers(graphics.font_files[0], caption_text):
            return FontChoice(graphics.font_family, graphics.font_files)
        family = graphics.font_family
    try:
        return choose_font(caption_text, family=family, fonts_dir=settings.fonts_dir)
    except FontError as exc:  # the characters come from the article: name it
        raise FontError(exc.problem, path=exc.path or story.article, remedy=exc.remedy) from None


def style_profile(settings: Settings, story: Story) -> StyleProfile:
    """The subtitle profile with story.toml's [style] overrides (each already checked by the story model)."""
    name = story.options.profile or settings.profile
    if name not in PROFILES:
        raise InputError(f"unknown subtitle profile '{name}'", remedy=f"use one of: {', '.join(PROFILES)}")
    base = PROFILES[name]
    overrides = story.options.style.model_dump(exclude_unset=True)
    if not overrides:
        return base
    try:
        return StyleProfile.model_validate({**base.model_dump(), **overrides})
    except ValidationError as exc:  # values that disagree with each other or with the profile
        raise StoryError(exc.errors()[0]["msg"].removeprefix("Value error, "), path=story.folder / "story.toml",
                         field="style", remedy=f"make the [style] values agree (profile {name})") from None


def check_quotes(article: Article, profile: StyleProfile, settings: Settings, path: Path) -> None:
    """Refuse a quote longer than max_quote_chars (planning time grows with its square) and quotes needing
    more than max_subtitle_cues cues (at best a full box each), before any planning."""
    quotes = article.direct_quotes
    for q in quotes:
        if len(q.text) > settings.max_quote_chars:
            raise over_limit(ArticleError, f"quote {q.id} has {len(q.text):,} characters",
                             f"{settings.max_quote_chars:,}-character", "max_quote_chars", path=path)
    box = profile.max_chars_per_line * profile.max_lines
    cues = sum(-(-len(q.text) // box) for q in quotes)
    if cues > settings.max_subtitle_cues:
        raise over_limit(ArticleError, f"its {len(quotes):,} quotes need at least {cues:,} subtitle cues",
                         f"{settings.max_subtitle_cues:,}-cue", "max_subtitle_cues", path=path)


def _organisation(source: str | None) -> str | None:
    if not source:
        return None
    name = source.strip()
    for suffix in (".com.cn", ".co.uk", ".com", ".cn", ".org", ".net", ".tv"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def credits_for(article: Article, story: Story) -> list[CreditEntry]:
    o = story.options.credits
    credits: list[CreditEntry] = []
    photo = article.photos[0] if article.photos else None
    agency = o.agency or (photo.agency if photo else None)
    photographer = o.photographer or (photo.photographer if photo else None)
    if story.photo is not None and (agency or photographer):
        line = "/".join(x for x in (agency, photographer) if x)
        credits.append(CreditEntry(role="photo", name=photographer, organization=agency, credit_line=line))
    video_org = o.video or _organisation(article.source)
    if video_org:
        credits.append(CreditEntry(role="video", organization=video_org, credit_line=article.source or video_org))
    return credits
