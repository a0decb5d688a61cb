"""Direct and partial quotes with their speakers.

For each quoted stretch (see marks.py) we read the *lead* (the same sentence before the opening mark) and
the *tail* (the same sentence after the closing mark):

- direct: the quote starts a sentence or follows an attribution ("Wang said:"), and either ends the sentence
  or is followed by an attribution ("," said Liu Yunshan.", "," he added.", "," Jack Ma, founder of ..., told
  reporters."); otherwise it is *partial* (a fragment inside indirect speech, a title, a scare quote); quotes
  of four words or fewer with no attribution are partial too;
- the attribution may also be the sentence after the quote ("That was the warning from Mayor Ann Lee"), the
  paragraph before when it ends in a colon ("He added:", "Judge Lina Hidalgo had a message for drivers:"),
  the named subject of the sentence whose colon opens it ("Asked about the title race, Slot was cautious:";
  never a place, a possessive or one of several people),
  "quoting X as saying:", "X was quoted as saying", and "X quoted Y who once said" (Y speaks, `quoted_by` X);
- the attribution phrase becomes a speaker, one person of the article (people.py's registry) whatever the
  mention: full names as first introduced (surname-only references are looked up: "Gitau" -> "John Gitau";
  "Lee" with two Lees -> the one introduced before, else flagged; "Mr Holloway" never his daughter Karen
  Holloway), "NAME of ORGANISATION" as the person (the organisation as title), pronouns by gender (from
  honorifics, gendered roles and earlier unambiguous pronouns) among the people named in this and the previous
  paragraph, or further back when that can only be one person, noun phrases ("the foreign minister") by
  matching introduced titles; the title shown is the best one stated for the person anywhere in the article,
  with where it was stated;
- a pronoun with more than one fitting candidate of the same or unknown gender is not guessed (needs_review),
  unless its own paragraph names only one of them or the most recent one was the last to speak; a bare full
  name with no title or role ("Iga Swiatek beat Aryna Sabalenka") is a candidate but only ever chosen flagged;
- "the ministry/department/company said" and "said the statement issued by X" are the organisation ("China's
  Foreign Ministry"), never a person whose title holds the word, and "it said" after them is that organisation
  again; an organisation is never the speaker when the quote's sentence has a person speaking; "according to"
  a news agency or outlet makes it a source, never a speaker; "the minister" with two ministers is not
  guessed; "the Argentine", "the midfielder" (nobody introduced as one) take the one person named just before,
  flagged; anonymous people ("an official who declined to be named", "the person said", "a spokesperson for
  the council") get no speaker;
- unattributed quotes take the speaker of the other part of a split or multi-paragraph quote, or of the
  previous paragraph (lower confidence) - not across a subhead or liveblog timestamp, flagged when the next
  paragraph opens with someone else's quote, and "That was the message from X" in the next paragraph wins;
- without quotation marks: the A: answers of a Q&A interview are quotes of the one person named in the
  introduction who is not the interviewer (flagged when there are several), the turns of a transcript labelled
  with names (transcript.py) are quotes of those people, and an HTML <blockquote> after "X wrote:" is X's quote;
- a name at the very end of a text that stops mid-sentence ("…," said Tom Ha) may be cut off: the quote is
  kept with no speaker, flagged;
- anything unsure is flagged needs_review with a reason, and when two people fit equally the speaker is left
  empty rather than guessed. needs_review is set exactly when the confidence is below REVIEW_BELOW (a doubt
  caps the confidence under it); a partial quote (never captioned) with no one named for it is not flagged.

Quote text is the span inside the marks (nested marks kept), without the comma/colon that belongs to the
attribution; span indexes Article.text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import NamedTuple

from videonews.models import Quote

from .lexicon import (
    CJK_PRONOUNS,
    CJK_ROLES,
    CJK_SPEECH_VERBS,
    DEMONYMS,
    KNOWN_ORGS,
    NATIONALITIES,
    NEWS_SOURCES,
    ORG_WORDS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    STOP_CAPS,
    SUBJECT_PRONOUNS,
    TITLE_MODIFIERS,
    VERB_OBJECTS,
    cjk_name_ok,
    is_role,
)
from .marks import OPENERS, RawQuote, find_raw_quotes
from .people import (
    ADVERBS,
    PARTICLES,
    Mention,
    Person,
    Phrase,
    Registry,
    Tok,
    gender_of_title,
    is_cap,
    looks_like_title,
    parse_phrase,
    scan_people,
    scan_people_cjk,
    tokenize,
)
from .text import ABBREVIATIONS, cjk_share, ends_like_sentence, is_cjk, sentence_ends, word_count
from .transcript import find_turns

_DETS = {"the", "a", "an", "this", "that", "his", "her", "its", "their", "our"}
_QUANTIFIERS = {"one", "two", "three", "four", "several", "some", "many", "another", "a", "an", "the", "both", "most",
                "few", "all", "other", "others"}
_LINKS = {"of", "for", "and", "&", "de", "von", "van", "al", "bin"}


@dataclass
class Attr:
    phrase: Phrase
    pos: int  # absolute offset of the attribution phrase
    verb: str = ""
    quoted_by: Attr | None = None  # "X quoted Y who once said": X, who quotes Y's words


@dataclass
class Resolved:
    """A speaker as resolved, with its confidence. `review`: a doubt about who is meant (two candidates, a name
    cut off), which flags even a partial quote; a direct quote with no speaker is flagged by its low confidence
    alone (an anonymous source, a group, a news agency)."""

    speaker: str | None = None
    confidence: float = 0.3
    review: bool = True
    reason: str | None = "no attribution found"
    person: Person | None = None
    organisation: bool = False  # the speaker is an organisation ("the ministry said in a statement")
    quoted_by: str | None = None  # who quoted these words of the speaker


class Around(NamedTuple):
    """A quote's sentence around its marks, each piece with its absolute offset: the lead (before the opening
    mark), the tail (after the closing mark, to the sentence end) and the sentence after that."""

    lead: str
    lead_pos: int
    tail: str
    tail_pos: int
    after: str
    after_pos: int


@dataclass
class Item:
    raw: RawQuote
    text: str
    span: tuple[int, int]
    partial: bool
    own: Resolved | None = None  # from the quote's own attribution
    res: Resolved = field(default_factory=Resolved)
    lead: str = ""
    lead_kind: str = "none"


def _norm_word(w: str) -> str:
    w = w.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w.startswith("spokes"):
        return "spokes"
    if w in {"chairman", "chairwoman", "chairperson", "chair"}:
        return "chair"
    return w


def _plausible_head(text: str) -> bool:
    """Is this a subject like 'Wang', 'he', 'the foreign minister', 'Foreign Ministry spokesperson Hua Chunying'?"""
    toks = [t for t in tokenize(text) if t.word]
    if not toks or len(toks) > 10:
        return False
    if len(toks) == 1 and toks[0].low == "it":
        return True  # an organisation spoken of before ("…," it said.)
    for k, t in enumerate(toks):
        w = t.low
        if is_cap(t.text) or w in _DETS or w in SUBJECT_PRONOUNS or w in ADVERBS or is_role(t.text):
            continue
        if w in TITLE_MODIFIERS or t.possessive or w in PARTICLES or re.fullmatch(r"\d+(?:-year-old)?", w):
            continue
        if w in _LINKS and 0 < k < len(toks) - 1:
            continue
        if (k + 1 < len(toks) and is_role(toks[k + 1].text) and w.isalpha() and w not in REPORTING_VERBS
                and not w.endswith(("ed", "ing", "ly"))):
            continue  # a topical modifier of a role: "election chief Maria Ruiz", "climate envoy John Kerry"
        return False
    return True


_PARTY_STATE = re.compile(r"[DRI]-(?:[A-Z][a-z]{1,4}\.|[A-Z]\.[A-Z]\.|[A-Z]{2})")  # AP style: D-N.Y., R-Ky., I-Vt.


def _subject_before(text: str) -> str | None:
    """The subject at the end of `text` (the words before a verb), with an appositive if there is one."""
    chunks = [c.strip() for c in re.split(r"\s*,\s*", text)]
    while chunks and not chunks[-1]:
        chunks.pop()
    # "Sarah O'Neill, 34, who travels from Brighton, said", "Sen. Bernie Sanders, I-Vt., said": the name before
    # its age, relative clause or party and state
    while len(chunks) >= 2 and (re.fullmatch(r"\d{1,3}", chunks[-1]) or _PARTY_STATE.fullmatch(chunks[-1])
                                or re.match(r"(?i)(?:who|whose)\s", chunks[-1])):
        chunks.pop()
    if not chunks:
        return None
    last = chunks[-1]
    toks = tokenize(last)
    # drop a leading clause word ("In a statement the ministry" is rare; "Speaking ..., Wang" handled by commas)
    if len(chunks) >= 2 and toks and (not is_cap(toks[0].text) or toks[0].low in _DETS) and not (
            len(toks) == 1 and toks[0].low in SUBJECT_PRONOUNS):
        prev = chunks[-2]
        if prev and _plausible_head(prev) and any(is_cap(t.text) for t in tokenize(prev)) and any(
                is_role(t.text) for t in toks):
            return prev + ", " + last
    if _plausible_head(last):
        return last
    return None


_JA_TAIL = re.compile(r"^\s*と(?:述べ|語|話|言|強調|説明|指摘|明らかに|発表|訴え|答え|主張|表明|記者団に)")
_JA_ROLES = ("官房長官", "委員長", "報道官", "大統領", "外相", "首相", "大臣", "長官", "主席", "議員", "知事", "市長", "社長",
             "会長", "代表", "教授", "総裁", "議長", "監督", "選手", "氏", "さん")


def _ja_subject(lead: str, pos: int) -> Attr | None:
    """Japanese: 「…」と述べた with the subject before は/が ("日本の上川陽子外相は")."""
    m = re.search(r"(?P<s>[^、。「」『』\s]{1,30}?)(?:は|が)[^、。「」]*$", lead)
    if not m:
        return None
    subj = m.group("s").split("の")[-1]
    start = pos + m.end("s") - len(subj)
    if subj in ("彼", "彼女"):
        return Attr(Phrase("pronoun", gender="m" if subj == "彼" else "f", text=subj), start)
    for role in _JA_ROLES:
        if subj.endswith(role):
            name = subj[: -len(role)]
            if 2 <= len(name) <= 6:
                return Attr(Phrase("name", name=name, title=role, text=subj), start)
            return Attr(Phrase("np", words=(role,), text=subj), start)
    if 2 <= len(subj) <= 6:
        return Attr(Phrase("name", name=subj, text=subj), start)
    return None


_UNNAMED = re.compile(r"\b(?:[Aa]n?|[Aa]nother|[Oo]ne(?: of the)?)\s+(?:[\w.'’-]+\s+){0,3}?(?P<head>[a-z][a-z-]+)\b"
                      r"(?=\s*(?:,|who|said|says|told|added|familiar|with|from|at|in|for|speaking|close)\b)")


def _clause(text: str, dashes: bool = True) -> str:
    """`text` up to the end of its clause: a full stop (not one after an initial or abbreviation: "said B.V. Krishna
    Rao", "said Rep. Matt Gaetz"), ; : ! ? ( ) or a spaced dash."""
    for m in re.finditer(r"[.;:!?()](?=\s|$)" + (r"|\s[—–]\s" if dashes else ""), text):
        if m.group() == ".":
            word = re.search(r"([\w.]+)$", text[:m.start()])
            w = word.group(1).lower() if word else ""
            if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"(?:\w\.)+\w", w):
                continue
        return text[:m.start()]
    return text


