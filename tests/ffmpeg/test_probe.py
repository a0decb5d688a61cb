from pathlib import Path

import pytest

from videonews.errors import MediaError
from videonews.ffmpeg.probe import parse_probe, probe, require_video

SAMPLE = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'clip.mp4':
  Duration: 00:01:05.04, start: 0.000000, bitrate: 245 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p10le(tv, bt709, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 180 kb/s, 29.97 fps, 29.97 tbr, 30k tbn (default)
    Side data:
      Display Matrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 64 kb/s (default)
"""


def test_parse_probe_reads_streams_and_rotation():
    info = parse_probe(SAMPLE, "clip.mp4")
    assert info.duration == pytest.approx(65.04)
    assert (info.width, info.height, info.fps) == (1920, 1080, 29.97)
    assert info.pix_fmt == "yuv420p10le"
    assert info.rotation == 90
    assert info.display_size == (1080, 1920)
    assert info.audio_codec == "aac" and info.sample_rate == 48000 and info.channels == "stereo"
    assert info.bitrate_kbps == 245


@pytest.mark.parametrize("video, sar, interlaced, shown", [
    # 16:9 PAL SD from a broadcast chain: non-square pixels, top field first
    ("h264 (Main) (avc1 / 0x31637661), yuv420p(top first), 720x576 [SAR 64:45 DAR 16:9], 3519 kb/s, 25 fps",
     (64, 45), True, (1024, 576)),
    ("mpeg2video (Main), yuv420p(tv, bt470bg, bottom first), 720x576 [SAR 16:15 DAR 4:3], 25 fps",
     (16, 15), True, (768, 576)),
    # HDV: 1440x1080 shown 1920x1080; "top coded first (swapped)" is interlaced too
    ("mpeg2video (Main), yuv420p(tv, top coded first (swapped)), 1440x1080 [SAR 4:3 DAR 16:9], 25 fps",
     (4, 3), True, (1920, 1080)),
    ("h264 (High), yuv420p(tv, bt709, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 25 fps", (1, 1), False,
     (1920, 1080)),
    ("h264 (High), yuv420p, 1280x720, 25 fps", (1, 1), False, (1280, 720)),  # nothing said: square, progressive
])
def test_parse_probe_reads_pixel_aspect_and_fields(video, sar, interlaced, shown):
    info = parse_probe(f"Input #0, mpegts, from 'x':\n  Duration: 00:00:10.00, start: 1.4, bitrate: 9000 kb/s\n"
                       f"  Stream #0:0[0x100]: Video: {video}\n")
    assert (info.sar, info.interlaced, info.display_size) == (sar, interlaced, shown)


@pytest.mark.parametrize("video, hdr", [
    ("hevc (Main 10) (hvc1), yuv420p10le(tv, bt2020nc/bt2020/arib-std-b67), 1920x1080, 29.97 fps", "arib-std-b67"),
    ("hevc (Main 10), yuv420p10le(tv, bt2020nc/bt2020/smpte2084, progressive), 3840x2160, 25 fps", "smpte2084"),
    ("h264 (High), yuv420p(tv, bt709, progressive), 1920x1080, 25 fps", None),
    ("h264 (High 10), yuv420p10le(tv, bt2020nc/bt2020/bt2020-10), 1920x1080, 25 fps", None),  # wide gamut, SDR
])
def test_parse_probe_reads_hdr_transfer(video, hdr):
    info = parse_probe(f"Input #0, mov, from 'x':\n  Duration: 00:00:10.00, start: 0.0, bitrate: 9000 kb/s\n"
                       f"  Stream #0:0[0x1]: Video: {video}\n")
    assert info.hdr == hdr


def test_probe_real_file(exe, make_video):
    info = probe(make_video(), exe=exe)
    assert (info.width, info.height) == (320, 180)
    assert info.duration == pytest.approx(9.0, abs=0.1)
    assert info.has_audio and info.has_video


def test_jpeg_named_mp4_is_not_a_video(exe, tmp_path):
    from PIL import Image

    p = tmp_path / "clip.mp4"
    Image.new("RGB", (64, 64), "red").save(p, format="JPEG")
    with pytest.raises(MediaError, match="not a video"):  # no video demuxer takes it (format_whitelist)
        require_video(probe(p, exe=exe), p)


@pytest.mark.parametrize("content", [b"", b"this is not a video at all\x00\x01" * 10])
def test_unreadable_files(exe, tmp_path, content):
    p = tmp_path / "broken.mp4"
    p.write_bytes(content)
    with pytest.raises(MediaError) as info:
        probe(p, exe=exe)
    assert info.value.path == str(p)
    assert info.value.remedy


def test_missing_file(exe):
    with pytest.raises(MediaError, match="not found"):
        probe(Path("/nope/video.mp4"), exe=exe)
