"""Plain data shared by the stages: article facts, quotes, speech, cues, style profiles.

Everything here is pydantic v2 and free of I/O, so the plan can be tested as data.
"""

from __future__ import annotations

from datetime import date as Date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PhotoCaption(_Model):
    """A photo caption found in the article, with the credit split out."""

    caption: str
    agency: str | None = None
    photographer: str | None = None
    credit_text: str | None = None  # as printed, e.g. "Xinhua/Li Xin"


class Quote(_Model):
    """A direct quote with its attribution.

    `span` is the character range of the quoted text (inside the marks) in
    `Article.text`. `partial` marks a quoted fragment inside indirect speech.
    `needs_review` is set when the attribution is uncertain (exactly when `confidence`
    is below the article ingest's review threshold, `videonews.article.quotes.REVIEW_BELOW`):
    QA decides, and `reason` says why. `speaker_title` is the best title stated for the
    speaker anywhere in the article, `speaker_title_source` where ("paragraph 3", "photo
    caption"). `quoted_by`: the speaker who quoted these words of `speaker` ("Chen quoted
    Mencius, who once said ...").
    """

    id: str
    text: str
    speaker: str | None = None
    speaker_title: str | None = None
    speaker_title_source: str | None = None
    quoted_by: str | None = None
    partial: bool = False
    span: tuple[int, int] = (0, 0)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    needs_review: bool = False
    paragraph: int = 0
    reason: str | None = None  # why confidence is low, for QA


class Article(_Model):
    """What ingest learned from an article file."""

    headline: str | None = None
    date: Date | None = None
    source: str | None = None
    source_url: str | None = None
    editor: str | None = None
    byline: str | None = None
    language: str | None = None
    encoding: str = "utf-8"
    text: str = ""  # normalised full text that quote spans refer to
    paragraphs: list[str] = Field(default_factory=list)  # body paragraphs, boilerplate removed
    photos: list[PhotoCaption] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def direct_quotes(self) -> list[Quote]:
        return [q for q in self.quotes if not q.partial]


class Segment(_Model):
    """A stretch of time in seconds, e.g. where speech is heard."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


class StyleProfile(_Model):
    """Subtitle style rules as data (Netflix English by default). The bounds keep a story.toml [style]
    override to values the planner can work with (`max_chars_per_line = 0` would build one character a line)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str = "netflix"
    max_chars_per_line: int = Field(default=42, ge=10, le=200)
    max_lines: int = Field(default=2, ge=1, le=6)
    min_duration: float = Field(default=5 / 6, gt=0, le=30)
    max_duration: float = Field(default=7.0, gt=0, le=60)
    max_cps: float = Field(default=20.0, gt=0, le=100)
    target_cps: float = Field(default=17.0, gt=0, le=100)
    max_wpm: float | None = Field(default=None, gt=0, le=1000)
    min_gap_frames: int = Field(default=2, ge=0, le=250)
    close_gap_frames: int = Field(default=12, ge=0, le=250)
    shot_snap_frames: int = Field(default=12, ge=0, le=250)

    @model_validator(mode="after")
    def _consistent(self) -> StyleProfile:
        if self.min_duration > self.max_duration:
            raise ValueError(f"min_duration ({self.min_duration:g}) must not exceed max_duration ({self.max_duration:g})")
        if self.target_cps > self.max_cps:
            raise ValueError(f"target_cps ({self.target_cps:g}) must not exceed max_cps ({self.max_cps:g})")
        return self


PROFILES: dict[str, StyleProfile] = {
    "netflix": StyleProfile(),
    "bbc": StyleProfile(
        name="bbc", max_chars_per_line=37, max_cps=180 / 60 * 5.5, target_cps=160 / 60 * 5.5, max_wpm=180.0
    ),
}


class Cue(_Model):
    """One subtitle cue. `lines` are already broken; times in seconds."""

    index: int
    start: float
    end: float
    lines: list[str]
    speaker: str | None = None
    speaker_title: str | None = None
    quote_id: str | None = None
    new_speaker: bool = False  # first cue after a change of speaker
    first_for_speaker: bool = False  # this speaker's first cue in the story: show a name super

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class LintFinding(_Model):
    cue: int
    rule: str
    message: str
    value: float | int | str | None = None
    limit: float | int | str | None = None
    severity: Literal["error", "warning"] = "error"
    formats: list[str] | None = Field(default=None, description="the shipped subtitle files that have it, when "
                                      "not all do (e.g. ['srt']: its speaker-change dash)")


class LintReport(_Model):
    profile: str
    cues: int
    findings: list[LintFinding] = Field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def ok(self) -> bool:
        return self.errors == 0


class TimedWord(_Model):
    """A word of a quote where it is heard, seconds (lower case, numbers spelled out)."""

    text: str
    start: float
    end: float


PlacementSource = Literal["explicit", "edit", "aligned", "voice_turn", "speech", "reading_speed", "none"]


