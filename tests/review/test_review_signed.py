"""Signed QA decisions and a publish path that can't be fooled: forged and unknown-key decisions, content
swapped after approval, drafts, links and unlisted files, each refused by publish and reported by validate
with the file named."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from videonews.cli import main
from videonews.errors import InputError
from videonews.manifest import Manifest, read_manifest, sha256_file, verify_package, write_manifest
from videonews.publish import publish_package
from videonews.review import record_decision
from videonews.review.decision import load_review_key, make_reviewer_key, verify_decisions
from videonews.settings import Settings

from .conftest import STORY_ID, Built


@pytest.fixture
def desk(tmp_path: Path) -> tuple[Settings, Path]:
    """The europe desk's key, and settings that trust it."""
    path, public = make_reviewer_key(tmp_path / "keys", "europe-desk")
    settings = Settings(review_key=path, review_key_id="europe-desk", trusted_reviewers={"europe-desk": public})
    return settings, path


def _approve(package: Built, key_path: Path, by: str = "Mia", key_id: str = "europe-desk") -> Manifest:
    return record_decision(package.folder, "approved", by=by, note="checked", key=load_review_key(key_path, key_id))


def _rewrite(folder: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Edit the manifest as an attacker can: change it, then recompute its integrity checksum."""
    m = read_manifest(folder)
    change(m)
    write_manifest(m, folder)


def _validate(folder: Path, settings: Settings) -> list[str]:
    return verify_package(folder) + verify_decisions(folder, settings)


def _refused(package: Built, drop: Path, settings: Settings, match: str, **kw: bool) -> None:
    with pytest.raises(InputError, match=match):
        publish_package(package.folder, drop, require_approval=True, settings=settings, **kw)
    assert not (drop / STORY_ID).exists()


def test_signed_approval_is_published_with_only_the_listed_files(package: Built, desk, tmp_path: Path) -> None:
    settings, key = desk
    m = _approve(package, key)
    ev = m.qa.history[-1]
    assert ev.key_id == "europe-desk" and ev.signature and ev.content_sha256 == m.content_digest()
    assert _validate(package.folder, settings) == []
    link = publish_package(package.folder, tmp_path / "drop", require_approval=True, settings=settings)
    published = sorted(p.relative_to(link).as_posix() for p in link.rglob("*") if p.is_file())
    assert published == sorted([a.path for a in m.assets] + ["manifest.json"])
    assert not (link / "review").exists()  # the review page is not listed: not published


def test_unsigned_approval_is_refused(package: Built, desk, tmp_path: Path) -> None:
    settings, _ = desk
    record_decision(package.folder, "approved", by="Mia", key=None)
    _refused(package, tmp_path / "drop", settings, "decision by 'Mia' .* is not signed")


def test_forged_decision_is_refused_and_reported(package: Built, desk, tmp_path: Path) -> None:
    settings, key = desk
    record_decision(package.folder, "rejected", by="Lead", note="wrong speaker", key=load_review_key(key, "europe-desk"))

    def forge(m: Manifest) -> None:  # turn the signed rejection into an approval
        m.qa.history[-1].status = "approved"
        m.qa.status = "approved"

    _rewrite(package.folder, forge)
    assert verify_package(package.folder) == []  # the checksum alone is fooled
    _refused(package, tmp_path / "drop", settings, "does not match its signature")
    problems = _validate(package.folder, settings)
    assert any(p.startswith("manifest.json: ") and "forged or edited" in p for p in problems)


def test_decision_from_an_unknown_key_is_refused(package: Built, desk, tmp_path: Path) -> None:
    settings, _ = desk
    rogue, _ = make_reviewer_key(tmp_path / "rogue", "rogue")
    _approve(package, rogue, key_id="rogue")
    _refused(package, tmp_path / "drop", settings, "signed by unknown key 'rogue'")
    # a rogue key that claims a trusted key's name does not verify either
    _approve(package, rogue, key_id="europe-desk")
    _refused(package, tmp_path / "drop", settings, "does not match its signature")
    result = CliRunner(env={"VIDEONEWS_TRUSTED_REVIEWERS": json.dumps(settings.trusted_reviewers)}).invoke(
        main, ["validate", str(package.folder)])
    assert result.exit_code == 1 and "manifest.json: the approved decision by 'Mia'" in result.output


def test_asset_swapped_after_approval_is_refused(package: Built, desk, tmp_path: Path) -> None:
    settings, key = desk
    _approve(package, key)
    poster = package.folder / "images" / "poster.jpg"
    poster.write_bytes((package.folder / "images" / "photo-16x9-640.jpg").read_bytes())

    def relist(m: Manifest) -> None:
        a = next(a for a in m.assets if a.path == "images/poster.jpg")
        a.sha256, a.bytes = sha256_file(poster), poster.stat().st_size

    _rewrite(package.folder, relist)
    assert verify_package(package.folder) == []  # a consistent package...
    _refused(package, tmp_path / "drop", settings, "approval by 'Mia' was for content .* now")  # ...not approved
    [problem] = _validate(package.folder, settings)
    assert problem.startswith("manifest.json: the approval by 'Mia' was for content ")


def test_draft_is_refused_unless_allowed(package: Built, desk, tmp_path: Path) -> None:
    settings, key = desk
    _rewrite(package.folder, lambda m: setattr(m, "quality", "draft"))
    _approve(package, key)
    _refused(package, tmp_path / "drop", settings, "package is a draft")
    assert _validate(package.folder, settings) == ["manifest.json: approved, but a draft (quality: draft): not "
                                                   "for publishing as it is"]
    link = publish_package(package.folder, tmp_path / "drop", require_approval=True, allow_draft=True,
                           settings=settings)
    assert read_manifest(link).quality == "draft"


def test_symlink_in_the_package_is_refused_and_reported(package: Built, desk, tmp_path: Path) -> None:
    settings, key = desk
    _approve(package, key)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    os.symlink(secret, package.folder / "review" / "passwd.txt")
    problems = verify_package(package.folder)
    assert problems == ["review/passwd.txt: is a symbolic link; a package holds only its own files"]
    _refused(package, tmp_path / "drop", settings, "review/passwd.txt: is a symbolic link")
    result = CliRunner().invoke(main, ["validate", str(package.folder)])
    assert result.exit_code == 1 and "review/passwd.txt" in result.output


def test_extra_file_is_refused_and_reported(package: Built, desk, tmp_path: Path) -> None:
    settings, key = desk
    _approve(package, key)
    (package.folder / "images" / "extra.jpg").write_bytes(b"not listed")
    assert verify_package(package.folder) == ["images/extra.jpg: not listed in the manifest"]
    _refused(package, tmp_path / "drop", settings, "images/extra.jpg: not listed")


def test_republish_never_removes_the_live_version(package: Built, desk, tmp_path: Path) -> None:
    """A QA decision changes only the manifest: the new version gets its own folder, the live one stays
    until the link has moved."""
    settings, key = desk
    drop = tmp_path / "drop"
    first = publish_package(package.folder, drop, settings=settings)
    live = first.resolve()
    _approve(package, key)
    removed: list[Path] = []
    import videonews.publish as pub

    real_remove = pub.remove_path

    def watch(path: Path) -> None:
        if path.resolve() == live and os.readlink(first) == f".versions/{live.name}":
            removed.append(path)  # removed while the link still pointed at it
        real_remove(path)

    pub.remove_path = watch  # type: ignore[assignment]
    try:
        second = publish_package(package.folder, drop, require_approval=True, settings=settings)
    finally:
        pub.remove_path = real_remove  # type: ignore[assignment]
    assert removed == []
    assert second.resolve() != live and live.is_dir()  # the previous version is kept
    assert read_manifest(second).qa.status == "approved"


def test_keys_reviewer_cli_prints_the_settings(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["keys", "reviewer", "--name", "desk-1", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "desk-1.key.pem").stat().st_mode & 0o077 == 0
    assert 'review_key_id = "desk-1"' in result.output and "[trusted_reviewers]" in result.output


def test_draft_banner_on_the_review_page(package: Built) -> None:
    from html.parser import HTMLParser

    from videonews.review import write_review_page

    class Ids(HTMLParser):
        ids: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.ids.extend(v for k, v in attrs if k == "id" and v)

    def ids() -> list[str]:
        parser = Ids()
        parser.ids = []
        parser.feed((package.folder / "review" / "index.html").read_text(encoding="utf-8"))
        return parser.ids

    assert "draft-banner" not in ids()
    m = read_manifest(package.folder)
    m.quality = "draft"
    write_review_page(m, package.folder)
    assert "draft-banner" in ids()
    assert "DRAFT" in (package.folder / "review" / "index.html").read_text(encoding="utf-8")


def test_decisions_are_signed_with_the_review_key_from_settings(package: Built, desk, monkeypatch) -> None:
    """record_decision without a key (the CLI, the review server's buttons) signs with review_key."""
    settings, key = desk
    monkeypatch.setenv("VIDEONEWS_REVIEW_KEY", str(key))
    monkeypatch.setenv("VIDEONEWS_REVIEW_KEY_ID", "europe-desk")
    result = CliRunner().invoke(main, ["review", "approve", str(package.folder), "--by", "Mia"])
    assert result.exit_code == 0, result.output
    ev = read_manifest(package.folder).qa.history[-1]
    assert ev.key_id == "europe-desk" and ev.signature
    assert _validate(package.folder, settings) == []
