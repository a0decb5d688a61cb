"""Blocks of text -> headline, metadata, photo captions and body paragraphs.

A block is a paragraph-sized piece: a blank-line separated block of a text file (hard-wrapped prose is
re-joined; one-line-per-paragraph files are split per line) or a block element of an HTML page. Each block
is, in order of the checks: site chrome after a footer marker ("Editor: Chan", "Scan to share", "All rights
reserved"), a related-links run, boilerplate, a metadata line (date/source/byline), a photo caption with a
credit, a short line without final punctuation (subheads, link titles, image titles), or a body paragraph.
Page debris (a server-side include error, "Follow us", cookie and share text) is never the headline, and a
header line ("Source: Xinhua | 2024-06-17 | Editor: Zhang Min") is never joined to the hard-wrapped line above
it; with no headline found the article says so in a warning. A last line cut off after a quote's attribution
("…," said Tom Ha) stays a paragraph. A body paragraph after a dropped subhead or timestamp is recorded in
`Parts.breaks` (a liveblog's next post:
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


_UPDATED_LINE = re.compile(r"(?i)(?:updated|published|posted)\b")


def _standalone(line: str) -> bool:
    """A line never joined to wrapped prose: page chrome, or a header line with a source, editor or byline
    ("Source: Xinhua | 2024-06-17 10:22 | Editor: Zhang Min" under a headline)."""
    if is_boilerplate(line):
        return True
    meta = metadata_line(line)
    return meta is not None and (bool(set(meta) - {"date"}) or _UPDATED_LINE.match(line) is not None)


def _runs_of_prose(lines: list[str]) -> list[list[str]]:
    """The lines of a block split around standalone lines (each of those a run of its own)."""
    runs: list[list[str]] = [[]]
    for ln in lines:
        if _standalone(ln):
            runs += [[ln], []]
        else:
            runs[-1].append(ln)
    return [r for r in runs if r]


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
        lines: list[str] = []
        for run in _runs_of_prose(g):
            lines += [" ".join(run)] if separated and len(run) > 1 and _wrapped(run) else run
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
    if is_boilerplate(text):
        return None  # page debris ("[an error occurred while processing this directive]") is never a headline
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


_ATTRIBUTION_AFTER = re.compile(r"[\"”’'»]\s*,?\s+(?:said|says|told|added|asked|wrote)\b")


def _attributed_quote(text: str) -> bool:
    """A quotation followed by its attribution ("“Our priority is safety,” said Tom Ha"): speech, even when the
    text is cut off before the sentence ends."""
    t = text.strip()
    return t[:1] in "\"“„«‘'" and _ATTRIBUTION_AFTER.search(t) is not None


def _headline_like(text: str) -> bool:
    wc = word_count(text)
    full_stop = text.rstrip().endswith((".", "。")) and not text.rstrip().endswith("...")
    return 2.5 <= wc <= 30 and len(text) <= 250 and not (full_stop and wc > 12) and not (
        ends_like_sentence(text) and wc > 20)


def _prefix_of(short: str, caption: str) -> bool:
    a = re.sub(r"\W+", " ", short.lower()).strip()
    b = re.sub(r"\W+", " ", caption.lower()).strip()
    return bool(a) and (b.startswith(a) or a.startswith(b))


_HEADLINE_SEARCH = 25  # blocks searched for a headline when the page names none
_HEADLINE_ECHO = 30  # characters: a body block shorter than the headline plus this may repeat it
_LINK_TITLE_WORDS = 15  # a related-links run goes on while its lines are this short (words): link titles
_BYLINE_WORDS = 16  # a byline line is at most this long (words)
_META_SENTENCE_WORDS = 6  # a sentence longer than this is body text, even with a date in it (words)
_HEADER_PARAGRAPHS = 3  # body paragraphs after which the header zone (dates trusted, metadata dropped) ends


def build(blocks: list[TextBlock], *, headline: str | None = None) -> Parts:
    parts = Parts(headline=clean_headline(headline))
    start = 0 if parts.headline is not None else _find_headline(parts, blocks)
    builder = _Builder(parts)
    for b in blocks[start:]:
        builder.add(b)
    if parts.headline is None:
        parts.warnings.append("no headline found: the text does not open with one")
    return parts


def _find_headline(parts: Parts, blocks: list[TextBlock]) -> int:
    """Take the first headline-like block as the headline (the facts before it go into `parts`); return the
    index where the body starts (0: no headline)."""
    for i, b in enumerate(blocks[:_HEADLINE_SEARCH]):
        if b.kind == "heading" or (b.kind in ("text", "h1") and not is_boilerplate(b.text)
                                     and metadata_line(b.text) is None and editor_of(b.text) is None):
            later = any(not is_boilerplate(x.text) for x in blocks[i + 1:])
            if later and _headline_like(b.text) and split_caption(b.text) is None:
                parts.headline = clean_headline(b.text)
                for pre in blocks[:i]:  # header facts before the headline
                    _apply_meta(parts, pre.text, header=True)
                return i + 1
            if not _short_open(b.text):
                break  # the body has started: no headline
    return 0


@dataclass
class _Builder:
    """Sorts blocks, in order, into `parts`; the flags carry what earlier blocks said about the next ones."""

    parts: Parts
    footer: bool = False  # past the site footer: nothing more is body
    links: bool = False  # inside a related-links run
    pending_credit: tuple[str | None, str | None, str] | None = None  # a credit line waiting for its caption
    last_dropped_short: str | None = None  # the short line dropped just before (a subhead or image title)
    header_zone: bool = True  # before the body proper: a metadata line there is a fact
    section_break: bool = False  # a subhead or timestamp was dropped since the last paragraph

    def add(self, b: TextBlock) -> None:
        text = b.text.strip()
        if not text or self._repeats_headline(text) or b.kind == "h1":
            return
        if b.kind == "outside":  # HTML outside the main <article>: facts only, never body or state
            _apply_meta(self.parts, text, header=self.header_zone)
            return
        if self._site_chrome(text):
            return
        if b.kind in ("caption", "text", "heading", "blockquote") and self._photo_credit(b, text):
            return
        if is_boilerplate(text) or self._metadata(text):
            return
        if b.kind == "heading" or (_short_open(text) and b.kind != "blockquote" and not _comma_quote(text)
                                   and not _attributed_quote(text)):
            self.last_dropped_short = text
            if self.parts.paragraphs:
                self.section_break = True  # a subhead, a liveblog timestamp: the speaker may change here
            return
        self.last_dropped_short = None
        self._paragraph(b, text)

    def _repeats_headline(self, text: str) -> bool:
        """The headline written again at the top of the body."""
        headline = self.parts.headline
        return bool(headline and not self.parts.paragraphs and len(text) < len(headline) + _HEADLINE_ECHO
                    and (text == headline or clean_headline(text) == headline))

    def _site_chrome(self, text: str) -> bool:
        """An editor line, the footer or a related-links run (their facts are kept): not body."""
        parts = self.parts
        ed = editor_of(text)
        if ed:
            parts.editor = parts.editor or ed
            by = byline_of(text)
            if by and not parts.byline:
                parts.byline = by
            if starts_footer(text) and parts.paragraphs:
                self.footer = True
            return True
        if self.footer:
            return True
        if starts_footer(text) and parts.paragraphs:
            self.footer = True
            return True
        if starts_link_run(text):
            self.links = True
            return True
        if self.links:
            if _short_open(text) or word_count(text) <= _LINK_TITLE_WORDS:
                return True
            self.links = False
        return False

    def _photo_credit(self, b: TextBlock, text: str) -> bool:
        """A photo caption or a credit line on its own, recorded in `parts.photos`."""
        cap = split_caption(text)
        if cap is None and b.kind == "caption" and not is_boilerplate(text):
            cap = PhotoCaption(caption=collapse(text))
        if cap is not None:
            self._add_photo(cap)
            return True
        credit = credit_only(text)
        if credit is None:
            return False
        photos = self.parts.photos
        if photos and photos[-1].credit_text is None and self.last_dropped_short is None:
            c = photos[-1]
            photos[-1] = PhotoCaption(caption=c.caption, agency=credit[0], photographer=credit[1],
                                      credit_text=credit[2])
        else:
            self.pending_credit = credit
        return True

    def _add_photo(self, cap: PhotoCaption) -> None:
        parts = self.parts
        if self.pending_credit and cap.credit_text is None:
            agency, photographer, credit_text = self.pending_credit
            cap = PhotoCaption(caption=cap.caption, agency=agency, photographer=photographer,
                               credit_text=credit_text)
        self.pending_credit = None
        last = parts.paragraphs[-1] if parts.paragraphs else ""
        if last and _prefix_of(last, cap.caption) and _short_open(last):
            parts.paragraphs.pop()  # the image's title, kept as a paragraph before its caption came
            parts.breaks.discard(len(parts.paragraphs))
            parts.blockquotes.discard(len(parts.paragraphs))
        parts.photos.append(cap)

    def _metadata(self, text: str) -> bool:
        """A metadata line (date, source, byline) or a byline: recorded, not body."""
        meta = metadata_line(text)
        if meta is not None and (self.header_zone or not ends_like_sentence(text)) and not (
                ends_like_sentence(text) and word_count(text) > _META_SENTENCE_WORDS
                and "source" not in meta and "byline" not in meta):
            _apply_meta(self.parts, text, header=self.header_zone)
            return True
        by = byline_of(text)
        if by and word_count(text) <= _BYLINE_WORDS and not ends_like_sentence(text.rstrip(".")):
            self.parts.byline = self.parts.byline or by
            return True
        return False

    def _paragraph(self, b: TextBlock, text: str) -> None:
        parts = self.parts
        if parts.paragraphs and parts.paragraphs[-1] == text:
            return
        if any(text == p.caption for p in parts.photos):
            return
        if not parts.paragraphs and parts.source is None:
            parts.source = dateline_source(text)
        if self.section_break:
            parts.breaks.add(len(parts.paragraphs))
            self.section_break = False
        if b.kind == "blockquote":
            parts.blockquotes.add(len(parts.paragraphs))
        parts.paragraphs.append(collapse(text))
        if len(parts.paragraphs) >= _HEADER_PARAGRAPHS:
            self.header_zone = False


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
    if by and parts.byline is None and word_count(text) <= _BYLINE_WORDS:
        parts.byline = by
