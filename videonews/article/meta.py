"""Article metadata found in lines of text: dates, bylines, sources, editors, photo credits, boilerplate."""

from __future__ import annotations

import re
from datetime import date

from videonews.models import PhotoCaption

from .text import collapse

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MON = r"(?P<mon>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)\.?"

_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/ ]" + _MON + r"[-/ ](?P<d>\d{1,2})(?!\d)", re.I),
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r",?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})[-/ ]" + _MON + r"[-/ ](?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d\d)(?!\d)"),
]


def _month(name: str) -> int | None:
    name = name.lower().rstrip(".")
    if name in MONTHS:
        return MONTHS[name]
    for full, num in MONTHS.items():
        if len(full) > 3 and full.startswith(name) and len(name) >= 3:
            return num
    return None


def find_date(text: str) -> tuple[date, int] | None:
    """The earliest date written in `text` and its offset, in any of the common forms."""
    found: list[tuple[int, date]] = []
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(text):
            g = m.groupdict()
            try:
                if "a" in g and g.get("a"):
                    a, b = int(g["a"]), int(g["b"])
                    month, day = (b, a) if a > 12 else (a, b)  # US order unless impossible
                else:
                    maybe = int(g["m"]) if g.get("m") else _month(g["mon"])
                    if maybe is None:
                        continue
                    month = maybe
                    day = int(g["d"])
                found.append((m.start(), date(int(g["y"]), month, day)))
            except (ValueError, TypeError):
                continue
    if not found:
        return None
    pos, d = min(found)
    return d, pos


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    hit = find_date(text)
    return hit[0] if hit else None


def date_from_url(url: str | None) -> date | None:
    if not url:
        return None
    m = re.search(r"/((?:19|20)\d\d)[/-]?(\d\d)[/-]?(\d\d)(?:/|[^\d])", url)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------- boilerplate
_BOILER_LINE = re.compile(
    r"^(?:or\s*)?(?:sign\s*up|sign\s*in|log\s*in|log\s*out|register|subscribe(?: now)?|follow us:?|follow|"
    r"share(?: this| on| via)?(?: (?:article|story|page|facebook|twitter|x|whatsapp|linkedin|email|wechat|weibo))*:?|"
    r"scan to .*|most (?:popular|read|viewed|shared)|trending(?: now)?|top stories|latest(?: news)?|"
    r"related(?: (?:stories|articles|news|content|coverage|reading|links|topics|videos))?:?|"
    r"(?:read|see|watch) (?:more|also|next)(?::.*)?|more(?: from .*| on this story| stories)?:?|recommended(?: for you)?|"
    r"you (?:may|might) (?:also )?like|advertisement|advert|ad|sponsored|print|email|e-mail|comments?(?: \(\d+\))?|"
    r"day\s*\|?|week\s*\|?|month\s*\|?|key ?words?:?.*|tags?:.*|topics?:.*|home|back to top|next (?:article|story)|"
    r"previous (?:article|story)|close|menu|search|skip to (?:main )?content|copy link|link copied|facebook|twitter|"
    r"linkedin|whatsapp|wechat|weibo|reddit|x|print this page|font size:?.*|a\+?|a-|listen(?: to this article)?|"
    r"\d+ min(?:ute)?s? read|photos?|video|gallery|loading.*|click here.*|download (?:the )?app.*|"
    r"our standards:.*|this material may not be published.*|follow .* on (?:twitter|x|facebook|instagram).*|"
    r"get (?:the latest|our newsletter).*|sign up for .*|newsletter.*|cookie.*|accept(?: all)?(?: cookies)?|"
    r"image|image \d+ of \d+|\d+ of \d+|copyright\s*(?:©|\(c\)|\d{4}).*|all rights reserved.*|.*\ball rights reserved\b.*|"
    r"\(?\s*reporting by .*|\(?\s*additional reporting by .*|\(?\s*editing by .*|\(?\s*writing by .*|"
    r".* contributed to this (?:report|story)\.?|©.*|.*icp备.*|责任编辑.*|编辑[:：].*|来源[:：].*)$",
    re.I,
)

