"""Reviewers' edits as data: who changed what, when, kept in `edits.json` next to the manifest.

An edit never touches the package's files by itself: `add_edit` checks it against the manifest, appends it
to `edits.json` (listed in the manifest's `edits`, with its sha256), resets the QA status to pending with one
history entry per edit, and re-renders the review page. `videonews review apply` (`rerender.apply_edits`)
then re-renders what the edits touch; any later build of the story carries the file across and applies it
(the package folder is replaced by a build, so the file is read from the old package and written into the
new one under the story's build lock).

Where each edit acts (`EditPlan`, built from the whole log, the latest edit of a kind winning):
- quote timing / voice turn -> an explicit placement for the planner, `timing.source: "edit"` (wins over
  story.toml's [timings]);
- quote not in the video -> the quote gets no captions (`timing.source: "none"`);
- speaker / title -> the quote model (captions' voice spans, name supers, manifest), the article's value
  kept beside it in the manifest (`article_speaker`, `article_speaker_title`);
- cue boundary -> the planned cue's start or end, inside its neighbours;
- poster time -> the thumbnails stage's pinned poster;
- note -> shown on the review page at its timecode; changes no file.
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import ValidationError

from videonews.errors import ReviewError, first_invalid
from videonews.fsutil import locked
from videonews.manifest import (
    MANIFEST_NAME,
    Manifest,
    QAEvent,
    read_manifest,
    write_manifest,
)
from videonews.review.editlog import (  # noqa: F401 - the edits API, re-exported
    EDIT_ADAPTER,
    EDITS_NAME,
    EDITS_VERSION,
    IMAGE_KINDS,
    MARKUP,
    MAX_NAME,
    MAX_NOTE,
    CueEdit,
    Edit,
    EditLog,
    EditPlan,
    NoteEdit,
    PosterEdit,
    QuoteNotInVideoEdit,
    QuoteSpeakerEdit,
    QuoteTimingEdit,
    describe,
    edits_path,
    load_edits,
    now,
    pending,
    write_edits,
)

# ---------------------------------------------------------------- checking an edit against the package


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def video_duration(manifest: Manifest) -> float:
    for a in manifest.assets:
        if a.role == "captioned_video" and a.duration:
            return float(a.duration)
    if manifest.analysis and manifest.analysis.voices and manifest.analysis.voices.turns:
        return max(t.end for t in manifest.analysis.voices.turns)
    return math.inf


def _time(value: float, what: str, duration: float, package: Path) -> float:
    if not math.isfinite(value) or value < 0 or value > duration:
        raise ReviewError(f"{what} {value:g} s is outside the video (0-{duration:g} s)", path=package,
                          remedy="give a time inside the video")
    return round(float(value), 3)


def _quote(manifest: Manifest, qid: str, package: Path) -> None:
    direct = [q.id for q in manifest.quotes if not q.partial]
    if qid not in direct:
        raise ReviewError(f"no direct quote {qid!r} in this package", path=package,
                          remedy=f"use one of: {', '.join(direct) or '(none)'}")


def _name(text: str, what: str, package: Path) -> str:
    if MARKUP.search(text):
        raise ReviewError(f"the {what} {text!r} holds markup or a line break", path=package,
                          remedy="give plain text: no < > { } [ ] \\ & or line breaks")
    text = _clean(text)
    if not text:
        raise ReviewError(f"the {what} is empty", path=package)
    if len(text) > MAX_NAME:
        raise ReviewError(f"the {what} is longer than {MAX_NAME} characters", path=package)
    return text


def check_edit(edit: Edit, manifest: Manifest, package: Path) -> Edit:
    """The edit as it will be recorded (times rounded, text cleaned), or ReviewError naming what is wrong."""
    duration = video_duration(manifest)
    if isinstance(edit, QuoteTimingEdit):
        _quote(manifest, edit.quote, package)
        if edit.turn is not None:
            edit = _on_turn(edit, manifest, package)
        start, end = _time(edit.start, "start", duration, package), _time(edit.end, "end", duration, package)
        if end <= start:
            raise ReviewError(f"quote {edit.quote}: start {start:g} s is not before end {end:g} s", path=package,
                              remedy="give --start before --end")
        return edit.model_copy(update={"start": start, "end": end})
    if isinstance(edit, QuoteNotInVideoEdit):
        _quote(manifest, edit.quote, package)
        return edit
    if isinstance(edit, QuoteSpeakerEdit):
        _quote(manifest, edit.quote, package)
        q = next(q for q in manifest.quotes if q.id == edit.quote)
        title = _name(edit.title, "title", package) if edit.title else None
        return edit.model_copy(update={
            "speaker": _name(edit.speaker, "speaker name", package), "title": title,
            # the article's own values, kept the first time a reviewer changes them
            "article_speaker": q.article_speaker if q.article_speaker is not None else q.speaker,
            "article_title": q.article_speaker_title if q.article_speaker is not None else q.speaker_title})
    if isinstance(edit, CueEdit):
        count = manifest.subtitles.lint.cues if manifest.subtitles else 0
        if edit.cue > count:
            raise ReviewError(f"no cue {edit.cue} in this package ({count} cues)", path=package,
                              remedy="give a cue number from the subtitle table")
        return edit.model_copy(update={"time": _time(edit.time, f"cue {edit.cue} {edit.edge}", duration, package)})
    if isinstance(edit, PosterEdit):
        return edit.model_copy(update={"time": _time(edit.time, "poster time", duration, package)})
    text = _clean(edit.text)
    if not text:
        raise ReviewError("the note is empty", path=package, remedy="pass --note TEXT")
    if len(text) > MAX_NOTE:
        raise ReviewError(f"the note is longer than {MAX_NOTE} characters", path=package)
    return edit.model_copy(update={"text": text, "time": _time(edit.time, "note time", duration, package)})


def _on_turn(edit: QuoteTimingEdit, manifest: Manifest, package: Path) -> QuoteTimingEdit:
    """A quote put on a voice turn: the turn's times (turns are numbered from 0, as on the review page)."""
    voices = manifest.analysis.voices if manifest.analysis else None
    turns = voices.turns if voices else []
    if edit.turn is None or not 0 <= edit.turn < len(turns):
        raise ReviewError(f"no voice turn {edit.turn} in this package ({len(turns)} turns)", path=package,
                          remedy="give a turn number from the review page's timeline")
    turn = turns[edit.turn]
    if turn.reporter:
        raise ReviewError(f"voice turn {edit.turn} is the reporter's voice-over", path=package,
                          remedy="put a quote on a soundbite, never over the reporter")
    return edit.model_copy(update={"start": turn.start, "end": turn.end})


