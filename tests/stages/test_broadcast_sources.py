"""Broadcast material and phone video: interlaced fields, non-square pixels (16:9 PAL SD is 720x576 with 64:45
pixels), HDR (a phone's HLG). Every picture videonews makes from them is progressive, in square pixels and SDR
BT.709: the captioned master, the preview, the posters (chosen or pinned), the contact sheet, a still."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from videonews.ffmpeg.probe import probe
from videonews.pipeline import build_story
from videonews.settings import Settings

FAST = Settings(preset="draft", thumbnail_candidates=6)
SHOWN = (500, 288)  # 352x288 at 64:45 is 501x288 as shown; outputs are even


def _combing(image: Image.Image) -> float:
    """Mean difference of each row from the mean of its neighbours: high where two fields disagree. Measured
    left of the source credit and above the captions and name super."""
    a = np.asarray(image.convert("L")).astype(float)
    a = a[round(a.shape[0] * 0.15): a.shape[0] // 2, : round(a.shape[1] * 0.6)]
    return float(np.mean(np.abs(a[1:-1] - (a[:-2] + a[2:]) / 2)))


def _frame(exe: str, video: Path, t: float, vf: str | None = None) -> Image.Image:
    out = video.parent / f"frame-{t}-{abs(hash(vf))}.png"
    subprocess.run([exe, "-v", "error", "-y", "-ss", str(t), "-i", str(video), *(["-vf", vf] if vf else []),
                    "-frames:v", "1", str(out)], check=True)
    with Image.open(out) as im:
        return im.convert("RGB")


@pytest.fixture(scope="module")
def pal_video(exe: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 s of stripes sweeping sideways as 25i PAL SD (352x288, 64:45 pixels, top field first: each field
    catches them in another place), with a voice-like buzz."""
    out = tmp_path_factory.mktemp("pal") / "video.mp4"
    buzz = "between(t,0.5,2.5)*(0.35*sin(2*PI*180*t)+0.2*sin(2*PI*360*t))*(0.6+0.4*sin(2*PI*4*t))"
    subprocess.run([exe, "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c=gray:s={SHOWN[0]}x{SHOWN[1]}:r=50",
                    "-f", "lavfi", "-i", f"aevalsrc='{buzz}':s=48000:c=mono", "-t", "3",
                    "-vf", "geq=lum='if(lt(mod(X+T*240\\,40)\\,20)\\,220\\,30)':cb=128:cr=128,format=yuv420p,"
                    "scale=352:288,setsar=64/45,interlace=scan=tff", "-c:v", "libx264", "-preset", "ultrafast",
                    "-flags", "+ildct+ilme", "-x264-params", "tff=1", "-c:a", "aac", "-shortest", str(out)],
                   check=True)
    return out


@pytest.fixture
def new_story(tmp_path: Path, make_photo: Callable[..., Path], article_text: str) -> Callable[[str], Path]:
    """A story folder with the test article and photo; the test puts its video.mp4 there."""
    def make(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "article.txt").write_text(article_text, encoding="utf-8")
        shutil.copy(make_photo(), folder / "photo.jpg")
        return folder

    return make


def _lavfi_video(exe: str, out: Path, audio: str, *args: str) -> None:
    """4 s of testsrc2 at 320x180 with `audio` (an aevalsrc expression and its options), then `args`."""
    subprocess.run([exe, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25", "-f", "lavfi", "-i",
                    f"aevalsrc={audio}", "-t", "4", *args, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                    str(out)], check=True)


def _integrated(exe: str, video: Path) -> float:
    """The integrated loudness of a file's sound, LUFS (ffmpeg's ebur128)."""
    meter = subprocess.run([exe, "-hide_banner", "-nostats", "-i", str(video), "-map", "0:a", "-af", "ebur128",
                            "-f", "null", "-"], capture_output=True, text=True).stderr
    return float(meter.rsplit("I:", 1)[1].split("LUFS")[0])


@pytest.fixture
def pal_story(pal_video: Path, new_story: Callable[[str], Path]) -> Path:
    folder = new_story("pal-story")
    shutil.copy(pal_video, folder / "video.mp4")
    return folder


