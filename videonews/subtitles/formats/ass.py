"""Advanced SubStation Alpha (.ass) for burn-in with libass (ffmpeg `subtitles`/`ass` filter).

Writing (opts): `width`, `height` (the video size; PlayResX/PlayResY are set to it so
libass does not rescale from 384x288), `font` (family name, default "DejaVu Sans"),
`credit` (e.g. "Video: CCTV.com", shown small top-right for the whole video),
`duration` (seconds, for the credit; default: the last cue's end), `title`,
`max_chars` (default 42, used to keep a full caption line inside the frame),
`supers` (default True: name supers with each speaker's first cue; or the planned `Super`s).

Layout, all inside the 90% title-safe area (SMPTE ST 2046-1):
* Caption: bottom-centre, font size 5.5% of the frame height (min 12 px; smaller
  when `max_chars` average-width characters would not fit the safe width, e.g.
  portrait video), white with a black outline of 6% of the font size and a soft
  50%-alpha shadow. MarginV/L/R are 5% of the frame plus the outline and shadow.
  `WrapStyle: 2`: lines are broken by the planner and joined with `\\N`.
* Name super: a lower-third block at the left, just above a caption of
  `max_lines` (2) lines: the name in bold, the title on a smaller line under it.
  Shown with the same times as the speaker's first cue. `layout()` gives the
  boxes; a test checks they do not overlap.
* Credit: small (2.8% of height), top-right inside title-safe.

Escaping (article text must not inject override tags): libass reads `{...}` as an
override block, and `\\N`, `\\n`, `\\h`, `\\{`, `\\}` as escapes, and nothing else.
So `{` -> `\\{`, `}` -> `\\}` (libass shows the brace), and every `\\` is followed
by U+2060 WORD JOINER (zero-width, ignored by the shaper), which breaks `\\N`,
`\\n`, `\\h` and `\\{` sequences. A quote `{\\an8}<b>&` is shown literally.
(VSFilter does not know `\\{`; we target libass.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from videonews.errors import SubtitleParseError
from videonews.models import Cue, Super

from ._base import WORD_JOINER, clean_line, cue_lines, split_lines, strip_bom

name = "ass"
extension = ".ass"
media_type = "text/x-ssa"

CAPTION, SUPER, CREDIT = "Caption", "Super", "Credit"
LINE_HEIGHT = 1.25  # em: conservative line advance for Latin fonts (DejaVu Sans ascent+descent ~1.16)
AVG_CHAR_EM = 0.6  # em: conservative average advance per character (DejaVu Sans, mixed case)


def escape(text: str) -> str:
    """Article text -> ASS event text that libass shows literally (see module doc)."""
    out = []
    for ch in clean_line(text):
        if ch == "\\":
            out.append("\\" + WORD_JOINER)
        elif ch == "{":
            out.append("\\{")
        elif ch == "}":
            out.append("\\}")
        else:
            out.append(ch)
    return "".join(out)


def unescape(text: str) -> str:
    """ASS event text -> plain text with newlines, dropping override blocks (libass semantics)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt in "Nn":
                out.append("\n")
                i += 2
                continue
            if nxt == "h":
                out.append("\u00a0")
                i += 2
                continue
            if nxt in "{}":
                out.append(nxt)
                i += 2
                continue
            if nxt == WORD_JOINER:
                out.append("\\")
                i += 2
                continue
            out.append("\\")
            i += 1
            continue
        if ch == "{":
            close = text.find("}", i + 1)
            if close >= 0:
                i = close + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _field(text: str) -> str:
    """A value for a comma-separated header/format field."""
    return clean_line(text).replace(",", " ")


def _time(t: float) -> str:
    cs = max(0, int(math.floor(t * 100 + 0.5)))
    h, rem = divmod(cs, 360000)
    m, rem = divmod(rem, 6000)
    s, c = divmod(rem, 100)
    return f"{h:d}:{m:02d}:{s:02d}.{c:02d}"


