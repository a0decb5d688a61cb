"""The manifest: the contract with the CMS. Pydantic models are the source of truth;
the JSON Schema in manifests/ is generated from them (`videonews schema`).

schema_version follows semver: additive changes bump the minor, anything a
consumer could trip on bumps the major.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from videonews.fsutil import atomic_write, open_inside
from videonews.models import LintFinding

SCHEMA_VERSION = "2.2.0"
MANIFEST_NAME = "manifest.json"
MEDIA_TYPES = {
    ".mp4": "video/mp4", ".srt": "application/x-subrip", ".vtt": "text/vtt", ".ass": "text/x-ssa",
    ".ttml": "application/ttml+xml", ".jpg": "image/jpeg", ".webp": "image/webp", ".png": "image/png",
    ".jsonld": "application/ld+json", ".svg": "image/svg+xml", ".json": "application/json",
}

AssetRole = Literal[
    "captioned_video", "preview_video", "subtitles", "poster", "thumbnail", "photo_rendition",
    "poster_rendition", "contact_sheet", "photo_clip", "structured_data", "review_page", "plot", "captions_script",
    "word_timings", "social_video",
]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoryInfo(_M):
    id: str = Field(description="story id; also the package folder name")
    headline: str | None = None
    date: str | None = Field(default=None, description="publication date, ISO 8601 (YYYY-MM-DD)")
    language: str = Field(description="BCP 47 language tag of the article and subtitles")
    source: str | None = Field(default=None, description="outlet the article credits, e.g. CCTV.com")
    source_url: str | None = None
    editor: str | None = None


class CreditEntry(_M):
    role: Literal["photo", "video", "text"] = Field(description="what is credited")
    name: str | None = Field(default=None, description="person, e.g. the photographer")
    organization: str | None = Field(default=None, description="agency or outlet")
    credit_line: str | None = Field(default=None, description="the credit as printed, e.g. Xinhua/Li Xin")


class QuoteTiming(_M):
    source: Literal["explicit", "edit", "aligned", "voice_turn", "speech", "reading_speed", "none"] = Field(
        description="explicit: story.toml timings; edit: a reviewer's edit (edits.json), wins over story.toml; aligned: its words were found in the audio; voice_turn: not "
        "found by its words, put on a soundbite of a voice other than the reporter's (a guess, flagged); "
        "reading_speed: no audio track; none: not in the video")
    start: float | None = Field(default=None, description="where it is said (or placed), seconds")
    end: float | None = None
    confidence: float = Field(ge=0, le=1, description="how sure videonews is that its captions sit on its words: "
                              "1 explicit; aligned: share of its words heard as such x share of its words "
                              "found; 0.3 voice_turn; 0 reading_speed and none")
    needs_review: bool = Field(default=False, description="the placement is a guess: QA must check the captions "
                               "against the audio")
    reason: str | None = None
    voice: int | None = Field(default=None, description="voice id in analysis.voices")


class QuoteEntry(_M):
    id: str
    speaker: str | None
    speaker_title: str | None = Field(default=None, description="the best title stated for the speaker anywhere "
                                      "in the article")
    speaker_title_source: str | None = Field(default=None, description="where that title was stated: "
                                             "'paragraph N' (0-based) or 'photo caption'")
    quoted_by: str | None = Field(default=None, description="who quoted these words of the speaker ('Chen quoted "
                                  "Mencius, who once said ...')")
    article_speaker: str | None = Field(default=None, description="when a reviewer's edit changed the speaker or "
                                        "title: the speaker the article gave (kept beside the edited value)")
    article_speaker_title: str | None = Field(default=None, description="when a reviewer's edit changed the speaker "
                                              "or title: the title the article gave")
    text: str
    partial: bool = Field(description="a quoted fragment inside indirect speech; not subtitled")
    span: tuple[int, int] = Field(description="character range of the quote in the normalised article text")
    confidence: float = Field(ge=0, le=1, description="confidence in the attribution")
    needs_review: bool = Field(default=False, description="attribution uncertain: QA must check the speaker "
                               "(timing.needs_review: the captions' placement)")
    reason: str | None = None
    in_video: bool | None = Field(default=None, description="captioned in the video (null for partial quotes)")
    timing: QuoteTiming | None = Field(default=None, description="where its captions are, and why")


class Asset(_M):
    role: AssetRole
    path: str = Field(description="POSIX path relative to the manifest's folder")
    media_type: str
    bytes: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    width: int | None = Field(default=None, description="pixels")
    height: int | None = Field(default=None, description="pixels")
    duration: float | None = Field(default=None, description="seconds")
    format: str | None = Field(default=None, description="e.g. srt, vtt, ass, ttml, jpeg, webp, mp4")
    codec: str | None = None
    bitrate: int | None = Field(default=None, description="bits per second")
    language: str | None = None
    label: str | None = Field(default=None, description="rendition name, e.g. 16x9-1280")
    time: float | None = Field(default=None, description="for frames: seconds into the video")
    content_credentials: Literal["c2pa"] | None = Field(
        default=None, description="c2pa: a signed C2PA manifest is embedded in the file (bytes and sha256 are "
        "of the signed file); null: none")
    aspect: str | None = Field(default=None, description="social versions: the frame's aspect, 9x16 or 1x1")

    @classmethod
    def of_file(cls, root: Path, path: Path, role: AssetRole, *, media_type: str | None = None,
                **extra: Any) -> Asset:
        """The entry for a file of the package at root: path, size and sha256 read from disk."""
        return cls(role=role, path=path.relative_to(root).as_posix(),
                   media_type=media_type or MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream"),
                   bytes=path.stat().st_size, sha256=sha256_file(path), **extra)


class LintSummary(_M):
    profile: str
    cues: int
    errors: int
    warnings: int
    findings: list[LintFinding] = Field(default_factory=list)


class SuperInfo(_M):
    speaker: str
    title: str | None = None
    start: float
    end: float


class SubtitleInfo(_M):
    timing_source: Literal["explicit", "edit", "aligned", "voice_turn", "speech", "reading_speed", "mixed"] = Field(
        description="every captioned quote's timing source, or mixed (see quotes[].timing)")
    lint: LintSummary
    supers: list[SuperInfo] = Field(default_factory=list, description="name supers burned in, seconds")
    warnings: list[str] = Field(default_factory=list)


class PosterCandidate(_M):
    time: float
    score: float
    reasons: list[str] = Field(default_factory=list)


class PosterInfo(_M):
    time: float
    pinned: bool = Field(default=False, description="chosen in story.toml or by a reviewer's edit rather than by "
                         "score")
    pinned_by: Literal["story", "edit"] | None = Field(default=None, description="who pinned it: story.toml or a "
                                                        "reviewer's edit (edits.json)")
    candidates: list[PosterCandidate] = Field(default_factory=list)


class LoudnessInfo(_M):
    integrated: float | None = Field(default=None, description="source integrated loudness, LUFS")
    true_peak: float | None = Field(default=None, description="source true peak, dBTP")
    lra: float | None = Field(default=None, description="source loudness range, LU")
    target: float = Field(description="target integrated loudness of the outputs, LUFS")
    normalized: bool = False


class VoiceTurnInfo(_M):
    start: float
    end: float
    voice: int
    reporter: bool = Field(description="the reporter's voice-over")


class VoicesInfo(_M):
    turns: list[VoiceTurnInfo] = Field(default_factory=list, description="speech split by voice, seconds")
    reporter: int | None = Field(default=None, description="the reporter's voice id")
    reporter_reason: str | None = None
    reason: str | None = Field(default=None, description="why no turns were found (silence, music...)")


class AnalysisInfo(_M):
    speech: list[tuple[float, float]] = Field(default_factory=list, description="speech segments, seconds")
    shots: list[float] = Field(default_factory=list, description="shot changes, seconds")
    loudness: LoudnessInfo | None = None
    voices: VoicesInfo | None = Field(default=None, description="null without an audio track")


class InputFile(_M):
    role: Literal["article", "video", "photo", "story"]
    name: str = Field(description="file name as delivered")
    bytes: int
    sha256: str

    @classmethod
    def of_file(cls, role: Literal["article", "video", "photo", "story"], path: Path) -> InputFile:
        return cls(role=role, name=path.name, bytes=path.stat().st_size, sha256=sha256_file(path))


class Provenance(_M):
    inputs: list[InputFile]
    videonews_version: str
    ffmpeg_version: str
    settings: dict[str, Any] = Field(default_factory=dict)
    created_at: str = Field(description="UTC, ISO 8601; the only field that changes between identical builds")


class ContentCredentialsInfo(_M):
    status: Literal["signed", "unsigned"] = Field(description="signed: every media asset with "
                                                  "content_credentials=c2pa carries a signed C2PA manifest")
    signer: str | None = Field(default=None, description="the signing certificate's subject")
    test_credentials: bool = Field(default=False, description="signed with videonews' untrusted test "
                                   "credentials: not for publishing")
    reason: str | None = None


class QAEvent(_M):
    status: Literal["pending", "approved", "rejected"]
    by: str
    at: str
    note: str | None = None
    content_sha256: str | None = Field(default=None, description="the assets the decision was made on")
    key_id: str | None = Field(default=None, description="name of the reviewer's or desk's signing key")
    signature: str | None = Field(default=None, description="Ed25519 signature (base64) over the decision's "
                                  "canonical JSON: story id, status, by, at, note, content_sha256, key_id")


class EditsInfo(_M):
    path: str = Field(description="the reviewers' edits file, relative to the manifest's folder (edits.json)")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    count: int = Field(ge=0, description="edits recorded")
    applied: int = Field(ge=0, description="how many of them (the first ones) the package's files reflect; the "
                         "rest wait for `videonews review apply`")


class QAInfo(_M):
    status: Literal["pending", "approved", "rejected"] = "pending"
    history: list[QAEvent] = Field(default_factory=list)


class Manifest(_M):
    schema_version: str = SCHEMA_VERSION
    story: StoryInfo
    quality: Literal["draft", "web", "broadcast"] | None = Field(
        default=None, description="the encoder preset the package was built with; draft is for checking only")
    credits: list[CreditEntry] = Field(default_factory=list)
    quotes: list[QuoteEntry] = Field(default_factory=list)
    subtitles: SubtitleInfo | None = None
    no_subtitles_reason: str | None = None
    poster: PosterInfo | None = None
    analysis: AnalysisInfo | None = None
    assets: list[Asset] = Field(default_factory=list)
    provenance: Provenance
    qa: QAInfo = Field(default_factory=QAInfo)
    content_credentials: ContentCredentialsInfo | None = Field(
        default=None, description="whether the media files carry C2PA content credentials, and whose")
    edits: EditsInfo | None = Field(default=None, description="reviewers' edits (timings, speakers, poster, notes) "
                                    "kept next to the manifest; a rebuild applies them")
    warnings: list[str] = Field(default_factory=list)
    integrity: str | None = Field(
        default=None, pattern=r"^sha256:[0-9a-f]{64}$",
        description="sha256 of this manifest's canonical JSON (keys sorted, no whitespace, UTF-8) without this "
        "field; set by videonews on every write, so a hand edit shows")

    def canonical_digest(self) -> str:
        data = self.model_dump(mode="json", exclude={"integrity"})
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    def content_digest(self) -> str:
        """sha256 over the assets' checksums: identifies the package content for QA decisions and publishing."""
        h = hashlib.sha256()
        for a in sorted(self.assets, key=lambda a: a.path):
            h.update(f"{a.path}\0{a.sha256}\n".encode())
        return h.hexdigest()


