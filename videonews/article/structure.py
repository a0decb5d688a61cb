"""Blocks of text -> headline, metadata, photo captions and body paragraphs.

A block is a paragraph-sized piece: a blank-line separated block of a text file (hard-wrapped prose is
re-joined; one-line-per-paragraph files are split per line) or a block element of an HTML page. Each block
is, in order of the checks: site chrome after a footer marker ("Editor: Chan", "Scan to share", "All rights
reserved"), a related-links run, boilerplate, a metadata line (date/source/byline), a photo caption with a
credit, a short line without final punctuation (subheads, link titles, image titles), or a body paragraph.
A body paragraph after a dropped subhead or timestamp is recorded in `Parts.breaks` (a liveblog's next post:
the previous speaker is not carried over), one from an HTML <blockquote> in `Parts.blockquotes`. Press-release
tails ("About Acme", "Media contact:", "Forward-looking statements", "###") end the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from videonews.models import PhotoCaption

from .meta import (
    byline_of,
    credit_only,
    dateline_source,
    editor_of,
    is_boilerplate,
    metadata_line,
    split_caption,
    starts_footer,
    starts_link_run,
)
from .text import cjk_share, collapse, ends_like_sentence, word_count


@dataclass
class TextBlock:
    text: str
    kind: str = "text"  # text, heading, h1, caption, blockquote, outside (HTML outside the <article>)
    level: int = 0


@dataclass
class Parts:
    headline: str | None = None
    date: date | None = None
    source: str | None = None
    editor: str | None = None
    byline: str | None = None
    photos: list[PhotoCaption] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    breaks: set[int] = field(default_factory=set)  # paragraphs that follow a dropped subhead or timestamp
    blockquotes: set[int] = field(default_factory=set)  # paragraphs from an HTML <blockquote>


_MD_LINK = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]+)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


def _markdown_inline(line: str) -> str:
    line = _MD_LINK.sub(lambda m: m.group(1) or "", line)
    line = _MD_EMPH.sub(r"\2", line)
    line = re.sub(r"^\s{0,3}>\s?", "", line)
    line = re.sub(r"^\s{0,3}[-*+]\s+(?=\S)", "", line)
    return line


def _wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose (join the lines) rather than one paragraph per line."""
    body = lines[:-1]
    if not body or any(re.match(r"#{1,6}\s", ln) for ln in lines):
        return False
    avg = sum(len(ln) for ln in body) / len(body)
    open_ended = sum(1 for ln in body if not ends_like_sentence(ln))
    return avg >= 40 and open_ended * 2 >= len(body)


def text_blocks(text: str, *, markdown: bool = False) -> list[TextBlock]:
    groups: list[list[str]] = []
    cur: list[str] = []
    for line in text.split("\n"):
        if markdown:
            line = _markdown_inline(line).strip()
        if line.strip():
            cur.append(line.strip())
        elif cur:
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    separated = len(groups) > 1
    blocks: list[TextBlock] = []
    for g in groups:
        lines = [" ".join(g)] if separated and len(g) > 1 and _wrapped(g) else g
        for ln in lines:
            m = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", ln)
            if m and m.group(2):
                blocks.append(TextBlock(m.group(2), "heading", len(m.group(1))))
            elif ln:
                blocks.append(TextBlock(ln))
    return blocks


_HEAD_PREFIX = re.compile(
    r"^(?:(?:[A-Za-z]+(?: [A-Za-z]+)?)\s*[|｜]\s*|(?:video|photos?|gallery|watch|live|audio|podcast|in pictures)\s*[:：]\s*)",
    re.I)


def clean_headline(text: str | None) -> str | None:
    if not text:
        return None
    text = collapse(text)
    stripped = _HEAD_PREFIX.sub("", text, count=1).strip()
    if stripped and word_count(stripped) >= 2:
        text = stripped
    return text or None


def _short_open(text: str) -> bool:
    """A short line with no final punctuation: subhead, link title, image title, label."""
    if ends_like_sentence(text):
        return False
    if cjk_share(text) > 0.3:
        return len(text) <= 40
    return word_count(text) <= 20


def _comma_quote(text: str) -> bool:
    """A quotation ending in a comma, its attribution in the next paragraph ("“We have a duty,”" / "X said ...")."""
    t = text.strip()
    return (len(t) > 12 and t[0] in "\"“„«‘'" and t[-1] in "\"”“»’'" and t[:-1].rstrip().endswith(",")
            and word_count(t) >= 4)


def _headline_like(text: str) -> bool:
    wc = word_count(text)
    full_stop = text.rstrip().endswith((".", "。")) and not text.rstrip().endswith("...")
    return 2.5 <= wc <= 30 and len(text) <= 250 and not (full_stop and wc > 12) and not (
        ends_like_sentence(text) and wc > 20)


def _prefix_of(short: str, caption: str) -> bool:
    a = re.sub(r"\W+", " ", short.lower()).strip()
    b = re.sub(r"\W+", " ", caption.lower()).strip()
    return bool(a) and (b.startswith(a) or a.startswith(b))


