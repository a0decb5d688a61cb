"""Frame features of 16 kHz mono PCM with numpy: log energy and MFCCs (25 ms windows every 10 ms)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE = 16000
HOP = 160  # 10 ms: one frame per hop, as the recogniser counts them
WIN = 400  # 25 ms
NFFT = 512
N_MELS = 40
N_MFCC = 20
_BLOCK = 4096  # frames computed at a time, so memory stays flat however long the input


@dataclass(frozen=True)
class Frames:
    """Per-frame features; frame i covers samples [i*HOP, i*HOP + WIN)."""

    energy: np.ndarray  # (n,) dBFS
    mfcc: np.ndarray  # (n, N_MFCC) float32, c0 first
    hf_ratio: np.ndarray  # (n,) share of the frame's power above 3 kHz (fricatives; tonal music has little)

    def __len__(self) -> int:
        return len(self.energy)


def _mel_filters() -> np.ndarray:
    def mel(f: np.ndarray) -> np.ndarray:
        return 1127.0 * np.log1p(f / 700.0)

    edges = 700.0 * np.expm1(np.linspace(mel(np.array(100.0)), mel(np.array(7600.0)), N_MELS + 2) / 1127.0)
    bins = np.fft.rfftfreq(NFFT, 1 / RATE)
    lo, mid, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    return np.maximum(0.0, np.minimum((bins - lo) / (mid - lo), (hi - bins) / (hi - mid))).astype(np.float32)


_MEL = _mel_filters()
_DCT = (np.cos(np.pi / N_MELS * (np.arange(N_MELS)[None, :] + 0.5) * np.arange(N_MFCC)[:, None])
        * np.sqrt(2.0 / N_MELS)).astype(np.float32)
_WINDOW = np.hamming(WIN).astype(np.float32)
_HF = np.fft.rfftfreq(NFFT, 1 / RATE) >= 3000


def frames(pcm: np.ndarray) -> Frames:
    """Features of int16 PCM at 16 kHz (any length; a clip shorter than one window has no frames)."""
    n = max(0, (len(pcm) - WIN) // HOP + 1)
    energy = np.empty(n, dtype=np.float32)
    mfcc = np.empty((n, N_MFCC), dtype=np.float32)
    hf = np.empty(n, dtype=np.float32)
    for f0 in range(0, n, _BLOCK):
        f1 = min(n, f0 + _BLOCK)
        chunk = pcm[f0 * HOP:(f1 - 1) * HOP + WIN].astype(np.float32) / 32768.0
        idx = np.arange(f1 - f0)[:, None] * HOP + np.arange(WIN)[None, :]
        x = chunk[idx]
        energy[f0:f1] = 10 * np.log10(np.mean(x * x, axis=1) + 1e-10)
        x = np.concatenate([x[:, :1], x[:, 1:] - 0.97 * x[:, :-1]], axis=1) * _WINDOW  # pre-emphasis
        power = np.abs(np.fft.rfft(x, NFFT, axis=1)) ** 2
        hf[f0:f1] = power[:, _HF].sum(axis=1) / (power.sum(axis=1) + 1e-12)
        mfcc[f0:f1] = np.log(power @ _MEL.T + 1e-8) @ _DCT.T
    return Frames(energy=energy, mfcc=mfcc, hf_ratio=hf)