def json_schema() -> dict[str, Any]:
    schema = Manifest.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://videonews.example/manifest-{SCHEMA_VERSION}.schema.json"
    schema["title"] = "videonews package manifest"
    return schema


def sha256_stream(stream: IO[bytes]) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def sha256_file(path: Path) -> str:
    with path.open("rb") as f:
        return sha256_stream(f)


def _check_asset(root: Path, asset: Asset) -> str | None:
    """What is wrong with one listed file, read without following any link; None when it is true."""
    try:
        with open_inside(root, asset.path) as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return "not a regular file"
            if st.st_size != asset.bytes:
                return f"{st.st_size} bytes, manifest says {asset.bytes}"
            digest = sha256_stream(fh)
    except ValueError:
        return "path escapes the package"
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            return "is a symbolic link (or lies behind one); a package holds only its own files"
        return f"cannot be read: {exc.strerror or exc}"
    if digest != asset.sha256:
        return f"sha256 {digest[:12]}..., manifest says {asset.sha256[:12]}..."
    return None


def write_manifest(manifest: Manifest, folder: Path) -> Path:
    path = folder / MANIFEST_NAME
    manifest.integrity = manifest.canonical_digest()
    atomic_write(path, manifest.model_dump_json(indent=2) + "\n")
    return path


def read_manifest(path: Path) -> Manifest:
    from videonews.errors import ManifestError, first_invalid

    if path.is_dir():
        path = path / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError("manifest not found", path=path, remedy="build the story first") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"not valid JSON: {exc}", path=path, remedy="rebuild the package") from exc
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        loc, msg, _ = first_invalid(exc)
        raise ManifestError(f"does not match the schema at {loc}: {msg}", path=path,
                            remedy="rebuild the package; do not edit manifests by hand") from exc


