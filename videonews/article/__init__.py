"""Article ingest: read an article file (text, Markdown or HTML) into an `Article`.

Public API:
    parse_article(path)                     -> Article   (.html/.htm as HTML, anything else as text)
    parse_article_text(text, html=, encoding=) -> Article
    decode_article_bytes(data, path)        -> (text, encoding name)

`Article.text` is the body paragraphs (boilerplate, headline, captions and footer removed) joined with
"\\n\\n"; every `Quote.span` indexes it, so `article.text[start:end] == quote.text`. Text is data: nothing
is unescaped or interpreted in a text article (`<b>`, `&amp;`, `{\\an8}` stay literal); HTML entities are
decoded once by the HTML parser. A pull quote (a paragraph that is only a quotation repeating words of another
paragraph) is dropped. See structure.py (blocks), meta.py (dates, credits, boilerplate),
people.py (names and titles), marks.py (quotation marks), quotes.py (direct/partial, attribution) and
transcript.py (interview transcripts labelled with names).
"""

from __future__ import annotations

import os
import re
import stat
from datetime import date
from pathlib import Path

from videonews.errors import ArticleError, over_limit
from videonews.models import Article

from .decode import decode_article_bytes
from .htmldoc import Block, HtmlDoc, names_of, news_jsonld, parse_html
from .marks import find_raw_quotes
from .meta import date_from_url, parse_date
from .quotes import extract_quotes
from .structure import TextBlock, build, clean_headline, text_blocks
from .text import collapse, normalise_text

__all__ = ["parse_article", "parse_article_text", "decode_article_bytes"]

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_MD_SUFFIXES = {".md", ".markdown"}
_ENGLISH = {"the", "and", "of", "to", "in", "is", "that", "for", "said", "with", "on", "was", "it", "as"}


def parse_article(path: Path, *, max_bytes: int | None = None) -> Article:
    """Read an article file: detect its encoding, parse HTML or text, extract facts and quotes. A file over
    `max_bytes` (the max_article_bytes setting) is refused before it is read."""
    path = Path(path)
    data = _read_article(path, max_bytes)
    text, encoding = decode_article_bytes(data, path)
    suffix = path.suffix.lower()
    is_html = suffix in _HTML_SUFFIXES or (suffix not in _MD_SUFFIXES | {".txt"} and _looks_like_html(text))
    article = _parse(text, html=is_html, markdown=suffix in _MD_SUFFIXES, encoding=encoding, path=path)
    return article


