"""The size of every video output, from the source's probe: as displayed, in square pixels, at most a
shorter side, even for yuv420p."""

from __future__ import annotations

from videonews.ffmpeg.probe import MediaInfo


def even(n: float) -> int:
    """n rounded down to an even number, at least 2 (yuv420p sizes)."""
    return max(2, int(n) // 2 * 2)


def frame_size(info: MediaInfo, short_side: int = 0) -> tuple[int, int, tuple[int, int] | None]:
    """The outputs' width and height (as displayed, in square pixels, the shorter side at most `short_side`
    when that is set, even for yuv420p) and the crop that makes an odd square-pixel source even (a source
    of another size or shape is scaled to this size instead: RenderPlan.rescale)."""
    w, h = info.display_size
    if short_side and min(w, h) > short_side:
        k = short_side / min(w, h)
        return even(round(w * k)), even(round(h * k)), None
    if info.sar != (1, 1):
        return even(w), even(h), None
    if w % 2 or h % 2:
        return even(w), even(h), (even(w), even(h))
    return w, h, None


def needs_rescale(info: MediaInfo, size: tuple[int, int], crop: tuple[int, int] | None) -> bool:
    """Whether the decoded frames (turned upright) must be scaled to `size`: other pixels, or another size."""
    decoded = (info.height, info.width) if info.rotation in (90, 270) else (info.width, info.height)
    return crop is None and (size != decoded or info.sar != (1, 1))
