"""Advanced SubStation Alpha (.ass) for burn-in with libass (ffmpeg `subtitles`/`ass` filter).

Writing (opts): `width`, `height` (the video size; PlayResX/PlayResY are set to it so
libass does not rescale from 384x288), `font` (family name, default "DejaVu Sans"),
`credit` (e.g. "Video: CCTV.com", shown small top-right for the whole video),
`duration` (seconds, for the credit; default: the last cue's end), `title`,
`max_chars` (default 42, used to keep a full caption line inside the frame),
`supers` (default True: name supers with each speaker's first cue; or the planned `Super`s).

Layout, all inside the 90% title-safe area (SMPTE ST 2046-1), styled by a graphics template
(`videonews.graphics`, option `template`; default `news`):
* Caption: bottom-centre, font size `caption.size` of the frame height (min 12 px; smaller
  when `max_chars` average-width characters would not fit the safe width, e.g. portrait video),
  outlined (or in a box, `caption.box`). `WrapStyle: 2`: lines are broken by the planner and joined
  with `\\N`. With `caption.word_highlight` and `words` (quote id -> word times), the word being said
  lights up (`\\t` colour switches at each word's start and end).
* Name super: a strap (an ASS drawing, `\\p1`) with an accent bar at its left, the name in bold over
  the title (on-air case) on two lines, fading in and out (`\\fad`), its bottom at `super.bottom`
  and always above a caption of `max_lines` lines. Widths are measured with the caption font
  (`font_files`); a line too wide for title-safe shrinks. `layout()` and `super_geometry()` give the
  boxes; tests check them on frames libass draws.
* Credit: top-right inside title-safe, on a box (`credit.strap`), `credit.size` of the frame height
  (of the width for a portrait frame): capitals >= 10 px in the 640 px preview.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from videonews.errors import SubtitleParseError
from videonews.graphics import ass_colour
from videonews.models import Cue, Super, TimedWord

from ._base import WORD_JOINER, clean_line, cue_lines, split_lines, strip_bom

name = "ass"
extension = ".ass"
media_type = "text/x-ssa"

if TYPE_CHECKING:
    from videonews.graphics import Template

CAPTION, SUPER, SUPER_TITLE, STRAP, CREDIT = "Caption", "Super", "SuperTitle", "Strap", "Credit"
TITLE_SAFE = (0.05, 0.05, 0.05, 0.05)  # SMPTE ST 2046-1 title-safe: 90% of the frame
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

    def inside(self, other: Box, slack: float = 0.5) -> bool:
        return (self.left >= other.left - slack and self.top >= other.top - slack
                and self.right <= other.right + slack and self.bottom <= other.bottom + slack)


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
    super_margin_v: int  # the strap's bottom edge, from the frame's bottom
    credit_size: int
    credit_margin_v: int
    credit_margin_r: int
    max_lines: int
    super_pad: int = 0  # strap padding around name and title
    super_accent: int = 0  # width of the accent bar at the strap's left
    super_left: int = 0  # the strap's left edge
    credit_pad: int = 0  # the credit box's padding (0: outlined text)
    boxed: bool = False  # captions in a box (BorderStyle 3) rather than outlined
    safe: tuple[float, float, float, float] = TITLE_SAFE  # margins: left, top, right, bottom (fractions)

    def caption_box(self, lines: int | None = None) -> Box:
        """Worst-case box of a bottom-centre caption of `lines` lines (decorations included)."""
        lines = self.max_lines if lines is None else lines
        bottom = self.height - self.margin_v + self.outline + self.shadow
        top = self.height - self.margin_v - lines * LINE_HEIGHT * self.font_size - self.outline
        return Box(self.margin_l - self.outline, top, self.width - self.margin_r + self.outline, bottom)

    @property
    def strap_height(self) -> float:
        return 2 * self.super_pad + LINE_HEIGHT * (self.super_name_size + self.super_title_size)

    def super_box(self) -> Box:
        """The strap's box at its widest (the whole title-safe width from its left edge)."""
        bottom = self.height - self.super_margin_v
        top = bottom - self.strap_height
        right = max(self.super_left + 1, self.width - self.margin_r + self.outline)
        return Box(self.super_left, top, min(right, self.safe_box().right), bottom)

    def credit_box(self, text_width: float) -> Box:
        """The credit (top-right) with its box or outline."""
        deco = self.credit_pad or round(0.06 * self.credit_size, 1)
        right = self.width - self.credit_margin_r + deco
        top = self.credit_margin_v - deco
        return Box(right - text_width - 2 * deco, top, right, top + LINE_HEIGHT * self.credit_size + 2 * deco)

    def safe_box(self) -> Box:
        left, top, right, bottom = self.safe
        return Box(left * self.width, top * self.height, (1 - right) * self.width, (1 - bottom) * self.height)


