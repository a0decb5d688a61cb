"""Reviewers' edits as data: the models of `edits.json` (who changed what, when), reading and writing it,
and what the edits mean for a build (`EditPlan`). Recording an edit (checked against the package, with its QA
history entry) is `review/edits.py`; this module imports nothing of the review page, which shows the edits."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from videonews.errors import ReviewError, first_invalid
from videonews.fsutil import atomic_write
from videonews.manifest import (
    EditsInfo,
    Manifest,
    sha256_file,
)

EDITS_NAME = "edits.json"
EDITS_VERSION = 1
MAX_NAME = 200
MAX_NOTE = 4000
MARKUP = re.compile(r"[<>{}\\\[\]&]|\n|\r|\t")  # HTML, ASS override tags, WebVTT spans, SRT/ASS line breaks
# what changes only images: the rest re-plans and re-encodes the videos
IMAGE_KINDS = frozenset({"poster_time", "note"})


class _Edit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    by: str
    at: str


class QuoteTimingEdit(_Edit):
    kind: Literal["quote_timing"] = "quote_timing"
    quote: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)
    turn: int | None = Field(default=None, description="the voice turn it was put on, when picked by turn")


class QuoteNotInVideoEdit(_Edit):
    kind: Literal["quote_not_in_video"] = "quote_not_in_video"
    quote: str


class QuoteSpeakerEdit(_Edit):
    kind: Literal["quote_speaker"] = "quote_speaker"
    quote: str
    speaker: str
    title: str | None = None
    article_speaker: str | None = None
    article_title: str | None = None


class CueEdit(_Edit):
    kind: Literal["cue_boundary"] = "cue_boundary"
    cue: int = Field(ge=1, description="cue number, as in the SRT")
    edge: Literal["start", "end"]
    time: float = Field(ge=0)


class PosterEdit(_Edit):
    kind: Literal["poster_time"] = "poster_time"
    time: float = Field(ge=0)


class NoteEdit(_Edit):
    kind: Literal["note"] = "note"
    time: float = Field(ge=0)
    text: str


Edit = Annotated[QuoteTimingEdit | QuoteNotInVideoEdit | QuoteSpeakerEdit | CueEdit | PosterEdit | NoteEdit,
                 Field(discriminator="kind")]
EDIT_ADAPTER: TypeAdapter[Edit] = TypeAdapter(Edit)


class EditLog(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = EDITS_VERSION
    story: str
    edits: list[Edit] = Field(default_factory=list)


@dataclass
class EditPlan:
    """What the edits of a log mean for a build (the latest edit of each kind and target wins)."""

    timings: dict[str, tuple[float, float]] = field(default_factory=dict)
    timing_by: dict[str, str] = field(default_factory=dict)
    not_in_video: dict[str, str] = field(default_factory=dict)  # quote -> who
    speakers: dict[str, QuoteSpeakerEdit] = field(default_factory=dict)
    cues: dict[tuple[int, str], float] = field(default_factory=dict)
    poster_time: float | None = None
    notes: list[NoteEdit] = field(default_factory=list)
    count: int = 0

    @classmethod
    def of(cls, log: EditLog | None) -> EditPlan:
        plan = cls()
        for e in log.edits if log else []:
            plan.count += 1
            if isinstance(e, QuoteTimingEdit):
                plan.timings[e.quote] = (e.start, e.end)
                plan.timing_by[e.quote] = e.by
                plan.not_in_video.pop(e.quote, None)
            elif isinstance(e, QuoteNotInVideoEdit):
                plan.not_in_video[e.quote] = e.by
                plan.timings.pop(e.quote, None)
            elif isinstance(e, QuoteSpeakerEdit):
                plan.speakers[e.quote] = e
            elif isinstance(e, CueEdit):
                plan.cues[(e.cue, e.edge)] = e.time
            elif isinstance(e, PosterEdit):
                plan.poster_time = e.time
            else:
                plan.notes.append(e)
        return plan


def edits_path(package: Path) -> Path:
    return Path(package) / EDITS_NAME


def load_edits(package: Path) -> EditLog | None:
    """The package's edits, or None when it has none. A damaged file is refused, never ignored."""
    path = edits_path(package)
    if path.is_symlink():
        raise ReviewError("the edits file is a symbolic link", path=path, remedy="remove the link")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return EditLog.model_validate_json(text)
    except ValidationError as exc:
        loc, msg, _ = first_invalid(exc)
        raise ReviewError(f"the edits file does not match its format at {loc}: {msg}", path=path, remedy="restore it from the previous package or remove it") from exc


def write_edits(log: EditLog, folder: Path) -> EditsInfo:
    path = edits_path(folder)
    atomic_write(path, log.model_dump_json(indent=2) + "\n")
    return EditsInfo(path=EDITS_NAME, sha256=sha256_file(path), count=len(log.edits), applied=len(log.edits))


def pending(manifest: Manifest, log: EditLog | None) -> list[Edit]:
    """The edits the package's files do not reflect yet."""
    if log is None:
        return []
    applied = manifest.edits.applied if manifest.edits else 0
    return list(log.edits[applied:])


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def describe(edit: Edit) -> str:
    """One line for the QA history."""
    if isinstance(edit, QuoteTimingEdit):
        on = f" (voice turn {edit.turn})" if edit.turn is not None else ""
        return f"edit: quote {edit.quote} timed {edit.start:g}-{edit.end:g} s{on}"
    if isinstance(edit, QuoteNotInVideoEdit):
        return f"edit: quote {edit.quote} marked not in the video"
    if isinstance(edit, QuoteSpeakerEdit):
        title = f", {edit.title}" if edit.title else ""
        return f"edit: quote {edit.quote} speaker {edit.speaker}{title} (article: {edit.article_speaker or '-'})"
    if isinstance(edit, CueEdit):
        return f"edit: cue {edit.cue} {edit.edge} at {edit.time:g} s"
    if isinstance(edit, PosterEdit):
        return f"edit: poster frame at {edit.time:g} s"
    return f"note at {edit.time:g} s: {edit.text}"
