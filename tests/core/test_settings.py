from videonews.settings import Settings, load_settings


def test_env_and_toml_and_flags(tmp_path, monkeypatch):
    cfg = tmp_path / "videonews.toml"
    cfg.write_text('preset = "broadcast"\nprofile = "bbc"\nloudness_target = -16.0\n')
    monkeypatch.setenv("VIDEONEWS_CONFIG", str(cfg))
    s = Settings()
    assert (s.preset, s.profile, s.loudness_target) == ("broadcast", "bbc", -16.0)
    monkeypatch.setenv("VIDEONEWS_PRESET", "draft")
    assert Settings().preset == "draft"  # environment beats the file
    assert load_settings(preset="web", profile=None).preset == "web"  # flags beat both; None falls through


def test_fingerprint_excludes_tool_paths(tmp_path):
    a = Settings(ffmpeg=tmp_path / "ffmpeg").fingerprint_fields()
    b = Settings().fingerprint_fields()
    assert a == b and "ffmpeg" not in a
    assert Settings(preset="draft").fingerprint_fields() != b


def test_limits_are_settings_outside_the_fingerprint_and_checked(monkeypatch):
    import pytest

    from videonews.errors import InputError

    assert Settings(max_video_seconds=60, allow_outside_story=True).fingerprint_fields() == \
        Settings().fingerprint_fields()  # they refuse inputs; they never change a package
    monkeypatch.setenv("VIDEONEWS_MAX_VIDEO_SECONDS", "7200")
    assert load_settings().max_video_seconds == 7200
    monkeypatch.setenv("VIDEONEWS_MAX_QUOTE_CHARS", "-5")
    with pytest.raises(InputError, match="max_quote_chars") as info:
        load_settings()
    assert info.value.exit_code == 2 and "VIDEONEWS_MAX_QUOTE_CHARS" in (info.value.remedy or "")