def verify_package(path: Path, *, credentials: bool = True) -> list[str]:
    """Every problem with a package, each naming its file: schema, paths, sizes and checksums, C2PA content
    credentials of signed assets (valid, bound to these bytes, their ingredients the story's inputs), links
    and unlisted files (the local review/ folder aside). Empty list = valid. QA decision signatures need the
    trusted keys: `videonews.review.decision.verify_decisions`."""
    from videonews.errors import ManifestError

    manifest_path = path / MANIFEST_NAME if path.is_dir() else path
    # resolve links once, first: a published DROP/<id> link may be swapped to a new version while we
    # read, and the manifest and the assets must come from the same version
    manifest_path = manifest_path.parent.resolve() / manifest_path.name
    try:
        manifest = read_manifest(manifest_path)
    except ManifestError as exc:
        return [exc.problem]
    problems: list[str] = []
    if manifest.integrity is None:
        problems.append("manifest has no integrity checksum (not written by videonews)")
    elif manifest.integrity != manifest.canonical_digest():
        problems.append("manifest was changed after videonews wrote it (integrity checksum differs)")
    root = manifest_path.parent.resolve()
    seen: set[str] = set()
    for asset in manifest.assets:
        if asset.path in seen:
            problems.append(f"{asset.path}: listed twice")
        seen.add(asset.path)
        problem = _check_asset(root, asset)
        if problem:
            problems.append(f"{asset.path}: {problem}")
        elif credentials and asset.content_credentials == "c2pa":
            problems.extend(f"{asset.path}: {p}" for p in _check_credentials(root, asset, manifest))
    if manifest.edits is not None:
        seen.add(manifest.edits.path)
        edits = root / manifest.edits.path
        if manifest.edits.path != "edits.json" or not edits.is_file() or edits.is_symlink():
            problems.append(f"{manifest.edits.path}: the edits file is missing")
        elif sha256_file(edits) != manifest.edits.sha256:
            problems.append(f"{manifest.edits.path}: changed after videonews wrote it (sha256 differs)")
    problems.extend(unlisted_files(root, seen))
    return problems