def edit_from_options(package: Path, *, by: str, quote: str | None = None, start: float | None = None,
                      end: float | None = None, turn: int | None = None, not_in_video: bool = False, speaker: str | None = None,
                      title: str | None = None, cue: int | None = None, cue_start: float | None = None,
                      cue_end: float | None = None, poster_time: float | None = None, note_at: float | None = None,
                      note: str | None = None) -> Edit:
    """The one edit the CLI's options describe (ReviewError when they describe none, several or half of one)."""
    forms: list[dict[str, object]] = []
    if quote is not None and (start is not None or end is not None):
        if start is None or end is None:
            raise ReviewError("a quote's timing needs both --start and --end", path=package)
        forms.append({"kind": "quote_timing", "quote": quote, "start": start, "end": end})
    if quote is not None and turn is not None:
        forms.append({"kind": "quote_timing", "quote": quote, "turn": turn, "start": 0.0, "end": 0.0})
    if quote is not None and not_in_video:
        forms.append({"kind": "quote_not_in_video", "quote": quote})
    if quote is not None and speaker is not None:
        forms.append({"kind": "quote_speaker", "quote": quote, "speaker": speaker, "title": title})
    if cue is not None and (cue_start is not None) != (cue_end is not None):
        forms.append({"kind": "cue_boundary", "cue": cue, "edge": "start" if cue_start is not None else "end",
                      "time": cue_start if cue_start is not None else cue_end})
    if poster_time is not None:
        forms.append({"kind": "poster_time", "time": poster_time})
    if note_at is not None or note is not None:
        if note_at is None or note is None:
            raise ReviewError("a note needs both --note-at and --note", path=package)
        forms.append({"kind": "note", "time": note_at, "text": note})
    if title is not None and speaker is None:
        raise ReviewError("--title goes with --quote ID --speaker NAME", path=package)
    if len(forms) != 1:
        raise ReviewError("give exactly one edit" if forms else "no edit given", path=package,
                          remedy="one of: --quote ID --start S --end S; --quote ID --turn N; --quote ID --not-in-video; --quote ID "
                                 "--speaker NAME [--title T]; --cue N --cue-start S|--cue-end S; --poster-time S; "
                                 "--note-at S --note TEXT")
    return parse_edit({**forms[0], "by": by, "at": ""}, package)


