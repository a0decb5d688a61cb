"""Article text to recogniser words: normalisation, numbers, and a rough pronunciation for unknown words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
            "nine": "ninth", "twelve": "twelfth"}
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?%?|[a-z]+(?:['-][a-z]+)*")


def number_words(n: int) -> list[str]:
    """Cardinal words for 0 <= n < 10**12 ("2016" -> two thousand sixteen)."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            head, rest = divmod(n, size)
            return number_words(head) + [name] + (number_words(rest) if rest else [])
    raise AssertionError("unreachable")


def _ordinal(words: list[str]) -> list[str]:
    last = words[-1]
    if last in _ORDINAL:
        last = _ORDINAL[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return [*words[:-1], last]


def _number_token(tok: str) -> list[str]:
    percent = tok.endswith("%")
    tok = tok.rstrip("%")
    ordinal = tok[-2:] in ("st", "nd", "rd", "th")
    digits = tok[:-2] if ordinal else tok
    whole, _, frac = digits.replace(",", "").partition(".")
    if len(whole) > 12:
        return []
    words = number_words(int(whole))
    if ordinal:
        words = _ordinal(words)
    if frac:
        words += ["point", *(_ONES[int(d)] for d in frac)]
    return words + (["percent"] if percent else [])


def words_of(text: str) -> list[str]:
    """Lower-case spoken words of a text: digits spelled out, punctuation and non-Latin script dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    words: list[str] = []
    for tok in _TOKEN.findall(text):
        words.extend(_number_token(tok) if tok[0].isdigit() else [tok])
    return words


# Rough letter-to-phone rules (longest match first) for names the dictionary lacks: Wuzhen, Yunshan, Jinping.
_RULES = sorted({
    "tch": "CH", "sch": "SH", "sh": "SH", "ch": "CH", "th": "TH", "ph": "F", "ng": "NG", "ck": "K",
    "qu": "K W", "zh": "JH", "ee": "IY", "oo": "UW", "ai": "AY", "ao": "AW", "ei": "EY", "ou": "OW",
    "a": "AA", "b": "B", "c": "K", "d": "D", "e": "EH", "f": "F", "g": "G", "h": "HH", "i": "IY", "j": "JH",
    "k": "K", "l": "L", "m": "M", "n": "N", "o": "OW", "p": "P", "q": "CH", "r": "R", "s": "S", "t": "T",
    "u": "UW", "v": "V", "w": "W", "x": "K S", "y": "Y", "z": "Z",
}.items(), key=lambda kv: -len(kv[0]))


def rough_phones(word: str) -> str:
    """A guessed ARPAbet pronunciation for a word the dictionary lacks ('' when it has no letters)."""
    letters = re.sub(r"[^a-z]", "", word.lower())
    phones: list[str] = []
    i = 0
    while i < len(letters):
        if i > 0 and letters[i] == letters[i - 1] and letters[i] not in "aeiou":
            i += 1  # a doubled consonant is one sound
            continue
        for spelling, sound in _RULES:
            if letters.startswith(spelling, i):
                # pinyin x- is 'sh' at the start of a name (Xi, Xinhua); elsewhere x is 'ks'
                phones.extend(("SH" if spelling == "x" and i == 0 else sound).split())
                i += len(spelling)
                break
    return " ".join(phones)


Lookup = Callable[[str], str | None]


def spoken_words(text: str, lookup: Lookup) -> list[tuple[str, str]]:
    """(word, phones) for each spoken word of text. Hyphenated words the dictionary lacks are split;
    an unknown acronym (CPC) is spelled letter by letter; any other unknown word gets rough_phones."""
    acronyms = {w.lower() for w in re.findall(r"\b[A-Z]{2,5}\b", text)}
    out: list[tuple[str, str]] = []
    for word in words_of(text):
        parts = [word] if lookup(word) is not None or "-" not in word else word.split("-")
        for part in parts:
            phones = lookup(part)
            if phones is None and part in acronyms:
                phones = " ".join(lookup(c) or rough_phones(c) for c in part)
            phones = phones or rough_phones(part)
            if phones:
                out.append((part, phones))
    return out
