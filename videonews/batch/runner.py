"""The batch coordinator: plan which stories need building, run each in its own worker process
(locally or on a Dask cluster), and keep the ledger.

Skip rule (without --force): a story is up to date -- and skipped after a quick check -- when its
package verifies (`verify_package`), the manifest's recorded inputs have the sha256 of today's
inputs, and the settings fingerprint matches (the ledger's, or the one the manifest records).
A story that failed with an input error (exit 2) is not retried while its inputs and settings are
unchanged (it would fail the same way); internal failures, timeouts and crashes are retried.
`--retry-failed` runs only the stories whose last attempt failed.

Workers: local stories run in a fresh `python -m videonews.batch.worker` subprocess each, in its
own process group, at most `workers` at a time; see `default_workers` for the default.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from videonews import __version__
from videonews.batch.ledger import BatchLock, Ledger, ledger_path
from videonews.batch.sources import StorySpec, expand_sources
from videonews.batch.worker import DEFAULT_BUILD, StoryProcess, run_remote
from videonews.errors import InputError, VideonewsError
from videonews.manifest import MANIFEST_NAME, sha256_file
from videonews.settings import Settings

EventCallback = Callable[[dict[str, Any]], None]
LOG_DIR = ".videonews-batch/logs"
# Seconds the coordinator waits for a worker's next event; between waits it starts stories, reaps
# workers and enforces timeouts, so this bounds how late a timeout or a free slot is acted on.
POLL_INTERVAL = 0.2
DASK_CONNECT_TIMEOUT = "20s"  # how long to try a Dask scheduler's address before the batch gives up
# Input files hashed at once on a cache miss: sha256 releases the GIL, so a few threads overlap
# reading and hashing; more would only compete for the disk.
HASH_THREADS = 4


def default_workers(cpu_count: int | None = None) -> int:
    """Stories built at once by default: half the cores, but 2 on a 2-3 core machine (1 on one core), at most 8.

    Measured on the 2-core development machine (benchmarks/batch_throughput.py, 4 stories of
    3 s at 320x180, median of 3): 1 worker 15.1 stories/min, 2 workers 21.2, 3 workers 19.3.
    One story keeps only ~0.7 of a core busy on average -- its ingest, analysis, thumbnails
    and packaging are mostly single-threaded Python, and only the render is multi-threaded
    ffmpeg -- so a second story fills the idle core; a third only adds contention. With
    several workers each story's ffmpeg gets cores // workers threads (`threads_per_story`),
    so renders running side by side do not oversubscribe the machine.
    """
    cpus = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    if cpus <= 1:
        return 1
    return max(2, min(8, cpus // 2))


def threads_per_story(workers: int, cpu_count: int | None = None) -> int:
    """ffmpeg threads for each story when `workers` run at once (0 = let ffmpeg decide, for one worker)."""
    if workers <= 1:
        return 0
    cpus = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return max(1, cpus // workers)


# ------------------------------------------------------------------------------------------------ results
@dataclass
class StoryOutcome:
    """What the batch did with one story. state: done, failed, skipped, queued (interrupted before it
    finished; the next run builds it) or ignored (--retry-failed and it had not failed)."""

    id: str
    path: str
    state: str
    package: str | None = None
    wall: float | None = None
    cpu: float | None = None  # CPU seconds of the worker and its ffmpeg runs
    stage_times: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    remedy: str | None = None
    exit_code: int | None = None
    error_type: str | None = None
    attempts: int = 0
    reason: str | None = None
    log: str | None = None
    worker: str | None = None
    stage: str | None = None  # for a failure: the stage it failed in

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BatchResult:
    out_dir: Path
    ledger: Path
    outcomes: list[StoryOutcome]
    wall: float
    workers: int
    backend: str
    batch_id: str
    interrupted: bool = False

    @property
    def counts(self) -> dict[str, int]:
        out = {"total": len(self.outcomes), "done": 0, "failed": 0, "skipped": 0, "queued": 0, "ignored": 0}
        for o in self.outcomes:
            out[o.state] = out.get(o.state, 0) + 1
        return out

    @property
    def failures(self) -> list[StoryOutcome]:
        return [o for o in self.outcomes if o.state == "failed"]

    @property
    def exit_code(self) -> int:
        """0: every story built or up to date; 2: a failure was an input error; 1: other failures; 130: interrupted."""
        if self.interrupted:
            return 130
        fails = self.failures
        if not fails:
            return 0
        return 2 if any(o.exit_code == 2 for o in fails) else 1

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def to_dict(self) -> dict[str, Any]:
        return {"out_dir": str(self.out_dir), "ledger": str(self.ledger), "batch": self.batch_id,
                "backend": self.backend, "workers": self.workers, "wall": round(self.wall, 3),
                "counts": self.counts, "exit_code": self.exit_code, "interrupted": self.interrupted,
                "stories": [o.to_dict() for o in self.outcomes]}


# --------------------------------------------------------------------------------------------- planning
@dataclass
class _Item:
    spec: StorySpec
    id: str
    path: Path
    story: Any = None  # videonews.story.Story
    error: VideonewsError | None = None
    inputs: list[dict[str, Any]] = field(default_factory=list)
    input_fp: str | None = None
    video_bytes: int = 0


def input_fingerprint(inputs: Iterable[dict[str, Any]]) -> str:
    """sha256 over each input's role and sha256 (file names and paths do not change the output)."""
    pairs = sorted((str(i["role"]), str(i["sha256"])) for i in inputs)
    return hashlib.sha256(json.dumps(pairs).encode()).hexdigest()