class Placement(_Model):
    """Where one quote's captions go, and why: the output of the placement rules.

    source: `explicit` (story.toml timings), `aligned` (its words were found in the audio),
    `voice_turn` (not found by its words: put on a soundbite of another voice than the reporter's),
    `speech` (no voices known: a share of all speech, in article order), `reading_speed` (no
    audio: laid out from the start at reading speed), `none` (not in the video: no captions).
    `limit`: the captions never leave it (another voice speaks outside); None: the whole video.
    `confidence`: how sure videonews is that the captions sit on the quoted words (see README).
    """

    quote_id: str
    source: PlacementSource
    in_video: bool = True
    start: float | None = None  # the window, seconds
    end: float | None = None
    speech: list[tuple[float, float]] = Field(default_factory=list)  # where words are heard in it
    limit: tuple[float, float] | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    needs_review: bool = False
    reason: str | None = None
    voice: int | None = None  # the speech analysis' voice id
    turn: int | None = None  # index of the voice turn it was put on (voice_turn)
    words: list[TimedWord] = Field(default_factory=list)  # aligned: each word where it is said


class Super(_Model):
    """A name super (lower third): the speaker's name and title over their first soundbite."""

    speaker: str
    title: str | None = None
    start: float
    end: float
    quote_id: str


TimingSource = Literal["explicit", "edit", "aligned", "voice_turn", "speech", "reading_speed", "mixed"]


class CuePlan(_Model):
    """Cues planned for a story plus what the planner could not do cleanly."""

    cues: list[Cue] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    timing_source: TimingSource = "speech"  # every captioned quote's source, or "mixed"
    placements: list[Placement] = Field(default_factory=list)  # one per direct quote, article order
    supers: list[Super] = Field(default_factory=list)


class LoudnessPoint(_Model):
    t: float
    momentary: float | None  # LUFS, None when silent
    short_term: float | None


class Loudness(_Model):
    integrated: float | None = None  # LUFS
    true_peak: float | None = None  # dBTP
    lra: float | None = None  # LU
    threshold: float | None = None  # LUFS
    series: list[LoudnessPoint] = Field(default_factory=list)


class Analysis(_Model):
    """What the analysis pass learned about the video (the analyze stage's output)."""

    duration: float
    speech: list[Segment] | None = None  # None: no audio track
    silences: list[Segment] = Field(default_factory=list)
    shots: list[float] = Field(default_factory=list)  # times of cuts, seconds
    loudness: Loudness | None = None
    one_sided: int | None = None  # stereo with one silent side: the live channel (0 left, 1 right)
    warnings: list[str] = Field(default_factory=list)


SOCIAL_ASPECTS: dict[str, tuple[int, int]] = {"9x16": (1080, 1920), "1x1": (1080, 1080)}


class SocialRender(_Model):
    """A social version, as data: its size, and where the crop window sits in the source, shot by shot
    (constant within a shot: it never drifts or jitters; it moves only at a cut)."""

    aspect: str  # "9x16" or "1x1"
    width: int  # output pixels
    height: int
    crop_width: int  # source pixels
    crop_height: int
    # (from this time, left, top) in source pixels, in time order; the first starts at 0
    windows: list[tuple[float, int, int]]
    ass_name: str  # its own ASS script (re-laid out for the frame), in the work folder's scratch
    output: str  # file name in the package

    def x_expr(self) -> str:
        return _piecewise([(t, x) for t, x, _ in self.windows])

    def y_expr(self) -> str:
        return _piecewise([(t, y) for t, _, y in self.windows])


def _piecewise(steps: list[tuple[float, int]]) -> str:
    """An ffmpeg expression of t that holds each value from its time on: if(lt(t,t1),v0,if(lt(t,t2),v1,v2))."""
    if not steps:
        return "0"
    expr = str(steps[-1][1])
    for (_, value), (t_next, _) in zip(reversed(steps[:-1]), reversed(steps[1:]), strict=True):
        expr = f"if(lt(t,{t_next:.3f}),{value},{expr})"
    return expr


class RenderPlan(_Model):
    """Everything the render pass needs to know, as data (the plan stage's output for ffmpeg)."""

    width: int
    height: int
    crop: tuple[int, int] | None = None  # crop odd sources to even (w, h)
    deinterlace: bool = False  # interlaced source: one progressive frame per frame (bwdif)
    rescale: bool = False  # non-square pixels: scaled to width x height, square (16:9 PAL SD 720x576 -> 1024x576)
    tonemap: str | None = None  # HDR source's transfer (smpte2084, arib-std-b67): tone-mapped to SDR BT.709
    mono_from: int | None = None  # stereo with one silent side: this channel (0, 1) goes to both sides
    fps: float
    duration: float
    has_audio: bool
    encoder: str = "libx264"
    x264_preset: str = "veryfast"
    crf: int = 21
    audio_bitrate: str = "128k"
    preview_width: int = 640
    preview_height: int = 360
    preview_crf: int = 32  # with CABAC and B-frames (ffmpeg/render.py): the preview's bitrate stays below the master's
    candidate_start: float = 0.5
    candidate_step: float = 1.0
    candidate_width: int = 1920
    threads: int = 0
    scene_threshold: float = 8.0
    safe_frame_time: float | None = None  # where to grab the captioned frame for the QA page
    loudnorm: dict[str, float] | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    social: list[SocialRender] = Field(default_factory=list)  # captioned social versions from this decode
    logo: str | None = None  # the template's logo (a PNG), overlaid on every video output
    logo_width: float = 0.12  # of each output's width
    logo_corner: str = "top-left"

    def candidate_times(self, count: int) -> list[float]:
        return [round(self.candidate_start + i * self.candidate_step, 3) for i in range(count)]
