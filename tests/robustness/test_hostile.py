"""Hostile stories, as a wire feed or a careless producer would supply them (issue 17): paths that leave
the story folder, text that injects timing or direction, inputs sized to exhaust the machine, planted
links. Each case either builds a package that validates and shows its text safely, or exits 2 with one
line naming the file, the problem and the fix; nothing is written outside --out and DROP; never a
traceback. The cases about size run in a child whose every process (ffmpeg's too) is held to 1.5 GB of
address space, and which must finish within 60 s."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import rb_media as m
from click.testing import CliRunner
from conftest import Media

from videonews.cli import main
from videonews.manifest import read_manifest, verify_package

SECRET = "SECRET-TOKEN-7731 first line of a private file"
MEMORY_LIMIT = 1_500_000_000  # bytes of address space for a limited case (ffmpeg children included)
TIME_LIMIT = 60  # seconds for a limited case
CUT = "\u2060"
BIDI_CONTROLS = re.compile("[\u202a-\u202e]")


@dataclass(frozen=True)
class Case:
    make: Callable[[Media, Path], Path]  # (media, root) -> story path; root holds secret/, out/, drop/
    refuse: str | None = None  # regex the error line must match; None: the story must build
    flags: tuple[str, ...] = ()
    limited: bool = False  # run in a child under MEMORY_LIMIT and TIME_LIMIT
    check: Callable[[Path, Path], None] | None = None  # (package, root) -> more checks of a build
    env: dict[str, str] = field(default_factory=dict)


def _story(root: Path, media: Media, toml: str = 'id = "case"', **kwargs: object) -> Path:
    kwargs.setdefault("video", media.video("tiny"))
    return m.make_story(root / "story", toml=toml, **kwargs)  # type: ignore[arg-type]


def _toml(**lines: str) -> Callable[[Media, Path], Path]:
    """A story whose story.toml says `key = value` for each keyword (values as TOML, written as given)."""

    def make(media: Media, root: Path) -> Path:
        folder = _story(root, media)
        text = (folder / "story.toml").read_text(encoding="utf-8")
        for key, value in lines.items():
            text = re.sub(rf"^{key} = .*\n", "", text, flags=re.M)
            text = f"{key} = {value}\n" + text if not value.startswith("[") else text + f"{value}\n"
        (folder / "story.toml").write_text(text, encoding="utf-8")
        return folder

    return make


def _quote(text: str, *, timed: bool = True) -> Callable[[Media, Path], Path]:
    """A story whose one direct quote is `text` (timed by hand: this is about the text)."""
    article = f'Ministers meet in Testville\n\n2024-03-05 Source: Example News\n\nMinisters met.\n\n"{text}," said Anna Berg.\n'
    return lambda media, root: _story(root, media, article=article, timings={"q1": (0.2, 1.8)} if timed else None)


def _many_quotes(n: int, length: int) -> Callable[[Media, Path], Path]:
    body = "\n\n".join(f'"Quote {i} ' + "word " * ((length - 10) // 5) + 'ends," said Anna Berg.' for i in range(n))
    article = f"Ministers meet in Testville\n\n2024-03-05 Source: Example News\n\n{body}\n"
    return lambda media, root: _story(root, media, article=article)


def _linked_article(target: Callable[[Path], Path], *, named: bool) -> Callable[[Media, Path], Path]:
    """article.txt is a symbolic link to target(root); found by its extension or named in story.toml."""

    def make(media: Media, root: Path) -> Path:
        folder = _story(root, media, toml='id = "case"' if named else None)
        (folder / "article.txt").unlink()
        (folder / "article.txt").symlink_to(target(root))
        return folder

    return make


def _relink(name: str, value: Callable[[Path], str], prepare: Callable[[Path, Path], None] | None = None,
            ) -> Callable[[Media, Path], Path]:
    """story.toml names `name` = value(root); prepare(root, folder) makes what that path points at."""

    def make(media: Media, root: Path) -> Path:
        folder = _story(root, media)
        if prepare is not None:
            prepare(root, folder)
        text = (folder / "story.toml").read_text(encoding="utf-8")
        text = re.sub(rf'^{name} = .*$', f'{name} = "{value(root)}"', text, flags=re.M)
        (folder / "story.toml").write_text(text, encoding="utf-8")
        return folder

    return make


def _video(kind: str, name: str = "video.mp4") -> Callable[[Media, Path], Path]:
    return lambda media, root: _story(root, media, video=media.video(kind), video_name=name)


def _huge_article(media: Media, root: Path) -> Path:
    folder = _story(root, media)
    with (folder / "article.txt").open("r+b") as fh:
        fh.truncate(1_500_000_000)  # sparse: 1.5 GB claimed, nothing on disk
    return folder


def _photo_bomb(media: Media, root: Path) -> Path:
    (root / "src").mkdir(exist_ok=True)
    return _story(root, media, photo=m.make_png_bomb(root / "src" / "p.png", 10_000, 10_000), photo_name="photo.png")


def _hls_video(media: Media, root: Path) -> Path:
    folder = _story(root, media)
    (folder / "video.mp4").write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nfile://{root}/secret/creds.txt\n"
                                      "#EXTINF:2.0,\nhttp://127.0.0.1:9/seg.ts\n#EXT-X-ENDLIST\n")
    return folder


def _protocol_like_name(media: Media, root: Path) -> Path:
    return _story(root, media, video_name="concat:video.mp4|other.mp4")


def _planted_lock(media: Media, root: Path) -> Path:
    (root / "out").mkdir()
    (root / "out" / ".case.lock").symlink_to(root / "planted-lock-target")
    return _story(root, media)


def _planted_package_link(media: Media, root: Path) -> Path:
    (root / "out").mkdir()
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "keep.txt").write_text("keep\n")
    (root / "out" / "case").symlink_to(root / "elsewhere")
    return _story(root, media)


def _planted_versions(media: Media, root: Path) -> Path:
    (root / "drop").mkdir()
    (root / "versions-target").mkdir()
    (root / "drop" / ".versions").symlink_to(root / "versions-target")
    return _story(root, media)


def _fifo(root: Path, folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


def _linked_toml(media: Media, root: Path) -> Path:
    folder = _story(root, media)
    (folder / "story.toml").rename(root / "secret" / "story.toml")
    (folder / "story.toml").symlink_to(root / "secret" / "story.toml")
    return folder


def _hls_m3u8(media: Media, root: Path) -> Path:
    """A playlist named as the video, its segment another story's video: a file outside the folder."""
    (root / "other").mkdir()
    (root / "other" / "seg.mp4").write_bytes(media.video("tiny").read_bytes())
    folder = _relink("video", lambda r: "video.m3u8")(media, root)
    (folder / "video.m3u8").write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nfile://{root}/other/seg.mp4\n"
                                       "#EXT-X-ENDLIST\n")
    return folder


