"""One frame with every graphic on it, for signing off a template without a full build.

    render_still(story, at=75.0, out=Path("frame.png"))              # the master's frame
    render_still(story, at=75.0, out=Path("frame.png"), aspect="9x16")  # a social version's

It runs what places the graphics (ingest, the analysis, the speech, the plan, the subtitle scripts) and
draws the frame at `at` seconds with libass, exactly as the render would: the captions on the soundbite
where they are said, the name super, the credit. No video is encoded. `videonews still` is its CLI.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from videonews.errors import InputError
from videonews.models import RenderPlan
from videonews.settings import Settings


def render_still(story_path: Path, *, at: float, out: Path, settings: Settings | None = None,
                 aspect: str | None = None, graphics: str | Path | None = None) -> Path:
    """Write `out` (.png): the frame at `at` seconds with all graphics; returns its path. `graphics` (a
    template name or file) wins over the story's own, to try a house style on it."""
    from videonews.ffmpeg.render import source_chain
    from videonews.ffmpeg.still import draw_still
    from videonews.stages import social
    from videonews.stages.analyze import hear, look
    from videonews.stages.ingest import ingest
    from videonews.stages.plan import plan
    from videonews.stages.speech import listen
    from videonews.stages.subtitles import write_subtitles
    from videonews.stages.workspace import Workspace

    settings = settings or Settings()
    out = Path(out)
    if out.suffix.lower() != ".png":
        raise InputError("the still is written as PNG", path=out, remedy="give --out a name ending in .png")
    if aspect:
        settings = settings.model_copy(update={"social": aspect})
    ing = ingest(story_path, settings)
    if graphics:
        import dataclasses

        from videonews.graphics import load_template

        ing = dataclasses.replace(ing, graphics=load_template(graphics, fonts_dir=settings.fonts_dir))
    duration = float(ing.info.duration or 0.0)
    if not 0 <= at < max(duration, 0.001):
        raise InputError(f"--at {at:g} s is outside the video (0 to {duration:.2f} s)", path=ing.story.video,
                         remedy="give a time inside the video")
    with tempfile.TemporaryDirectory(prefix="videonews-still-") as tmp:
        ws = Workspace(Path(tmp)).create()
        pcm = ws.scratch / "speech-16k.pcm"
        analysis = hear(ing, settings, pcm=pcm)
        aspects = social.social_aspects(ing, settings) if aspect else []
        look_dir = ws.scratch / "look" if aspects else None
        analysis = look(ing, settings, analysis, frames_dir=look_dir)
        socials = social.plan_for(ing, analysis, aspects, look_dir)
        story_plan = plan(ing, analysis, listen(ing, analysis, pcm), settings, social=socials)
        subs = write_subtitles(ing, story_plan, analysis.duration, ws)
        out.parent.mkdir(parents=True, exist_ok=True)
        rp = story_plan.render
        if socials:
            sr = socials[0]
            _, left, top = [w for w in sr.windows if w[0] <= at][-1]
            logo = _logo(rp, sr.width, sr.height, social.SOCIAL_SAFE[sr.aspect])
            return draw_still(ing.exe, ws.scratch / sr.ass_name, ws.fonts, out, at=at, video=ing.story.video,
                              crop=f"{sr.crop_width}:{sr.crop_height}:{left}:{top}", scale=(sr.width, sr.height),
                              logo=logo, prep=source_chain(rp))
        return draw_still(ing.exe, subs.ass, ws.fonts, out, at=at, video=ing.story.video, prep=source_chain(rp),
                          logo=_logo(rp, rp.width, rp.height, (0.05, 0.05, 0.05, 0.05)))


def _logo(rp: RenderPlan, width: int, height: int, safe: tuple[float, float, float, float]
          ) -> tuple[Path, int, int, int] | None:
    from videonews.ffmpeg.render import logo_place

    if not rp.logo:
        return None
    lw, x, y = logo_place(rp, width, height, safe)
    return Path(rp.logo), lw, x, y
