import pytest

from videonews.ffmpeg.probe import MediaInfo
from videonews.ffmpeg.render import render_argv, source_chain, tee_spec
from videonews.models import Analysis, Loudness
from videonews.settings import Settings
from videonews.stages.plan import plan_render


def _info(**kw):
    base = dict(path="v.mp4", format="mov", duration=10.0, width=1920, height=1080, fps=25.0,
                video_codec="h264", pix_fmt="yuv420p", audio_codec="aac")
    base.update(kw)
    return MediaInfo(**base)


def test_plan_is_data():
    a = Analysis(duration=10.0, loudness=Loudness(integrated=-18.0, true_peak=-3.0, lra=5.0, threshold=-28.0))
    plan = plan_render(_info(), a, Settings(), metadata={"title": "T"})
    assert (plan.width, plan.height, plan.preview_width, plan.preview_height) == (1920, 1080, 640, 360)
    assert plan.crf == 21 and plan.x264_preset == "veryfast"
    assert plan.loudnorm and plan.loudnorm["I"] == -23.0 and plan.loudnorm["measured_I"] == -18.0


def test_odd_and_rotated_sizes():
    a = Analysis(duration=10.0)
    odd = plan_render(_info(width=853, height=479), a, Settings(), metadata={})
    assert odd.crop == (852, 478) and odd.width % 2 == 0 and odd.preview_height % 2 == 0
    rot = plan_render(_info(width=1280, height=720, rotation=90), a, Settings(), metadata={})
    assert (rot.width, rot.height) == (720, 1280)
    assert rot.preview_width == 640 and rot.preview_height == 1138


def test_argv_decodes_once_and_splits():
    a = Analysis(duration=10.0, loudness=Loudness(integrated=-18.0, true_peak=-3.0, lra=5.0, threshold=-28.0))
    plan = plan_render(_info(), a, Settings(preset="draft"), metadata={"title": "A: b, 'c'"})
    argv = render_argv(plan, exe="ffmpeg", video="/in/my video [1].mp4", ass_name="../subtitles/x.ass",
                       fonts_dir="fonts", master="../captioned.mp4", preview="../preview.mp4", candidates_dir="cand")
    assert argv.count("-i") == 1 and "file:/in/my video [1].mp4" in argv
    assert argv[argv.index("-i") - 2:argv.index("-i")] == ["-protocol_whitelist", "file"]
    graph = argv[argv.index("-filter_complex") + 1]
    assert "split=3" in graph and graph.count("ass=../subtitles/x.ass:fontsdir=fonts") == 2  # master, preview
    assert "asplit" not in graph  # the audio is encoded once for master and preview
    assert "loudnorm=" in graph and "linear=true" in graph
    assert "out_range=tv" in graph  # the JPEG/PNG branch can't leak full range into the preview
    tee = ("[select=\\'v:0,a\\':movflags=+faststart]../captioned.mp4|"
           "[select=\\'v:1,a\\':movflags=+faststart]../preview.mp4")
    i = argv.index(tee)
    assert argv[i - 2:i] == ["-metadata", "title=A: b, 'c'"]
    out = argv[argv.index("-filter_complex") + 2:i]
    maps = [out[k + 1] for k in range(len(out)) if out[k] == "-map"]
    assert len(maps) == 3 and f"ass=../subtitles/x.ass:fontsdir=fonts{maps[0]}" in graph  # captioned master
    assert f"ass=../subtitles/x.ass:fontsdir=fonts{maps[1]}" in graph and "aresample=48000[" in graph and f"aformat=channel_layouts=stereo|mono{maps[2]}" in graph
    # the preview's captions are drawn on the one clean downscale, which also feeds scdet and scoring
    small = graph.split("scale=640:360:flags=area:out_range=tv", 1)[1]
    assert small.startswith("[") and "split=3" in small and "scdet" in small
    opts = dict(zip(out[::2], out[1::2], strict=False))
    assert opts["-f"] == "tee" and opts["-c:a"] == "aac" and opts["-b:a"] == "96k"
    assert (opts["-preset:v:0"], opts["-preset:v:1"]) == ("ultrafast", "ultrafast")  # draft preset
    assert (opts["-crf:v:0"], opts["-crf:v:1"]) == ("28", "32")
    # the preview gets CABAC and B-frames back: its bitrate stays below the master's
    assert opts["-x264-params:v:1"] == "cabac=1:bframes=3:b-adapt=0" and "-x264-params:v:0" not in opts
    assert argv.count("-f") == 2  # the tee and the scdet null sink


