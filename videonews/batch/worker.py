"""One story in its own process: `python -m videonews.batch.worker`.

Protocol (JSON lines): the coordinator writes the job as one JSON line on the worker's stdin
and keeps stdin open; the worker writes events on its stdout -- ``{"event": "stage", ...}``
while it builds and one ``{"event": "result", ...}`` at the end -- and everything else
(ffmpeg chatter, warnings, tracebacks) goes to stderr, which the coordinator sends to a log
file. The worker runs in its own session / process group, so a timeout or Ctrl-C kills it and
its ffmpeg children together (`os.killpg`); and when its stdin reaches EOF before it has
finished (the coordinator died, even by SIGKILL) it kills its own group, so no orphan keeps
building.

`StoryProcess` is the coordinator's side; `run_story` runs one job to the end (used on Dask
workers); `run_remote` is the Dask task.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from videonews.fsutil import real_folder

DEFAULT_BUILD = "videonews.pipeline:build_story"
TEST_HOOK_ENV = "VIDEONEWS_BATCH_TEST_HOOK"  # tests only: "hang:<story id>" or "crash:<story id>"
PROGRESS_INTERVAL = 0.25  # seconds between fraction updates sent to the coordinator
# Seconds finish() waits for a worker's output reader: a child that left the worker's process group
# can keep the pipe open, and must not hang the coordinator.
READER_JOIN_TIMEOUT = 5.0
REMOTE_POLL = 1.0  # seconds between a Dask task's timeout and cancel checks (each asks the scheduler)

Event = dict[str, Any]


# --------------------------------------------------------------------------------------------- worker side
def _load_build(ref: str) -> Callable[..., Any]:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name or "build_story")  # type: ignore[no-any-return]


def _lifeline() -> None:
    """Kill our whole process group when the coordinator goes away (stdin EOF)."""
    try:
        while os.read(0, 4096):  # raw reads: no buffered-stdin lock held at interpreter shutdown
            pass
    except OSError:
        pass
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _read_job() -> dict[str, Any] | None:
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = os.read(0, 65536)
        if not chunk:
            break
        buf += chunk
    return json.loads(buf) if buf.strip() else None


def _test_hook(story_id: str) -> None:
    hook = os.environ.get(TEST_HOOK_ENV, "")
    for item in filter(None, hook.split(",")):
        action, _, target = item.partition(":")
        if target not in (story_id, "*"):
            continue
        if action == "hang":
            time.sleep(3600)
        elif action == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)


def _stage_reporter(emit: Callable[[Event], None]) -> tuple[Callable[[str, float | None], None], dict[str, float],
                                                              list[str]]:
    """The on_stage callback for build_story: forwards stage changes (and fractions, throttled) and
    times each stage. Returns (callback, stage times, stages seen so far)."""
    starts: dict[str, float] = {}
    times: dict[str, float] = {}
    current: list[str] = []
    sent = [0.0]

    def on_stage(stage: str, fraction: float | None) -> None:
        now = time.monotonic()
        if not current or stage != current[-1]:
            if current and current[-1] in starts:
                times[current[-1]] = round(now - starts[current[-1]], 3)
            starts[stage] = now
            current.append(stage)
            sent[0] = now
            emit({"event": "stage", "stage": stage, "fraction": fraction})
        elif fraction is not None and now - sent[0] >= PROGRESS_INTERVAL:
            sent[0] = now
            emit({"event": "stage", "stage": stage, "fraction": round(fraction, 3)})

    def close() -> None:
        if current and current[-1] not in times and current[-1] in starts:
            times[current[-1]] = round(time.monotonic() - starts[current[-1]], 3)

    on_stage.close = close  # type: ignore[attr-defined]
    return on_stage, times, current


def _cpu_seconds() -> float:
    """CPU time of this process and its (finished) children, ffmpeg included."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 3)


def run_job(job: dict[str, Any], emit: Callable[[Event], None]) -> Event:
    """Build one story in this process; return the result event (never raises for a story's failure)."""
    result = _run_job(job, emit)
    result["cpu"] = _cpu_seconds()
    return result