# After one of these, the rest of the page is site chrome.
_FOOTER_START = re.compile(
    r"^(?:editors?\s*[:：]|scan to (?:share|follow)|most (?:popular|read|viewed)|copyright\s*(?:©|\(c\)|\d{4})|©|"
    r"all rights reserved|"
    r"责任编辑|.*\ball rights reserved\b)",
    re.I,
)

_LINK_RUN_START = re.compile(
    r"^(?:related(?: (?:stories|articles|news|content|coverage|reading|links|videos|topics|internet links))?|"
    r"read more|more stories|more on this (?:story|topic)|more from .*|explore more|see also|"
    r"recommended(?: for you)?|you (?:may|might) (?:also )?like|top stories|most (?:popular|read|viewed)|"
    r"latest(?: news)?|trending(?: now)?)\s*:?$",
    re.I,
)


# What a server or a script leaves in a page instead of content: never a headline, byline or source.
_PAGE_DEBRIS = re.compile(
    r"^\[?\s*(?:an error occurred while processing this directive|error:?\s*\d{3}\b[^.]{0,40}|\d{3}\s+(?:not found|forbidden)|"
    r"(?:please )?enable javascript.*|javascript is (?:disabled|required).*|this (?:video|content) is not available.*)"
    r"\s*\]?\.?$", re.I)


def is_boilerplate(line: str) -> bool:
    """Site chrome and page debris: navigation, share and sign-up prompts, cookie notices, server errors."""
    line = line.strip()
    if not line:
        return True
    if _BOILER_LINE.match(line) or _PAGE_DEBRIS.match(line):
        return True
    parts = [p.strip() for p in re.split(r"\s*[|｜•·]\s*", line)]
    if len(parts) >= 3 and sum(len(p) for p in parts) / len(parts) < 25 and find_date(line) is None:
        return True  # a navigation bar: "Home|About us|Contact us"
    return False


# Press releases: the company boilerplate, contacts and legal notes after the story.
_RELEASE_FOOTER = re.compile(
    r"^(?:About (?:the )?(?:[A-Z0-9][\w&.,'’-]*\s?){1,6}|(?:media|press|investor|news) (?:contacts?|inquiries|enquiries)\s*:?.*|"
    r"contacts?\s*:|forward[- ]looking statements?\b.*|safe harbou?r statement.*|#{3,}|-\s*ends?\s*-|SOURCE\s+[A-Z].*)$")


def starts_footer(line: str) -> bool:
    line = line.strip()
    if _RELEASE_FOOTER.match(line) and len(line) < 120:
        return not (line.startswith("About ") and line.rstrip()[-1:] in ".!?")
    return bool(_FOOTER_START.match(line))


def starts_link_run(line: str) -> bool:
    return bool(_LINK_RUN_START.match(line.strip()))


# ---------------------------------------------------------------- bylines, editors, sources
_EDITOR = re.compile(r"^\(?\s*(?:editors?|edited by|editing by|责任编辑|编辑)\s*[:：]?\s*(?P<v>[^()]{1,80}?)\s*\)?$", re.I)
_EDITING = re.compile(r"\bediting by\s+(?P<v>[^;()]{1,80}?)\s*(?:[;)]|$)", re.I)
_REPORTING = re.compile(r"^\(?\s*(?:additional\s+)?reporting by\s+(?P<v>[^;()]{1,120}?)\s*(?:[;)]|$)", re.I)
_BYLINE = re.compile(
    r"^(?:by|written by|text by|words by|author|authors|reporter|reporters|作者|记者)\s*[:：]?\s+(?P<v>.{2,120})$", re.I
)
_SOURCE = re.compile(r"(?:^|\s|\|)(?:source|来源)\s*[:：]\s*(?P<v>[^|｜]{2,60}?)(?=\s{2,}|\s*[|｜]|$)", re.I)
_UPDATED = re.compile(r"\b(?:updated|published|posted|released|last updated|date)\s*[:：]?\s*", re.I)
_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .,'-]{1,40}?,?\s*(?:[A-Z][a-z]{2,4}\.?\s+\d{1,2}\s*)?\((?P<v>Xinhua|Reuters|AP|AFP|UPI|"
    r"Bloomberg|CNS|Kyodo|Yonhap|dpa|EFE|TASS|Sputnik|Anadolu|IANS|PTI|ANI|CGTN|China Daily)\)\s*(?:--|-|—|–)"
)


