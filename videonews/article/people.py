"""People named in an article: tokens, name/title splitting, a registry of who is who, gender hints.

Heuristics (English news style):
- a name is a run of capitalised words that are not title words, nationalities, organisation words or
  sentence-initial function words; the title is what precedes it ("Senior CPC official Liu Yunshan",
  "Chinese President Xi Jinping") or an appositive after it ("Jack Ma, founder and chairman of ...,");
- a run counts as a person only with evidence: a title, an appositive with a role noun, an honorific,
  a speech verb next to it, an age ("Wang, 45,"), or (in a photo caption) sitting at the caption's start;
- surnames and given names both become aliases, so "Liu" finds Liu Yunshan and "Ma" finds Jack Ma; a mention of
  the other gender never joins a person ("Mr Holloway" is not "his daughter, Karen Holloway");
- each person keeps every title stated for them and where; the best (one with a role in it, the most
  specific) is shown, honorifics dropped ("Labour leader Sir" -> "Labour leader", "Mr" -> none);
- names keep dotted initials and particles ("B.V. Krishna Rao", "Abdulmenam al-Ghaithi") and drop
  post-nominals ("Richard Mansell KC"); "told Reuters" names a listener, not a speaker; "Shanghai-based" is
  an adjective; a name after a preposition ("in southern Gaza, said") is a place, not a subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (
    CJK_ROLES,
    DEMONYMS,
    GENDERED_ROLES,
    GROUP_NOUNS,
    HONORIFICS,
    KNOWN_ORGS,
    NATIONALITIES,
    ORG_WORDS,
    POST_NOMINALS,
    PRONOUNS,
    REPORTING_VERBS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STOP_CAPS,
    TITLE_MODIFIERS,
    cjk_name_ok,
    is_role,
)
from .meta import MONTHS

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_](?:[\w'’\-]*[^\W_])?|[^\w\s]")
_ABBREV_DOT = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col", "capt",
               "sgt", "rev", "hon", "mme", "messrs", "maj", "adm", "supt", "insp", "no"}
PARTICLES = frozenset("de van von der den bin binti al el da di du la le dos das ibn ben mac del della ter".split())
ADVERBS = frozenset("""also later then further again previously recently once simply quickly bluntly repeatedly
publicly privately reportedly has had have was were is would will could might may had earlier now firmly
calmly candidly frankly flatly openly proudly quietly softly sharply strongly told tearfully angrily
""".split())


@dataclass(frozen=True)
class Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def base(self) -> str:
        t = self.text
        return t[:-2] if t.endswith(("'s", "’s")) else t

    @property
    def possessive(self) -> bool:
        return self.text.endswith(("'s", "’s"))

    @property
    def word(self) -> bool:
        return self.text[0].isalnum()


def tokenize(text: str, offset: int = 0) -> list[Tok]:
    toks: list[Tok] = []
    for m in _TOKEN.finditer(text):
        t = m.group()
        if t == "." and toks and toks[-1].end == m.start():
            prev = toks[-1]
            if prev.low in _ABBREV_DOT or (len(prev.text) == 1 and prev.text.isupper()):
                toks[-1] = Tok(prev.text + ".", prev.start, m.end() + offset)
                continue
        toks.append(Tok(t, m.start() + offset, m.end() + offset))
    return toks


def _plain(word: str) -> str:
    return word.lower().rstrip(".").replace("’", "'")


def is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_titleish(word: str) -> bool:
    """A capitalised word that belongs to a title or organisation rather than a name."""
    w = _plain(word)
    if w.endswith("'s"):
        w = w[:-2]
    return (is_acronym(word) or w in ROLE_NOUNS or w in TITLE_MODIFIERS or w in ORG_WORDS or w in NATIONALITIES
            or w in HONORIFICS or (w in MONTHS and len(w) > 3) or w in STOP_CAPS or w.rstrip("s") in ROLE_NOUNS
            or any(w.startswith(p + "-") and w[len(p) + 1:] in ROLE_NOUNS for p in ("vice", "deputy", "co", "ex")))


_DOTTED_PLACES = frozenset({"u.s.", "u.k.", "u.n.", "e.u.", "d.c.", "u.s.a.", "l.a.", "n.y.", "u.a.e.", "p.m.", "a.m."})
_HYPHEN_PARTICLE = re.compile(r"(?:al|el|ad|an|as|ash|at|az|ibn|bin|bint|abu|ben|da|de|di|du|van|von|le|la|d|o)[-'’][A-Z]")


def is_initials(word: str) -> bool:
    """Dotted initials of a name ("B.V.", "J.K."), not a dotted abbreviation ("U.S.")."""
    return bool(re.fullmatch(r"(?:[A-Z]\.){2,3}", word)) and word.lower() not in _DOTTED_PLACES


def is_name_word(word: str) -> bool:
    base = word[:-2] if word.endswith(("'s", "’s")) else word
    if is_initials(base):
        return True
    if not base or not is_cap(base) or is_titleish(base):
        return False
    if len(base) == 2 and base[1] == ".":
        return True  # an initial
    if re.search(r"-(?:based|born|bred|led|backed|owned|run|made|listed|registered|headquartered|funded|linked|"
                 r"era|style|bound|affiliated|allied|controlled|friendly|speaking)$", base, re.I):
        return False  # "Shanghai-based", "Iran-backed": an adjective
    return bool(re.fullmatch(r"[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*", base))


def is_cap(word: str) -> bool:
    """Capitalised, counting Arabic/European surnames written with a particle ("al-Ghaithi", "d'Estaing")."""
    return word[:1].isupper() or bool(_HYPHEN_PARTICLE.match(word))


def is_post_nominal(tok: Tok) -> bool:
    """Letters after a name: "KC", "QC", "MP", "Jr.", "OBE"."""
    w = tok.text.rstrip(".").lower()
    return w in POST_NOMINALS and (tok.text.isupper() or tok.text.rstrip(".").istitle() and w in {"jr", "sr", "esq"})


# ------------------------------------------------------------------ phrases (who a quote is attributed to)
@dataclass
class Phrase:
    kind: str  # "name", "pronoun", "np", "org", "group", "it" (an organisation again), "source" (a news agency
    # reporting the words), "cut" (a name cut off at the end of the text), "none"
    name: str | None = None
    title: str | None = None
    words: tuple[str, ...] = ()  # content words of a noun phrase, lower case
    gender: str | None = None
    text: str = ""
    several: bool = False


_DETS = frozenset("the a an this that his her its their our".split())
_CUT = frozenset("""in at on during when while who whose which after before as adding noting referring citing
according to from with because but told said says added where whom via than if since until
""".split())


def _title_text(tokens: list[Tok], src: str, base: int) -> str:
    if not tokens:
        return ""
    return src[tokens[0].start - base: tokens[-1].end - base]


_GIVEN_MONTHS = frozenset({"April", "May", "June", "August"})
_NAMEISH_STOPS = frozenset({"He", "An", "May", "June", "April", "August", "Long", "Young", "Will", "Do", "Hu"})


def split_name_title(tokens: list[Tok]) -> tuple[list[Tok], list[Tok]]:
    """(title tokens, name tokens): the name is the trailing run of name words (post-nominals like "KC"
    after it are dropped)."""
    while len(tokens) >= 3 and is_post_nominal(tokens[-1]) and is_name_word(tokens[-2].text):
        tokens = tokens[:-1]
    i = len(tokens)
    while i > 0:
        t = tokens[i - 1]
        if is_name_word(t.text) and not (t.possessive and i < len(tokens)):
            i -= 1
        elif t.base in _NAMEISH_STOPS and i >= 2 and is_name_word(tokens[i - 2].text) and not tokens[i - 2].possessive:
            i -= 1  # "Liu He", "Theresa May": a function word or month used as a name
        elif t.base in _GIVEN_MONTHS and i < len(tokens) and i >= 2 and is_role(tokens[i - 2].text):
            i -= 1  # "magistrate April Yao": a month as a given name after a title
        elif t.low in PARTICLES and 0 < i - 1 < len(tokens) - 1 and (
                is_name_word(tokens[i - 2].text) or tokens[i - 2].low in PARTICLES):
            i -= 1
        else:
            break
    title, name = tokens[:i], tokens[i:]
    if any(t.low in ("of", "for") for t in title):
        # "Minister for Foreign Affairs Penny Wong", "Chief of Staff Jeff Zients": the office's words end the title
        while len(name) > 2 and _office_word(name[0].text):
            title, name = [*title, name[0]], name[1:]
    return title, name


_OFFICES = frozenset("""staff state justice trade defence defense health education finance labour labor security
interior environment energy transport transportation housing culture development industry agriculture tourism
commerce treasury home works planning welfare employment immigration media sport science technology""".split())


def _for_someone_else(before: list[Tok], after: list[Tok]) -> bool:
    """Roles on both sides of "for"/"of"/"to" before a name ("spokesman for Governor", "aide to President"):
    the name holds the second role, the first is someone else's. An office's words after it are no role
    of their own ("Secretary for Justice" is one title)."""
    return any(is_role(u.text) for u in before) and any(is_role(u.text) and not _office_word(u.text)
                                                        for u in after)


def _office_word(word: str) -> bool:
    """A word of an office's name after "of"/"for" ("Affairs", "Staff", "Justice"), not a given name."""
    w = _plain(word)
    return w in _OFFICES or (len(w) >= 5 and w.endswith("s") and not w.endswith("ss"))