def build(blocks: list[TextBlock], *, headline: str | None = None) -> Parts:
    parts = Parts(headline=clean_headline(headline))
    footer = links = False
    pending_credit: tuple[str | None, str | None, str] | None = None
    last_dropped_short: str | None = None
    seen_headline = parts.headline is not None
    header_zone = True
    section_break = False
    start = 0
    if not seen_headline:
        for i, b in enumerate(blocks[:25]):
            if b.kind == "heading" or (b.kind in ("text", "h1") and not is_boilerplate(b.text)
                                         and metadata_line(b.text) is None and editor_of(b.text) is None):
                later = any(not is_boilerplate(x.text) for x in blocks[i + 1:])
                if later and _headline_like(b.text) and split_caption(b.text) is None:
                    parts.headline = clean_headline(b.text)
                    start = i + 1
                    for pre in blocks[:i]:  # header facts before the headline
                        _apply_meta(parts, pre.text, header=True)
                    break
                if not _short_open(b.text):
                    break  # the body has started: no headline
    for b in blocks[start:]:
        text = b.text.strip()
        if not text:
            continue
        if (parts.headline and not parts.paragraphs and len(text) < len(parts.headline) + 30
                and (text == parts.headline or clean_headline(text) == parts.headline)):
            continue
        if b.kind == "h1":
            continue
        if b.kind == "outside":  # HTML outside the main <article>: facts only, never body or state
            _apply_meta(parts, text, header=header_zone)
            continue
        ed = editor_of(text)
        if ed:
            parts.editor = parts.editor or ed
            by = byline_of(text)
            if by and not parts.byline:
                parts.byline = by
            if starts_footer(text) and parts.paragraphs:
                footer = True
            continue
        if footer:
            continue
        if starts_footer(text) and parts.paragraphs:
            footer = True
            continue
        if starts_link_run(text):
            links = True
            continue
        if links:
            if _short_open(text) or word_count(text) <= 15:
                continue
            links = False
        if b.kind in ("caption", "text", "heading", "blockquote"):
            cap = split_caption(text)
            if cap is None and b.kind == "caption" and not is_boilerplate(text):
                cap = PhotoCaption(caption=collapse(text))
            if cap is not None:
                if pending_credit and cap.credit_text is None:
                    cap = PhotoCaption(caption=cap.caption, agency=pending_credit[0], photographer=pending_credit[1],
                                       credit_text=pending_credit[2])
                pending_credit = None
                if parts.paragraphs and _prefix_of(parts.paragraphs[-1], cap.caption) and _short_open(parts.paragraphs[-1]):
                    parts.paragraphs.pop()
                    parts.breaks.discard(len(parts.paragraphs))
                    parts.blockquotes.discard(len(parts.paragraphs))
                parts.photos.append(cap)
                continue
            credit = credit_only(text)
            if credit is not None:
                if parts.photos and parts.photos[-1].credit_text is None and last_dropped_short is None:
                    c = parts.photos[-1]
                    parts.photos[-1] = PhotoCaption(caption=c.caption, agency=credit[0], photographer=credit[1],
                                                    credit_text=credit[2])
                else:
                    pending_credit = credit
                continue
        if is_boilerplate(text):
            continue
        meta = metadata_line(text)
        if meta is not None and (header_zone or not ends_like_sentence(text)) and not (
                ends_like_sentence(text) and word_count(text) > 6 and "source" not in meta and "byline" not in meta):
            _apply_meta(parts, text, header=header_zone)
            continue
        by = byline_of(text)
        if by and word_count(text) <= 16 and not ends_like_sentence(text.rstrip(".")):
            parts.byline = parts.byline or by
            continue
        if b.kind == "heading" or (_short_open(text) and b.kind != "blockquote" and not _comma_quote(text)):
            last_dropped_short = text
            if parts.paragraphs:
                section_break = True  # a subhead, a liveblog timestamp: the speaker may change here
            continue
        last_dropped_short = None
        if parts.paragraphs and parts.paragraphs[-1] == text:
            continue
        if any(text == p.caption for p in parts.photos):
            continue
        if not parts.paragraphs and parts.source is None:
            parts.source = dateline_source(text)
        if section_break:
            parts.breaks.add(len(parts.paragraphs))
            section_break = False
        if b.kind == "blockquote":
            parts.blockquotes.add(len(parts.paragraphs))
        parts.paragraphs.append(collapse(text))
        if len(parts.paragraphs) >= 3:
            header_zone = False
    return parts


def _apply_meta(parts: Parts, text: str, *, header: bool) -> None:
    meta = metadata_line(text)
    if meta:
        if "date" in meta and parts.date is None and header:
            parts.date = meta["date"]  # type: ignore[assignment]
        if "source" in meta and parts.source is None:
            parts.source = str(meta["source"])
        if "byline" in meta and parts.byline is None:
            parts.byline = str(meta["byline"])
        if "editor" in meta and parts.editor is None:
            parts.editor = str(meta["editor"])
    ed = editor_of(text)
    if ed and parts.editor is None:
        parts.editor = ed
    by = byline_of(text) if re.match(r"(?i)^(by|written by|author|reporter)\b", text.strip()) else None
    if by and parts.byline is None and word_count(text) <= 16:
        parts.byline = by
