"""ffmpeg at arm's length: locating the binary, running it, probing media.

Every subprocess videonews starts goes through `runner.run`.
"""

from videonews.ffmpeg.locate import ffmpeg_exe, ffmpeg_version
from videonews.ffmpeg.probe import MediaInfo, probe
from videonews.ffmpeg.runner import Progress, RunResult, run

__all__ = ["MediaInfo", "Progress", "RunResult", "ffmpeg_exe", "ffmpeg_version", "probe", "run"]