def looks_like_title(text: str) -> bool:
    words = re.findall(r"[\w'’\-]+", text)
    return any(is_role(w) for w in words)


def _clean_title(text: str) -> str:
    """A title without the words that lead into it; a leading "also" is kept ("said Xi, also general secretary
    of ...": a second title, see Person.add_title)."""
    text = text.strip(" ,;:")
    also = re.match(r"(?i)(?:(?:the|a|an|but|and|meanwhile|however|so|then|later|earlier|now)\s+)*also\s+", text)
    text = re.sub(r"^(?:(?:the|a|an|but|and|meanwhile|however|also|so|then|later|earlier|now)\s+)+", "", text,
                  flags=re.I)
    return f"also {text.strip()}" if also and text.strip() else text.strip()


_APPOSITIVE_TITLE_TOKENS = 16  # a longer appositive ("Jack Ma, founder of ...") is a clause, not a title
_APPOSITIVE_NAME_TOKENS = 4  # "the foreign minister, Wang Yi": a name after the comma is this short
_MAX_NAME_TOKENS = 4  # a longer run of name words is not one person's name (particles not counted)


def _too_long(name: list[Tok]) -> bool:
    """More name words than one person's name has; "bin", "al", "van der" do not count ("Mohammed bin
    Abdulrahman Al Thani")."""
    return sum(1 for t in name if t.low not in PARTICLES) > _MAX_NAME_TOKENS


