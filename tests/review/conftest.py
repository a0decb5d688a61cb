"""A small but real package in tmp_path: tiny MP4s made with ffmpeg's lavfi, a WebVTT and an SRT,
JPEG/WebP images with credits in EXIF, a manifest whose sizes and checksums are true, and the
Analysis / CuePlan / LintReport a build would pass to write_review_page."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from videonews.manifest import (
    AnalysisInfo,
    Asset,
    AssetRole,
    CreditEntry,
    InputFile,
    LintSummary,
    LoudnessInfo,
    Manifest,
    PosterCandidate,
    PosterInfo,
    Provenance,
    QuoteEntry,
    StoryInfo,
    SubtitleInfo,
    write_manifest,
)
from videonews.models import Analysis, Cue, CuePlan, LintFinding, LintReport, Loudness, LoudnessPoint, Segment
from videonews.pipeline import build_story
from videonews.settings import Settings

STORY_ID = "river-story"
EVIL = "<script>alert(1)</script>"
DURATION = 3.0


@dataclass
class Built:
    folder: Path
    manifest: Manifest
    analysis: Analysis
    plan: CuePlan
    lint: LintReport


def asset(folder: Path, rel: str, role: AssetRole, media_type: str, **kw: object) -> Asset:
    return Asset.of_file(folder, folder / rel, role, media_type=media_type, **kw)


def _image(path: Path, size: tuple[int, int], colour: tuple[int, int, int], *, artist: str | None = None,
           rights: str | None = None) -> None:
    im = Image.new("RGB", size, colour)
    d = ImageDraw.Draw(im)
    d.ellipse([size[0] * 0.3, size[1] * 0.2, size[0] * 0.7, size[1] * 0.8], fill=(230, 200, 160))
    exif = Image.Exif()
    if artist:
        exif[0x013B] = artist
    if rights:
        exif[0x8298] = rights
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = "WEBP" if path.suffix == ".webp" else "JPEG"
    im.save(path, fmt, quality=80, exif=exif.tobytes())


VTT = """WEBVTT

1
00:00:00.500 --> 00:00:01.400
<v Anna Berg>We will finish the bridge

2
00:00:01.600 --> 00:00:02.800
<v Anna Berg>&lt;script&gt;alert(1)&lt;/script&gt;
"""

SRT = """1
00:00:00,500 --> 00:00:01,400
We will finish the bridge

2
00:00:01,600 --> 00:00:02,800
<script>alert(1)</script>

