"""Character-level helpers: normalisation, CJK tests, tokens and sentence boundaries."""

from __future__ import annotations

import re
import unicodedata

from videonews.textsafe import safe_line

# Invisible characters that scraped pages leave in text.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")  # whitespace other than newline


def normalise_text(text: str) -> str:
    """NFC, unify newlines, drop invisible/control characters, unify odd spaces; bidi controls made
    harmless line by line (`videonews.textsafe`).

    Nothing is unescaped or interpreted: `<b>`, `&amp;`, `{\\an8}` stay as written.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\t", " ").replace("\f", "\n").replace("\v", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(_SPACES.sub(" ", safe_line(line)).strip() for line in text.split("\n"))


def collapse(text: str) -> str:
    """One line, single spaces."""
    return " ".join(text.split())


_CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK = re.compile(f"[{_CJK_CLASS}]")
_LATIN_WORD = re.compile(f"(?:(?![{_CJK_CLASS}])[^\\W\\d_])+(?:['’-](?:(?![{_CJK_CLASS}])[^\\W\\d_])+)*|\\d+")
_LETTER = re.compile(r"[^\W\d_]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def cjk_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return len(_CJK.findall(text)) / letters if letters else 0.0


def word_count(text: str) -> float:
    """Words, counting CJK characters as about 1.5 characters a word."""
    return len(_LATIN_WORD.findall(text)) + len(_CJK.findall(text)) / 1.5


ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "capt", "sgt", "st", "jr", "sr",
    "inc", "corp", "co", "ltd", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "mt", "ft", "fig", "approx", "dept",
    "est", "govt", "rev", "hon", "maj", "adm", "cmdr", "supt", "insp", "messrs", "mme", "mlle", "ave", "blvd",
}

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»」』)\]]*(?=\s+[\"'“‘«「(\[]?[A-Z0-9\u00c0-\u024f])|[。！？]+[”’」』）]*")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end in `text` (abbreviations and initials are skipped)."""
    ends = []
    for m in _BOUNDARY.finditer(text):
        if text[m.start()] == ".":
            word = re.search(r"([\w.]+)$", text[: m.start()])
            if word:
                w = word.group(1).lower()
                if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"(\w\.)+\w", w):
                    continue
        ends.append(m.end())
    return ends


TERMINAL = set(".!?。！？…:：")
CLOSERS = set("\"'”’»」』)）]")


def ends_like_sentence(text: str) -> bool:
    t = text.rstrip()
    while t and t[-1] in CLOSERS:
        t = t[:-1].rstrip()
    return bool(t) and t[-1] in TERMINAL