def _template(template: Template | None) -> Template:
    if template is not None:
        return template
    from videonews.graphics import default_template

    return default_template()


def layout(width: int = 1920, height: int = 1080, *, max_chars: int = 42, max_lines: int = 2,
           template: Template | None = None, safe: tuple[float, float, float, float] = TITLE_SAFE) -> Layout:
    if width <= 0 or height <= 0:
        raise ValueError(f"video size must be positive, got {width}x{height}")
    tpl = _template(template)
    cap, sup, cred = tpl.caption, tpl.super_, tpl.credit
    sl, st, sr, sb = safe
    safe_w, safe_top, safe_h = (1 - sl - sr) * width, st * height, (1 - st - sb) * height
    boxed = bool(cap.box)
    deco_em = 0.15 if boxed else cap.outline_width + 0.03
    fs = round(cap.size * height)
    fs = min(fs, math.floor(safe_w / (max(1, max_chars) * AVG_CHAR_EM + 2 * deco_em)))
    fs = max(12, fs)
    outline = round((0.15 if boxed else cap.outline_width) * fs, 1)
    shadow = 0.0 if boxed else round(0.03 * fs, 1)
    deco = outline + shadow
    margin_l = math.ceil(sl * width + deco)
    margin_v = math.ceil(height - (safe_top + cap.bottom * safe_h) + deco)
    scale = fs / max(1.0, cap.size * height)  # a narrow frame shrinks the super with the caption
    name_size = max(12, round(sup.name_size * height * scale))
    title_size = max(10, round(sup.title_size * height * scale))
    pad = max(2, round(0.3 * name_size))
    caption_top = height - margin_v - max_lines * LINE_HEIGHT * fs - outline
    strap_bottom = min(safe_top + sup.bottom * safe_h, caption_top - 0.4 * fs)
    strap_h = 2 * pad + LINE_HEIGHT * (name_size + title_size)
    strap_bottom = max(strap_bottom, safe_top + strap_h)  # never above title-safe
    credit_size = max(12, round(cred.size * min(height, width)))  # a portrait frame: sized by its width
    credit_pad = round(0.3 * credit_size) if cred.strap else 0
    credit_deco = credit_pad or round(0.06 * credit_size, 1)
    return Layout(
        width=width, height=height, font_size=fs, outline=outline, shadow=shadow,
        margin_l=margin_l, margin_r=math.ceil(sr * width + deco), margin_v=margin_v,
        super_name_size=name_size, super_title_size=title_size,
        super_margin_v=math.ceil(height - strap_bottom), credit_size=credit_size,
        credit_margin_v=math.ceil(safe_top + credit_deco), credit_margin_r=math.ceil(sr * width + credit_deco),
        max_lines=max_lines, super_pad=pad, super_accent=max(3, round(0.006 * width)) if sup.accent else 0,
        super_left=math.ceil(sl * width + sup.x * safe_w), credit_pad=credit_pad, boxed=boxed, safe=safe,
    )


_STYLE_FORMAT = ("Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
                 "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, "
                 "Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding")
_EVENT_FORMAT = "Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"


@dataclass(frozen=True)
class _Look:
    colour: str
    outline_colour: str
    back: str = "&H80000000"
    border_style: int = 1


def _style(name: str, font: str, size: int, bold: bool, outline: float, shadow: float, align: int,
           ml: int, mr: int, mv: int, look: _Look | None = None) -> str:
    look = look or _Look(_colour(0, 0xFFFFFF), _colour(0, 0), _colour(0x80, 0))
    return (f"Style: {name},{font},{size},{look.colour},{look.colour},{look.outline_colour},{look.back},"
            f"{-1 if bold else 0},0,0,0,100,100,0,0,{look.border_style},{outline:g},{shadow:g},{align},{ml},{mr},"
            f"{mv},1")