def settings_fingerprint(settings: Settings) -> str:
    """sha256 over the settings that change outputs, and the videonews version."""
    data = {"settings": settings.fingerprint_fields(), "videonews": __version__}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _slug(name: str) -> str:
    try:
        from videonews.story import _slug as story_slug

        return story_slug(name)
    except ImportError:  # pragma: no cover
        return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-._")[:128] or "story"


def _fallback_id(spec: StorySpec) -> str:
    if spec.id:
        return spec.id
    p = spec.path
    return _slug((p.parent if p.name.endswith(".toml") else p).resolve().name)


def _story_files(story: Any) -> list[tuple[str, Path]]:
    files = [("article", story.article), ("video", story.video)]
    if story.photo is not None:
        files.append(("photo", story.photo))
    toml = story.folder / "story.toml"
    if toml.is_file():
        files.append(("story", toml))
    return files


def _unreadable(item: _Item, exc: OSError) -> None:
    """Turn an input that cannot be read into the story's planning error."""
    item.error = InputError(f"cannot read an input: {exc.strerror or exc}", path=exc.filename or item.path,
                            remedy="check the file exists and is readable")
    item.story = None


def _digest(p: Path) -> str | OSError:
    try:
        return sha256_file(p)
    except OSError as exc:
        return exc


def _cached_hashes(items: list[_Item], ledger: Ledger) -> tuple[dict[Path, str], dict[Path, os.stat_result]]:
    """(hashes the ledger's cache still vouches for, files that need hashing with their stat)."""
    known: dict[Path, str] = {}
    wanted: dict[Path, os.stat_result] = {}
    for item in items:
        if item.story is None:
            continue
        try:
            for _role, p in _story_files(item.story):
                st = p.stat()
                cached = ledger.cached_hash(p, st)
                if cached:
                    known[p] = cached
                else:
                    wanted[p] = st
        except OSError as exc:
            _unreadable(item, exc)
    return known, wanted


def _fill_inputs(item: _Item, known: dict[Path, str]) -> None:
    """Set a loaded item's inputs and fingerprint from the hashes in `known`."""
    try:
        files = _story_files(item.story)
        missing = next((p for _r, p in files if p not in known), None)
        if missing is not None:
            raise OSError(13, "unreadable", str(missing))
        item.inputs = [{"role": role, "name": p.name, "bytes": p.stat().st_size, "sha256": known[p]}
                       for role, p in files]
        item.video_bytes = item.story.video.stat().st_size
    except OSError as exc:
        _unreadable(item, exc)
        return
    item.input_fp = input_fingerprint(item.inputs)


def _hash_inputs(items: list[_Item], ledger: Ledger) -> None:
    """Fill each loaded item's inputs and fingerprint; unchanged files come from the ledger's hash cache."""
    known, wanted = _cached_hashes(items, ledger)
    if wanted:
        with ThreadPoolExecutor(max_workers=min(HASH_THREADS, len(wanted))) as pool:
            for p, d in zip(wanted, pool.map(_digest, wanted), strict=True):
                if isinstance(d, str):  # an unreadable file is reported by _fill_inputs
                    known[p] = d
                    ledger.store_hash(p, wanted[p], d)
    for item in items:
        if item.story is not None:
            _fill_inputs(item, known)