"""


def _build(folder: Path, exe: str) -> Built:
    folder.mkdir(parents=True)
    def clip(out: str, vf: str) -> None:
        subprocess.run([exe, "-hide_banner", "-loglevel", "error", "-y",
                        "-f", "lavfi", "-i", f"testsrc2=s=320x180:r=25:d={DURATION}",
                        "-f", "lavfi", "-i", f"sine=f=440:sample_rate=48000:d={DURATION}",
                        "-vf", vf, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", "-b:a", "48k", "-movflags", "+faststart", "-shortest", str(folder / out)],
                       check=True)

    clip("captioned.mp4", "null")
    clip("preview.mp4", "scale=160:-2")
    subs = folder / "subtitles"
    subs.mkdir()
    (subs / f"{STORY_ID}.en.vtt").write_text(VTT, encoding="utf-8")
    (subs / f"{STORY_ID}.en.srt").write_text(SRT, encoding="utf-8")
    img = folder / "images"
    _image(img / "poster.jpg", (320, 180), (40, 60, 90), rights="(c) CCTV")
    _image(img / "thumb-16x9-640.jpg", (160, 90), (40, 60, 90), rights="(c) CCTV")
    _image(img / "poster-1x1-1080.webp", (120, 120), (40, 60, 90), rights="(c) CCTV")
    _image(img / "photo-16x9-640.jpg", (320, 180), (90, 60, 40), artist="Li Xin", rights="(c) Xinhua/Li Xin")
    _image(img / "photo-1x1-1080.webp", (150, 150), (90, 60, 40), artist="Li Xin", rights="(c) Xinhua/Li Xin")
    _image(img / "photo-4x3-1200.jpg", (160, 120), (90, 60, 40))  # credits missing: the page must say so
    _image(folder / "contact-sheet.jpg", (480, 140), (20, 20, 20))
    (folder / "structured-data.jsonld").write_text('{"@context": "https://schema.org"}\n', encoding="utf-8")

    assets = [
        asset(folder, "captioned.mp4", "captioned_video", "video/mp4", width=320, height=180, duration=DURATION,
              format="mp4"),
        asset(folder, "preview.mp4", "preview_video", "video/mp4", width=160, height=90, duration=DURATION,
              format="mp4"),
        asset(folder, f"subtitles/{STORY_ID}.en.vtt", "subtitles", "text/vtt", format="vtt", language="en"),
        asset(folder, f"subtitles/{STORY_ID}.en.srt", "subtitles", "application/x-subrip", format="srt",
              language="en"),
        asset(folder, "images/poster.jpg", "poster", "image/jpeg", width=320, height=180, format="jpeg",
              label="16x9-1920", time=1.2),
        asset(folder, "images/thumb-16x9-640.jpg", "thumbnail", "image/jpeg", width=160, height=90, format="jpeg",
              label="thumb-16x9-640", time=1.2),
        asset(folder, "images/poster-1x1-1080.webp", "poster_rendition", "image/webp", width=120, height=120,
              format="webp", label="1x1-1080", time=1.2),
        asset(folder, "images/photo-16x9-640.jpg", "photo_rendition", "image/jpeg", width=320, height=180,
              format="jpeg", label="16x9-640"),
        asset(folder, "images/photo-1x1-1080.webp", "photo_rendition", "image/webp", width=150, height=150,
              format="webp", label="1x1-1080"),
        asset(folder, "images/photo-4x3-1200.jpg", "photo_rendition", "image/jpeg", width=160, height=120,
              format="jpeg", label="4x3-1200"),
        asset(folder, "contact-sheet.jpg", "contact_sheet", "image/jpeg", width=480, height=140, format="jpeg"),
        asset(folder, "structured-data.jsonld", "structured_data", "application/ld+json", format="json-ld"),
    ]
    cues = [
        Cue(index=1, start=0.5, end=1.4, lines=["We will finish the bridge"], speaker="Anna Berg",
            speaker_title="Water minister", quote_id="q1", first_for_speaker=True),
        Cue(index=2, start=1.6, end=2.8, lines=[EVIL], speaker="Anna Berg", quote_id="q2"),
    ]
    finding = LintFinding(cue=2, rule="cps", message="25 characters in 1.2 s is 20.8 characters/s, limit 20",
                          value=20.8, limit=20.0)
    lint = LintReport(profile="netflix", cues=2, findings=[finding])
    plan = CuePlan(cues=cues, warnings=["cue 2 was shortened to fit before a cut"], timing_source="speech")
    series = [LoudnessPoint(t=i * 0.5, momentary=None if i == 0 else -16 - 5 * (i % 3),
                            short_term=None if i < 2 else -21 - (i % 2) * 0.5) for i in range(7)]
    analysis = Analysis(duration=DURATION, speech=[Segment(start=0.5, end=2.8)], shots=[1.5],
                        loudness=Loudness(integrated=-20.5, true_peak=-0.4, lra=3.1, series=series))
    manifest = Manifest(
        story=StoryInfo(id=STORY_ID, headline="Ministers meet in Testville", date="2024-03-05", language="en",
                        source="Example News", source_url="javascript:alert(2)", editor="Lee"),
        credits=[CreditEntry(role="photo", name="Li Xin", organization="Xinhua", credit_line="Xinhua/Li Xin"),
                 CreditEntry(role="video", organization="CCTV", credit_line="CCTV")],
        quotes=[
            QuoteEntry(id="q1", speaker="Anna Berg", speaker_title="Water minister", text="We will finish the bridge",
                       partial=False, span=(10, 35), confidence=0.95),
            QuoteEntry(id="q2", speaker="Anna Berg", text=EVIL, partial=False, span=(40, 65), confidence=0.4,
                       needs_review=True, reason="speaker named only by surname"),
        ],
        subtitles=SubtitleInfo(timing_source="speech",
                               lint=LintSummary(profile="netflix", cues=2, errors=1, warnings=0, findings=[finding]),
                               warnings=plan.warnings),
        poster=PosterInfo(time=1.2, candidates=[PosterCandidate(time=1.2, score=0.8123, reasons=["sharp"]),
                                                PosterCandidate(time=2.4, score=0.55, reasons=["near a cut"])]),
        analysis=AnalysisInfo(speech=[(0.5, 2.8)], shots=[1.5],
                              loudness=LoudnessInfo(integrated=-20.5, true_peak=-0.4, lra=3.1, target=-23.0,
                                                    normalized=True)),
        assets=assets,
        provenance=Provenance(inputs=[InputFile(role="article", name="article.txt", bytes=10, sha256="0" * 64)],
                              videonews_version="0.1.0", ffmpeg_version="ffmpeg test",
                              created_at="2026-01-01T00:00:00Z"),
        warnings=["photo's embedded creator 'L. Xin' differs from the article's 'Li Xin'"],
    )
    return Built(folder=folder, manifest=manifest, analysis=analysis, plan=plan, lint=lint)


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory, exe: str) -> Built:
    """Built once per session (ffmpeg runs take a moment); tests get copies."""
    from videonews.review import write_review_page

    built = _build(tmp_path_factory.mktemp("review-template") / STORY_ID, exe)
    write_review_page(built.manifest, built.folder, analysis=built.analysis, plan=built.plan, lint=built.lint)
    write_manifest(built.manifest, built.folder)
    return built


@pytest.fixture
def package(_template: Built, tmp_path: Path) -> Built:
    """A fresh copy of the built package (review page and manifest written) in its own out folder."""
    dest = tmp_path / "out" / STORY_ID
    shutil.copytree(_template.folder, dest, symlinks=True)
    return Built(folder=dest, manifest=_template.manifest.model_copy(deep=True), analysis=_template.analysis,
                 plan=_template.plan, lint=_template.lint)


# ---------------------------------------------------------------- a real build, for edits and re-renders

FAST = Settings(preset="draft", thumbnail_candidates=8)
ARTICLE = """Video| Ministers meet in Testville

2024-March-05       Source: Example News

Ministers met in Testville on Tuesday to discuss the river project.

Water minister Anna Berg said the project would be finished next year.

"We will finish the bridge before the floods come, and the town will be safe," said Anna Berg.

"The money is there and the workers are ready," Berg added.

Editor: Lee
"""


@pytest.fixture(scope="module")
def built(make_reel, tmp_path_factory) -> tuple[Path, Path]:
    """One build of a narrated story (story folder, package), copied by each test that changes it."""
    root = tmp_path_factory.mktemp("edits")
    story = root / "story"
    story.mkdir()
    (story / "article.txt").write_text(ARTICLE, encoding="utf-8")
    shutil.copy(make_reel().video, story / "video.mp4")
    return story, build_story(story, root / "out", FAST).package


@pytest.fixture
def pkg(built, tmp_path) -> Path:
    story, package = built
    out = tmp_path / "out" / package.name
    shutil.copytree(package, out, symlinks=True)
    (out / "review" / "build.json").write_text(json.dumps({"story": str(story), "photo_clip": False}))
    return out