class _Measure:
    """Text advance widths in pixels, from the template's font files (Pillow), else an estimate."""

    def __init__(self, files: Sequence[Path]) -> None:
        self.files = list(files)
        self._fonts: dict[tuple[int, bool], Any] = {}

    def width(self, text: str, size: int, *, bold: bool = False) -> float:
        font = self._font(size, bold)
        if font is None:
            return len(text) * AVG_CHAR_EM * size * (1.08 if bold else 1.0)
        return float(font.getlength(text))

    def _font(self, size: int, bold: bool) -> Any:
        key = (size, bold)
        if key not in self._fonts:
            path = self.files[1] if bold and len(self.files) > 1 else (self.files[0] if self.files else None)
            font = None
            if path is not None:
                from PIL import ImageFont

                try:
                    font = ImageFont.truetype(str(path), size)
                except OSError:
                    font = None
            self._fonts[key] = font
        return self._fonts[key]


def _caption_look(tpl: Template) -> _Look:
    cap = tpl.caption
    if cap.box:
        return _Look(ass_colour(cap.colour), ass_colour(cap.box), ass_colour(cap.box), 3)
    return _Look(ass_colour(cap.colour), ass_colour(cap.outline), _colour(0x80, 0))


def _credit_look(tpl: Template) -> _Look:
    cred = tpl.credit
    if cred.strap:
        return _Look(ass_colour(cred.colour), ass_colour(cred.strap), ass_colour(cred.strap), 3)
    return _Look(ass_colour(cred.colour), ass_colour(cred.outline or "#000000"), _colour(0x80, 0))


def _header(w: Callable[[str], object], lay: Layout, tpl: Template, font: str, title: str | None) -> None:
    w("[Script Info]\n")
    w("; Script generated by videonews\n")
    w(f"Title: {clean_line(title or 'videonews captions')}\n")
    w("ScriptType: v4.00+\n")
    w(f"PlayResX: {lay.width}\n")
    w(f"PlayResY: {lay.height}\n")
    w("WrapStyle: 2\n")
    w("ScaledBorderAndShadow: yes\n")
    w("YCbCr Matrix: None\n")
    w(f"; Graphics: {_field(tpl.name)}\n")
    w("\n[V4+ Styles]\n")
    w(f"Format: {_STYLE_FORMAT}\n")
    sup = tpl.super_
    sup_outline = round(0.05 * lay.super_name_size, 1) if sup.outline else 0
    sup_look = _Look(ass_colour(sup.name_colour), ass_colour(sup.outline or "#000000"), _colour(0xFF, 0))
    title_look = _Look(ass_colour(sup.title_colour), ass_colour(sup.outline or "#000000"), _colour(0xFF, 0))
    cred_outline = lay.credit_pad or round(0.06 * lay.credit_size, 1)
    cred_shadow = 0 if lay.credit_pad else round(0.03 * lay.credit_size, 1)
    w(_style(CAPTION, font, lay.font_size, False, lay.outline, lay.shadow, 2, lay.margin_l, lay.margin_r,
             lay.margin_v, _caption_look(tpl)) + "\n")
    w(_style(SUPER, font, lay.super_name_size, True, sup_outline, 0, 7, 0, 0, 0, sup_look) + "\n")
    w(_style(SUPER_TITLE, font, lay.super_title_size, False, sup_outline, 0, 7, 0, 0, 0, title_look) + "\n")
    w(_style(STRAP, font, 10, False, 0, 0, 7, 0, 0, 0) + "\n")
    align = 7 if tpl.credit.corner == "top-left" else 9
    w(_style(CREDIT, font, lay.credit_size, False, cred_outline, cred_shadow, align, lay.credit_margin_r,
             lay.credit_margin_r, lay.credit_margin_v, _credit_look(tpl)) + "\n")
    w("\n[Events]\n")
    w(f"Format: {_EVENT_FORMAT}\n")


