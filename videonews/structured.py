"""schema.org JSON-LD for the web page: the VideoObject and the NewsArticle it belongs to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from videonews.fsutil import atomic_write
from videonews.manifest import Manifest

JSONLD_NAME = "structured-data.jsonld"


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration, e.g. 114.2 -> 'PT1M54S'."""
    total = max(0, int(round(seconds)))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    out = "PT"
    if h:
        out += f"{h}H"
    if m:
        out += f"{m}M"
    if s or out == "PT":
        out += f"{s}S"
    return out


def structured_data(manifest: Manifest) -> dict[str, Any]:
    """URLs are relative to the package; the CMS rewrites them to where it serves the files."""
    by_role: dict[str, list[Any]] = {}
    for a in manifest.assets:
        by_role.setdefault(a.role, []).append(a)
    video = by_role.get("captioned_video", [None])[0]
    thumbs = [a.path for a in by_role.get("poster", []) + by_role.get("thumbnail", [])]
    video_credit = next((c for c in manifest.credits if c.role == "video"), None)
    photo_credit = next((c for c in manifest.credits if c.role == "photo"), None)
    s = manifest.story
    description = s.headline or s.id
    # the people the video shows speaking: quotes captioned in it, with a named speaker
    on_screen = list(dict.fromkeys(q.speaker for q in manifest.quotes if q.speaker and q.in_video))
    if on_screen:
        description = f"{description}. With {', '.join(on_screen)}."
    video_obj: dict[str, Any] = {
        "@type": "VideoObject",
        "name": s.headline or s.id,
        "description": description,
        "thumbnailUrl": thumbs,
        "uploadDate": s.date,
        "inLanguage": s.language,
    }
    if video is not None:
        video_obj["contentUrl"] = video.path
        video_obj["duration"] = iso_duration(video.duration or 0)
        if video.width and video.height:
            video_obj["width"], video_obj["height"] = video.width, video.height
    if video_credit:
        video_obj["creditText"] = video_credit.credit_line or video_credit.organization
        video_obj["copyrightNotice"] = f"© {video_credit.credit_line or video_credit.organization}"
    subs = [a for a in by_role.get("subtitles", []) if a.format == "vtt"]
    if subs:
        video_obj["caption"] = {"@type": "MediaObject", "contentUrl": subs[0].path, "encodingFormat": "text/vtt"}
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": s.headline,
        "datePublished": s.date,
        "inLanguage": s.language,
        "publisher": {"@type": "Organization", "name": s.source} if s.source else None,
        "author": {"@type": "Organization", "name": s.source} if s.source else None,
        "editor": {"@type": "Person", "name": s.editor} if s.editor else None,
        "video": video_obj,
    }
    photos = [a for a in by_role.get("photo_rendition", []) if a.format == "jpeg"]
    if photos:
        image: dict[str, Any] = {"@type": "ImageObject", "contentUrl": photos[0].path,
                                 "width": photos[0].width, "height": photos[0].height}
        if photo_credit:
            image["creditText"] = photo_credit.credit_line
            image["creator"] = {"@type": "Person", "name": photo_credit.name} if photo_credit.name else None
            image["copyrightNotice"] = f"© {photo_credit.credit_line}"
        article["image"] = [{k: v for k, v in image.items() if v is not None}]
    elif thumbs:
        article["image"] = thumbs
    if s.source_url:
        article["url"] = s.source_url
    return {k: v for k, v in article.items() if v is not None}


def write_structured_data(manifest: Manifest, folder: Path) -> Path:
    path = folder / JSONLD_NAME
    atomic_write(path, json.dumps(structured_data(manifest), indent=2, ensure_ascii=False) + "\n")
    return path