def _plan(specs: list[StorySpec], *, allow_outside: bool = False) -> list[_Item]:
    from videonews.story import load_story

    items: list[_Item] = []
    by_id: dict[str, _Item] = {}
    for spec in specs:
        item = _Item(spec=spec, id=_fallback_id(spec), path=spec.path)
        try:
            item.story = load_story(spec.path, allow_outside=allow_outside)
            item.id = item.story.id
            if spec.id and spec.id != item.story.id:
                item.error = InputError(
                    f"id '{spec.id}' in {spec.origin} differs from the story's id '{item.story.id}' "
                    "(story.toml id or folder name), which names its package", path=spec.path,
                    remedy="make them agree (or leave the manifest's id empty)")
                item.id = spec.id
        except VideonewsError as exc:
            item.error = exc
        except OSError as exc:
            item.error = InputError(f"cannot read the story: {exc.strerror or exc}", path=spec.path)
        if item.id in by_id:
            other = by_id[item.id]
            item.error = item.error or InputError(
                f"story id '{item.id}' is also used by {other.path}", path=spec.path,
                remedy="give each story a unique id (story.toml id) -- it names the package folder")
            item.id = f"{item.id}~{len(items)}"  # keep a separate ledger row for the duplicate
        by_id[item.id] = item
        items.append(item)
    return items


def _provenance_inputs_match(manifest: Any, item: _Item) -> bool:
    have = sorted((i.role, i.sha256) for i in manifest.provenance.inputs)
    want = sorted((i["role"], i["sha256"]) for i in item.inputs)
    return have == want


def _provenance_settings_match(manifest: Any, item: _Item, settings: Settings) -> bool:
    prov = manifest.provenance
    if prov.videonews_version != __version__:
        return False
    opts = item.story.options
    want = settings.fingerprint_fields() | {
        "profile": opts.profile or settings.profile,
        "photo_clip": opts.photo_clip if opts.photo_clip is not None else settings.photo_clip,
    }
    norm = json.loads(json.dumps(want, default=str))
    return json.dumps(prov.settings, sort_keys=True, default=str) == json.dumps(norm, sort_keys=True)


def _up_to_date(item: _Item, out_dir: Path, row: dict[str, Any] | None, settings_fp: str,
                settings: Settings) -> bool:
    from videonews.errors import ManifestError
    from videonews.manifest import read_manifest, verify_package
    from videonews.stages.sign import signs

    pkg = out_dir / item.id
    if not (pkg / MANIFEST_NAME).is_file():
        return False
    try:
        manifest = read_manifest(pkg)
    except ManifestError:
        return False
    if manifest.story.id != item.id or not _provenance_inputs_match(manifest, item):
        return False
    # signing is not in the settings fingerprint (key paths are not outputs), but signed or not is
    creds = manifest.content_credentials
    if signs(settings, item.story) != (creds is not None and creds.status == "signed"):
        return False
    ledger_ok = (row is not None and row["state"] in ("done", "skipped") and row["input_fp"] == item.input_fp
                 and row["settings_fp"] == settings_fp)
    if not (ledger_ok or _provenance_settings_match(manifest, item, settings)):
        return False
    return not verify_package(pkg)


