"""Encodings and unreadable input."""

import pytest

from videonews.article import decode_article_bytes, parse_article
from videonews.errors import ArticleError

ZH = "外交部就中美关系答记者问\n\n外交部发言人华春莹表示：“中方坚决反对美方对台军售。”\n"
FR = 'Le café ouvre\n\n"Nous sommes prêts," said Jérôme Dupont, owner of the café in Paris.\n'


def test_gbk(tmp_path):
    path = tmp_path / "zh.txt"
    path.write_bytes(ZH.encode("gbk"))
    a = parse_article(path)
    assert a.encoding in {"gbk", "gb18030"}
    assert any("gbk" in w or "gb18030" in w for w in a.warnings)
    assert a.headline == "外交部就中美关系答记者问"
    assert a.direct_quotes[0].text == "中方坚决反对美方对台军售。"
    assert a.direct_quotes[0].speaker == "华春莹"


def test_gb18030_only_characters():
    text, encoding = decode_article_bytes(("㐀" + ZH).encode("gb18030"))
    assert encoding == "gb18030" and text.startswith("㐀外交部")


def test_latin1(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_bytes(FR.encode("latin-1"))
    a = parse_article(path)
    assert a.encoding == "latin-1"
    assert a.warnings and "latin-1" in a.warnings[0]
    assert a.headline == "Le café ouvre"
    assert a.direct_quotes[0].text == "Nous sommes prêts"
    assert a.direct_quotes[0].speaker == "Jérôme Dupont"


def test_cp1252_curly_quotes(tmp_path):
    path = tmp_path / "cp.txt"
    path.write_bytes("Café news\n\n“We are open,” said Jérôme Dupont, owner of the café.\n".encode("cp1252"))
    a = parse_article(path)
    assert a.encoding == "cp1252"
    assert a.direct_quotes[0].text == "We are open"


def test_utf8_with_and_without_bom():
    assert decode_article_bytes("\ufeffHéllo “world”".encode()) == ("Héllo “world”", "utf-8")
    assert decode_article_bytes("Héllo".encode()) == ("Héllo", "utf-8")


def test_utf16_with_bom():
    assert decode_article_bytes("Hi “there”".encode("utf-16")) == ("Hi “there”", "utf-16")


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
    (b"hello\x00world", "binary"),
    (bytes(range(32)) * 20, "binary"),
    (b"abc " + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 5, "encoding"),
])
def test_bad_bytes(data, words):
    with pytest.raises(ArticleError) as err:
        decode_article_bytes(data)
    assert words in str(err.value)


def test_parse_article_errors_name_the_path(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(ArticleError) as err:
        parse_article(empty)
    assert err.value.path == str(empty) and err.value.remedy
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(ArticleError, match="PNG"):
        parse_article(png)
    with pytest.raises(ArticleError, match="does not exist"):
        parse_article(tmp_path / "missing.txt")
    with pytest.raises(ArticleError, match="folder"):
        parse_article(tmp_path)