def test_the_source_is_what_the_test_says(exe: str, pal_video: Path) -> None:
    info = probe(pal_video, exe=exe)
    assert (info.width, info.height, info.sar, info.interlaced, info.display_size) == (352, 288, (64, 45), True,
                                                                                        (501, 288))


@pytest.mark.parametrize("pinned", [None, 1.5])
def test_interlaced_anamorphic_source_gives_square_progressive_pictures(
        exe: str, pal_story: Path, pal_video: Path, tmp_path: Path, pinned: float | None) -> None:
    if pinned is not None:
        (pal_story / "story.toml").write_text(f'poster_time = {pinned}\n', encoding="utf-8")
    result = build_story(pal_story, tmp_path / "out", FAST, photo_clip=False)
    pkg = result.package
    master = probe(pkg / "captioned.mp4", exe=exe)
    assert (master.width, master.height, master.sar, master.interlaced) == (*SHOWN, (1, 1), False)
    preview = probe(pkg / "preview.mp4", exe=exe)
    assert preview.sar == (1, 1) and abs(preview.width / preview.height - SHOWN[0] / SHOWN[1]) < 0.02
    with Image.open(pkg / "images" / "poster.jpg") as poster:
        # the 16:9 poster spans the frame's whole shown width (from a squeezed 352x288 frame it could not)
        assert poster.width >= SHOWN[0] - 2 and abs(poster.width / poster.height - 16 / 9) < 0.01
        poster_combing = _combing(poster)
    # the fields are woven into one picture: a frame of the master combs far less than the source's own frame
    raw = _frame(exe, pal_video, 1.5, vf=f"scale={SHOWN[0]}:{SHOWN[1]}")
    made = _frame(exe, pkg / "captioned.mp4", 1.5)
    assert _combing(made) < 0.1 * _combing(raw)
    assert poster_combing < 0.1 * _combing(raw)


def test_a_still_of_a_broadcast_source_is_drawn_as_the_render_draws(pal_story: Path, pal_video: Path, exe: str,
                                                                     tmp_path: Path) -> None:
    from videonews.still import render_still

    out = render_still(pal_story, at=1.5, out=tmp_path / "still.png", settings=FAST)
    with Image.open(out) as still:
        assert still.size == SHOWN
        raw = _frame(exe, pal_video, 1.5, vf=f"scale={SHOWN[0]}:{SHOWN[1]}")
        assert _combing(still) < 0.1 * _combing(raw)


def _saturation(image: Image.Image) -> float:
    return float(np.asarray(image.convert("HSV"))[..., 1].astype(float).mean())


def test_hdr_phone_video_is_tone_mapped_to_sdr(exe: str, tmp_path: Path, new_story: Callable[[str], Path]) -> None:
    """HLG (what phones record by default) shown as if it were SDR looks grey and flat; videonews tone-maps it."""
    folder = new_story("hlg-story")
    video = folder / "video.mp4"
    buzz = "between(t,0.5,2.5)*(0.35*sin(2*PI*180*t)+0.2*sin(2*PI*360*t))*(0.6+0.4*sin(2*PI*4*t))"
    _lavfi_video(exe, video, f"'{buzz}':s=48000:c=mono", "-vf",
                 "zscale=tin=bt709:min=bt709:pin=bt709:t=arib-std-b67:m=bt2020nc:p=bt2020:r=tv,format=yuv420p10le",
                 "-color_primaries", "bt2020", "-color_trc", "arib-std-b67", "-colorspace", "bt2020nc")
    assert probe(video, exe=exe).hdr == "arib-std-b67"
    pkg = build_story(folder, tmp_path / "out", FAST, photo_clip=False).package
    master = probe(pkg / "captioned.mp4", exe=exe)
    assert master.hdr is None and master.pix_fmt == "yuv420p"
    as_sdr = _frame(exe, video, 1.0, vf="format=yuv420p")  # the HLG signal read as if it were SDR
    chart = _frame(exe, video, 1.0, vf="zscale=t=bt709:m=bt709:p=bt709:r=tv,format=yuv420p")  # back to SDR exactly
    made = _frame(exe, pkg / "captioned.mp4", 1.0)
    with Image.open(pkg / "images" / "poster.jpg") as poster:
        poster_sat = _saturation(poster)
    # the test chart's colours come back: far more saturated than the flat reading, close to the chart's own
    assert _saturation(made) > 1.3 * _saturation(as_sdr) and _saturation(made) > 0.85 * _saturation(chart)
    assert poster_sat > 1.3 * _saturation(as_sdr)


