"""HTML articles: metadata sources, what is skipped, entities."""

from datetime import date
from pathlib import Path

import pytest

from videonews.article import parse_article, parse_article_text
from videonews.errors import ArticleError

DATA = Path(__file__).parent / "data"


def test_guardian_style_page():
    a = parse_article(DATA / "guardian.html")
    assert a.headline == "Xi calls for ‘open’ cooperation"  # <h1>, entities decoded
    assert a.date == date(2023, 3, 5)  # JSON-LD datePublished
    assert a.source == "The Guardian"
    assert a.source_url == "https://www.theguardian.com/world/2023/mar/05/xi-calls-for-open-cooperation"
    assert a.byline == "Amy Hawkins"
    assert a.language == "en"
    assert len(a.photos) == 1
    assert (a.photos[0].agency, a.photos[0].photographer) == ("AP", "Andy Wong")
    body = a.text
    for skipped in ("not a quote", "color: red", "Home", "Sidebar quote", "We will win", "Guardian News"):
        assert skipped not in body  # script, style, nav, aside, related links, footer
    assert len(a.paragraphs) == 4
    q = a.direct_quotes
    assert [(x.text, x.speaker) for x in q] == [
        ("China’s door will only open wider", "Xi Jinping"),
        ("We will never close it & we mean it.", "Xi Jinping"),
        ("Our task is arduous", "Li Qiang"),
    ]
    assert q[0].speaker_title == "China’s president"
    assert {x.text for x in a.quotes if x.partial} == {"open", "around 5%"}


def test_html_without_article_element_and_br():
    html = ("<html><body><div id='menu'><a href='/'>Home</a></div><h1>Talks end</h1>"
            "<div class='content'>Officials met on Monday.<br><br>&quot;We are ready,&quot; said Wang Yi."
            "<p>&lt;b&gt;Not bold&lt;/b&gt; stays text.</p></div></body></html>")
    a = parse_article_text(html, html=True)
    assert a.headline == "Talks end"
    assert a.paragraphs == ["Officials met on Monday.", '"We are ready," said Wang Yi.', "<b>Not bold</b> stays text."]
    assert a.direct_quotes[0].speaker == "Wang Yi"


def test_html_meta_fallbacks():
    html = ("<html><head><title>Talks end - Example News</title>"
            "<meta property='article:published_time' content='2024-01-02T10:00:00+08:00'>"
            "<meta property='og:site_name' content='Example News'></head>"
            "<body><p>Officials met on Monday and agreed to meet again.</p></body></html>")
    a = parse_article_text(html, html=True)
    assert (a.headline, a.date, a.source) == ("Talks end", date(2024, 1, 2), "Example News")


def test_jsonld_graph_and_time_element():
    html = ('<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
            '{"@type": "NewsArticle", "headline": "Graph headline", "author": {"name": "Li Hua"}}]}</script></head>'
            '<body><article><time datetime="2023-06-01">June 1</time><p>Body text of the story is here.</p>'
            "</article></body></html>")
    a = parse_article_text(html, html=True)
    assert (a.headline, a.byline, a.date) == ("Graph headline", "Li Hua", date(2023, 6, 1))


def test_html_with_no_text_is_an_error():
    with pytest.raises(ArticleError):
        parse_article_text("<html><head><script>var a = 1;</script></head><body></body></html>", html=True)


def test_longest_article_element_wins():
    html = ('<html><body><article><h1>Main story</h1><p>"We are ready for anything," said Wang Yi on Monday.</p>'
            "<p>More text of the main story is here, long enough to count.</p></article>"
            '<section><article><p>Teaser: "We will win," says someone in another story.</p></article></section>'
            "</body></html>")
    a = parse_article_text(html, html=True)
    assert a.headline == "Main story"
    assert [(q.text, q.speaker) for q in a.quotes] == [("We are ready for anything", "Wang Yi")]


def test_unclosed_head_and_stray_end_tags():
    html = "<html><head><title>T</title><body><p>First paragraph of text.</p></div></span><p>Second one.</p>"
    a = parse_article_text(html, html=True)
    assert a.paragraphs == ["First paragraph of text.", "Second one."]
