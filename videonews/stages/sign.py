"""Sign: C2PA content credentials embedded in every media file of the package.

Runs after every media file is written and before the manifest is made, so the manifest's sizes and
checksums are those of the signed files. Which files: every listed asset whose media type C2PA can carry
(JPEG, PNG, WebP, MP4), whatever stage made it, so a new kind of output is signed without a change here.
What each claims follows its role (`ROLE_ACTIONS`; an unknown video role is an edit of the source video):
the story's source video or agency photo as the parent ingredient, named by its sha256, the actions taken,
the credits (a schema.org CreativeWork: photographer, agency, source) and the signer's certificate.

Without credentials (no `signing_key`/`signing_cert`, no test credentials asked for) nothing is signed and
the manifest says `unsigned`.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from videonews import __version__
from videonews.credentials import SigningCredentials, resolve_credentials
from videonews.manifest import MEDIA_TYPES, Asset, ContentCredentialsInfo, InputFile, sha256_file
from videonews.settings import Settings
from videonews.stages.ingest import Ingested
from videonews.stages.workspace import Workspace
from videonews.story import Story

_BURN_IN = "captions, name supers and the source credit burned in; audio loudness-normalised"
# role -> (ingredient: "video" or "photo", [(action, description)])
ROLE_ACTIONS: dict[str, tuple[str, list[tuple[str, str | None]]]] = {
    "captioned_video": ("video", [("c2pa.edited", _BURN_IN), ("c2pa.transcoded", "H.264/AAC master")]),
    "preview_video": ("video", [("c2pa.edited", _BURN_IN), ("c2pa.resized", "640 px preview"),
                                ("c2pa.transcoded", "H.264/AAC preview")]),
    "poster": ("video", [("c2pa.transcoded", "a frame of the video as a still image")]),
    "thumbnail": ("video", [("c2pa.cropped", None), ("c2pa.resized", None),
                            ("c2pa.transcoded", "a frame of the video as a still image")]),
    "poster_rendition": ("video", [("c2pa.cropped", None), ("c2pa.resized", None),
                                   ("c2pa.transcoded", "a frame of the video as a still image")]),
    "contact_sheet": ("video", [("c2pa.edited", "frames of the video with timecodes"), ("c2pa.resized", None)]),
    "photo_rendition": ("photo", [("c2pa.cropped", None), ("c2pa.resized", None),
                                  ("c2pa.transcoded", "re-encoded with the credits in IPTC/XMP and EXIF")]),
    "photo_clip": ("photo", [("c2pa.edited", "slow zoom, caption and credit over the photo"),
                             ("c2pa.transcoded", "the still photo as H.264 video")]),
}
_DEFAULT_VIDEO = ("video", [("c2pa.edited", None), ("c2pa.transcoded", None)])


@dataclass(frozen=True)
class Signed:
    assets: list[Asset]
    info: ContentCredentialsInfo


def credentials_for(ing: Ingested, settings: Settings) -> SigningCredentials | None:
    """The newsroom's credentials from settings, else test credentials if the story or settings ask."""
    return resolve_credentials(settings.signing_key, settings.signing_cert,
                               allow_test=_allows_test(settings, ing.story))


def signs(settings: Settings, story: Story) -> bool:
    """Whether a build of this story with these settings signs its media (what `credentials_for` decides,
    without loading any key): for the batch's "up to date" check."""
    return settings.signing_key is not None or settings.signing_cert is not None or _allows_test(settings, story)


def _allows_test(settings: Settings, story: Story) -> bool:
    return bool(settings.test_credentials or story.options.test_credentials)