_STATEMENT = re.compile(r"^(?:the|a|an|its|their)\s+(?:[\w-]+\s+){0,2}?(?:statement|communiqu[eé]|press release|"
                        r"release|notice|letter)\s+(?:(?:issued|released|published|sent)\s+(?:by|from)|from|by)\s+"
                        r"(?P<who>.+)$", re.I)
_AFFILIATION = re.compile(r"^(?P<who>.+?)\s+of\s+(?P<org>(?:the\s+)?[A-Z].*)$")


def parse_phrase(text: str) -> Phrase:
    """Parse the subject of an attribution: 'Liu Yunshan', 'he', 'the foreign minister',
    'Jack Ma, founder and chairman of the Alibaba Group', 'Foreign Ministry spokesperson Hua Chunying',
    'Amaka Eze of the Nigeria Labour Congress' (the person, the organisation as her title), 'the statement
    issued by the safety board' (the organisation), 'it' (an organisation spoken of before)."""
    text = text.strip(" ,;:—–-")
    chunks = [c.strip() for c in re.split(r"\s*,\s*", text) if c.strip()]
    if not chunks:
        return Phrase("none", text=text)
    statement = _STATEMENT.match(text)
    if statement:
        return _statement_phrase(statement.group("who"), text)
    head_toks = _head_tokens(chunks[0])
    if not head_toks:
        return Phrase("none", text=text)
    head = chunks[0][: head_toks[-1].end]
    app_title, app_name = _appositive_of([c for c in chunks[1:] if not re.fullmatch(r"\d{1,3}", c)])
    low = [t.low for t in head_toks]
    if len(head_toks) == 1 and low[0] in PRONOUNS:
        return Phrase("pronoun", gender=PRONOUNS[low[0]], text=head)
    if len(head_toks) == 1 and low[0] == "it":
        return Phrase("it", text=head)
    if len(head_toks) == 1 and low[0] in {"i", "we", "they", "you", "one", "who"}:
        return Phrase("none", text=head)
    affiliated = _affiliated(head, app_title)
    if affiliated is not None:
        return affiliated
    if low[-1] in GROUP_NOUNS or (len(low) > 1 and low[-1].endswith("s") and low[-1][:-1] in ROLE_NOUNS):
        return Phrase("group", text=head, several=True)
    title_toks, name_toks = split_name_title(head_toks)
    if name_toks and _several_people(title_toks, name_toks):
        return Phrase("group", text=head, several=True)
    if name_toks and not _too_long(name_toks):
        return _named_phrase(head, title_toks, name_toks, app_title)
    return _unnamed_phrase(head, head_toks, app_title, app_name)


def _statement_phrase(who: str, text: str) -> Phrase:
    """Who speaks through "the statement issued by WHO": a titled person, else the organisation (written in
    lower case, "the ministry", it is looked up among the organisations named before)."""
    who = _clause_head(who)
    ph = parse_phrase(who)
    if ph.kind == "name" and ph.title:
        return ph
    return Phrase("org", name=re.sub(r"^the\s+", "", who), text=text)