def _hard_link(media: Media, root: Path) -> Path:
    folder = _story(root, media)
    (root / "shared").mkdir()
    (folder / "article.txt").rename(root / "shared" / "article.txt")
    os.link(root / "shared" / "article.txt", folder / "article.txt")
    return folder


def _linked_folder(media: Media, root: Path) -> Path:
    real = _story(root, media)
    (root / "link-to-story").symlink_to(real)
    return root / "link-to-story"


def _outside_video(media: Media, root: Path) -> Path:
    (root / "shared").mkdir()
    (root / "story").mkdir()
    (root / "shared" / "video.mp4").write_bytes(media.video("tiny").read_bytes())
    return _relink("video", lambda r: "../shared/video.mp4")(media, root)


# --- checks of a package that was built ----------------------------------------------------------------------


def _srt_cues_as_ffmpeg_reads_them(package: Path, root: Path) -> None:
    """ffmpeg's SRT reader sees exactly the planned cues: the quote's timing line stayed text."""
    from videonews.ffmpeg import ffmpeg_exe

    (srt,) = (package / "subtitles").glob("*.srt")
    ass = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(srt), "-f", "ass", "-"], capture_output=True, text=True,
                         check=True, stdin=subprocess.DEVNULL).stdout
    dialogue = [ln for ln in ass.splitlines() if ln.startswith("Dialogue:")]
    manifest = read_manifest(package / "manifest.json")
    assert manifest.subtitles is not None
    cues = manifest.subtitles.lint.cues
    assert len(dialogue) == cues > 0
    assert not any(",0:00:00.00,0:01:00.00," in d for d in dialogue), dialogue
    import srt as srt_lib

    assert len(list(srt_lib.parse(srt.read_text(encoding="utf-8")))) == cues
    lint = CliRunner().invoke(main, ["lint", str(srt), "--json"])
    assert "timing_in_text" not in lint.output


