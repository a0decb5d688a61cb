"""One settings object: flags > VIDEONEWS_* environment > TOML file > defaults.

Nothing is looked up at import time: binaries and fonts are resolved lazily by
`videonews.ffmpeg.locate` and `videonews.fonts` from these values.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from videonews.errors import InputError, first_invalid

Preset = Literal["draft", "web", "broadcast"]
DEFAULT_PHOTO_MEGAPIXELS = 40.0  # also load_photo's default

# Encoder presets: the trade-off is written down in the README.
ENCODER_PRESETS: dict[str, dict[str, Any]] = {
    # fastest turnaround for checking a story; visibly softer
    "draft": {"preset": "ultrafast", "crf": 28, "audio_bitrate": "96k"},
    # the default: what a news site streams
    "web": {"preset": "veryfast", "crf": 21, "audio_bitrate": "128k"},
    # archive / broadcast hand-off: slower, higher quality
    "broadcast": {"preset": "medium", "crf": 17, "audio_bitrate": "192k"},
}


def _config_file() -> Path | None:
    explicit = os.environ.get("VIDEONEWS_CONFIG")
    if explicit:
        return Path(explicit)
    local = Path("videonews.toml")
    return local if local.is_file() else None


class Settings(BaseSettings):
    """Everything that shapes a build; recorded in the manifest's provenance."""

    model_config = SettingsConfigDict(env_prefix="VIDEONEWS_", extra="ignore")

    ffmpeg: Path | None = Field(default=None, description="ffmpeg binary; default: the imageio-ffmpeg wheel's")
    fonts_dir: Path | None = Field(default=None, description="folder of TTF/OTF fonts for captions")
    font: str = Field(default="DejaVu Sans", description="caption font family")
    profile: str = Field(default="netflix", description="subtitle style profile: netflix or bbc")
    preset: Preset = Field(default="web", description="encoder preset: draft, web or broadcast")
    encoder: Literal["libx264", "h264_nvenc"] = "libx264"
    threads: int = Field(default=0, ge=0, description="ffmpeg threads per story (0 = ffmpeg decides)")
    ffmpeg_timeout: float = Field(default=3600.0, gt=0, description="seconds before one ffmpeg run is killed")
    loudness_target: float = Field(default=-23.0, description="integrated loudness target, LUFS")
    true_peak_max: float = Field(default=-1.0, description="true-peak ceiling, dBTP")
    silence_db: float = Field(default=-35.0, description="silencedetect noise floor, dB")
    silence_min: float = Field(default=0.45, description="shortest pause that splits speech, seconds")
    scene_threshold: float = Field(default=8.0, description="scdet threshold (0-100)")
    preview_width: int = 640
    output_short_side: int = Field(default=1080, ge=0, description="the videos' shorter side at most, pixels: a "
                                   "4K phone clip becomes a 1080p master (0: the source's own size)")
    thumbnail_candidates: int = Field(default=24, ge=4, description="frames scored for the poster")
    photo_clip: bool = False
    graphics: str = Field(default="news", description="on-screen graphics: news, plain or a template TOML file")
    social: str = Field(default="", description="captioned social versions, comma-separated: 9x16, 1x1 "
                        "(empty: story.toml's `social`, else none)")
    require_approval: bool = Field(default=False, description="publish only approved packages")
    # Provenance (README "Content credentials"): C2PA signing and signed QA decisions
    signing_key: Path | None = Field(default=None, description="PEM private key (EC P-256 or Ed25519) that signs "
                                     "the C2PA content credentials")
    signing_cert: Path | None = Field(default=None, description="PEM certificate chain of signing_key, its own "
                                      "certificate first")
    test_credentials: bool = Field(default=False, description="sign with videonews' untrusted test credentials "
                                   "(made once in the user cache) when no signing_key is set")
    review_key: Path | None = Field(default=None, description="PEM Ed25519 private key that signs this "
                                    "reviewer's (or desk's) QA decisions")
    review_key_id: str | None = Field(default=None, max_length=200, description="name of review_key, recorded "
                                      "with each decision (default: the reviewer's name)")
    trusted_reviewers: dict[str, str] = Field(default_factory=dict, description="key name -> Ed25519 public key "
                                              "(base64 raw 32 bytes, or a PEM file path) trusted to approve")
    # Safety (README "Safety"): what a story may reference, and limits checked before any work starts
    allow_outside_story: bool = Field(default=False, description="let a story (or a batch list) name files "
                                      "outside its folder")
    max_article_bytes: int = Field(default=4_000_000, gt=0, description="largest article file, bytes")
    max_quote_chars: int = Field(default=2000, gt=0, description="longest direct quote, characters")
    max_subtitle_cues: int = Field(default=2000, gt=0, description="most cues a story's quotes (or a linted "
                                   "file) may need")
    max_video_width: int = Field(default=4096, gt=0, description="widest video frame, pixels")
    max_video_height: int = Field(default=4096, gt=0, description="tallest video frame, pixels")
    max_video_pixels: int = Field(default=4096 * 2160, gt=0, description="largest video frame, width x height")
    max_video_seconds: float = Field(default=3 * 3600.0, gt=0, description="longest video, by its header")
    max_video_streams: int = Field(default=32, gt=0, description="most streams in the video file")
    max_photo_megapixels: float = Field(default=DEFAULT_PHOTO_MEGAPIXELS, gt=0, description="largest photo, "
                                        "megapixels")
    review_request_timeout: float = Field(default=30.0, gt=0, description="review server: seconds to "
                                          "receive one request")
    review_idle_timeout: float = Field(default=15.0, gt=0, description="review server: seconds a quiet "
                                       "connection stays open")
    review_max_connections: int = Field(default=32, gt=0, description="review server: open connections")

    @field_validator("social")
    @classmethod
    def _social(cls, v: str) -> str:
        items = [x.strip().lower() for x in v.split(",") if x.strip()]
        bad = [x for x in items if x not in ("9x16", "1x1")]
        if bad:
            raise ValueError(f"unknown social version {bad[0]!r}: use 9x16, 1x1 (comma-separated)")
        return ",".join(items)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    def encoder_options(self) -> dict[str, Any]:
        return dict(ENCODER_PRESETS[self.preset])

    def fingerprint_fields(self) -> dict[str, Any]:
        """The settings that change outputs (not paths to tools, nor limits that only refuse inputs), for
        provenance and caching."""
        skip = {"ffmpeg", "fonts_dir", "ffmpeg_timeout", "threads", "allow_outside_story", "signing_key",
                "signing_cert", "test_credentials", "review_key", "review_key_id", "trusted_reviewers"}
        return self.model_dump(mode="json", exclude=skip | {k for k in type(self).model_fields
                                                            if k.startswith(("max_", "review_"))})

    @property
    def max_photo_pixels(self) -> int:
        return int(self.max_photo_megapixels * 1_000_000)


def load_settings(**overrides: Any) -> Settings:
    """Build settings; `None` overrides are ignored so CLI flags left unset fall through. A bad value (from a
    flag, the environment or videonews.toml) is an InputError naming the setting."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        name, msg, _ = first_invalid(exc)
        raise InputError(f"bad setting {name}: {msg}", field=name,
                         remedy=f"fix VIDEONEWS_{name.upper()} or {name} in videonews.toml") from None
