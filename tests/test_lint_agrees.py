"""One source of truth for subtitle lint: what the manifest (and the build summary and the review page) says
is what `videonews lint` says about each subtitle file the package ships, the SRT's speaker-change dash
counted as it will be read."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from narration import ANNA, LEE, NEWS_SEGMENTS, REPORTER

from videonews.cli import main
from videonews.manifest import Manifest
from videonews.models import PROFILES, Cue, LintFinding, LintReport
from videonews.pipeline import build_story
from videonews.settings import Settings
from videonews.subtitles import lint_file, write_subtitles
from videonews.subtitles.lint import VIDEO_RULES, lint_shipped

FAST = Settings(preset="draft", thumbnail_candidates=8)
FPS = 25.0  # the generated media's frame rate

ONE_SPEAKER = """Ministers meet in Testville

Ministers met in Testville on Tuesday to discuss the river project.

"We will finish the bridge before the floods come, and the town will be safe," said Anna Berg.

Water minister Anna Berg said the project would be finished next year.

"The money is there and the workers are ready," Berg added.
"""
TWO_SPEAKERS = """Bridge plan approved in Testville

Ministers met in Testville on Tuesday to discuss the river project.

"We will finish the bridge before the floods come, and the town will be safe," said Anna Berg, the water minister.

The town council has argued about the cost of the project for two years.

"Every family in the valley will be able to cross the river in winter," said Tom Lee, the mayor of Testville.
"""
# reporter, Anna Berg, reporter, Tom Lee: his first cue starts with the SRT's "- " speaker-change dash
TWO_SPEAKER_REEL = (
    ("vo", "Ministers met in Testville on Tuesday to discuss the river project.", REPORTER),
    ("bite", "We will finish the bridge before the floods come, and the town will be safe.", ANNA),
    ("vo", "The town council has argued about the cost of the project for two years.", REPORTER),
    ("bite", "Every family in the valley will be able to cross the river in winter.", LEE),
)


def _key(f: LintFinding) -> tuple:
    return f.cue, f.rule, f.severity, f.value, f.limit


def _cli_lint(path: Path, profile: str) -> tuple[int, set[tuple]]:
    """`videonews lint FILE --json`: its exit status and its findings."""
    result = CliRunner().invoke(main, ["lint", str(path), "--profile", profile, "--fps", str(FPS), "--json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, {_key(f) for f in LintReport.model_validate_json(result.output).findings}


def _from_manifest(m: Manifest, fmt: str) -> set[tuple]:
    """The manifest's findings for one shipped format, but for the rules only the video can be checked for."""
    assert m.subtitles is not None
    return {_key(f) for f in m.subtitles.lint.findings
            if f.rule not in VIDEO_RULES and (f.formats is None or fmt in f.formats)}


@pytest.fixture(scope="module", params=["one speaker", "two speakers"])
def package(request, make_reel, tmp_path_factory) -> tuple[Manifest, Path]:
    segments, article = ((NEWS_SEGMENTS, ONE_SPEAKER) if request.param == "one speaker"
                         else (TWO_SPEAKER_REEL, TWO_SPEAKERS))
    tmp = tmp_path_factory.mktemp("lint")
    story = tmp / "story"
    story.mkdir()
    (story / "article.txt").write_text(article, encoding="utf-8")
    shutil.copy(make_reel(segments).video, story / "video.mp4")
    result = build_story(story, tmp / "out", FAST)
    return result.manifest, tmp / "out" / result.manifest.story.id


def test_videonews_lint_on_each_shipped_file_agrees_with_the_manifest(package) -> None:
    m, folder = package
    assert m.subtitles is not None
    lint = m.subtitles.lint
    shipped = [a for a in m.assets if a.role in ("subtitles", "captions_script")]
    assert sorted(a.format for a in shipped) == ["ass", "srt", "ttml", "vtt"]
    for asset in shipped:
        status, found = _cli_lint(folder / asset.path, lint.profile)
        assert found == _from_manifest(m, asset.format or ""), asset.path
        errors = {k for k in _from_manifest(m, asset.format or "") if k[2] == "error"}
        assert status == (1 if errors else 0)
    assert lint.errors == sum(1 for f in lint.findings if f.severity == "error")
    assert lint.warnings == len(lint.findings) - lint.errors


def test_the_speaker_change_dash_is_counted_as_the_srt_is_read(tmp_path) -> None:
    """40 characters in 2 s is 20 a second, at the limit; the SRT shows "- " before them at the change of
    speaker: 42 characters, over it. Only the SRT has that error, and the report says so."""
    profile = PROFILES["netflix"]
    cues = [Cue(index=1, start=0.0, end=2.0, lines=["We will finish the bridge before spring."], speaker="Anna Berg",
                first_for_speaker=True),
            Cue(index=2, start=2.08, end=4.08, lines=["Every family will cross it this winter."], speaker="Tom Lee",
                new_speaker=True, first_for_speaker=True)]
    report = lint_shipped(cues, ("srt", "vtt", "ass", "ttml"), profile=profile, fps=FPS, duration=5.0)
    errors = [f for f in report.findings if f.severity == "error"]
    assert [(f.cue, f.rule, f.formats) for f in errors] == [(2, "cps", ["srt"])] and "SRT" in errors[0].message
    for fmt in ("srt", "vtt"):
        path = tmp_path / f"cues.{fmt}"
        buf = io.StringIO()
        write_subtitles(fmt, cues, buf)
        path.write_text(buf.getvalue(), encoding="utf-8")
        on_file = {_key(f) for f in lint_file(path, profile=profile, fps=FPS).findings}
        assert on_file == {_key(f) for f in report.findings if f.formats is None or fmt in f.formats}