def _clause_head(text: str) -> str:
    """`text` up to a comma or a relative clause ("the board, which ..." -> "the board")."""
    return re.split(r"\s*,\s*|\s+(?:which|who|that|on|in|after)\s", text.strip(), maxsplit=1)[0].strip(" .")


def _affiliated(head: str, app_title: str | None) -> Phrase | None:
    """'Amaka Eze of the Nigeria Labour Congress', 'Analyst Cheong Seong-chang of the Sejong Institute': the
    person, never the organisation (or place) after "of"; an organisation becomes (part of) the title."""
    m = _AFFILIATION.match(head)
    if not m:
        return None
    who = tokenize(m.group("who"))
    org = re.sub(r"^the\s+", "", m.group("org").strip())
    org_toks = tokenize(org)
    title_toks, name_toks = split_name_title(who)
    if not name_toks or _too_long(name_toks) or len(title_toks) + len(name_toks) != len(who):
        return None
    org_like = any(_plain(t.text) in ORG_WORDS or t.low in KNOWN_ORGS or is_acronym(t.text) for t in org_toks)
    if not org_like and len(name_toks) < 2 and not title_toks:
        return None  # "Mary of Teck": a name; "John Lee of Hong Kong", "Prince William of Wales": the person
    base = _named_phrase(m.group("who"), title_toks, name_toks, None)
    role = base.title if base.title and looks_like_title(base.title) and not all(
        _plain(t.text) in HONORIFICS for t in title_toks) else None
    affiliation = org if org_like else None
    title = ", ".join(t for t in (role, affiliation) if t) or None
    return Phrase("name", name=base.name, title=app_title or title, gender=base.gender, text=head)


def _head_tokens(chunk: str) -> list[Tok]:
    """The subject's tokens, cut at a preposition or clause ("Wang at a news conference"), without trailing
    adverbs."""
    toks = tokenize(chunk)
    for k, t in enumerate(toks):
        if k > 0 and t.low in _CUT:
            toks = toks[:k]
            break
    while toks and toks[-1].low in ADVERBS and not is_cap(toks[-1].text):
        toks = toks[:-1]
    return toks


def _appositive_of(apps: list[str]) -> tuple[str | None, str | None]:
    """(title, name) from the first comma-separated appositive after the head ("Jack Ma, founder of ...")."""
    if not apps:
        return None, None
    a = apps[0]
    a_toks = tokenize(a)
    clause_words = {"who", "whose", "which", "adding", "noting", "speaking", "according", "as", "when"}
    if not a_toks or a_toks[0].low in clause_words:
        return None, None
    if looks_like_title(a) and len(a_toks) <= _APPOSITIVE_TITLE_TOKENS:
        return _clean_title(a), None
    if len(a_toks) <= _APPOSITIVE_NAME_TOKENS and len(split_name_title(a_toks)[1]) == len(a_toks):
        return None, a
    return None, None


def _several_people(title_toks: list[Tok], name_toks: list[Tok]) -> bool:
    """Several people: "Wang Yi and Antony Blinken", "Mr Smith and Ms Jones"; but not "Nature and
    Nitrogen Minister X", "President and Chief Executive Officer X": an "and" inside a title (a role noun
    follows it)."""
    return any(t.low in {"and", "&"} and not any(_plain(u.text) in ROLE_NOUNS or _plain(u.text).rstrip("s") in
                                                   ROLE_NOUNS for u in title_toks[k + 1:])
               for k, t in enumerate(title_toks)) or any(t.low in {"and", "&"} for t in name_toks)


def _named_phrase(head: str, title_toks: list[Tok], name_toks: list[Tok], app_title: str | None) -> Phrase:
    """A head that ends in a name ("Chinese President Xi Jinping"): the person, their title and gender. "A
    spokesman for Governor Tom Hale" is the spokesman, not Hale: a noun phrase."""
    name = head[name_toks[0].start: name_toks[-1].end]
    if name_toks[-1].possessive:
        return Phrase("none", text=head)
    for j, t in enumerate(title_toks):
        if t.low in ("for", "of", "to") and _for_someone_else(title_toks[:j], title_toks[j + 1:]):
            words = tuple(_plain(u.text) for u in title_toks[:j] if u.word and u.low not in _DETS)
            gender = next((GENDERED_ROLES[w] for w in words if GENDERED_ROLES.get(w)), None)
            return Phrase("np", words=words, gender=gender, text=head)
    ttl = _clean_title(head[: name_toks[0].start]) if title_toks else ""
    if title_toks and title_toks[0].low in _DETS and not looks_like_title(ttl):
        ttl = ""
    titled = ttl and (looks_like_title(ttl) or any(is_cap(t.text) for t in title_toks))
    title = app_title or (ttl if titled else None)
    gender = None
    for t in title_toks:
        w = _plain(t.text)
        if w in HONORIFICS and HONORIFICS[w]:
            gender = HONORIFICS[w]
        elif w in GENDERED_ROLES and GENDERED_ROLES[w]:
            gender = GENDERED_ROLES[w]
    if len(name_toks) == 1 and (name_toks[0].low in KNOWN_ORGS or [t.low for t in title_toks] == ["the"]):
        return Phrase("org", name=name, text=head)  # "Xinhua", "the Kremlin", "the Élysée": never "the Surname"
    return Phrase("name", name=name, title=title or None, gender=gender, text=head)


