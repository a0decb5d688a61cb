"""run_batch with an injected fake build (tests/batch/batch_fakebuild.py) in real worker subprocesses."""

import time

import pytest
from batch_helpers import FAKE_BUILD, alive, corrupt, fake_story

from videonews.batch import Ledger, ledger_path, run_batch
from videonews.batch.runner import default_workers, threads_per_story
from videonews.manifest import verify_package


def _run(sources, out, **kw):
    events = []
    kw.setdefault("workers", 2)
    result = run_batch(sources, out, build=FAKE_BUILD, on_event=events.append, **kw)
    return result, events


def _states(out):
    with Ledger(ledger_path(out)) as led:
        return {r["id"]: r["state"] for r in led.rows()}


def test_default_workers_and_threads():
    assert default_workers(1) == 1 and default_workers(2) == 2 and default_workers(3) == 2
    assert default_workers(8) == 4
    assert default_workers(64) == 8
    assert threads_per_story(1, 2) == 0 and threads_per_story(2, 2) == 1 and threads_per_story(3, 16) == 5


def test_corrupt_video_fails_alone_and_rerun_skips(tmp_path):
    root = tmp_path / "stories"
    for n in ("a", "b", "c"):
        fake_story(root, n, directive="FAKE: sleep=0.2")
    corrupt(root / "b")
    out = tmp_path / "out"
    t = time.monotonic()
    result, events = _run([root], out, workers=2)
    first = time.monotonic() - t
    by_id = {o.id: o for o in result.outcomes}
    assert [o.id for o in result.outcomes] == ["a", "b", "c"]
    assert {k: o.state for k, o in by_id.items()} == {"a": "done", "b": "failed", "c": "done"}
    assert by_id["b"].error_type == "MediaError" and "ftyp" in by_id["b"].error and by_id["b"].exit_code == 2
    assert by_id["b"].stage == "ingest" and by_id["b"].stage_times.keys() == {"ingest"}
    assert result.exit_code == 2 and not result.ok
    for n in ("a", "c"):
        assert verify_package(out / n) == []
    # two stories at once: each story's ffmpeg gets cores // 2 threads, through Settings and the environment
    expected = threads_per_story(2)
    assert (out / "a" / "threads.txt").read_text() == f"{expected} {expected}"
    with Ledger(ledger_path(out)) as led:
        row = led.get("a")
        assert row["state"] == "done" and row["attempts"] == 1 and row["input_fp"] and row["settings_fp"]
        assert set(row["stage_times"]) >= {"ingest", "render", "package"}
        assert [i["role"] for i in row["inputs"]] == ["article", "video"]
        assert led.get("b")["remedy"] == "re-export the video"
    kinds = [e["event"] for e in events]
    assert kinds[0] == "plan" and kinds[-1] == "summary" and kinds.count("started") == 3
    assert any(e["event"] == "stage" and e["story"] == "a" and e["stage"] == "render" for e in events)

    # rerun: nothing to build, no worker started, the input error is not retried while inputs are unchanged
    t = time.monotonic()
    again, events = _run([root], out)
    second = time.monotonic() - t
    assert [o.state for o in again.outcomes] == ["skipped", "failed", "skipped"]
    assert "unchanged" in again.outcomes[1].reason and again.exit_code == 2
    assert not any(e["event"] == "started" for e in events)
    assert second < first / 3, (first, second)

    # fixing the video rebuilds just that story; then everything is green
    fake_story(root, "b")
    fixed, _ = _run([root], out)
    assert [o.state for o in fixed.outcomes] == ["skipped", "done", "skipped"]
    assert fixed.exit_code == 0 and _states(out)["b"] == "done"


def test_retry_failed_force_and_changed_input(tmp_path):
    root = tmp_path / "stories"
    fake_story(root, "a")
    fake_story(root, "c", directive="FAKE: fail=internal")
    out = tmp_path / "out"
    first, _ = _run([root], out)
    assert [o.state for o in first.outcomes] == ["done", "failed"] and first.exit_code == 1
    assert "fake internal failure" in first.outcomes[1].error

    (root / "a" / "article.txt").write_text("Headline of a, corrected\n")
    second, _ = _run([root], out, retry_failed=True)  # only c runs; a's change waits
    assert [o.state for o in second.outcomes] == ["ignored", "failed"]
    with Ledger(ledger_path(out)) as led:
        assert led.get("c")["attempts"] == 2 and led.get("a")["attempts"] == 1

    fake_story(root, "c")
    third, _ = _run([root], out)  # a changed -> rebuilt; c (an internal failure) is retried and now works
    assert [o.state for o in third.outcomes] == ["done", "done"] and third.exit_code == 0
    forced, _ = _run([root], out, force=True, workers=1)
    assert [o.state for o in forced.outcomes] == ["done", "done"]
    with Ledger(ledger_path(out)) as led:
        assert led.get("a")["attempts"] == 3 and led.get("c")["attempts"] == 4


