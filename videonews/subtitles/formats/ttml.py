"""TTML in the IMSC1 Text Profile (.ttml).

A `tt` root with `xml:lang`, `ttp:timeBase="media"` and
`ttp:profile="http://www.w3.org/ns/ttml/profile/imsc1/text"`; one style and one
region (bottom, inside the 90% title-safe area, in percentages), one `p` per cue
with `begin`/`end` clock times (`HH:MM:SS.mmm`) and `<br/>` between lines.
Speakers are declared as `ttm:agent`s in the head and referenced from each `p`.
Text is XML-escaped; characters XML 1.0 cannot carry are replaced by U+FFFD.

Opts: `language` (default "en"), `title`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any, TextIO

from videonews.errors import SubtitleParseError
from videonews.models import Cue

from ._base import clean_line, clock, cue_lines

name = "ttml"
extension = ".ttml"
media_type = "application/ttml+xml"

NS_TT = "http://www.w3.org/ns/ttml"
NS_TTP = "http://www.w3.org/ns/ttml#parameter"
NS_TTS = "http://www.w3.org/ns/ttml#styling"
NS_TTM = "http://www.w3.org/ns/ttml#metadata"
NS_XML = "http://www.w3.org/XML/1998/namespace"
PROFILE = "http://www.w3.org/ns/ttml/profile/imsc1/text"

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    text = _NOT_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _x(text).replace('"', "&quot;")


def write(cues: list[Cue], stream: TextIO, *, language: str = "en", title: str | None = None,
          **_: Any) -> None:
    lang = clean_line(language) or "en"
    speakers: dict[str, str] = {}
    for cue in cues:
        sp = clean_line(cue.speaker or "")
        if sp and sp not in speakers and cue_lines(cue):
            speakers[sp] = f"speaker{len(speakers) + 1}"
    w = stream.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(f'<tt xmlns="{NS_TT}" xmlns:ttp="{NS_TTP}" xmlns:tts="{NS_TTS}" xmlns:ttm="{NS_TTM}"\n'
      f'    xml:lang="{_attr(lang)}" ttp:timeBase="media" ttp:profile="{PROFILE}">\n')
    w("  <head>\n")
    w("    <metadata>\n")
    if title and clean_line(title):
        w(f"      <ttm:title>{_x(clean_line(title))}</ttm:title>\n")
    for sp, ident in speakers.items():
        w(f'      <ttm:agent xml:id="{ident}" type="person"><ttm:name type="full">{_x(sp)}</ttm:name>'
          "</ttm:agent>\n")
    w("    </metadata>\n")
    w("    <styling>\n")
    w('      <style xml:id="caption" tts:fontFamily="proportionalSansSerif" tts:fontSize="100%" '
      'tts:color="white" tts:textAlign="center" tts:textOutline="black 5%"/>\n')
    w("    </styling>\n")
    w("    <layout>\n")
    w('      <region xml:id="bottom" tts:origin="5% 5%" tts:extent="90% 90%" tts:displayAlign="after"/>\n')
    w("    </layout>\n")
    w("  </head>\n")
    w('  <body region="bottom" style="caption">\n')
    w("    <div>\n")
    for n, cue in enumerate((c for c in cues if cue_lines(c)), start=1):
        text = "<br/>".join(_x(x) for x in cue_lines(cue))
        agent = speakers.get(clean_line(cue.speaker or ""))
        agent_attr = f' ttm:agent="{agent}"' if agent else ""
        w(f'      <p xml:id="c{n}" begin="{clock(cue.start)}" end="{clock(cue.end)}"{agent_attr}>{text}</p>\n')
    w("    </div>\n")
    w("  </body>\n")
    w("</tt>\n")


def _seconds(value: str | None, path: str | None) -> float:
    if value is None:
        raise SubtitleParseError("a <p> lacks begin/end", path=path)
    m = re.fullmatch(r"(\d+):(\d{2}):(\d{2}(?:\.\d+)?)", value.strip())
    if m:
        return int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(h|m|s|ms)", value.strip())
    if m:
        return float(m[1]) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[m[2]]
    raise SubtitleParseError(f"unsupported time expression {value!r}", path=path)


def read(text: str, *, path: str | None = None) -> list[Cue]:
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise SubtitleParseError(f"not well-formed XML: {exc}", path=path, line=line) from None
    if root.tag != f"{{{NS_TT}}}tt":
        raise SubtitleParseError("root element is not TTML <tt>", path=path, line=1)
    agents = {}
    for ag in root.iter(f"{{{NS_TTM}}}agent"):
        nm = ag.find(f"{{{NS_TTM}}}name")
        agents[ag.get(f"{{{NS_XML}}}id")] = (nm.text or "").strip() if nm is not None else None
    cues: list[Cue] = []
    for p in root.iter(f"{{{NS_TT}}}p"):
        lines = [""]
        if p.text:
            lines[-1] += p.text
        for child in p:
            if child.tag == f"{{{NS_TT}}}br":
                lines.append("")
            else:
                lines[-1] += "".join(child.itertext())
            if child.tail:
                lines[-1] += child.tail
        cues.append(Cue(index=len(cues) + 1, start=_seconds(p.get("begin"), path), end=_seconds(p.get("end"), path),
                        lines=lines, speaker=agents.get(p.get(f"{{{NS_TTM}}}agent"))))
    return cues