# place and building words that are also common surnames: alone and capitalised, a person
SURNAME_PLACES = frozenset({"park", "hall", "house", "church", "street", "lake", "temple", "bay", "court", "field",
                            "bank", "rivers", "banks", "fields", "holmes", "brook", "wood", "woods", "hill", "hills"})


def _unnamed_phrase(head: str, head_toks: list[Tok], app_title: str | None, app_name: str | None) -> Phrase:
    """A head with no name in it: a name in the appositive, a person described, an organisation or a noun
    phrase."""
    content = [t for t in head_toks if t.word and t.low not in _DETS]
    if app_name:  # "the foreign minister, Wang Yi"
        gender = next((GENDERED_ROLES[t.low] for t in content if GENDERED_ROLES.get(t.low)), None)
        return Phrase("name", name=app_name, title=_clean_title(head) or None, gender=gender, text=head)
    if content and head_toks[0].low == "the" and all(
            _plain(t.text) in DEMONYMS or _plain(t.text) in NATIONALITIES
            or re.fullmatch(r"\d+-year-old", t.low) for t in content):
        # "the Argentine", "the Spaniard", "the 21-year-old": a person described, not an organisation
        return Phrase("np", words=tuple(_plain(t.text) for t in content), text=head)
    if (len(content) == 1 and len(head_toks) == 1 and _plain(content[0].text) in SURNAME_PLACES
            and content[0].text[:1].isupper() and not content[0].text.isupper()):
        # "Park said", "Hall told reporters": a surname (Park Ji-sung, Lena Park), not a park or a hall
        return Phrase("name", name=content[0].text, text=head)
    if content and not any(is_role(t.text) for t in content) and (
            all(is_cap(t.text) for t in content)
            or (is_cap(content[0].text) and any(_plain(t.text) in ORG_WORDS for t in content))):
        return Phrase("org", name=" ".join(t.text for t in content), text=head)
    words = tuple(_plain(t.base) for t in content)
    if not words:
        return Phrase("none", text=head)
    gender = next((GENDERED_ROLES[w] for w in words if GENDERED_ROLES.get(w)), None)
    return Phrase("np", words=words, title=app_title, gender=gender, text=head)


# ------------------------------------------------------------------ registry
_TITLE_WORDS_CAP = 10  # a longer title is no better than one this long (words): the first stated wins then


def _title_rank(title: str) -> tuple[bool, int]:
    """How good a title is for a name super: one with a role in it ("energy analyst at Cordros Capital") beats
    one without ("Lagos-based"); then the more specific (longer) one."""
    words = re.findall(r"[\w'’\-]+", title)
    return any(is_role(w) and _plain(w) not in HONORIFICS for w in words), min(len(words), _TITLE_WORDS_CAP)


def _display_title(title: str | None) -> str | None:
    """A title as shown: honorifics at its end dropped ("Labour leader Sir" of "Labour leader Sir Keir
    Starmer"); one that is only an honorific ("Mr", "Dr") is no title."""
    if not title:
        return None
    words = title.split()
    if words and words[0].lower() == "also":
        words.pop(0)
    while words and _plain(words[-1]) in HONORIFICS:
        words.pop()
    return " ".join(words).strip(" ,") or None


