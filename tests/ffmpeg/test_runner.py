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