def test_what_counts_as_up_to_date(tmp_path):
    from videonews.settings import Settings

    root = tmp_path / "stories"
    fake_story(root, "a")
    out = tmp_path / "out"
    _run([root], out)
    assert _run([root], out)[0].outcomes[0].state == "skipped"
    # a package edited by hand no longer verifies: rebuilt
    (out / "a" / "subtitles" / "a.en.srt").write_text("edited by hand\n")
    assert _run([root], out)[0].outcomes[0].state == "done"
    assert verify_package(out / "a") == []
    # the ledger was lost: the package's own provenance shows it is up to date; the row is adopted
    ledger_path(out).unlink()
    result, _ = _run([root], out)
    assert result.outcomes[0].state == "skipped" and _states(out) == {"a": "skipped"}
    # settings that change outputs rebuild; the thread count does not
    assert _run([root], out, settings=Settings(preset="draft"))[0].outcomes[0].state == "done"
    assert _run([root], out, settings=Settings(preset="draft", threads=3))[0].outcomes[0].state == "skipped"
    # asking for signed media rebuilds an unsigned package, and the other way round
    signed = Settings(preset="draft", test_credentials=True)
    assert _run([root], out, settings=signed)[0].outcomes[0].state == "done"
    assert _run([root], out, settings=signed)[0].outcomes[0].state == "skipped"
    assert _run([root], out, settings=Settings(preset="draft"))[0].outcomes[0].state == "done"


def test_timeouts_and_crashes_are_contained(tmp_path, monkeypatch):
    root = tmp_path / "stories"
    fake_story(root, "hung", directive="FAKE: hang")  # hangs inside the build, after writing its pid
    for n in ("crashy", "hangs", "fine"):
        fake_story(root, n)
    monkeypatch.setenv("VIDEONEWS_BATCH_TEST_HOOK", "crash:crashy,hang:hangs")  # honoured by the worker
    out = tmp_path / "out"
    t = time.monotonic()
    result, _ = _run([root], out, timeout=4, workers=4)
    assert time.monotonic() - t < 20
    by_id = {o.id: o for o in result.outcomes}
    assert by_id["fine"].state == "done" and verify_package(out / "fine") == []
    assert by_id["crashy"].error_type == "WorkerDied" and "SIGSEGV" in by_id["crashy"].error
    assert by_id["hung"].stage == "analyze"  # where it hung
    for sid in ("hung", "hangs"):
        assert by_id[sid].state == "failed" and by_id[sid].error_type == "Timeout"
        assert "timed out after 4 s" in by_id[sid].error
    assert result.exit_code == 1
    assert not alive(int((out / ".hung.pid").read_text()))
    assert not list(out.glob(".building-*"))
    assert _states(out) == {"crashy": "failed", "fine": "done", "hangs": "failed", "hung": "failed"}


def test_bad_story_and_duplicate_or_mismatched_ids(tmp_path):
    root = tmp_path / "stories"
    fake_story(root, "a")
    fake_story(root, "b", toml='id = "a"\n')  # same id as the folder 'a'
    (root / "empty").mkdir()
    fake_story(root, "d")
    csv = tmp_path / "list.csv"
    csv.write_text(f"path,id\n{root / 'a'},a\n{root / 'b'},\n{root / 'empty'},\nstories/d,cms-123\n")
    result, _ = _run([csv], tmp_path / "out")
    states = [(o.id, o.state) for o in result.outcomes]
    assert states[0] == ("a", "done")
    assert states[1][1] == "failed" and "also used by" in result.outcomes[1].error
    assert states[2] == ("empty", "failed") and "no article" in result.outcomes[2].error
    assert states[3] == ("cms-123", "failed") and "differs from the story's id 'd'" in result.outcomes[3].error
    assert result.exit_code == 2


def test_second_batch_on_the_same_folder_is_refused(tmp_path):
    from videonews.batch.ledger import BatchLock, LedgerError

    root = tmp_path / "stories"
    fake_story(root, "a")
    out = tmp_path / "out"
    with BatchLock(out), pytest.raises(LedgerError, match="another batch"):
        _run([root], out)


@pytest.mark.parametrize("client_closed", [False, True], ids=["cluster-told", "client-closed"])
def test_ctrl_c_on_dask_requeues_the_story(tmp_path, client_closed):
    distributed = pytest.importorskip("distributed")
    fake_story(tmp_path / "stories", "slow", directive="FAKE: sleep=60")
    out = tmp_path / "out"

    def on_event(event):
        if event["event"] == "stage" and event["stage"] == "analyze":
            if client_closed:  # the cluster cannot be told: the batch must still end as interrupted
                client.close()
            raise KeyboardInterrupt  # as Ctrl-C would, in the coordinator's loop

    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        result = run_batch([tmp_path / "stories"], out, build=FAKE_BUILD, dask_address=client,
                           on_event=on_event)
    assert result.interrupted and result.exit_code == 130
    assert [(o.state, o.reason) for o in result.outcomes] == [("queued", "interrupted")]
    assert _states(out) == {"slow": "queued"}
    pid, deadline = int((out / ".slow.pid").read_text()), time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:  # the task stops its story once it is cancelled
        time.sleep(0.1)
    assert not alive(pid)
