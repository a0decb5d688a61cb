"""Plots for the review page, drawn by our own small code: SVG for the timeline and the
loudness curve, Pillow for the safe-area guides over a frame.

Everything that comes from the article (cue text, speaker names) is XML-escaped before
it goes into an SVG; the SVGs carry width/height so an <img> knows its natural size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as _xml_escape

from PIL import Image, ImageDraw, ImageFont

ACTION_SAFE = 0.93  # SMPTE ST 2046-1, 16:9
TITLE_SAFE = 0.90

_FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


def esc(text: object) -> str:
    return _xml_escape(str(text), {'"': "&quot;"})


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if v == v else "0"


@dataclass
class CueBar:
    index: int
    start: float
    end: float
    text: str = ""
    speaker: str | None = None
    severity: str | None = None  # worst lint finding on the cue: "error" | "warning" | None


def _tick_step(duration: float, max_ticks: int = 12) -> float:
    for step in (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600):
        if duration / step <= max_ticks:
            return float(step)
    return float(math.ceil(duration / max_ticks))


def _clock(t: float) -> str:
    """Tick label: '2.5 s', '40 s', '1:10', '1:10.5'."""
    m, s = divmod(round(t, 3), 60)
    if not m:
        return f"{int(s)} s" if s == int(s) else f"{s:.1f} s"
    return f"{int(m)}:{int(s):02d}" if s == int(s) else f"{int(m)}:{s:04.1f}"


@dataclass
class VoiceBar:
    start: float
    end: float
    voice: int
    reporter: bool = False


@dataclass
class QuoteBar:
    id: str
    start: float
    end: float
    source: str  # explicit | aligned | voice_turn | speech | reading_speed
    confidence: float = 0.0
    speaker: str | None = None


_VOICE_COLOURS = ("#c2571a", "#1a7f8e", "#8e3fb0", "#b8860b", "#2f6f3e", "#a0305a")
_SOURCE_COLOURS = {"explicit": "#2f6fd6", "aligned": "#2e8b57", "speech": "#6b8e23", "voice_turn": "#e08a00",
                   "reading_speed": "#d0312d"}
_LANES = (("voices", 34), ("speech", 26), ("quotes", 34), ("shots", 30), ("cues", 44), ("poster", 34))


class _Lanes:
    """An SVG of lanes over [0, duration] with a shared time axis."""

    left, right, top = 92, 16, 28

    def __init__(self, duration: float, width: int, title: str) -> None:
        self.duration = max(duration, 0.001)
        self.width = width
        self.plot_w = width - self.left - self.right
        self.height = self.top + sum(h for _, h in _LANES) + 34
        self.out: list[str] = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{self.height}" '
            f'viewBox="0 0 {width} {self.height}" font-family="{_FONT}" font-size="12">',
            f"<title>{esc(title)}</title>",
            f'<rect x="0" y="0" width="{width}" height="{self.height}" fill="#ffffff"/>',
            f'<text x="{self.left}" y="18" font-size="13" font-weight="bold" fill="#222">'
            f"Timeline ({esc(_num(duration))} s)</text>",
        ]
        self.lane: dict[str, tuple[int, int]] = {}
        y = self.top
        for i, (name, h) in enumerate(_LANES):
            self.lane[name] = (y, h)
            fill = "#f6f7f9" if i % 2 == 0 else "#eef0f3"
            self.out.append(f'<rect x="{self.left}" y="{y}" width="{self.plot_w}" height="{h}" fill="{fill}"/>')
            self.out.append(f'<text x="{self.left - 8}" y="{y + h / 2 + 4:.1f}" text-anchor="end" fill="#333">'
                            f"{name}</text>")
            y += h
        self.bottom = y
        self._ticks()

    def x(self, t: float) -> float:
        return self.left + self.plot_w * min(max(t, 0.0), self.duration) / self.duration

    def _ticks(self) -> None:
        step = _tick_step(self.duration)
        t = 0.0
        while t <= self.duration + 1e-9:
            xt = self.x(t)
            self.out.append(f'<line x1="{xt:.1f}" y1="{self.top}" x2="{xt:.1f}" y2="{self.bottom + 4}" '
                            'stroke="#d0d4da" stroke-width="1"/>')
            self.out.append(f'<text x="{xt:.1f}" y="{self.bottom + 18}" text-anchor="middle" fill="#555">'
                            f"{esc(_clock(t))}</text>")
            t += step

    def note(self, lane: str, text: str) -> None:
        y, h = self.lane[lane]
        self.out.append(f'<text x="{self.left + 6}" y="{y + h / 2 + 4:.1f}" fill="#777">{esc(text)}</text>')

    def bar(self, lane: str, start: float, end: float, fill: str, tip: str, *, label: str = "", pad: int = 7,
            min_w: float = 1.0) -> None:
        y, h = self.lane[lane]
        x0 = self.x(start)
        w = max(min_w, self.x(end) - x0)
        self.out.append(f'<g><title>{esc(tip)}</title><rect x="{x0:.1f}" y="{y + pad}" width="{w:.1f}" '
                        f'height="{h - 2 * pad}" fill="{fill}" stroke="#ffffff" stroke-width="1" rx="3"/>')
        if label and w >= 7 * len(label) + 6:
            self.out.append(f'<text x="{x0 + w / 2:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" '
                            f'fill="#ffffff" font-weight="bold">{esc(label)}</text>')
        elif label and w >= 5.5 * len(label) + 1:
            self.out.append(f'<text x="{x0 + w / 2:.1f}" y="{y + h / 2 + 3:.1f}" text-anchor="middle" '
                            f'fill="#ffffff" font-size="9">{esc(label)}</text>')
        self.out.append("</g>")

    def svg(self) -> str:
        return "\n".join([*self.out, "</svg>"]) + "\n"


def timeline_svg(
    *,
    duration: float,
    speech: Sequence[tuple[float, float]] | None,
    shots: Sequence[float],
    cues: Sequence[CueBar],
    poster_time: float | None = None,
    candidates: Sequence[tuple[float, float]] = (),
    voices: Sequence[VoiceBar] | None = None,
    quotes: Sequence[QuoteBar] = (),
    width: int = 1000,
) -> str:
    """Lanes over [0, duration]: voice turns (the reporter's apart), speech, where each quote is placed,
    shot changes, cues (numbered bars) and the poster time."""
    lanes = _Lanes(duration, width, "Timeline: voices, speech, quote placements, shot changes, cues and poster time")
    _voices_lane(lanes, voices)
    _speech_lane(lanes, speech)
    _quotes_lane(lanes, quotes)
    _shots_lane(lanes, shots)
    _cues_lane(lanes, cues)
    _poster_lane(lanes, poster_time, candidates)
    return lanes.svg()


def _voices_lane(lanes: _Lanes, voices: Sequence[VoiceBar] | None) -> None:
    if voices is None:
        lanes.note("voices", "no audio track")
        return
    if not voices:
        lanes.note("voices", "no voices found")
    for v in voices:
        who = "reporter" if v.reporter else f"voice {v.voice}"
        fill = "#8a8f98" if v.reporter else _VOICE_COLOURS[v.voice % len(_VOICE_COLOURS)]
        lanes.bar("voices", v.start, v.end, fill, f"{who}: {v.start:.2f}–{v.end:.2f} s",
                  label="VO" if v.reporter else f"V{v.voice}", pad=6)


def _speech_lane(lanes: _Lanes, speech: Sequence[tuple[float, float]] | None) -> None:
    if speech is None:
        lanes.note("speech", "no audio track")
        return
    if not speech:
        lanes.note("speech", "no speech detected")
    for a, b in speech:
        lanes.bar("speech", a, b, "#3a9d5d", f"speech {a:.2f}–{b:.2f} s", pad=7)


def _quotes_lane(lanes: _Lanes, quotes: Sequence[QuoteBar]) -> None:
    if not quotes:
        lanes.note("quotes", "no quote placed in the video")
    for q in quotes:
        tip = f"{q.id}: {q.source}, confidence {q.confidence:.2f}, {q.start:.2f}–{q.end:.2f} s"
        if q.speaker:
            tip += f" ({q.speaker})"
        lanes.bar("quotes", q.start, q.end, _SOURCE_COLOURS.get(q.source, "#777"), tip, label=q.id, pad=6)


def _shots_lane(lanes: _Lanes, shots: Sequence[float]) -> None:
    hy, hh = lanes.lane["shots"]
    cy, ch = lanes.lane["cues"]
    for s in shots:
        x = lanes.x(s)
        lanes.out.append(f'<line x1="{x:.1f}" y1="{hy + 4}" x2="{x:.1f}" y2="{hy + hh - 4}" stroke="#7b4fb8" '
                         f'stroke-width="2"><title>shot change at {s:.2f} s</title></line>')
        # faint guide through the cue lane: cues should not cross a cut
        lanes.out.append(f'<line x1="{x:.1f}" y1="{cy}" x2="{x:.1f}" y2="{cy + ch}" stroke="#7b4fb8" '
                         'stroke-width="1" stroke-dasharray="3,3" opacity="0.6"/>')
    if not shots:
        lanes.note("shots", "no shot changes")


def _cues_lane(lanes: _Lanes, cues: Sequence[CueBar]) -> None:
    colours = {None: "#2f6fd6", "warning": "#e08a00", "error": "#d0312d"}
    for c in cues:
        tip = f"cue {c.index}: {c.start:.2f}–{c.end:.2f} s"
        if c.speaker:
            tip += f" ({c.speaker})"
        if c.text:
            tip += f"\n{c.text}"
        if c.severity:
            tip += f"\nlint: {c.severity}"
        lanes.bar("cues", c.start, c.end, colours.get(c.severity, "#2f6fd6"), tip, label=str(c.index), min_w=2.0)
    if not cues:
        lanes.note("cues", "no cues")


def _poster_lane(lanes: _Lanes, poster_time: float | None, candidates: Sequence[tuple[float, float]]) -> None:
    py, ph = lanes.lane["poster"]
    for t_c, score in candidates:
        lanes.out.append(f'<circle cx="{lanes.x(t_c):.1f}" cy="{py + ph / 2:.1f}" r="4" fill="#b0b6bf">'
                         f"<title>poster candidate {t_c:.2f} s, score {score:.3f}</title></circle>")
    if poster_time is None:
        return
    xp = lanes.x(poster_time)
    lanes.out.append(f'<line x1="{xp:.1f}" y1="{lanes.top}" x2="{xp:.1f}" y2="{lanes.bottom}" stroke="#111" '
                     'stroke-width="1.5" stroke-dasharray="5,3"/>')
    lanes.out.append(f'<path d="M{xp - 7:.1f},{py + 7} L{xp + 7:.1f},{py + 7} L{xp:.1f},{py + ph - 7} Z" '
                     f'fill="#111"><title>poster at {poster_time:.2f} s</title></path>')
    anchor = "start" if xp < lanes.left + lanes.plot_w - 90 else "end"
    dx = 10 if anchor == "start" else -10
    lanes.out.append(f'<text x="{xp + dx:.1f}" y="{py + ph / 2 + 4:.1f}" text-anchor="{anchor}" fill="#111">'
                     f"poster {poster_time:.2f} s</text>")


@dataclass(frozen=True)
class _LoudnessPlot:
    """The loudness chart's frame: time on x, LUFS on y (from `lo` up to 0)."""

    duration: float
    width: int
    height: int
    lo: float
    left: int = 62
    right: int = 128
    top: int = 52
    bottom_pad: int = 44
    hi: float = 0.0

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom_pad

    def x(self, t: float) -> float:
        return self.left + self.plot_w * min(max(t, 0.0), self.duration) / self.duration

    def y(self, v: float) -> float:
        v = min(max(v, self.lo), self.hi)
        return self.top + self.plot_h * (self.hi - v) / (self.hi - self.lo)


def loudness_svg(
    *,
    duration: float,
    series: Sequence[tuple[float, float | None, float | None]],
    target: float = -23.0,
    integrated: float | None = None,
    true_peak: float | None = None,
    peak_limit: float = -1.0,
    lra: float | None = None,
    normalized: bool = False,
    width: int = 1000,
    height: int = 300,
) -> str:
    """Momentary and short-term loudness over time, with the target and the measured integrated loudness."""
    values = [v for _, m, s in series for v in (m, s) if v is not None]
    lo = -60.0
    if values and min(values) < lo:
        lo = math.floor(min(values) / 10) * 10
    plot = _LoudnessPlot(duration=max(duration, max((p[0] for p in series), default=0.0), 0.001), width=width,
                         height=height, lo=lo)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_FONT}" font-size="12">',
        "<title>Loudness over time (EBU R128)</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<rect x="{plot.left}" y="{plot.top}" width="{plot.plot_w}" height="{plot.plot_h}" fill="#f6f7f9"/>',
    ]
    out += _loudness_headline(plot, target, integrated, true_peak, peak_limit, lra, normalized)
    out += _loudness_axes(plot)
    out += _loudness_curves(plot, series)
    out += _loudness_references(plot, target, integrated)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _loudness_headline(plot: _LoudnessPlot, target: float, integrated: float | None, true_peak: float | None,
                       peak_limit: float, lra: float | None, normalized: bool) -> list[str]:
    """Integrated loudness and true peak against the standard, in words."""
    parts = []
    if integrated is not None:
        parts.append(f"integrated {integrated:.1f} LUFS ({integrated - target:+.1f} LU vs target {target:g})")
    else:
        parts.append("integrated loudness not measured")
    if true_peak is not None:
        verdict = "OK" if true_peak <= peak_limit + 1e-9 else "OVER"
        parts.append(f"true peak {true_peak:.1f} dBTP (limit {peak_limit:g} dBTP: {verdict})")
    if lra is not None:
        parts.append(f"LRA {lra:.1f} LU")
    peak_over = true_peak is not None and true_peak > peak_limit + 1e-9
    return [f'<text x="{plot.left}" y="18" font-size="13" font-weight="bold" fill="#222">'
            f"Loudness of the source{' (outputs normalised to the target)' if normalized else ''}</text>",
            f'<text x="{plot.left}" y="36" fill="{"#d0312d" if peak_over else "#333"}">{esc("; ".join(parts))}</text>']


