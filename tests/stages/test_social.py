"""Social versions: crops planned as data (per shot, following the subject, holding still), captions re-laid
out for the narrow frame and kept out of the platforms' overlays, one decode, and a real build's files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from videonews.ffmpeg.render import render_argv
from videonews.ffmpeg.still import draw_still
from videonews.graphics import load_template
from videonews.models import Cue, RenderPlan, SocialRender, Super
from videonews.stages.social import (
    SOCIAL_CHARS,
    SOCIAL_SAFE,
    crop_size,
    crop_windows,
    plan_social,
    social_cues,
)
from videonews.subtitles.formats import ass as ass_fmt
from videonews.subtitles.formats import write_subtitles
from videonews.testing.faces import face_image
from videonews.typefaces import bundled_font, bundled_fonts_dir

FILES = (bundled_font(), bundled_font(bold=True))


def _frames(spec: list[tuple[float, float, float]], step: float = 0.5) -> list[tuple[float, Image.Image]]:
    """(start, end, face x in 1280 px) per shot -> 480 px frames every `step` s."""
    out = []
    for start, end, fx in spec:
        im = face_image(cx=fx, cy=300, r=85).resize((480, 270))
        t = start
        while t < end - 1e-6:
            out.append((round(t, 3), im))
            t += step
    return out


def test_crop_follows_the_subject_shot_by_shot_and_holds_still() -> None:
    frames = _frames([(0, 4, 1050), (4, 8, 250), (8, 12, 260), (12, 16, 700)])
    cw, ch = crop_size((1280, 720), (1080, 1920))
    assert (cw, ch) == (404, 720)
    windows = crop_windows(frames, [4.0, 8.0, 12.0], 16.0, src=(1280, 720), crop=(cw, ch))
    # one window per shot that moves, none for shot 3 (same subject place as shot 2: it holds still)
    assert [t for t, _, _ in windows] == [0.0, 4.0, 12.0]
    for (t, left, top), fx in zip(windows, (1050, 250, 700), strict=True):
        assert left <= fx - 85 and fx + 85 <= left + cw, (t, left)  # the face is inside
        assert top == 0 and 0 <= left <= 1280 - cw and left % 2 == 0


def test_the_crop_expression_is_constant_within_each_shot() -> None:
    sr = plan_social(["9x16"], _frames([(0, 4, 1050), (4, 8, 250)]), [4.0], 8.0, (1280, 720), "s")[0]
    assert sr.x_expr().startswith("if(lt(t,4.000),") and sr.windows[0][0] == 0.0
    assert (sr.width, sr.height, sr.crop_width, sr.crop_height) == (1080, 1920, 404, 720)


@pytest.mark.parametrize("aspect", ["9x16", "1x1"])
def test_captions_are_broken_again_for_the_narrow_frame(aspect: str) -> None:
    text = "We should regard the respect of internet sovereignty as a basic principle of the new order"
    cues = [Cue(index=1, start=1.0, end=7.0, lines=[text[:40], text[41:]], speaker="Liu Yunshan", quote_id="q1",
                first_for_speaker=True)]
    out = social_cues(cues, max_chars=SOCIAL_CHARS[aspect])
    assert " ".join(" ".join(c.lines) for c in out) == text
    assert all(len(line) <= SOCIAL_CHARS[aspect] for c in out for line in c.lines)
    assert all(1 <= len(c.lines) <= 2 for c in out)
    assert out[0].start == 1.0 and out[-1].end == 7.0
    assert all(a.end == b.start for a, b in zip(out, out[1:], strict=False))
    assert [c.first_for_speaker for c in out] == [True] + [False] * (len(out) - 1)


def _social_script(tmp: Path, aspect: str, w: int, h: int) -> Path:
    cues = social_cues([Cue(index=1, start=0.0, end=4.0, lines=["E-commerce is simply using internet",
                                                                 "technologies, internet thinking"],
                            speaker="Jack Ma", quote_id="q3")], max_chars=SOCIAL_CHARS[aspect])
    buf = io.StringIO()
    write_subtitles("ass", cues, buf, width=w, height=h, credit="Source: CCTV.com", duration=4.0,
                    supers=[Super(speaker="Jack Ma", title="founder and chairman of the Alibaba Group", start=0.0,
                                  end=4.0, quote_id="q3")], template=load_template(), font_files=FILES,
                    max_chars=SOCIAL_CHARS[aspect], safe=SOCIAL_SAFE[aspect])
    path = tmp / f"social-{aspect}.ass"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(("aspect", "w", "h"), [("9x16", 1080, 1920), ("1x1", 1080, 1080)])
def test_social_graphics_stay_out_of_the_platform_overlays(exe: str, tmp_path: Path, aspect: str, w: int,
                                                            h: int) -> None:
    script = _social_script(tmp_path, aspect, w, h)
    out = draw_still(exe, script, bundled_fonts_dir(), tmp_path / f"{aspect}.png", at=0.5, size=(w, h))
    with Image.open(out) as im:
        px = np.asarray(im.convert("RGB")).astype(int)
    ys, xs = np.nonzero(px.max(axis=2) > 24)
    left, top, right, bottom = SOCIAL_SAFE[aspect]
    assert xs.min() >= left * w - 1 and xs.max() <= (1 - right) * w + 1, (xs.min(), xs.max())
    assert ys.min() >= top * h - 1 and ys.max() <= (1 - bottom) * h + 1, (ys.min(), ys.max())
    # larger text than the 16:9 master of the same width would get
    lay = ass_fmt.layout(w, h, max_chars=SOCIAL_CHARS[aspect], safe=SOCIAL_SAFE[aspect])
    assert lay.font_size > ass_fmt.layout(w, round(w * 9 / 16)).font_size
    if aspect == "9x16":
        assert ys.max() <= 1920 - 450 and xs.max() <= 1080 - 120  # not under the buttons or the caption area


def test_social_versions_ride_on_the_one_decode() -> None:
    sr = SocialRender(aspect="9x16", width=1080, height=1920, crop_width=404, crop_height=720,
                      windows=[(0.0, 100, 0), (4.0, 600, 0)], ass_name="social-9x16.ass", output="social-9x16.mp4")
    plan = RenderPlan(width=1280, height=720, fps=25, duration=8, has_audio=True, social=[sr])
    argv = render_argv(plan, exe="ffmpeg", video=Path("v.mp4"), ass_name="x.ass", fonts_dir="fonts",
                       master="../m.mp4", preview="../p.mp4", candidates_dir="cand")
    assert argv.count("-i") == 1  # no second decode
    graph = argv[argv.index("-filter_complex") + 1]
    assert "split=4" in graph and "crop=404:720:'if(lt(t,4.000),100,600)':'if(lt(t,4.000),0,0)':exact=1" in graph
    assert "scale=1080:1920" in graph and "ass=social-9x16.ass:fontsdir=fonts" in graph
    tee = next(a for a in argv if "social-9x16.mp4" in a)
    assert tee.count("|") == 2 and "[select=\\'v:2,a\\'" in tee  # the same audio encode as the master
    opts = dict(zip(argv[::2], argv[1::2], strict=False)) | dict(zip(argv[1::2], argv[2::2], strict=False))
    assert opts["-crf:v:2"] == opts["-crf:v:0"] and opts["-preset:v:2"] == opts["-preset:v:0"]


def test_no_social_versions_leave_the_default_graph_alone() -> None:
    plan = RenderPlan(width=1280, height=720, fps=25, duration=8, has_audio=True)
    argv = render_argv(plan, exe="ffmpeg", video=Path("v.mp4"), ass_name="x.ass", fonts_dir="fonts",
                       master="../m.mp4", preview="../p.mp4", candidates_dir="cand")
    graph = argv[argv.index("-filter_complex") + 1]
    assert "crop=" not in graph and "split=3" in graph


@pytest.mark.slow
def test_a_build_with_social_versions(tmp_path: Path, make_reel, make_photo, article_text) -> None:
    import shutil

    from videonews.manifest import verify_package
    from videonews.pipeline import build_story
    from videonews.settings import Settings

    reel = make_reel()
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "article.txt").write_text(article_text, encoding="utf-8")
    shutil.copy(reel.video, folder / "video.mp4")
    (folder / "story.toml").write_text('social = ["9x16", "1x1"]\n', encoding="utf-8")
    result = build_story(folder, tmp_path / "out", Settings(preset="draft", thumbnail_candidates=8))
    pkg = result.package
    assert verify_package(pkg) == []
    m = json.loads((pkg / "manifest.json").read_text())
    master = next(a for a in m["assets"] if a["role"] == "captioned_video")
    social = {a["aspect"]: a for a in m["assets"] if a["role"] == "social_video"}
    assert set(social) == {"9x16", "1x1"}
    assert (social["9x16"]["width"], social["9x16"]["height"]) == (1080, 1920)
    assert (social["1x1"]["width"], social["1x1"]["height"]) == (1080, 1080)
    for a in social.values():
        assert a["duration"] == pytest.approx(master["duration"], abs=0.1) and a["path"].startswith("social-")
    assert "social" in result.stage_times
    page = (pkg / "review" / "index.html").read_text(encoding="utf-8")
    assert "social-9x16.mp4" in page and "social-1x1.mp4" in page


def test_social_setting_is_checked_before_any_work() -> None:
    from videonews.errors import InputError
    from videonews.settings import load_settings

    assert load_settings(social=" 9X16, 1x1 ").social == "9x16,1x1"
    with pytest.raises(InputError, match="unknown social version '4x5'"):
        load_settings(social="9x16,4x5")


def test_the_logo_is_one_png_read_as_png_only_and_overlaid_on_every_video() -> None:
    sr = SocialRender(aspect="1x1", width=1080, height=1080, crop_width=720, crop_height=720,
                      windows=[(0.0, 0, 0)], ass_name="social-1x1.ass", output="social-1x1.mp4")
    plan = RenderPlan(width=1280, height=720, fps=25, duration=8, has_audio=True, social=[sr], logo="/x/logo.png",
                      logo_width=0.1, logo_corner="top-right")
    argv = render_argv(plan, exe="ffmpeg", video=Path("v.mp4"), ass_name="x.ass", fonts_dir="fonts",
                       master="../m.mp4", preview="../p.mp4", candidates_dir="cand")
    inputs = [i for i, a in enumerate(argv) if a == "-i"]
    assert len(inputs) == 2 and argv[inputs[0] + 1] == "file:v.mp4" and argv[inputs[1] + 1] == "file:/x/logo.png"
    assert argv[inputs[1] - 6:inputs[1]] == ["-f", "png_pipe", "-format_whitelist", "png_pipe",
                                            "-protocol_whitelist", "file"] or (
        "-format_whitelist" in argv[inputs[0] + 1:inputs[1]] and "png_pipe" in argv[inputs[0] + 1:inputs[1]])
    graph = argv[argv.index("-filter_complex") + 1]
    assert graph.count("overlay=") == 3 and "loop=loop=-1:size=1:start=0" in graph  # master, preview, 1:1
    assert "format=yuv420:shortest=1:x=1088:y=36" in graph  # 128 px wide, top-right inside title-safe
    assert "format=yuv420:shortest=1:x=544:y=18" in graph  # the preview's, at its size


@pytest.mark.slow
def test_a_build_with_a_logo(exe: str, tmp_path: Path) -> None:
    import subprocess

    from videonews.pipeline import build_story
    from videonews.settings import Settings

    folder = tmp_path / "story"
    folder.mkdir()
    subprocess.run([exe, "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=0x202020:s=640x360:r=25:d=2",
                    "-c:v", "libx264", "-preset", "ultrafast", str(folder / "video.mp4")], check=True)
    (folder / "article.txt").write_text('Bridge opens\n\nThe mayor said: "It is ready."\n', encoding="utf-8")
    Image.new("RGBA", (100, 50), (0, 200, 0, 255)).save(folder / "logo.png")
    (folder / "house.toml").write_text('[logo]\nfile = "logo.png"\nwidth = 0.1\ncorner = "top-left"\n',
                                       encoding="utf-8")
    (folder / "story.toml").write_text('graphics = "house.toml"\n', encoding="utf-8")
    pkg = build_story(folder, tmp_path / "out", Settings(preset="draft", thumbnail_candidates=4)).package
    for name, (w, h) in (("captioned.mp4", (640, 360)), ("preview.mp4", (640, 360))):
        out = tmp_path / f"{name}.png"
        subprocess.run([exe, "-loglevel", "error", "-y", "-ss", "1", "-i", str(pkg / name), "-frames:v", "1",
                        str(out)], check=True)
        with Image.open(out) as im:
            px = np.asarray(im.convert("RGB")).astype(int)
        green = (px[..., 1] > 150) & (px[..., 0] < 80)
        ys, xs = np.nonzero(green)
        assert len(xs) > 500, name
        assert xs.min() >= 0.05 * w - 2 and ys.min() >= 0.05 * h - 2 and xs.max() < 0.2 * w, name  # its corner
