"""A stand-in for videonews.pipeline.build_story, run inside the batch worker subprocess.

It loads the story for real (ids, inputs), then obeys directives in the article text:
``FAKE: sleep=<s>`` (take that long), ``FAKE: fail=internal`` (raise RuntimeError),
``FAKE: hang`` (never finish). A video that is not an MP4 (no ``ftyp`` box) is a MediaError,
like a corrupt video in the real pipeline. The package is written the way the pipeline does
(work folder, then rename into place) with a manifest that passes verify_package.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

from videonews import __version__
from videonews.errors import MediaError
from videonews.manifest import Asset, ContentCredentialsInfo, Manifest, Provenance, StoryInfo, write_manifest
from videonews.settings import Settings
from videonews.stages.package import story_inputs
from videonews.story import load_story

FAKE_MAGIC = b"\x00\x00\x00\x18ftypisom"


def build_story(story_path, out_dir, settings=None, *, on_stage=None, photo_clip=None):
    settings = settings or Settings()
    t0 = time.monotonic()
    times = {}

    def stage(name):
        if on_stage:
            on_stage(name, None)
            on_stage(name, 0.5)
        times[name] = 0.0

    stage("ingest")
    story = load_story(Path(story_path))
    text = story.article.read_text(encoding="utf-8")
    m = re.search(r"FAKE: sleep=([0-9.]+)", text)
    if story.video.read_bytes()[4:8] != b"ftyp":
        raise MediaError("not a video: no MP4 'ftyp' box", path=story.video, remedy="re-export the video")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f".{story.id}.pid").write_text(str(os.getpid()))
    stage("analyze")
    if "FAKE: hang" in text:
        time.sleep(3600)
    if m:
        time.sleep(float(m.group(1)))
    if "FAKE: fail=internal" in text:
        raise RuntimeError("fake internal failure")
    stage("render")
    work = out_dir / f".building-{story.id}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    (work / "subtitles").mkdir(parents=True)
    srt = work / "subtitles" / f"{story.id}.en.srt"
    srt.write_text(f"1\n00:00:00,000 --> 00:00:01,000\n{text.splitlines()[0]}\n", encoding="utf-8")
    (work / "threads.txt").write_text(f"{settings.threads} {os.environ.get('VIDEONEWS_THREADS', '')}")
    stage("package")
    inputs = story_inputs(story)
    manifest = Manifest(
        story=StoryInfo(id=story.id, language="en"),
        # threads.txt is the tests' probe; listed, as a package lists every file it holds
        assets=[Asset.of_file(work, srt, "subtitles", format="srt", language="en"),
                Asset.of_file(work, work / "threads.txt", "word_timings", media_type="text/plain")],
        provenance=Provenance(inputs=inputs, videonews_version=__version__, ffmpeg_version="fake",
                              settings=settings.fingerprint_fields() | {"profile": settings.profile,
                                                                        "photo_clip": settings.photo_clip},
                              created_at="2024-01-01T00:00:00Z"),
        # what a real build records (nothing is signed here)
        content_credentials=ContentCredentialsInfo(status="signed", test_credentials=True)
        if settings.test_credentials else ContentCredentialsInfo(status="unsigned", reason="no signing credentials"),
    )
    write_manifest(manifest, work)
    final = out_dir / story.id
    if final.exists():
        old = out_dir / f".old-{story.id}-{uuid.uuid4().hex[:8]}"
        os.replace(final, old)
        os.replace(work, final)
        import shutil

        shutil.rmtree(old)
    else:
        os.replace(work, final)
    return SimpleNamespace(story_id=story.id, package=final, manifest=manifest,
                           wall=round(time.monotonic() - t0, 3), stage_times=times)
