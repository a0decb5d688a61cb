"""Where the speech is: an adaptive energy gate, then a check that each region sounds like speech.

Regions are half-open frame ranges [start, end) (10 ms frames). Speech alternates voiced sounds with
fricatives and stops, so the share of a frame's power above 3 kHz swings from frame to frame; a
tonal music bed or a hum keeps it steady. Regions whose swing is small are dropped as not speech.
"""

from __future__ import annotations

import numpy as np

from videonews.speech.features import Frames

Region = tuple[int, int]

SILENT_DBFS = -55.0  # loud frames quieter than this: the track is silent
GATE_ABOVE_FLOOR_DB = 6.0
GATE_BELOW_PEAK_DB = 35.0
MIN_SWING = 0.1  # std of the >3 kHz power share over a region; speech ~0.3, tonal music ~0.03
MIN_REGION = 20  # frames
MAX_HOLE = 20  # frames: quieter stretches shorter than this stay inside a region
CONTEXT = 50  # frames either side added when judging a short region's swing


def gate(fr: Frames) -> float:
    """Energy threshold (dBFS): 6 dB over the noise floor (10th percentile) and at most 35 dB under the peak."""
    floor = float(np.percentile(fr.energy, 10))
    peak = float(np.percentile(fr.energy, 98))
    return max(floor + GATE_ABOVE_FLOOR_DB, peak - GATE_BELOW_PEAK_DB)


def runs(mask: np.ndarray) -> list[Region]:
    """[start, end) of each run of True."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def close_holes(regions: list[Region], hole: int) -> list[Region]:
    out: list[Region] = []
    for a, b in regions:
        if out and a - out[-1][1] < hole:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def speech_regions(fr: Frames, within: list[Region] | None = None) -> tuple[list[Region], str | None]:
    """Speech regions, or none and the reason. `within`: regions known to hold speech (others are ignored)."""
    if len(fr) < MIN_REGION:
        return [], "the audio is too short to hold speech"
    if float(np.percentile(fr.energy, 98)) < SILENT_DBFS:
        return [], "the audio is silent"
    loud = fr.energy > gate(fr)
    if within is not None:
        allowed = np.zeros(len(fr), dtype=bool)
        for a, b in within:
            allowed[max(0, a):max(0, b)] = True
        loud &= allowed
    candidates = [r for r in close_holes([r for r in runs(loud) if r[1] - r[0] >= 3], MAX_HOLE)
                  if r[1] - r[0] >= MIN_REGION]
    regions = [r for r in candidates if _swing(fr, r) >= MIN_SWING]
    return regions, None if regions else "no speech found: only steady sound, like music or noise"


def _swing(fr: Frames, region: Region) -> float:
    a, b = region
    pad = max(0, CONTEXT - (b - a) // 2)
    share = fr.hf_ratio[max(0, a - pad):b + pad]
    energy = fr.energy[max(0, a - pad):b + pad]
    return float(np.std(share[energy > np.percentile(energy, 20)]))