def test_every_output_keeps_to_the_shorter_side(exe: str, story_dir: Path, tmp_path: Path) -> None:
    """settings.output_short_side (1080 by default: a 4K phone clip makes a 1080p package), tried small here."""
    settings = FAST.model_copy(update={"output_short_side": 120, "social": "9x16"})
    pkg = build_story(story_dir, tmp_path / "out", settings, photo_clip=True).package
    master = probe(pkg / "captioned.mp4", exe=exe)
    assert (master.width, master.height) == (212, 120)  # 320x180 shown 16:9, shorter side 120
    with Image.open(pkg / "images" / "poster.jpg") as poster:
        assert max(poster.size) <= 212
    clip = next(pkg.glob("photo*.mp4"), None)
    assert clip is not None and (probe(clip, exe=exe).width, probe(clip, exe=exe).height) == (212, 120)


def test_a_surround_mix_is_folded_down_to_stereo_at_the_loudness_target(exe: str, tmp_path: Path,
                                                                          new_story: Callable[[str], Path]) -> None:
    folder = new_story("surround")
    buzz = "between(t,0.5,3.5)*(0.2*sin(2*PI*180*t)+0.1*sin(2*PI*360*t))*(0.6+0.4*sin(2*PI*4*t))"
    _lavfi_video(exe, folder / "video.mp4", f"'{buzz}':s=48000:c=mono", "-filter_complex",
                 "[1:a]pan=5.1|c0=c0|c1=c0|c2=c0|c3=0.5*c0|c4=0.5*c0|c5=0.5*c0[a]", "-map", "0:v", "-map", "[a]",
                 "-b:a", "256k")
    assert probe(folder / "video.mp4", exe=exe).channels == "5.1"
    pkg = build_story(folder, tmp_path / "out", FAST, photo_clip=False).package
    assert probe(pkg / "captioned.mp4", exe=exe).channels == "stereo"
    assert _integrated(exe, pkg / "captioned.mp4") == pytest.approx(FAST.loudness_target, abs=1.5)


def _sides(exe: str, video: Path) -> list[float]:
    from videonews.ffmpeg.analysis import parse_sides

    err = subprocess.run([exe, "-hide_banner", "-nostats", "-i", str(video), "-map", "0:a", "-af",
                          "astats=measure_perchannel=RMS_level:measure_overall=none", "-f", "null", "-"],
                         capture_output=True, text=True).stderr
    return parse_sides(err)


def test_a_microphone_on_one_input_is_heard_on_both_sides(exe: str, tmp_path: Path,
                                                            new_story: Callable[[str], Path]) -> None:
    """A field recording with the reporter's microphone on input 1 only: a silent right channel."""
    folder = new_story("one-sided")
    buzz = "between(t,0.5,3.5)*(0.3*sin(2*PI*180*t)+0.15*sin(2*PI*360*t))*(0.6+0.4*sin(2*PI*4*t))"
    _lavfi_video(exe, folder / "video.mp4", f"'{buzz}|0':s=48000:c=stereo")
    left, right = _sides(exe, folder / "video.mp4")
    assert left > -40 and right == float("-inf")
    result = build_story(folder, tmp_path / "out", FAST, photo_clip=False)
    left, right = _sides(exe, result.package / "captioned.mp4")
    assert abs(left - right) < 0.5  # both sides carry the microphone
    assert any("left channel only" in w for w in result.manifest.warnings)
    assert _integrated(exe, result.package / "captioned.mp4") == pytest.approx(FAST.loudness_target, abs=1.5)
