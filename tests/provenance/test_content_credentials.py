"""C2PA content credentials on a real build: read back with c2pa-python's Reader (valid, the right
ingredients and actions), a flipped byte detected by validate and refused by publish, unsigned builds
that say so, and test credentials that are what c2pa-rs accepts."""

from __future__ import annotations

import json
from pathlib import Path

import c2pa
import pytest
from click.testing import CliRunner

from videonews.cli import main
from videonews.credentials import TEST_ORG, init_test_credentials, load_credentials
from videonews.errors import InputError
from videonews.manifest import read_manifest, sha256_file, verify_package, write_manifest
from videonews.pipeline import build_story
from videonews.publish import publish_package
from videonews.settings import Settings


@pytest.fixture(scope="module")
def creds(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return init_test_credentials(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def signed(story_dir: Path, tmp_path: Path, creds) -> Path:  # type: ignore[no-untyped-def]
    settings = Settings(preset="draft", thumbnail_candidates=8, signing_key=creds.key_path,
                        signing_cert=creds.cert_path)
    return build_story(story_dir, tmp_path / "out", settings).package


def _read(path: Path, media_type: str) -> tuple[str, dict]:
    with path.open("rb") as f:
        reader = c2pa.Reader(media_type, f)
        return reader.get_validation_state(), reader.get_active_manifest()


def _actions(active: dict) -> list[str]:
    return [a["action"] for s in active["assertions"] if s["label"].startswith("c2pa.actions")
            for a in s["data"]["actions"]]


def test_every_media_asset_is_signed_and_reads_back_valid(signed: Path, story_dir: Path) -> None:
    m = read_manifest(signed)
    assert m.content_credentials is not None and m.content_credentials.status == "signed"
    assert m.content_credentials.test_credentials and "UNTRUSTED TEST" in (m.content_credentials.signer or "")
    media = [a for a in m.assets if a.media_type.startswith(("image/", "video/"))]
    assert {a.role for a in media} >= {"captioned_video", "preview_video", "poster", "poster_rendition",
                                       "thumbnail", "photo_rendition", "contact_sheet"}
    assert all(a.content_credentials == "c2pa" for a in media)
    assert all(a.content_credentials is None for a in m.assets if a not in media)  # subtitles, JSON-LD
    video_sha, photo_sha = sha256_file(story_dir / "video.mp4"), sha256_file(story_dir / "photo.jpg")
    for a in media:
        state, active = _read(signed / a.path, a.media_type)
        assert state == "Valid", a.path  # valid, from a signer on no trust list
        [ingredient] = active["ingredients"]
        want = photo_sha if a.role == "photo_rendition" else video_sha
        assert ingredient["instance_id"] == f"sha256:{want}" and ingredient["relationship"] == "parentOf", a.path
        assert _actions(active)[0] == "c2pa.opened"
        assert active["signature_info"]["issuer"] == TEST_ORG
    _, master = _read(signed / "captioned.mp4", "video/mp4")
    assert _actions(master) == ["c2pa.opened", "c2pa.edited", "c2pa.transcoded"]
    assert any("captions" in a.get("description", "") for s in master["assertions"]
               if s["label"].startswith("c2pa.actions") for a in s["data"]["actions"])
    crop = next(a for a in m.assets if a.role == "photo_rendition" and a.format == "webp")
    _, active = _read(signed / crop.path, crop.media_type)
    assert {"c2pa.cropped", "c2pa.resized"} <= set(_actions(active))
    work = next(s["data"] for s in active["assertions"] if s["label"] == "stds.schema-org.CreativeWork")
    assert work["author"] == [{"@type": "Person", "name": "Wang Fang"}] and work["creditText"] == "Xinhua/Wang Fang"
    assert verify_package(signed) == []


def test_a_flipped_byte_in_a_signed_file_is_detected(signed: Path, tmp_path: Path) -> None:
    """Even when the attacker also rewrites the manifest's checksum and integrity, the C2PA hash binding
    fails: validate names the file and publish refuses it."""
    m = read_manifest(signed)
    poster = next(a for a in m.assets if a.role == "poster")
    path = signed / poster.path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40  # in the picture data, not the manifest box
    path.write_bytes(bytes(data))
    assert any(p.startswith(f"{poster.path}: sha256") for p in verify_package(signed))
    poster.sha256 = sha256_file(path)
    write_manifest(m, signed)
    problems = verify_package(signed)
    assert problems and all(p.startswith(f"{poster.path}: C2PA credentials invalid") for p in problems), problems
    result = CliRunner().invoke(main, ["validate", str(signed)])
    assert result.exit_code == 1 and f"{poster.path}: C2PA credentials invalid" in result.output
    with pytest.raises(InputError, match=f"{poster.path}: C2PA credentials invalid"):
        publish_package(signed, tmp_path / "drop")


def test_a_stripped_credential_is_reported(signed: Path) -> None:
    m = read_manifest(signed)
    thumb = next(a for a in m.assets if a.role == "thumbnail")
    from PIL import Image

    with Image.open(signed / thumb.path) as im:
        im.save(signed / thumb.path, quality=90)  # re-saved: its C2PA segments are gone
    thumb.sha256, thumb.bytes = sha256_file(signed / thumb.path), (signed / thumb.path).stat().st_size
    write_manifest(m, signed)
    assert verify_package(signed) == [f"{thumb.path}: manifest says it carries C2PA content credentials, "
                                      "the file has none"]


def test_without_credentials_the_build_says_unsigned(story_dir: Path, tmp_path: Path) -> None:
    m = build_story(story_dir, tmp_path / "out", Settings(preset="draft", thumbnail_candidates=8)).manifest
    assert m.content_credentials is not None and m.content_credentials.status == "unsigned"
    assert all(a.content_credentials is None for a in m.assets)
    assert m.quality == "draft"


def test_test_credentials_are_reused_and_labelled(tmp_path: Path, creds) -> None:  # type: ignore[no-untyped-def]
    from cryptography import x509

    again = init_test_credentials(creds.key_path.parent)
    assert again.key_pem == creds.key_pem  # made once, reused
    leaf, ca = x509.load_pem_x509_certificates(creds.chain_pem)
    assert "UNTRUSTED TEST" in leaf.subject.rfc4514_string() and leaf.issuer == ca.subject
    eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert creds.key_path.stat().st_mode & 0o077 == 0
    result = CliRunner().invoke(main, ["keys", "init", "--out", str(tmp_path / "k")])
    assert result.exit_code == 0 and "UNTRUSTED TEST" in result.output
    assert load_credentials(tmp_path / "k" / "signer.key.pem", tmp_path / "k" / "signer.chain.pem").test


def test_a_key_that_is_not_the_certificates_is_refused(tmp_path: Path, creds) -> None:  # type: ignore[no-untyped-def]
    other = init_test_credentials(tmp_path / "other")
    with pytest.raises(InputError, match="not the signing key's"):
        load_credentials(other.key_path, creds.cert_path)


def test_the_sample_story_asks_for_test_credentials() -> None:
    import tomllib

    sample = Path(__file__).resolve().parents[2] / "assets" / "sample" / "wuzhen" / "story.toml"
    assert tomllib.loads(sample.read_text(encoding="utf-8"))["test_credentials"] is True
    example = json.loads((sample.parents[2].parent / "manifests" / "example-wuzhen-2016.json").read_text())
    assert example["content_credentials"]["status"] == "signed"


def test_a_new_kind_of_media_asset_is_signed_by_its_kind(tmp_path: Path) -> None:
    """A role the sign stage has never heard of (e.g. a social video from a later stage) is still signed: a
    video role as an edit of the source video, a photo_* role as one of the agency photo."""
    from types import SimpleNamespace

    from videonews.contentcreds import Ingredient
    from videonews.manifest import Asset
    from videonews.stages.sign import _claim, _ingredient_of

    video = Ingredient("video", "v.mp4", "video/mp4", "a" * 64, tmp_path / "v.mp4")
    photo = Ingredient("photo", "p.jpg", "image/jpeg", "b" * 64, tmp_path / "p.jpg")
    ingredients = {"video": video, "photo": photo}
    social = Asset.model_construct(role="social_video", path="social-9x16.mp4", media_type="video/mp4", label=None)
    card = Asset.model_construct(role="photo_card", path="images/card.jpg", media_type="image/jpeg", label="1x1")
    assert _ingredient_of(social, ingredients) is video and _ingredient_of(card, ingredients) is photo
    ing = SimpleNamespace(title="T", headline="H", credit=lambda role: None, article=SimpleNamespace(source=None),
                          story=SimpleNamespace(options=SimpleNamespace(credits=SimpleNamespace(rights=None))))
    claim = _claim(social, ing, ingredients)  # type: ignore[arg-type]
    assert [a["action"] for a in claim.actions] == ["c2pa.opened", "c2pa.edited", "c2pa.transcoded"]
    assert claim.actions[0]["parameters"]["ingredientIds"] == ["video"] and claim.ingredients == [video]


def test_story_toml_test_credentials_sign_the_build_and_say_so(story_dir: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    """What the quick start relies on: the sample's `test_credentials = true` makes (once, in the user cache
    folder) and uses test credentials, in one log line; a half-set newsroom key is refused before any work."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (story_dir / "story.toml").write_text('article = "article.txt"\nvideo = "video.mp4"\nphoto = "photo.jpg"\n'
                                          "test_credentials = true\n", encoding="utf-8")
    m = build_story(story_dir, tmp_path / "out", Settings(preset="draft", thumbnail_candidates=8)).manifest
    assert m.content_credentials is not None and m.content_credentials.status == "signed"
    assert m.content_credentials.test_credentials
    assert (tmp_path / "cache" / "videonews" / "test-credentials" / "signer.key.pem").is_file()
    lines = [r.getMessage() for r in caplog.records if "UNTRUSTED TEST credentials" in r.getMessage()]
    assert len(lines) == 1 and str(tmp_path / "cache") in lines[0]
    with pytest.raises(InputError, match="only one of signing_key and signing_cert"):
        build_story(story_dir, tmp_path / "out2", Settings(signing_key=tmp_path / "k.pem"))
