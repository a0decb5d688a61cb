"""The seed article (CCTV via newsgd.com): facts, boilerplate removal and the expected quotes."""

from pathlib import Path

import pytest

from videonews.article import parse_article

SEED = Path(__file__).parent / "data" / "wuzhen-article.txt"


@pytest.fixture(scope="module")
def seed():
    return parse_article(SEED)


def test_seed_facts(seed):
    assert seed.headline == "Summit underway in Wuzhen, Zhejiang province"
    assert seed.date.isoformat() == "2016-11-17"
    assert seed.source == "CCTV.com"
    assert seed.editor == "Chan"
    assert seed.encoding == "utf-8"
    assert seed.language == "en"
    assert seed.warnings == []


def test_seed_photo_caption(seed):
    assert len(seed.photos) == 1
    photo = seed.photos[0]
    assert photo.caption == ("The 3rd World Internet Conference opens in Wuzhen, east China's Zhejiang Province, "
                             "Nov. 16, 2016.")
    assert (photo.agency, photo.photographer, photo.credit_text) == ("Xinhua", "Li Xin", "Xinhua/Li Xin")


def test_seed_paragraphs_have_no_boilerplate(seed):
    body = "\n".join(seed.paragraphs)
    for junk in ("Sign up", "Follow us", "Video|", "Summit underway", "Editor", "Scan to share", "Most popular",
                 "All rights reserved", "Key Words", "(Xinhua/Li Xin)", "粤公网安备", "2016-November-17"):
        assert junk not in body
    assert seed.paragraphs[0].startswith("The third World Internet Conference")
    assert seed.paragraphs[-1].startswith("The Chinese government has been advocating")
    assert seed.text == "\n\n".join(seed.paragraphs)
    # the truncated image title before the caption is not a paragraph either
    assert "The 3rd World Internet Conference opens in Wuzhen, east China" not in seed.paragraphs


def test_seed_direct_quotes(seed):
    direct = seed.direct_quotes
    assert [q.speaker for q in direct] == ["Liu Yunshan", "Liu Yunshan", "Jack Ma"]
    assert [q.speaker_title for q in direct] == ["Senior CPC official", "Senior CPC official",
                                                 "founder and chairman of the Alibaba Group"]
    first = direct[0]
    assert first.text.startswith("We should regard the “respect of internet sovereignty” as a basic principle")
    assert first.text.endswith("only by very few parties")
    assert direct[1].text.startswith("China will work with the international community")
    assert direct[2].text.startswith("E-commerce is simply using internet technologies")
    for q in direct:
        assert q.confidence >= 0.9 and not q.needs_review
        assert seed.paragraphs[q.paragraph].find(q.text) >= 0


def test_seed_partial_and_indirect(seed):
    partial = [q for q in seed.quotes if q.partial]
    assert [q.text for q in partial] == ["sovereignty in cyberspace"]
    assert partial[0].speaker == "Xi Jinping"  # "The Chinese president added that ..."
    texts = " ".join(q.text for q in seed.quotes)
    assert "countries should treat each other" not in texts  # "Liu said countries should ..." is indirect
    assert "cyber security is a global issue" not in texts  # "He added cyber security ..." is indirect
    assert "respect of internet sovereignty" not in [q.text for q in seed.quotes]  # nested, not its own quote


def test_seed_ids_order_and_spans(seed):
    assert [q.id for q in seed.quotes] == [f"q{i}" for i in range(1, len(seed.quotes) + 1)]
    starts = [q.span[0] for q in seed.quotes]
    assert starts == sorted(starts)
    for q in seed.quotes:
        assert seed.text[q.span[0]:q.span[1]] == q.text