def editor_of(line: str) -> str | None:
    line = line.strip()
    m = _EDITOR.match(line)
    if m and len(m.group("v").split()) <= 8:
        return m.group("v").strip(" .;")
    m = _EDITING.search(line)
    if m and line.lower().lstrip("( ").startswith(("reporting by", "editing by", "writing by", "additional")):
        return m.group("v").strip(" .;")
    return None


def _name_like(value: str) -> bool:
    words = re.split(r"\s+|\s*,\s*", re.split(r"\s*[|｜]\s*|\s{2,}", value)[0].strip(" ,.;"))
    words = [w for w in words if w.lower() not in {"and", "&", "in", "de", "van", "von", "al", "bin"}]
    return 0 < len(words) <= 8 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def byline_of(line: str) -> str | None:
    line = line.strip()
    m = _BYLINE.match(line)
    if m and not re.match(r"(?i)^(?:by|written by|text by|words by)\b|^\S+\s*[:：]", line) and not _name_like(m.group("v")):
        m = None  # "Author defends new novel ...", "Reporter wins award": a headline, not a byline
    if m and len(m.group("v").split()) <= 14:
        value = re.split(r"\s*[|｜]\s*|\s{2,}", m.group("v"))[0]
        value = re.sub(r"\s*(?:updated|published|posted)\b.*$", "", value, flags=re.I)
        return value.strip(" ,.;") or None
    m = _REPORTING.match(line)
    if m:
        return m.group("v").strip(" .;")
    return None


def source_of(line: str) -> str | None:
    m = _SOURCE.search(line)
    if not m:
        return None
    value = re.split(r"(?i)\s+(?:editor|updated|published|posted|author|by|reporter|time)\b|\s+(?:19|20)\d\d\b|\s{2,}",
                     m.group("v"))[0]
    return value.strip(" .;,") or None


def dateline_source(paragraph: str) -> str | None:
    m = _DATELINE.match(paragraph)
    return m.group("v") if m else None


def metadata_line(line: str) -> dict[str, object] | None:
    """Facts in a short header line ("2016-November-17   Source: CCTV.com", "By X | Updated: ..."), or None."""
    flat = collapse(line)
    if len(flat.split()) > 18 or len(flat) > 160:
        return None
    found: dict[str, object] = {}
    src = source_of(line)
    if src and not is_boilerplate(src):
        found["source"] = src
    ed = re.search(r"(?:^|[|｜\s])(?:editor|责任编辑|编辑)\s*[:：]\s*(?P<v>[^|｜]{1,40}?)\s*(?:[|｜]|$)", line, re.I)
    if ed:
        found["editor"] = ed.group("v").strip()
    by = byline_of(flat.split("|")[0].strip()) if re.match(r"^(?:by|written by|author|reporter)\b", flat, re.I) else None
    if by and not is_boilerplate(by):
        found["byline"] = by
    hit = find_date(flat)
    if hit is not None:
        d, pos = hit
        rest = flat[:pos] + " "
        # A date line: little else on it besides labels, times, sources and bylines.
        residue = re.sub(r"(?i)\b(updated|published|posted|released|last|date|source|by|time|gmt|utc|bst|est|edt|"
                         r"am|pm|a\.m\.|p\.m\.|cst|bjt|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", " ", flat)
        residue = re.sub(r"[\d:,./|()\-–—+]", " ", residue)
        words = [w for w in residue.split() if w.lower().rstrip(".") not in MONTHS]
        if found or len(words) <= 4 or _UPDATED.search(rest):
            found["date"] = d
    if not found:
        return None
    return found