def _read_article(path: Path, max_bytes: int | None) -> bytes:
    """The bytes of a regular file, at most max_bytes of them (a FIFO or a device is refused unread)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise ArticleError("the article file does not exist", path=path, remedy="check the path") from exc
    except OSError as exc:
        raise ArticleError(f"the article cannot be read: {exc.strerror}", path=path) from exc
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ArticleError("the article path is a folder", path=path, remedy="give the article file itself")
        raise ArticleError("the article is not a regular file (a pipe or a device)", path=path,
                           remedy="give the article as a .txt, .md or .html file")
    with os.fdopen(fd, "rb") as fh:
        if max_bytes is None:
            return fh.read()
        # one byte more than allowed: a file that grows past the limit while it is read is caught too
        data = b"" if st.st_size > max_bytes else fh.read(max_bytes + 1)
    if st.st_size > max_bytes or len(data) > max_bytes:
        raise over_limit(ArticleError, f"the article has {max(st.st_size, len(data)):,} bytes",
                         f"{max_bytes:,}-byte", "max_article_bytes", path=path)
    return data


def parse_article_text(text: str, *, html: bool = False, encoding: str = "utf-8") -> Article:
    """Parse article text that is already decoded (`encoding` is recorded, not used)."""
    return _parse(text, html=html, markdown=False, encoding=encoding, path=None)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(?:body|article|p|div)[\s>]", head))


def _language(text: str, declared: str | None) -> str | None:
    if declared:
        return declared.split("-")[0].lower() or None
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    if sum(1 for c in letters if "\u3040" <= c <= "\u30ff") > len(letters) * 0.05:
        return "ja"
    if sum(1 for c in letters if "\uac00" <= c <= "\ud7af") > len(letters) * 0.3:
        return "ko"
    if sum(1 for c in letters if "\u4e00" <= c <= "\u9fff") > len(letters) * 0.3:
        return "zh"
    words = re.findall(r"[a-z]+", text.lower())
    if words and sum(1 for w in words if w in _ENGLISH) >= max(3, len(words) // 20):
        return "en"
    return None


def _parse(text: str, *, html: bool, markdown: bool, encoding: str, path: Path | None) -> Article:
    if not text or not text.strip():
        raise ArticleError("the article is empty", path=path, remedy="put the article text in the file")
    warnings: list[str] = []
    if encoding.lower().replace("_", "-") not in {"utf-8", "utf8", "ascii"}:
        warnings.append(f"article was not UTF-8; decoded as {encoding}")
    facts: dict[str, object] = {}
    if html:
        blocks, facts = _html_blocks(text)
        if not blocks and not facts.get("headline"):
            raise ArticleError("the HTML page has no article text", path=path,
                               remedy="give the article page itself, or its text as a .txt file")
    else:
        blocks = text_blocks(normalise_text(text), markdown=markdown)
    parts = build(blocks, headline=facts.get("headline"))  # type: ignore[arg-type]
    keep = [i for i, p in enumerate(parts.paragraphs) if p and not _pull_quote(i, parts.paragraphs, parts.blockquotes)]
    paragraphs = [parts.paragraphs[i] for i in keep]
    breaks: set[int] = set()
    for n, i in enumerate(keep):  # a dropped paragraph's section break passes to the next one
        if i in parts.breaks or (n and any(j in parts.breaks for j in range(keep[n - 1] + 1, i))):
            breaks.add(n)
    blockquotes = {n for n, i in enumerate(keep) if i in parts.blockquotes}
    offsets = []
    pos = 0
    for p in paragraphs:
        offsets.append(pos)
        pos += len(p) + 2
    body = "\n\n".join(paragraphs)
    quotes, quote_warnings = extract_quotes(paragraphs, offsets, [p.caption for p in parts.photos], breaks=breaks,
                                            blockquotes=blockquotes)
    warnings.extend(parts.warnings)
    warnings.extend(quote_warnings)
    if not paragraphs:
        warnings.append("no body paragraphs found")
    return Article(
        headline=parts.headline,
        date=facts.get("date") or parts.date or date_from_url(facts.get("url")),  # type: ignore[arg-type]
        source=parts.source or facts.get("source"),  # type: ignore[arg-type]
        source_url=facts.get("url"),  # type: ignore[arg-type]
        editor=parts.editor,
        byline=facts.get("byline") or parts.byline,  # type: ignore[arg-type]
        language=_language(body or (parts.headline or ""), facts.get("lang")),  # type: ignore[arg-type]
        encoding=encoding,
        text=body,
        paragraphs=paragraphs,
        photos=parts.photos,
        quotes=quotes,
        warnings=warnings,
    )


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def _pull_quote(i: int, paragraphs: list[str], blockquotes: set[int]) -> bool:
    """A pull quote: a paragraph that is only a quotation (or an HTML <blockquote>) repeating words of another
    paragraph. It is display furniture, not a second quote, and next to the wrong paragraph it would be
    attributed to the wrong person."""
    p = paragraphs[i].strip()
    if i not in blockquotes:
        raws, _ = find_raw_quotes([p])
        if len(raws) != 1 or raws[0].open_pos != 0 or not raws[0].closed or p[raws[0].end + 1:].strip(" .,!?…"):
            return False
    inner = _words(p)
    if len(inner.split()) < 4:
        return False
    return any(inner in _words(q) for j, q in enumerate(paragraphs) if j != i and len(q) > len(p) - 3
               and not (j > i and _words(q) == inner))


def _html_blocks(raw: str) -> tuple[list[TextBlock], dict[str, object]]:
    doc = parse_html(raw)
    ld = news_jsonld(doc)
    facts = _page_facts(doc, ld)
    blocks = _story_blocks(doc)
    if not any(b.kind == "text" for b in blocks) and isinstance(ld.get("articleBody"), str):
        blocks.extend(text_blocks(normalise_text(ld["articleBody"])))
    return blocks, facts


def _first_text(*values: object) -> str | None:
    """The first value that is a string with text in it, normalised to one line."""
    for v in values:
        if isinstance(v, str) and collapse(v):
            return collapse(normalise_text(v))
    return None


def _page_facts(doc: HtmlDoc, ld: dict) -> dict[str, object]:
    """Headline, date, source, url, byline and language from the page's metadata and JSON-LD."""
    meta = doc.meta
    titles = [ld.get("headline"), meta.get("og:title"), meta.get("twitter:title")]
    if doc.has_article and not doc.h1_in_article:  # an <h1> outside the story is often the site's logo
        candidates = [*titles, doc.h1, _strip_site(doc.title)]
    else:
        candidates = [doc.h1, *titles, _strip_site(doc.title)]
    headline = _first_text(*(c for c in candidates if isinstance(c, str) and clean_headline(c)))
    authors = names_of(ld.get("author")) or [a for a in [meta.get("author"), meta.get("article:author")] if a
                                             and not a.startswith("http")]
    names = dict.fromkeys(collapse(a) for a in authors if collapse(a))
    byline = _first_text(", ".join(names)) if authors else None
    return {
        "headline": headline,
        "date": _page_date(doc, ld),
        "source": _first_text(*names_of(ld.get("publisher")), meta.get("og:site_name"),
                              meta.get("application-name")),
        "url": _first_text(meta.get("og:url"), doc.canonical,
                           ld.get("url") if isinstance(ld.get("url"), str) else None),
        "byline": byline,
        "lang": doc.lang,
    }


