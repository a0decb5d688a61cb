from pathlib import Path

from videonews.ffmpeg.analysis import (
    ThinnedLog,
    analysis_argv,
    parse_ebur128,
    parse_scdet,
    parse_silences,
    speech_from_silences,
)
from videonews.ffmpeg.probe import MediaInfo
from videonews.models import Segment
from videonews.settings import Settings


def test_silence_parser_and_speech_complement():
    text = "silence_start: 0\nsilence_end: 1.02 | silence_duration: 1.02\nsilence_start: 3.5\n" \
           "silence_end: 4.5 | silence_duration: 1\nsilence_start: 8.01\n"
    sil = parse_silences(text, 9.0)
    assert sil == [Segment(start=0, end=1.02), Segment(start=3.5, end=4.5), Segment(start=8.01, end=9.0)]
    assert speech_from_silences(sil, 9.0) == [Segment(start=1.02, end=3.5), Segment(start=4.5, end=8.01)]


def test_scdet_parser_merges_close_cuts():
    text = "[scdet] lavfi.scd.score: 21.3, lavfi.scd.time: 3\n[scdet] lavfi.scd.score: 15, lavfi.scd.time: 3.04\n" \
           "[scdet] lavfi.scd.score: 40, lavfi.scd.time: 6.0\n"
    assert parse_scdet(text) == [3.0, 6.0]


def test_ebur128_parser():
    text = ("[Parsed_ebur128_1] t: 0.0999  TARGET:-23 LUFS    M:-120.7 S:-120.7     I: -70.0 LUFS\n"
            "[Parsed_ebur128_1] t: 0.5999  TARGET:-23 LUFS    M: -14.2 S: -15.0     I: -14.2 LUFS\n"
            "Summary:\n\n  Integrated loudness:\n    I:         -14.4 LUFS\n    Threshold: -24.4 LUFS\n\n"
            "  Loudness range:\n    LRA:         1.6 LU\n\n  True peak:\n    Peak:       -4.1 dBFS\n")
    loud = parse_ebur128(text)
    assert loud.integrated == -14.4 and loud.threshold == -24.4 and loud.lra == 1.6 and loud.true_peak == -4.1
    assert loud.series[0].momentary is None and loud.series[1].momentary == -14.2


def test_an_hour_of_loudness_lines_is_thinned_as_it_arrives():
    log = ThinnedLog(step=0.5)
    log("[silencedetect @ 0x1] silence_start: 0.5")
    for k in range(36000):  # one hour, a meter line every 100 ms
        t = k / 10
        log(f"[Parsed_ebur128_1 @ 0x2] t: {t:.1f}     TARGET:-23 LUFS    M: -20.0 S: -21.0     I: -22.0 LUFS")
    log("[silencedetect @ 0x1] silence_end: 3599.0 | silence_duration: 1.0")
    assert len(log.lines) == 2 + 7200
    loud = parse_ebur128(log.text())
    assert loud.series[0].t == 0.0 and loud.series[-1].t == 3599.5 and len(loud.series) == 7200
    assert [s.start for s in parse_silences(log.text(), 3600.0)] == [0.5]


def test_analysis_argv_is_one_pass_with_audio_filters_and_scdet_on_a_small_copy():
    info = MediaInfo(path="v.mp4", format="mov", duration=10.0, width=1920, height=1080, video_codec="h264",
                     audio_codec="aac")
    argv = analysis_argv("ffmpeg", Path("/in/v.mp4"), info, Settings(silence_db=-35, silence_min=0.45))
    assert argv[:3] == ["ffmpeg", "-hide_banner", "-nostdin"] and argv.count("-i") == 1
    before = argv[3:argv.index("-i")]
    assert dict(zip(before[::2], before[1::2], strict=True)).items() >= {
        "-skip_frame": "bidir", "-skip_loop_filter": "all", "-flags2": "fast", "-threads": "1"}.items()
    graph = argv[argv.index("-filter_complex") + 1]
    # measured as the outputs carry the sound: surround folded down to stereo first
    assert graph.startswith("[0:a:0]aformat=channel_layouts=stereo[s0];[s0]silencedetect=d=0.45:n=-35dB")
    assert "ebur128=framelog=info:peak=true" in graph
    assert "[0:v:0]scale=160:-2:flags=fast_bilinear" in graph and "scdet=threshold=8" in graph
    assert argv.count("null") == 2


def test_analysis_argv_without_audio_has_no_audio_branch():
    info = MediaInfo(path="v.mp4", format="mov", duration=10.0, width=320, height=180, video_codec="h264")
    argv = analysis_argv("ffmpeg", Path("v.mp4"), info, Settings())
    assert "silencedetect" not in argv[argv.index("-filter_complex") + 1] and argv.count("null") == 1


def test_the_two_halves_decode_only_their_own_stream():
    info = MediaInfo(path="v.mp4", format="mov", duration=10.0, width=1920, height=1080, video_codec="h264",
                     audio_codec="aac")
    audio = analysis_argv("ffmpeg", Path("v.mp4"), info, Settings(), pcm=Path("s.pcm"), video_pass=False)
    graph = audio[audio.index("-filter_complex") + 1]
    assert "[0:a:0]aformat=channel_layouts=stereo[s0];[s0]asplit" in graph
    assert "scdet" not in graph and "[0:v" not in graph
    assert "s.pcm" in audio and audio[audio.index("s.pcm") - 4:audio.index("s.pcm")] == ["-f", "s16le", "-acodec",
                                                                                         "pcm_s16le"]
    video = analysis_argv("ffmpeg", Path("v.mp4"), info, Settings(), audio=False)
    graph = video[video.index("-filter_complex") + 1]
    assert "[0:v:0]" in graph and "[0:a" not in graph and "silencedetect" not in graph


def test_one_silent_side_is_found_from_astats():
    from videonews.ffmpeg.analysis import one_sided, parse_sides

    log = ("[Parsed_astats_3 @ 0x1] Channel: 1\n[Parsed_astats_3 @ 0x1] RMS level dB: -21.07\n"
           "[Parsed_astats_3 @ 0x1] Channel: 2\n[Parsed_astats_3 @ 0x1] RMS level dB: -inf\n")
    assert parse_sides(log) == [-21.07, float("-inf")]
    assert one_sided(parse_sides(log)) == 0
    assert one_sided([-80.0, -22.0]) == 1  # hiss on the left, the microphone on the right
    assert one_sided([-21.0, -30.0]) is None  # a mix, only unbalanced
    assert one_sided([-75.0, float("-inf")]) is None  # nothing to carry
    assert one_sided([-20.0]) is None and one_sided([]) is None
