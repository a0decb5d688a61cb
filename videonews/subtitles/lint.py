"""Check cues (or a subtitle file) against a style profile.

Times are measured on the frame grid (`round(t * fps)`), as an editor would:
SRT/VTT keep milliseconds and ASS centiseconds, and rounding those back to
frames recovers the planned frames exactly.

Rule ids: `chars_per_line`, `lines`, `min_duration`, `max_duration`, `cps`,
`gap`, `crosses_cut`, `near_cut`, `empty`, `order`, `bounds`, and for SRT/WebVTT files
`timing_in_text` (a line of cue text that readers take for a timing line and start a cue at).
Errors break the profile; warnings are advice (reading speed above the target,
an unclosed small gap, an in/out a few frames off a shot change).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from videonews.errors import InputError, over_limit
from videonews.models import Cue, LintFinding, LintReport, StyleProfile
from videonews.subtitles.legalise import frame

__all__ = ["lint_cues", "lint_file", "lint_shipped", "RULES", "VIDEO_RULES"]

RULES = (
    "chars_per_line", "lines", "min_duration", "max_duration", "cps", "gap",
    "crosses_cut", "near_cut", "empty", "order", "bounds", "timing_in_text",
)
# Rules that need the video (its shot changes, its length): a subtitle file alone cannot be checked for them.
VIDEO_RULES = ("crosses_cut", "near_cut", "bounds")
# A timing line as readers find one: "-->" anywhere ends WebVTT cue text; ffmpeg and the `srt` library
# take a time followed by an arrow ("-->", "- >") for the start of a new cue.
_TIMING_IN_TEXT = re.compile(r"-->|^\s*\d+:\d+\S*\s*-[ -] *>")
_EPS = 1e-6
Severity = Literal["error", "warning"]


def _count_chars(cue: Cue) -> int:
    """Characters a viewer reads: the lines joined by a space (line breaks count as one)."""
    return len(" ".join(line.strip() for line in cue.lines if line.strip()))


@dataclass(frozen=True)
class _Grid:
    """What every rule needs: the profile and the frame grid with its cuts."""

    profile: StyleProfile
    fps: float
    cuts: list[int]
    last_frame: int | None
    duration: float | None

    def frame(self, t: float) -> int:
        return frame(t, self.fps)


def _finding(cue: Cue, rule: str, message: str, value: float | int | str | None,
             limit: float | int | str | None, severity: Severity = "error") -> LintFinding:
    return LintFinding(cue=cue.index, rule=rule, message=message, value=value, limit=limit, severity=severity)


def lint_cues(cues: list[Cue], *, profile: StyleProfile, fps: float, shots: list[float] | None = None,
              duration: float | None = None) -> LintReport:
    """Check every cue against `profile`; see module doc for the rules."""
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps!r}")
    # frames counted as the planner counts them (halves round up), so a plan it calls legal lints clean
    grid = _Grid(profile=profile, fps=fps, cuts=sorted({frame(c, fps) for c in (shots or [])}),
                 last_frame=frame(duration, fps) if duration is not None else None, duration=duration)
    found: list[LintFinding] = []
    prev: Cue | None = None
    for cue in cues:
        found += _text_rules(cue, profile)
        found += _duration_rules(cue, grid)
        found += _bounds_rule(cue, grid)
        if prev is not None:
            found += _neighbour_rules(prev, cue, grid)
        found += _cut_rules(cue, grid)
        prev = cue
    return LintReport(profile=profile.name, cues=len(cues), findings=found)


def _text_rules(cue: Cue, profile: StyleProfile) -> list[LintFinding]:
    out = []
    if not [ln for ln in cue.lines if ln.strip()]:
        out.append(_finding(cue, "empty", "cue has no text", 0, 1))
    if len(cue.lines) > profile.max_lines:
        out.append(_finding(cue, "lines", f"{len(cue.lines)} lines, limit {profile.max_lines}", len(cue.lines),
                            profile.max_lines))
    for n, line in enumerate(cue.lines, start=1):
        if len(line) > profile.max_chars_per_line:
            out.append(_finding(cue, "chars_per_line", f"line {n} has {len(line)} characters, limit "
                                f"{profile.max_chars_per_line}: {line!r}", len(line), profile.max_chars_per_line))
    return out


def _duration_rules(cue: Cue, grid: _Grid) -> list[LintFinding]:
    """Order of in and out, minimum and maximum duration, reading speed."""
    profile = grid.profile
    s, e = grid.frame(cue.start), grid.frame(cue.end)
    dur = (e - s) / grid.fps
    if e <= s:
        return [_finding(cue, "order", f"ends ({cue.end:.3f} s) at or before it starts ({cue.start:.3f} s)",
                         round(dur, 3), 0.0)]
    out = []
    if dur < profile.min_duration - _EPS:
        out.append(_finding(cue, "min_duration", f"shown {dur:.3f} s, minimum {profile.min_duration:.3f} s",
                            round(dur, 3), round(profile.min_duration, 3)))
    if dur > profile.max_duration + _EPS:
        out.append(_finding(cue, "max_duration", f"shown {dur:.3f} s, maximum {profile.max_duration:.3f} s",
                            round(dur, 3), round(profile.max_duration, 3)))
    chars = _count_chars(cue)
    cps = chars / dur
    if cps > profile.max_cps + _EPS:
        out.append(_finding(cue, "cps", f"{chars} characters in {dur:.3f} s is {cps:.1f} characters/s, limit "
                            f"{profile.max_cps:g}", round(cps, 2), profile.max_cps))
    elif cps > profile.target_cps + _EPS:
        out.append(_finding(cue, "cps", f"{cps:.1f} characters/s is above the {profile.target_cps:g} target",
                            round(cps, 2), profile.target_cps, "warning"))
    if profile.max_wpm:
        wpm = len(" ".join(cue.lines).split()) * 60 / dur
        if wpm > profile.max_wpm + _EPS:
            out.append(_finding(cue, "cps", f"{wpm:.0f} words/min, limit {profile.max_wpm:g}", round(wpm, 1),
                                profile.max_wpm))
    return out


def _bounds_rule(cue: Cue, grid: _Grid) -> list[LintFinding]:
    s, e = grid.frame(cue.start), grid.frame(cue.end)
    if s < 0 or (grid.last_frame is not None and e > grid.last_frame):
        return [_finding(cue, "bounds", f"{cue.start:.3f}-{cue.end:.3f} s is outside the video "
                         f"(0-{grid.duration} s)", round(cue.end if s >= 0 else cue.start, 3),
                         grid.duration if s >= 0 else 0.0)]
    return []


def _neighbour_rules(prev: Cue, cue: Cue, grid: _Grid) -> list[LintFinding]:
    """Order against the previous cue, and the gap between them (closed to min_gap when small)."""
    min_gap = grid.profile.min_gap_frames
    s = grid.frame(cue.start)
    ps, pe = grid.frame(prev.start), grid.frame(prev.end)
    out = []
    if s < ps:
        out.append(_finding(cue, "order", f"starts ({cue.start:.3f} s) before the previous cue "
                            f"({prev.start:.3f} s)", round(cue.start, 3), round(prev.start, 3)))
    g = s - pe
    if g < 0:
        out.append(_finding(cue, "gap", f"overlaps the previous cue by {-g} frames", g, min_gap))
    elif g < min_gap:
        out.append(_finding(cue, "gap", f"{g} frames after the previous cue, minimum {min_gap}", g, min_gap))
    elif g <= grid.profile.close_gap_frames and g != min_gap and not any(pe <= c <= s for c in grid.cuts):
        out.append(_finding(cue, "gap", f"gap of {g} frames should be closed to {min_gap}", g, min_gap, "warning"))
    return out


def _cut_rules(cue: Cue, grid: _Grid) -> list[LintFinding]:
    """No cue across a shot change; an in or out a few frames off one should snap to it."""
    s, e = grid.frame(cue.start), grid.frame(cue.end)
    fps, snap = grid.fps, grid.profile.shot_snap_frames
    out = [_finding(cue, "crosses_cut", f"crosses the shot change at {c / fps:.3f} s", round(c / fps, 3),
                    "no cut inside a cue") for c in grid.cuts if s < c < e]
    cut_set = set(grid.cuts)
    in_on_cut = s in cut_set
    # an out time on a cut, or min_gap frames before one (Netflix), counts as snapped
    out_on_cut = e in cut_set or (e + grid.profile.min_gap_frames) in cut_set
    for c in grid.cuts:
        if s < c < e:
            continue
        for edge, d, snapped in (("starts", s - c, in_on_cut), ("ends", e - c, out_on_cut)):
            if not snapped and abs(d) <= snap:
                out.append(_finding(cue, "near_cut", f"{edge} {abs(d)} frames {'after' if d > 0 else 'before'} "
                                    f"the shot change at {c / fps:.3f} s: snap it to the cut", abs(d), snap,
                                    "warning"))
    return out


def lint_file(path: Path, *, profile: StyleProfile, fps: float = 25.0, max_cues: int | None = None) -> LintReport:
    """Read an SRT/VTT/ASS/TTML file and lint it; raises SubtitleParseError on a bad file, and InputError for
    a file of more than `max_cues` cues (the max_subtitle_cues setting)."""
    from .formats import detect_format, read_subtitles

    path = Path(path)
    cues = read_subtitles(path)
    if max_cues is not None and len(cues) > max_cues:
        raise over_limit(InputError, f"the file has {len(cues):,} cues", f"{max_cues:,}-cue", "max_subtitle_cues",
                         path=path)
    text = path.read_text(encoding="utf-8-sig")
    return _lint_read(cues, text, detect_format(text, path), profile=profile, fps=fps)


def _lint_read(cues: list[Cue], text: str, fmt: str, *, profile: StyleProfile, fps: float,
               shots: list[float] | None = None, duration: float | None = None) -> LintReport:
    """Lint the cues read from subtitle `text` in format `fmt`: the rules, and for SRT/WebVTT the lines of cue
    text that readers take for timing lines."""
    report = lint_cues(cues, profile=profile, fps=fps, shots=shots, duration=duration)
    if fmt not in ("srt", "vtt"):
        return report
    injected = [_finding(cues[n - 1], "timing_in_text", f"line {line} of the file looks like a timing line: "
                         "SRT and WebVTT readers start a new cue there", line, "no timing line in cue text")
                for n, line in _timing_lines(text) if n <= len(cues)]
    return report.model_copy(update={"findings": sorted([*report.findings, *injected], key=lambda f: f.cue)})


def lint_shipped(cues: list[Cue], formats: Sequence[str], *, profile: StyleProfile, fps: float,
                 shots: list[float] | None = None, duration: float | None = None) -> LintReport:
    """One report of what `videonews lint` says about each subtitle file written from `cues` in `formats`: each
    file is written (default options, as the subtitles stage writes it), read back and linted as that command
    does, with the video's shot changes and length added. So an SRT cue is counted with its speaker-change
    "- " dash, as it will be read. A finding that only some files have names them (`formats`, and the end of its
    message): the SRT's dash can push a cue over the reading speed that its WebVTT twin keeps."""
    from .formats import read_subtitles, write_subtitles

    found: dict[tuple[object, ...], tuple[LintFinding, list[str]]] = {}
    counts = set()
    for fmt in formats:
        buf = io.StringIO()
        write_subtitles(fmt, cues, buf)
        read = read_subtitles(buf.getvalue(), fmt)
        counts.add(len(read))
        report = _lint_read(read, buf.getvalue(), fmt, profile=profile, fps=fps, shots=shots, duration=duration)
        for f in report.findings:
            found.setdefault((f.cue, f.rule, f.severity, f.value, f.limit, f.message), (f, []))[1].append(fmt)
    findings = [f if len(fmts) == len(formats) else f.model_copy(update={
        "formats": fmts, "message": f"{f.message} (in the {', '.join(x.upper() for x in fmts)} file"
                                    f"{'s' if len(fmts) > 1 else ''})"}) for f, fmts in found.values()]
    return LintReport(profile=profile.name, cues=max(counts, default=0),
                      findings=sorted(findings, key=lambda f: f.cue))


def _timing_lines(text: str) -> list[tuple[int, int]]:
    """(cue number, file line) of each line of cue text, after a block's timing line, that looks like one."""
    from .formats._base import split_blocks

    found = []
    cue = 0
    for first, lines in split_blocks(text):
        timing = next((i for i, ln in enumerate(lines) if "-->" in ln), None)
        if timing is None:
            continue
        cue += 1
        found += [(cue, first + i) for i in range(timing + 1, len(lines)) if _TIMING_IN_TEXT.search(lines[i])]
    return found