@dataclass
class Person:
    """One person of the article: every mention of them (full name, surname, title and surname, pronoun, noun
    phrase) resolves to this one object. `titles` maps each title stated for them to where it was stated (the
    paragraph's index, -1 for a photo caption); `title` is the best of them."""

    name: str
    titles: dict[str, int | None] = field(default_factory=dict)
    gender: str | None = None
    first_pos: int = 0
    votes: dict[str, int] = field(default_factory=lambda: {"m": 0, "f": 0})
    weak: bool = False  # only ever named bare ("Iga Swiatek beat Aryna Sabalenka"): maybe not a person at all
    surname_only: bool = False  # known only from an attribution by one name ("…," Slot said): who is unknown
    also: set[str] = field(default_factory=set)  # titles stated as a second one ("Xi, also general secretary of")

    @property
    def tokens(self) -> list[str]:
        return [t for t in re.split(r"\s+", self.name) if t and t.lower() not in PARTICLES]

    @property
    def title(self) -> str | None:
        """The best title: a main one before one stated as "also ...", then by _title_rank."""
        return max(self.titles, key=lambda t: (t not in self.also, _title_rank(t))) if self.titles else None

    @property
    def title_source(self) -> int | None:
        """Where the best title was stated: a paragraph's index, -1 for a photo caption."""
        best = self.title
        return None if best is None else self.titles[best]

    def add_title(self, title: str | None, where: int | None = None) -> None:
        shown = _display_title(title)
        if shown and shown not in self.titles:
            self.titles[shown] = where
            if title and title.split()[0].lower() == "also":
                self.also.add(shown)

    @property
    def sex(self) -> str | None:
        if self.gender:
            return self.gender
        m, f = self.votes["m"], self.votes["f"]
        if m > 0 and f == 0:
            return "m"
        if f > 0 and m == 0:
            return "f"
        if m >= 2 * f + 1:
            return "m"
        if f >= 2 * m + 1:
            return "f"
        return None


def gender_of_title(title: str | None) -> str | None:
    if not title:
        return None
    for w in re.findall(r"[\w'’]+", title.lower()):
        w = w.rstrip(".")
        if HONORIFICS.get(w):
            return HONORIFICS[w]
        if GENDERED_ROLES.get(w):
            return GENDERED_ROLES[w]
    return None


class Registry:
    def __init__(self) -> None:
        self.people: list[Person] = []

    def find(self, name: str) -> list[Person]:
        """People whose name is `name`, or who have `name`'s words among their own (aliases)."""
        exact = [p for p in self.people if p.name == name]
        if exact:
            return exact
        words = [w for w in name.split() if w.lower() not in PARTICLES]
        if not words:
            return []
        return [p for p in self.people if all(w in p.tokens for w in words)]

    def add(self, name: str, title: str | None, pos: int, gender: str | None = None, weak: bool = False,
            where: int | None = None) -> Person:
        """The person named `name` (found by name or alias, else new), with this title (stated at paragraph
        `where`) and gender. A mention never joins a person of the other gender ("Mr Holloway" is not "his
        daughter, Karen Holloway")."""
        name = re.sub(r"\s+", " ", name).strip()
        g = gender or gender_of_title(title)
        found = self.find(name)
        hits = [p for p in found if not (g and p.sex and p.sex != g)]
        if len(hits) == 1:
            person = hits[0]
        else:
            # a fuller name for someone known by one word ("Biden" then "Joe Biden")
            words = name.split()
            grow = [p for p in self.people if len(p.tokens) == 1 and p.tokens[0] in words
                    and not (g and p.sex and p.sex != g)]
            if len(grow) == 1 and len(found) == 0:
                person = grow[0]
                person.name = name
            else:
                person = Person(name=name, first_pos=pos, weak=weak)
                self.people.append(person)
        if not weak:
            person.weak = False
        person.add_title(title, where)
        if g and not person.gender:
            person.gender = g
        return person


# ------------------------------------------------------------------ scanning non-quoted text for people
@dataclass
class Mention:
    pos: int
    end: int
    name: str
    title: str | None
    person: Person | None = None
    candidates: tuple[Person, ...] = ()
    subject: bool = False  # the subject of a speech verb ("Liu said", "said Liu")
    evidence: bool = False
    possessive: bool = False
    gender: str | None = None


def _runs(toks: list[Tok], src: str, base: int) -> list[tuple[int, int]]:
    """Index ranges [i, j) of runs of capitalised words (with particles and initials inside)."""
    runs = []
    i = 0
    n = len(toks)
    while i < n:
        if toks[i].word and is_cap(toks[i].text):
            j = i + 1
            while j < n:
                gap = src[toks[j - 1].end - base: toks[j].start - base]
                if gap not in (" ", ""):
                    break
                t = toks[j]
                if t.word and is_cap(t.text) and not toks[j - 1].possessive:
                    j += 1
                elif t.low in PARTICLES and j + 1 < n and (is_cap(toks[j + 1].text) or (
                        toks[j + 1].low in PARTICLES and j + 2 < n and is_cap(toks[j + 2].text))):
                    j += 1
                else:
                    break
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _skip_adverbs(toks: list[Tok], k: int) -> int:
    while k < len(toks) and toks[k].low in ADVERBS and toks[k].low != "told":
        k += 1
    return k


