"""HTML -> text blocks and metadata, with the standard library's html.parser (no dependency).

Skipped: script, style, nav, footer, aside, form and the like, plus elements whose class/id says they are
navigation, sharing, related links, ads, comments or pull quotes; blocks inside a <blockquote> are marked. When the page has an <article> (or an
itemprop=articleBody) with text in it, only its blocks are kept. Metadata comes from <meta> (Open Graph,
article:published_time, author), JSON-LD (NewsArticle), <time datetime>, <h1>, <title>, <link rel=canonical>
and <html lang>. Entities are decoded once (by the parser); nothing else is interpreted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .text import collapse

_SKIP_TAGS = {"script", "style", "noscript", "nav", "footer", "aside", "form", "button", "svg", "iframe", "template",
              "select", "option", "menu", "dialog", "object", "embed", "canvas", "video", "audio", "map", "head",
              "textarea", "input", "label"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote",
          "figcaption", "figure", "td", "th", "tr", "table", "pre", "dd", "dt", "dl", "header", "address", "body",
          "caption", "center", "details", "summary"}
_BAD_CLASS_TOKENS = {"nav", "navbar", "navigation", "menu", "footer", "sidebar", "share", "sharing", "social",
                     "related", "newsletter", "subscribe", "subscription", "comments", "comment", "advert",
                     "advertisement", "ad", "ads", "adv", "promo", "breadcrumb", "breadcrumbs", "cookie", "cookies",
                     "popup", "modal", "tags", "recommended", "recommendations", "trending", "popular", "outbrain",
                     "taboola", "signup", "login", "paywall", "hidden", "sr", "visually", "offscreen", "twitter",
                     "tweet", "instagram", "byline-share", "more", "read-more", "toolbar", "masthead", "banner",
                     "pullquote", "pull-quote", "pull_quote", "pullout"}


@dataclass
class Block:
    text: str
    tag: str
    in_article: bool = False
    caption: bool = False
    article: int = 0  # which <article> (1, 2, ...) the block is in; 0 = none
    quote: bool = False  # inside a <blockquote>


@dataclass
class HtmlDoc:
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    h1: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: list[dict] = field(default_factory=list)
    time: str | None = None
    canonical: str | None = None
    lang: str | None = None
    has_article: bool = False
    h1_in_article: bool = False


def _bad_attrs(attrs: Mapping[str, str | None]) -> bool:
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    words = " ".join(filter(None, [attrs.get("class"), attrs.get("id"), attrs.get("role")])).lower()
    tokens = set(re.split(r"[\s_\-]+", words)) | set(words.split())
    if attrs.get("role") in {"navigation", "banner", "contentinfo", "complementary", "search"}:
        return True
    return bool(tokens & _BAD_CLASS_TOKENS)


class _Parser(HTMLParser):
    def __init__(self, use_classes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.use_classes = use_classes
        self.doc = HtmlDoc()
        self.stack: list[tuple[str, bool, bool, bool, int]] = []  # tag, skipping, in_article, caption, article id
        self.articles = 0
        self.buf: list[str] = []
        self.capture: str | None = None  # "title", "h1", "jsonld"
        self.cap_buf: list[str] = []
        self.h1_in_article = False
        self.time_in_article = False

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    @property
    def in_article(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    @property
    def in_caption(self) -> bool:
        return bool(self.stack) and self.stack[-1][3]

    def _flush(self) -> None:
        text = collapse("".join(self.buf))
        self.buf = []
        if text:
            tag = next((t for t, *_ in reversed(self.stack) if t in _BLOCK), "body")
            article = self.stack[-1][4] if self.stack else 0
            quote = any(t == "blockquote" for t, *_ in self.stack)
            self.doc.blocks.append(Block(text, tag, self.in_article, self.in_caption, article, quote))

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k.lower(): (v or "") for k, v in attrs_list}
        if self._page_fact(tag, attrs):
            return
        if tag == "body":
            while self.stack and self.stack[-1][0] == "head":
                self.stack.pop()
        if tag == "script" and "ld+json" in (attrs.get("type") or "").lower():
            self.capture, self.cap_buf = "jsonld", []
        if tag == "title" and self.doc.title is None:
            self.capture, self.cap_buf = "title", []
        if tag in _VOID:
            if tag == "br" and not self.skipping:
                self._flush()
            return
        if tag in _BLOCK or tag in _SKIP_TAGS or tag == "h1":
            self._flush()
        self._open(tag, attrs)

    def _page_fact(self, tag: str, attrs: dict[str, str]) -> bool:
        """Record <html lang>, <meta>, <link rel=canonical> and <time datetime>; True for a tag that is only
        a fact (<meta>, the canonical <link>)."""
        if tag == "html" and attrs.get("lang"):
            self.doc.lang = attrs["lang"]
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            if key and attrs.get("content") and key not in self.doc.meta:
                self.doc.meta[key] = attrs["content"]
            return True
        if tag == "link" and "canonical" in (attrs.get("rel") or "").lower() and attrs.get("href"):
            self.doc.canonical = attrs["href"]
            return True
        if tag == "time" and attrs.get("datetime") and not self.skipping:
            # the first time on the page, unless the story's own time comes later
            if self.doc.time is None or (self.in_article and not self.time_in_article):
                self.doc.time = attrs["datetime"]
                self.time_in_article = self.in_article
        return False

    def _open(self, tag: str, attrs: dict[str, str]) -> None:
        """Push a (non-void) element: whether it is skipped, in an <article> (which one), in a caption."""
        skip = self.skipping or tag in _SKIP_TAGS or (
            self.use_classes and tag not in {"html", "body", "main", "article"} and _bad_attrs(attrs))
        article = self.in_article or tag == "article" or (attrs.get("itemprop") or "").lower() == "articlebody"
        if article and not skip:
            self.doc.has_article = True
        caption = self.in_caption or tag == "figcaption"
        article_id = self.stack[-1][4] if self.stack else 0
        if article and not self.in_article:
            self.articles += 1
            article_id = self.articles
        self.stack.append((tag, skip, article, caption, article_id))
        if tag == "h1" and not skip and (self.doc.h1 is None or (article and not self.h1_in_article)):
            self.capture, self.cap_buf = "h1", []
            self.h1_in_article = article

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.capture == "jsonld" and tag == "script":
            try:
                data = json.loads("".join(self.cap_buf))
                self.doc.jsonld.extend(data if isinstance(data, list) else [data])
            except (ValueError, RecursionError):
                pass
            self.capture = None
        elif self.capture == "title" and tag == "title":
            self.doc.title = collapse("".join(self.cap_buf)) or None
            self.capture = None
        elif self.capture == "h1" and tag == "h1":
            text = collapse("".join(self.cap_buf))
            if text:
                self.doc.h1, self.doc.h1_in_article = text, self.h1_in_article
            self.capture = None
        if not any(t == tag for t, *_ in self.stack):
            return  # stray end tag
        if tag in _BLOCK or tag in _SKIP_TAGS or tag == "h1":
            self._flush()
        while self.stack:
            t = self.stack.pop()[0]
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.capture in ("jsonld", "title") or (self.capture == "h1" and not self.skipping):
            self.cap_buf.append(data)
        if not self.skipping:
            self.buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _parse(text: str, *, use_classes: bool) -> HtmlDoc:
    parser = _Parser(use_classes=use_classes)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # broken markup: keep what was read
        parser._flush()
    return parser.doc


def parse_html(text: str) -> HtmlDoc:
    doc = _parse(text, use_classes=True)
    if not doc.blocks:
        retry = _parse(text, use_classes=False)
        retry.meta, retry.jsonld = doc.meta or retry.meta, doc.jsonld or retry.jsonld
        doc = retry
    return doc


def news_jsonld(doc: HtmlDoc) -> dict:
    """The first JSON-LD object typed as an article (searching @graph too)."""
    queue: list = list(doc.jsonld)
    seen = 0
    while queue and seen < 500:
        seen += 1
        obj = queue.pop(0)
        if isinstance(obj, list):
            queue.extend(obj)
            continue
        if not isinstance(obj, dict):
            continue
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and (k.endswith("Article") or k in {"BlogPosting", "Report"}) for k in kinds):
            return obj
        if "@graph" in obj:
            queue.extend(obj["@graph"] if isinstance(obj["@graph"], list) else [obj["@graph"]])
    return {}


def names_of(value: object) -> list[str]:
    """Names in a JSON-LD author/publisher value (string, object or list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        n = value.get("name")
        return [n] if isinstance(n, str) else []
    if isinstance(value, list):
        out: list[str] = []
        for v in value[:10]:
            out.extend(names_of(v))
        return out
    return []