def _colour(a: int, bgr: int) -> str:
    return f"&H{a:02X}{bgr:06X}"


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return not (self.right <= other.left or other.right <= self.left
                    or self.bottom <= other.top or other.bottom <= self.top)


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    font_size: int
    outline: float
    shadow: float
    margin_l: int
    margin_r: int
    margin_v: int
    super_name_size: int
    super_title_size: int
    super_margin_v: int
    credit_size: int
    credit_margin_v: int
    credit_margin_r: int
    max_lines: int

    def caption_box(self, lines: int | None = None) -> Box:
        """Worst-case box of a bottom-centre caption of `lines` lines (decorations included)."""
        lines = self.max_lines if lines is None else lines
        bottom = self.height - self.margin_v + self.outline + self.shadow
        top = self.height - self.margin_v - lines * LINE_HEIGHT * self.font_size - self.outline
        return Box(self.margin_l - self.outline, top, self.width - self.margin_r + self.outline, bottom)

    def super_box(self) -> Box:
        bottom = self.height - self.super_margin_v + self.outline + self.shadow
        top = (self.height - self.super_margin_v
               - LINE_HEIGHT * (self.super_name_size + self.super_title_size) - self.outline)
        return Box(self.margin_l - self.outline, top, self.width - self.margin_r + self.outline, bottom)

    def safe_box(self) -> Box:
        return Box(0.05 * self.width, 0.05 * self.height, 0.95 * self.width, 0.95 * self.height)


def layout(width: int = 1920, height: int = 1080, *, max_chars: int = 42, max_lines: int = 2) -> Layout:
    if width <= 0 or height <= 0:
        raise ValueError(f"video size must be positive, got {width}x{height}")
    safe_w = 0.9 * width
    fs = round(0.055 * height)
    fs = min(fs, math.floor(safe_w / (max(1, max_chars) * AVG_CHAR_EM + 2 * 0.06)))
    fs = max(12, fs)
    outline = round(0.06 * fs, 1)
    shadow = round(0.03 * fs, 1)
    deco = outline + shadow
    margin_l = math.ceil(0.05 * width + deco)
    margin_v = math.ceil(0.05 * height + deco)
    name_size = max(12, round(0.85 * fs))
    title_size = max(12, round(0.65 * fs))
    # the super sits above a full caption block with half a line to spare
    super_margin_v = math.ceil(margin_v + max_lines * LINE_HEIGHT * fs + 2 * deco + 0.5 * fs)
    credit_size = max(12, round(0.028 * height))
    return Layout(
        width=width, height=height, font_size=fs, outline=outline, shadow=shadow,
        margin_l=margin_l, margin_r=margin_l, margin_v=margin_v,
        super_name_size=name_size, super_title_size=title_size, super_margin_v=super_margin_v,
        credit_size=credit_size, credit_margin_v=math.ceil(0.05 * height + deco),
        credit_margin_r=math.ceil(0.05 * width + deco), max_lines=max_lines,
    )


_STYLE_FORMAT = ("Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
                 "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, "
                 "Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding")
_EVENT_FORMAT = "Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"


def _style(name: str, font: str, size: int, bold: bool, outline: float, shadow: float, align: int,
           ml: int, mr: int, mv: int) -> str:
    white, black, shade = _colour(0, 0xFFFFFF), _colour(0, 0), _colour(0x80, 0)
    return (f"Style: {name},{font},{size},{white},{white},{black},{shade},{-1 if bold else 0},0,0,0,"
            f"100,100,0,0,1,{outline:g},{shadow:g},{align},{ml},{mr},{mv},1")


def write(cues: list[Cue], stream: TextIO, *, width: int = 1920, height: int = 1080,
          font: str = "DejaVu Sans", credit: str | None = None, duration: float | None = None,
          title: str | None = None, max_chars: int = 42, max_lines: int = 2,
          supers: bool | Sequence[Super] = True, **_: Any) -> None:
    lay = layout(int(width), int(height), max_chars=max_chars, max_lines=max_lines)
    font = _field(font) or "DejaVu Sans"
    w = stream.write
    w("[Script Info]\n")
    w("; Script generated by videonews\n")
    w(f"Title: {clean_line(title or 'videonews captions')}\n")
    w("ScriptType: v4.00+\n")
    w(f"PlayResX: {lay.width}\n")
    w(f"PlayResY: {lay.height}\n")
    w("WrapStyle: 2\n")
    w("ScaledBorderAndShadow: yes\n")
    w("YCbCr Matrix: None\n")
    w("\n[V4+ Styles]\n")
    w(f"Format: {_STYLE_FORMAT}\n")
    w(_style(CAPTION, font, lay.font_size, False, lay.outline, lay.shadow, 2, lay.margin_l, lay.margin_r,
             lay.margin_v) + "\n")
    w(_style(SUPER, font, lay.super_name_size, True, lay.outline, lay.shadow, 1, lay.margin_l, lay.margin_r,
             lay.super_margin_v) + "\n")
    w(_style(CREDIT, font, lay.credit_size, False, round(0.06 * lay.credit_size, 1),
             round(0.03 * lay.credit_size, 1), 9, lay.margin_l, lay.credit_margin_r, lay.credit_margin_v) + "\n")
    w("\n[Events]\n")
    w(f"Format: {_EVENT_FORMAT}\n")

    shown = [c for c in cues if cue_lines(c)]
    if credit and clean_line(credit):
        end = duration if duration is not None else max((c.end for c in shown), default=0.0)
        if end > 0:
            w(f"Dialogue: 2,{_time(0)},{_time(end)},{CREDIT},,0,0,0,,{escape(credit)}\n")
    for cue in shown:
        text = "\\N".join(escape(x) for x in cue_lines(cue))
        w(f"Dialogue: 0,{_time(cue.start)},{_time(cue.end)},{CAPTION},{_field(cue.speaker or '')},0,0,0,,{text}\n")
        if supers is True and cue.first_for_speaker and cue.speaker:
            _super(w, lay, cue.speaker, cue.speaker_title, cue.start, cue.end)
    if not isinstance(supers, bool):
        for sup in supers:
            _super(w, lay, sup.speaker, sup.title, sup.start, sup.end)


