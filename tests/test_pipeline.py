"""The whole build on tiny generated media: every output exists, is true to the manifest, and
the captions are really in the picture."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from videonews.errors import ArticleError, MediaError
from videonews.manifest import verify_package
from videonews.pipeline import build_story
from videonews.settings import Settings

FAST = Settings(preset="draft", thumbnail_candidates=8)


@pytest.fixture
def reel(make_reel):
    """The article as a narrated package: reporter, Anna Berg's first soundbite, reporter, her second."""
    return make_reel()


@pytest.fixture
def story(tmp_path, reel, make_photo, article_text) -> Path:
    folder = tmp_path / "river story"
    folder.mkdir()
    (folder / "article.txt").write_text(article_text, encoding="utf-8")
    shutil.copy(reel.video, folder / "video.mp4")
    shutil.copy(make_photo(), folder / "photo.jpg")
    return folder


def _frame(exe: str, video: Path, t: float, out: Path) -> np.ndarray:
    subprocess.run([exe, "-loglevel", "error", "-y", "-ss", str(t), "-i", str(video), "-frames:v", "1", str(out)],
                   check=True)
    with Image.open(out) as im:
        return np.asarray(im.convert("L"), dtype=np.int16)


def test_build_makes_a_complete_true_package(story, reel, tmp_path, exe):
    result = build_story(story, tmp_path / "out", FAST)
    pkg = result.package
    assert pkg == tmp_path / "out" / "river-story"
    assert verify_package(pkg) == []
    m = json.loads((pkg / "manifest.json").read_text())
    roles = {a["role"] for a in m["assets"]}
    assert {"captioned_video", "preview_video", "subtitles", "poster", "thumbnail", "photo_rendition",
            "contact_sheet", "structured_data"} <= roles
    assert m["story"]["date"] == "2024-03-05" and m["story"]["source"] == "Example News"
    assert m["story"]["editor"] == "Lee"
    photo = next(c for c in m["credits"] if c["role"] == "photo")
    assert (photo["organization"], photo["name"]) == ("Xinhua", "Wang Fang")
    direct = [q for q in m["quotes"] if not q["partial"]]
    assert [q["speaker"] for q in direct] == ["Anna Berg", "Anna Berg"]
    assert m["subtitles"]["timing_source"] == "aligned"
    sizes = {a["label"]: (a["width"], a["height"]) for a in m["assets"] if a["role"] == "thumbnail"}
    assert sizes and all(w / h == pytest.approx(16 / 9, abs=0.02) for w, h in sizes.values())
    video = next(a for a in m["assets"] if a["role"] == "captioned_video")
    assert (video["width"], video["height"]) == (320, 180)
    assert video["duration"] == pytest.approx(reel.duration, abs=0.2)
    preview = next(a for a in m["assets"] if a["role"] == "preview_video")
    assert preview["width"] == 320  # never upscaled past the source
    assert preview["bitrate"] < video["bitrate"]
    # honest renditions: no two files the same, every image's name carries its true width
    digests = [a["sha256"] for a in m["assets"]]
    assert len(digests) == len(set(digests))
    for a in m["assets"]:
        if a["role"] in ("poster_rendition", "photo_rendition", "thumbnail"):
            assert a["path"].rsplit(".", 1)[0].endswith(f"-{a['width']}"), a["path"]
    assert (pkg / "review" / "index.html").is_file()
    assert not list((tmp_path / "out").glob(".building-*"))

    # the captions are in the picture: the lower part of a frame inside a cue differs from the source
    bite = reel.segments[1]
    cue_t = (bite.start + bite.end) / 2
    src = _frame(exe, story / "video.mp4", cue_t, tmp_path / "src.png")
    cap = _frame(exe, pkg / "captioned.mp4", cue_t, tmp_path / "cap.png")
    h = src.shape[0]
    lower = np.abs(src[int(h * 0.75):] - cap[int(h * 0.75):]).mean()
    # between the credit (top) and the name super's strap (from ~0.54 h at this size): the picture alone
    upper_middle = np.abs(src[int(h * 0.2):int(h * 0.5)] - cap[int(h * 0.2):int(h * 0.5)]).mean()
    assert lower > 3 * upper_middle and lower > 4, (lower, upper_middle)


def test_subtitle_files_agree(story, tmp_path):
    srt = pytest.importorskip("srt")
    webvtt = pytest.importorskip("webvtt")
    pkg = build_story(story, tmp_path / "out", FAST).package
    subs = list(srt.parse((pkg / "subtitles" / "river-story.en.srt").read_text(encoding="utf-8")))
    vtt = list(webvtt.read(str(pkg / "subtitles" / "river-story.en.vtt")))
    assert len(subs) == len(vtt) > 0
    def secs(ts: str) -> float:
        h, m, s = ts.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    for a, b in zip(subs, vtt, strict=True):
        assert a.start.total_seconds() == pytest.approx(secs(b.start), abs=0.002)
        assert a.end.total_seconds() == pytest.approx(secs(b.end), abs=0.002)