def _walk_back_title(toks: list[Tok], i: int) -> int:
    """Index where a title written before toks[i] starts ("Foreign Ministry spokesperson", "China's foreign minister")."""
    k = i
    steps = 0
    while k > 0 and steps < 10:
        t = toks[k - 1]
        w = _plain(t.text)
        ok = (t.word and (is_cap(t.text) or w in ROLE_NOUNS or w in TITLE_MODIFIERS or is_role(t.text)
                          or t.possessive or re.fullmatch(r"\d+-year-old", w) is not None))
        if ok and w in STOP_CAPS and not is_role(t.text):
            ok = False
        if (not ok and t.word and not is_cap(t.text) and w not in STOP_CAPS and w not in REPORTING_VERBS
                and not w.endswith(("ed", "ing", "ly")) and k < i and (is_role(toks[k].text) or toks[k].low in
                                                                         TITLE_MODIFIERS)):
            # a topical modifier ("EU climate commissioner", "Indian environment minister"), not a verb ("to oust")
            ok = w.isalpha() and not (k >= 2 and toks[k - 2].low == "to")
        if w in {"of", "for"} and k >= 2 and _for_someone_else([toks[k - 2]], toks[k:i]):
            break  # "a campaign aide for Governor Tom Hale": the aide is someone else; Hale is the Governor
        if not ok and w in {"of", "for", "and", "&"} and k - 1 > 0:
            prev = toks[k - 2]
            ok = prev.word and (is_titleish(prev.text) or is_role(prev.text)
                                or (w in {"of", "for", "&"} and is_cap(prev.text)))  # "Florida Power & Light"
        if not ok:
            break
        k -= 1
        steps += 1
    while k < i and toks[k].low in {"of", "for", "and", "&"}:
        k += 1
    return k


def _appositive(toks: list[Tok], j: int, src: str, base: int) -> tuple[str | None, int, bool]:
    """After a name at toks[j]: (title from ', a farmer in X,', index after it, age seen)."""
    k = j
    age = False
    if k < len(toks) and toks[k].text == "," and k + 1 < len(toks) and re.fullmatch(r"\d{1,3}", toks[k + 1].text):
        age = True
        k += 2
    if k >= len(toks) or toks[k].text != ",":
        return None, k, age
    m = k + 1
    while m < len(toks) and toks[m].text not in {",", ".", ";", ":", "(", ")", "—", "–"} and m - k < 18:
        if toks[m].low in SPEECH_VERBS or (m > k + 1 and toks[m].low in {"who", "which", "whose", "where"}):
            break
        m += 1
    if m == k + 1:
        return None, k, age
    first = toks[k + 1]
    text = src[first.start - base: toks[m - 1].end - base]
    if first.low in {"who", "whose", "which", "where", "when", "adding", "noting", "speaking", "according", "said",
                     "told"}:
        return None, k, age
    if not (first.low in _DETS or not is_cap(first.text) or first.possessive or is_role(first.text)
            or first.low in TITLE_MODIFIERS):
        return None, k, age
    if not looks_like_title(text):
        return None, k, age
    if m < len(toks) and toks[m].text == ",":
        m += 1
    return _clean_title(text), m, age


_LISTENER_VERBS = frozenset({"told", "tells", "tell", "telling"})
_PREPOSITIONS = frozenset("in from at to near of for on by with into across outside inside toward towards".split())


def _skip_parenthetical(toks: list[Tok], k: int) -> int:
    """After a name: skip ", who ...," / ", speaking in Berlin," / "," so that "Wang, speaking at ..., said"
    and "Her neighbour, Alan Brown, said" find the verb. Returns k itself when there is nothing to skip."""
    if k >= len(toks) or toks[k].text != ",":
        return k
    if k + 1 < len(toks) and toks[k + 1].low in SPEECH_VERBS:
        return k + 1
    first = toks[k + 1].low if k + 1 < len(toks) else ""
    if first not in {"who", "which", "speaking", "reporting", "writing", "interviewed", "asked", "when", "in",
                     "at", "after", "during", "appearing", "addressing", "standing", "sitting", "visiting"}:
        return k
    m = k + 1
    while m < len(toks) and m - k < 25:
        if toks[m].text in {".", ";", ":", "?", "!", "(", ")", "“", "”", '"'}:
            return k
        if toks[m].text == ",":
            return m + 1
        m += 1
    return k


