import sqlite3

import pytest

from videonews.batch.ledger import BatchLock, Ledger, LedgerError, ledger_path


@pytest.fixture
def led(tmp_path):
    with Ledger(ledger_path(tmp_path)) as led:
        yield led


def _queue(led, sid="s1", fp="in1"):
    led.mark_queued(sid, path=f"/stories/{sid}", batch="b1", input_fp=fp, inputs=[{"role": "video", "sha256": fp}],
                    settings_fp="set1")


def test_wal_mode_and_file_name(tmp_path, led):
    assert led.path == tmp_path / ".videonews-ledger.sqlite"
    assert led.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_queued_running_done(led):
    _queue(led)
    assert led.get("s1")["state"] == "queued"
    led.mark_running("s1", worker="pid 1")
    led.mark_stage("s1", "render")
    row = led.get("s1")
    assert (row["state"], row["attempts"], row["stage"]) == ("running", 1, "render")
    led.mark_done("s1", package="/out/s1", wall=2.5, stage_times={"render": 1.5}, input_fp="in1b", inputs=[])
    row = led.get("s1")
    assert (row["state"], row["package"], row["stage_times"], row["exit_code"]) == ("done", "/out/s1",
                                                                                    {"render": 1.5}, 0)
    assert row["input_fp"] == "in1b" and row["finished_at"] >= row["started_at"]
    assert led.counts()["done"] == 1


def test_failure_keeps_error_remedy_and_code_then_retry_clears_it(led):
    _queue(led)
    led.mark_running("s1", worker="pid 1")
    led.mark_failed("s1", error="video.mp4: corrupt", remedy="re-export", exit_code=2, error_type="MediaError",
                    wall=0.4, stage_times={"ingest": 0.3})
    row = led.get("s1")
    assert (row["state"], row["error"], row["remedy"], row["exit_code"]) == ("failed", "video.mp4: corrupt",
                                                                             "re-export", 2)
    _queue(led)
    led.mark_running("s1", worker="pid 2")
    row = led.get("s1")
    assert row["attempts"] == 2 and row["error"] is None and row["exit_code"] is None


def test_planning_failure_counts_an_attempt(led):
    led.mark_failed("bad", error="no video", remedy=None, exit_code=2, error_type="StoryError", path="/s/bad",
                    batch="b1")
    row = led.get("bad")
    assert (row["state"], row["attempts"], row["path"]) == ("failed", 1, "/s/bad")


@pytest.mark.parametrize("steps", [["done"], ["queued", "done"], ["queued", "running", "running"],
                                   ["queued", "running", "done", "running"], ["running"]])
def test_invalid_transitions_are_refused(led, steps):
    ops = {
        "queued": lambda: _queue(led),
        "running": lambda: led.mark_running("s1", worker="w"),
        "done": lambda: led.mark_done("s1", package="p", wall=1, stage_times={}),
    }
    for step in steps[:-1]:
        ops[step]()
    with pytest.raises(LedgerError, match="not a valid ledger transition"):
        ops[steps[-1]]()


def test_stale_running_rows_are_requeued_and_interrupt_requeues(led):
    for sid in ("a", "b", "c"):
        _queue(led, sid)
    led.mark_running("a", worker="w")
    led.mark_running("b", worker="w")
    led.mark_interrupted("b")
    assert led.requeue_stale() == ["a"]
    assert {r["id"]: r["state"] for r in led.rows()} == {"a": "queued", "b": "queued", "c": "queued"}


def test_skipped_adopts_a_package_without_a_row(led):
    led.mark_skipped("s9", path="/s/s9", batch="b", package="/out/s9", input_fp="x", inputs=[], settings_fp="y")
    row = led.get("s9")
    assert (row["state"], row["exit_code"], row["package"]) == ("skipped", 0, "/out/s9")


def test_hash_cache_is_keyed_on_size_and_mtime(tmp_path, led):
    f = tmp_path / "v.mp4"
    f.write_bytes(b"abc")
    st = f.stat()
    assert led.cached_hash(f, st) is None
    led.store_hash(f, st, "h1")
    assert led.cached_hash(f, st) == "h1"
    f.write_bytes(b"abcd")
    assert led.cached_hash(f, f.stat()) is None


def test_readers_see_writes_while_open(tmp_path, led):
    _queue(led)
    other = sqlite3.connect(ledger_path(tmp_path))
    assert other.execute("SELECT state FROM stories").fetchone()[0] == "queued"
    led.mark_running("s1", worker="w")
    assert other.execute("SELECT state FROM stories").fetchone()[0] == "running"


def test_one_coordinator_per_folder(tmp_path):
    with BatchLock(tmp_path), pytest.raises(LedgerError, match="another batch is already running"), BatchLock(tmp_path):
        pass
    with BatchLock(tmp_path):  # released
        pass


def test_status_needs_a_ledger(tmp_path):
    from videonews.batch.ledger import open_ledger
    from videonews.errors import InputError

    with pytest.raises(InputError, match="no batch ledger"), open_ledger(tmp_path):
        pass


def test_an_older_ledger_gains_new_columns(tmp_path):
    path = ledger_path(tmp_path)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE stories (id TEXT PRIMARY KEY, path TEXT NOT NULL, state TEXT NOT NULL, "
               "attempts INTEGER NOT NULL DEFAULT 0)")
    db.execute("INSERT INTO stories VALUES ('old', '/s/old', 'done', 1)")
    db.commit()
    db.close()
    with Ledger(path) as led:
        assert led.get("old")["cpu"] is None and led.get("old")["state"] == "done"
        _queue(led, "old")
        assert led.get("old")["input_fp"] == "in1"