def parse_edit(data: dict[str, object], package: Path) -> Edit:
    """An edit from plain data (CLI options, the review app's form), or ReviewError saying what is wrong."""
    try:
        return EDIT_ADAPTER.validate_python(data)
    except ValidationError as exc:
        where, msg, value = first_invalid(exc, skip=1)
        where = where or "edit"
        if isinstance(value, float) and (value < 0 or not math.isfinite(value)):
            raise ReviewError(f"{where} {value:g} s is outside the video", path=package,
                              remedy="give a time inside the video") from None
        raise ReviewError(f"bad {where}: {msg}", path=package) from None


def build_lock(package: Path) -> Path:
    """The lock a build of this story holds (pipeline.build_story): edits wait for a running build."""
    package = Path(package)
    return package.parent / f".{package.name}.lock"


def add_edit(package: Path, edit: Edit, *, render: bool = True) -> Manifest:
    """Record one edit: check it, append it to edits.json, reset the QA status to pending with a history
    entry, re-render the review page. Two reviewers' edits are serialised (the package's lock, then the
    story's build lock: an edit waits for a re-render in progress and lands in the package it leaves)."""
    package = Path(package)
    if package.name == MANIFEST_NAME:
        package = package.parent
    by = _clean(edit.by or "")
    if not by:
        raise ReviewError("the reviewer's name is empty", path=package, remedy="pass --by NAME")
    if len(by) > MAX_NAME:
        raise ReviewError(f"the reviewer's name is longer than {MAX_NAME} characters", path=package)
    if not (package / MANIFEST_NAME).is_file():
        raise ReviewError("no manifest.json here", path=package, remedy="give the package folder of a built story")
    with locked(package), locked(build_lock(package)):
        manifest = read_manifest(package / MANIFEST_NAME)
        edit = check_edit(edit.model_copy(update={"by": by, "at": now()}), manifest, package)
        log = load_edits(package) or EditLog(story=manifest.story.id)
        log.edits.append(edit)
        applied = manifest.edits.applied if manifest.edits else 0
        info = write_edits(log, package)
        manifest.edits = info.model_copy(update={"applied": applied})
        manifest.qa.history.append(QAEvent(status="pending", by=by, at=edit.at, note=describe(edit),
                                           content_sha256=manifest.content_digest()))
        manifest.qa.status = "pending"
        write_manifest(manifest, package)
        if render:
            _rerender_page(manifest, package)
    return manifest


def _rerender_page(manifest: Manifest, package: Path) -> None:
    import logging

    try:
        from videonews.review.page import write_review_page

        write_review_page(manifest, package)
    except Exception as exc:  # the edit stands; the page is a view of it
        logging.getLogger(__name__).warning("%s: edit recorded, but the review page could not be re-rendered: %s",
                                            package, exc)


__all__ = ["EDITS_NAME", "CueEdit", "Edit", "EditLog", "EditPlan", "NoteEdit", "PosterEdit", "QuoteNotInVideoEdit",
           "QuoteSpeakerEdit", "QuoteTimingEdit", "add_edit", "load_edits", "pending", "write_edits"]
