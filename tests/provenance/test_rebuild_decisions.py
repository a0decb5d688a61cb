"""Rebuilds keep QA decisions: same content -> the decision stays; changed content -> pending, with the
history kept and a "content changed" entry."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from videonews.manifest import read_manifest
from videonews.pipeline import build_story
from videonews.review import record_decision
from videonews.settings import Settings

FAST = Settings(preset="draft", thumbnail_candidates=8)


def test_rebuild_keeps_the_decision_until_the_content_changes(story_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pkg = build_story(story_dir, out, FAST).package
    approved = record_decision(pkg, "approved", by="Mia", note="fine", key=None)
    again = build_story(story_dir, out, FAST).manifest
    assert again.content_digest() == approved.content_digest()
    assert again.qa == approved.qa and read_manifest(pkg).qa.status == "approved"
    with Image.open(story_dir / "photo.jpg") as im:  # the agency sends a new photo
        im.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(story_dir / "photo.jpg", quality=90)
    changed = build_story(story_dir, out, FAST).manifest
    assert changed.qa.status == "pending"
    assert [e.status for e in changed.qa.history] == ["approved", "pending"]
    last = changed.qa.history[-1]
    assert last.by == "videonews" and last.note and last.note.startswith("content changed")
    assert last.content_sha256 == changed.content_digest() != approved.content_digest()
    assert read_manifest(pkg).qa == changed.qa