# ---------------------------------------------------------------------------------------------- running
class _Batch:
    """The coordinator's state for one batch: the ledger, the outcomes so far, and the event stream."""

    def __init__(self, out_dir: Path, ledger: Ledger, settings: Settings, settings_fp: str, batch_id: str,
                 build: str, timeout: float | None, on_event: EventCallback | None) -> None:
        self.out_dir = out_dir
        self.ledger = ledger
        self.settings = settings
        self.settings_fp = settings_fp
        self.batch_id = batch_id
        self.build = build
        self.timeout = timeout
        self.on_event = on_event
        self.t0 = time.monotonic()
        self.outcomes: dict[str, StoryOutcome] = {}
        self.interrupted = False
        self.last_stage: dict[str, str] = {}  # story id -> the stage its worker reported last

    def emit(self, event: str, **fields: Any) -> None:
        if self.on_event is not None:
            self.on_event({"event": event, "elapsed": round(time.monotonic() - self.t0, 3), **fields})

    def log_path(self, story_id: str) -> Path:
        return self.out_dir / LOG_DIR / f"{story_id}.log"

    def job(self, item: _Item, settings: Settings) -> dict[str, Any]:
        return {"id": item.id, "story": str(item.path.resolve()), "out": str(self.out_dir.resolve()),
                "settings": settings.model_dump(mode="json"), "build": self.build}

    # -- planning --------------------------------------------------------------------------------------
    def triage(self, items: list[_Item], *, force: bool, retry_failed: bool) -> list[_Item]:
        """Settle the stories that need no build (their outcomes recorded); queue the others in the ledger
        and return them, biggest video first: the long stories start early and the batch ends sooner."""
        to_build = [i for i in items if self.queue_if_needed(i, force=force, retry_failed=retry_failed)]
        to_build.sort(key=lambda i: -i.video_bytes)
        return to_build

    def queue_if_needed(self, item: _Item, *, force: bool, retry_failed: bool) -> bool:
        """Queue the story for a build (True), or record why it needs none: ignored, failed or skipped."""
        row = self.ledger.get(item.id)
        if retry_failed and (row is None or row["state"] != "failed"):
            self.outcomes[item.id] = StoryOutcome(id=item.id, path=str(item.path), state="ignored",
                                                  reason="not a failure (--retry-failed)",
                                                  package=row["package"] if row else None)
            return False
        if item.error is not None:
            self.fail_unbuilt(item, item.error)
            return False
        incremental = not force and not retry_failed
        if incremental and _up_to_date(item, self.out_dir, row, self.settings_fp, self.settings):
            self.skip(item, row)
            return False
        if incremental and row is not None and _fails_again(row, item, self.settings_fp):
            self.outcomes[item.id] = StoryOutcome(
                id=item.id, path=str(item.path), state="failed", error=row["error"], remedy=row["remedy"],
                exit_code=2, error_type=row["error_type"], attempts=row["attempts"], log=row["log"],
                reason="input error, inputs unchanged since (use --retry-failed to try again)")
            return False
        self.ledger.mark_queued(item.id, path=str(item.path), batch=self.batch_id, input_fp=item.input_fp,
                                inputs=item.inputs, settings_fp=self.settings_fp)
        return True

    def fail_unbuilt(self, item: _Item, error: VideonewsError) -> None:
        """A story that could not be loaded or read: failed at planning, without a worker."""
        path = str(item.path)
        self.ledger.mark_failed(item.id, error=error.one_line(), remedy=error.remedy,
                                exit_code=error.exit_code, error_type=type(error).__name__, path=path,
                                batch=self.batch_id, input_fp=None, settings_fp=self.settings_fp)
        self.outcomes[item.id] = StoryOutcome(id=item.id, path=path, state="failed", error=error.one_line(),
                                              remedy=error.remedy, exit_code=error.exit_code,
                                              error_type=type(error).__name__,
                                              attempts=(self.ledger.get(item.id) or {}).get("attempts", 1))

    def skip(self, item: _Item, row: dict[str, Any] | None) -> None:
        package = str(self.out_dir / item.id)
        self.ledger.mark_skipped(item.id, path=str(item.path), batch=self.batch_id, package=package,
                                 input_fp=item.input_fp, inputs=item.inputs, settings_fp=self.settings_fp)
        self.outcomes[item.id] = StoryOutcome(id=item.id, path=str(item.path), state="skipped",
                                              reason="up to date", package=package,
                                              attempts=row["attempts"] if row else 0)

    def emit_planned(self, items: list[_Item]) -> None:
        """Report the stories settled at planning (skipped, failed, ignored), in source order."""
        for item in items:
            o = self.outcomes.get(item.id)
            if o is None:
                continue
            if o.state == "failed":
                self.emit("failed", story=item.id, error=o.error, remedy=o.remedy, exit_code=o.exit_code,
                          error_type=o.error_type, reason=o.reason, planned=True)
            elif o.state in ("skipped", "ignored"):
                self.emit(o.state, story=item.id, reason=o.reason, package=o.package)

    # -- building --------------------------------------------------------------------------------------
    def run(self, items: list[_Item], dask_address: Any, workers: int) -> int:
        """Build the queued stories on the backend; returns the worker count (a Dask cluster's if known).
        Stories an interruption kept from starting are left queued."""
        try:
            if dask_address is not None:
                client, own = _dask_client(dask_address)
                workers = _DaskRun(self, client, own=own).run(items) or workers
            else:
                _LocalRun(self, items, min(workers, len(items))).run()
        except KeyboardInterrupt:  # between two steps of the loop bookkeeping
            self.interrupted = True
        for item in items:
            if item.id not in self.outcomes:
                self.outcomes[item.id] = _queued(item, "not started (interrupted)")
        return workers

    def started(self, item: _Item, worker: str) -> None:
        self.ledger.mark_running(item.id, worker=worker, log=str(self.log_path(item.id)))
        row = self.ledger.get(item.id)
        self.emit("started", story=item.id, attempt=row["attempts"] if row else 1, worker=worker)

    def stage(self, item: _Item, stage: str, fraction: float | None) -> None:
        if self.last_stage.get(item.id) != stage:
            self.last_stage[item.id] = stage
            self.ledger.mark_stage(item.id, stage)
        self.emit("stage", story=item.id, stage=stage, fraction=fraction)

    def record(self, item: _Item, result: dict[str, Any], worker: str | None = None) -> None:
        """Record a worker's result event: done, failed, or (stopped by us) queued again."""
        row = self.ledger.get(item.id) or {}
        attempts = int(row.get("attempts") or 0)
        log = str(self.log_path(item.id))
        if result.get("ok"):
            inputs = result.get("inputs") or None
            fp = input_fingerprint(inputs) if inputs else None
            self.ledger.mark_done(item.id, package=result["package"], wall=result.get("wall"),
                                  stage_times=result.get("stage_times") or {}, input_fp=fp, inputs=inputs,
                                  worker=worker, cpu=result.get("cpu"))
            o = StoryOutcome(id=item.id, path=str(item.path), state="done", package=result["package"],
                             wall=result.get("wall"), cpu=result.get("cpu"), stage_times=result.get("stage_times") or {},
                             exit_code=0, attempts=attempts, log=log, worker=worker or row.get("worker"))
            self.outcomes[item.id] = o
            self.emit("done", story=item.id, wall=o.wall, package=o.package, stages=o.stage_times)
            return
        if result.get("exit_code") == 130:  # stopped by us: back to the queue
            self.requeue(item, attempts=attempts, log=log)
            return
        stage = result.get("stage") or self.last_stage.get(item.id)
        self.ledger.mark_failed(item.id, error=result.get("error") or "failed", remedy=result.get("remedy"),
                                exit_code=int(result.get("exit_code") or 1), error_type=result.get("error_type"),
                                wall=result.get("wall"), stage_times=result.get("stage_times"), worker=worker,
                                cpu=result.get("cpu"), stage=stage)
        o = StoryOutcome(id=item.id, path=str(item.path), state="failed", wall=result.get("wall"),
                         cpu=result.get("cpu"),
                         stage_times=result.get("stage_times") or {}, error=result.get("error"),
                         remedy=result.get("remedy"), exit_code=int(result.get("exit_code") or 1),
                         error_type=result.get("error_type"), attempts=attempts, log=log,
                         worker=worker or row.get("worker"), stage=stage)
        self.outcomes[item.id] = o
        self.emit("failed", story=item.id, error=o.error, remedy=o.remedy, exit_code=o.exit_code,
                  error_type=o.error_type, wall=o.wall, log=log, stage=stage)

    def requeue(self, item: _Item, attempts: int = 0, log: str | None = None) -> None:
        """A started story we stopped: queued again in the ledger, so the next run builds it."""
        self.ledger.mark_interrupted(item.id)
        self.outcomes[item.id] = StoryOutcome(id=item.id, path=str(item.path), state="queued",
                                              reason="interrupted", attempts=attempts, log=log)
        self.emit("interrupted", story=item.id)

    def clean_work(self, story_id: str, pid: int | None) -> None:
        """Remove the work folder of a worker we killed (its pid is in the folder's name)."""
        if pid is None:
            return
        for p in self.out_dir.glob(f".building-{story_id}-{pid}-*"):
            shutil.rmtree(p, ignore_errors=True)


