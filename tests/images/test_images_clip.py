"""The MoviePy photo clip: a valid H.264 yuv420p MP4 of the right size and duration, faststart."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from videonews.errors import FFmpegError
from videonews.images import make_photo_clip, render_lower_third


def _top_level_boxes(path: Path) -> list[str]:
    data = path.read_bytes()
    boxes, pos = [], 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8].decode("latin-1")
        if size == 1:
            size = int.from_bytes(data[pos + 8:pos + 16], "big")
        boxes.append(kind)
        if size < 8:
            break
        pos += size
    return boxes


def test_photo_clip_is_valid_h264(tmp_path: Path, make_scene: Callable[..., Image.Image], ffmpeg: str,
                                  font_path: Path | None) -> None:
    photo = make_scene(1200, 800, 900, 300, 120)
    out = tmp_path / "clip.mp4"
    result = make_photo_clip(photo, out, width=640, height=360, duration=2.0, fps=25,
                             caption="Delegates arrive in Wuzhen for the World Internet Conference",
                             credit="Photo: Xinhua/Li Xin", font_path=font_path, ffmpeg_exe=ffmpeg,
                             metadata={"artist": "Li Xin", "copyright": "© Xinhua/Li Xin"})
    assert result.path == out and out.stat().st_size > 1000
    assert (result.width, result.height, result.frames) == (640, 360, 50)
    assert result.render_fps > 0
    info = subprocess.run([ffmpeg, "-hide_banner", "-i", str(out)], capture_output=True, text=True).stderr
    video = next(line for line in info.splitlines() if "Video:" in line)
    assert "h264" in video and "yuv420p" in video and "640x360" in video and "25 fps" in video
    assert "Audio:" not in info
    assert re.search(r"artist\s*: Li Xin", info) and re.search(r"copyright\s*: © Xinhua/Li Xin", info)
    m = re.search(r"Duration: (\d+):(\d+):([\d.]+)", info)
    assert m and abs(int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3]) - 2.0) < 0.1
    boxes = _top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")  # faststart
    assert not list(tmp_path.glob(".*part*"))


def test_lower_third_stays_in_title_safe_and_is_transparent_above(font_path: Path | None) -> None:
    ov = render_lower_third(1920, 1080, caption="A caption long enough to wrap " * 6,
                            credit="Photo: Xinhua/Li Xin", font_path=font_path)
    assert ov.mode == "RGBA" and ov.size == (1920, 1080)
    a = np.asarray(ov)
    assert a[: 1080 // 2, :, 3].max() == 0  # the top half is untouched
    text = np.nonzero((a[..., 0] > 200) & (a[..., 3] == 255))
    assert text[0].size
    assert text[1].min() >= 1920 * 0.05 - 1 and text[1].max() <= 1920 * 0.95
    assert text[0].max() <= 1080 * 0.95


def test_bad_ffmpeg_raises_ffmpeg_error(tmp_path: Path) -> None:
    with pytest.raises(FFmpegError):
        make_photo_clip(Image.new("RGB", (400, 300), (50, 90, 120)), tmp_path / "x.mp4", width=320,
                        height=180, duration=0.4, caption="", credit="",
                        ffmpeg_exe=tmp_path / "no-such-ffmpeg")
    assert not (tmp_path / "x.mp4").exists()


def test_a_failing_frame_stops_ffmpeg_and_leaves_nothing(tmp_path: Path, ffmpeg: str, monkeypatch) -> None:
    from videonews.ffmpeg import runner
    from videonews.images import clip as clip_module

    calls = []
    real = clip_module._KenBurns.__call__

    def breaks_on_frame_10(self, t):
        calls.append(t)
        if len(calls) == 10:
            raise RuntimeError("frame 10 could not be drawn")
        return real(self, t)

    monkeypatch.setattr(clip_module._KenBurns, "__call__", breaks_on_frame_10)
    with pytest.raises(RuntimeError, match="frame 10"):
        make_photo_clip(Image.new("RGB", (400, 300), (50, 90, 120)), tmp_path / "x.mp4", width=320, height=180,
                        duration=2.0, ffmpeg_exe=ffmpeg)
    assert runner.live_children() == 0
    assert not list(tmp_path.iterdir())


def test_odd_size_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="even"):
        make_photo_clip(Image.new("RGB", (400, 300)), tmp_path / "x.mp4", width=321, height=180)


def test_font_without_glyphs_raises_font_error(font_path: Path | None) -> None:
    pytest.importorskip("fontTools")
    if font_path is None:
        pytest.skip("no TTF font on this machine")
    from videonews.errors import FontError

    with pytest.raises(FontError, match="glyphs"):
        render_lower_third(640, 360, caption="乌镇峰会", credit="Photo: Xinhua", font_path=font_path)


def test_opencv_and_pillow_frames_agree(make_scene: Callable[..., Image.Image]) -> None:
    cv2 = pytest.importorskip("cv2")
    from videonews.images.clip import _KenBurns

    photo = make_scene(900, 600, 650, 250, 90)
    overlay = render_lower_third(320, 180, caption="Caption", credit="Photo: X")
    pil = _KenBurns(photo, 320, 180, 2.0, (1.0, 1.12), overlay)
    ocv = _KenBurns(photo, 320, 180, 2.0, (1.0, 1.12), overlay, cv2=cv2)
    for t in (0.0, 1.0, 2.0):
        a, b = pil(t).astype(int), ocv(t).astype(int)
        assert a.shape == b.shape == (180, 320, 3)
        assert np.abs(a - b).mean() < 4


def test_zoom_moves_towards_the_subject(make_scene: Callable[..., Image.Image]) -> None:
    from videonews.images.clip import _KenBurns

    kb = _KenBurns(make_scene(1600, 900, 1250, 300, 120), 640, 360, 4.0, (1.0, 1.12), None)
    x0, y0, x1, y1 = kb.window(0.0)
    assert (x0, y0) == (0.0, 0.0) and x1 == kb.work.width
    e0, e1, e2, e3 = kb.window(4.0)
    assert abs((e2 - e0) - kb.work.width / 1.12) < 1e-6
    assert (e0 + e2) / 2 > kb.work.width / 2 and (e1 + e3) / 2 < kb.work.height / 2  # right and up
