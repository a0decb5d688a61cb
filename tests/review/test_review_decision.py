"""QA decisions: recorded in the manifest, assets untouched, refusals; the CLI; the batch index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from videonews.cli import main
from videonews.errors import ReviewError
from videonews.manifest import read_manifest, verify_package
from videonews.publish import publish_package
from videonews.review import record_decision, write_batch_index

from .conftest import STORY_ID, Built


def test_approve_records_an_event_and_keeps_the_package_valid(package: Built) -> None:
    digest = read_manifest(package.folder).content_digest()
    m = record_decision(package.folder, "approved", by="  Mia QA ", note="checked the <b>quotes</b>")
    assert m.qa.status == "approved"
    ev = m.qa.history[-1]
    assert (ev.status, ev.by, ev.note, ev.content_sha256) == ("approved", "Mia QA", "checked the <b>quotes</b>", digest)
    assert ev.at.endswith("Z") and ev.at[:2] == "20"
    on_disk = read_manifest(package.folder)
    assert on_disk.qa == m.qa
    assert verify_package(package.folder) == []
    html = (package.folder / "review" / "index.html").read_text(encoding="utf-8")
    assert 'id="qa-status">approved<' in html and "Mia QA" in html
    assert "checked the &lt;b&gt;quotes&lt;/b&gt;" in html and "(this content)" in html
    # then rejected: history keeps both, status follows the last
    m = record_decision(package.folder / "manifest.json", "rejected", by="Lead", note=None)
    assert [e.status for e in m.qa.history] == ["approved", "rejected"] and m.qa.status == "rejected"


def test_publish_requires_approval(package: Built, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    with pytest.raises(Exception, match="not approved"):
        publish_package(package.folder, drop, require_approval=True)
    from videonews.review.decision import load_review_key, make_reviewer_key
    from videonews.settings import Settings

    key, public = make_reviewer_key(tmp_path / "keys", "mia")
    record_decision(package.folder, "approved", by="Mia", key=load_review_key(key, "mia"))
    link = publish_package(package.folder, drop, require_approval=True,
                           settings=Settings(trusted_reviewers={"mia": public}))
    assert read_manifest(link).qa.status == "approved"
    assert not (link / "review").exists()  # not listed in the manifest: not published


@pytest.mark.parametrize("by", ["", "   ", "\x00\x07"])
def test_empty_reviewer_is_refused(package: Built, by: str) -> None:
    with pytest.raises(ReviewError, match="name is empty"):
        record_decision(package.folder, "approved", by=by)
    assert read_manifest(package.folder).qa.history == []


def test_bad_status_is_refused(package: Built) -> None:
    with pytest.raises(ReviewError, match="unknown decision"):
        record_decision(package.folder, "pending", by="Mia")  # type: ignore[arg-type]


def test_package_that_does_not_verify_is_refused(package: Built) -> None:
    with (package.folder / "preview.mp4").open("ab") as f:
        f.write(b"tampered")
    with pytest.raises(ReviewError, match="does not verify"):
        record_decision(package.folder, "approved", by="Mia")
    assert read_manifest(package.folder).qa.status == "pending"


def test_changed_content_is_refused(package: Built) -> None:
    with pytest.raises(ReviewError, match="changed since"):
        record_decision(package.folder, "approved", by="Mia", expect_content="0" * 64)


def test_missing_package(tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="no manifest"):
        record_decision(tmp_path, "approved", by="Mia")


def test_cli_approve_and_reject(package: Built) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["review", "approve", str(package.folder), "--by", "Mia", "--note", "fine"])
    assert r.exit_code == 0, r.output
    assert f"{STORY_ID}: approved by Mia" in r.output
    r = runner.invoke(main, ["review", "reject", str(package.folder), "--by", "Lead", "--note", "quote 2 is wrong"])
    assert r.exit_code == 0, r.output
    m = read_manifest(package.folder)
    assert m.qa.status == "rejected" and m.qa.history[-1].note == "quote 2 is wrong"
    r = runner.invoke(main, ["review", "approve", str(package.folder), "--by", " "])
    assert r.exit_code == 2 and "name is empty" in r.output
    r = runner.invoke(main, ["review", "approve", str(package.folder)])
    assert r.exit_code == 2  # --by is required


def test_batch_index_lists_every_package(package: Built) -> None:
    out = package.folder.parent
    other = out / "second-story"
    shutil.copytree(package.folder, other)
    from videonews.manifest import read_manifest, write_manifest

    second = read_manifest(other / "manifest.json")
    second.story.id = "second-story"
    second.story.headline = "Second <i>story</i>"
    write_manifest(second, other)  # through videonews, so its integrity checksum stays true
    record_decision(other, "approved", by="Mia")
    (out / "broken").mkdir()
    (out / "broken" / "manifest.json").write_text("{", encoding="utf-8")
    index = write_batch_index(out)
    html = index.read_text(encoding="utf-8")
    assert index == out / "index.html"
    assert f'href="{STORY_ID}/review/index.html"' in html and 'href="second-story/review/index.html"' in html
    assert "Second &lt;i&gt;story&lt;/i&gt;" in html
    assert "pending" in html and "approved" in html and "invalid" in html and "not valid JSON" in html
    assert html.index(STORY_ID) < html.index("second-story")  # pending first
    assert (out / STORY_ID / "review" / "index.html").is_file()
    r = CliRunner().invoke(main, ["review", "index", str(out)])
    assert r.exit_code == 0 and "index.html" in r.output
