"""Ingest: read what the producer delivered and refuse what cannot be built, before any work starts.

story folder -> `Ingested`: the story and its options, the article's facts and quotes, the video's
probe, the photo (decoded and checked), the caption font, the subtitle profile and the credits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from videonews.article import parse_article
from videonews.errors import FontError, InputError
from videonews.ffmpeg import ffmpeg_exe, probe
from videonews.ffmpeg.probe import MediaInfo, require_video
from videonews.manifest import CreditEntry
from videonews.models import PROFILES, Article, Quote, StyleProfile
from videonews.settings import Settings
from videonews.story import Story, load_story
from videonews.typefaces import FontChoice, choose_font


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
    story = load_story(story_path)
    article = parse_article(story.article)
    profile = style_profile(settings, story)
    exe = ffmpeg_exe(settings.ffmpeg)
    info = probe(story.video, exe=exe)
    require_video(info, story.video)
    photo_image = None
    if story.photo is not None:
        from videonews.images import load_photo

        photo_image = load_photo(story.photo)
    return Ingested(story=story, article=article, info=info, exe=exe, profile=profile,
                    font=_caption_font(article, story, settings), photo_image=photo_image,
                    credits=credits_for(article, story))


def _caption_font(article: Article, story: Story, settings: Settings) -> FontChoice:
    quotes = article.direct_quotes
    caption_text = " ".join(q.text for q in quotes) + " " + " ".join(
        f"{q.speaker or ''} {q.speaker_title or ''}" for q in quotes) + (article.source or "")
    try:
        return choose_font(caption_text, family=settings.font, fonts_dir=settings.fonts_dir)
    except FontError as exc:  # the characters come from the article: name it
        raise FontError(exc.problem, path=exc.path or story.article, remedy=exc.remedy) from None


def style_profile(settings: Settings, story: Story) -> StyleProfile:
    name = story.options.profile or settings.profile
    if name not in PROFILES:
        raise InputError(f"unknown subtitle profile '{name}'", remedy=f"use one of: {', '.join(PROFILES)}")
    base = PROFILES[name]
    if story.options.style:
        try:
            return base.model_copy(update=story.options.style)
        except Exception as exc:  # pragma: no cover - pydantic's own message is clear
            raise InputError(f"bad [style] override: {exc}", path=story.folder / "story.toml") from exc
    return base


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