def _fails_again(row: dict[str, Any], item: _Item, settings_fp: str) -> bool:
    """Whether the last attempt failed with an input error (exit 2) on today's inputs and settings."""
    return (row["state"] == "failed" and row["exit_code"] == 2 and row["input_fp"] == item.input_fp
            and row["settings_fp"] == settings_fp)


def _queued(item: _Item, reason: str) -> StoryOutcome:
    return StoryOutcome(id=item.id, path=str(item.path), state="queued", reason=reason)


# -------------------------------------------------------------------------------------------------- local
class _LocalRun:
    """Run the stories in worker subprocesses, `workers` at a time.

    One spare worker is started ahead of time (it imports videonews while the others build),
    so the next story does not wait for Python to start.
    """

    def __init__(self, batch: _Batch, items: list[_Item], workers: int) -> None:
        self.batch = batch
        self.workers = workers
        threads = batch.settings.threads or threads_per_story(workers)
        self.settings = batch.settings.model_copy(update={"threads": threads})
        self.env = {"VIDEONEWS_THREADS": str(threads)}
        self.events: queue.Queue[tuple[StoryProcess, dict[str, Any]]] = queue.Queue()
        self.pending = list(items)
        self.active: dict[str, tuple[_Item, StoryProcess]] = {}
        self.exiting: list[StoryProcess] = []  # finished stories whose process has not exited yet
        self.spare: StoryProcess | None = None

    def run(self) -> None:
        try:
            while self.pending or self.active:
                self.fill_slots()
                if self.pending and self.spare is None:
                    with contextlib.suppress(OSError):  # no spare: the next story starts its own worker
                        self.spare = self.new_process()
                self.handle(*self.next_event())
                self.reap_exited()
                self.kill_overdue()
        except KeyboardInterrupt:
            self.batch.interrupted = True
            self.stop()
        finally:
            if self.spare is not None:
                self.spare.discard()
            for sp in self.exiting:
                sp.finish()

    def new_process(self) -> StoryProcess:
        return StoryProcess(log_dir=self.batch.out_dir / LOG_DIR, env=self.env, preload=self.batch.build,
                            sink=lambda p, e: self.events.put((p, e))).spawn()

    def fill_slots(self) -> None:
        """Start pending stories while a slot is free."""
        while self.pending and len(self.active) < self.workers:
            item = self.pending.pop(0)
            job, spare = self.batch.job(item, self.settings), self.take_spare()
            try:
                sp = self.assign(job, spare)
            except OSError as exc:
                self.batch.ledger.mark_running(item.id, worker="-")
                self.batch.record(item, {"ok": False, "exit_code": 1, "error_type": "OSError",
                                         "error": f"cannot start a worker process: {exc}",
                                         "remedy": "check free memory and process limits"})
                continue
            self.batch.started(item, f"pid {sp.pid}")
            self.active[item.id] = (item, sp)

    def take_spare(self) -> StoryProcess | None:
        """The spare worker, if it is still alive."""
        spare, self.spare = self.spare, None
        if spare is not None and not spare.alive():  # the spare died while waiting
            spare.discard()
            return None
        return spare

    def assign(self, job: dict[str, Any], sp: StoryProcess | None) -> StoryProcess:
        """Give the job to `sp` (or a new worker); one whose stdin is already closed is replaced once."""
        sp = sp or self.new_process()
        try:
            sp.assign(job, self.batch.timeout)
        except BrokenPipeError:
            sp.discard()
            sp = self.new_process()
            sp.assign(job, self.batch.timeout)
        return sp

    def next_event(self) -> tuple[StoryProcess | None, dict[str, Any]]:
        try:
            return self.events.get(timeout=POLL_INTERVAL)
        except queue.Empty:
            return None, {}

    def handle(self, sp: StoryProcess | None, event: dict[str, Any]) -> None:
        """Act on an event of a building worker (a spare's or an exiting worker's are ignored)."""
        if sp is None or sp in self.exiting:
            return  # an exiting worker is reaped once it has exited
        entry = self.active.get(sp.story_id)
        if entry is None or entry[1] is not sp:
            return
        item = entry[0]
        kind = event.get("event")
        if kind == "stage":
            self.batch.stage(item, str(event.get("stage")), event.get("fraction"))
        elif kind == "result" and sp.killed_for is None:
            # the story is finished: free the slot now; the process exits in the background
            del self.active[item.id]
            self.exiting.append(sp)
            self.batch.record(item, event)
        elif kind == "eof":  # died without a result (crash), or we killed it (timeout)
            result = sp.finish()
            del self.active[item.id]
            if sp.killed_for:
                self.batch.clean_work(item.id, sp.pid)
            self.batch.record(item, result)

    def reap_exited(self) -> None:
        for sp in [p for p in self.exiting if not p.alive()]:
            self.exiting.remove(sp)
            sp.finish()

    def kill_overdue(self) -> None:
        now = time.monotonic()
        for _item, sp in self.active.values():
            if sp.overdue(now) and sp.killed_for is None:
                sp.kill("timeout")

    def stop(self) -> None:
        """Ctrl-C: kill the running workers and queue their stories again, and the ones not started."""
        with _sigint_ignored():
            for _item, sp in self.active.values():
                sp.kill("interrupted")
            for item, sp in self.active.values():
                sp.finish()
                self.batch.clean_work(item.id, sp.pid)
                self.batch.requeue(item)
            for item in self.pending:
                self.batch.outcomes[item.id] = _queued(item, "not started (interrupted)")


