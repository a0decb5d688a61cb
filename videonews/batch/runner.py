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


def _hash_inputs(items: list[_Item], ledger: Ledger) -> None:
    """Fill each loaded item's inputs and fingerprint; unchanged files come from the ledger's hash cache."""
    wanted: dict[Path, os.stat_result] = {}
    known: dict[Path, str] = {}

    def unreadable(item: _Item, exc: OSError) -> None:
        item.error = InputError(f"cannot read an input: {exc.strerror or exc}", path=exc.filename or item.path,
                                remedy="check the file exists and is readable")
        item.story = None

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
            unreadable(item, exc)

    def digest(p: Path) -> str | OSError:
        try:
            return sha256_file(p)
        except OSError as exc:
            return exc

    if wanted:
        with ThreadPoolExecutor(max_workers=min(4, len(wanted))) as pool:
            for p, d in zip(wanted, pool.map(digest, wanted), strict=True):
                if isinstance(d, str):
                    known[p] = d
                    ledger.store_hash(p, wanted[p], d)
    for item in items:
        if item.story is None:
            continue
        try:
            files = _story_files(item.story)
            missing = next((p for _r, p in files if p not in known), None)
            if missing is not None:
                raise OSError(13, "unreadable", str(missing))
            item.inputs = [{"role": role, "name": p.name, "bytes": p.stat().st_size, "sha256": known[p]}
                           for role, p in files]
            item.video_bytes = item.story.video.stat().st_size
        except OSError as exc:
            unreadable(item, exc)
            continue
        item.input_fp = input_fingerprint(item.inputs)


def _plan(specs: list[StorySpec]) -> list[_Item]:
    from videonews.story import load_story

    items: list[_Item] = []
    by_id: dict[str, _Item] = {}
    for spec in specs:
        item = _Item(spec=spec, id=_fallback_id(spec), path=spec.path)
        try:
            item.story = load_story(spec.path)
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

    pkg = out_dir / item.id
    if not (pkg / MANIFEST_NAME).is_file():
        return False
    try:
        manifest = read_manifest(pkg)
    except ManifestError:
        return False
    if manifest.story.id != item.id or not _provenance_inputs_match(manifest, item):
        return False
    ledger_ok = (row is not None and row["state"] in ("done", "skipped") and row["input_fp"] == item.input_fp
                 and row["settings_fp"] == settings_fp)
    if not (ledger_ok or _provenance_settings_match(manifest, item, settings)):
        return False
    return not verify_package(pkg)


