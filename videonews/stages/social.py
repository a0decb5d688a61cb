"""Social versions: captioned 9:16 (1080x1920) and 1:1 (1080x1080) videos from the master's decode.

Asked for with `--social 9x16,1x1` (the `social` setting) or `social = ["9x16", "1x1"]` in story.toml.
Nothing here runs for a package without them.

- **Crops as data, shot by shot.** The analysis keeps two small frames a second when social versions are
  asked for; in each shot the subject is found on them (the faces when there are any, else the
  salient content) and the crop window is placed once for the whole shot: it never drifts or jitters,
  holds still when nothing moves, and moves only at a cut (a move smaller than 4% of the frame is not
  made at all). `SocialRender.windows` holds it; the render's one graph crops with it
  (`videonews.ffmpeg.render`).
- **Captions re-laid out.** Each version has its own ASS script at its own size: cues broken again for
  the narrow frame (the social profile: 18 characters a line in 9:16, 26 in 1:1, two lines; a cue that
  does not fit is split in time at a phrase), larger text, the word being said lit up where word times
  exist, and everything inside the area the platforms' buttons and text leave free (9:16: not the top
  250 px, the bottom 450 px or a 120 px strip on the right).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from videonews.errors import InputError
from videonews.models import SOCIAL_ASPECTS, Analysis, Cue, SocialRender
from videonews.settings import Settings
from videonews.stages.ingest import Ingested

# margins the platforms' overlays need (left, top, right, bottom), fractions of the frame
SOCIAL_SAFE: dict[str, tuple[float, float, float, float]] = {
    "9x16": (0.06, 250 / 1920, (120 + 0.06 * 1080) / 1080, 450 / 1920),
    "1x1": (0.06, 0.08, 0.06, 0.12),
}
SOCIAL_CHARS = {"9x16": 18, "1x1": 26}  # characters a line: shorter lines, larger text
SOCIAL_LINES = 2
FRAMES_PER_SHOT = 5  # frames of a shot looked at (evenly spread): faces cost ~20 ms a frame
HOLD = 0.04  # a shot's crop closer than this (share of the source width) to the last one does not move


def social_aspects(ing: Ingested, settings: Settings) -> list[str]:
    """The social versions to make: the setting (`--social`) when given, else story.toml's `social`."""
    raw = settings.social or ",".join(ing.story.options.social or [])
    out: list[str] = []
    for item in (x.strip().lower() for x in raw.split(",")):
        if not item:
            continue
        if item not in SOCIAL_ASPECTS:
            raise InputError(f"unknown social version {item!r}", field="social",
                             remedy=f"use {', '.join(SOCIAL_ASPECTS)} (comma-separated)")
        if item not in out:
            out.append(item)
    return out


def load_look_frames(folder: Path, step: float) -> list[tuple[float, Image.Image]]:
    frames = []
    for i, path in enumerate(sorted(folder.glob("look_*.png"))):
        with Image.open(path) as im:
            frames.append((round(i * step, 3), im.convert("RGB")))
    return frames


def _subject_x(image: Image.Image) -> float:
    """Where the subject is across the frame, 0..1: the faces, else a face-shaped patch of skin tone (a
    drawn or distant face), else the salient content."""
    from videonews.images.crop import content_centre
    from videonews.images.faces import detect_faces, skin_heads, subject_box

    box = subject_box(detect_faces(image)) or subject_box(skin_heads(image)[:1])
    if box is not None:
        return (box[0] + box[2]) / 2 / image.width
    return content_centre(image)[0] / image.width