def _loudness_axes(plot: _LoudnessPlot) -> list[str]:
    out = []
    left, top, plot_w, plot_h = plot.left, plot.top, plot.plot_w, plot.plot_h
    v = plot.hi
    while v >= plot.lo - 1e-9:
        yy = plot.y(v)
        out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" stroke="#dde1e6"/>')
        out.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#555">{v:g}</text>')
        v -= 10
    out.append(f'<text x="14" y="{top + plot_h / 2:.1f}" fill="#555" text-anchor="middle" '
               f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">LUFS</text>')
    step = _tick_step(plot.duration)
    t = 0.0
    while t <= plot.duration + 1e-9:
        xt = plot.x(t)
        out.append(f'<line x1="{xt:.1f}" y1="{top + plot_h}" x2="{xt:.1f}" y2="{top + plot_h + 4}" stroke="#555"/>')
        out.append(f'<text x="{xt:.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="#555">'
                   f"{esc(_clock(t))}</text>")
        t += step
    return out


def _loudness_curves(plot: _LoudnessPlot, series: Sequence[tuple[float, float | None, float | None]]) -> list[str]:
    """Momentary (light) and short-term (dark) loudness; a silent stretch breaks the line."""

    def polylines(idx: int) -> list[str]:
        runs: list[list[str]] = [[]]
        for p in series:
            val = p[idx]
            if val is None:
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append(f"{plot.x(p[0]):.1f},{plot.y(val):.1f}")
        return [" ".join(r) for r in runs if r]

    out = [f'<polyline points="{pts}" fill="none" stroke="#9cb8e6" stroke-width="1.2"/>' for pts in polylines(1)]
    out += [f'<polyline points="{pts}" fill="none" stroke="#1f4f9e" stroke-width="2"/>' for pts in polylines(2)]
    if not series:
        out.append(f'<text x="{plot.left + plot.plot_w / 2:.1f}" y="{plot.top + plot.plot_h / 2:.1f}" '
                   'text-anchor="middle" fill="#777">no loudness series (no audio, or not measured)</text>')
    lx, ly = plot.left + plot.plot_w - 330, plot.height - 10  # the legend
    out.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 24}" y2="{ly - 4}" stroke="#9cb8e6" stroke-width="1.5"/>'
               f'<text x="{lx + 30}" y="{ly}" fill="#333">momentary (400 ms)</text>')
    out.append(f'<line x1="{lx + 170}" y1="{ly - 4}" x2="{lx + 194}" y2="{ly - 4}" stroke="#1f4f9e" '
               f'stroke-width="2"/><text x="{lx + 200}" y="{ly}" fill="#333">short-term (3 s)</text>')
    return out


