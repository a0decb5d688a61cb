"""The batch ledger: one SQLite file per output folder, `DIR/.videonews-ledger.sqlite`.

One row per story id with its state and what the last attempt did. Only the batch
coordinator writes (one writer); `videonews status` and other readers may read while a
batch runs (WAL mode). States and the transitions the coordinator makes:

    (new) -> queued | skipped | failed          planning (failed: the story cannot even be loaded)
    queued -> running | skipped | failed
    running -> done | failed | queued           queued: interrupted, or a stale row after a crash
    done | skipped | failed -> queued | skipped | failed   a later batch

A second coordinator on the same folder is refused (`BatchLock`), so a `running` row seen
by a coordinator that holds the lock was left by one that died: it is re-queued.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from videonews.errors import InputError, VideonewsError
from videonews.fsutil import locked, not_a_link

LEDGER_NAME = ".videonews-ledger.sqlite"
LOCK_NAME = ".videonews-batch.lock"
STATES = ("queued", "running", "done", "failed", "skipped")
SCHEMA_VERSION = "1"

TRANSITIONS: dict[str | None, set[str]] = {
    None: {"queued", "skipped", "failed"},
    "queued": {"queued", "running", "skipped", "failed"},
    "running": {"done", "failed", "queued"},
    "done": {"queued", "skipped", "failed"},
    "skipped": {"queued", "skipped", "failed"},
    "failed": {"queued", "skipped", "failed"},
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    batch TEXT,
    queued_at REAL,
    started_at REAL,
    finished_at REAL,
    wall REAL,
    cpu REAL,
    stage TEXT,
    stage_times TEXT,
    error TEXT,
    remedy TEXT,
    exit_code INTEGER,
    error_type TEXT,
    input_fp TEXT,
    inputs TEXT,
    settings_fp TEXT,
    package TEXT,
    worker TEXT,
    log TEXT,
    updated_at REAL
);
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    started_at REAL,
    finished_at REAL,
    backend TEXT,
    workers INTEGER,
    sources TEXT,
    total INTEGER,
    counts TEXT,
    exit_code INTEGER
);
CREATE TABLE IF NOT EXISTS file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
"""

JSON_FIELDS = ("stage_times", "inputs")
TIME_FIELDS = ("queued_at", "started_at", "finished_at", "updated_at")


class LedgerError(VideonewsError):
    """The ledger is unreadable, locked by another batch, or asked for an impossible transition."""