def test_broadcast_sources_are_made_square_and_progressive_before_anything_is_drawn():
    pal = _info(width=720, height=576, sar=(64, 45), interlaced=True)
    plan = plan_render(pal, Analysis(duration=10.0), Settings(), metadata={})
    assert (plan.width, plan.height, plan.crop, plan.deinterlace, plan.rescale) == (1024, 576, None, True, True)
    assert (plan.preview_width, plan.preview_height) == (640, 360)  # 16:9, as shown
    argv = render_argv(plan, exe="ffmpeg", video="v.mp4", ass_name="x.ass", fonts_dir="fonts", master="../m.mp4",
                       preview="../p.mp4", candidates_dir="cand")
    graph = argv[argv.index("-filter_complex") + 1]
    assert graph.startswith("[0:v]bwdif=deint=interlaced:mode=send_frame:parity=auto[s0];[s0]scale=1024:576:"
                            "flags=bicubic[s1];[s1]setsar=1[s2];[s2]format=yuv420p")
    assert source_chain(plan) == ("bwdif=mode=send_frame:parity=auto:deint=interlaced,"
                                  "scale=1024:576:flags=bicubic,setsar=1")
    # progressive square pixels: nothing added; an odd size is only cropped
    assert source_chain(plan_render(_info(), Analysis(duration=10.0), Settings(), metadata={})) is None
    odd = plan_render(_info(width=853, height=479), Analysis(duration=10.0), Settings(), metadata={})
    assert source_chain(odd) == "crop=852:478:0:0"


@pytest.mark.parametrize("size, rotation, short_side, out, rescale", [
    ((3840, 2160), 0, 1080, (1920, 1080), True),  # a 4K phone clip: a 1080p master
    ((3840, 2160), 90, 1080, (1080, 1920), True),  # the same held upright
    ((2160, 3840), 0, 1080, (1080, 1920), True),
    ((3840, 2160), 0, 0, (3840, 2160), False),  # 0: the source's own size
    ((1920, 1080), 0, 1080, (1920, 1080), False),  # nothing to do
    ((1280, 720), 0, 1080, (1280, 720), False),  # never scaled up
])
def test_outputs_keep_to_the_shorter_side(size, rotation, short_side, out, rescale):
    info = _info(width=size[0], height=size[1], rotation=rotation)
    plan = plan_render(info, Analysis(duration=10.0), Settings(output_short_side=short_side), metadata={})
    assert ((plan.width, plan.height), plan.rescale, plan.crop) == (out, rescale, None)
    assert (source_chain(plan) == f"scale={out[0]}:{out[1]}:flags=bicubic,setsar=1") is rescale


def test_hdr_sources_are_tone_mapped_to_sdr_before_anything_is_drawn():
    hlg = _info(pix_fmt="yuv420p10le", hdr="arib-std-b67")
    plan = plan_render(hlg, Analysis(duration=10.0), Settings(), metadata={})
    assert plan.tonemap == "arib-std-b67"
    assert source_chain(plan) == ("zscale=tin=arib-std-b67:min=bt2020nc:pin=bt2020:t=linear:npl=100,"
                                  "format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=mobius:param=0.7,"
                                  "zscale=t=bt709:m=bt709:r=tv,format=yuv420p")
    argv = render_argv(plan, exe="ffmpeg", video="v.mp4", ass_name="x.ass", fonts_dir="fonts", master="../m.mp4",
                       preview="../p.mp4", candidates_dir="cand")
    graph = argv[argv.index("-filter_complex") + 1]
    assert graph.startswith("[0:v]zscale=") and graph.index("tonemap=") < graph.index("split=")