def crop_windows(frames: Sequence[tuple[float, Image.Image]], shots: Sequence[float], duration: float, *,
                 src: tuple[int, int], crop: tuple[int, int]) -> list[tuple[float, int, int]]:
    """(from time, left, top) per shot: the crop window centred on the shot's subject (the median over
    its frames), held for the whole shot, moved only at a cut and only when it moves enough."""
    (sw, sh), (cw, ch) = src, crop
    top = (sh - ch) // 2
    bounds = [0.0, *[t for t in sorted(shots) if 0 < t < duration], max(duration, 0.001)]
    windows: list[tuple[float, int, int]] = []
    last: int | None = None
    for start, end in zip(bounds, bounds[1:], strict=False):
        inside = [im for t, im in frames if start + 0.1 <= t < end - 0.1] or [im for t, im in frames
                                                                                if start <= t < end]
        inside = inside[:: max(1, len(inside) // FRAMES_PER_SHOT)][:FRAMES_PER_SHOT]
        centre = statistics.median(_subject_x(im) for im in inside) if inside else 0.5
        left = int(min(max(round(centre * sw - cw / 2), 0), sw - cw))
        left -= left % 2
        if last is not None and abs(left - last) < HOLD * sw:
            continue  # hold still: the window does not move for a small change
        windows.append((round(start, 3), left, top))
        last = left
    return windows or [(0.0, (sw - cw) // 2 // 2 * 2, top)]


def crop_size(src: tuple[int, int], aspect: tuple[int, int]) -> tuple[int, int]:
    """The largest window of the output's aspect inside the source (even sizes)."""
    sw, sh = src
    ratio = aspect[0] / aspect[1]
    if sw / sh > ratio:
        cw, ch = round(sh * ratio), sh
    else:
        cw, ch = sw, round(sw / ratio)
    return max(2, cw // 2 * 2), max(2, ch // 2 * 2)


def plan_social(aspects: Sequence[str], frames: Sequence[tuple[float, Image.Image]], shots: Sequence[float],
                duration: float, src: tuple[int, int], story_id: str) -> list[SocialRender]:
    out = []
    for aspect in aspects:
        width, height = SOCIAL_ASPECTS[aspect]
        cw, ch = crop_size(src, (width, height))
        out.append(SocialRender(aspect=aspect, width=width, height=height, crop_width=cw, crop_height=ch,
                                windows=crop_windows(frames, shots, duration, src=src, crop=(cw, ch)),
                                ass_name=f"social-{aspect}.ass", output=f"social-{aspect}.mp4"))
    return out


def social_cues(cues: Sequence[Cue], *, max_chars: int, max_lines: int = SOCIAL_LINES) -> list[Cue]:
    """The cues broken again for a narrow frame; a cue that needs more lines is split in time (by its
    characters) at the planner's best line breaks."""
    from videonews.subtitles.linebreak import break_lines

    out: list[Cue] = []
    for cue in cues:
        text = " ".join(cue.lines)
        lines = break_lines(text, max_chars=max_chars, max_lines=max_lines)
        if len(lines) <= max_lines:
            out.append(cue.model_copy(update={"lines": lines}))
            continue
        lines = break_lines(text, max_chars=max_chars, max_lines=len(lines))
        groups = [lines[i:i + max_lines] for i in range(0, len(lines), max_lines)]
        total = sum(len(" ".join(g)) for g in groups) or 1
        t = cue.start
        for k, group in enumerate(groups):
            share = len(" ".join(group)) / total
            end = cue.end if k == len(groups) - 1 else round(t + share * (cue.end - cue.start), 3)
            out.append(cue.model_copy(update={"lines": group, "start": round(t, 3), "end": end,
                                              "first_for_speaker": cue.first_for_speaker and k == 0}))
            t = end
    return [c.model_copy(update={"index": i}) for i, c in enumerate(out, start=1)]


def plan_for(ing: Ingested, analysis: Analysis, aspects: Sequence[str], frames_dir: Path | None) -> list[SocialRender]:
    """The build's entry: the social versions' plans from the analysis' frames (none when none are asked for)."""
    if not aspects or frames_dir is None:
        return []
    from videonews.ffmpeg.analysis import LOOK_FPS

    frames = load_look_frames(frames_dir, 1 / LOOK_FPS)
    w, h = ing.frame
    return plan_social(aspects, frames, analysis.shots, analysis.duration, (w, h), ing.story.id)