def _no_bidi_leak(package: Path, root: Path) -> None:
    (quote,) = read_manifest(package / "manifest.json").quotes
    assert not BIDI_CONTROLS.search(quote.text) and "abc" in quote.text


def _balanced_isolates_kept(package: Path, root: Path) -> None:
    (quote,) = read_manifest(package / "manifest.json").quotes
    assert "\u2067abc\u2069" in quote.text  # a balanced isolate is legitimate and kept
    assert _ass_caption(package).count("\u2067") == _ass_caption(package).count("\u2069") == 1


def _ass_caption(package: Path) -> str:
    (ass,) = (package / "subtitles").glob("*.ass")
    _, _, events = m.ass_sections(ass.read_text(encoding="utf-8"))
    return "".join(e["Text"] for e in events if e["Style"] == "Caption")


def _old_target_untouched(package: Path, root: Path) -> None:
    assert not package.is_symlink() and sorted(p.name for p in (root / "elsewhere").iterdir()) == ["keep.txt"]


CASES: dict[str, Case] = {
    # 1. story paths
    "article-relative-parent": Case(_relink("article", lambda r: "../secret/creds.txt"),
                                    r"story\.toml \[article\]: article '\.\./secret/creds\.txt' leads outside"),
    "video-absolute": Case(_relink("video", lambda r: f"{r}/secret/video.mp4"), r"story\.toml \[video\]: .* leads outside"),
    "article-proc": Case(_relink("article", lambda r: "/proc/self/status"), r"\[article\]: .* leads outside"),
    "article-symlink-found": Case(_linked_article(lambda r: r / "secret" / "creds.txt", named=False),
                                  r"article\.txt: article 'article\.txt' leads outside"),
    "article-symlink-etc-passwd": Case(_linked_article(lambda r: Path("/etc/passwd"), named=True),
                                       r"\[article\]: .* leads outside"),
    "article-link-loop": Case(_relink("article", lambda r: "loop.txt",
                                      lambda r, f: (f / "loop.txt").symlink_to(f / "loop.txt")),
                              r"\[article\]: article 'loop\.txt' cannot be opened"),
    "video-through-linked-folder": Case(_relink("video", lambda r: "media/video.mp4",
                                                lambda r, f: (f / "media").symlink_to(r / "secret")),
                                        r"\[video\]: .* leads outside"),
    "story-toml-linked-outside": Case(_linked_toml, r"story\.toml: story file 'story\.toml' leads outside"),
    "article-is-a-folder": Case(_relink("article", lambda r: "sub", lambda r, f: (f / "sub").mkdir()),
                                r"\[article\]: article 'sub' is not a regular file"),
    "article-is-a-fifo": Case(_relink("article", lambda r: "pipe.txt", _fifo), r"'pipe\.txt' is not a regular file"),
    "dev-zero-even-when-allowed": Case(_relink("article", lambda r: "/dev/zero"), r"'/dev/zero' is not a regular file",
                                       flags=("--allow-outside",)),
    "hard-linked-article": Case(_hard_link),  # a file of the folder like any other
    "story-folder-is-a-link": Case(_linked_folder),  # the producer chose that folder
    "outside-allowed-by-flag": Case(_outside_video, flags=("--allow-outside",)),
    "outside-allowed-by-setting": Case(_outside_video, env={"VIDEONEWS_ALLOW_OUTSIDE_STORY": "true"}),
    "outside-refused-by-default": Case(_outside_video, r"\[video\]: video '\.\./shared/video\.mp4' leads outside"),
    # 2. and 7. text
    "srt-timing-injection": Case(_quote("00:00:00,000 --> 00:01:00,000 x shown for a minute"),
                                 check=_srt_cues_as_ffmpeg_reads_them),
    "bidi-unclosed-override": Case(_quote("We \u202eabc reverse the rest"), check=_no_bidi_leak),
    "bidi-unbalanced-isolates": Case(_quote("We \u2066abc and \u2069 more \u2069 and \u2068 open"),
                                     check=_no_bidi_leak),
    "bidi-balanced-isolates": Case(_quote("We say \u2067abc\u2069 to them"), check=_balanced_isolates_kept),
    "control-characters": Case(_quote("Stop\x85here\x9b[31m red\x07 \u2028 now\ufff9 abc")),
    # 3. and 4. sizes (in a child held to 1.5 GB and 60 s)
    "quote-of-100000-characters": Case(_quote("word " * 20_000, timed=False),
                                       r"article\.txt: quote q1 has \d{2,3},\d{3} characters, over the 2,000-character "
                                       r"limit \(max_quote_chars\)", limited=True),
    "quote-at-the-limit": Case(_quote(("word " * 400)[:1990]), limited=True),
    "quotes-needing-too-many-cues": Case(_many_quotes(1200, 120), r"article\.txt: its 1,200 quotes need at least "
                                         r"2,400 subtitle cues, over the 2,000-cue limit \(max_subtitle_cues\)",
                                         limited=True),
    "article-of-1.5-GB": Case(_huge_article, r"article\.txt: the article has 1,500,000,000 bytes, over the "
                              r"4,000,000-byte limit \(max_article_bytes\)", limited=True),
    "video-8192-square": Case(_video("8k-square"), r"video\.mp4: video is 8192x8192, over the 4096-pixel width "
                              r"limit \(max_video_width\)", limited=True),
    "video-too-tall": Case(_video("tall"), r"video is 96x4352, over the 4096-pixel height limit \(max_video_height\)"),
    "video-too-many-pixels": Case(_video("3000-square"), r"video frame is 3000x3000 = 9,000,000 pixels, over the "
                                  r"8,847,360-pixel limit \(max_video_pixels\)"),
    "video-header-claims-ten-hours": Case(_video("ten-hours", "video.mkv"), r"video\.mkv: video header says it lasts "
                                          r"36,000 s, over the 10,800-second limit \(max_video_seconds\)",
                                          limited=True),
    "video-header-lies-within-the-limit": Case(_video("two-hours", "video.mkv"), r"video\.mkv: video header says it "
                                               r"lasts 7,000\.0 s, but its frames end at [12]\.\d s"),
    "video-with-41-streams": Case(_video("many-streams", "video.mkv"), r"video file has 41 streams, over the "
                                  r"32-stream limit \(max_video_streams\)"),
    "photo-of-100-megapixels": Case(_photo_bomb, r"photo\.png: photo claims 10000x10000 = 100\.0 megapixels .*over "
                                    r"the 40-megapixel limit \(max_photo_megapixels\)", limited=True),
    "limit-raised-by-setting-tall": Case(_video("tall"), env={"VIDEONEWS_MAX_VIDEO_HEIGHT": "5000"}, limited=True),
    "limit-raised-by-setting-wide": Case(_video("wide"), env={"VIDEONEWS_MAX_VIDEO_WIDTH": "5000"}, limited=True),
    "video-too-wide": Case(_video("wide"), r"video is 4352x96, over the 4096-pixel width limit \(max_video_width\)"),
    # 5. and 6. story.toml values
    "id-with-newline": Case(_toml(id='"x\\n"'), r"story\.toml \[id\]: .*letters, digits"),
    "language-with-newline": Case(_toml(language='"en\\n"'), r"story\.toml \[language\]: .*language tag"),
    "style-not-a-number": Case(_toml(style='[style]\nmax_chars_per_line = "abc"'),
                               r"story\.toml \[style\.max_chars_per_line\]: Input should be a valid integer"),
    "style-zero-chars-per-line": Case(_toml(style="[style]\nmax_chars_per_line = 0"),
                                      r"\[style\.max_chars_per_line\]: Input should be greater than or equal to 10"),
    "style-zero-cps": Case(_toml(style="[style]\ntarget_cps = 0"), r"\[style\.target_cps\]: Input should be greater"),
    "style-unknown-key": Case(_toml(style="[style]\ncolour = 1"), r"\[style\.colour\]: Extra inputs"),
    "style-values-disagree": Case(_toml(style="[style]\nmin_duration = 9.0"),
                                  r"story\.toml \[style\]: min_duration \(9\) must not exceed max_duration \(7\)"),
    "poster-time-infinite": Case(_toml(poster_time="inf"), r"\[poster_time\]: Input should be a finite number"),
    "timing-infinite": Case(_toml(timings="[timings]\nq1 = [0.5, inf]"), r"\[timings\.q1\.1\]: .*finite"),
    "source-url-javascript": Case(_toml(source_url='"javascript:alert(1)"'), r"\[source_url\]: .*http"),
    "profile-unknown": Case(_toml(profile='"fancy"'), r"\[profile\]: .*netflix"),
    "headline-huge": Case(_toml(headline='"' + "x" * 5000 + '"'), r"\[headline\]: String should have at most 1000"),
    # 8. planted links
    "planted-lock-link": Case(_planted_lock, r"out/\.case\.lock: lock file is a symbolic link"),
    "planted-package-link": Case(_planted_package_link, check=_old_target_untouched),
    "planted-drop-versions-link": Case(_planted_versions, r"drop/\.versions: a symbolic link where videonews keeps",
                                       flags=("--publish", "{root}/drop")),
    # 9. inputs that are not local media files
    "hls-playlist-named-mp4": Case(_hls_video, r"video\.mp4: not readable as media: .*not a video file"),
    "hls-playlist-named-m3u8": Case(_hls_m3u8, r"video\.m3u8: not readable as media: .*not a video file"),
    "protocol-like-file-name": Case(_protocol_like_name),
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "creds.txt").write_text(SECRET + "\n\n\"And this is the secret quote,\" said Mallory.\n")
    (tmp_path / "secret" / "video.mp4").write_bytes(b"")
    return tmp_path


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under root but out/ and drop/, with its size and modification time (links not followed)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if d not in ("out", "drop")]
        for name in dirs + files:
            if rel == Path(".") and name in ("out", "drop"):
                continue
            st = (Path(folder) / name).lstat()
            found[(rel / name).as_posix()] = (st.st_size, st.st_mtime_ns)
    return found