def test_tee_spec_refuses_names_it_cannot_carry():
    assert tee_spec(["a.mp4", "b.mp4"], ["v:0", "v:1"]) == (
        "[select=\\'v:0\\':movflags=+faststart]a.mp4|[select=\\'v:1\\':movflags=+faststart]b.mp4")
    with pytest.raises(ValueError, match="tee muxer"):
        tee_spec(["a|b.mp4", "c.mp4"], ["v:0", "v:1"])

def test_argv_grabs_the_qa_frame_and_small_candidates():
    a = Analysis(duration=10.0)
    plan = plan_render(_info(), a, Settings(), metadata={}, safe_frame_time=4.25)
    argv = render_argv(plan, exe="ffmpeg", video="v.mp4", ass_name="x.ass", fonts_dir="fonts",
                       master="../m.mp4", preview="../p.mp4", candidates_dir="cand", safe_frame="safe.png")
    graph = argv[argv.index("-filter_complex") + 1]
    assert "split=3" in graph and "trim=end=5.25:start=4.25" in graph and "trim=end_frame=1" in graph
    assert "fps=fps=1/0.417:round=up:start_time=0.208" in graph  # the frame on screen at each time
    assert "scale=480:-2:flags=area" in graph and "scale=640:360:flags=area:out_range=tv" in graph
    i = argv.index("safe.png")
    assert argv[i - 6:i] == ["-frames", "1", "-update", "1", "-vcodec", "png"]
    opts = argv[max(k for k in range(i) if argv[k] == "-map"):i]  # the QA frame's own output options
    assert opts[opts.index("-compression_level") + 1] == "1"  # a scratch file: deflate at level 6 cost 5% of a 4 s render
    assert {"cand/cand_%03d.png", "cand/small_%03d.png"} <= set(argv)
    # no captions, no QA frame branch
    bare = render_argv(plan_render(_info(), a, Settings(), metadata={}), exe="ffmpeg", video="v.mp4",
                       ass_name="x.ass", fonts_dir="fonts", master="../m.mp4", preview="../p.mp4",
                       candidates_dir="cand", safe_frame="safe.png")
    assert "safe.png" not in bare and "trim" not in bare[bare.index("-filter_complex") + 1]
    # a time past the end is pulled inside the video
    late = plan_render(_info(), a, Settings(), metadata={}, safe_frame_time=99.0)
    assert late.safe_frame_time == 9.9


def test_nvenc_options_go_to_each_video_stream_of_the_tee():
    plan = plan_render(_info(), Analysis(duration=10.0), Settings(encoder="h264_nvenc"), metadata={})
    argv = render_argv(plan, exe="ffmpeg", video="v.mp4", ass_name="x.ass", fonts_dir="fonts",
                       master="../m.mp4", preview="../p.mp4", candidates_dir="cand")
    opts = dict(zip(argv[::1], argv[1::1], strict=False))
    assert (opts["-c:v:0"], opts["-c:v:1"]) == ("h264_nvenc", "h264_nvenc")
    assert (opts["-rc:v:0"], opts["-preset:v:0"], opts["-cq:v:0"], opts["-cq:v:1"]) == ("vbr", "p5", "23", "27")
    assert "libx264" not in argv and "-crf:v:0" not in argv


def test_one_live_side_is_mapped_to_both_before_the_loudness_is_set():
    a = Analysis(duration=10.0, one_sided=1, loudness=Loudness(integrated=-18.0, true_peak=-3.0, lra=5.0,
                                                                   threshold=-28.0))
    plan = plan_render(_info(), a, Settings(), metadata={})
    assert plan.mono_from == 1
    argv = render_argv(plan, exe="ffmpeg", video="v.mp4", ass_name="x.ass", fonts_dir="fonts", master="../m.mp4",
                       preview="../p.mp4", candidates_dir="cand")
    graph = argv[argv.index("-filter_complex") + 1]
    assert "[0:a]channelmap=channel_layout=stereo:map=1|1[" in graph
    assert graph.index("channelmap") < graph.index("loudnorm")