_BACK_REFERENCE = re.compile(
    r"^(?:(?:That|This|Those|These|Such)\s+(?:was|were|is|are|came|comes|has been|had been)\b[^.!?]{0,60}?\b(?:from|of|by)"
    r"|So (?:said|says)|(?:The|Those) (?:words|remarks|comments|warning|message) (?:were|was|are|is|came from|of))\s+"
    r"(?P<rest>\S)")
# Last words of a place or a thing named like a person ("Gaza Strip", "Wembley Stadium"): never a weak candidate.
_PLACE_HEADS = frozenset("""strip coast valley desert stadium arena hall bridge gulf peninsula border plaza tower palace
castle cathedral mosque prison camp base centre center heights hills hill gardens garden mall reserve fed bank
beach falls canyon forest highway motorway line railway metro crossing terminal building court cup league open
""".split())
_GROUP_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:Both|The two|All (?:three|four|five)|Neither|Each) (?:of (?:the|them) )?"
                            r"(?:[a-z][\w-]* ){0,2}?(?:players|leaders|men|women|sides|candidates|ministers|teams|"
                            r"officials|sisters|brothers|presidents|coaches|finalists|rivals|parties|of them)\b")
_QUESTION = re.compile(r"^(?:Q|Question)\s*(?:[:.：]|\s[-–—])\s*(?=\S)")
_ANSWER = re.compile(r"^(?:A|Answer)\s*(?:[:：]|\s[-–—])\s*(?=\S)")
# "quoting the army chief Ri Yong Gil, who met the envoy, as saying:", "Xinhua quoted X as saying:"
_QUOTING_AS = re.compile(r"\bquot(?:ing|ed|es)\s+(?!by\b|in\b)(?P<x>.+?)\s+as\s+(?:saying|telling\s+[^:,]{1,40}?)\s*[:,]?$")
# "The envoy, Liu Jianchao, was quoted by KCNA as saying:"
_WAS_QUOTED = re.compile(r"^(?P<x>.+?)\s+(?:was|were|is|has been|had been)\s+quoted\s+(?:(?:by|in)\s+[^:,]{1,60}?\s+)?"
                         r"as\s+saying\s*[:,]?$")
_WAS_QUOTED_TAIL = re.compile(r"\s+(?:was|were|is|has been|had been)\s+quoted\b.*$")
# "Chen quoted Mencius who once said": Mencius's words, Chen quotes them
_QUOTED_WHO = re.compile(r"^(?P<x>.*?)\bquot(?:ed|es|ing)\s+(?P<y>[^,]{2,60}?)\s*,?\s+who\s+(?:\w+ly\s+|once\s+)?"
                         r"(?:said|says|wrote|writes|remarked|observed|declared|taught)\s*[:,]?$")


