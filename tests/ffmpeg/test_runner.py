import sys
import time

import pytest

from videonews.errors import FFmpegError
from videonews.ffmpeg.runner import live_children, run


def test_captures_stderr_into_typed_error(exe):
    with pytest.raises(FFmpegError) as info:
        run([exe, "-hide_banner", "-i", "/nonexistent/file.mp4"], what="probe")
    err = info.value
    assert err.returncode != 0
    assert "No such file" in err.stderr
    assert err.argv[0] == exe
    assert "No such file" in str(err)


def test_timeout_kills_the_child():
    t = time.monotonic()
    with pytest.raises(FFmpegError, match="did not finish within"):
        run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5, what="sleeper")
    assert time.monotonic() - t < 10
    assert live_children() == 0


def test_progress_is_reported(exe, tmp_path):
    seen = []
    run([exe, "-hide_banner", "-y", "-f", "lavfi", "-i", "testsrc2=s=160x90:d=2", "-c:v", "libx264",
         "-preset", "ultrafast", str(tmp_path / "x.mp4")], duration=2.0, on_progress=seen.append)
    assert seen, "no progress blocks parsed"
    assert seen[-1].seconds == pytest.approx(2.0, abs=0.2)
    assert seen[-1].fraction == pytest.approx(1.0, abs=0.1)


def test_keyboard_interrupt_kills_the_child(monkeypatch):
    import subprocess

    real_wait = subprocess.Popen.wait
    calls = {"n": 0}

    def interrupted(self, timeout=None):
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt
        return real_wait(self, timeout)

    monkeypatch.setattr(subprocess.Popen, "wait", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=60)
    monkeypatch.undo()
    assert live_children() == 0


def test_every_stderr_line_reaches_the_callback_beyond_the_kept_tail():
    seen: list[str] = []
    code = "import sys\nfor i in range(500): print(f'line {i}', file=sys.stderr)"
    r = run([sys.executable, "-c", code], stderr_limit=50, on_stderr_line=seen.append, what="talker")
    assert seen == [f"line {i}" for i in range(500)]
    assert r.stderr.splitlines() == [f"line {i}" for i in range(450, 500)]


def test_stdin_chunks_reach_the_child(tmp_path):
    out = tmp_path / "got.bin"
    chunks = [bytes([i]) * 1000 for i in range(50)]
    run([sys.executable, "-c", f"import sys; open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())"],
        stdin=iter(chunks), what="reader")
    assert out.read_bytes() == b"".join(chunks)


def test_a_failing_stdin_source_kills_the_child_and_is_raised():
    def frames():
        yield b"x" * 100
        raise ValueError("frame 2 is broken")

    t = time.monotonic()
    with pytest.raises(ValueError, match="frame 2"):
        run([sys.executable, "-c", "import sys, time; sys.stdin.read(); time.sleep(30)"], stdin=frames(), what="reader")
    assert time.monotonic() - t < 10 and live_children() == 0


def test_cancel_from_another_thread_stops_the_child():
    import threading

    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    t = time.monotonic()
    with pytest.raises(FFmpegError, match="cancelled"):
        run([sys.executable, "-c", "import time; time.sleep(30)"], cancel=cancel, what="sleeper")
    assert time.monotonic() - t < 5 and live_children() == 0
