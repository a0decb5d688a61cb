"""Inputs that must fail clearly: one line naming the file, the problem and the fix; exit status 2;
no traceback; no package created and an existing package left byte-for-byte as it was."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import rb_media as m
from click.testing import CliRunner
from conftest import FAST, Media

from videonews.cli import main
from videonews.errors import ArticleError, InputError, MediaError, StoryError
from videonews.manifest import verify_package
from videonews.pipeline import build_story


@dataclass(frozen=True)
class Bad:
    make: Callable[[Media, Path], Path]  # (media, story folder) -> the story path to build
    error: type[InputError]
    names: str  # the file the message must name
    problem: str  # regex the problem must match


def _video(data: Callable[[Media, Path], Path]) -> Callable[[Media, Path], Path]:
    def make(media: Media, folder: Path) -> Path:
        folder.parent.mkdir(parents=True, exist_ok=True)
        src = data(media, folder.parent)
        return m.make_story(folder, video=src)

    return make


def _article(data: bytes) -> Callable[[Media, Path], Path]:
    return lambda media, folder: m.make_story(folder, article=data, video=media.video("tiny"))


def _photo(make_photo: Callable[[Path], Path], name: str) -> Callable[[Media, Path], Path]:
    def make(media: Media, folder: Path) -> Path:
        folder.parent.mkdir(parents=True, exist_ok=True)
        return m.make_story(folder, video=media.video("tiny"), photo=make_photo(folder.parent / f"src-{name}"),
                            photo_name=name)

    return make


def _toml(extra: str, **names: str) -> Callable[[Media, Path], Path]:
    def make(media: Media, folder: Path) -> Path:
        m.make_story(folder, video=media.video("tiny"))
        text = (folder / "story.toml").read_text(encoding="utf-8")
        for key, value in names.items():
            text = re.sub(rf'^{key} = .*$', f'{key} = "{value}"', text, flags=re.M)
        (folder / "story.toml").write_text(extra + "\n" + text.replace('id = "case"\n', ""), encoding="utf-8")
        return folder

    return make


def _text_photo(p: Path) -> Path:
    p.write_text("this is not a photo\n")
    return p


CASES: dict[str, Bad] = {
    "truncated-moov-at-end": Bad(_video(lambda md, d: m.truncate(md.video("base"), d / "t1.mp4")),
                                 MediaError, "video.mp4", r"moov atom|truncated"),
    "truncated-faststart": Bad(_video(lambda md, d: m.truncate(md.video("faststart"), d / "t2.mp4")),
                               MediaError, "video.mp4", r"truncated"),
    "truncated-inside-index": Bad(_video(lambda md, d: m.truncate(md.video("base"), d / "t3.mp4", 0.99)),
                                  MediaError, "video.mp4", r"truncated|ends early|STSC|STSD"),
    "text-named-mp4": Bad(_video(lambda md, d: (d / "x.mp4", (d / "x.mp4").write_text("not a video\n"))[0]),
                          MediaError, "video.mp4", r"not a video|does not recognise"),
    "truncated-mkv": Bad(_video(lambda md, d: m.truncate(m.remux(md.exe, md.video("base"), d / "v.mkv"), d / "t4.mkv")),
                         MediaError, "video.mp4", r"truncated"),
    "empty-video": Bad(_video(lambda md, d: (d / "e.mp4", (d / "e.mp4").write_bytes(b""))[0]),
                       MediaError, "video.mp4", r"empty"),
    "jpeg-named-mp4": Bad(_video(lambda md, d: md.photo("rgb")), MediaError, "video.mp4", r"not a video"),
    "photo-not-an-image": Bad(_photo(_text_photo, "photo.jpg"), MediaError, "photo.jpg", r"not an image"),
    "photo-bomb-pillow-limit": Bad(_photo(m.make_png_bomb, "photo.png"), MediaError, "photo.png",
                                   r"decompression bomb"),
    "photo-bomb-our-limit": Bad(_photo(lambda p: m.make_png_bomb(p, 12000, 12000), "photo.png"), MediaError,
                                "photo.png", r"decompression bomb"),
    "empty-article": Bad(_article(b" \n\t\n"), ArticleError, "article.txt", r"empty"),
    "binary-article": Bad(_article(bytes(range(256)) * 16), ArticleError, "article.txt", r"binary"),
    "pdf-article": Bad(_article(b"%PDF-1.7\n" + bytes(range(256)) * 4), ArticleError, "article.txt", r"PDF"),
    "id-parent": Bad(_toml('id = "../escape"'), StoryError, "story.toml", r"letters, digits"),
    "id-absolute": Bad(_toml('id = "/tmp/escape"'), StoryError, "story.toml", r"letters, digits"),
    "id-dotdot": Bad(_toml('id = ".."'), StoryError, "story.toml", r"letters, digits"),
    "id-nested": Bad(_toml('id = "a/b"'), StoryError, "story.toml", r"letters, digits"),
    "language-escape": Bad(_toml('id = "case"\nlanguage = "../../escape"'), StoryError, "story.toml",
                           r"language"),
    "language-filter-syntax": Bad(_toml("id = \"case\"\nlanguage = \"en:x='y'\""), StoryError, "story.toml",
                                  r"language"),
    "missing-video": Bad(_toml('id = "case"', video="missing.mp4"), StoryError, "story.toml",
                         r"missing\.mp4.*does not exist"),
    "missing-photo": Bad(_toml('id = "case"\nphoto = "gone.jpg"'), StoryError, "story.toml",
                         r"gone\.jpg.*does not exist"),
}


@pytest.fixture(params=sorted(CASES), ids=str)
def bad(request: pytest.FixtureRequest, media: Media, tmp_path: Path) -> tuple[Bad, Path]:
    case = CASES[request.param]
    return case, case.make(media, tmp_path / "stories" / "case")


def test_api_raises_the_exact_error(bad: tuple[Bad, Path], tmp_path: Path) -> None:
    case, story = bad
    out = tmp_path / "fresh-out"
    with pytest.raises(case.error) as ei:
        build_story(story, out, FAST)
    err = ei.value
    assert case.names in (err.path or ""), err.one_line()
    assert re.search(case.problem, err.problem, re.I), err.problem
    assert err.remedy, f"no fix given: {err.one_line()}"
    assert "\n" not in err.one_line()
    assert not (out / "case").exists()  # no package folder
    assert not list(out.rglob("manifest.json")) if out.exists() else True
    assert m.leftovers(out) == []


def test_cli_exit_2_one_line_old_package_untouched(bad: tuple[Bad, Path], old_package, monkeypatch) -> None:
    case, story = bad
    out, before = old_package()
    monkeypatch.setenv("VIDEONEWS_THUMBNAIL_CANDIDATES", "8")
    result = CliRunner().invoke(main, ["build", str(story), "--out", str(out), "--preset", "draft"])
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("videonews: error:")]
    assert len(errors) == 1, result.stderr
    assert case.names in errors[0] and errors[0].endswith(")"), errors[0]  # the file, and the fix in (...)
    assert "Traceback" not in result.output + result.stderr
    assert m.snapshot(out / "case") == before
    assert verify_package(out / "case") == []
    assert m.leftovers(out) == []


def test_output_folder_that_is_a_file(media: Media, tmp_path: Path) -> None:
    story = m.make_story(tmp_path / "s", video=media.video("tiny"))
    out = tmp_path / "out.txt"
    out.write_text("a file, not a folder\n")
    result = CliRunner().invoke(main, ["build", str(story), "--out", str(out), "--preset", "draft"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("videonews: error:")]
    assert "out.txt" in line and "is a file" in line
    assert out.read_text() == "a file, not a folder\n"
