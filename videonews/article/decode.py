"""Bytes -> text: refuse binary files, detect the encoding, decode.

Order: BOMs (UTF-8/16/32), strict UTF-8, then charset-normalizer for CJK and
non-Latin single-byte encodings, then Windows-1252 (which covers Latin-1 text
and the curly quotes that Latin-1 lacks). Anything else is undecodable.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from videonews.errors import ArticleError

# Magic numbers of files that are not articles (images, video, archives, documents).
_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.odt)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ\x90\x00", "a Windows executable"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg file"),
    (b"fLaC", "a FLAC file"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc)"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
]

_BOMS: list[tuple[bytes, str, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
]

_CJK_CODECS = {
    "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "hz": "hz",
    "big5": "big5", "big5hkscs": "big5hkscs", "cp950": "cp950",
    "shift_jis": "cp932", "shift_jis_2004": "cp932", "cp932": "cp932", "euc_jp": "euc_jp",
    "euc_jis_2004": "euc_jp", "iso2022_jp": "iso2022_jp",
    "euc_kr": "cp949", "cp949": "cp949", "johab": "johab",
}
_OTHER_SCRIPT_CODECS = {
    "cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic", "cp866",
    "cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6", "tis_620", "cp874",
}
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _refuse_binary(data: bytes, path: Path | None) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ArticleError(
                f"this is {what}, not an article", path=path,
                remedy="give the article as a .txt, .md or .html file",
            )
    head = data[:4096]
    if data[4:8] == b"ftyp":
        raise ArticleError("this is an MP4/MOV video, not an article", path=path,
                           remedy="give the article as a .txt, .md or .html file")
    if b"\x00" in head or len(_CONTROL.findall(head)) > max(8, len(head) // 20):
        raise ArticleError(
            "the article looks binary (NUL or control bytes)", path=path,
            remedy="save the article as plain text (UTF-8) or HTML",
        )


def _cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    cjk = sum(1 for c in letters if ord(c) >= 0x2E80)
    return cjk / len(letters)


def _mostly_script(text: str, prefix: str) -> bool:
    letters = [c for c in text if c.isalpha() and ord(c) > 0x7F]
    if not letters:
        return False
    hits = sum(1 for c in letters if unicodedata.name(c, "").startswith(prefix))
    return hits / len(letters) > 0.8


def _gb_name(data: bytes) -> str:
    try:
        data.decode("gbk")
        return "gbk"
    except UnicodeDecodeError:
        return "gb18030"


def decode_article_bytes(data: bytes, path: Path | None = None) -> tuple[str, str]:
    """Decode an article's bytes; return (text, encoding name).

    Raises ArticleError for empty, binary or undecodable input.
    """
    if not data or not data.strip():
        raise ArticleError("the article is empty", path=path, remedy="put the article text in the file")
    marked = _decode_bom(data, path)
    if marked is not None:
        return marked
    _refuse_binary(data, path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    detected = _decode_detected(data)
    if detected is not None:
        return detected
    return _decode_western(data, path)


def _decode_bom(data: bytes, path: Path | None) -> tuple[str, str] | None:
    """Text that starts with a byte order mark, decoded by it; None without one."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise ArticleError(f"the article has a {name} mark but is not valid {name}: {exc.reason}",
                                   path=path, remedy="re-save the article as UTF-8") from exc
            if not text.strip():
                raise ArticleError("the article is empty", path=path, remedy="put the article text in the file")
            return text, name
    return None


def _decode_detected(data: bytes) -> tuple[str, str] | None:
    """A CJK or non-Latin single-byte encoding that charset-normalizer detects and the text confirms."""
    from charset_normalizer import from_bytes  # imported lazily: it is slow to import

    best = from_bytes(data).best()
    guess = (best.encoding if best is not None else "").lower().replace("-", "_")
    if guess in _CJK_CODECS:
        codec = _CJK_CODECS[guess]
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = ""
        if text and _cjk_share(text) > 0.3:
            name = _gb_name(data) if codec == "gb18030" else codec
            return text, name
    if guess in _OTHER_SCRIPT_CODECS:
        try:
            text = data.decode(guess)
        except UnicodeDecodeError:
            text = ""
        if text and any(_mostly_script(text, p) for p in ("CYRILLIC", "GREEK", "HEBREW", "ARABIC", "THAI")):
            return text, guess
    return None


def _decode_western(data: bytes, path: Path | None) -> tuple[str, str]:
    """Latin-1 or Windows-1252; undecodable when many bytes are C1 controls that neither maps to text."""
    if not any(0x80 <= b < 0xA0 for b in data):
        return data.decode("latin-1"), "latin-1"  # identical to cp1252 for these bytes
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    text = data.decode("latin-1")
    if sum(1 for c in text if 0x80 <= ord(c) < 0xA0) > max(2, len(text) // 50):
        raise ArticleError("the article's encoding could not be detected", path=path,
                           remedy="re-save the article as UTF-8")
    return text, "latin-1"