def sign_assets(ing: Ingested, assets: list[Asset], ws: Workspace, settings: Settings,
                creds: SigningCredentials | None, inputs: list[InputFile] | None = None) -> Signed:
    """Sign every signable asset; `inputs` (the story's files with their sha256, as the provenance lists
    them) name the ingredients, so the source video is not hashed again."""
    from videonews.contentcreds import SIGNABLE

    if creds is None:
        return Signed(assets=assets, info=ContentCredentialsInfo(
            status="unsigned", reason="no signing credentials (set signing_key and signing_cert)"))
    from videonews.contentcreds import C2paSigner

    signer = C2paSigner(creds, __version__)
    ingredients = _ingredients(ing, inputs)
    todo = [i for i, a in enumerate(assets) if a.media_type in SIGNABLE and _ingredient_of(a, ingredients)]
    out = list(assets)
    # the SDK releases the GIL while it hashes and writes: two files at a time on two cores
    lock = threading.Lock()

    def one(i: int) -> None:
        a = assets[i]
        path = ws.root / a.path
        signer.sign(path, _claim(a, ing, ingredients))
        signed = a.model_copy(update={"bytes": path.stat().st_size, "sha256": sha256_file(path),
                                      "content_credentials": "c2pa"})
        with lock:
            out[i] = signed

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="videonews-sign") as pool:
        list(pool.map(one, todo))
    return Signed(assets=out, info=ContentCredentialsInfo(
        status="signed", signer=creds.signer_name, test_credentials=creds.test,
        reason="signed with UNTRUSTED TEST credentials: readers see an unknown signer" if creds.test else None))


def _ingredients(ing: Ingested, inputs: list[InputFile] | None) -> dict[str, Any]:
    from videonews.contentcreds import Ingredient

    story = ing.story
    known: dict[str, str] = {i.role: i.sha256 for i in inputs or []}
    found: dict[str, Any] = {}
    for role, path in (("video", story.video), ("photo", story.photo)):
        if path is not None:
            digest = known.get(role) or sha256_file(path)
            found[role] = Ingredient(role, path.name, _media_type(path), digest, path)
    return found


def _media_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".jpeg": "image/jpeg", ".mov": "video/quicktime", ".m4v": "video/mp4", ".tif": "image/tiff",
            ".tiff": "image/tiff", ".heic": "image/heic", ".heif": "image/heif", ".avif": "image/avif",
            }.get(suffix) or MEDIA_TYPES.get(suffix, "application/octet-stream")


def _ingredient_of(asset: Asset, ingredients: dict[str, Any]) -> Any:
    kind, _ = ROLE_ACTIONS.get(asset.role, _DEFAULT_VIDEO)
    if asset.role not in ROLE_ACTIONS and asset.role.startswith("photo"):
        kind = "photo"
    return ingredients.get(kind)


def _claim(asset: Asset, ing: Ingested, ingredients: dict[str, Any]) -> Any:
    from videonews.contentcreds import Claim

    _, steps = ROLE_ACTIONS.get(asset.role, _DEFAULT_VIDEO)
    parent = _ingredient_of(asset, ingredients)
    actions: list[dict[str, Any]] = [{"action": "c2pa.opened", "parameters": {"ingredientIds": [parent.role]}}]
    for name, description in steps:
        action: dict[str, Any] = {"action": name, "softwareAgent": {"name": "videonews", "version": __version__}}
        if description:
            action["description"] = description
        actions.append(action)
    return Claim(title=f"{ing.title} ({asset.role}{', ' + asset.label if asset.label else ''})",
                 media_type=asset.media_type, ingredients=[parent], actions=actions,
                 credits=_credits(ing, parent.role))


def _credits(ing: Ingested, kind: str) -> dict[str, Any]:
    """schema.org CreativeWork: the author (photographer, or the video's outlet), the agency, the source."""
    credit = ing.credit("photo" if kind == "photo" else "video")
    work: dict[str, Any] = {"@context": "https://schema.org", "@type": "CreativeWork"}
    if ing.headline:
        work["name"] = ing.headline
    if credit is None:
        return work
    if credit.name:
        work["author"] = [{"@type": "Person", "name": credit.name}]
    elif credit.organization:
        work["author"] = [{"@type": "Organization", "name": credit.organization}]
    if credit.organization:
        work["provider"] = {"@type": "Organization", "name": credit.organization}
    if credit.credit_line:
        work["creditText"] = credit.credit_line
        work["copyrightNotice"] = ing.story.options.credits.rights or f"© {credit.credit_line}"
    if ing.article.source:
        work["sourceOrganization"] = {"@type": "Organization", "name": ing.article.source}
    return work
