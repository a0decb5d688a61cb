"""The batch with the real pipeline (videonews.pipeline.build_story) on tiny generated media."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from batch_helpers import REAL_ARTICLE, alive, copy_stories, corrupt
from click.testing import CliRunner

from videonews.batch import Ledger, ledger_path, run_batch
from videonews.cli import main
from videonews.manifest import verify_package
from videonews.settings import Settings

pytestmark = pytest.mark.slow

DETERMINISTIC = ("subtitles", "captions_script", "structured_data", "captioned_video", "preview_video")


@pytest.fixture(scope="module")
def local_run(real_stories, tmp_path_factory):
    """story-a, story-b (with a photo) and a story-c whose video is garbage, built by `videonews batch`."""
    root = copy_stories(real_stories, tmp_path_factory.mktemp("local") / "stories")
    corrupt(root / "story-c")
    out = root.parent / "out"
    res = CliRunner().invoke(main, ["batch", str(root), "--out", str(out), "--workers", "2", "--json"])
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    return {"root": root, "out": out, "exit_code": res.exit_code, "events": lines, "summary": lines[-1],
            "stderr": res.stderr}


def test_corrupt_video_is_named_and_the_others_are_built(local_run):
    summary, out = local_run["summary"], local_run["out"]
    assert local_run["exit_code"] == 2, local_run["stderr"]
    states = {s["id"]: s for s in summary["stories"]}
    assert {k: v["state"] for k, v in states.items()} == {"story-a": "done", "story-b": "done", "story-c": "failed"}
    bad = states["story-c"]
    assert bad["exit_code"] == 2 and "video.mp4" in bad["error"] and bad["error_type"] == "MediaError"
    for sid in ("story-a", "story-b"):
        assert verify_package(out / sid) == []
        assert {"ingest", "render", "package"} <= set(states[sid]["stage_times"])
    assert any(e["event"] == "stage" and e["stage"] == "render" for e in local_run["events"])
    with Ledger(ledger_path(out)) as led:
        assert led.get("story-b")["inputs"][2]["role"] == "photo"


def test_rerun_skips_finished_stories(local_run):
    res = CliRunner().invoke(main, ["batch", str(local_run["root"]), "--out", str(local_run["out"]), "--json"])
    summary = json.loads(res.stdout.splitlines()[-1])
    assert summary["counts"]["skipped"] == 2 and summary["counts"]["failed"] == 1 and res.exit_code == 2
    assert not any(json.loads(x)["event"] == "started" for x in res.stdout.splitlines())


def test_dask_builds_the_same_packages(local_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "out-dask"
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cl:
        # the local run used 2 workers, hence 1 ffmpeg thread a story: the same here, so videos match too
        root = local_run["root"]
        result = run_batch([root / "story-a", root / "story-c"], out, dask_address=cl.scheduler_address,
                           settings=Settings(threads=1))
    assert result.backend == "dask" and result.exit_code == 2
    assert {o.id: o.state for o in result.outcomes} == {"story-a": "done", "story-c": "failed"}
    with Ledger(ledger_path(out)) as led:
        assert led.get("story-a")["state"] == "done" and led.get("story-c")["exit_code"] == 2
    assert verify_package(out / "story-a") == []
    local = json.loads((local_run["out"] / "story-a" / "manifest.json").read_text())["assets"]
    dask = {a["path"]: a for a in json.loads((out / "story-a" / "manifest.json").read_text())["assets"]}
    assert {a["path"] for a in local} == set(dask)
    # x264 with the same thread count, PNG/JPEG/WebP and the JSON writers are all deterministic:
    # every file is byte for byte the one the local run made
    assert {a["path"]: a["sha256"] for a in local} == {p: a["sha256"] for p, a in dask.items()}
    assert {a["role"] for a in local} >= set(DETERMINISTIC) | {"poster", "thumbnail", "contact_sheet"}

def test_sigkill_mid_run_then_rerun_finishes_every_package(real_stories, tmp_path):
    root = copy_stories(real_stories, tmp_path / "stories", ["story-a", "story-b"])
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "videonews", "batch", str(root), "--out", str(out), "--workers", "1", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    workers = {}
    try:
        for line in proc.stdout:
            event = json.loads(line)
            if event["event"] == "started":
                workers[event["story"]] = int(event["worker"].split()[1])
            if event["event"] == "done":
                break
        else:
            raise AssertionError("the batch ended before a story was done")
        deadline = time.monotonic() + 10
        while len(workers) < 2 and time.monotonic() < deadline:  # the second story has started
            event = json.loads(proc.stdout.readline())
            if event["event"] == "started":
                workers[event["story"]] = int(event["worker"].split()[1])
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    with Ledger(ledger_path(out)) as led:
        assert sorted(r["state"] for r in led.rows()) == ["done", "running"]
    deadline = time.monotonic() + 10  # orphaned workers notice the coordinator is gone and kill their group
    while any(alive(p) for p in workers.values()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in workers.values())

    events = []
    result = run_batch([root], out, on_event=events.append)
    assert result.exit_code == 0
    assert sorted(o.state for o in result.outcomes) == ["done", "skipped"]
    assert any(e["event"] == "requeued" for e in events)
    for sid in ("story-a", "story-b"):
        assert verify_package(out / sid) == []
    assert not list(out.glob(".building-*")) and not list(out.glob(".old-*"))


def test_timeout_kills_the_story_and_its_ffmpeg(make_video, exe, tmp_path):
    # The render's "ffmpeg" hangs (a wrapper that becomes `sleep` when it sees the caption burn), so the
    # story is mid-render at the timeout on any machine, fast or loaded; every other run is real ffmpeg.
    # 12 s leave a loaded machine time to start the worker and analyse the 6 s clip before the render.
    wrapper = tmp_path / "ffmpeg-hangs-in-render"
    wrapper.write_text(
        "#!/bin/sh\n"
        'case "$*" in *fontsdir=*) exec sleep 600 ;; esac\n'
        f'exec "{exe}" "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    folder = tmp_path / "stories" / "story-a"
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(REAL_ARTICLE, encoding="utf-8")
    shutil.copy(make_video(shots=(3.0, 3.0), speech=((0.5, 2.5), (3.5, 5.5))), folder / "video.mp4")
    root, out = folder.parent, tmp_path / "out"
    events: list[dict] = []
    t = time.monotonic()
    result = run_batch([root], out, timeout=12.0, on_event=events.append,
                       settings=Settings(ffmpeg=wrapper, threads=1))
    assert time.monotonic() - t < 40
    (o,) = result.outcomes
    assert o.state == "failed" and o.error_type == "Timeout" and result.exit_code == 1, o
    assert any(e["event"] == "stage" and e.get("stage") == "render" for e in events), events
    pid = int(next(e for e in events if e["event"] == "started")["worker"].split()[1])
    time.sleep(0.2)
    ps = subprocess.run(["ps", "-eo", "pgid="], capture_output=True, text=True).stdout.split()
    assert str(pid) not in ps  # nothing left in the worker's process group (ffmpeg included)
    assert not list(out.glob(".building-*")) and not (out / "story-a").exists()
