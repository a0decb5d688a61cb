"""Faults during a build: ffmpeg killed, the disk full, Ctrl-C, two builds of one story at once, and
repeated builds leaking nothing. The previous package always survives intact."""

from __future__ import annotations

import _thread
import errno
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import rb_media as m
from click.testing import CliRunner
from conftest import FAST, Media

import videonews.fsutil as fsutil
import videonews.pipeline as pipeline
import videonews.stages.render as render_stage
from videonews.cli import main
from videonews.errors import FFmpegError, OutputError
from videonews.ffmpeg import runner
from videonews.manifest import MANIFEST_NAME, verify_package
from videonews.pipeline import build_story


def _children() -> list[str]:
    """Commands of live child processes of this process (zombies excluded)."""
    me = str(os.getpid())
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            found.append((stat.parent / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace"))
    return found


def _slow_render(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the render read its input in real time (-re), so there is a 'mid-render' to hit."""
    real = render_stage.render_argv

    def slow(*args, **kwargs):
        argv = real(*args, **kwargs)
        i = argv.index("-i")
        return [*argv[:i], "-re", *argv[i:]]

    monkeypatch.setattr(render_stage, "render_argv", slow)


@pytest.fixture
def slow_story(media: Media, tmp_path: Path) -> Path:
    return m.make_story(tmp_path / "s", video=media.video("slow"))


def test_ffmpeg_killed_mid_render_keeps_the_old_package(slow_story, old_package, monkeypatch) -> None:
    out, before = old_package()
    _slow_render(monkeypatch)
    real_run_render = render_stage.run_render
    killed: list[int] = []

    def run_render_then_kill(argv, **kwargs):
        def kill() -> None:
            with runner._LIVE_LOCK:
                procs = [p for p in runner._LIVE if p.poll() is None]
            for p in procs:
                killed.append(p.pid)
                os.kill(p.pid, signal.SIGKILL)

        timer = threading.Timer(1.0, kill)
        timer.start()
        try:
            return real_run_render(argv, **kwargs)
        finally:
            timer.cancel()

    monkeypatch.setattr(render_stage, "run_render", run_render_then_kill)
    with pytest.raises(FFmpegError) as ei:
        build_story(slow_story, out, FAST)
    assert killed, "the render finished before it could be killed"
    assert "killed by SIGKILL" in ei.value.problem and ei.value.remedy
    assert ei.value.path and ei.value.path.endswith("video.mp4")
    assert m.snapshot(out / "case") == before and verify_package(out / "case") == []
    assert m.leftovers(out) == []
    assert runner.live_children() == 0


@pytest.mark.parametrize("where", ["font-install", "manifest"])
def test_disk_full_is_one_clear_line_and_keeps_the_old_package(where, media: Media, tmp_path, old_package,
                                                                 monkeypatch) -> None:
    out, before = old_package()
    story = m.make_story(tmp_path / "s", video=media.video("tiny"))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "manifest":  # the very last write
        monkeypatch.setattr(pipeline, "write_manifest", full)
    else:  # mid-build, before the render
        from videonews.typefaces import FontChoice

        monkeypatch.setattr(FontChoice, "install", full)
    with pytest.raises(OutputError) as ei:
        build_story(story, out, FAST)
    line = ei.value.one_line()
    assert "no space left on device" in line and str(out) in line and "free disk space" in line
    assert m.snapshot(out / "case") == before
    assert m.leftovers(out) == []

    monkeypatch.setenv("VIDEONEWS_THUMBNAIL_CANDIDATES", "8")
    result = CliRunner().invoke(main, ["build", str(story), "--out", str(out), "--preset", "draft"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    (err,) = [ln for ln in result.stderr.splitlines() if ln.startswith("videonews: error:")]
    assert "no space left on device" in err
    assert m.snapshot(out / "case") == before and m.leftovers(out) == []


@pytest.mark.parametrize("when", ["mid-render", "thumbnails"])
def test_ctrl_c_leaves_no_children_and_no_temp_folders(when, slow_story, old_package, monkeypatch) -> None:
    out, before = old_package()
    if when == "mid-render":
        _slow_render(monkeypatch)
    fired = threading.Event()

    def on_stage(stage: str, fraction: float | None) -> None:
        if when == "mid-render" and stage == "render" and fraction and not fired.is_set():
            fired.set()  # called from the progress reader thread: Ctrl-C goes to the main thread
            _thread.interrupt_main()
        if when == "thumbnails" and stage == "thumbnails":
            fired.set()
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_story(slow_story, out, FAST, on_stage=on_stage)
    assert fired.is_set()
    assert runner.live_children() == 0
    assert not [c for c in _children() if "ffmpeg" in c]
    assert m.leftovers(out) == []
    assert m.snapshot(out / "case") == before


def test_ctrl_c_in_the_cli_exits_130(media: Media, tmp_path: Path, monkeypatch) -> None:
    story = m.make_story(tmp_path / "s", video=media.video("tiny"))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "thumbnails", interrupted)
    result = CliRunner().invoke(main, ["build", str(story), "--out", str(tmp_path / "out")])
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert m.leftovers(tmp_path / "out") == [] and not (tmp_path / "out" / "case").exists()


def _watch(package: Path, stop: threading.Event, seen: list[str]) -> None:
    """Poll the package folder: it must always be whole (present with its manifest)."""
    while not stop.is_set():
        try:
            names = set(os.listdir(package))
        except FileNotFoundError:
            seen.append("missing")
            continue
        seen.append("ok" if MANIFEST_NAME in names else f"no manifest: {sorted(names)}")
        time.sleep(0.002)


@pytest.mark.parametrize("how", ["threads", "processes"])
def test_two_builds_of_one_story_at_once(how, media: Media, tmp_path: Path, old_package) -> None:
    out, _ = old_package()
    story = m.make_story(tmp_path / "s", video=media.video("tiny"))
    stop = threading.Event()
    seen: list[str] = []
    watcher = threading.Thread(target=_watch, args=(out / "case", stop, seen))
    watcher.start()
    try:
        if how == "threads":
            errors: list[BaseException] = []

            def one() -> None:
                try:
                    build_story(story, out, FAST)
                except BaseException as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)

            threads = [threading.Thread(target=one) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            assert not errors, errors
        else:
            env = dict(os.environ, VIDEONEWS_THUMBNAIL_CANDIDATES="8")
            cmd = [sys.executable, "-m", "videonews", "build", str(story), "--out", str(out), "--preset", "draft"]
            procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                     for _ in range(2)]
            for p in procs:
                _, err = p.communicate(timeout=120)
                assert p.returncode == 0, err.decode()
    finally:
        stop.set()
        watcher.join()
    assert seen and set(seen) == {"ok"}, sorted(set(seen))
    assert verify_package(out / "case") == []
    assert m.leftovers(out) == []


def test_stale_cleanup_spares_other_stories(media: Media, tmp_path: Path) -> None:
    """A killed build's work folder is removed; another story's ('case-2', still building) is not."""
    out = tmp_path / "out"
    mine = out / ".building-case-999-deadbeef"
    theirs = out / ".building-case-2-999-deadbeef"
    theirs_old = out / ".old-case-2-deadbeef"
    for d in (mine, theirs, theirs_old):
        (d / "subtitles").mkdir(parents=True)
    build_story(m.make_story(tmp_path / "s", video=media.video("tiny")), out, FAST)
    assert not mine.exists()
    assert theirs.is_dir() and theirs_old.is_dir()


def test_repeated_builds_leak_no_file_descriptors(media: Media, tmp_path: Path) -> None:
    story = m.make_story(tmp_path / "s", video=media.video("tiny"), photo=media.photo("rgb"))
    out = tmp_path / "out"
    build_story(story, out, FAST)  # warm: lazy imports and caches
    fds = len(os.listdir("/proc/self/fd"))
    threads = threading.active_count()
    for _ in range(3):
        build_story(story, out, FAST)
    assert len(os.listdir("/proc/self/fd")) == fds
    assert threading.active_count() == threads
    assert runner.live_children() == 0
    assert verify_package(out / "case") == []


def test_swap_is_one_atomic_exchange(tmp_path: Path, monkeypatch) -> None:
    """Where renameat2 works, the package path never goes missing: no two-step rename is used."""
    final, work = tmp_path / "case", tmp_path / ".building-case-1-0123abcd"
    for d, tag in ((final, b"old"), (work, b"new")):
        d.mkdir()
        (d / MANIFEST_NAME).write_bytes(tag)
    if not fsutil.exchange(work, final):
        pytest.skip("renameat2(RENAME_EXCHANGE) unsupported here: the two-step fallback is used")
    fsutil.exchange(work, final)  # and back
    assert (final / MANIFEST_NAME).read_bytes() == b"old"

    def no_replace(*args):
        raise AssertionError("os.replace used: the package would be missing for a moment")

    monkeypatch.setattr(fsutil.os, "replace", no_replace)
    fsutil.swap_into_place(work, final)
    assert (final / MANIFEST_NAME).read_bytes() == b"new" and not work.exists()
