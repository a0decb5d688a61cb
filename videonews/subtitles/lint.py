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
from pathlib import Path

from videonews.models import Cue, LintFinding, LintReport, StyleProfile

__all__ = ["lint_cues", "lint_file", "RULES"]

RULES = (
    "chars_per_line", "lines", "min_duration", "max_duration", "cps", "gap",
    "crosses_cut", "near_cut", "empty", "order", "bounds",
)
_EPS = 1e-6


def _count_chars(cue: Cue) -> int:
    """Characters a viewer reads: the lines joined by a space (line breaks count as one)."""
    return len(" ".join(line.strip() for line in cue.lines if line.strip()))


def lint_cues(cues: list[Cue], *, profile: StyleProfile, fps: float, shots: list[float] | None = None,
              duration: float | None = None) -> LintReport:
    """Check every cue against `profile`; see module doc for the rules."""
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps!r}")
    found: list[LintFinding] = []

    def add(cue: Cue, rule: str, message: str, value: object, limit: object, severity: str = "error") -> None:
        found.append(LintFinding(cue=cue.index, rule=rule, message=message, value=value, limit=limit,  # type: ignore[arg-type]
                                 severity=severity))  # type: ignore[arg-type]

    def fr(t: float) -> int:
        return int(math.floor(t * fps + 0.5))

    cut_frames = sorted({fr(c) for c in (shots or [])})
    snap = profile.shot_snap_frames
    min_gap = profile.min_gap_frames
    last_frame = fr(duration) if duration is not None else None

    prev: Cue | None = None
    for cue in cues:
        s, e = fr(cue.start), fr(cue.end)
        dur = (e - s) / fps
        lines = [ln for ln in cue.lines]
        text_lines = [ln for ln in lines if ln.strip()]

        if not text_lines:
            add(cue, "empty", "cue has no text", 0, 1)
        if len(lines) > profile.max_lines:
            add(cue, "lines", f"{len(lines)} lines, limit {profile.max_lines}", len(lines), profile.max_lines)
        for n, line in enumerate(lines, start=1):
            if len(line) > profile.max_chars_per_line:
                add(cue, "chars_per_line", f"line {n} has {len(line)} characters, limit "
                    f"{profile.max_chars_per_line}: {line!r}", len(line), profile.max_chars_per_line)

        if e <= s:
            add(cue, "order", f"ends ({cue.end:.3f} s) at or before it starts ({cue.start:.3f} s)",
                round(dur, 3), 0.0)
        else:
            if dur < profile.min_duration - _EPS:
                add(cue, "min_duration", f"shown {dur:.3f} s, minimum {profile.min_duration:.3f} s",
                    round(dur, 3), round(profile.min_duration, 3))
            if dur > profile.max_duration + _EPS:
                add(cue, "max_duration", f"shown {dur:.3f} s, maximum {profile.max_duration:.3f} s",
                    round(dur, 3), round(profile.max_duration, 3))
            chars = _count_chars(cue)
            cps = chars / dur
            if cps > profile.max_cps + _EPS:
                add(cue, "cps", f"{chars} characters in {dur:.3f} s is {cps:.1f} characters/s, limit "
                    f"{profile.max_cps:g}", round(cps, 2), profile.max_cps)
            elif cps > profile.target_cps + _EPS:
                add(cue, "cps", f"{cps:.1f} characters/s is above the {profile.target_cps:g} target",
                    round(cps, 2), profile.target_cps, "warning")
            if profile.max_wpm:
                words = len(" ".join(cue.lines).split())
                wpm = words * 60 / dur
                if wpm > profile.max_wpm + _EPS:
                    add(cue, "cps", f"{wpm:.0f} words/min, limit {profile.max_wpm:g}", round(wpm, 1),
                        profile.max_wpm)

        if s < 0 or (last_frame is not None and e > last_frame):
            add(cue, "bounds", f"{cue.start:.3f}-{cue.end:.3f} s is outside the video (0-{duration} s)",
                round(cue.end if s >= 0 else cue.start, 3), duration if s >= 0 else 0.0)

        if prev is not None:
            ps, pe = fr(prev.start), fr(prev.end)
            if s < ps:
                add(cue, "order", f"starts ({cue.start:.3f} s) before the previous cue ({prev.start:.3f} s)",
                    round(cue.start, 3), round(prev.start, 3))
            g = s - pe
            if g < 0:
                add(cue, "gap", f"overlaps the previous cue by {-g} frames", g, min_gap)
            elif g < min_gap:
                add(cue, "gap", f"{g} frames after the previous cue, minimum {min_gap}", g, min_gap)
            elif g <= profile.close_gap_frames and g != min_gap and not any(pe <= c <= s for c in cut_frames):
                add(cue, "gap", f"gap of {g} frames should be closed to {min_gap}", g, min_gap, "warning")

        for c in cut_frames:
            if s < c < e:
                add(cue, "crosses_cut", f"crosses the shot change at {c / fps:.3f} s", round(c / fps, 3),
                    "no cut inside a cue")
        cut_set = set(cut_frames)
        in_on_cut = s in cut_set
        # an out time on a cut, or min_gap frames before one (Netflix), counts as snapped
        out_on_cut = e in cut_set or (e + min_gap) in cut_set
        for c in cut_frames:
            if s < c < e:
                continue
            d_in = s - c
            if not in_on_cut and abs(d_in) <= snap:
                add(cue, "near_cut", f"starts {abs(d_in)} frames {'after' if d_in > 0 else 'before'} the shot "
                    f"change at {c / fps:.3f} s: snap it to the cut", abs(d_in), snap, "warning")
            d_out = e - c
            if not out_on_cut and abs(d_out) <= snap:
                add(cue, "near_cut", f"ends {abs(d_out)} frames {'after' if d_out > 0 else 'before'} the shot "
                    f"change at {c / fps:.3f} s: snap it to the cut", abs(d_out), snap, "warning")
        prev = cue
    return LintReport(profile=profile.name, cues=len(cues), findings=found)


def lint_file(path: Path, *, profile: StyleProfile, fps: float = 25.0) -> LintReport:
    """Read an SRT/VTT/ASS/TTML file and lint it; raises SubtitleParseError on a bad file."""
    from .formats import read_subtitles

    return lint_cues(read_subtitles(Path(path)), profile=profile, fps=fps)
