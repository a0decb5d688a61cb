"""C2PA content credentials through the reference SDK's Python binding (c2pa-python): sign a file, read one back.

Kept behind this one module, like ffmpeg behind `ffmpeg/runner.py`: the stage (`stages/sign.py`) says *what*
a file is and what was done to it; this module turns that into a C2PA manifest, embeds it (JPEG, PNG, WebP,
MP4), and reads credentials back for `validate`. Thumbnails inside the manifest are off: the package already
has its own, and they would add ~100 kB to every small rendition.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from videonews.credentials import SigningCredentials, signing_alg

UNTRUSTED_OK = {"signingCredential.untrusted"}  # a signer not on the C2PA trust list (test credentials)
SIGNABLE = {"image/jpeg", "image/png", "image/webp", "video/mp4"}
_C2PA_SETTINGS = {"builder": {"thumbnail": {"enabled": False}}}


@dataclass(frozen=True)
class Ingredient:
    role: str  # "video" or "photo": the story input it is
    name: str
    media_type: str
    sha256: str
    path: Path


@dataclass(frozen=True)
class Claim:
    """What one output is and how it was made from its ingredients."""

    title: str
    media_type: str
    ingredients: list[Ingredient]
    actions: list[dict[str, Any]]
    credits: dict[str, Any] = field(default_factory=dict)  # a schema.org CreativeWork


@dataclass
class ReadBack:
    """Credentials read from a file: `state` is c2pa's (Valid, Trusted, Invalid) or None when there are none."""

    state: str | None
    errors: list[str] = field(default_factory=list)
    ingredients: list[dict[str, Any]] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    signer: str | None = None
    manifest: dict[str, Any] | None = None


def _context() -> Any:
    import c2pa

    return c2pa.Context(settings=c2pa.Settings.from_json(json.dumps(_C2PA_SETTINGS)))


class C2paSigner:
    """One signer for a whole build (the key is parsed once)."""

    def __init__(self, creds: SigningCredentials, version: str) -> None:
        import c2pa

        self.creds = creds
        self.version = version
        self._c2pa = c2pa
        self._alg = signing_alg(creds)

    def _signer(self) -> Any:
        info = self._c2pa.C2paSignerInfo(self._alg, self.creds.chain_pem, self.creds.key_pem, None)
        return self._c2pa.Signer.from_info(info)

    def sign(self, path: Path, claim: Claim) -> None:
        """Embed a signed manifest in path, replacing it (written beside, renamed over)."""
        c2pa = self._c2pa
        definition: dict[str, Any] = {
            "claim_generator_info": [{"name": "videonews", "version": self.version}],
            "title": claim.title, "format": claim.media_type, "assertions": [],
        }
        if claim.credits:
            definition["assertions"].append({"label": "stds.schema-org.CreativeWork", "data": claim.credits})
        builder = c2pa.Builder(definition, context=_context())
        for ing in claim.ingredients:
            self._add_ingredient(builder, ing)
        for action in claim.actions:
            builder.add_action(action)
        tmp = path.with_name(f".{path.name}.c2pa.tmp")
        try:
            with path.open("rb") as src, tmp.open("w+b") as dst:
                builder.sign(self._signer(), claim.media_type, src, dst)
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()

    def _add_ingredient(self, builder: Any, ing: Ingredient) -> None:
        definition = {"title": ing.name, "format": ing.media_type, "relationship": "parentOf",
                      "label": ing.role, "instance_id": f"sha256:{ing.sha256}",
                      "metadata": {"sha256": ing.sha256}}
        with ing.path.open("rb") as f:
            builder.add_ingredient(definition, ing.media_type, f)


def read_credentials(path: Path, media_type: str) -> ReadBack:
    """Read and validate the credentials embedded in path."""
    import c2pa

    try:
        with path.open("rb") as f:
            reader = c2pa.Reader(media_type, f, context=_context())
            state = reader.get_validation_state()
            results = reader.get_validation_results() or {}
            active = reader.get_active_manifest() or {}
    except c2pa.C2paError as exc:
        text = str(exc)
        if "ManifestNotFound" in type(exc).__name__ or "no JUMBF" in text or "not found" in text.lower():
            return ReadBack(state=None, errors=["no content credentials"])
        return ReadBack(state="Invalid", errors=[text])
    failures = (results.get("activeManifest") or {}).get("failure") or []
    errors = [f"{x.get('code')}: {x.get('explanation', '')}" for x in failures
              if x.get("code") not in UNTRUSTED_OK]
    actions = [a.get("action", "") for assertion in active.get("assertions", [])
               if str(assertion.get("label", "")).startswith("c2pa.actions")
               for a in assertion.get("data", {}).get("actions", [])]
    sig = active.get("signature_info") or {}
    return ReadBack(state=state, errors=errors, ingredients=list(active.get("ingredients", [])), actions=actions,
                    signer=sig.get("common_name"), manifest=active)


def ingredient_sha256(ingredient: dict[str, Any]) -> str | None:
    iid = str(ingredient.get("instance_id") or "")
    return iid.removeprefix("sha256:") if iid.startswith("sha256:") else None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