def _check_credentials(root: Path, asset: Asset, manifest: Manifest) -> list[str]:
    from videonews.contentcreds import ingredient_sha256, read_credentials

    back = read_credentials(root / asset.path, asset.media_type)
    if back.state is None:
        return ["manifest says it carries C2PA content credentials, the file has none"]
    out = [f"C2PA credentials invalid: {e}" for e in back.errors]
    if back.state not in ("Valid", "Trusted") and not out:
        out.append(f"C2PA credentials are {back.state}")
    inputs = {i.sha256 for i in manifest.provenance.inputs}
    for ing in back.ingredients:
        digest = ingredient_sha256(ing)
        if digest is not None and digest not in inputs:
            out.append(f"C2PA ingredient {ing.get('title')!r} (sha256 {digest[:12]}...) is not an input of "
                       "this package")
    return out


LOCAL_ONLY = ("review",)  # folders a package keeps for its reviewers, never published


def unlisted_files(root: Path, listed: set[str]) -> list[str]:
    """Files in the package the manifest does not list, and links anywhere in it (review/ is the reviewers'
    local page: only links are reported there)."""
    out = []
    for folder, dirs, files in os.walk(root):  # os.walk does not descend into linked folders
        rel_folder = Path(folder).relative_to(root)
        for name in sorted(dirs + files):
            rel = (rel_folder / name).as_posix()
            full = Path(folder) / name
            if full.is_symlink():
                out.append(f"{rel}: is a symbolic link; a package holds only its own files")
            elif name in files and rel != MANIFEST_NAME and rel not in listed and \
                    rel_folder.parts[:1] != LOCAL_ONLY and not name.startswith(".manifest.json."):
                out.append(f"{rel}: not listed in the manifest")
    return out