def _run_job(job: dict[str, Any], emit: Callable[[Event], None]) -> Event:
    from videonews.errors import VideonewsError
    from videonews.settings import Settings

    started = time.monotonic()
    on_stage, times, seen = _stage_reporter(emit)
    try:
        settings = Settings(**job.get("settings", {}))
        if job.get("id"):
            _test_hook(job["id"])
        build = _load_build(job.get("build") or DEFAULT_BUILD)
        result = build(Path(job["story"]), Path(job["out"]), settings, on_stage=on_stage)
    except VideonewsError as exc:
        on_stage.close()  # type: ignore[attr-defined]
        return {"event": "result", "ok": False, "error": exc.one_line(), "remedy": exc.remedy,
                "exit_code": exc.exit_code, "error_type": type(exc).__name__, "stage": seen[-1] if seen else None,
                "wall": round(time.monotonic() - started, 3), "stage_times": times}
    except Exception as exc:  # an internal failure: traceback to the log, one line to the ledger
        traceback.print_exc(file=sys.stderr)
        on_stage.close()  # type: ignore[attr-defined]
        return {"event": "result", "ok": False, "error": f"internal error: {type(exc).__name__}: {exc}",
                "remedy": "see the story's log; please report it", "exit_code": 1, "error_type": type(exc).__name__,
                "stage": seen[-1] if seen else None, "wall": round(time.monotonic() - started, 3),
                "stage_times": times}
    inputs = []
    manifest = getattr(result, "manifest", None)
    prov = getattr(manifest, "provenance", None)
    for f in getattr(prov, "inputs", None) or []:
        inputs.append({"role": f.role, "name": f.name, "bytes": f.bytes, "sha256": f.sha256})
    return {"event": "result", "ok": True, "story_id": result.story_id, "package": str(result.package),
            "wall": getattr(result, "wall", round(time.monotonic() - started, 3)),
            "stage_times": dict(getattr(result, "stage_times", None) or times), "inputs": inputs}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # Keep the real stdout for the protocol; anything else printing to fd 1 lands in stderr.
    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if len(args) == 2 and args[0] == "--preload":
        # a spare worker: pay for the imports now, while it waits for its story
        try:
            _load_build(args[1])
        except Exception:
            traceback.print_exc(file=sys.stderr)
    job = _read_job()
    if job is None:
        return 0  # the coordinator had no story for this spare
    threading.Thread(target=_lifeline, name="lifeline", daemon=True).start()
    lock = threading.Lock()

    def emit(event: Event) -> None:
        with lock:
            proto.write(json.dumps(event) + "\n")
            proto.flush()

    emit({"event": "started", "pid": os.getpid(), "host": socket.gethostname()})
    emit(run_job(job, emit))
    proto.close()
    # The package is in place and the result sent: skip the interpreter's slow teardown of
    # numpy, PIL, pydantic... (the coordinator would otherwise wait on it before the next story).
    sys.stderr.flush()
    logging.shutdown()
    os._exit(0)


# ---------------------------------------------------------------------------------------- coordinator side
def _python_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the videonews package
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        paths.append(root)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


class StoryProcess:
    """A worker subprocess, seen from the coordinator.

    `spawn()` starts it (it imports the build function and waits); `assign(job)` gives it its
    story, so a spare can be started ahead of time. Events it prints are passed to
    `sink(self, event)` from a reader thread; after the last one comes ``{"event": "eof"}``.
    Call `finish()` then to reap it and get the result event.
    """

    def __init__(self, *, sink: Callable[[StoryProcess, Event], None], log_dir: Path | None = None,
                 env: dict[str, str] | None = None, preload: str | None = None) -> None:
        self.sink = sink
        self.log_dir = log_dir
        self.env = env
        self.preload = preload
        self.job: dict[str, Any] = {}
        self.story_id = ""
        self.log_path: Path | None = None
        self.timeout: float | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.result: Event | None = None
        self.started = 0.0
        self.deadline: float | None = None
        self.killed_for: str | None = None
        self._reader: threading.Thread | None = None

    def spawn(self) -> StoryProcess:
        log: IO[bytes] | int = subprocess.DEVNULL
        if self.log_dir is not None:
            real_folder(self.log_dir)
            self.log_path = self.log_dir / f".spare-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}.log"
            log = self.log_path.open("wb")
        argv = [sys.executable, "-m", "videonews.batch.worker"]
        if self.preload:
            argv += ["--preload", self.preload]
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                         start_new_session=True, env=_python_env(self.env))
        finally:
            if not isinstance(log, int):
                log.close()
        self._reader = threading.Thread(target=self._read, name=f"worker-{self.proc.pid}", daemon=True)
        self._reader.start()
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def assign(self, job: dict[str, Any], timeout: float | None = None) -> None:
        """Give the (spawned) worker its story; its timeout counts from now."""
        assert self.proc is not None and self.proc.stdin is not None
        self.job = job
        self.story_id = job.get("id", "")
        self.timeout = timeout
        if self.log_path is not None and self.log_dir is not None:
            final = self.log_dir / f"{self.story_id}.log"
            with contextlib.suppress(OSError):
                os.replace(self.log_path, final)
                self.log_path = final
        self.started = time.monotonic()
        self.deadline = self.started + timeout if timeout else None
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()  # stdin stays open: it is the worker's lifeline

    def discard(self) -> None:
        """Stop a spare that never got a story, and remove its log."""
        self.kill()
        if self.proc is not None:
            self.finish()
        if self.log_path is not None and self.log_path.name.startswith(".spare-"):
            self.log_path.unlink(missing_ok=True)

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for raw in self.proc.stdout:
            try:
                event = json.loads(raw)
            except json.JSONDecodeError:
                continue
            if event.get("event") == "result":
                self.result = event
            self.sink(self, event)
        self.sink(self, {"event": "eof"})

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def overdue(self, now: float | None = None) -> bool:
        return self.deadline is not None and (now or time.monotonic()) > self.deadline

    def kill(self, reason: str | None = None) -> None:
        """Kill the worker and its ffmpeg children (its whole process group)."""
        if self.proc is None:
            return
        if reason and self.killed_for is None:
            self.killed_for = reason
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def finish(self) -> Event:
        """Reap the worker (after its eof) and return its result, or a failure saying how it died."""
        assert self.proc is not None
        if self._reader is not None:
            self._reader.join(timeout=READER_JOIN_TIMEOUT)
        if self.result is None or self.killed_for:
            # stray children of a crashed or killed worker; before reaping, so the group id is still ours
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        code = self.proc.wait()
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        wall = round(time.monotonic() - self.started, 3)
        if self.killed_for == "timeout":
            return {"event": "result", "ok": False, "exit_code": 1, "error_type": "Timeout", "wall": wall,
                    "error": f"timed out after {self.timeout:g} s; the worker and its ffmpeg were killed",
                    "remedy": "raise --timeout, or check the story's video (see its log)"}
        if self.killed_for is not None:
            return {"event": "result", "ok": False, "exit_code": 130, "error_type": "Interrupted",
                    "error": f"stopped ({self.killed_for})", "remedy": None, "wall": wall}
        if self.result is not None:
            return self.result
        how = f"killed by {_signal_name(code)}" if code < 0 else f"exited with status {code}"
        tail = self.log_tail()
        return {"event": "result", "ok": False, "exit_code": 1, "error_type": "WorkerDied", "wall": wall,
                "error": f"the worker process died ({how}) without a result" + (f": {tail}" if tail else ""),
                "remedy": "see the story's log; a crash in ffmpeg or a decoder often means a corrupt input"}

    def log_tail(self) -> str:
        if self.log_path is None or not self.log_path.is_file():
            return ""
        try:
            lines = [ln.strip() for ln in self.log_path.read_text(errors="replace").splitlines() if ln.strip()]
        except OSError:
            return ""
        return lines[-1][:300] if lines else ""