# --------------------------------------------------------------------------------------------------- dask
def _dask_client(dask: Any) -> tuple[Any, bool]:
    """(client, whether it is ours to close): a new client for an address, or the caller's as it is."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise InputError("--dask needs the distributed package",
                         remedy='pip install "videonews[dask]"') from exc
    if not isinstance(dask, str):
        return dask, False
    try:
        return Client(dask, timeout=DASK_CONNECT_TIMEOUT), True
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler {dask}: {exc}",
                         remedy="check the address and port") from exc


class _DaskRun:
    """Run the stories as Dask tasks (`run_remote`: a worker subprocess on a Dask worker each).

    The tasks send their progress as events on a topic; setting a distributed Event stops them all.
    """

    def __init__(self, batch: _Batch, client: Any, *, own: bool) -> None:
        self.batch = batch
        self.client = client
        self.own = own
        self.topic = f"videonews-{batch.batch_id}"
        self.cancel_name = f"videonews-cancel-{batch.batch_id}"
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.by_id: dict[str, _Item] = {}
        self.futures: dict[Any, _Item] = {}  # the tasks not collected yet
        self.running: set[str] = set()  # stories whose start is recorded
        self.finished: set[str] = set()

    def run(self, items: list[_Item]) -> int:
        """Build the stories; returns the cluster's thread count (0 when unknown)."""
        # the handler gets (timestamp, event)
        self.client.subscribe_topic(self.topic,
                                    lambda ev: self.events.put(ev[1] if isinstance(ev, tuple) else ev))
        nthreads = self.cluster_threads()
        self.by_id = {i.id: i for i in items}
        try:
            for item in items:
                fut = self.client.submit(run_remote, self.batch.job(item, self.batch.settings),
                                         self.batch.timeout, str(self.batch.log_path(item.id)), self.topic,
                                         self.cancel_name, key=f"videonews-{item.id}-{self.batch.batch_id}",
                                         pure=False)
                self.futures[fut] = item
            while self.futures:
                for ev in self.drain_events():
                    self.on_event(ev)
                self.collect_done()
        except KeyboardInterrupt:
            self.batch.interrupted = True
            self.cancel()
        finally:
            self.close()
        return nthreads

    def cluster_threads(self) -> int:
        try:
            workers = self.client.scheduler_info().get("workers", {}).values()
            return sum((w.get("nthreads") or 1) for w in workers)
        except Exception:  # pragma: no cover - the count is only reported: fall back to --workers
            return 0

    def drain_events(self) -> list[dict[str, Any]]:
        """Wait a little for the first event, then take what is there without waiting."""
        drained: list[dict[str, Any]] = []
        try:
            drained.append(self.events.get(timeout=POLL_INTERVAL))
            while True:
                drained.append(self.events.get_nowait())
        except queue.Empty:
            pass
        return drained

    def on_event(self, ev: dict[str, Any]) -> None:
        sid = ev.get("story")
        if sid not in self.by_id or sid in self.finished:
            return
        if ev.get("event") == "started" and sid not in self.running:
            self.running.add(sid)
            self.batch.started(self.by_id[sid], str(ev.get("host") or "dask"))
        elif ev.get("event") == "stage" and sid in self.running:
            self.batch.stage(self.by_id[sid], str(ev.get("stage")), ev.get("fraction"))

    def collect_done(self) -> None:
        for fut in [f for f in self.futures if f.done()]:
            item = self.futures.pop(fut)
            result = _task_result(fut)
            if item.id not in self.running:  # done before its "started" event arrived
                self.running.add(item.id)
                self.batch.started(item, str(result.get("host") or "dask"))
            self.finished.add(item.id)
            self.batch.record(item, result, worker=result.get("host"))

    def cancel(self) -> None:
        """Ctrl-C: stop the running stories, cancel the rest, and queue them all again."""
        from distributed import Event

        # Best effort, and broad on purpose: with the scheduler gone or the client closed, distributed
        # raises OSError, RuntimeError, ClosedClientError, even AttributeError; the stories must still be
        # queued again below (with the scheduler gone the tasks stop by themselves: run_remote).
        with contextlib.suppress(Exception):
            Event(self.cancel_name, client=self.client).set()
        with contextlib.suppress(Exception):
            self.client.cancel(list(self.futures))
        for item in self.futures.values():
            if item.id in self.running:
                self.batch.requeue(item)
            else:
                self.batch.outcomes[item.id] = _queued(item, "interrupted")

    def close(self) -> None:
        # Every outcome is recorded by now: failing to let go of a scheduler or client that is gone
        # (the same assorted errors as in cancel) must not turn the batch into an error.
        with contextlib.suppress(Exception):
            self.client.unsubscribe_topic(self.topic)
        if self.own:
            with contextlib.suppress(Exception):
                self.client.close()


