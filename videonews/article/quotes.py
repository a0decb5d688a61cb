"""Direct and partial quotes with their speakers.

For each quoted stretch (see marks.py) we read the *lead* (the same sentence before the opening mark) and
the *tail* (the same sentence after the closing mark):

- direct: the quote starts a sentence or follows an attribution ("Wang said:"), and either ends the sentence
  or is followed by an attribution ("," said Liu Yunshan.", "," he added.", "," Jack Ma, founder of ..., told
  reporters."); otherwise it is *partial* (a fragment inside indirect speech, a title, a scare quote); quotes
  of four words or fewer with no attribution are partial too;
- the attribution phrase becomes a speaker: full names as first introduced (surname-only references are
  looked up: "Gitau" -> "John Gitau"), pronouns by gender (from honorifics, gendered roles and earlier
  unambiguous pronouns) and recency, noun phrases ("the foreign minister") by matching introduced titles;
- unattributed quotes take the speaker of the other part of a split or multi-paragraph quote, or of the
  previous paragraph (lower confidence); anything unsure is flagged needs_review with a reason, and when two
  people fit equally the speaker is left empty rather than guessed.

Quote text is the span inside the marks (nested marks kept), without the comma/colon that belongs to the
attribution; span indexes Article.text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from videonews.models import Quote

from .lexicon import (
    CJK_PRONOUNS,
    CJK_ROLES,
    CJK_SPEECH_VERBS,
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
from .marks import RawQuote, find_raw_quotes
from .people import (
    ADVERBS,
    PARTICLES,
    Mention,
    Person,
    Phrase,
    Registry,
    is_cap,
    parse_phrase,
    scan_people,
    scan_people_cjk,
    tokenize,
)
from .text import cjk_share, is_cjk, sentence_ends, word_count

_DETS = {"the", "a", "an", "this", "that", "his", "her", "its", "their", "our"}
_QUANTIFIERS = {"one", "two", "three", "four", "several", "some", "many", "another", "a", "an", "the", "both", "most",
                "few", "all", "other", "others"}
_LINKS = {"of", "for", "and", "&", "de", "von", "van", "al", "bin"}


@dataclass
class Attr:
    phrase: Phrase
    pos: int  # absolute offset of the attribution phrase
    verb: str = ""


@dataclass
class Resolved:
    speaker: str | None = None
    title: str | None = None
    confidence: float = 0.3
    review: bool = True
    reason: str | None = "no attribution found"
    person: Person | None = None


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
    for k, t in enumerate(toks):
        w = t.low
        if is_cap(t.text) or w in _DETS or w in SUBJECT_PRONOUNS or w in ADVERBS or is_role(t.text):
            continue
        if w in TITLE_MODIFIERS or t.possessive or w in PARTICLES or re.fullmatch(r"\d+(?:-year-old)?", w):
            continue
        if w in _LINKS and 0 < k < len(toks) - 1:
            continue
        return False
    return True


def _subject_before(text: str) -> str | None:
    """The subject at the end of `text` (the words before a verb), with an appositive if there is one."""
    chunks = [c.strip() for c in re.split(r"\s*,\s*", text)]
    while chunks and not chunks[-1]:
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


def _title_case(text: str) -> bool:
    """A name of a work or event ("A Long History of the Grand Canal") rather than speech."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not words or text.rstrip()[-1:] in ".!?…":
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


