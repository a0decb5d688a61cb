"""The shared file-system helpers: atomic writes, locks and reads that never follow a link."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from videonews.errors import InputError
from videonews.fsutil import atomic_write, atomic_writer, inside, locked, open_inside, swap_into_place


def test_atomic_write_replaces_whole_and_respects_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "a" / "m.json"
    atomic_write(target, "first\n")
    atomic_write(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["m.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "cues.srt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(target) as fh:
        fh.write("half a file")
        raise RuntimeError("writer broke")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["cues.srt"]


def test_atomic_writes_from_threads_never_interleave(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    texts = [str(i) * 5000 for i in range(8)]
    threads = [threading.Thread(target=atomic_write, args=(target, t)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_text() in texts


def test_lock_refuses_a_planted_link_and_does_not_create_its_target(tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere" / "created-by-lock"
    victim.parent.mkdir()
    lock = tmp_path / ".story.lock"
    lock.symlink_to(victim)
    with pytest.raises(InputError, match="symbolic link"), locked(lock):
        pass
    assert not victim.exists()


def test_lock_excludes_a_second_holder(tmp_path: Path) -> None:
    with locked(tmp_path / ".l"):
        with pytest.raises(BlockingIOError), locked(tmp_path / ".l", blocking=False):
            pass
    with locked(tmp_path / ".l", blocking=False):  # free again
        pass
    with locked(tmp_path):  # a folder is locked as it is
        pass


def test_open_inside_reads_plain_files_and_refuses_links_and_escapes(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "images").mkdir(parents=True)
    (tmp_path / "pkg" / "images" / "a.jpg").write_bytes(b"jpeg")
    (tmp_path / "secret").write_text("password")
    (tmp_path / "pkg" / "link.txt").symlink_to(tmp_path / "secret")
    (tmp_path / "pkg" / "dirlink").symlink_to(tmp_path / "pkg" / "images")
    root = tmp_path / "pkg"
    with open_inside(root, "images/a.jpg") as fh:
        assert fh.read() == b"jpeg"
    for rel in ("link.txt", "dirlink/a.jpg"):
        with pytest.raises(OSError) as ei:
            open_inside(root, rel)
        assert ei.value.errno in (errno.ELOOP, errno.ENOTDIR)
    for rel in ("../secret", "/etc/passwd", "a\\b", ""):
        with pytest.raises(ValueError):
            open_inside(root, rel)
    assert inside(root, "images/a.jpg") == root / "images" / "a.jpg"


def test_swap_into_place_leaves_the_new_folder_and_removes_the_old(tmp_path: Path) -> None:
    final, work = tmp_path / "story", tmp_path / ".building"
    final.mkdir()
    (final / "old").write_text("old")
    work.mkdir()
    (work / "new").write_text("new")
    swap_into_place(work, final)
    assert [p.name for p in final.iterdir()] == ["new"] and not work.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story"]


def test_real_folder_makes_folders_and_refuses_planted_links(tmp_path: Path) -> None:
    from videonews.fsutil import real_folder

    made = real_folder(tmp_path / "drop" / ".versions")
    assert made.is_dir() and not made.is_symlink()
    assert real_folder(made) == made  # an existing folder is fine
    (tmp_path / "target").mkdir()
    for name, target in (("to-folder", tmp_path / "target"), ("dangling", tmp_path / "nowhere")):
        (tmp_path / name).symlink_to(target)
        with pytest.raises(InputError, match="a symbolic link where videonews keeps a folder"):
            real_folder(tmp_path / name)
    assert not (tmp_path / "nowhere").exists() and list((tmp_path / "target").iterdir()) == []


def test_a_planted_ledger_link_is_refused(tmp_path: Path) -> None:
    from videonews.batch.ledger import Ledger, ledger_path

    out = tmp_path / "out"
    out.mkdir()
    ledger_path(out).symlink_to(tmp_path / "elsewhere.sqlite")
    with pytest.raises(InputError, match="a symbolic link where videonews keeps a file"):
        Ledger(ledger_path(out))
    assert not (tmp_path / "elsewhere.sqlite").exists()
