import json
import os
import threading
import time
from pathlib import Path

import pytest

from videonews.manifest import (
    Asset,
    InputFile,
    Manifest,
    Provenance,
    StoryInfo,
    json_schema,
    sha256_file,
    verify_package,
    write_manifest,
)
from videonews.publish import publish_package

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "manifests"


def _package(root: Path, content: bytes = b"hello") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sub").mkdir(exist_ok=True)
    f = root / "sub" / "a.srt"
    f.write_bytes(content)
    m = Manifest(
        story=StoryInfo(id="s1", language="en"),
        assets=[Asset(role="subtitles", path="sub/a.srt", media_type="application/x-subrip",
                      bytes=f.stat().st_size, sha256=sha256_file(f), format="srt")],
        provenance=Provenance(inputs=[InputFile(role="article", name="a.txt", bytes=1, sha256="0" * 64)],
                              videonews_version="0", ffmpeg_version="x", created_at="2026-01-01T00:00:00Z"),
    )
    write_manifest(m, root)
    return root


def test_committed_schema_matches_models():
    files = sorted(SCHEMA_FILE.glob("manifest-*.schema.json"))
    assert files, "no schema committed under manifests/"
    from videonews.manifest import SCHEMA_VERSION

    committed = json.loads((SCHEMA_FILE / f"manifest-{SCHEMA_VERSION}.schema.json").read_text())
    assert committed == json_schema(), "manifest models and committed schema drifted: run `videonews schema`"


def test_verify_good_and_bad(tmp_path):
    pkg = _package(tmp_path / "p")
    assert verify_package(pkg) == []
    f = pkg / "sub" / "a.srt"
    data = bytearray(f.read_bytes())
    data[0] ^= 1
    f.write_bytes(bytes(data))
    assert any("sha256" in p for p in verify_package(pkg))
    f.unlink()
    assert any("missing" in p for p in verify_package(pkg))


def test_verify_catches_a_hand_edit_that_keeps_the_schema(tmp_path):
    pkg = _package(tmp_path / "p")
    data = json.loads((pkg / "manifest.json").read_text())
    data["story"]["headline"] = "Edited by hand"
    (pkg / "manifest.json").write_text(json.dumps(data))
    assert any("changed after videonews wrote it" in p for p in verify_package(pkg))
    del data["integrity"]
    (pkg / "manifest.json").write_text(json.dumps(data))
    assert any("no integrity checksum" in p for p in verify_package(pkg))


def test_verify_catches_escaping_paths_and_hand_edits(tmp_path):
    pkg = _package(tmp_path / "p")
    data = json.loads((pkg / "manifest.json").read_text())
    data["assets"][0]["path"] = "../outside.srt"
    (pkg / "manifest.json").write_text(json.dumps(data))
    assert any("escapes" in p for p in verify_package(pkg))
    data["assets"][0]["path"] = "sub/a.srt"
    data["assets"][0]["bytes"] = "many"
    (pkg / "manifest.json").write_text(json.dumps(data))
    assert any("schema" in p for p in verify_package(pkg))


def test_third_party_validator_accepts_manifest(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    pkg = _package(tmp_path / "p")
    data = json.loads((pkg / "manifest.json").read_text())
    jsonschema.Draft202012Validator(json_schema(), format_checker=jsonschema.FormatChecker()).validate(data)


def test_publish_is_atomic_and_idempotent(tmp_path):
    drop = tmp_path / "drop"
    pkg = _package(tmp_path / "p", b"x" * 2_000_000)
    seen_bad: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            link = drop / "s1"
            if (link / "manifest.json").exists():
                problems = verify_package(link)
                if problems:
                    seen_bad.extend(problems)
            time.sleep(0.001)

    t = threading.Thread(target=poll)
    t.start()
    try:
        first = publish_package(pkg, drop)
        mtime = os.lstat(first).st_mtime_ns
        assert publish_package(pkg, drop) == first and os.lstat(first).st_mtime_ns == mtime  # no-op
        _package(pkg, b"y" * 2_500_000)  # changed content replaces the old one
        publish_package(pkg, drop)
    finally:
        stop.set()
        t.join()
    assert seen_bad == []
    assert (drop / "s1" / "sub" / "a.srt").read_bytes()[:1] == b"y"
    assert verify_package(drop / "s1") == []


def test_publish_refuses_unapproved_when_required(tmp_path):
    from videonews.errors import InputError

    pkg = _package(tmp_path / "p")
    with pytest.raises(InputError, match="not approved"):
        publish_package(pkg, tmp_path / "drop", require_approval=True)


def test_committed_example_manifest_matches_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from videonews.manifest import SCHEMA_VERSION

    schema = json.loads((SCHEMA_FILE / f"manifest-{SCHEMA_VERSION}.schema.json").read_text())
    example = json.loads((SCHEMA_FILE / "example-wuzhen-2016.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(example)
    assert example["schema_version"] == SCHEMA_VERSION


def test_integrity_can_be_recomputed_from_the_file_alone(tmp_path):
    import hashlib

    pkg = _package(tmp_path / "p")
    data = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    claimed = data.pop("integrity")
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert claimed == "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("story_id", ["../escape", "x\n", ".versions"])
def test_publish_refuses_an_id_that_cannot_name_a_drop_folder(tmp_path, story_id):
    """A hand-made manifest is valid (its checksums hold) but its id must not lead out of DROP."""
    from videonews.errors import InputError
    from videonews.manifest import read_manifest

    pkg = _package(tmp_path / "p")
    m = read_manifest(pkg / "manifest.json")
    write_manifest(m.model_copy(update={"story": m.story.model_copy(update={"id": story_id})}), pkg)
    assert verify_package(pkg) == []  # its integrity checksum recomputed, as anyone can
    with pytest.raises(InputError, match="cannot name a folder of the drop"):
        publish_package(pkg, tmp_path / "drop" / "in")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]  # refused before anything is written
