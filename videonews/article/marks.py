"""Finding quoted stretches in paragraphs: pairing quotation marks.

- Double marks of every style pair up: straight "…", curly “…”, „…“, «…», »…«, 「…」, 『…』, 〝…〞.
  A mark's role (opening or closing) comes from the character and, for straight and misused curly marks,
  from its neighbours (space before + letter after = opening).
- Marks of another style inside a quote nest ("We should regard the “respect …” as …") and stay in the
  quote's text; single marks never open a quote unless the article has no double marks at all, and then a
  short phrase in single marks inside a single-quoted quote nests too ('It broke the promise of 'open doors'.
  We can't accept it,' he said.), apostrophes being no marks at all.
- A paragraph that ends inside a quote and a next paragraph that starts with an opening mark make a
  multi-paragraph quote: one part per paragraph, chained.
- Odd numbers of marks never crash: an unclosed quote at the start of a paragraph (or after "said:")
  runs to the paragraph end and is flagged; other strays are dropped with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from .text import is_cjk

OPENERS = {
    '"': '"”', "＂": "＂", "“": '”"', "„": '“”"', "«": "»", "»": "«»", "”": "”", "「": "」", "『": "』", "〝": "〞〟",
    "﹁": "﹂", "﹃": "﹄", "‹": "›", "‘": "’", "'": "'", "‚": "‘’",
}
DOUBLE = set('"＂“”„«»「」『』〝〞〟﹁﹂﹃﹄')
SINGLE = set("'‘’‚‹›")
_INTRINSIC_OPEN = set("“„«「『〝﹁﹃‘‚‹")
_INTRINSIC_CLOSE = set("”»」』〞〟﹂﹄’›")
_FIXED = set("«»「」『』〝〞〟﹁﹂﹃﹄‹›")  # never re-read from context
_FAMILY = {
    '"': "straight", "＂": "full", "“": "curly", "”": "curly", "„": "curly", "«": "guil", "»": "guil",
    "「": "corner", "」": "corner", "『": "wcorner", "』": "wcorner", "〝": "prime", "〞": "prime", "〟": "prime",
    "﹁": "vcorner", "﹂": "vcorner", "﹃": "vwcorner", "﹄": "vwcorner", "'": "sstraight", "‘": "scurly",
    "’": "scurly", "‚": "scurly", "‹": "sguil", "›": "sguil",
}


@dataclass
class RawQuote:
    para: int
    open_pos: int  # index of the opening mark in the paragraph
    start: int  # interior start (after the mark)
    end: int  # interior end (the closing mark's index, or the paragraph's end)
    closed: bool = True
    chain_prev: bool = False  # continues a quote from the previous paragraph
    chain_next: bool = False  # continues into the next paragraph
    kind: str = "marks"  # "marks"; or, with no marks: "answer" (Q&A interview), "turn" (a transcript's labelled
    # turn), "block" (HTML <blockquote>)
    label: str = ""  # a turn's speaker label


def _can(text: str, i: int) -> tuple[bool, bool]:
    p = text[i - 1] if i > 0 else None
    n = text[i + 1] if i + 1 < len(text) else None
    left_open = p is None or p.isspace() or is_cjk(p) or (not p.isalnum() and p not in ".!?…%")
    right_close = n is None or n.isspace() or is_cjk(n) or (not n.isalnum() and n not in "([{")
    can_open = n is not None and not n.isspace() and left_open
    can_close = p is not None and not p.isspace() and right_close
    return can_open, can_close


def _role(text: str, i: int, reversed_guillemets: bool) -> str:
    ch = text[i]
    if ch in _FIXED:
        if ch in "«»" and reversed_guillemets:
            return "open" if ch == "»" else "close"
        return "open" if ch in _INTRINSIC_OPEN else "close"
    can_open, can_close = _can(text, i)
    if ch in SINGLE:
        if can_open and not can_close and ch != "’":
            return "open"
        if can_close and not can_open and ch != "‘":
            return "close"
        return "none"  # an apostrophe
    if ch in _INTRINSIC_OPEN:
        return "close" if can_close and not can_open else "open"
    if ch in _INTRINSIC_CLOSE:
        return "open" if can_open and not can_close else "close"
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close"
    p = text[i - 1] if i > 0 else " "
    n = text[i + 1] if i + 1 < len(text) else " "
    return "none" if p.isspace() and n.isspace() else "both"


def _closes(opener: str, ch: str) -> bool:
    return ch in OPENERS.get(opener, "")


def find_raw_quotes(paragraphs: list[str]) -> tuple[list[RawQuote], list[str]]:
    """Pair the quotation marks of all paragraphs; return quotes in order and warnings."""
    use = DOUBLE if any(c in DOUBLE for p in paragraphs for c in p) else SINGLE
    first_guil = next((c for p in paragraphs for c in p if c in "«»"), None)
    reversed_guillemets = first_guil == "»"
    quotes: list[RawQuote] = []
    warnings: list[str] = []
    for pi, para in enumerate(paragraphs):
        para_quotes, stack, strays = _pair_marks(pi, para, use, reversed_guillemets)
        if stack:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else ""
            unclosed = _unclosed_quote(pi, para, stack[0], nxt, reversed_guillemets)
            if unclosed is None:
                strays += 1
            else:
                para_quotes.append(unclosed)
                if not unclosed.chain_next:
                    warnings.append(f"paragraph {pi}: a quotation mark is never closed; "
                                    "quote runs to the paragraph end")
        if strays:
            warnings.append(f"paragraph {pi}: {strays} unpaired quotation mark(s) ignored")
        quotes.extend(para_quotes)
    # chain flags for the first quote of a continued paragraph
    for a, b in pairwise(quotes):
        if a.chain_next and b.para == a.para + 1 and b.open_pos == 0:
            b.chain_prev = True
    return quotes, warnings


def _pair_marks(pi: int, para: str, use: set[str],
                reversed_guillemets: bool) -> tuple[list[RawQuote], list[tuple[str, int]], int]:
    """Pair the marks (of the `use` set) of paragraph `pi`: (closed quotes, the marks still open at the
    paragraph end as (mark, index), outermost first, and the number of stray marks)."""
    stack: list[tuple[str, int]] = []
    strays = 0
    para_quotes: list[RawQuote] = []
    for i, ch in enumerate(para):
        if ch not in use:
            continue
        role = _role(para, i, reversed_guillemets)
        if role == "none":
            continue
        if not stack:
            if role in ("open", "both") and ch in OPENERS:
                stack.append((ch, i))
            else:
                strays += 1
            continue
        top_ch = stack[-1][0]
        outer_ch, outer_pos = stack[0]
        if role in ("close", "both") and _closes(top_ch, ch):
            stack.pop()
            if not stack:
                para_quotes.append(RawQuote(pi, outer_pos, outer_pos + 1, i))
            continue
        if role == "close" and len(stack) > 1 and _closes(outer_ch, ch):
            stack.clear()  # an unclosed nested quote: the outer quote ends here
            para_quotes.append(RawQuote(pi, outer_pos, outer_pos + 1, i))
            continue
        if role in ("open", "both") and ch in OPENERS:
            if (len(stack) == 1 and _FAMILY.get(ch) == _FAMILY.get(outer_ch)
                    and not _nested_phrase(para, i, reversed_guillemets)):
                strays += 1  # the previous quote was never closed; start again here
                stack = [(ch, i)]
            else:
                stack.append((ch, i))
            continue
        strays += 1
    return para_quotes, stack, strays


_NESTED_WORDS = 8  # a phrase quoted inside a quote in the same marks is at most this long (words)


def _nested_phrase(para: str, i: int, reversed_guillemets: bool) -> bool:
    """A single mark opening a short phrase inside a quote in the same single marks (British style:
    'It broke the promise of 'open doors'. We can't accept it,' he said.): it closes within a few words and
    another closing mark follows for the outer quote. Double marks are never nested in their own kind."""
    if para[i] not in SINGLE:
        return False
    closers = [j for j in range(i + 1, len(para)) if _FAMILY.get(para[j]) == _FAMILY[para[i]]
               and _role(para, j, reversed_guillemets) in ("close", "both")]
    return len(closers) >= 2 and len(para[i + 1:closers[0]].split()) <= _NESTED_WORDS


def _unclosed_quote(pi: int, para: str, outer: tuple[str, int], nxt: str,
                    reversed_guillemets: bool) -> RawQuote | None:
    """A quote whose opening mark `outer` is never closed in its paragraph: it runs to the paragraph end when
    the next paragraph `nxt` continues it (a multi-paragraph quote), when it opens the paragraph or follows
    "said:"; otherwise the mark is a stray (None)."""
    outer_ch, outer_pos = outer
    continues = (bool(nxt) and nxt[0] in OPENERS and _FAMILY.get(nxt[0]) == _FAMILY.get(outer_ch)
                 and _role(nxt, 0, reversed_guillemets) == "open")
    lead = para[:outer_pos].rstrip()
    if continues or outer_pos == 0 or lead.endswith((":", "：", ",", "，")):
        return RawQuote(pi, outer_pos, outer_pos + 1, len(para), closed=continues, chain_next=continues)
    return None