# ---------------------------------------------------------------------------------------------- running
class _Batch:
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
            self.ledger.mark_interrupted(item.id)
            self.outcomes[item.id] = StoryOutcome(id=item.id, path=str(item.path), state="queued",
                                                  reason="interrupted", attempts=attempts, log=log)
            self.emit("interrupted", story=item.id)
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

    def clean_work(self, story_id: str, pid: int | None) -> None:
        """Remove the work folder of a worker we killed (its pid is in the folder's name)."""
        if pid is None:
            return
        for p in self.out_dir.glob(f".building-{story_id}-{pid}-*"):
            shutil.rmtree(p, ignore_errors=True)

    # -- local -----------------------------------------------------------------------------------------
    def run_local(self, items: list[_Item], workers: int) -> None:
        """Run the stories in worker subprocesses, `workers` at a time.

        One spare worker is started ahead of time (it imports videonews while the others build),
        so the next story does not wait for Python to start.
        """
        threads = self.settings.threads or threads_per_story(workers)
        settings = self.settings.model_copy(update={"threads": threads})
        env = {"VIDEONEWS_THREADS": str(threads)}
        events: queue.Queue[tuple[StoryProcess, dict[str, Any]]] = queue.Queue()
        log_dir = self.out_dir / LOG_DIR

        def new_process() -> StoryProcess:
            return StoryProcess(log_dir=log_dir, env=env, preload=self.build,
                                sink=lambda p, e: events.put((p, e))).spawn()

        pending = list(items)
        active: dict[str, tuple[_Item, StoryProcess]] = {}
        exiting: list[StoryProcess] = []  # finished stories whose process has not exited yet
        spare: StoryProcess | None = None
        try:
            while pending or active:
                while pending and len(active) < workers:
                    item = pending.pop(0)
                    job = self.job(item, settings)
                    sp = None
                    if spare is not None:
                        if spare.alive():
                            sp = spare
                        else:  # the spare died while waiting
                            spare.discard()
                        spare = None
                    try:
                        sp = sp or new_process()
                        try:
                            sp.assign(job, self.timeout)
                        except BrokenPipeError:
                            sp.discard()
                            sp = new_process()
                            sp.assign(job, self.timeout)
                    except OSError as exc:
                        self.ledger.mark_running(item.id, worker="-")
                        self.record(item, {"ok": False, "exit_code": 1, "error_type": "OSError",
                                           "error": f"cannot start a worker process: {exc}",
                                           "remedy": "check free memory and process limits"})
                        continue
                    self.started(item, f"pid {sp.pid}")
                    active[item.id] = (item, sp)
                if pending and spare is None:
                    with contextlib.suppress(OSError):
                        spare = new_process()
                try:
                    sp_ev, event = events.get(timeout=0.2)
                except queue.Empty:
                    sp_ev, event = None, {}
                kind = event.get("event")
                if sp_ev is not None and sp_ev in exiting:
                    pass  # reaped below once it has exited
                elif sp_ev is not None and sp_ev.story_id in active and active[sp_ev.story_id][1] is sp_ev:
                    item, sp = active[sp_ev.story_id]
                    if kind == "stage":
                        self.stage(item, str(event.get("stage")), event.get("fraction"))
                    elif kind == "result" and sp.killed_for is None:
                        # the story is finished: free the slot now; the process exits in the background
                        del active[item.id]
                        exiting.append(sp)
                        self.record(item, event)
                    elif kind == "eof":  # died without a result (crash), or we killed it (timeout)
                        result = sp.finish()
                        del active[item.id]
                        if sp.killed_for:
                            self.clean_work(item.id, sp.pid)
                        self.record(item, result)
                for sp in [p for p in exiting if not p.alive()]:
                    exiting.remove(sp)
                    sp.finish()
                now = time.monotonic()
                for _item, sp in active.values():
                    if sp.overdue(now) and sp.killed_for is None:
                        sp.kill("timeout")
        except KeyboardInterrupt:
            self.interrupted = True
            old = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
            try:
                for _item, sp in active.values():
                    sp.kill("interrupted")
                for item, sp in active.values():
                    sp.finish()
                    self.clean_work(item.id, sp.pid)
                    self.ledger.mark_interrupted(item.id)
                    self.outcomes[item.id] = StoryOutcome(id=item.id, path=str(item.path), state="queued",
                                                          reason="interrupted")
                    self.emit("interrupted", story=item.id)
                for item in pending:
                    self.outcomes[item.id] = StoryOutcome(id=item.id, path=str(item.path), state="queued",
                                                          reason="not started (interrupted)")
            finally:
                if old is not None:
                    signal.signal(signal.SIGINT, old)
        finally:
            if spare is not None:
                spare.discard()
            for sp in exiting:
                sp.finish()

    # -- dask ------------------------------------------------------------------------------------------
    def run_dask(self, items: list[_Item], dask: Any) -> int:
        try:
            from distributed import Client
            from distributed import Event as DEvent
        except ImportError as exc:
            raise InputError("--dask needs the distributed package", remedy='pip install "videonews[dask]"') from exc
        own = isinstance(dask, str)
        try:
            client = Client(dask, timeout="20s") if own else dask
        except OSError as exc:
            raise InputError(f"cannot reach the Dask scheduler {dask}: {exc}", remedy="check the address and port") \
                from exc
        topic = f"videonews-{self.batch_id}"
        cancel_name = f"videonews-cancel-{self.batch_id}"
        events: queue.Queue[dict[str, Any]] = queue.Queue()
        client.subscribe_topic(topic, lambda ev: events.put(ev[1] if isinstance(ev, tuple) else ev))
        try:
            nworkers = sum((w.get("nthreads") or 1) for w in client.scheduler_info().get("workers", {}).values())
        except Exception:  # pragma: no cover
            nworkers = 0
        by_id = {i.id: i for i in items}
        futures: dict[Any, _Item] = {}
        running: set[str] = set()
        finished: set[str] = set()
        try:
            for item in items:
                fut = client.submit(run_remote, self.job(item, self.settings), self.timeout,
                                    str(self.log_path(item.id)), topic, cancel_name,
                                    key=f"videonews-{item.id}-{self.batch_id}", pure=False)
                futures[fut] = item
            while futures:
                drained: list[dict[str, Any]] = []
                try:  # wait a little for the first event, then take what is there without waiting
                    drained.append(events.get(timeout=0.2))
                    while True:
                        drained.append(events.get_nowait())
                except queue.Empty:
                    pass
                for ev in drained:
                    sid = ev.get("story")
                    if sid not in by_id or sid in finished:
                        continue
                    if ev.get("event") == "started" and sid not in running:
                        running.add(sid)
                        self.started(by_id[sid], str(ev.get("host") or "dask"))
                    elif ev.get("event") == "stage" and sid in running:
                        self.stage(by_id[sid], str(ev.get("stage")), ev.get("fraction"))
                for fut in [f for f in futures if f.done()]:
                    item = futures.pop(fut)
                    try:
                        result = fut.result()
                    except Exception as exc:
                        result = {"ok": False, "exit_code": 1, "error_type": type(exc).__name__,
                                  "error": f"the Dask task failed: {type(exc).__name__}: {exc}",
                                  "remedy": "check the Dask worker's logs; videonews must be installed there"}
                    if item.id not in running:
                        running.add(item.id)
                        self.started(item, str(result.get("host") or "dask"))
                    finished.add(item.id)
                    self.record(item, result, worker=result.get("host"))
        except KeyboardInterrupt:
            self.interrupted = True
            with contextlib.suppress(Exception):
                DEvent(cancel_name, client=client).set()
            with contextlib.suppress(Exception):
                client.cancel(list(futures))
            for item in futures.values():
                if item.id in running:
                    self.ledger.mark_interrupted(item.id)
                    self.emit("interrupted", story=item.id)
                self.outcomes[item.id] = StoryOutcome(id=item.id, path=str(item.path), state="queued",
                                                      reason="interrupted")
        finally:
            with contextlib.suppress(Exception):
                client.unsubscribe_topic(topic)
            if own:
                with contextlib.suppress(Exception):
                    client.close()
        return nworkers


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


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
    specs = expand_sources(source_list)
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
        items = _plan(specs)
        _hash_inputs(items, ledger)
        ledger.begin_batch(batch_id, backend=backend, workers=nworkers,
                           sources=[str(s) for s in source_list],
                           total=len(items))
        to_build: list[_Item] = []
        order: list[str] = []
        for item in items:
            order.append(item.id)
            row = ledger.get(item.id)
            path = str(item.path)
            if retry_failed and (row is None or row["state"] != "failed"):
                b.outcomes[item.id] = StoryOutcome(id=item.id, path=path, state="ignored",
                                                   reason="not a failure (--retry-failed)",
                                                   package=row["package"] if row else None)
                continue
            if item.error is not None:
                ledger.mark_failed(item.id, error=item.error.one_line(), remedy=item.error.remedy,
                                   exit_code=item.error.exit_code, error_type=type(item.error).__name__,
                                   path=path, batch=batch_id, input_fp=None, settings_fp=settings_fp)
                b.outcomes[item.id] = StoryOutcome(id=item.id, path=path, state="failed", error=item.error.one_line(),
                                                   remedy=item.error.remedy, exit_code=item.error.exit_code,
                                                   error_type=type(item.error).__name__,
                                                   attempts=(ledger.get(item.id) or {}).get("attempts", 1))
                continue
            if not force and not retry_failed and _up_to_date(item, out, row, settings_fp, settings):
                ledger.mark_skipped(item.id, path=path, batch=batch_id, package=str(out / item.id),
                                    input_fp=item.input_fp, inputs=item.inputs, settings_fp=settings_fp)
                b.outcomes[item.id] = StoryOutcome(id=item.id, path=path, state="skipped", reason="up to date",
                                                   package=str(out / item.id), attempts=row["attempts"] if row else 0)
                continue
            if (not force and not retry_failed and row is not None and row["state"] == "failed"
                    and row["exit_code"] == 2 and row["input_fp"] == item.input_fp
                    and row["settings_fp"] == settings_fp):
                b.outcomes[item.id] = StoryOutcome(
                    id=item.id, path=path, state="failed", error=row["error"], remedy=row["remedy"],
                    exit_code=2, error_type=row["error_type"], attempts=row["attempts"], log=row["log"],
                    reason="input error, inputs unchanged since (use --retry-failed to try again)")
                continue
            ledger.mark_queued(item.id, path=path, batch=batch_id, input_fp=item.input_fp, inputs=item.inputs,
                               settings_fp=settings_fp)
            to_build.append(item)
        # biggest videos first: the long stories start early and the batch ends sooner
        to_build.sort(key=lambda i: -i.video_bytes)
        b.emit("plan", total=len(items), to_build=len(to_build), workers=nworkers, backend=backend,
               ledger=str(ledger.path), out_dir=str(out))
        for sid in order:
            o = b.outcomes.get(sid)
            if o is not None and o.state in ("skipped", "failed", "ignored"):
                if o.state == "failed":
                    b.emit("failed", story=sid, error=o.error, remedy=o.remedy, exit_code=o.exit_code,
                           error_type=o.error_type, reason=o.reason, planned=True)
                else:
                    b.emit(o.state, story=sid, reason=o.reason, package=o.package)
        if to_build:
            try:
                if dask_address is not None:
                    nworkers = b.run_dask(to_build, dask_address) or nworkers
                else:
                    b.run_local(to_build, min(nworkers, len(to_build)))
            except KeyboardInterrupt:  # between two steps of the loop bookkeeping
                b.interrupted = True
        for item in to_build:
            if item.id not in b.outcomes:
                b.outcomes[item.id] = StoryOutcome(id=item.id, path=str(item.path), state="queued",
                                                   reason="not started (interrupted)")
        result = BatchResult(out_dir=out, ledger=ledger.path, outcomes=[b.outcomes[i] for i in order],
                             wall=time.monotonic() - t0, workers=nworkers, backend=backend, batch_id=batch_id,
                             interrupted=b.interrupted)
        ledger.end_batch(batch_id, counts=result.counts, exit_code=result.exit_code)
        b.emit("summary", counts=result.counts, wall=round(result.wall, 3), exit_code=result.exit_code)
        return result