def test_article_without_quotes_still_packages(story, tmp_path):
    (story / "article.txt").write_text("Rain in Testville\n\nIt rained all day in Testville, officials said.\n")
    result = build_story(story, tmp_path / "out", FAST)
    m = result.manifest
    assert m.no_subtitles_reason and m.subtitles is None
    assert not [a for a in m.assets if a.role == "subtitles"]
    assert verify_package(result.package) == []


def test_failed_build_keeps_the_old_package(story, tmp_path):
    out = tmp_path / "out"
    first = build_story(story, out, FAST)
    before = (first.package / "manifest.json").read_bytes()
    (story / "video.mp4").write_bytes(b"\x00garbage" * 100)
    with pytest.raises(MediaError):
        build_story(story, out, FAST)
    assert (first.package / "manifest.json").read_bytes() == before
    assert verify_package(first.package) == []
    assert not list(out.glob(".building-*"))


def test_empty_article_is_an_input_error(story, tmp_path):
    (story / "article.txt").write_text("   \n")
    with pytest.raises(ArticleError):
        build_story(story, tmp_path / "out", FAST)
    assert not (tmp_path / "out" / "river-story").exists()


def test_cli_build_sample_like_story(story, tmp_path):
    from click.testing import CliRunner

    from videonews.cli import main

    result = CliRunner().invoke(main, ["build", str(story), "--out", str(tmp_path / "o"), "--preset", "draft",
                                       "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output.strip().splitlines()[-1])
    assert line["ok"] and line["story"] == "river-story"
    bad = CliRunner().invoke(main, ["validate", str(tmp_path / "o" / "river-story")])
    assert bad.exit_code == 0


def test_two_builds_are_identical_but_for_created_at(story, tmp_path):
    a = build_story(story, tmp_path / "a", FAST).manifest.model_dump(mode="json")
    b = build_story(story, tmp_path / "b", FAST).manifest.model_dump(mode="json")
    assert a["provenance"].pop("created_at") and b["provenance"].pop("created_at")
    assert a.pop("integrity") and b.pop("integrity")  # covers created_at too
    assert a == b  # every asset's sha256 included: x264 with the same thread count is bit-exact


def test_cut_missed_by_analysis_is_caught_by_the_render(story, reel, tmp_path, monkeypatch):
    import videonews.pipeline as pipeline

    real = pipeline.look

    def blind(*args, **kwargs):
        a = real(*args, **kwargs)
        return a.model_copy(update={"shots": []})  # as if the fast B-frame-skipping analysis missed every cut

    monkeypatch.setattr(pipeline, "look", blind)
    cut = reel.cuts[0]  # the producer times the first quote across a cut (soundbites hold none)
    (story / "story.toml").write_text(f"[timings]\nq1 = [{cut - 1.6:.2f}, {cut + 1.6:.2f}]\n", encoding="utf-8")
    m = build_story(story, tmp_path / "out", FAST).manifest
    assert m.analysis is not None
    assert m.analysis.shots == [pytest.approx(c, abs=0.05) for c in reel.cuts]
    assert any("rendered again" in w for w in m.warnings)
    assert m.subtitles is not None
    assert not [f for f in m.subtitles.lint.findings if f.rule == "crosses_cut"]


def test_render_grabs_the_qa_frame_and_full_size_poster(story, tmp_path, exe, monkeypatch):
    import videonews.review.page as page

    def no_second_decode(*args, **kwargs):
        raise AssertionError("the review page decoded the master again")

    monkeypatch.setattr(page, "_extract_frame", no_second_decode)
    result = build_story(story, tmp_path / "out", FAST)
    pkg, m = result.package, result.manifest
    assert m.subtitles is not None and m.poster is not None
    html = (pkg / "review" / "index.html").read_text(encoding="utf-8")
    cue = json.loads((pkg / "review" / "data.json").read_text())["cues"][0]
    t = (cue["start"] + cue["end"]) / 2
    assert f"captioned.mp4 at {t:.2f} s (middle of cue 1)" in html
    # the safe-area picture is that frame of the captioned master (guides aside)
    cap = _frame(exe, pkg / "captioned.mp4", t, tmp_path / "cap.png")
    with Image.open(pkg / "review" / "safe-area.jpg") as im:
        safe = np.asarray(im.convert("L").resize((cap.shape[1], cap.shape[0])), dtype=np.int16)
    h, w = cap.shape
    inner = (slice(int(h * 0.15), int(h * 0.85)), slice(int(w * 0.15), int(w * 0.85)))
    assert np.abs(safe[inner] - cap[inner]).mean() < 6
    # the poster is the source frame at its time (within a frame: testsrc2 moves)
    with Image.open(pkg / "images" / "poster.jpg") as im:
        assert im.size == (320, 180)
        poster = np.asarray(im.convert("L"), dtype=np.int16)
    diffs = [np.abs(poster - _frame(exe, story / "video.mp4", m.poster.time + k / 25, tmp_path / "src.png")).mean()
             for k in (-1, 0, 1)]
    assert min(diffs) < 4, diffs
