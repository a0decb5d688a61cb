"""Check cues (or a subtitle file) against a style profile.

Times are measured on the frame grid (`round(t * fps)`), as an editor would:
SRT/VTT keep milliseconds and ASS centiseconds, and rounding those back to
frames recovers the planned frames exactly.

Rule ids: `chars_per_line`, `lines`, `min_duration`, `max_duration`, `cps`,
`gap`, `crosses_cut`, `near_cut`, `empty`, `order`, `bounds`.
Errors break the profile; warnings are advice (reading speed above the target,
an unclosed small gap, an in/out a few frames off a shot change).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from videonews.models import Cue, LintFinding, LintReport, StyleProfile

__all__ = ["lint_cues", "lint_file", "RULES"]

RULES = (
    "chars_per_line", "lines", "min_duration", "max_duration", "cps", "gap",
    "crosses_cut", "near_cut", "empty", "order", "bounds",
)
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
        return int(math.floor(t * self.fps + 0.5))


def _finding(cue: Cue, rule: str, message: str, value: float | int | str | None,
             limit: float | int | str | None, severity: Severity = "error") -> LintFinding:
    return LintFinding(cue=cue.index, rule=rule, message=message, value=value, limit=limit, severity=severity)


def lint_cues(cues: list[Cue], *, profile: StyleProfile, fps: float, shots: list[float] | None = None,
              duration: float | None = None) -> LintReport:
    """Check every cue against `profile`; see module doc for the rules."""
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps!r}")
    def frame(t: float) -> int:
        return int(math.floor(t * fps + 0.5))

    grid = _Grid(profile=profile, fps=fps, cuts=sorted({frame(c) for c in (shots or [])}),
                 last_frame=frame(duration) if duration is not None else None, duration=duration)
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


def lint_file(path: Path, *, profile: StyleProfile, fps: float = 25.0) -> LintReport:
    """Read an SRT/VTT/ASS/TTML file and lint it; raises SubtitleParseError on a bad file."""
    from .formats import read_subtitles

    return lint_cues(read_subtitles(Path(path)), profile=profile, fps=fps)