def _limits() -> None:  # in the child, before it runs videonews
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run(case: Case, argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    env = {"VIDEONEWS_THUMBNAIL_CANDIDATES": "8", **case.env}
    if case.limited:
        # glibc reserves 64 MB of address space per thread arena and ffmpeg runs dozens of threads: with two
        # arenas the address space tracks the memory really used (a render's peak: ~600 MB reserved, ~100 MB used)
        child = subprocess.run([sys.executable, "-c", "from videonews.cli import main; main()", *argv],
                               env={**os.environ, "MALLOC_ARENA_MAX": "2", **env}, capture_output=True, text=True,
                               timeout=TIME_LIMIT, preexec_fn=_limits, stdin=subprocess.DEVNULL)
        return child.returncode, child.stdout + child.stderr
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(main, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output  # stdout and stderr


@pytest.mark.parametrize("name", sorted(CASES), ids=str)
def test_hostile_story(name: str, media: Media, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    story = case.make(media, root)
    before = _tree(root)
    flags = [f.format(root=root) for f in case.flags]
    code, output = _run(case, ["build", str(story), "--out", str(root / "out"), "--preset", "draft", *flags],
                        monkeypatch)
    assert "Traceback" not in output, output
    assert _tree(root) == before, "something was written outside --out and DROP"
    if case.refuse is not None:
        assert code == 2, output
        (line,) = [ln for ln in output.splitlines() if ln.startswith("videonews: error:")]
        assert re.search(case.refuse, line), line
        assert line.endswith(")"), f"no fix given: {line}"  # the remedy, in (...)
        assert SECRET not in output
        return
    assert code == 0, output
    package = root / "out" / "case"
    assert verify_package(package) == []
    for path in package.rglob("*"):
        if path.suffix in {".srt", ".vtt", ".ass", ".ttml", ".json", ".jsonld", ".html"}:
            text = path.read_text(encoding="utf-8")
            assert SECRET not in text and not BIDI_CONTROLS.search(text), path
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text), path
    if case.check is not None:
        case.check(package, root)


def test_planted_lock_link_creates_nothing(media: Media, root: Path) -> None:
    story = _planted_lock(media, root)
    result = CliRunner().invoke(main, ["build", str(story), "--out", str(root / "out"), "--preset", "draft"])
    assert result.exit_code == 2
    assert not (root / "planted-lock-target").exists() and (root / "out" / ".case.lock").is_symlink()


def test_lint_flags_a_timing_line_inside_cue_text(tmp_path: Path) -> None:
    """A file written by something else: the injected line is reported, with the cue and the file line."""
    srt = tmp_path / "other.srt"
    srt.write_text("1\n00:00:10,000 --> 00:00:13,000\n00:00:00,000 --> 00:01:00,000 x\nHello world\n\n"
                   "2\n00:00:14,000 --> 00:00:16,000\nFine\n\n")
    result = CliRunner().invoke(main, ["lint", str(srt)])
    assert result.exit_code == 1
    assert "cue 1: error: timing_in_text: line 3 of the file looks like a timing line" in result.output
    assert "cue 2: error: timing_in_text" not in result.output
    vtt = tmp_path / "other.vtt"
    vtt.write_text("WEBVTT\n\n00:00:10.000 --> 00:00:13.000\nsee --> here\n\n")
    assert "timing_in_text: line 4" in CliRunner().invoke(main, ["lint", str(vtt)]).output


def test_lint_refuses_a_file_over_the_cue_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srt = tmp_path / "many.srt"
    srt.write_text("".join(f"{i}\n00:00:{i:02d},000 --> 00:00:{i:02d},500\nx\n\n" for i in range(1, 6)))
    monkeypatch.setenv("VIDEONEWS_MAX_SUBTITLE_CUES", "4")
    result = CliRunner().invoke(main, ["lint", str(srt)])
    assert result.exit_code == 2
    assert "many.srt: the file has 5 cues, over the 4-cue limit (max_subtitle_cues)" in result.stderr


def test_every_ffmpeg_input_is_whitelisted(media: Media, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each -i of every ffmpeg run in a build (poster pinned, photo clip made) opens files or the pipe only."""
    from videonews.ffmpeg import runner

    story = m.make_story(tmp_path / "s", video=media.video("tiny"), photo=media.photo("rgb"),
                         toml='id = "case"\nposter_time = 0.5\nphoto_clip = true')
    seen: list[list[str]] = []
    real = runner.subprocess.Popen

    def record(args, *a, **kw):  # type: ignore[no-untyped-def]
        seen.append(list(args))
        return real(args, *a, **kw)

    monkeypatch.setattr(runner.subprocess, "Popen", record)
    result = CliRunner().invoke(main, ["build", str(story), "--out", str(tmp_path / "out"), "--preset", "draft"])
    assert result.exit_code == 0, result.output

    def option(options: list[str], name: str) -> str | None:
        return options[options.index(name) + 1] if name in options else None

    inputs = []
    for argv in seen:
        starts = [i for i, a in enumerate(argv) if a == "-i"]
        for prev, i in zip([-1, *starts], starts, strict=False):
            inputs.append((argv[prev + 2:i], argv[i + 1]))  # an input's options follow the input before
    assert len(inputs) >= 8, seen  # probe, two analysis halves, render, frame grab, clip, outputs' probes
    for options, url in inputs:
        if option(options, "-f") == "lavfi":
            assert url.startswith("anullsrc="), url  # the clip's silent audio: a graph we wrote, no file
        elif url == "pipe:0":
            assert option(options, "-protocol_whitelist") == "pipe", options
        else:
            assert url.startswith("file:"), url
            assert option(options, "-protocol_whitelist") == "file", options
            assert option(options, "-format_whitelist") == runner.VIDEO_DEMUXERS, options