def _loudness_references(plot: _LoudnessPlot, target: float, integrated: float | None) -> list[str]:
    """Target and integrated lines, labelled in the right margin (pushed apart when close)."""
    left, x1 = plot.left, plot.left + plot.plot_w
    out = [f'<line x1="{left}" y1="{plot.y(target):.1f}" x2="{x1}" y2="{plot.y(target):.1f}" stroke="#3a9d5d" '
           'stroke-width="1.5" stroke-dasharray="8,4"/>']
    ty_target = plot.y(target) + 4
    ty_int = None
    if integrated is not None:
        out.append(f'<line x1="{left}" y1="{plot.y(integrated):.1f}" x2="{x1}" y2="{plot.y(integrated):.1f}" '
                   'stroke="#d0312d" stroke-width="1.5" stroke-dasharray="2,3"/>')
        ty_int = plot.y(integrated) + 4
        if abs(ty_int - ty_target) < 14:
            mid = (ty_int + ty_target) / 2
            ty_int, ty_target = (mid - 7, mid + 7) if integrated >= target else (mid + 7, mid - 7)
    out.append(f'<text x="{x1 + 6}" y="{ty_target:.1f}" fill="#2d7d49">target {target:g}</text>')
    if ty_int is not None and integrated is not None:
        out.append(f'<text x="{x1 + 6}" y="{ty_int:.1f}" fill="#b02a26">integrated {integrated:.1f}</text>')
    return out


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        from videonews.typefaces import bundled_font

        return ImageFont.truetype(str(bundled_font()), size)
    except Exception:
        return ImageFont.load_default()