class Extractor:
    def __init__(self, paragraphs: list[str], offsets: list[int], captions: list[str]) -> None:
        self.paras = paragraphs
        self.offsets = offsets
        self.captions = captions
        self.registry = Registry()
        self.mentions: list[Mention] = []  # body mentions, in order, with people resolved
        self.mention_para: list[int] = []
        self.events: list[tuple[int, int, Person]] = []  # (pos, paragraph, person): who spoke, in order
        self.warnings: list[str] = []
        self.para_cjk = [cjk_share(p) > 0.3 for p in paragraphs]

    # ----------------------------------------------------------- people
    def _scan(self, raws: list[RawQuote]) -> None:
        by_para: dict[int, list[RawQuote]] = {}
        for q in raws:
            by_para.setdefault(q.para, []).append(q)
        caption_mentions: list[Mention] = []
        for cap in self.captions:
            for m in (scan_people_cjk(cap, 0) if cjk_share(cap) > 0.3 else scan_people(cap, 0, caption=True)):
                m.pos = m.end = -1
                caption_mentions.append(m)
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
        for m in caption_mentions + [m for m, _ in body]:
            if m.evidence:
                self.registry.add(m.name, m.title, m.pos, m.gender)
        for m, pi in body:
            hits = self.registry.find(m.name)
            if len(hits) == 1:
                m.person = hits[0]
            elif hits:
                m.candidates = tuple(hits)
            self.mentions.append(m)
            self.mention_para.append(pi)
        self.caption_mentions = caption_mentions
        # unnamed people ("a U.S. official", "one of the sources"): later "the official" / "he" may mean them
        self.unnamed: list[tuple[int, int, str]] = []
        for pi, s, e in self.segments:
            if self.para_cjk[pi]:
                continue
            seg = self.paras[pi][s - self.offsets[pi]: e - self.offsets[pi]]
            for m in _UNNAMED.finditer(seg):
                head = _norm_word(m.group("head").rstrip("s") if m.group("head").lower().endswith("sources")
                                  else m.group("head"))
                if is_role(head) or head in {"source", "person", "man", "woman", "witness", "resident"}:
                    self.unnamed.append((s + m.start(), pi, head))
        self._gender_votes()

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
    def _lead_tail(self, q: RawQuote, quotes_in_para: list[RawQuote]) -> tuple[str, int, str, int, str, int]:
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
        return lead, base + lead_start, tail, base + tail_start, after, base + tail_end

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
            rest = s[words[0].end - pos:]
            rest = re.split(r"[.;:!?()]\s|[.;:!?()]$|\s[—–]\s", rest)[0]
            ph = parse_phrase(rest)
            if ph.kind != "none" and (not strict or len(words) <= 8):
                return Attr(ph, words[1].start if len(words) > 1 else pos, words[0].low)
            return None
        if len(words) > 2 and words[0].low == "according" and words[1].low == "to":
            rest = re.split(r"[.;:!?()]\s|[.;:!?()]$", s[words[1].end - pos:])[0]
            ph = parse_phrase(rest)
            return Attr(ph, words[2].start, "according to") if ph.kind != "none" else None
        for i, t in enumerate(words[:22]):
            if t.low in SPEECH_VERBS:
                if i == 0:
                    return None
                subj = s[: t.start - pos]
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
            ph = parse_phrase(core[toks[2].start - pos:]) if len(toks) > 2 else Phrase("none")
            return "intro", (Attr(ph, toks[2].start, "according to") if ph.kind != "none" else None)
        after_verb = toks[idx + 1:] if idx is not None else []
        objects_only = all(t.low in VERB_OBJECTS or is_cap(t.text) or t.text.isdigit() for t in after_verb)
        if idx is not None and "that" not in lows[idx + 1:] and objects_only:
            verb = toks[idx]
            before = core[: verb.start - pos]
            subj = _subject_before(before)
            if subj is None and idx + 1 < len(toks):
                subj_text = core[toks[idx + 1].start - pos:]
                ph = parse_phrase(subj_text)
                if ph.kind in ("name", "org"):
                    return "intro", Attr(ph, toks[idx + 1].start, verb.low)
                return "intro", None
            if subj is None:
                return "intro", None
            ph = parse_phrase(subj)
            return "intro", (Attr(ph, pos + before.rfind(subj) if subj in before else pos, verb.low)
                             if ph.kind != "none" else None)
        if end in ":：":
            ph = parse_phrase(core)
            if ph.kind == "name" and len(toks) <= 6:
                return "intro", Attr(ph, toks[0].start, ":")
            return "intro", None
        return "other", self._reporting_subject(core, pos, toks)

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

    def _last_speaker(self, pos: int) -> Person | None:
        """Who spoke last before `pos`: a quote's speaker or the subject of a speech verb."""
        spoken = [(p, person) for p, _pi, person in self.events if p < pos]
        spoken += [(m.pos, m.person) for m in self.mentions if m.subject and m.person is not None and m.pos < pos]
        return max(spoken, key=lambda x: x[0])[1] if spoken else None

    def _person_result(self, person: Person, conf: float, title: str | None = None, reason: str | None = None,
                       review: bool | None = None) -> Resolved:
        return Resolved(speaker=person.name, title=person.title or title, confidence=conf,
                        review=conf < 0.6 if review is None else review, reason=reason, person=person)

    def _resolve(self, attr: Attr, pi: int) -> Resolved:
        ph = attr.phrase
        if ph.kind == "name" and ph.name:
            return self._resolve_name(ph, attr.pos, pi)
        if ph.kind == "pronoun":
            return self._resolve_pronoun(ph.gender, attr.pos, pi, ph.text)
        if ph.kind == "np":
            return self._resolve_np(ph, attr.pos, pi)
        if ph.kind == "org" and ph.name:
            return Resolved(speaker=ph.name, confidence=0.8, review=False, reason=None)
        if ph.kind == "group":
            return Resolved(reason=f"attributed to several people: '{ph.text}'", confidence=0.2)
        return Resolved(reason=f"attribution '{ph.text}' not understood", confidence=0.2)

    def _resolve_name(self, ph: Phrase, pos: int, pi: int) -> Resolved:
        name = ph.name or ""
        hits = self.registry.find(name)
        if is_cjk(name[:1]) or len(name.split()) >= 2:
            person = hits[0] if len(hits) == 1 else self.registry.add(name, ph.title, pos, ph.gender)
            return self._person_result(person, 0.95, ph.title)
        if len(hits) == 1:
            return self._person_result(hits[0], 0.9, ph.title)
        if len(hits) > 1:
            recent = [p for p in self._recent_people(pos, pi, back=99) if p in hits]
            choice = recent[0] if recent else hits[-1]
            others = ", ".join(p.name for p in hits if p is not choice)
            return self._person_result(choice, 0.5, ph.title, reason=f"'{name}' could also be {others}", review=True)
        # not introduced with evidence: a fuller name written elsewhere?
        fuller = {m.name for m in self.mentions + self.caption_mentions
                  if name in m.name.split() and len(m.name.split()) >= 2}
        if len(fuller) == 1:
            person = self.registry.add(fuller.pop(), ph.title, pos, ph.gender)
            return self._person_result(person, 0.75, ph.title)
        person = self.registry.add(name, ph.title, pos, ph.gender)
        return self._person_result(person, 0.6, ph.title, reason=f"speaker known only as '{name}'", review=True)

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
        recent = self._recent_people(pos, pi)
        compatible = [p for p in recent if gender is None or p.sex in (None, gender)]
        if not compatible:
            return Resolved(reason=f"no one named before '{word}'", confidence=0.2)
        if len(compatible) == 1:
            return self._person_result(compatible[0], 0.9 if compatible[0].sex == gender else 0.85)
        base = self.offsets[pi] if pi < len(self.offsets) else 0
        here = [p for p in self._people_in(base, pos) if p in compatible]
        if len(here) == 1 and here[0] is compatible[0]:
            # the only fitting person named earlier in this paragraph: "Michel said ... 'We want ...,' he said."
            return self._person_result(here[0], 0.8 if here[0].sex == gender else 0.7)
        top, last = compatible[0], self._last_speaker(pos)
        matching = [p for p in compatible if gender is not None and p.sex == gender]
        if top.sex is not None and top.sex == gender and (top is last or matching == [top]):
            return self._person_result(top, 0.8)
        if top is last:
            return self._person_result(top, 0.65)
        names = " or ".join(p.name for p in compatible[:3])
        return Resolved(reason=f"'{word}' could be {names}", confidence=0.2)

    def _resolve_np(self, ph: Phrase, pos: int, pi: int) -> Resolved:
        words = [_norm_word(w) for w in ph.words if w not in _DETS and not re.fullmatch(r"\d.*", w)]
        if not words:
            return Resolved(reason=f"attribution '{ph.text}' not understood", confidence=0.2)

        def title_words(p: Person) -> set[str]:
            return {_norm_word(w) for t in p.titles for w in re.findall(r"[\w'’\-]+", t)}

        if re.match(r"(?i)(?:a|an|one|another|some|two|three|several)\s", ph.text):
            # "a U.S. official said": someone new and unnamed, never a person introduced earlier
            return Resolved(reason=f"attributed to an unnamed '{ph.text}'", confidence=0.2)
        people = self.registry.people
        hits = [p for p in people if all(w in title_words(p) for w in words)]
        if not hits and len(words) == 1:
            hits = [p for p in people if words[0] in title_words(p)]
        if ph.gender:
            hits = [p for p in hits if p.sex in (None, ph.gender)]
        if len(hits) == 1:
            head = self._unnamed_since(pos, self._last_mention(hits[0], pos), pi, words[-1])
            if head:
                return Resolved(reason=f"'{ph.text}' could be {hits[0].name} or the unnamed {head}", confidence=0.2)
            return self._person_result(hits[0], 0.8)
        if len(hits) > 1:
            recent = [p for p in self._recent_people(pos, pi, back=99) if p in hits]
            if recent:
                others = ", ".join(p.name for p in hits if p is not recent[0])
                return self._person_result(recent[0], 0.5, reason=f"'{ph.text}' could also be {others}", review=True)
        head = words[-1]
        if head in ORG_WORDS:
            org = self._recent_org(head, pos)
            if org:
                return Resolved(speaker=org, confidence=0.6, review=False, reason=f"'{ph.text}' taken as {org}")
        return Resolved(reason=f"'{ph.text}' does not match anyone introduced", confidence=0.2)

    def _recent_org(self, head: str, pos: int) -> str | None:
        text = "\n\n".join(self.paras)[:max(0, pos)]
        best = None
        for m in re.finditer(r"(?:[A-Z][\w'’&.-]*\s+){0,4}" + re.escape(head.capitalize()) +
                             r"(?:\s+(?:of|for)(?:\s+the)?(?:\s+[A-Z][\w'’&.-]*){1,4})?", text):
            words = m.group().split()
            while words and words[0].lower() in STOP_CAPS:
                words = words[1:]
            if words:
                best = " ".join(words)
        return best

    # ----------------------------------------------------------- main
    def run(self) -> list[Quote]:
        raws, warns = find_raw_quotes(self.paras)
        self.warnings.extend(warns)
        self._scan(raws)
        by_para: dict[int, list[RawQuote]] = {}
        for q in raws:
            by_para.setdefault(q.para, []).append(q)
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
            item = self._make_item(q, para, base, by_para[q.para])
            if item is None:
                continue
            items.append(item)
            if item.own is not None and item.own.person is not None and not item.partial:
                self.events.append((item.span[0], q.para, item.own.person))
        self._inherit(items)
        quotes = []
        for n, it in enumerate(items, 1):
            r = it.res
            conf = max(0.0, min(1.0, round(r.confidence, 2)))
            quotes.append(Quote(id=f"q{n}", text=it.text, speaker=r.speaker, speaker_title=r.title,
                                partial=it.partial, span=it.span, confidence=conf,
                                needs_review=bool(r.review and not it.partial), paragraph=it.raw.para,
                                reason=r.reason))
        return quotes

    def _make_item(self, q: RawQuote, para: str, base: int, in_para: list[RawQuote]) -> Item | None:
        inner = para[q.start:q.end]
        s = len(inner) - len(inner.lstrip())
        body = inner.strip()
        end_char = body[-1:] if body else ""
        body = body.rstrip(",;:，、；： ")
        if not body or not any(c.isalnum() for c in body):
            return None
        span = (base + q.start + s, base + q.start + s + len(body))
        lead, lead_pos, tail, tail_pos, after, after_pos = self._lead_tail(q, in_para)
        cjk = self.para_cjk[q.para]
        lead_kind, lead_attr = self._lead_attr(lead, lead_pos, cjk)
        if q.chain_prev:
            lead_kind, lead_attr = "none", None
        tail_attr = None
        if q.closed and not q.chain_next:
            if cjk and _JA_TAIL.match(tail):
                tail_attr = _ja_subject(lead, lead_pos) or Attr(Phrase("none", text=lead), lead_pos)
                lead_kind = "intro"
            else:
                tail_attr = self._tail_attr(tail, tail_pos, cjk=cjk)
            if tail_attr is None and not tail.strip(" ,") and end_char in ".!?…。！？" and after.strip():
                tail_attr = self._tail_attr(after, after_pos, strict=True, cjk=cjk)
        words = word_count(body)
        t = tail.lstrip(" ")
        continues = bool(t) and not tail_attr and (t[0].isalnum() or t[0] in "([") and not is_cjk(t[0])
        if cjk and t and not tail_attr and t[0] not in "，,。！？；：:!?.":
            continues = True
        if q.chain_prev or q.chain_next:
            partial = False
        elif lead_kind in ("that", "other"):
            partial = not (tail_attr is not None and words >= 4 and end_char in ",.!?…，。！？")
        elif continues:
            partial = not (lead_kind == "intro" and words >= 5 and not _title_case(body))
        else:
            sentence = body[:1].isupper() and end_char in ".!?…。！？"
            partial = words <= 4 and tail_attr is None and lead_kind != "intro" and not sentence
        attr = tail_attr or lead_attr
        item = Item(raw=q, text=para[q.start + s: q.start + s + len(body)], span=span, partial=partial,
                    lead=lead, lead_kind=lead_kind)
        if attr is not None:
            item.own = self._resolve(attr, q.para)
            item.res = item.own
        if partial:
            if item.own is None or item.own.speaker is None:
                reason = item.own.reason if item.own else "partial quote with no speaker in its sentence"
                item.res = Resolved(confidence=0.5, review=False, reason=reason)
            else:
                r = item.own
                item.res = Resolved(r.speaker, r.title, min(r.confidence, 0.8) * 0.9, False, r.reason, r.person)
        if not q.closed and not q.chain_next:
            item.res.confidence = min(item.res.confidence, 0.5)
            item.res.review = True
            item.res.reason = "closing quotation mark missing" + (f"; {item.res.reason}" if item.res.reason else "")
        return item

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
                        it.res = Resolved(r.speaker, r.title, r.confidence * 0.95, r.confidence * 0.95 < 0.6,
                                          "multi-paragraph quote; attribution in another paragraph", r.person)
        for a, b in pairwise(items):
            if (b.partial and a.partial and b.res.speaker is None and a.res.speaker and a.raw.para == b.raw.para
                    and not sentence_ends(self._between(a, b) + " X")):
                b.res = Resolved(a.res.speaker, a.res.title, a.res.confidence, False, a.res.reason, a.res.person)
        prev_item: Item | None = None
        for it in direct:
            if it.own is None and it.res.speaker is None:
                same_para = prev_item is not None and prev_item.raw.para == it.raw.para
                if same_para and prev_item is not None and prev_item.res.speaker and self._no_one_between(prev_item, it):
                    r = prev_item.res
                    it.res = Resolved(r.speaker, r.title, r.confidence * 0.95, r.confidence * 0.95 < 0.6,
                                      "second part of a split quote", r.person)
                elif it.raw.open_pos == 0 and not same_para:
                    self._continue_from_previous(it)
                else:
                    self._same_paragraph_subject(it)
            if it.res.person is not None and it.own is None:
                self.events.append((it.span[0], it.raw.para, it.res.person))
            prev_item = it

    def _between(self, a: Item, b: Item) -> str:
        text = self.paras[a.raw.para]
        return text[a.raw.end + 1: b.raw.open_pos]

    def _no_one_between(self, a: Item, b: Item) -> bool:
        speaker = a.res.person
        for m in self.mentions:
            if a.span[1] < m.pos < b.span[0] and m.person is not None and m.person is not speaker:
                return False
        return True

    def _continue_from_previous(self, it: Item) -> None:
        pi = it.raw.para
        if pi == 0:
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
        it.res = self._person_result(person, conf, reason="no attribution in this paragraph; speaker of the "
                                                          "previous paragraph")

    def _same_paragraph_subject(self, it: Item) -> None:
        pi = it.raw.para
        base = self.offsets[pi]
        subjects = [m.person for m in self.mentions
                    if base <= m.pos < it.span[0] and m.subject and m.person is not None]
        if subjects:
            it.res = self._person_result(subjects[-1], 0.5, reason="no attribution; speaker named earlier in the "
                                                                   "paragraph", review=True)


def extract_quotes(paragraphs: list[str], offsets: list[int], captions: list[str]) -> tuple[list[Quote], list[str]]:
    ex = Extractor(paragraphs, offsets, captions)
    quotes = ex.run()
    return quotes, ex.warnings