def write(cues: list[Cue], stream: TextIO, *, width: int = 1920, height: int = 1080,
          font: str = "DejaVu Sans", credit: str | None = None, duration: float | None = None,
          title: str | None = None, max_chars: int = 42, max_lines: int = 2,
          supers: bool | Sequence[Super] = True, template: Template | None = None,
          font_files: Sequence[Path] = (), words: dict[str, list[TimedWord]] | None = None,
          safe: tuple[float, float, float, float] = TITLE_SAFE, highlight: bool | None = None, **_: Any) -> None:
    tpl = _template(template)
    lay = layout(int(width), int(height), max_chars=max_chars, max_lines=max_lines, template=tpl, safe=safe)
    font = _field(font) or "DejaVu Sans"
    measure = _Measure(font_files)
    w = stream.write
    _header(w, lay, tpl, font, title)
    shown = [c for c in cues if cue_lines(c)]
    if credit and clean_line(credit):
        end = duration if duration is not None else max((c.end for c in shown), default=0.0)
        if end > 0:
            w(f"Dialogue: 2,{_time(0)},{_time(end)},{CREDIT},,0,0,0,,{escape(credit)}\n")
    lit = tpl.caption.word_highlight if highlight is None else highlight
    highlight_colour = ass_colour(tpl.caption.highlight) if lit and words else None
    for cue in shown:
        lines = cue_lines(cue)
        if highlight_colour and cue.quote_id and words and words.get(cue.quote_id):
            text = _highlighted(lines, cue, words[cue.quote_id], highlight_colour, ass_colour(tpl.caption.colour))
        else:
            text = "\\N".join(escape(x) for x in lines)
        w(f"Dialogue: 0,{_time(cue.start)},{_time(cue.end)},{CAPTION},{_field(cue.speaker or '')},0,0,0,,{text}\n")
        if supers is True and cue.first_for_speaker and cue.speaker:
            _super(w, lay, tpl, measure, cue.speaker, cue.speaker_title, cue.start, cue.end)
    if not isinstance(supers, bool):
        for sup in supers:
            _super(w, lay, tpl, measure, sup.speaker, sup.title, sup.start, sup.end)


def _norm(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalnum())


def word_times(lines: Sequence[str], start: float, end: float, words: Sequence[TimedWord]
               ) -> list[list[tuple[str, float | None, float | None]]]:
    """Each line's words with the time each is said (None where the recogniser did not place it)."""
    pool = [wd for wd in words if start - 0.3 <= wd.start < end + 0.3]
    i = 0
    out: list[list[tuple[str, float | None, float | None]]] = []
    for line in lines:
        row: list[tuple[str, float | None, float | None]] = []
        for token in line.split(" "):
            key = _norm(token)
            hit = next((j for j in range(i, min(i + 4, len(pool))) if key and _norm(pool[j].text) == key), None)
            if hit is None:
                row.append((token, None, None))
                continue
            i = hit + 1
            row.append((token, max(start, pool[hit].start), min(end, pool[hit].end)))
        out.append(row)
    return out


def _highlighted(lines: Sequence[str], cue: Cue, words: Sequence[TimedWord], on: str, off: str) -> str:
    """The current word lights up: `\\t` switches its colour at the word's start and back at its end."""
    rows = []
    for row in word_times(lines, cue.start, cue.end, words):
        parts = []
        for token, ws, we in row:
            if ws is None or we is None:
                parts.append(escape(token))
                continue
            a = max(0, round((ws - cue.start) * 1000))
            b = max(a + 1, round((we - cue.start) * 1000))
            parts.append(f"{{\\t({a},{a},\\1c{on})\\t({b},{b},\\1c{off})}}{escape(token)}{{\\1c{off}}}")
        rows.append(" ".join(parts))
    return "\\N".join(rows)


def _rect(x: float, y: float, w: float, h: float, colour: str, fade: int, layer: int, start: float,
          end: float) -> str:
    """A filled rectangle as an ASS drawing (libass draws it; no image needed)."""
    c = ass_colour(colour)
    alpha, bgr = c[2:4], c[4:]
    return (f"Dialogue: {layer},{_time(start)},{_time(end)},{STRAP},,0,0,0,,"
            f"{{\\an7\\pos({x:.0f},{y:.0f})\\bord0\\shad0\\1c&H{bgr}&\\1a&H{alpha}&\\fad({fade},{fade})\\p1}}"
            f"m 0 0 l {w:.0f} 0 {w:.0f} {h:.0f} 0 {h:.0f}{{\\p0}}\n")


