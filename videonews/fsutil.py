"""The one place for file-system jobs every part of videonews shares.

- `atomic_write` / `atomic_writer`: a temporary file beside the target, fsync, rename over it. Files
  are created with mode 0o666 and the kernel applies the umask (no `os.umask` flipping, which is
  process-wide and races with other threads).
- `locked`: an exclusive `flock` on a lock file or a folder, opened without following links.
- `open_inside` / `inside`: paths under a root, never through a symbolic link.
- `real_folder` / `not_a_link`: folders and files videonews keeps (DROP/.versions, the batch ledger and
  logs) are never a planted link.
- `swap_into_place` / `remove_path`: put a finished folder where readers look, in one step.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any, TextIO, cast

from videonews.errors import InputError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _temp_beside(path: Path) -> tuple[Path, int]:
    """A new, exclusive temporary file in path's folder (mode 0o666 less the umask)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    while True:
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
        try:
            return tmp, os.open(tmp, flags, 0o666)
        except FileExistsError:  # pragma: no cover - a 48-bit collision
            continue


@contextlib.contextmanager
def _replacing(path: Path, binary: bool) -> Iterator[IO[Any]]:
    """A stream to a temporary file that replaces `path` (fsynced) when the block ends without an error."""
    tmp, fd = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream (line ends as written) whose content replaces `path` only when the block
    ends without an error."""
    with _replacing(Path(path), binary=False) as stream:
        yield cast(TextIO, stream)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write text (UTF-8, line ends as given) or bytes to `path` atomically."""
    with _replacing(Path(path), binary=isinstance(data, bytes)) as stream:
        stream.write(data)


@contextlib.contextmanager
def locked(path: Path, *, blocking: bool = True) -> Iterator[int]:
    """Hold an exclusive lock on `path` for the block; yields the open descriptor.

    A folder is locked as it is; any other path is a lock file, created if missing. A symbolic
    link is never followed (a planted `OUT/.<id>.lock -> /somewhere` is refused, not created).
    Raises BlockingIOError when `blocking` is False and someone else holds the lock.
    """
    path = Path(path)
    try:
        if path.is_dir() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o666)
    except OSError as exc:
        if path.is_symlink():
            raise InputError("lock file is a symbolic link", path=path,
                             remedy="remove the link; videonews creates its own lock files") from exc
        raise
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        try:
            yield fd
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def real_folder(path: Path) -> Path:
    """`path` as a real folder, made (with its parents) if missing. A symbolic link there is refused, not
    followed: a planted `DROP/.versions -> /somewhere` must not receive what videonews writes."""
    path = Path(path)
    with contextlib.suppress(FileExistsError):  # a folder already, or a link (even a dangling one)
        path.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC))
    except OSError as exc:
        what = "a symbolic link" if path.is_symlink() else "not a folder"
        raise InputError(f"{what} where videonews keeps a folder", path=path,
                         remedy="remove it; videonews creates this folder itself") from exc
    return path


def not_a_link(path: Path) -> Path:
    """`path`, refused when it is a symbolic link (for files opened by libraries that follow links)."""
    if Path(path).is_symlink():
        raise InputError("a symbolic link where videonews keeps a file", path=path,
                         remedy="remove the link; videonews creates this file itself")
    return Path(path)


def inside(root: Path, rel: str | PurePosixPath) -> Path:
    """`root/rel` for a relative POSIX path that stays inside root by its names alone (no '..',
    no absolute path, no backslash); raises ValueError otherwise. Links are checked by
    `open_inside`, which is what reads the file."""
    text = str(rel)
    p = PurePosixPath(text)
    if not text or p.is_absolute() or ".." in p.parts or "\\" in text or "\0" in text:
        raise ValueError(f"{text!r} is not a path inside the folder")
    return Path(root, *p.parts)


def open_inside(root: Path, rel: str | PurePosixPath) -> IO[bytes]:
    """Open root/rel for reading, following no symbolic link on the way (each folder is opened
    relative to the one before with O_NOFOLLOW). Raises ValueError for a path that leaves root,
    OSError (ELOOP, ENOTDIR...) for a link or a missing file."""
    parts = inside(root, rel).relative_to(root).parts
    dir_fd = os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        for name in parts[:-1]:
            nxt = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=dir_fd)
            os.close(dir_fd)
            dir_fd = nxt
        fd = os.open(parts[-1], os.O_RDONLY | _NOFOLLOW | _CLOEXEC, dir_fd=dir_fd)
    finally:
        os.close(dir_fd)
    return os.fdopen(fd, "rb")


def remove_path(path: Path) -> None:
    """Remove a file, a link (not its target) or a folder tree; quietly if it is gone."""
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return bool(renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0)


def swap_into_place(work: Path, final: Path) -> None:
    """Move the finished folder `work` to `final`; the old one is removed only after.

    Where the kernel can, the two folders are exchanged in one step, so a reader of `final` always
    sees a complete package, old or new; elsewhere there is a moment with no package at all.
    """
    if final.is_dir() and not final.is_symlink() and exchange(work, final):
        remove_path(work)  # now the old package
        return
    old = None
    if final.exists() or final.is_symlink():
        old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(work, final)
    if old is not None:
        remove_path(old)