def _after_office(toks: list[Tok], i: int, title: list[Tok], name: list[Tok]) -> tuple[list[Tok], list[Tok]]:
    """A run that starts after "Minister for"/"Chief of" (toks[i] opens it) leads with the office's words
    ("Foreign Affairs Penny Wong", "Staff Jeff Zients"); "Paul Lam Ting-kwok" keeps his three names."""
    if len(name) >= 3 and i > 1 and toks[i - 1].low in ("of", "for") and is_role(toks[i - 2].text):
        while len(name) > 2 and _office_word(name[0].text):
            title, name = [*title, name[0]], name[1:]
    return title, name


def scan_people(src: str, base: int, *, caption: bool = False) -> list[Mention]:
    """Mentions of (possible) people in a stretch of non-quoted text starting at offset `base`."""
    toks = tokenize(src, base)
    found: list[Mention] = []
    for i, j in _runs(toks, src, base):
        while i < j and _plain(toks[i].text) in STOP_CAPS and _plain(toks[i].text) not in HONORIFICS:
            i += 1
        run = toks[i:j]
        if not run:
            continue
        title_in_run, name_toks = _after_office(toks, i, *split_name_title(run))
        if (len(title_in_run) == 1 and title_in_run[0].base in _GIVEN_MONTHS and name_toks and i > 0
                and is_role(toks[i - 1].text)):
            title_in_run, name_toks = [], run  # "county magistrate April Yao"
        if not name_toks or _too_long(name_toks):
            continue
        possessive = name_toks[-1].possessive
        name = src[name_toks[0].start - base: name_toks[-1].end - base]
        if possessive:
            name = name[:-2]
        start_title = _walk_back_title(toks, i + len(title_in_run))
        title_toks = toks[start_title: i + len(title_in_run)]
        title = _title_text(title_toks, src, base)
        if not (title and (looks_like_title(title) or any(_plain(t.text) in HONORIFICS for t in title_toks))):
            title = ""
        if not title and start_title >= 2 and toks[start_title - 1].text == ",":
            # "China's president, Xi Jinping, said": the title before a comma
            k0 = _walk_back_title(toks, start_title - 1)
            before = toks[k0: start_title - 1]
            if before and is_role(before[-1].text) and (k0 == 0 or toks[k0 - 1].low in _DETS
                                                         or not toks[k0 - 1].word):
                title = _title_text(before, src, base)  # "His daughter, Karen Holloway": "daughter"
        app_title, after, age = (None, j, False) if possessive else _appositive(toks, j, src, base)
        k = _skip_adverbs(toks, _skip_parenthetical(toks, after))
        subject = not possessive and k < len(toks) and toks[k].low in SPEECH_VERBS
        prev = toks[start_title - 1] if start_title > 0 else None
        if subject and prev is not None and (prev.low in _PREPOSITIONS or (
                prev.word and not is_cap(prev.text) and start_title > 1 and toks[start_title - 2].low in _PREPOSITIONS)):
            subject = False  # "reporting from Khan Younis in southern Gaza, said": a place
        if prev is not None and not possessive and (
                (prev.low in SPEECH_VERBS and prev.low not in _LISTENER_VERBS)
                or (prev.low == "to" and start_title > 1 and toks[start_title - 2].low == "according")):
            subject = True  # "said Wang", "according to Wang"; but "told Reuters" names the listener
        caption_subject = (caption and all(not t.word for t in toks[:i]) and j < len(toks) and toks[j].word
                           and toks[j].text[0].islower())
        evidence = bool(title) or bool(app_title) or age or (len(name_toks) >= 2 and (subject or caption_subject))
        if any(_plain(t.text) in KNOWN_ORGS for t in name_toks):
            evidence = False
        gender = None
        for t in title_toks:
            w = _plain(t.text)
            gender = HONORIFICS.get(w) or GENDERED_ROLES.get(w) or gender
        found.append(Mention(pos=name_toks[0].start, end=name_toks[-1].end - (2 if possessive else 0), name=name,
                             title=_clean_title(app_title or title) or None, subject=subject,
                             evidence=evidence, possessive=possessive, gender=gender))
    return found


def scan_people_cjk(src: str, base: int) -> list[Mention]:
    """Chinese: a role word followed by a 2-4 character name ("外交部发言人华春莹")."""
    found = []
    roles = "|".join(sorted(map(re.escape, CJK_ROLES), key=len, reverse=True))
    for m in re.finditer(r"(?P<t>[\u4e00-\u9fff]{0,8}?(?:" + roles + r"))(?P<n>[\u4e00-\u9fff]{2,3}?)"
                         r"(?=[说表指强称介认告补坦直透写回，,：:在对向])", src):
        if not cjk_name_ok(m.group("n")):
            continue
        found.append(Mention(pos=base + m.start("n"), end=base + m.end("n"), name=m.group("n"),
                             title=m.group("t"), evidence=True))
    return found