@dataclass(frozen=True)
class SuperGeometry:
    strap: Box
    name_pos: tuple[float, float]
    title_pos: tuple[float, float] | None
    name_size: int
    title_size: int
    title_lines: tuple[str, ...] = ()


MIN_SUPER_SCALE = 0.8  # a super too wide for the frame shrinks this far; then its title wraps


def _wrap_words(text: str, size: int, room: float, measure: _Measure) -> tuple[str, ...]:
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and measure.width(trial, size) <= room:
            lines[-1] = trial
        else:
            lines.append(word)
    return tuple(lines)


def super_geometry(lay: Layout, measure: _Measure, name: str, title: str | None) -> SuperGeometry:
    """Where a super's strap, name and title go. A super too wide for title-safe shrinks (to 80%), then its
    title wraps onto more lines (a narrow frame) rather than getting unreadably small."""
    ns, ts, pad, acc = lay.super_name_size, lay.super_title_size, lay.super_pad, lay.super_accent
    room = lay.safe_box().right - lay.super_left - acc - 2 * pad
    title_lines: tuple[str, ...] = (title,) if title else ()
    text_w = max(measure.width(name, ns, bold=True), measure.width(title, ts) if title else 0.0)
    if text_w > room:
        k = max(MIN_SUPER_SCALE, room / text_w)
        ns, ts = max(8, math.floor(ns * k)), max(8, math.floor(ts * k))
        name_w = measure.width(name, ns, bold=True)
        if name_w > room:  # a name is never broken: it alone shrinks further
            ns = max(8, math.floor(ns * room / name_w))
        if title and measure.width(title, ts) > room:
            title_lines = _wrap_words(title, ts, room, measure)
    text_w = max([measure.width(name, ns, bold=True)] + [measure.width(x, ts) for x in title_lines])
    lines_h = LINE_HEIGHT * (ns + ts * len(title_lines))
    bottom = lay.height - lay.super_margin_v
    top = bottom - (2 * pad + lines_h)
    left = lay.super_left
    strap = Box(left, top, min(left + acc + 2 * pad + text_w, lay.safe_box().right), bottom)
    x = left + acc + pad
    return SuperGeometry(strap=strap, name_pos=(x, top + pad),
                         title_pos=(x, top + pad + LINE_HEIGHT * ns) if title else None, name_size=ns, title_size=ts,
                         title_lines=title_lines)


def _super(w: Callable[[str], object], lay: Layout, tpl: Template, measure: _Measure, speaker: str,
           title: str | None, start: float, end: float) -> None:
    """A name super: a strap (with an accent bar), the name in bold over the title, fading in and out."""
    from videonews.graphics import on_air_case

    name = clean_line(speaker)
    if not name:
        return
    title_text = on_air_case(clean_line(title)) if title and clean_line(title) else None
    geo = super_geometry(lay, measure, name, title_text)
    sup = tpl.super_
    fade = round(1000 * min(sup.fade, max(0.0, (end - start) / 4)))
    s = geo.strap
    if sup.strap:
        w(_rect(s.left, s.top, s.right - s.left, s.bottom - s.top, sup.strap, fade, 1, start, end))
    if sup.accent and lay.super_accent:
        w(_rect(s.left, s.top, lay.super_accent, s.bottom - s.top, sup.accent, fade, 2, start, end))
    x, y = geo.name_pos
    w(f"Dialogue: 3,{_time(start)},{_time(end)},{SUPER},{_field(name)},0,0,0,,"
      f"{{\\pos({x:.0f},{y:.0f})\\fs{geo.name_size}\\fad({fade},{fade})}}{escape(name)}\n")
    if title_text and geo.title_pos:
        x, y = geo.title_pos
        title_ass = "\\N".join(escape(line) for line in geo.title_lines)
        w(f"Dialogue: 3,{_time(start)},{_time(end)},{SUPER_TITLE},{_field(name)},0,0,0,,"
          f"{{\\pos({x:.0f},{y:.0f})\\fs{geo.title_size}\\fad({fade},{fade})}}"
          f"{title_ass}\n")


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
