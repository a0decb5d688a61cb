"""Property: parsing never crashes and every quote span points at its text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from videonews.article import parse_article_text
from videonews.errors import ArticleError

PIECES = st.sampled_from([
    '"', "“", "”", "„", "«", "»", "「", "」", "『", "』", "'", "‘", "’", " ", "\n", "\n\n", ",", ".", ":", "?",
    " said", " he said", " she added", "Wang Yi", "Mr ", " the minister", "Senior official Liu Yunshan",
    "(Xinhua/Li Xin)", "Editor: Chan", "2016-11-17", "Source: X", "<p>", "</p>", "<article>", "&amp;", "[the U.S.]",
])
TEXT = st.one_of(st.text(), st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=50).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.booleans())
def test_never_crashes_and_spans_match(text, html):
    try:
        article = parse_article_text(text, html=html)
    except ArticleError:
        assert html or not text.strip()
        return
    assert article.text == "\n\n".join(article.paragraphs)
    for n, quote in enumerate(article.quotes, 1):
        assert quote.id == f"q{n}"
        assert quote.text and article.text[quote.span[0]:quote.span[1]] == quote.text
        assert 0 <= quote.paragraph < len(article.paragraphs)
        assert 0.0 <= quote.confidence <= 1.0
