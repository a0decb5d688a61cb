"""The `batch` and `status` commands (fake build through the hidden --build option)."""

import json
import os
import signal
import subprocess
import sys
import time

from batch_helpers import FAKE_BUILD, corrupt, fake_story
from click.testing import CliRunner

from videonews.batch import Ledger, ledger_path
from videonews.cli import main


def test_batch_names_the_broken_story_then_status(tmp_path):
    root = tmp_path / "stories"
    for n in ("a", "b", "c"):
        fake_story(root, n)
    corrupt(root / "b")
    lst = tmp_path / "today.txt"
    lst.write_text("# today\nstories/a\nstories/b\nstories/c\n")
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(main, ["batch", str(lst), "--out", str(out), "--workers", "2", "--build", FAKE_BUILD])
    assert res.exit_code == 2, res.output
    assert "[1/3]" in res.output or "[2/3]" in res.output  # one line per event when not a terminal
    assert "FAILED b in ingest:" in res.output and "no MP4 'ftyp' box" in res.output and "re-export the video" in res.output
    assert "2 done, 1 failed" in res.output

    res = runner.invoke(main, ["batch", str(lst), "--out", str(out), "--json", "--build", FAKE_BUILD])
    assert res.exit_code == 2
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [ln["event"] for ln in lines][0] == "plan" and lines[-1]["event"] == "summary"
    summary = lines[-1]
    assert summary["counts"]["skipped"] == 2 and summary["counts"]["failed"] == 1 and summary["exit_code"] == 2
    assert {s["id"]: s["state"] for s in summary["stories"]} == {"a": "skipped", "b": "failed", "c": "skipped"}

    res = runner.invoke(main, ["status", str(out), "--json"])
    assert res.exit_code == 0, res.output
    status = json.loads(res.stdout)
    assert status["ledger"] == str(ledger_path(out))
    assert status["counts"] == {"queued": 0, "running": 0, "done": 0, "failed": 1, "skipped": 2}
    rows = {r["id"]: r for r in status["stories"]}
    assert rows["b"]["exit_code"] == 2 and "ftyp" in rows["b"]["error"] and rows["b"]["attempts"] == 1
    assert rows["a"]["package"] == str(out / "a") and rows["a"]["stage_times"]
    assert rows["a"]["finished_at"].endswith("Z") and len(rows["a"]["input_fp"]) == 64
    assert status["last_batch"]["counts"]["skipped"] == 2

    res = runner.invoke(main, ["status", str(out)])
    assert res.exit_code == 0 and "failed 1" in res.output and "skipped 2" in res.output
    assert runner.invoke(main, ["status", str(tmp_path / "nothing")]).exit_code == 2


def test_batch_passes_the_build_options_to_every_story(tmp_path):
    root = tmp_path / "stories"
    fake_story(root, "a")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["batch", str(root), "--out", str(out), "--build", FAKE_BUILD, "--social", "9x16",
                                    "--graphics", "plain", "--photo-clip", "--test-credentials"])
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "a" / "manifest.json").read_text(encoding="utf-8"))
    settings = manifest["provenance"]["settings"]
    assert (settings["social"], settings["graphics"], settings["photo_clip"]) == ("9x16", "plain", True)
    assert manifest["content_credentials"]["status"] == "signed"  # the fake build's record of test_credentials
    bad = CliRunner().invoke(main, ["batch", str(root), "--out", str(out), "--build", FAKE_BUILD, "--social", "4x5"])
    assert bad.exit_code == 2 and "social" in bad.output and "Traceback" not in bad.output


def test_bad_source_is_an_input_error(tmp_path):
    res = CliRunner().invoke(main, ["batch", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "does not exist" in res.output


def _wait_for(proc, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        event = json.loads(line)
        if predicate(event):
            return event
    raise AssertionError("event not seen")


def test_ctrl_c_stops_workers_requeues_and_exits_130(tmp_path):
    root = tmp_path / "stories"
    fake_story(root, "slow", directive="FAKE: sleep=60")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "videonews", "batch", str(root), "--out", str(out), "--json",
                             "--build", FAKE_BUILD], stdout=subprocess.PIPE, text=True)
    try:
        _wait_for(proc, lambda e: e["event"] == "stage" and e["stage"] == "analyze")
        worker_pid = int((out / ".slow.pid").read_text())
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 130
    finally:
        proc.kill()
    with Ledger(ledger_path(out)) as led:
        assert led.get("slow")["state"] == "queued"
    time.sleep(0.2)
    try:
        os.kill(worker_pid, 0)
        raise AssertionError("worker still alive")
    except ProcessLookupError:
        pass