def _page_date(doc: HtmlDoc, ld: dict) -> date | None:
    """The publication date: the first of the page's date fields that parses."""
    meta = doc.meta
    for v in (ld.get("datePublished"), meta.get("article:published_time"), meta.get("og:published_time"),
              doc.time, meta.get("pubdate"), meta.get("publishdate"), meta.get("date"), meta.get("dc.date"),
              meta.get("dc.date.issued"), meta.get("parsely-pub-date"), meta.get("sailthru.date"),
              ld.get("dateCreated"), ld.get("dateModified")):
        if isinstance(v, str) and (found := parse_date(v)):
            return found
    return None


def _story_blocks(doc: HtmlDoc) -> list[TextBlock]:
    """The page's blocks, typed; those outside the main <article> (when there is one) as "outside"."""
    sizes: dict[int, int] = {}
    for b in doc.blocks:
        if b.in_article:
            sizes[b.article] = sizes.get(b.article, 0) + len(b.text)
    main = max(sizes, key=lambda k: sizes[k]) if sizes else 0  # the longest <article>; others are teasers
    blocks: list[TextBlock] = []
    for b in doc.blocks:
        text = collapse(normalise_text(b.text))
        if not text:
            continue
        if doc.has_article and (not b.in_article or b.article != main):
            blocks.append(TextBlock(text, "outside"))
        else:
            blocks.append(_story_block(text, b))
    return blocks


def _story_block(text: str, b: Block) -> TextBlock:
    if b.caption:
        return TextBlock(text, "caption")
    if b.tag == "h1":
        return TextBlock(text, "h1")
    if b.tag in {"h2", "h3", "h4", "h5", "h6"}:
        return TextBlock(text, "heading", int(b.tag[1]))
    if b.quote:
        return TextBlock(text, "blockquote")
    return TextBlock(text)


def _strip_site(title: str | None) -> str | None:
    if not title:
        return None
    parts = re.split(r"\s+[|\-–—]\s+", title)
    if len(parts) > 1 and len(parts[-1].split()) <= 5:
        return " - ".join(parts[:-1])
    return title
