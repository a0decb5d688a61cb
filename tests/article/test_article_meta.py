"""Headline, date, source, byline, editor, photo credits and boilerplate in text articles."""

from datetime import date
from pathlib import Path

import pytest

from videonews.article import parse_article, parse_article_text
from videonews.article.meta import parse_credit, parse_date, split_caption

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("text, expected", [
    ("2016-November-17", date(2016, 11, 17)),
    ("2016-11-17 10:23:05", date(2016, 11, 17)),
    ("2016/11/17", date(2016, 11, 17)),
    ("November 17, 2016", date(2016, 11, 17)),
    ("Nov. 17, 2016", date(2016, 11, 17)),
    ("Thu 17 Nov 2016 08.00 GMT", date(2016, 11, 17)),
    ("17 November 2016", date(2016, 11, 17)),
    ("Updated: 2016-11-17T08:00:00Z", date(2016, 11, 17)),
    ("Published 3:04 PM EST, Thu November 17, 2016", date(2016, 11, 17)),
    ("2016年11月17日 10:30", date(2016, 11, 17)),
    ("11/17/2016", date(2016, 11, 17)),
    ("no date here", None),
    ("2016-02-30", None),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("block, caption, agency, photographer, credit", [
    ("Delegates arrive in Wuzhen, Nov. 16, 2016. (Xinhua/Li Xin)", "Delegates arrive in Wuzhen, Nov. 16, 2016.",
     "Xinhua", "Li Xin", "Xinhua/Li Xin"),
    ("A man walks past the venue. (Photo: Reuters)", "A man walks past the venue.", "Reuters", None, "Photo: Reuters"),
    ("Protesters march in Paris. Photo by Jane Doe/AFP", "Protesters march in Paris.", "AFP", "Jane Doe",
     "Photo by Jane Doe/AFP"),
    ("Xi speaks in Beijing, Monday, Nov. 14, 2022. (AP Photo/Andy Wong)", "Xi speaks in Beijing, Monday, Nov. 14, 2022.",
     "AP", "Andy Wong", "AP Photo/Andy Wong"),
    ("FILE PHOTO: Xi attends a meeting in Beijing, March 5, 2023. REUTERS/Thomas Peter/File Photo",
     "Xi attends a meeting in Beijing, March 5, 2023.", "Reuters", "Thomas Peter", "REUTERS/Thomas Peter/File Photo"),
    ("Xi at the summit. Photograph: Andy Wong/AP", "Xi at the summit.", "AP", "Andy Wong", "Photograph: Andy Wong/AP"),
    ("Farmers harvest rice in Hunan. [Photo/Xinhua]", "Farmers harvest rice in Hunan.", "Xinhua", None, "Photo/Xinhua"),
    ("Visitors look at robots at the expo in Beijing. /CFP", "Visitors look at robots at the expo in Beijing.", "CFP",
     None, "CFP"),
])
def test_photo_credits(block, caption, agency, photographer, credit):
    photo = split_caption(block)
    assert photo is not None
    assert (photo.caption, photo.agency, photo.photographer, photo.credit_text) == (caption, agency, photographer, credit)


@pytest.mark.parametrize("text", [
    "He drove at 100 (km/h) all day.",
    "The ministry said the talks would continue (Reuters).",
    "China said it would respond.",
])
def test_not_captions(text):
    assert split_caption(text) is None


def test_credit_split_with_via():
    assert parse_credit("Jim Watson/AFP via Getty Images") == ("AFP", "Jim Watson")


def test_reuters_style_metadata_and_footer():
    a = parse_article(DATA / "reuters.txt")
    assert a.headline == "China warns U.S. over Taiwan arms sale"
    assert a.byline == "Ben Blanchard"
    assert a.editor == "Lincoln Feast"
    assert a.source == "Reuters"  # from the dateline
    assert not any("Reporting by" in p or "Trust Principles" in p for p in a.paragraphs)


def test_xinhua_style_metadata():
    a = parse_article(DATA / "xinhua.txt")
    assert (a.headline, a.date, a.source, a.editor) == ("Xi meets Kenyan president in Beijing", date(2023, 10, 17),
                                                      "Xinhua", "huaxia")
    assert a.photos[0].photographer == "Huang Jingwen"
    assert a.photos[0].caption.startswith("Chinese President Xi Jinping meets with Kenyan President William Ruto")
    assert len(a.paragraphs) == 4
    assert [q.speaker for q in a.direct_quotes] == ["Xi Jinping", "William Ruto"]


def test_bbc_style_scrape():
    a = parse_article(DATA / "bbc.txt")
    assert a.headline == "UK inflation falls to 4.6% in October"
    assert a.date == date(2023, 11, 15)
    assert a.byline == "Faisal Islam"
    assert a.photos[0].caption == "Chancellor Jeremy Hunt said the fall was welcome news for families"
    assert a.photos[0].agency == "Getty Images"
    assert a.paragraphs[0].startswith("UK inflation fell sharply")
    assert a.paragraphs[-1].startswith('"We will do what is needed')  # related links after it are dropped
    assert [q.speaker for q in a.direct_quotes] == ["Jeremy Hunt", "Rachel Reeves", "Rachel Reeves", "Andrew Bailey"]


def test_markdown_article():
    a = parse_article(DATA / "markdown.md")
    assert a.headline == "Markdown headline here"
    assert a.byline == "Jane Doe"
    assert a.direct_quotes[0].text == "This is important"
    assert (a.direct_quotes[0].speaker, a.direct_quotes[0].speaker_title) == ("John Smith", "professor at Oxford")


@pytest.mark.parametrize("line, headline", [
    ("Video| Summit underway in Wuzhen", "Summit underway in Wuzhen"),
    ("Video: Summit underway in Wuzhen", "Summit underway in Wuzhen"),
    ("Summit underway in Wuzhen", "Summit underway in Wuzhen"),
])
def test_headline_prefixes(line, headline):
    a = parse_article_text(f"{line}\n\nDelegates arrived in Wuzhen on Wednesday for the summit.\n")
    assert a.headline == headline
    assert a.paragraphs == ["Delegates arrived in Wuzhen on Wednesday for the summit."]


def test_hard_wrapped_text_is_rejoined():
    text = ("Headline of the story\n\nThe first paragraph of the story is long enough that it was wrapped\n"
            "at a fixed width by the tool that saved it, and continues here.\n\nSecond paragraph.\n")
    a = parse_article_text(text)
    assert a.paragraphs[0] == ("The first paragraph of the story is long enough that it was wrapped at a fixed "
                               "width by the tool that saved it, and continues here.")
    assert a.paragraphs[1] == "Second paragraph."


def test_one_paragraph_per_line_without_blank_lines():
    text = 'Headline of the story\nWang said the talks went well.\n"We agreed on a lot," Wang Yi said.\n'
    a = parse_article_text(text)
    assert a.headline == "Headline of the story"
    assert len(a.paragraphs) == 2
    assert a.direct_quotes[0].speaker == "Wang Yi"


SSI = "[an error occurred while processing this directive]"
BODY = "Heavy rain has flooded large parts of the south, officials said on Monday, and more is expected."


@pytest.mark.parametrize("text", [
    f"{SSI}\nRescuers race to reach flood-hit villages\n\n{BODY}\n",  # hard-wrapped with the headline
    f"{SSI}\n\nRescuers race to reach flood-hit villages\n\n{BODY}\n",
])
def test_page_debris_is_never_the_headline(text):
    a = parse_article_text(text)
    assert a.headline == "Rescuers race to reach flood-hit villages"
    assert SSI not in a.text and a.paragraphs == [BODY]


def test_page_debris_in_an_html_h1_is_skipped():
    html = (f"<html><head><title>Rescuers race to reach flood-hit villages | Daily</title></head><body><h1>{SSI}</h1>"
            f"<p>{BODY}</p></body></html>")
    assert parse_article_text(html, html=True).headline == "Rescuers race to reach flood-hit villages"


@pytest.mark.parametrize("headline", ["Rescuers race to reach flood-hit villages in the south",
                                      "Rescuers race to reach flood-hit villages in three southern provinces as "
                                      "rivers burst their banks"])
def test_headline_with_a_source_line_under_it(headline):
    a = parse_article_text(f"{headline}\nSource: Xinhua | 2024-06-17 10:22:31 | Editor: Zhang Min\n\n{BODY}\n")
    assert (a.headline, a.source, a.editor, a.date) == (headline, "Xinhua", "Zhang Min", date(2024, 6, 17))
    assert a.paragraphs == [BODY]


def test_no_headline_is_said_not_guessed():
    a = parse_article_text(f"Follow us\n\nSign up\n\n{BODY}\n\nThe water is expected to recede by Friday, they said.\n")
    assert a.headline is None and a.byline is None and a.source is None
    assert any("no headline" in w for w in a.warnings)
