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