def run_story(job: dict[str, Any], *, timeout: float | None = None, log_path: Path | None = None,
              on_event: Callable[[Event], None] | None = None, should_stop: Callable[[], bool] | None = None,
              env: dict[str, str] | None = None, poll: float = 0.5) -> Event:
    """Run one job in a worker subprocess to the end and return its result event (blocking)."""
    q: queue.Queue[Event] = queue.Queue()
    log_dir = None
    if log_path is not None:
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_dir = log_path.parent
        except OSError:  # e.g. the output folder is not shared with this Dask worker
            log_dir = None
    sp = StoryProcess(log_dir=log_dir, env=env, sink=lambda _p, e: q.put(e)).spawn()
    sp.assign({**job, "id": job.get("id") or (log_path.stem if log_path else "")}, timeout)
    try:
        while True:
            try:
                event = q.get(timeout=poll)
            except queue.Empty:
                if sp.overdue():
                    sp.kill("timeout")
                elif should_stop is not None and should_stop():
                    sp.kill("batch cancelled")
                continue
            if event["event"] == "eof":
                return sp.finish()
            if on_event is not None and event["event"] != "result":
                on_event(event)
    except BaseException:
        sp.kill("interrupted")
        sp.finish()
        raise


def run_remote(job: dict[str, Any], timeout: float | None, log_path: str | None, topic: str | None,
               cancel_name: str | None) -> Event:
    """The Dask task: run one story in a subprocess on the Dask worker; return the result event.

    Stage events go back to the client as Dask worker events on `topic`; setting the
    distributed Event `cancel_name` kills the story (the batch was interrupted).
    """
    started_at = time.time()
    host = socket.gethostname()
    worker: Any = None
    cancel: Any = None
    try:
        from distributed import Event as DEvent
        from distributed import get_worker

        worker = get_worker()
        if cancel_name:
            cancel = DEvent(cancel_name)
    except (ImportError, ValueError):  # pragma: no cover - run outside a Dask worker
        pass
    threads = job.get("settings", {}).get("threads", 0)
    if not threads and worker is not None:
        nthreads = getattr(getattr(worker, "state", worker), "nthreads", 1) or 1
        if nthreads > 1:
            job = {**job, "settings": {**job.get("settings", {}), "threads": max(1, (os.cpu_count() or 1) // nthreads)}}
    story_id = job.get("id")

    def forward(event: Event) -> None:
        if worker is not None and topic:
            # progress only: failing to send it must not fail a healthy build
            with contextlib.suppress(Exception):
                worker.log_event(topic, {**event, "story": story_id, "host": host})

    def stop() -> bool:
        if cancel is None:
            return False
        try:
            return bool(cancel.is_set())
        except Exception:  # the scheduler is gone: stop
            return True

    threads_env = {"VIDEONEWS_THREADS": str(job.get("settings", {}).get("threads", 0))}
    forward({"event": "started", "pid": None})
    result = run_story(job, timeout=timeout, log_path=Path(log_path) if log_path else None, on_event=forward,
                       should_stop=stop, env=threads_env, poll=REMOTE_POLL)
    return {**result, "host": host, "started_at": started_at}


if __name__ == "__main__":
    sys.exit(main())