def ledger_path(out_dir: Path) -> Path:
    return Path(out_dir) / LEDGER_NAME


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Ledger:
    """The coordinator's handle on the ledger (use from one thread)."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise InputError("no batch ledger here", path=self.path.parent,
                             remedy="run `videonews batch ... --out DIR` first, or give the batch's DIR")
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(not_a_link(self.path), timeout=10.0, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA busy_timeout = 10000")
            if create:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                self.db.executescript(_SCHEMA)
                self._add_missing_columns()
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"cannot open the batch ledger: {exc}", path=self.path,
                              remedy="move the ledger file aside; the next batch rebuilds it from the packages") from exc

    def _add_missing_columns(self) -> None:
        """A ledger written by an older videonews gains the columns added since (additive changes only)."""
        have = {r["name"] for r in self.db.execute("PRAGMA table_info(stories)")}
        block = _SCHEMA.split("CREATE TABLE IF NOT EXISTS stories (", 1)[1].split(");", 1)[0]
        for line in block.strip().splitlines():
            name, _, decl = line.strip().rstrip(",").partition(" ")
            if name not in have and "PRIMARY KEY" not in decl and "NOT NULL" not in decl:
                self.db.execute(f"ALTER TABLE stories ADD COLUMN {name} {decl}")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading --------------------------------------------------------------------------------------
    @staticmethod
    def _row(r: sqlite3.Row | None) -> dict[str, Any] | None:
        if r is None:
            return None
        d = dict(r)
        for k in JSON_FIELDS:
            d[k] = json.loads(d[k]) if d.get(k) else ({} if k == "stage_times" else [])
        return d

    def get(self, story_id: str) -> dict[str, Any] | None:
        return self._row(self.db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone())

    def rows(self) -> list[dict[str, Any]]:
        cur = self.db.execute("SELECT * FROM stories ORDER BY COALESCE(queued_at, 0), id")
        return [r for r in (self._row(x) for x in cur.fetchall()) if r is not None]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATES, 0)
        for state, n in self.db.execute("SELECT state, COUNT(*) FROM stories GROUP BY state"):
            out[state] = n
        return out

    def last_batch(self) -> dict[str, Any] | None:
        r = self.db.execute("SELECT * FROM batches ORDER BY started_at DESC LIMIT 1").fetchone()
        if r is None:
            return None
        d = dict(r)
        d["counts"] = json.loads(d["counts"]) if d.get("counts") else {}
        d["sources"] = json.loads(d["sources"]) if d.get("sources") else []
        return d

    # -- writing (coordinator only) ---------------------------------------------------------------------
    def _transition(self, story_id: str, new: str, **fields: Any) -> None:
        row = self.db.execute("SELECT state FROM stories WHERE id = ?", (story_id,)).fetchone()
        old = row["state"] if row else None
        if new not in TRANSITIONS[old]:
            raise LedgerError(f"story '{story_id}': {old or 'new'} -> {new} is not a valid ledger transition")
        fields = {k: (json.dumps(v) if k in JSON_FIELDS and v is not None else v) for k, v in fields.items()}
        fields["state"] = new
        fields["updated_at"] = time.time()
        if row is None:
            fields["id"] = story_id
            cols = ", ".join(fields)
            marks = ", ".join("?" for _ in fields)
            self.db.execute(f"INSERT INTO stories ({cols}) VALUES ({marks})", tuple(fields.values()))
        else:
            sets = ", ".join(f"{k} = ?" for k in fields)
            self.db.execute(f"UPDATE stories SET {sets} WHERE id = ?", (*fields.values(), story_id))

    def mark_queued(self, story_id: str, *, path: str, batch: str, input_fp: str | None,
                    inputs: list[dict[str, Any]] | None, settings_fp: str | None) -> None:
        self._transition(story_id, "queued", path=path, batch=batch, queued_at=time.time(), stage=None,
                         input_fp=input_fp, inputs=inputs, settings_fp=settings_fp)

    def mark_running(self, story_id: str, *, worker: str, log: str | None = None) -> None:
        self.db.execute("UPDATE stories SET attempts = attempts + 1 WHERE id = ?", (story_id,))
        self._transition(story_id, "running", started_at=time.time(), finished_at=None, wall=None, cpu=None,
                         stage=None,
                         stage_times={}, error=None, remedy=None, exit_code=None, error_type=None,
                         worker=worker, log=log)

    def mark_stage(self, story_id: str, stage: str) -> None:
        self.db.execute("UPDATE stories SET stage = ?, updated_at = ? WHERE id = ? AND state = 'running'",
                        (stage, time.time(), story_id))

    def mark_done(self, story_id: str, *, package: str, wall: float | None, stage_times: dict[str, float],
                  input_fp: str | None = None, inputs: list[dict[str, Any]] | None = None,
                  worker: str | None = None, cpu: float | None = None) -> None:
        extra: dict[str, Any] = {"cpu": cpu}
        if input_fp is not None:
            extra["input_fp"] = input_fp
            extra["inputs"] = inputs
        if worker is not None:
            extra["worker"] = worker
        self._transition(story_id, "done", finished_at=time.time(), wall=wall, stage=None,
                         stage_times=stage_times, package=package, exit_code=0, error=None, remedy=None,
                         error_type=None, **extra)

    def mark_failed(self, story_id: str, *, error: str, remedy: str | None, exit_code: int, error_type: str | None,
                    wall: float | None = None, stage_times: dict[str, float] | None = None, path: str | None = None,
                    batch: str | None = None, input_fp: str | None = None, settings_fp: str | None = None,
                    worker: str | None = None, attempted: bool = True, cpu: float | None = None,
                    stage: str | None = None) -> None:
        """stage: where it failed (kept in the row's `stage` column)."""
        extra: dict[str, Any] = {k: v for k, v in (("path", path), ("batch", batch), ("input_fp", input_fp),
                                                   ("settings_fp", settings_fp), ("worker", worker))
                                 if v is not None}
        extra["cpu"] = cpu
        row = self.get(story_id)
        if row is None and "path" not in extra:
            extra["path"] = ""
        if attempted and (row is None or row["state"] != "running"):
            # a failure found while planning still counts as an attempt
            extra["attempts"] = (row["attempts"] if row else 0) + 1
            extra["started_at"] = time.time()
        self._transition(story_id, "failed", finished_at=time.time(), wall=wall, stage=stage,
                         stage_times=stage_times or {}, error=error, remedy=remedy, exit_code=exit_code,
                         error_type=error_type, **extra)

    def mark_skipped(self, story_id: str, *, path: str, batch: str, package: str, input_fp: str | None,
                     inputs: list[dict[str, Any]] | None, settings_fp: str | None) -> None:
        row = self.get(story_id)
        extra: dict[str, Any] = {}
        if row is None:  # a package built outside the ledger (or the ledger was lost): adopt it
            extra = {"finished_at": time.time(), "exit_code": 0}
        self._transition(story_id, "skipped", path=path, batch=batch, package=package, input_fp=input_fp,
                         inputs=inputs, settings_fp=settings_fp, stage=None, **extra)

    def mark_interrupted(self, story_id: str) -> None:
        """A running story was stopped (Ctrl-C): it goes back to the queue."""
        self._transition(story_id, "queued", stage=None, started_at=None)

    def requeue_stale(self) -> list[str]:
        """Rows left `running` by a coordinator that died; call only while holding the BatchLock."""
        ids = [r["id"] for r in self.db.execute("SELECT id FROM stories WHERE state = 'running'")]
        for story_id in ids:
            self._transition(story_id, "queued", stage=None)
        return ids

    def begin_batch(self, batch: str, *, backend: str, workers: int, sources: list[str], total: int) -> None:
        self.db.execute("INSERT INTO batches (id, started_at, backend, workers, sources, total) VALUES (?, ?, ?, ?, ?, ?)",
                        (batch, time.time(), backend, workers, json.dumps(sources), total))

    def end_batch(self, batch: str, *, counts: dict[str, int], exit_code: int) -> None:
        self.db.execute("UPDATE batches SET finished_at = ?, counts = ?, exit_code = ? WHERE id = ?",
                        (time.time(), json.dumps(counts), exit_code, batch))

    # -- input hashing cache ----------------------------------------------------------------------------
    def cached_hash(self, path: Path, st: os.stat_result) -> str | None:
        r = self.db.execute("SELECT sha256 FROM file_hashes WHERE path = ? AND size = ? AND mtime_ns = ?",
                            (str(path), st.st_size, st.st_mtime_ns)).fetchone()
        return r["sha256"] if r else None

    def store_hash(self, path: Path, st: os.stat_result, sha256: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO file_hashes VALUES (?, ?, ?, ?)",
                        (str(path), st.st_size, st.st_mtime_ns, sha256))


class BatchLock:
    """One coordinator per output folder: an exclusive lock held for the whole batch; the lock file
    holds the coordinator's pid so a refused second batch can say who runs."""

    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / LOCK_NAME
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> BatchLock:
        try:
            fd = self._stack.enter_context(locked(self.path, blocking=False))
        except BlockingIOError as exc:
            holder = ""
            with contextlib.suppress(OSError):
                holder = self.path.read_text().strip()
            raise LedgerError("another batch is already running on this output folder"
                              + (f" (pid {holder})" if holder else ""), path=self.path.parent,
                              remedy="wait for it to finish (see `videonews status`), or use another --out") from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        self._stack.close()


@contextlib.contextmanager
def open_ledger(out_dir: Path) -> Iterator[Ledger]:
    """Read-only use (status): the ledger must exist."""
    led = Ledger(ledger_path(out_dir), create=False)
    try:
        yield led
    finally:
        led.close()