def safe_area_image(frame: Image.Image, out: Path, *, max_width: int = 1280, note: str | None = None) -> Path:
    """Draw the 93% action-safe and 90% title-safe rectangles over `frame` and save it (JPEG or PNG by suffix)."""
    im = frame.convert("RGB")
    if im.width > max_width:
        im = im.resize((max_width, round(im.height * max_width / im.width)), Image.Resampling.LANCZOS)
    w, h = im.size
    draw = ImageDraw.Draw(im)
    line = max(2, w // 480)
    size = max(12, w // 64)
    font = _font(size)
    for frac, colour, label in ((ACTION_SAFE, (255, 210, 0), "action-safe 93%"),
                                (TITLE_SAFE, (0, 230, 255), "title-safe 90%")):
        mx, my = w * (1 - frac) / 2, h * (1 - frac) / 2
        box = (round(mx), round(my), round(w - mx) - 1, round(h - my) - 1)
        draw.rectangle(box, outline=colour, width=line)
        tx, ty = box[0] + line + 4, box[1] + line + 2
        if frac == TITLE_SAFE:  # bottom-left, inside the title-safe box, clear of the action-safe label
            ty = box[3] - line - size - 6
        draw.text((tx, ty), label, fill=colour, font=font, stroke_width=max(1, size // 8), stroke_fill=(0, 0, 0))
    if note:
        draw.text((w // 2, h // 2), note, fill=(255, 255, 255), font=font, anchor="mm",
                  stroke_width=max(1, size // 8), stroke_fill=(0, 0, 0))
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in (".jpg", ".jpeg"):
        im.save(out, quality=85)
    else:
        im.save(out)
    return out