def _task_result(fut: Any) -> dict[str, Any]:
    """The task's result event; a task that raised (a story's own failure is a result) fails its story."""
    try:
        result: dict[str, Any] = fut.result()
    except Exception as exc:  # any error of the task or of Dask: recorded as this story's failure
        return {"ok": False, "exit_code": 1, "error_type": type(exc).__name__,
                "error": f"the Dask task failed: {type(exc).__name__}: {exc}",
                "remedy": "check the Dask worker's logs; videonews must be installed there"}
    return result


# ------------------------------------------------------------------------------------------------ signals
def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _sigint_ignored() -> Any:
    """Ignore Ctrl-C (in the main thread) while a stopped batch cleans up."""
    old = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
    try:
        yield
    finally:
        if old is not None:
            signal.signal(signal.SIGINT, old)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Any:
    """SIGTERM stops a batch the way Ctrl-C does (workers killed, stories re-queued)."""
    if not _main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


# ---------------------------------------------------------------------------------------------------- api
def run_batch(
    sources: Iterable[str | Path] | str | Path,
    out_dir: str | Path,
    *,
    settings: Settings | None = None,
    workers: int | None = None,
    timeout: float | None = None,
    force: bool = False,
    retry_failed: bool = False,
    dask_address: Any = None,
    on_event: EventCallback | None = None,
    build: str | None = None,
) -> BatchResult:
    """Build every story the SOURCES name into out_dir, each in its own worker process.

    dask_address: a scheduler address ("tcp://host:8786") or a `distributed.Client`; the
    output folder must then be the same path on every Dask worker (shared storage).
    on_event receives dicts: plan, skipped, started, stage, done, failed, interrupted, summary.
    build: "module:function" with build_story's signature, run in the worker (tests inject fakes).
    Never raises for a story's failure; raises VideonewsError for a bad SOURCE or a busy out_dir.
    Ctrl-C / SIGTERM: workers are killed, their stories re-queued, `result.interrupted` is set.
    """
    t0 = time.monotonic()
    out = Path(out_dir).expanduser().resolve()
    settings = settings or Settings()
    source_list = [sources] if isinstance(sources, str | Path) else list(sources)
    specs = expand_sources(source_list, allow_outside=settings.allow_outside_story)
    backend = "dask" if dask_address is not None else "local"
    nworkers = workers or default_workers()
    if nworkers < 1:
        raise InputError("--workers must be at least 1")
    out.mkdir(parents=True, exist_ok=True)
    batch_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    settings_fp = settings_fingerprint(settings)
    with BatchLock(out), Ledger(ledger_path(out)) as ledger, _sigterm_as_interrupt():
        b = _Batch(out, ledger, settings, settings_fp, batch_id, build or DEFAULT_BUILD, timeout, on_event)
        stale = ledger.requeue_stale()
        if stale:
            b.emit("requeued", stories=stale)
        items = _plan(specs, allow_outside=settings.allow_outside_story)
        _hash_inputs(items, ledger)
        ledger.begin_batch(batch_id, backend=backend, workers=nworkers,
                           sources=[str(s) for s in source_list],
                           total=len(items))
        to_build = b.triage(items, force=force, retry_failed=retry_failed)
        b.emit("plan", total=len(items), to_build=len(to_build), workers=nworkers, backend=backend,
               ledger=str(ledger.path), out_dir=str(out))
        b.emit_planned(items)
        if to_build:
            nworkers = b.run(to_build, dask_address, nworkers)
        result = BatchResult(out_dir=out, ledger=ledger.path, outcomes=[b.outcomes[i.id] for i in items],
                             wall=time.monotonic() - t0, workers=nworkers, backend=backend, batch_id=batch_id,
                             interrupted=b.interrupted)
        ledger.end_batch(batch_id, counts=result.counts, exit_code=result.exit_code)
        b.emit("summary", counts=result.counts, wall=round(result.wall, 3), exit_code=result.exit_code)
        return result