def _super(w: Callable[[str], object], lay: Layout, speaker: str, title: str | None, start: float,
           end: float) -> None:
    """A name super: the name in bold, the title under it in a smaller size."""
    if not clean_line(speaker):
        return
    text = escape(speaker)
    if title and clean_line(title):
        text += f"\\N{{\\b0\\fs{lay.super_title_size}}}{escape(title)}"
    w(f"Dialogue: 1,{_time(start)},{_time(end)},{SUPER},{_field(speaker)},0,0,0,,{text}\n")


def _ass_seconds(value: str, line: int, path: str | None) -> float:
    try:
        h, m, s = value.strip().split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    except ValueError:
        raise SubtitleParseError(f"bad time {value!r}", path=path, line=line) from None


def read(text: str, *, path: str | None = None, styles: tuple[str, ...] | None = None) -> list[Cue]:
    """Dialogue events as cues. By default, only `Caption` events when there are any
    (our files), otherwise all dialogue events."""
    text = strip_bom(text)
    section = None
    fmt: list[str] | None = None
    events: list[tuple[int, dict[str, str]]] = []
    saw_header = False
    for n, raw in enumerate(split_lines(text), start=1):
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            saw_header = saw_header or section == "script info"
            continue
        if section != "events":
            continue
        key, sep, value = raw.partition(":")
        if not sep:
            raise SubtitleParseError(f"expected 'Key: value' in [Events], got {raw!r}", path=path, line=n)
        key = key.strip().lower()
        if key == "format":
            fmt = [f.strip().lower() for f in value.split(",")]
            if "text" not in fmt or fmt[-1] != "text" or "start" not in fmt or "end" not in fmt:
                raise SubtitleParseError("[Events] Format must name Start, End and end with Text",
                                         path=path, line=n)
        elif key == "dialogue":
            if fmt is None:
                raise SubtitleParseError("Dialogue before the [Events] Format line", path=path, line=n)
            parts = value.lstrip().split(",", len(fmt) - 1)
            if len(parts) != len(fmt):
                raise SubtitleParseError(f"Dialogue has {len(parts)} fields, Format names {len(fmt)}",
                                         path=path, line=n)
            events.append((n, dict(zip(fmt, parts, strict=True))))
    if not saw_header and not events:
        raise SubtitleParseError("not an ASS/SSA script (no [Script Info] or [Events])", path=path, line=1)
    if styles is None:
        has_caption = any(e.get("style", "").strip() == CAPTION for _, e in events)
        styles = (CAPTION,) if has_caption else None
    cues: list[Cue] = []
    for n, e in events:
        if styles is not None and e.get("style", "").strip() not in styles:
            continue
        start = _ass_seconds(e["start"], n, path)
        end = _ass_seconds(e["end"], n, path)
        lines = unescape(e["text"]).split("\n")
        speaker = e.get("name", "").strip() or None
        cues.append(Cue(index=len(cues) + 1, start=start, end=end, lines=lines, speaker=speaker))
    cues.sort(key=lambda c: c.start)
    return [c.model_copy(update={"index": i}) for i, c in enumerate(cues, start=1)]