def _title_case(text: str) -> bool:
    """A name of a work or event ("A Long History of the Grand Canal") rather than speech."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not words or text.rstrip()[-1:] in ".!?…":
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


def _by_para(raws: list[RawQuote]) -> dict[int, list[RawQuote]]:
    by_para: dict[int, list[RawQuote]] = {}
    for q in raws:
        by_para.setdefault(q.para, []).append(q)
    return by_para


def _fuller_names(name: str, mentions: list[Mention]) -> set[str]:
    """Names of two words or more, among `mentions`, that have the one-word `name` as one of their words."""
    return {m.name for m in mentions if name in m.name.split() and len(m.name.split()) >= 2}


_CJK_SHARE = 0.3  # a paragraph or caption with a larger share of CJK letters is read as Chinese/Japanese
REVIEW_BELOW = 0.6  # a quote whose attribution confidence is below this has needs_review set, with a reason
_FLAGGED_MAX = 0.55  # a quote flagged for a doubt (two candidates, a cut-off name) is never shown surer than this
_PARTIAL_NO_SPEAKER = REVIEW_BELOW  # a partial quote no one is named for: not captioned, nothing to review
_PARTIAL_MAX = 0.8  # a partial quote's speaker (the subject of a reporting verb) is less sure than a direct one's
_PRONOUN_ONLY_ONE = 0.8  # "he" far from any name, but only one man (or person) has been named in the article
_PRONOUN_LAST_SPEAKER = 0.75  # "she" far from any name: the last to speak, a woman, and no one named since
_SHORT_QUOTE_WORDS = 4  # this short, unattributed and not a sentence: partial (a scare quote, a title)
_MIN_DIRECT_AFTER_THAT = 4  # after "that"/"as": direct only when attributed and at least this long (words)
_MIN_DIRECT_RUN_ON = 5  # the sentence runs on after it: direct only after an intro and at least this long


def _is_partial(q: RawQuote, body: str, end_char: str, tail: str, lead_kind: str, attributed: bool,
                cjk: bool) -> bool:
    """A partial quote (a fragment inside indirect speech, a title, a scare quote) rather than a direct one;
    `attributed`: an attribution follows the quote."""
    if q.chain_prev or q.chain_next:
        return False
    words = word_count(body)
    if lead_kind in ("that", "other"):
        return not (attributed and words >= _MIN_DIRECT_AFTER_THAT and end_char in ",.!?…，。！？")
    t = tail.lstrip(" ")
    continues = bool(t) and not attributed and (t[0].isalnum() or t[0] in "([") and not is_cjk(t[0])
    if cjk and t and not attributed and t[0] not in "，,。！？；：:!?.":
        continues = True
    if continues:
        return not (lead_kind == "intro" and words >= _MIN_DIRECT_RUN_ON and not _title_case(body))
    sentence = body[:1].isupper() and end_char in ".!?…。！？"
    return words <= _SHORT_QUOTE_WORDS and not attributed and lead_kind != "intro" and not sentence


def _according_to_lead(s: str, pos: int) -> Attr | None:
    """A sentence opening "According to X," before a quoted fragment: X (a source when X is a news outlet)."""
    m = re.match(r"\s*According to (?P<x>[^,]{2,60}),", s)
    if not m:
        return None
    ph = _source_or_speaker(parse_phrase(m.group("x")))
    return Attr(ph, pos + m.start("x"), "according to") if ph.kind != "none" else None


def _verb_subject(core: str, pos: int, toks: list[Tok], idx: int) -> Attr | None:
    """Who the speech verb toks[idx] of a lead belongs to: its subject before it ("Wang said:"), else a name or
    organisation after it ("said Wang:")."""
    verb = toks[idx]
    before = core[: verb.start - pos]
    subj = _subject_before(before)
    if subj is None and idx + 1 < len(toks):
        ph = parse_phrase(core[toks[idx + 1].start - pos:])
        return Attr(ph, toks[idx + 1].start, verb.low) if ph.kind in ("name", "org") else None
    if subj is None:
        return None
    ph = parse_phrase(subj)
    return Attr(ph, pos + before.rfind(subj) if subj in before else pos, verb.low) if ph.kind != "none" else None


def _quoting_attr(s: str, pos: int) -> Attr | None:
    """The speaker of words another reports or quotes: "quoting X as saying:", "X was quoted as saying:", and
    "X quoted Y who once said" (Y speaks; X, who quotes Y, is kept as `quoted_by`)."""
    m = _QUOTED_WHO.search(s)
    if m:
        ph = parse_phrase(m.group("y"))
        if ph.kind == "none":
            return None
        x = _subject_before(m.group("x"))
        by = parse_phrase(x) if x else Phrase("none")
        by_attr = Attr(by, pos + m.group("x").rfind(x or ""), "quoted") if by.kind not in ("none", "it") else None
        return Attr(ph, pos + m.start("y"), "said", quoted_by=by_attr)
    m = _QUOTING_AS.search(s)
    if m:
        ph = parse_phrase(m.group("x"))
        return Attr(ph, pos + m.start("x"), "quoted") if ph.kind not in ("none", "it") else None
    m = _WAS_QUOTED.search(s)
    if m:
        x = m.group("x")
        ph = parse_phrase(x)
        if ph.kind == "none" and (subj := _subject_before(x)):
            ph, x = parse_phrase(subj), subj
        return Attr(ph, pos + s.rfind(x), "quoted") if ph.kind not in ("none", "it") else None
    return None


def _source_or_speaker(ph: Phrase) -> Phrase:
    """After "according to": a news agency or outlet ("the state news agency", "Xinhua") is a source that
    reports the words, never their speaker; a person (even a titled reporter) speaks."""
    if ph.kind in ("none", "pronoun") or (ph.kind == "name" and ph.title and looks_like_title(ph.title)):
        return ph
    words = {w.lower() for w in re.findall(r"[\w'’]+", ph.text)}
    if words & NEWS_SOURCES:
        return Phrase("source", name=ph.name, text=ph.text)
    return ph


_INTERVIEWERS = frozenset("editor correspondent reporter host anchor presenter journalist interviewer columnist".split())


def _interviewer(person: Person) -> bool:
    """Someone whose title says they ask the questions of an interview."""
    return any(_norm_word(w) in _INTERVIEWERS for t in person.titles for w in t.split())


def _back_reference_attr(text: str, pos: int) -> Attr | None:
    """The sentence after a quote naming its speaker: '"…" That was the warning from Mayor Ann Lee on Friday.'"""
    s = text.lstrip()
    m = _BACK_REFERENCE.match(s)
    if not m:
        return None
    ph = parse_phrase(_clause(s[m.start("rest"):]))
    return Attr(ph, pos + len(text) - len(s) + m.start("rest"), "from") if ph.kind in ("name", "np", "org") else None


def _sentence_subject(sentence: str) -> Phrase:
    """The named subject opening a sentence with no speech verb ("Harris County Judge Lina Hidalgo, speaking in
    Houston, had a message for drivers:"), or a "none" phrase."""
    words = re.split(r"\s*,\s*", sentence.strip(), maxsplit=1)[0].split()
    k = next((i for i, w in enumerate(words) if w[:1].islower() and not is_role(w) and w not in PARTICLES), len(words))
    head = " ".join(words[:k])
    if not words or words[0].lower() in STOP_CAPS or not _plausible_head(head):
        return Phrase("none", text=sentence)
    ph = parse_phrase(head)
    return ph if ph.kind == "name" else Phrase("none", text=sentence)


_LEADING = frozenset("in at on after before during from for with without since as when while asked speaking "
                     "writing addressing responding reacting later earlier meanwhile still yet but and "
                     "however today yesterday".split())


def _colon_subject(core: str, pos: int) -> Attr | None:
    """The named subject of a sentence that introduces a quote with a colon and no speech verb: after a leading
    phrase, its last clause ("Asked about the title race, Slot was cautious:"), else its first ("Guardiola,
    back in Manchester, had a message for his players:"). Not a possessive ("Modi's office released a
    statement:"), not one of several ("Johnson and Ruiz were blunt:"), not a place ("In Paris, ...")."""
    clauses = list(re.finditer(r"[^,]+", core))
    if not clauses:
        return None
    first = clauses[0].group().split()
    if len(clauses) == 1:
        tries = [clauses[0]]
    elif first and first[0].lower() in _LEADING:
        tries = [clauses[-1]]  # "Asked about the title race, Slot was cautious:"
    else:
        tries = [clauses[0]]  # "Guardiola, back in Manchester, had a message:" (the clause is the name alone)
    for m in tries:
        clause = m.group()
        ph = _sentence_subject(clause)
        if ph.kind != "name" or (len(clauses) > 1 and m is clauses[0] and ph.text.strip() != clause.strip()):
            continue
        words = clause.split()
        head = len(ph.text.split()) if ph.text else 0
        after = words[head].lower() if head < len(words) else ""
        if re.search(r"['’]s?$", words[head - 1] if head else "") or after in {"and", "or", "&", "with"}:
            return None
        if words[0].lower() in _LEADING:
            return None
        return Attr(ph, pos + m.start() + len(clause) - len(clause.lstrip()), ":")
    return None


class Extractor:
    def __init__(self, paragraphs: list[str], offsets: list[int], captions: list[str], breaks: set[int] | None = None,
                 blockquotes: set[int] | None = None) -> None:
        self.paras = paragraphs
        self.body = "\n\n".join(paragraphs)  # Article.text: offsets index it
        self.offsets = offsets
        self.captions = captions
        self.breaks = breaks or set()
        self.blockquotes = blockquotes or set()
        self.interviewee: Resolved | None = None
        self.turn_labels: dict[str, tuple[str, str | None]] = {}  # transcript label key -> (fullest label, role)
        self.turn_speakers: dict[str, Resolved] = {}
        self.registry = Registry()
        self.mentions: list[Mention] = []  # body mentions, in order, with people resolved
        self.mention_para: list[int] = []
        self.events: list[tuple[int, int, Person]] = []  # (pos, paragraph, person): who spoke, in order
        self.org_events: list[tuple[int, int, str]] = []  # (pos, paragraph, organisation): organisations quoted
        # the last paragraph stops mid-sentence: the page was cut off, maybe inside a speaker's name
        self.cut_off = bool(paragraphs) and not ends_like_sentence(paragraphs[-1])
        self.warnings: list[str] = []
        self.para_cjk = [cjk_share(p) > _CJK_SHARE for p in paragraphs]

    # ----------------------------------------------------------- people
    def _scan(self, raws: list[RawQuote]) -> None:
        caption_mentions = self._caption_mentions()
        body = self._body_mentions(_by_para(raws))
        everyone = [(m, -1) for m in caption_mentions] + body

        def one_word(m: Mention) -> bool:
            return len(m.name.split()) == 1 and not is_cjk(m.name[:1])

        # full names first, so that "Mr Holloway" finds Derek Holloway, not his daughter Karen Holloway
        self._register([x for x in everyone if not one_word(x[0])], [m for m, _ in everyone])
        self._register_weak(body)
        self._register([x for x in everyone if one_word(x[0])], [m for m, _ in everyone])
        for m, pi in body:
            hits = self.registry.find(m.name)
            if len(hits) == 1:
                m.person = hits[0]
            elif hits:
                m.candidates = tuple(hits)
            self.mentions.append(m)
            self.mention_para.append(pi)
        self.caption_mentions = caption_mentions
        self.unnamed = self._unnamed_people()
        self._gender_votes()

    def _caption_mentions(self) -> list[Mention]:
        """People named in the photo captions (position -1: before the body)."""
        found: list[Mention] = []
        for cap in self.captions:
            for m in (scan_people_cjk(cap, 0) if cjk_share(cap) > _CJK_SHARE
                      else scan_people(cap, 0, caption=True)):
                m.pos = m.end = -1
                found.append(m)
        return found

    def _body_mentions(self, by_para: dict[int, list[RawQuote]]) -> list[tuple[Mention, int]]:
        """People named in the unquoted text of each paragraph, with the paragraph; records those stretches in
        `self.segments`."""
        body: list[tuple[Mention, int]] = []
        self.segments: list[tuple[int, int, int]] = []  # (para, start, end) of unquoted text, absolute
        for pi, para in enumerate(self.paras):
            base = self.offsets[pi]
            cut = 0
            pieces = []
            for q in by_para.get(pi, []):
                pieces.append((cut, q.open_pos))
                cut = min(len(para), q.end + 1)
            pieces.append((cut, len(para)))
            for s, e in pieces:
                if e <= s:
                    continue
                self.segments.append((pi, base + s, base + e))
                seg = para[s:e]
                found = scan_people_cjk(seg, base + s) if self.para_cjk[pi] else scan_people(seg, base + s)
                body.extend((m, pi) for m in found)
        return body

    def _register(self, mentions: list[tuple[Mention, int]], everyone: list[Mention]) -> None:
        """Add the mentions (with the paragraph they are in, -1 for a caption) with evidence of being a person to
        the registry, under their fullest name. A surname that fits several people is left to each mention."""
        for m, where in mentions:
            if m.subject and not m.evidence and len(m.name.split()) == 1 and not is_cjk(m.name[:1]):
                # "Triet says" after "Justine Triet": a speaker, so a person (not for a lone word: "China said")
                m.evidence = len(_fuller_names(m.name, everyone)) == 1
            if not m.evidence:
                continue
            name = m.name
            if len(name.split()) == 1 and not is_cjk(name[:1]):
                gender = m.gender or gender_of_title(m.title)
                fuller = _fuller_names(name, everyone)
                if len(fuller) == 1:
                    full = fuller.pop()
                    # "Palmer, 21," after "Cole Palmer's penalty": the fuller name written elsewhere, unless that is
                    # someone of the other gender ("Mr Holloway" is not "his daughter, Karen Holloway")
                    if not any(gender and p.sex and p.sex != gender for p in self.registry.find(full)):
                        name = full
                if len([p for p in self.registry.find(name) if not (gender and p.sex and p.sex != gender)]) > 1:
                    continue
            self.registry.add(name, m.title, m.pos, m.gender, where=where)

    def _register_weak(self, body: list[tuple[Mention, int]]) -> None:
        """A full name with no title or role ("Iga Swiatek beat Aryna Sabalenka"): kept as a weak candidate,
        so that "she" is not given to someone named earlier, but never chosen by a pronoun without review."""
        for m, pi in body:
            if (not m.evidence and not m.possessive and len(m.name.split()) >= 2 and not self.registry.find(m.name)
                    and not any(w.lower() in KNOWN_ORGS for w in m.name.split())
                    and m.name.split()[-1].lower() not in _PLACE_HEADS
                    and not self._after_preposition(m.pos, pi)):
                self.registry.add(m.name, None, m.pos, weak=True)

    def _unnamed_people(self) -> list[tuple[int, int, str]]:
        """Unnamed people ("a U.S. official", "one of the sources") as (position, paragraph, head word): later
        "the official" / "he" may mean them."""
        unnamed: list[tuple[int, int, str]] = []
        for pi, s, e in self.segments:
            if self.para_cjk[pi]:
                continue
            seg = self.paras[pi][s - self.offsets[pi]: e - self.offsets[pi]]
            for um in _UNNAMED.finditer(seg):
                if re.search(r"[A-Z][\w'’.-]*,\s*$", seg[:um.start()]):
                    continue  # "Sarah Jones, a nurse at a London hospital": an appositive of a named person
                head = _norm_word(um.group("head").rstrip("s") if um.group("head").lower().endswith("sources")
                                  else um.group("head"))
                if is_role(head) or head in {"source", "person", "man", "woman", "witness", "resident"}:
                    unnamed.append((s + um.start(), pi, head))
        return unnamed

    def _sentences(self, pi: int) -> list[tuple[int, int]]:
        para = self.paras[pi]
        base = self.offsets[pi]
        cuts = [0] + [e for e in sentence_ends(para) if e < len(para)] + [len(para)]
        return [(base + a, base + b) for a, b in pairwise(cuts) if b > a]

    def _people_in(self, a: int, b: int) -> list[Person]:
        out = []
        for m in self.mentions:
            if a <= m.pos < b and m.person is not None and m.person not in out:
                out.append(m.person)
        return out

    def _gender_votes(self) -> None:
        for pi, s, e in self.segments:
            text = self.paras[pi][s - self.offsets[pi]: e - self.offsets[pi]]
            if self.para_cjk[pi]:
                pron = [(s + m.start(), CJK_PRONOUNS[m.group()]) for m in re.finditer("[他她]", text)]
            else:
                pron = [(s + m.start(), {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}[m.group().lower()])
                        for m in re.finditer(r"\b(?:[Hh]e|him|[Hh]is|[Ss]he|[Hh]er)\b", text)]
            if not pron:
                continue
            sents = self._sentences(pi)
            for pos, g in pron:
                k = next((i for i, (a, b) in enumerate(sents) if a <= pos < b), None)
                if k is None:
                    continue
                people = self._people_in(sents[k][0], pos)
                if not people and k > 0:
                    people = self._people_in(*sents[k - 1])
                if len(people) == 1:
                    people[0].votes[g] += 1

    # ----------------------------------------------------------- context around a quote
    def _lead_tail(self, q: RawQuote, quotes_in_para: list[RawQuote]) -> Around:
        para = self.paras[q.para]
        base = self.offsets[q.para]
        k = quotes_in_para.index(q)
        prev_end = quotes_in_para[k - 1].end + 1 if k > 0 else 0
        next_open = quotes_in_para[k + 1].open_pos if k + 1 < len(quotes_in_para) else len(para)
        ends = sentence_ends(para)
        lead_start = max([prev_end] + [e for e in ends if prev_end <= e <= q.open_pos])
        lead = para[lead_start: q.open_pos]
        tail_start = min(len(para), q.end + 1)
        stops = [e for e in ends if tail_start <= e <= next_open]
        tail_end = min(stops) if stops else next_open
        tail = para[tail_start: tail_end] if q.closed else ""
        after_end = min([e for e in ends if e > tail_end and e <= next_open] or [next_open])
        after = para[tail_end: after_end] if tail_end < next_open else ""
        return Around(lead, base + lead_start, tail, base + tail_start, after, base + tail_end)

    def _tail_attr(self, tail: str, pos: int, strict: bool = False, cjk: bool = False) -> Attr | None:
        if cjk:
            return self._cjk_attr(tail, pos, tail=True)
        s = tail.lstrip(" ,—–-")
        pos += len(tail) - len(s)
        if not s or s[0] in ".;:!?":
            return None
        toks = tokenize(s, pos)
        words = [t for t in toks if t.word]
        if not words:
            return None
        if words[0].low in SPEECH_VERBS and words[0].low not in {"told", "tells"}:
            rest = _clause(s[words[0].end - pos:])
            ph = parse_phrase(rest)
            if ph.kind != "none" and (not strict or len(words) <= 8):
                return Attr(ph, words[1].start if len(words) > 1 else pos, words[0].low)
            return None
        if len(words) > 2 and words[0].low == "according" and words[1].low == "to":
            rest = _clause(s[words[1].end - pos:], dashes=False)
            ph = _source_or_speaker(parse_phrase(rest))
            return Attr(ph, words[2].start, "according to") if ph.kind != "none" else None
        for i, t in enumerate(words[:22]):
            if t.low in SPEECH_VERBS:
                if i == 0:
                    return None
                subj = _WAS_QUOTED_TAIL.sub("", s[: t.start - pos])  # "Ri was quoted as saying": Ri
                if strict and (i > 5 or len(words) - i - 1 > 4):
                    return None
                head = re.split(r"\s*,\s*", subj.strip())[0]
                if len(tokenize(head)) > 8:
                    return None
                if not _plausible_head(head):
                    # "one of the sources said", "a spokesperson for the company said": attributed, but to no one named
                    if words[0].low not in _QUANTIFIERS or "," in subj:
                        return None
                    return Attr(Phrase("np", words=tuple(w.low for w in words[:i]), text=subj.strip()),
                                words[0].start, t.low)
                ph = parse_phrase(subj)
                return Attr(ph, words[0].start, t.low) if ph.kind != "none" else None
        return None

    def _lead_attr(self, lead: str, pos: int, cjk: bool = False) -> tuple[str, Attr | None]:
        """(kind, attribution): kind is none / intro / that / other."""
        s = lead.rstrip()
        if not s.strip():
            return "none", None
        if cjk:
            a = self._cjk_attr(s, pos, tail=False)
            if a:
                return "intro", a
            return ("intro" if s.endswith(("：", ":")) else "other"), None
        quoting = _quoting_attr(s, pos)
        if quoting is not None:
            return "intro", quoting
        end = s[-1]
        core = s.rstrip(" :：,，—–-")
        toks = [t for t in tokenize(core, pos) if t.word]
        if not toks:
            return ("intro" if end in ":：" else "none"), None
        lows = [t.low for t in toks]
        if lows[-1] in {"that", "as", "of", "the", "a", "an", "to", "called", "dubbed", "termed", "described"}:
            return ("that" if lows[-1] == "that" else "other"), self._reporting_subject(core, pos, toks)
        idx = None
        for i in range(len(toks) - 1, max(-1, len(toks) - 10), -1):
            if lows[i] in SPEECH_VERBS:
                idx = i
                break
        if lows[:2] == ["according", "to"] and end in ",，":
            ph = _source_or_speaker(parse_phrase(core[toks[2].start - pos:])) if len(toks) > 2 else Phrase("none")
            return "intro", (Attr(ph, toks[2].start, "according to") if ph.kind != "none" else None)
        after_verb = toks[idx + 1:] if idx is not None else []
        objects_only = all(t.low in VERB_OBJECTS or is_cap(t.text) or t.text.isdigit() for t in after_verb)
        if idx is not None and "that" not in lows[idx + 1:] and objects_only:
            return "intro", _verb_subject(core, pos, toks, idx)
        if end in ":：":
            ph = parse_phrase(core)
            # "Foreign Minister Wang Yi:" names the speaker; "In Paris, Macron was blunt:" is a sentence
            if ph.kind == "name" and len(toks) <= 6 and toks[0].low not in _LEADING:
                return "intro", Attr(ph, toks[0].start, ":")
            return "intro", _colon_subject(core, pos)
        return "other", self._reporting_subject(core, pos, toks) or _according_to_lead(s, pos)

    def _reporting_subject(self, core: str, pos: int, toks: list) -> Attr | None:
        """For partial quotes: the subject of the last reporting verb in the sentence ("He called it ...")."""
        for i in range(len(toks) - 1, -1, -1):
            if toks[i].low in REPORTING_VERBS and not toks[i].low.endswith("ing"):
                before = core[: toks[i].start - pos]
                subj = _subject_before(before)
                if subj:
                    ph = parse_phrase(subj)
                    if ph.kind != "none":
                        return Attr(ph, pos + before.rfind(subj), toks[i].low)
                return None
        return None

    def _cjk_attr(self, s: str, pos: int, *, tail: bool) -> Attr | None:
        verbs = "|".join(map(re.escape, CJK_SPEECH_VERBS))
        if tail:
            m = re.match(r"^[\s，,]*(?P<s>[^，。！？；,.!?;“”「」]{1,24}?)(?:在[^，。“”]*?|对[^，。“”]*?)?(?:" + verbs + r")", s)
        else:
            m = re.search(r"(?P<s>[^，。！？；,.!?;“”「」：:]{1,24}?)(?:在[^，。“”]*?|对[^，。“”]*?)?(?:" + verbs +
                          r")[：:，,]?\s*$", s)
        if not m:
            return None
        subj = m.group("s").strip()
        start = pos + m.start("s")
        if subj in CJK_PRONOUNS:
            return Attr(Phrase("pronoun", gender=CJK_PRONOUNS[subj], text=subj), start)
        roles = "|".join(sorted(map(re.escape, CJK_ROLES), key=len, reverse=True))
        rm = re.match(r"^(?P<t>.*(?:" + roles + r"))(?P<n>[\u4e00-\u9fff]{2,3})$", subj)
        if rm and cjk_name_ok(rm.group("n")):
            return Attr(Phrase("name", name=rm.group("n"), title=rm.group("t"), text=subj), start)
        if cjk_name_ok(subj) and not any(subj.endswith(r) for r in CJK_ROLES):
            return Attr(Phrase("name", name=subj, text=subj), start)
        if any(subj.endswith(r) for r in CJK_ROLES):
            return Attr(Phrase("np", words=(subj,), text=subj), start)
        return None

    # ----------------------------------------------------------- resolution
    def _recent_people(self, pos: int, pi: int, back: int = 2) -> list[Person]:
        out: list[Person] = []
        for m, mp in zip(reversed(self.mentions), reversed(self.mention_para), strict=True):
            if m.pos >= pos or mp < pi - back:
                continue
            for p in ([m.person] if m.person else list(m.candidates)):
                if p not in out:
                    out.append(p)
        return out

    def _last_speaker(self, pos: int, since_para: int = 0) -> Person | None:
        """Who spoke last before `pos` (from paragraph `since_para` on): a quote's speaker or the subject of a
        speech verb."""
        spoken = [(p, person) for p, pi, person in self.events if p < pos and pi >= since_para]
        spoken += [(m.pos, m.person) for m, pi in zip(self.mentions, self.mention_para, strict=True)
                   if m.subject and m.person is not None and m.pos < pos and pi >= since_para]
        return max(spoken, key=lambda x: x[0])[1] if spoken else None

    def _unknown_since(self, person: Person, pos: int, pi: int) -> str | None:
        """A name that is probably a person but was never introduced (so not in the registry), written after
        `person` was last mentioned and before `pos`: "he" may be them."""
        after = self._last_mention(person, pos)
        para = self.paras[pi] if pi < len(self.paras) else ""
        for m, mp in zip(self.mentions, self.mention_para, strict=True):
            if not (after < m.pos < pos and mp >= pi - 1) or m.person is not None or m.candidates or m.possessive:
                continue
            if len(m.name.split()) < 2:
                # one word is as often a place or a country ("said Kenya highly values ..."); only a bare surname
                # opening a sentence of this paragraph ("Li disagreed. '...,' he said.") is taken as a person
                k = m.pos - self.offsets[pi]
                if mp != pi or not (k == 0 or (k >= 2 and para[k - 2] in ".!?" and para[k - 1] == " ")):
                    continue
                if m.name.lower() in NATIONALITIES or m.name.lower() in KNOWN_ORGS or m.name.upper() == m.name:
                    continue
                nxt = para[m.end - self.offsets[pi]:].lstrip()[:1]
                if not nxt.islower():
                    continue
            if self._after_preposition(m.pos, mp) or any(w.lower() in KNOWN_ORGS for w in m.name.split()):
                continue
            return m.name
        return None

    def _after_preposition(self, pos: int, pi: int) -> bool:
        before = self.body[max(self.offsets[pi], pos - 40):pos]
        return bool(re.search(r"\b(?:in|from|at|to|near|of|for|on|by|with|into|across|outside|inside|told|tells|"
                              r"visited|visiting|toward|towards|against|between)\s+"
                              r"(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}$",
                              before, re.I))

    def _person_result(self, person: Person, conf: float, reason: str | None = None, review: bool | None = None,
                       named: bool = False) -> Resolved:
        """The person as a quote's speaker; their title is the best stated for them anywhere in the article,
        read when the quotes are made (`Extractor.run`)."""
        if person.weak and not named:
            # "she" -> a name written without any title or role: could be a place or a team; QA confirms
            conf = min(conf, _FLAGGED_MAX)
            review = True
            reason = reason or f"taken as {person.name}, who is named without a title or role"
        return Resolved(speaker=person.name, confidence=conf, review=conf < REVIEW_BELOW if review is None else review,
                        reason=reason, person=person)

    def _resolve(self, attr: Attr, pi: int) -> Resolved:
        res = self._resolve_phrase(attr, pi)
        if attr.quoted_by is not None:
            by = self._resolve_phrase(attr.quoted_by, pi)
            res.quoted_by = by.speaker if not by.review else None
        return res

    def _resolve_phrase(self, attr: Attr, pi: int) -> Resolved:
        ph = attr.phrase
        if ph.kind == "name" and ph.name:
            return self._resolve_name(ph, attr.pos, pi)
        if ph.kind == "pronoun":
            return self._resolve_pronoun(ph.gender, attr.pos, pi, ph.text)
        if ph.kind == "np":
            return self._resolve_np(ph, attr.pos, pi)
        if ph.kind == "org" and ph.name and ph.name[:1].islower():
            # "the statement issued by the ministry": the ministry named before, else as described
            named = self._recent_org([_norm_word(w) for w in ph.name.split()], attr.pos)
            return Resolved(speaker=named or ph.name, confidence=0.7, review=False, organisation=True,
                            reason=f"'{ph.text}' taken as {named}" if named else None)
        if ph.kind == "org" and ph.name:
            return Resolved(speaker=ph.name, confidence=0.8, review=False, reason=None, organisation=True)
        if ph.kind == "it":
            return self._resolve_it(attr.pos, pi)
        if ph.kind == "source":
            return Resolved(reason=f"'{ph.text}' reports these words: a source, not their speaker", confidence=0.2,
                            review=False)
        if ph.kind == "cut":
            return Resolved(reason=f"the text ends mid-sentence: the speaker's name may be cut off ('{ph.text}')",
                            confidence=0.2)
        if ph.kind == "group":
            return Resolved(reason=f"attributed to several people: '{ph.text}'", confidence=0.2, review=False)
        return Resolved(reason=f"attribution '{ph.text}' not understood", confidence=0.2)

    def _resolve_name(self, ph: Phrase, pos: int, pi: int) -> Resolved:
        """A name: the person of that name (or alias) of the same gender, with the attribution's title added to
        their titles (stated in paragraph `pi`)."""
        name = ph.name or ""
        hits = [p for p in self.registry.find(name) if not (ph.gender and p.sex and p.sex != ph.gender)]
        for p in hits:
            p.weak = False  # named as the one speaking: a person
        if len(hits) == 1:
            hits[0].add_title(ph.title, pi)
        if is_cjk(name[:1]) or len(name.split()) >= 2:
            person = hits[0] if len(hits) == 1 else self.registry.add(name, ph.title, pos, ph.gender, where=pi)
            return self._person_result(person, 0.95)
        if len(hits) > 1:
            # "Lee" with John Lee and Martin Lee in the story: the one introduced before this point, if only one was
            known = [p for p in hits if self._first_seen(p) < pos]
            if len(known) == 1:
                known[0].add_title(ph.title, pi)
                return self._person_result(known[0], 0.85)
            recent = [p for p in self._recent_people(pos, pi, back=99) if p in hits]
            choice = recent[0] if recent else hits[-1]
            others = ", ".join(p.name for p in hits if p is not choice)
            return self._person_result(choice, 0.5, reason=f"'{name}' could also be {others}", review=True)
        if len(hits) == 1 and hits[0].surname_only:  # "…," Slot said, "…": still only a surname
            return self._person_result(hits[0], 0.6, reason=f"speaker known only as '{name}'", review=True)
        if len(hits) == 1:
            return self._person_result(hits[0], 0.9)
        # not introduced with evidence: a fuller name written elsewhere?
        fuller = _fuller_names(name, self.mentions + self.caption_mentions)
        if len(fuller) == 1:
            person = self.registry.add(fuller.pop(), ph.title, pos, ph.gender, where=pi)
            return self._person_result(person, 0.75)
        person = self.registry.add(name, ph.title, pos, ph.gender, where=pi)
        person.surname_only = person.name == name and len(name.split()) == 1
        return self._person_result(person, 0.6, reason=f"speaker known only as '{name}'", review=True)

    def _resolve_it(self, pos: int, pi: int) -> Resolved:
        """'"…," it said.': the organisation quoted last, in this paragraph or the one before."""
        spoke = [(p, name) for p, opi, name in self.org_events if p < pos and opi >= pi - 1]
        if not spoke:
            return Resolved(reason="'it': no organisation was quoted just before", confidence=0.2)
        return Resolved(speaker=max(spoke)[1], confidence=0.8, review=False, reason=None, organisation=True)

    def _first_seen(self, person: Person) -> int:
        if any(person.name == m.name or m.name in person.tokens for m in self.caption_mentions):
            return -1
        return min([m.pos for m in self.mentions if m.person is person] + [person.first_pos])

    def _far_candidates(self, pos: int, pi: int, gender: str | None) -> tuple[list[Person], float]:
        """Who a pronoun with nobody fitting in its own or the previous paragraph may mean, and how sure that is:
        those of the nearest paragraph naming people when every paragraph since quotes one of them (the
        conversation goes on: "Hua and Wu commented. / '…,' she said. / '…,' he said."); else the last to speak
        when the pronoun is their stated gender and no one has been named since ("Ms Reyes said ..."); else
        everyone fitting named before, which settles it only when that is one person ("Mr Okafor said ...")."""
        def fits(p: Person) -> bool:
            return gender is None or p.sex in (None, gender)

        named: dict[int, list[Person]] = {}  # paragraph -> the people it names
        for m, mp in zip(self.mentions, self.mention_para, strict=True):
            if mp <= pi - 2 and m.person is not None and m.person not in named.setdefault(mp, []):
                named[mp].append(m.person)
        k = max((j for j, people in named.items() if people), default=-1)
        if k >= 0:
            spoke: dict[int, list[Person]] = {}  # paragraph -> who is quoted in it
            for _, epi, person in self.events:
                spoke.setdefault(epi, []).append(person)
            if all(any(p in named[k] for p in spoke.get(j, [])) for j in range(k + 1, pi)):
                return [p for p in named[k] if fits(p)], 0.85
        last = self._last_speaker(pos)
        if last is not None and gender is not None and last.gender == gender and not self._named_since(last, pos):
            return [last], _PRONOUN_LAST_SPEAKER  # "Ms Reyes said ..." / a paragraph / "'…,' she said."
        return [p for p in self._recent_people(pos, pi, back=pi) if fits(p)], _PRONOUN_ONLY_ONE

    def _named_since(self, person: Person, pos: int) -> bool:
        """Someone else named after `person`'s last mention and before `pos`, other than as an owner ("the
        coroner said the delays had contributed to Mr Holloway's death")."""
        after = self._last_mention(person, pos)
        return any(after < m.pos < pos and m.person is not None and m.person is not person and not m.possessive
                   for m in self.mentions)

    def _last_mention(self, person: Person, pos: int) -> int:
        return max((m.pos for m in self.mentions if m.person is person and m.pos < pos), default=-1)

    def _unnamed_since(self, pos: int, after: int, pi: int, head: str | None = None) -> str | None:
        for p, upi, h in reversed(self.unnamed):
            if after < p < pos and upi >= pi - 2 and (head is None or h == head):
                return h
        return None

    def _resolve_pronoun(self, gender: str | None, pos: int, pi: int, word: str) -> Resolved:
        res = self._resolve_pronoun_named(gender, pos, pi, word)
        if res.person is not None:
            head = self._unnamed_since(pos, self._last_mention(res.person, pos), pi)
            if head:
                return Resolved(reason=f"'{word}' could be {res.person.name} or the unnamed {head}", confidence=0.2)
        return res

    def _resolve_pronoun_named(self, gender: str | None, pos: int, pi: int, word: str) -> Resolved:
        """'he'/'she': the one fitting person named in this or the previous paragraph; when nobody is, the one
        fitting person named anywhere before ("Mr Okafor said ..." two paragraphs up, and no other man since the
        article began). More than one fitting person of the same or unknown gender is a question for review,
        unless the paragraph itself names only one of them, or the most recent one was also the last to speak."""
        def fits(p: Person) -> bool:
            return gender is None or p.sex in (None, gender)

        def pick(person: Person, conf: float, reason: str | None = None, review: bool | None = None) -> Resolved:
            other = self._unknown_since(person, pos, pi)
            if other:
                return Resolved(reason=f"'{word}' could be {person.name} or {other}", confidence=0.2)
            since = self.body[max(self._last_mention(person, pos), self.offsets[max(0, pi - 1)]):pos]
            group = _GROUP_SUBJECT.search(since)
            if group:  # "Both players paid tribute to the crowd. '...,' she said."
                return Resolved(reason=f"'{word}' after '{group.group()}': could be {person.name} or another",
                                confidence=0.2)
            return self._person_result(person, conf, reason=reason, review=review)

        compatible = [p for p in self._recent_people(pos, pi, back=1) if fits(p)]
        if not compatible:
            far, conf = self._far_candidates(pos, pi, gender)
            if len(far) == 1:
                return pick(far[0], conf)
            if not far:
                head = self._unnamed_since(pos, -1, pi)
                return Resolved(reason=f"'{word}' is the unnamed {head}" if head else f"no one named before '{word}'",
                                confidence=0.2, review=False)
            names = " or ".join(p.name for p in far[:3])
            return Resolved(reason=f"'{word}' could be {names}, none of them named in this or the previous paragraph",
                            confidence=0.2)
        if len(compatible) == 1:
            return pick(compatible[0], 0.9 if compatible[0].sex == gender else 0.85)
        base = self.offsets[pi] if pi < len(self.offsets) else 0
        here = [p for p in self._people_in(base, pos) if p in compatible]
        if len(here) == 1 and here[0] is compatible[0]:
            # the only fitting person named earlier in this paragraph: "Michel said ... 'We want ...,' he said."
            return pick(here[0], 0.8 if here[0].sex == gender else 0.7)
        top = compatible[0]
        last = self._last_speaker(pos, since_para=pi - 1)
        if last is not None and last in compatible and not self._named_since(last, pos):
            # "'...,' Wang said. / '...,' he added."; "X said ... Mr Holloway's death. He added:"
            return pick(last, 0.7)
        names = " or ".join(p.name for p in compatible[:3])
        explicit = [p for p in compatible if gender is not None and p.gender == gender]
        if len(explicit) == 1 and explicit[0] is top:
            return pick(top, 0.5, reason=f"'{word}' taken as {top.name}; could also be {names}", review=True)
        return Resolved(reason=f"'{word}' could be {names}", confidence=0.2)

    def _resolve_np(self, ph: Phrase, pos: int, pi: int) -> Resolved:
        if re.match(r"(?i)(?:a|an|one|another|some|two|three|several)\s", ph.text):
            # "a U.S. official said": someone new and unnamed, never a person introduced earlier
            return Resolved(reason=f"attributed to an unnamed '{ph.text}'", confidence=0.2, review=False)
        if ph.words and all(w in DEMONYMS or w in NATIONALITIES or re.fullmatch(r"\d+-year-old", w) for w in ph.words):
            return self._resolve_descriptor(ph, pos, pi)  # "the Argentine", "the 21-year-old"
        words = [_norm_word(w) for w in ph.words if w not in _DETS and not re.fullmatch(r"\d.*", w)]
        if not words:
            return Resolved(reason=f"attribution '{ph.text}' not understood", confidence=0.2)
        head = words[-1]
        if head in ORG_WORDS and not any(is_role(w) for w in words):
            # "the ministry said in a statement": the organisation speaks, never a person whose title has the word
            org = self._recent_org(words, pos)
            if org:
                return Resolved(speaker=org, confidence=0.7, review=False, reason=f"'{ph.text}' taken as {org}",
                                organisation=True)
            return Resolved(reason=f"'{ph.text}': no organisation of that name introduced", confidence=0.2)

        def title_words(p: Person) -> set[str]:
            return {_norm_word(w) for t in p.titles for w in re.findall(r"[\w'’\-]+", t)}

        people = self.registry.people
        hits = [p for p in people if all(w in title_words(p) for w in words)]
        if not hits and len(words) == 1:
            hits = [p for p in people if words[0] in title_words(p)]
        if ph.gender:
            hits = [p for p in hits if p.sex in (None, ph.gender)]
        if len(hits) == 1:
            unnamed = self._unnamed_since(pos, self._last_mention(hits[0], pos), pi, words[-1])
            if unnamed:
                return Resolved(reason=f"'{ph.text}' could be {hits[0].name} or the unnamed {unnamed}", confidence=0.2)
            return self._person_result(hits[0], 0.8)
        if len(hits) > 1:
            # "the minister" with two ministers introduced: not guessed
            names = " or ".join(p.name for p in hits[:3])
            return Resolved(reason=f"'{ph.text}' could be {names}", confidence=0.2)
        if is_role(head) and not self._unnamed_since(pos, -1, pi, head):
            return self._resolve_descriptor(ph, pos, pi)  # "the midfielder": nobody was introduced as one
        return Resolved(reason=f"'{ph.text}' does not match anyone introduced", confidence=0.2)

    def _resolve_descriptor(self, ph: Phrase, pos: int, pi: int) -> Resolved:
        """A person described ("the Argentine", "the midfielder") rather than named or titled: the one person
        named just before (earlier in this paragraph, else in the previous one), flagged for review."""
        base = self.offsets[pi]
        cands = self._people_in(base, pos) or (self._people_in(self.offsets[pi - 1], base) if pi > 0 else [])
        if len(cands) == 1 and (ph.gender is None or cands[0].sex in (None, ph.gender)):
            if not self._unknown_since(cands[0], pos, pi):
                return self._person_result(cands[0], 0.5, reason=f"'{ph.text}' taken as {cands[0].name}, the one "
                                                                  "person named just before", review=True)
        return Resolved(reason=f"'{ph.text}' does not match anyone introduced", confidence=0.2)

    def _recent_org(self, words: list[str], pos: int) -> str | None:
        """The organisation a phrase like "the ministry" refers to: the last one named before `pos` with that head
        word ("China's Foreign Ministry", "the Ministry of Commerce", "Russia's defence ministry"), else one
        named in a photo caption. Modifiers in the phrase ("the foreign ministry") must match."""
        head = words[-1]
        h = f"[{head[0].upper()}{head[0]}]{re.escape(head[1:])}"
        cap = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w&-]*(?:['’]s)?)"
        pat = re.compile(rf"((?:{cap}\s+){{1,4}}(?:[a-z][\w-]*\s+){{0,2}}{h}(?:\s+(?:of|for)(?:\s+the)?(?:\s+{cap}){{1,4}})?"
                         rf"|{h}\s+(?:of|for)(?:\s+the)?(?:\s+{cap}){{1,4}})\b")
        mods = [w for w in words[:-1] if w not in _DETS]
        for text in [self.body[:max(0, pos)], *self.captions]:
            best = None
            for m in pat.finditer(text):
                toks = m.group(1).split()
                while toks and toks[0].lower() in STOP_CAPS:
                    toks = toks[1:]
                lower = [t for t in toks if t[:1].islower() and t.lower() not in {"of", "for", "the"}]
                if not toks or toks[0][:1].islower() and toks[0].lower() != head:
                    continue
                if lower and lower != [toks[-1]]:  # "Russia's defence ministry": lower-case words after a possessive
                    k = toks.index(lower[0])
                    if k == 0 or not toks[k - 1].endswith(("'s", "’s")):
                        continue
                if not any(t[:1].isupper() for t in toks):
                    continue
                if mods and not all(any(_norm_word(t) == w for t in toks) for w in mods):
                    continue
                best = " ".join(toks)
            if best:
                return best
        return None

    # ----------------------------------------------------------- main
    def _markless(self, raws: list[RawQuote]) -> list[RawQuote]:
        """Quotes without quotation marks: the answers of a Q&A interview, the turns of a transcript labelled with
        names (transcript.py) and an HTML <blockquote> introduced by "X wrote:" / "X said:". Marks inside them are
        part of the quote, not quotes of their own."""
        extra: dict[int, RawQuote] = {}
        if not any(self.para_cjk):
            for t in find_turns(self.paras):
                extra[t.para] = RawQuote(t.para, 0, t.start, len(self.paras[t.para]), kind="turn", label=t.key)
                self.turn_labels[t.key] = (t.label, t.role)
        if not extra:
            extra.update(self._answers(raws))
        for i in sorted(self.blockquotes):
            if i in extra or i == 0 or not self.paras[i].strip():
                continue
            if self.paras[i - 1].rstrip().endswith((":", "：")) and not any(q.para == i for q in raws):
                extra[i] = RawQuote(i, 0, 0, len(self.paras[i]), kind="block")
        if not extra:
            return raws
        out = [q for q in raws if q.para not in extra] + list(extra.values())
        out.sort(key=lambda q: (q.para, q.open_pos))
        for q in out:  # a chain into or out of a replaced paragraph is broken
            if q.chain_next and q.para + 1 in extra:
                q.chain_next = False
            if q.chain_prev and q.para - 1 in extra:
                q.chain_prev = False
        return out

    def _answers(self, raws: list[RawQuote]) -> dict[int, RawQuote]:
        """The A: answers of a Q&A interview (two questions at least), each running on over the paragraphs after
        it until the next question, or a paragraph of narrative with quotes of its own ("…," he said)."""
        qs = [i for i, p in enumerate(self.paras) if _QUESTION.match(p)]
        out: dict[int, RawQuote] = {}
        if len(qs) < 2 or not any(_ANSWER.match(p) for p in self.paras) or self.para_cjk[qs[0]]:
            return out
        answering = False
        for i in range(qs[0], len(self.paras)):
            p = self.paras[i]
            m = _ANSWER.match(p)
            if _QUESTION.match(p) or (not m and any(q.para == i for q in raws)):
                answering = False
                continue
            if m or answering:
                start = m.end() if m else 0
                if p[start:].strip():
                    out[i] = RawQuote(i, 0, start, len(p), kind="answer")
                answering = True
        return out

    def _find_interviewee(self, first_question: int) -> Resolved:
        """The one person the introduction names, not counting the interviewer (an editor, a reporter, a host:
        "In an interview with Energy Storage News editor Andy Colthorpe, CEO Laura Chen ...")."""
        intro = [m for m, pi in zip(self.mentions, self.mention_para, strict=True)
                 if pi < first_question and not m.possessive]
        people: list[Person] = []
        for m in intro:
            if m.person is not None and m.person not in people and not _interviewer(m.person):
                people.append(m.person)
        if len(people) == 1:
            return self._person_result(people[0], 0.75, reason="interview answer")
        names = [p.name for p in people] or list(dict.fromkeys(m.name for m in intro if len(m.name.split()) >= 2))
        if len(names) == 1:
            person = self.registry.add(names[0], None, 0)
            return self._person_result(person, 0.6, reason="interview answer; interviewee named in the introduction",
                                       review=True)
        if names:
            return Resolved(reason="interview answer; the interviewee could be " + " or ".join(names[:3]),
                            confidence=0.2)
        return Resolved(reason="interview answer; the interviewee is not named before the questions",
                        confidence=0.2)

    def _markless_item(self, q: RawQuote) -> Item | None:
        para = self.paras[q.para]
        inner = para[q.start:q.end]
        s = len(inner) - len(inner.lstrip())
        body = inner.strip()
        if not body or not any(c.isalnum() for c in body):
            return None
        base = self.offsets[q.para]
        span = (base + q.start + s, base + q.start + s + len(body))
        item = Item(raw=q, text=body, span=span, partial=False)
        if q.kind == "answer":
            if self.interviewee is None:
                first_q = next(i for i, p in enumerate(self.paras) if _QUESTION.match(p))
                self.interviewee = self._find_interviewee(first_q)
            item.own = replace(self.interviewee)
        elif q.kind == "turn":
            if q.label not in self.turn_speakers:
                self.turn_speakers[q.label] = self._turn_speaker(q.label, q.para)
            item.own = replace(self.turn_speakers[q.label])
        else:
            attr = self._intro_before(q.para)
            if attr is not None:
                item.own = self._resolve(attr, q.para)
        item.res = item.own or Resolved(reason="quotation without marks and no speaker introduced")
        return item

    def _turn_speaker(self, key: str, pi: int) -> Resolved:
        """Who a transcript label names: the one person of the article with that name ("BISSEN" -> Maui County
        Mayor Richard Bissen), else the name the label spells out ("DAVID MILIBAND"), else flagged."""
        label, role = self.turn_labels[key]
        title = role.lower() if role else None
        people = [p for p in self.registry.people if key in (t.upper() for t in p.tokens)]
        if len(people) > 1:
            return Resolved(reason=f"transcript label '{label}' could be " + " or ".join(p.name for p in people[:3]),
                            confidence=0.2)
        fuller = {m.name for m in self.mentions + self.caption_mentions if key in m.name.upper().split()
                  and len(m.name.split()) >= 2}
        if people:
            person = people[0]
            person.add_title(title, pi)
        elif len(fuller) == 1:
            person = self.registry.add(fuller.pop(), title, self.offsets[pi], where=pi)
        else:
            person = self.registry.add(label.title(), title, self.offsets[pi], where=pi)
            if len(label.split()) < 2:
                return self._person_result(person, 0.5, reason=f"speaker known only by the transcript label "
                                           f"'{label}'", review=True, named=True)
        person.weak = False
        return self._person_result(person, 0.9, reason="transcript turn", named=True)

    def _intro_before(self, pi: int) -> Attr | None:
        """The attribution of a quote that opens paragraph `pi` after a paragraph ending in a colon ("He
        added:", "Judge Lina Hidalgo had a message for drivers:"): that paragraph's last sentence."""
        prev = self.paras[pi - 1].rstrip() if pi > 0 else ""
        if not prev.endswith((":", "：")):
            return None
        cut = max([0] + [e for e in sentence_ends(prev) if e < len(prev)])
        sentence, pos = prev[cut:], self.offsets[pi - 1] + cut
        _, attr = self._lead_attr(sentence, pos, self.para_cjk[pi - 1])
        if attr is None and not self.para_cjk[pi - 1]:
            ph = _sentence_subject(sentence)
            attr = Attr(ph, pos + len(sentence) - len(sentence.lstrip()), ":") if ph.kind == "name" else None
        return attr

    def run(self) -> list[Quote]:
        raws, warns = find_raw_quotes(self.paras)
        self.warnings.extend(warns)
        raws = self._markless(raws)
        self._scan(raws)
        by_para = _by_para(raws)
        items: list[Item] = []
        # pronoun subjects of indirect speech ("He added cyber security is ...") are speakers too
        pron_events = []
        for pi, s, e in self.segments:
            if not self.para_cjk[pi]:
                seg = self.paras[pi][s - self.offsets[pi]: e - self.offsets[pi]]
                for m in re.finditer(r"\b([Hh]e|[Ss]he)\s+(?:\w+ly\s+|also\s+|then\s+|later\s+|further\s+)?(\w+)",
                                     seg):
                    if m.group(2).lower() in SPEECH_VERBS:
                        pron_events.append((s + m.start(), pi, SUBJECT_PRONOUNS[m.group(1).lower()], m.group(1)))
        pron_events.sort()
        pe = 0
        for q in raws:
            para = self.paras[q.para]
            base = self.offsets[q.para]
            while pe < len(pron_events) and pron_events[pe][0] < base + q.open_pos:
                p, ppi, g, w = pron_events[pe]
                r = self._resolve_pronoun(g, p, ppi, w)
                if r.person is not None and not r.review:
                    self.events.append((p, ppi, r.person))
                pe += 1
            item = (self._make_item(q, para, base, by_para[q.para]) if q.kind == "marks" else
                    self._markless_item(q))
            if item is None:
                continue
            items.append(item)
            own = item.own
            if own is not None and own.person is not None and not item.partial:
                self.events.append((item.span[0], q.para, own.person))
            if own is not None and own.organisation and own.speaker and not item.partial:
                self.org_events.append((item.span[0], q.para, own.speaker))
        self._inherit(items)
        for it in items:
            self._no_organisation_for_a_person(it)
        return [self._quote(n, it) for n, it in enumerate(items, 1)]

    def _quote(self, n: int, it: Item) -> Quote:
        """The finished quote: needs_review exactly when its confidence is below REVIEW_BELOW (a doubt caps the
        confidence under it), always with a reason; the speaker's title is the best one stated for them anywhere
        in the article, with where it was stated."""
        r = it.res
        conf = max(0.0, min(1.0, round(r.confidence, 2)))
        review = r.review or conf < REVIEW_BELOW
        if review:
            conf = min(conf, _FLAGGED_MAX)
        title, where = (r.person.title, r.person.title_source) if r.person is not None else (None, None)
        source = None if title is None or where is None else "photo caption" if where < 0 else f"paragraph {where}"
        return Quote(id=f"q{n}", text=it.text, speaker=r.speaker, speaker_title=title, speaker_title_source=source,
                     quoted_by=r.quoted_by, partial=it.partial, span=it.span, confidence=conf, needs_review=review,
                     paragraph=it.raw.para,
                     reason=r.reason or (f"confidence below {REVIEW_BELOW}" if review else None))

    def _no_organisation_for_a_person(self, it: Item) -> None:
        """Never an organisation or agency as the speaker when the quote's sentence has a person speaking: their
        words, not the organisation's (the speaker is then left to review)."""
        r = it.res
        if not r.organisation:
            return
        sents = self._sentences(it.raw.para)
        start = max(a for a, _ in sents if a <= it.span[0])
        end = min(b for _, b in sents if b >= it.span[1])
        named = [m.person.name for m in self.mentions if start <= m.pos < end and m.person is not None
                 and m.subject and not m.possessive]
        if named:
            it.res = Resolved(reason=f"attributed to {r.speaker}, but the sentence has {named[0]} speaking",
                              confidence=0.2)

    def _make_item(self, q: RawQuote, para: str, base: int, in_para: list[RawQuote]) -> Item | None:
        inner = para[q.start:q.end]
        s = len(inner) - len(inner.lstrip())
        body = inner.strip()
        end_char = body[-1:] if body else ""
        body = body.rstrip(",;:，、；： ")
        if not body or not any(c.isalnum() for c in body):
            return None
        span = (base + q.start + s, base + q.start + s + len(body))
        around = self._lead_tail(q, in_para)
        cjk = self.para_cjk[q.para]
        lead_kind, lead_attr = self._lead_attr(around.lead, around.lead_pos, cjk)
        if q.chain_prev:
            lead_kind, lead_attr = "none", None
        elif lead_kind == "none" and q.open_pos == 0 and (intro := self._intro_before(q.para)) is not None:
            lead_kind, lead_attr = "intro", intro
        tail_attr = None
        if q.closed and not q.chain_next:
            if cjk and _JA_TAIL.match(around.tail):  # 「…」と述べた: the subject is before the quote
                nobody = Attr(Phrase("none", text=around.lead), around.lead_pos)
                tail_attr = _ja_subject(around.lead, around.lead_pos) or nobody
                lead_kind = "intro"
            else:
                tail_attr = self._attr_after(q, around, end_char, cjk)
            if tail_attr is not None and self._cut_off_after(q, around, tail_attr):
                tail_attr = Attr(Phrase("cut", text=around.tail.strip(" ,")), tail_attr.pos)
        partial = _is_partial(q, body, end_char, around.tail, lead_kind, tail_attr is not None, cjk)
        item = Item(raw=q, text=para[q.start + s: q.start + s + len(body)], span=span, partial=partial,
                    lead=around.lead, lead_kind=lead_kind)
        self._settle(item, tail_attr or lead_attr)
        return item

    def _attr_after(self, q: RawQuote, around: Around, end_char: str, cjk: bool) -> Attr | None:
        """The attribution after a closed quote: in its tail, else in the next sentence (after a quote that
        ends its sentence), else at the start of the next paragraph (after a paragraph that is only the
        quote)."""
        tail_attr = self._tail_attr(around.tail, around.tail_pos, cjk=cjk)
        ends_sentence = not around.tail.strip(" ,") and end_char in ".!?…。！？"
        if tail_attr is None and ends_sentence and around.after.strip():
            tail_attr = (self._tail_attr(around.after, around.after_pos, strict=True, cjk=cjk)
                         or _back_reference_attr(around.after, around.after_pos))
        para = self.paras[q.para]
        if (tail_attr is None and end_char in ",，" and q.open_pos == 0 and not para[q.end + 1:].strip()
                and q.para + 1 < len(self.paras) and not cjk and self.paras[q.para + 1][:1] not in OPENERS):
            # '"We have a duty,"' / 'Minister X said ...': the attribution opens the next paragraph
            nxt = self.paras[q.para + 1]
            first = nxt[: (sentence_ends(nxt)[:1] or [len(nxt)])[0]]
            tail_attr = self._tail_attr(first, self.offsets[q.para + 1])
        return tail_attr

    def _cut_off_after(self, q: RawQuote, around: Around, attr: Attr) -> bool:
        """The attribution is a name at the very end of a text that stops mid-sentence ("…," said Tom Ha):
        the name may be cut off."""
        last = len(self.paras) - 1
        end = self.offsets[last] + len(self.paras[last])
        return (self.cut_off and q.para == last and attr.phrase.kind not in ("pronoun", "it")
                and around.tail_pos + len(around.tail.rstrip()) >= end)

    def _settle(self, item: Item, attr: Attr | None) -> None:
        """The item's speaker from its own attribution. A partial quote's speaker is less sure (and flagged when
        its attribution is in doubt); one that no one is named for, or that a news source or an organisation
        reports ("according to the state news agency"), gets no speaker and is not flagged: it is not captioned.
        An unclosed quote is always flagged."""
        q = item.raw
        if attr is not None:
            item.own = self._resolve(attr, q.para)
            item.res = item.own
        if item.partial:
            own = item.own
            if own is not None and own.organisation and attr is not None and attr.verb == "according to":
                own = Resolved(reason=f"'{attr.phrase.text}' reports it: a source, not its speaker", review=False)
            if own is None or own.speaker is None:
                doubt = own is not None and own.review
                item.res = Resolved(confidence=min(own.confidence, _FLAGGED_MAX) if own and doubt
                                    else _PARTIAL_NO_SPEAKER, review=doubt,
                                    reason=own.reason if own else "partial quote with no speaker in its sentence")
            else:
                item.res = replace(own, confidence=min(own.confidence, _PARTIAL_MAX) * 0.9)
        if not q.closed and not q.chain_next:
            item.res.confidence = min(item.res.confidence, 0.5)
            item.res.review = True
            item.res.reason = "closing quotation mark missing" + (f"; {item.res.reason}" if item.res.reason else "")

    def _inherit(self, items: list[Item]) -> None:
        """Unattributed direct quotes: other part of a multi-paragraph or split quote, else the previous paragraph."""
        direct = [it for it in items if not it.partial]
        # multi-paragraph chains
        chains: list[list[Item]] = []
        for it in direct:
            if it.raw.chain_prev and chains and chains[-1][-1].raw.chain_next:
                chains[-1].append(it)
            else:
                chains.append([it])
        for chain in chains:
            if len(chain) < 2:
                continue
            owners = [it for it in chain if it.own is not None and it.own.speaker]
            if owners:
                best = max(owners, key=lambda it: it.own.confidence if it.own else 0)
                for it in chain:
                    if it.own is None or not it.own.speaker:
                        r = best.res
                        it.res = replace(r, confidence=r.confidence * 0.95, review=r.confidence * 0.95 < REVIEW_BELOW,
                                         reason="multi-paragraph quote; attribution in another paragraph")
        for a, b in pairwise(items):
            if (b.partial and a.partial and b.res.speaker is None and a.res.speaker and a.raw.para == b.raw.para
                    and not sentence_ends(self._between(a, b) + " X")):
                b.res = replace(a.res)
        prev_item: Item | None = None
        for it in direct:
            if it.own is None and it.res.speaker is None:
                same_para = prev_item is not None and prev_item.raw.para == it.raw.para
                if same_para and prev_item is not None and prev_item.res.speaker and self._no_one_between(prev_item, it):
                    r = prev_item.res
                    it.res = replace(r, confidence=r.confidence * 0.95, review=r.confidence * 0.95 < REVIEW_BELOW,
                                     reason="second part of a split quote")
                elif it.raw.open_pos == 0 and not same_para:
                    self._continue_from_previous(it, items)
                else:
                    self._same_paragraph_subject(it)
            if it.res.person is not None and it.own is None:
                self.events.append((it.span[0], it.raw.para, it.res.person))
            prev_item = it

    def _between(self, a: Item, b: Item) -> str:
        text = self.paras[a.raw.para]
        return text[a.raw.end + 1: b.raw.open_pos]

    def _no_one_between(self, a: Item, b: Item) -> bool:
        """No one else named between the two parts of a split quote. A bare name inside the attribution sentence
        itself ("said Chen Li, chief executive of Hexin Semiconductor, who ...") does not count."""
        speaker = a.res.person
        between = self._between(a, b)
        ends = sentence_ends(between)
        first_end = a.raw.end + 1 + self.offsets[a.raw.para] + (ends[0] if ends and ends[0] < len(between.rstrip())
                                                                 else len(between))
        for m in self.mentions:
            if a.span[1] < m.pos < b.span[0] and m.person is not None and m.person is not speaker:
                if m.person.weak and m.pos < first_end:
                    continue
                return False
        return True

    def _continue_from_previous(self, it: Item, items: list[Item]) -> None:
        """A paragraph that is only an unattributed quote. It takes the speaker of the previous paragraph when
        that paragraph was attributed to one person, and nothing contradicts it: not a subhead or liveblog
        timestamp in between, not a next paragraph that attributes it ("That was the message from X")."""
        pi = it.raw.para
        back = self._back_reference(pi + 1)
        if back is not None:
            it.res = self._person_result(back, 0.7, reason="attributed in the next paragraph")
            return
        if pi == 0:
            return
        if pi in self.breaks:
            it.res = Resolved(reason="no attribution, and a new section starts here (subhead or timestamp)",
                              confidence=0.2)
            return
        events = sorted([e for e in self.events if e[1] == pi - 1 and e[0] < it.span[0]], key=lambda e: e[0])
        subjects = [(m.pos, m.person) for m, mp in zip(self.mentions, self.mention_para, strict=True)
                    if mp == pi - 1 and m.subject and m.person is not None]
        cands = sorted([(p, person) for p, _pi, person in events] + subjects, key=lambda x: x[0])
        if not cands:
            return
        person = cands[-1][1]
        distinct = {id(p) for _, p in cands}
        conf = 0.6 if len(distinct) == 1 else 0.5
        following = [x for x in items if x.raw.para == pi + 1 and x.own is not None and x.own.person is not None
                     and not x.partial]
        nxt = following[0] if following and following[0].raw.open_pos == 0 else None
        if nxt is not None and nxt.own is not None and nxt.own.person is not None and nxt.own.person is not person:
            # between a quote of X and a paragraph opening with a quote of Y: either could have said it
            it.res = self._person_result(person, 0.5, reason="no attribution in this paragraph; speaker of the previous"
                                         f" paragraph, but the next one quotes {nxt.own.person.name}", review=True)
            return
        if conf == 0.6 and following and following[0].own is not None and following[0].own.person is person:
            conf = 0.65  # the paragraphs on both sides are this person's
        it.res = self._person_result(person, conf, reason="no attribution in this paragraph; speaker of the "
                                                          "previous paragraph")

    def _back_reference(self, pi: int) -> Person | None:
        """The person a paragraph credits with the quote before it: "That was the message from NATO
        Secretary-General Jens Stoltenberg", "Those were the words of ...", "So said ..."."""
        if pi >= len(self.paras):
            return None
        m = _BACK_REFERENCE.match(self.paras[pi])
        if not m:
            return None
        base = self.offsets[pi]
        end = base + (sentence_ends(self.paras[pi])[:1] or [len(self.paras[pi])])[0]
        people = self._people_in(base + m.start("rest"), end)
        return people[0] if people else None

    def _same_paragraph_subject(self, it: Item) -> None:
        """An unattributed quote inside a paragraph: the last speaker named earlier in it, else the person the
        sentence just before is about ("Triet shrugs. “I said what I think.”"); flagged either way."""
        pi = it.raw.para
        base = self.offsets[pi]
        subjects = [m.person for m in self.mentions
                    if base <= m.pos < it.span[0] and m.subject and m.person is not None]
        if subjects:
            it.res = self._person_result(subjects[-1], 0.5, reason="no attribution; speaker named earlier in the "
                                                                   "paragraph", review=True)
            return
        before = self.paras[pi][:it.raw.open_pos].rstrip()
        cut = max([0] + [e for e in sentence_ends(before) if e < len(before)])
        ph = _sentence_subject(before[cut:])
        if ph.kind == "name" and self.registry.find(ph.name or ""):
            res = self._resolve_name(ph, base + cut, pi)
            if res.person is not None and not res.review:
                it.res = self._person_result(res.person, 0.5, reason="no attribution; taken as the person the "
                                             "sentence before is about", review=True)


def extract_quotes(paragraphs: list[str], offsets: list[int], captions: list[str], *, breaks: set[int] | None = None,
                   blockquotes: set[int] | None = None) -> tuple[list[Quote], list[str]]:
    """Quotes of the body paragraphs. `breaks`: paragraphs after a subhead or liveblog timestamp (the speaker of
    the paragraph before is not carried over them); `blockquotes`: paragraphs that were an HTML <blockquote>."""
    ex = Extractor(paragraphs, offsets, captions, breaks, blockquotes)
    quotes = ex.run()
    return quotes, ex.warnings
