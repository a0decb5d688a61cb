"""The one place that runs ffmpeg (and any other child process).

argv comes in as data; stderr is captured into `FFmpegError`; a timeout is
enforced; the child is killed on error, timeout or Ctrl-C; progress is read
from ffmpeg's `-progress pipe:1` stream.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from videonews.errors import FFmpegError


@dataclass
class Progress:
    seconds: float  # media time written so far
    duration: float | None  # total media time, when known
    speed: float | None = None

    @property
    def fraction(self) -> float | None:
        if not self.duration:
            return None
        return max(0.0, min(1.0, self.seconds / self.duration))


@dataclass
class RunResult:
    argv: list[str]
    returncode: int
    stderr: str
    wall: float
    stdout: str = ""
    progress: list[Progress] = field(default_factory=list)


ProgressCallback = Callable[[Progress], None]

# A video input is a local file (no network, no concat:/subfile:/data: URLs, for it or for anything it
# names) read by a video container's demuxer: an HLS or DASH playlist or a concat list named as the video
# would open other files. Frames fed on stdin use PIPE_ONLY.
VIDEO_DEMUXERS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpegts,mpeg,asf,flv,dv"
FILE_ONLY = {"protocol_whitelist": "file", "format_whitelist": VIDEO_DEMUXERS}
PIPE_ONLY = {"protocol_whitelist": "pipe"}
# the graphics template's logo: a local PNG file, read by the PNG demuxer only
LOGO_ONLY = {"protocol_whitelist": "file", "format_whitelist": "png_pipe"}


def file_url(path: str | Path) -> str:
    """A path as an ffmpeg input URL that can only mean the file ("a:b.mp4" is not protocol "a")."""
    return f"file:{path}"


def file_input(path: str | Path) -> list[str]:
    """`-i` for a local video file, with the FILE_ONLY options."""
    return [*(arg for key, value in FILE_ONLY.items() for arg in (f"-{key}", value)), "-i", file_url(path)]

# Children alive right now, so a signal handler (or a test) can see none leak.
_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_LOCK = threading.Lock()


def live_children() -> int:
    with _LIVE_LOCK:
        return sum(1 for p in _LIVE if p.poll() is None)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - kernel trouble
        pass


def _wait(proc: subprocess.Popen[bytes], timeout: float, cancel: threading.Event | None) -> bool:
    """Wait for the child; False when the timeout passed. A set `cancel` kills it."""
    if cancel is None:
        try:
            proc.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    deadline = time.monotonic() + timeout
    while True:
        try:
            proc.wait(timeout=max(0.0, min(0.2, deadline - time.monotonic())))
            return True
        except subprocess.TimeoutExpired:
            if cancel.is_set():
                _kill(proc)
                return True
            if time.monotonic() >= deadline:
                return False


def _parse_progress_block(block: dict[str, str], duration: float | None) -> Progress | None:
    raw = block.get("out_time_us") or block.get("out_time_ms")
    if raw is None or raw == "N/A":
        return None
    try:
        seconds = int(raw) / 1_000_000
    except ValueError:
        return None
    speed = None
    sp = block.get("speed", "").rstrip("x")
    try:
        speed = float(sp) if sp and sp != "N/A" else None
    except ValueError:
        speed = None
    return Progress(seconds=seconds, duration=duration, speed=speed)


def run(
    argv: Sequence[str],
    *,
    timeout: float = 3600.0,
    cwd: str | Path | None = None,
    duration: float | None = None,
    on_progress: ProgressCallback | None = None,
    what: str = "ffmpeg",
    path: str | Path | None = None,
    check: bool = True,
    stderr_limit: int = 20000,
    on_stderr_line: Callable[[str], None] | None = None,
    stdin: Iterable[bytes] | None = None,
    cancel: threading.Event | None = None,
) -> RunResult:
    """Run argv; return its stderr. Adds `-progress pipe:1 -nostats` for ffmpeg when progress is wanted.

    Only the last `stderr_limit` lines are kept in the result; a caller that needs every line of a
    long run (the analysis: one loudness line per 100 ms) reads them as they come with on_stderr_line.
    `stdin` chunks (e.g. raw frames made in Python) are written to the child's standard input from a
    thread; an error while making them kills the child and is raised here.
    `cancel`, set from another thread, stops the child and raises FFmpegError (a run on a helper
    thread cannot see the main thread's Ctrl-C).
    Raises FFmpegError (with argv, exit status and stderr) when the child fails or times out.
    """
    args = [str(a) for a in argv]
    want_progress = on_progress is not None and Path(args[0]).name.startswith("ffmpeg")
    if want_progress:
        args = [args[0], "-progress", "pipe:1", "-nostats", *args[1:]]
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=str(cwd) if cwd else None,
            start_new_session=True,  # its own process group: we can kill ffmpeg and any helper it spawns
        )
    except OSError as exc:
        raise FFmpegError(f"cannot start {what}: {exc}", argv=args, path=path) from exc
    io = _ChildIO(proc, stderr_limit=stderr_limit, on_stderr_line=on_stderr_line, stdin=stdin,
                  progress=(duration, on_progress) if want_progress else None)
    timed_out = False
    try:
        # everything after Popen sits inside this try: a Ctrl-C at any point still kills the child
        with _LIVE_LOCK:
            _LIVE.add(proc)
        io.start()
        timed_out = not _wait(proc, timeout, cancel)
        if timed_out:
            _kill(proc)
    except BaseException:  # Ctrl-C or any error in this thread: never leave ffmpeg running
        _kill(proc)
        raise
    finally:
        io.finish()
        with _LIVE_LOCK:
            _LIVE.discard(proc)
    if io.feed_error:
        raise io.feed_error[0]
    result = RunResult(argv=args, returncode=proc.returncode, stderr="\n".join(io.stderr_lines),
                       wall=time.monotonic() - started, stdout="\n".join(io.stdout_lines), progress=io.progress)
    if timed_out:
        raise FFmpegError(f"{what} did not finish within {timeout:g} s and was stopped", argv=args,
                          returncode=proc.returncode, stderr=result.stderr, path=path,
                          remedy="raise VIDEONEWS_FFMPEG_TIMEOUT or check the input")
    if cancel is not None and cancel.is_set():
        raise FFmpegError(f"{what} was stopped: the build was cancelled", argv=args, returncode=proc.returncode,
                          path=path)
    if check:
        _check_exit(result, what, path)
    return result


def _check_exit(result: RunResult, what: str, path: str | Path | None) -> None:
    code = result.returncode
    if code < 0:  # killed from outside: the OOM killer, an operator, a shutdown
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        raise FFmpegError(f"{what} was killed by {name} before it finished", argv=result.argv, returncode=code,
                          stderr=result.stderr, path=path,
                          remedy="check free memory (the OOM killer) and what else stops processes; build again")
    if code != 0:
        tail = [ln for ln in result.stderr.splitlines() if ln.strip()][-3:]
        detail = " | ".join(tail) if tail else f"exit status {code}"
        raise FFmpegError(f"{what} failed: {detail}", argv=result.argv, returncode=code, stderr=result.stderr,
                          path=path)


class _ChildIO:
    """The child's pipes, each on its own thread: stderr kept (the last lines) and passed on line by
    line, stdout parsed as ffmpeg's -progress blocks (or kept), stdin fed from chunks."""

    def __init__(self, proc: subprocess.Popen[bytes], *, stderr_limit: int,
                 on_stderr_line: Callable[[str], None] | None, stdin: Iterable[bytes] | None,
                 progress: tuple[float | None, ProgressCallback | None] | None) -> None:
        self.proc = proc
        self.stderr_lines: collections.deque[str] = collections.deque(maxlen=stderr_limit)
        self.stdout_lines: list[str] = []
        self.progress: list[Progress] = []
        self.feed_error: list[BaseException] = []
        self._on_line = on_stderr_line
        self._chunks = stdin
        self._progress = progress
        self._threads = [threading.Thread(target=self._read_stderr, daemon=True),
                         threading.Thread(target=self._read_stdout, daemon=True)]
        if stdin is not None:
            self._threads.append(threading.Thread(target=self._write_stdin, daemon=True, name="videonews-stdin"))

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def finish(self) -> None:
        for t in self._threads:
            if t.ident is not None:  # started
                t.join(timeout=5)
        for stream in (self.proc.stdout, self.proc.stderr, self.proc.stdin):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for raw in iter(self.proc.stderr.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.stderr_lines.append(line)
            if self._on_line is not None:
                self._on_line(line)

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        block: dict[str, str] = {}
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").strip()
            if self._progress is None:
                self.stdout_lines.append(line)
                continue
            key, _, value = line.partition("=")
            block[key] = value
            if key == "progress":
                self._report(_parse_progress_block(block, self._progress[0]))
                block = {}

    def _report(self, p: Progress | None) -> None:
        if p is None:
            return
        self.progress.append(p)
        callback = self._progress[1] if self._progress else None
        if callback is not None:
            try:
                callback(p)
            except Exception:  # a broken progress display must not break a render
                pass

    def _write_stdin(self) -> None:
        stdin, chunks = self.proc.stdin, self._chunks
        assert stdin is not None and chunks is not None
        source = iter(chunks)
        try:
            while True:
                try:
                    chunk = next(source)
                except StopIteration:
                    break
                except BaseException as exc:  # the input could not be made: stop the child, report it
                    self.feed_error.append(exc)
                    _kill(self.proc)
                    break
                try:
                    stdin.write(chunk)
                except (BrokenPipeError, ValueError):  # the child stopped reading: its exit status says why
                    break
        finally:
            with contextlib.suppress(OSError):
                stdin.close()
