"""The review app's editing side, kept apart from the HTTP plumbing in server.py: the edit panel put into a
served page, edits from its forms, re-renders on worker threads with their progress, and the order a
reviewer walks a day's batch in (next/previous, next pending)."""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from videonews.errors import ReviewError, VideonewsError
from videonews.manifest import Manifest
from videonews.review.edits import Edit, load_edits, parse_edit, pending, video_duration
from videonews.review.page import REVIEW_DIR, PackageEntry, env
from videonews.settings import Settings

log = logging.getLogger(__name__)

_FLOATS = ("start", "end", "time")
_INTS = ("cue", "turn")
_TEXTS = ("quote", "speaker", "title", "edge", "text")


@dataclass(frozen=True)
class Job:
    state: str = "idle"  # idle, running, done, failed
    stage: str = ""
    message: str = ""

    def as_json(self) -> dict[str, str]:
        return {"state": self.state, "stage": self.stage, "message": self.message}


class Rerenders:
    """One re-render at a time per package, each on its own thread; its state for the page to poll."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings
        self._jobs: dict[Path, Job] = {}
        self._threads: dict[Path, threading.Thread] = {}
        self._lock = threading.Lock()

    def state(self, package: Path) -> Job:
        with self._lock:
            return self._jobs.get(package, Job())

    def _set(self, package: Path, **changes: str) -> None:
        with self._lock:
            self._jobs[package] = replace(self._jobs.get(package, Job()), **changes)

    def start(self, package: Path) -> Job:
        with self._lock:
            job = self._jobs.get(package, Job())
            if job.state == "running":
                return job
            self._jobs[package] = Job(state="running", stage="starting")
            t = threading.Thread(target=self._run, args=(package,), name=f"videonews-rerender-{package.name}",
                                 daemon=True)
            self._threads[package] = t
        t.start()
        return self.state(package)

    def wait(self, package: Path, timeout: float | None = None) -> Job:
        t = self._threads.get(package)
        if t is not None:
            t.join(timeout)
        return self.state(package)

    def _run(self, package: Path) -> None:
        from videonews.review.rerender import apply_edits
        from videonews.settings import load_settings

        def on_stage(name: str, fraction: float | None) -> None:
            pct = "" if fraction is None else f" {100 * fraction:.0f}%"
            self._set(package, stage=f"{name}{pct}")

        try:
            result = apply_edits(package, self.settings or load_settings(), on_stage=on_stage)
            self._set(package, state="done", stage="", message=f"{result.kind} re-render, {result.wall:.1f} s")
        except VideonewsError as exc:
            log.warning("%s: re-render failed: %s", package.name, exc.one_line())
            self._set(package, state="failed", stage="", message=exc.one_line())
        except Exception as exc:  # a bug: say so in the page and the log, keep serving
            log.exception("%s: re-render failed", package.name)
            self._set(package, state="failed", stage="", message=f"internal error: {exc}")


def edit_from_form(form: dict[str, str], package: Path) -> Edit:
    """An edit from the page's form fields (strings), or ReviewError naming the bad one."""
    data: dict[str, object] = {"kind": form.get("kind", ""), "by": form.get("by", ""), "at": ""}
    for key in _FLOATS:
        if form.get(key, "") != "":
            try:
                value = float(form[key])
            except ValueError:
                raise ReviewError(f"{key} {form[key]!r} is not a number of seconds", path=package) from None
            if not math.isfinite(value):
                raise ReviewError(f"{key} is not a finite time", path=package)
            data[key] = value
    for key in _INTS:
        if form.get(key, "") != "":
            try:
                data[key] = int(form[key])
            except ValueError:
                raise ReviewError(f"{key} {form[key]!r} is not a whole number", path=package) from None
    for key in _TEXTS:
        if key in form and (form[key] != "" or key == "text"):
            data[key] = form[key]
    if data["kind"] == "quote_timing" and "turn" in data:
        data.setdefault("start", 0.0)
        data.setdefault("end", 0.0)
    return parse_edit(data, package)


def page_href(e: PackageEntry) -> str:
    return "/" + e.href


def neighbours(entries: list[PackageEntry], name: str) -> tuple[str | None, str | None]:
    """The previous and next package's pages, in the order of their names (a decision must not reorder them)."""
    entries = sorted(entries, key=lambda e: e.name)
    names = [e.name for e in entries]
    if name not in names:
        return None, None
    i = names.index(name)
    prev = page_href(entries[i - 1]) if i > 0 else None
    nxt = page_href(entries[i + 1]) if i + 1 < len(entries) else None
    return prev, nxt


def next_pending(entries: list[PackageEntry], name: str) -> str | None:
    """The page of the next pending package after `name` by name (wrapping round), or None when none is left."""
    entries = sorted(entries, key=lambda e: e.name)
    names = [e.name for e in entries]
    i = names.index(name) if name in names else -1
    for e in entries[i + 1:] + entries[: max(i, 0)]:
        if e.name != name and e.status == "pending" and e.manifest is not None:
            return page_href(e)
    return None


def editor_block(folder: Path, name: str, manifest: Manifest, *, token: str, job: Job,
                 entries: list[PackageEntry]) -> str:
    from videonews.review.page import _load_saved

    saved = _load_saved(folder / REVIEW_DIR)
    cues = saved.cues if saved is not None else []
    duration = video_duration(manifest)
    if not math.isfinite(duration) or duration <= 0:
        duration = max((c.end for c in cues), default=1.0)
    prev_href, next_href = neighbours(entries, name)
    todo = len(pending(manifest, load_edits(folder)))
    voices = manifest.analysis.voices if manifest.analysis else None
    turns = [(i, t) for i, t in enumerate(voices.turns if voices else []) if not t.reporter]  # soundbites only
    return env().get_template("edit_panel.html.j2").render(
        e=PackageEntry(name=name, manifest=manifest), token=token, cues=cues, duration=duration, todo=todo, job=job,
        prev_href=prev_href, next_href=next_href, turns=turns)


def script() -> bytes:
    return (Path(__file__).parent / "templates" / "app.js").read_bytes()
