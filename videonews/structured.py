"""schema.org JSON-LD for the web page: the VideoObject and the NewsArticle it belongs to.

Safe to embed as it is in `<script type="application/ld+json">`: `<`, `>` and `&` (and U+2028/U+2029) are
written as JSON escapes, so article text such as `</script>` or `<!--` can never end the script element;
a URL is kept only when it is http(s) or a path relative to the package (never `javascript:`, `data:`...).
The VideoObject carries Google's required fields (name, thumbnailUrl, uploadDate) and recommended ones
(description, contentUrl, duration; embedUrl is the CMS's to add), and a `Clip` per quote heard in the
video (`hasPart`: name, startOffset, endOffset, url).
"""

from __future__ import annotations

import json
import re
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


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HTTP = re.compile(r"^https?://[^\s\x00-\x1f\x7f\"<>\\^`{|}]+$", re.IGNORECASE)
_EMBED_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def safe_url(value: str | None) -> str | None:
    """value when it is an http(s) URL or a relative path without a scheme; None otherwise."""
    if not value:
        return None
    if _SCHEME.match(value):
        return value if _HTTP.match(value) else None
    if value.startswith("//") or any(ord(c) < 0x20 for c in value):
        return None
    return value


def dumps_embeddable(data: Any, *, indent: int | None = 2) -> str:
    """JSON text safe inside an HTML script element: `<`, `>`, `&` only ever appear inside strings in JSON,
    so escaping them everywhere changes no value."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _EMBED_ESCAPES[m.group(0)], text)


def _clips(manifest: Manifest, video_url: str | None) -> list[dict[str, Any]]:
    """A Clip per quote captioned in the video, where it is said."""
    clips = []
    for q in manifest.quotes:
        t = q.timing
        if not q.in_video or t is None or t.start is None or t.end is None or t.end <= t.start:
            continue
        words = q.text if len(q.text) <= 110 else q.text[:107].rstrip() + "..."
        clip: dict[str, Any] = {"@type": "Clip", "name": f"{q.speaker}: {words}" if q.speaker else words,
                                "startOffset": int(t.start), "endOffset": max(int(t.start) + 1, round(t.end))}
        if video_url:
            clip["url"] = f"{video_url}#t={int(t.start)}"
        clips.append(clip)
    return clips


def structured_data(manifest: Manifest) -> dict[str, Any]:
    """URLs are relative to the package; the CMS rewrites them to where it serves the files."""
    by_role: dict[str, list[Any]] = {}
    for a in manifest.assets:
        by_role.setdefault(a.role, []).append(a)
    video = by_role.get("captioned_video", [None])[0]
    thumbs = [u for u in (safe_url(a.path) for a in by_role.get("poster", []) + by_role.get("thumbnail", []))
              if u]
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
        # required by Google: the article's date, else when the package was made
        "uploadDate": s.date or manifest.provenance.created_at,
        "inLanguage": s.language,
    }
    video_url = safe_url(video.path) if video is not None else None
    if video is not None:
        if video_url:
            video_obj["contentUrl"] = video_url
        video_obj["duration"] = iso_duration(video.duration or 0)
        if video.width and video.height:
            video_obj["width"], video_obj["height"] = video.width, video.height
    if video_credit:
        video_obj["creditText"] = video_credit.credit_line or video_credit.organization
        video_obj["copyrightNotice"] = f"© {video_credit.credit_line or video_credit.organization}"
    clips = _clips(manifest, video_url)
    if clips:
        video_obj["hasPart"] = clips
    subs = [a for a in by_role.get("subtitles", []) if a.format == "vtt" and safe_url(a.path)]
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
    photos = [a for a in by_role.get("photo_rendition", []) if a.format == "jpeg" and safe_url(a.path)]
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
    if safe_url(s.source_url) and _SCHEME.match(s.source_url or ""):
        article["url"] = s.source_url
    return {k: v for k, v in article.items() if v is not None}


def write_structured_data(manifest: Manifest, folder: Path) -> Path:
    path = folder / JSONLD_NAME
    atomic_write(path, dumps_embeddable(structured_data(manifest)) + "\n")
    return path