# ---------------------------------------------------------------- photo credits
AGENCIES = {
    "xinhua": "Xinhua", "xinhua news agency": "Xinhua", "reuters": "Reuters", "ap": "AP", "ap photo": "AP",
    "ap photos": "AP", "associated press": "AP", "the associated press": "AP", "afp": "AFP",
    "agence france-presse": "AFP", "getty images": "Getty Images", "getty": "Getty Images", "epa": "EPA",
    "epa-efe": "EPA-EFE", "efe": "EFE", "bloomberg": "Bloomberg", "china daily": "China Daily",
    "chinadaily.com.cn": "China Daily", "cgtn": "CGTN", "cns": "CNS", "china news service": "CNS", "vcg": "VCG",
    "visual china group": "VCG", "ic": "IC", "imaginechina": "Imaginechina", "cfp": "CFP", "kyodo": "Kyodo",
    "kyodo news": "Kyodo", "yonhap": "Yonhap", "anadolu": "Anadolu", "anadolu agency": "Anadolu", "tass": "TASS",
    "sputnik": "Sputnik", "pa": "PA", "pa media": "PA", "pa wire": "PA", "pa images": "PA", "shutterstock": "Shutterstock",
    "alamy": "Alamy", "nurphoto": "NurPhoto", "sopa images": "SOPA Images", "zuma press": "ZUMA Press",
    "zuma": "ZUMA Press", "upi": "UPI", "bbc": "BBC", "cctv": "CCTV", "people's daily": "People's Daily",
    "global times": "Global Times", "agencies": "Agencies", "pool": "Pool", "handout": "Handout", "dpa": "dpa",
    "ians": "IANS", "pti": "PTI", "ani": "ANI", "nyt": "NYT", "the new york times": "The New York Times",
    "the guardian": "The Guardian", "cnn": "CNN", "abaca": "ABACA", "rex": "REX", "rex/shutterstock": "REX/Shutterstock",
    "sipa": "SIPA", "ecns": "ECNS", "chinanews.com": "CNS", "thepaper.cn": "The Paper", "the paper": "The Paper",
    "xinhua/ic": "Xinhua",
}
_AGENCY_ALT = "|".join(sorted((re.escape(a) for a in AGENCIES if len(a) > 1), key=len, reverse=True))
_PHOTO_WORD = r"(?:photo(?:graph|s)?|pictures?|images?|credit|file photo|video ?grab|screenshot|screengrab)"
_CREDIT_PAREN = re.compile(r"\s*[(\[]\s*(?P<c>[^()\[\]]{2,90}?)\s*[)\]]\s*$")
_CREDIT_TAIL = re.compile(
    r"(?:^|(?<=[.!?\s]))(?P<c>(?:" + _PHOTO_WORD + r")\s*(?:by\b|[:：/])\s*[^.()]{2,80}?"
    r"|(?:" + _AGENCY_ALT + r")\s*/\s*(?-i:[A-Z])[^.()/]{1,40}(?:/[^.()/]{1,30}){0,2}"
    r"|(?-i:[A-Z](?:[\w'’-]+|\.)(?:\s[A-Z](?:[\w'’-]+|\.)){0,3})\s*/\s*(?:" + _AGENCY_ALT + r")(?:\s+via\s+Getty\s+Images)?"
    r"|(?<=\s)/\s*(?:" + _AGENCY_ALT + r"))\s*\.?\s*$",
    re.I,
)


def _looks_like_person(s: str) -> bool:
    toks = s.split()
    return 1 < len(toks) <= 4 and all(t[:1].isupper() for t in toks) and s.lower() not in AGENCIES


def _is_credit(c: str) -> bool:
    low = c.lower().strip()
    if re.match(_PHOTO_WORD + r"\s*(?:by\b|[:：/])", low):
        return True
    if "/" in c:
        parts = [p.strip() for p in c.split("/")]
        return len(parts) <= 4 and all(0 < len(p.split()) <= 6 and (p[0].isupper() or p[0].isdigit()
                                                                     or p.lower() in AGENCIES) for p in parts)
    return low in AGENCIES and low not in {"ap", "pa"}


def parse_credit(credit: str) -> tuple[str | None, str | None]:
    """Split a printed credit into (agency, photographer)."""
    c = credit.strip().strip("()[] ").strip()
    by_person = bool(re.match(r"(?i)^(?:photo(?:graph|s)?|pictures?|images?)\s+(?:taken\s+)?by\b", c))
    if not re.match(r"(?i)^ap photos?\b", c):
        c = re.sub(r"(?i)^" + _PHOTO_WORD + r"\s*(?:taken\s+)?(?:by\b|[:：])?\s*", "", c)
    c = c.strip(" /:")
    parts = [p.strip() for p in re.split(r"\s*/\s*|\s+via\s+", c) if p.strip()]
    parts = [p for p in parts if p.lower() not in {"file", "file photo", "photo", "handout"}]
    agency = photographer = None
    rest: list[str] = []
    for p in parts:
        key = p.lower().rstrip(".")
        if key in AGENCIES and agency is None:
            agency = AGENCIES[key]
        elif key not in AGENCIES:
            rest.append(p)
    if rest:
        if agency is None and len(rest) >= 2:
            agency, photographer = rest[0], rest[1]
            if _looks_like_person(agency) and not _looks_like_person(photographer):
                agency, photographer = photographer, agency
        elif agency is None and (by_person or _looks_like_person(rest[0])):
            photographer = rest[0]
        elif agency is None:
            agency = rest[0]
        else:
            photographer = rest[0]
    return agency, photographer


def split_caption(block: str) -> PhotoCaption | None:
    """A caption with its credit at the end, e.g. '... Nov. 16, 2016. (Xinhua/Li Xin)', or None."""
    text = collapse(block)
    credit = caption = None
    m = _CREDIT_PAREN.search(text)
    if m and _is_credit(m.group("c")):
        credit, caption = m.group("c"), text[: m.start()]
    else:
        m = _CREDIT_TAIL.search(text)
        if m and m.start() > 0:
            credit, caption = m.group("c").strip(), text[: m.start()]
    if credit is None or caption is None:
        m = re.match(r"(?i)^(?:image|media|photo) caption[,:]?\s+(?P<c>.+)$", text)
        if m:
            return PhotoCaption(caption=m.group("c").strip())
        return None
    caption = re.sub(r"(?i)^(?:file photo|file|photo)\s*[:：]\s*", "", caption).strip()
    credit = credit.strip().lstrip("/").strip()
    if not caption or len(caption.split()) < 2 and len(caption) < 6:
        return None
    agency, photographer = parse_credit(credit)
    return PhotoCaption(caption=caption, agency=agency, photographer=photographer, credit_text=credit)


def credit_only(line: str) -> tuple[str | None, str | None, str] | None:
    """A line that is only a credit ("Image source, Getty Images", "Photo: Reuters")."""
    text = collapse(line)
    m = re.match(r"(?i)^(?:image|media|photo) source[,:]?\s+(?P<c>.{2,60})$", text)
    if m:
        agency, photographer = parse_credit(m.group("c"))
        return agency, photographer, m.group("c")
    if len(text) <= 60 and (_is_credit(text.strip("()[] ")) and text.lower().strip("()[] ") not in {"ap", "pa"}):
        if re.match(_PHOTO_WORD, text.strip("()[] "), re.I) or "/" in text or text.lower() in AGENCIES:
            agency, photographer = parse_credit(text)
            return agency, photographer, text.strip("()[] ")
    return None
