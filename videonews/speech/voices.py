"""Who speaks when: voice change detection and clustering with the Bayesian information criterion.

Each voice is modelled as one full-covariance Gaussian over MFCCs c1..c19 of its loud frames.
ΔBIC(a, b) compares one Gaussian for a and b together against one each; a positive value means
two voices. Speech regions are split where ΔBIC between the 1 s either side peaks above zero
(a voice can take over without a pause), neighbouring pieces that ΔBIC finds alike are joined
again, then pieces are clustered bottom-up over the whole file until every remaining pair is
better explained apart. Pieces too short to model (under MIN_MODEL frames) take the voice whose
model scores them best, unless no voice explains them: short pieces one after another that none
does make a voice of their own (a music bed under a soundbite can cut it into such pieces).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from videonews.speech.activity import Region
from videonews.speech.features import Frames

LAMBDA = 1.3  # BIC penalty weight
LAMBDA_CHANGE = 1.2  # ... when looking for changes: rather too many, joining neighbours undoes the false ones
JOIN_GAP = 50  # frames: neighbouring pieces at most this far apart may be joined
REFINE = 150  # frames: how far a change between touching voices may move
WINDOW = 100  # frames each side of a candidate change
STEP = 10
MIN_MODEL = 150  # loud frames needed to model a piece on its own
MIN_ORPHAN = 50  # loud frames needed to start a voice from short pieces
DIM = 19


@dataclass
class Gauss:
    """Sufficient statistics of a Gaussian: frame count, sum, sum of outer products."""

    n: int
    s: np.ndarray
    ss: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray) -> Gauss:
        x = x.astype(np.float64)
        return cls(len(x), x.sum(axis=0), x.T @ x)

    def __add__(self, other: Gauss) -> Gauss:
        return Gauss(self.n + other.n, self.s + other.s, self.ss + other.ss)

    def cov(self) -> np.ndarray:
        mean = self.s / self.n
        return self.ss / self.n - np.outer(mean, mean) + 1e-3 * np.eye(len(mean))

    def logdet(self) -> float:
        return float(np.linalg.slogdet(self.cov())[1])

    def frame_loglik(self, x: np.ndarray) -> np.ndarray:
        """Log likelihood of each row of x (up to a constant shared by every model of this dimension)."""
        cov = self.cov()
        diff = x - self.s / self.n
        maha = np.einsum("ij,ij->i", diff @ np.linalg.inv(cov), diff)
        return -0.5 * (maha + np.linalg.slogdet(cov)[1])


def delta_bic(a: Gauss, b: Gauss, lam: float = LAMBDA) -> float:
    """> 0: a and b are better modelled by two Gaussians (two voices)."""
    n = a.n + b.n
    penalty = 0.5 * (DIM + DIM * (DIM + 1) / 2) * np.log(n)
    return 0.5 * (n * (a + b).logdet() - a.n * a.logdet() - b.n * b.logdet()) - lam * penalty


def voice_frames(fr: Frames, region: Region, gate_db: float) -> np.ndarray:
    """MFCC c1..c19 of the region's frames louder than the gate."""
    a, b = region
    keep = fr.energy[a:b] > gate_db
    return fr.mfcc[a:b, 1:1 + DIM][keep]


def split_changes(fr: Frames, region: Region, gate_db: float) -> list[Region]:
    """Split a region where the voice changes (peaks of ΔBIC between the windows either side)."""
    a, b = region
    if b - a < 2 * WINDOW:
        return [region]
    scores: list[tuple[float, int]] = []
    for t in range(a + WINDOW, b - WINDOW + 1, STEP):
        left = voice_frames(fr, (t - WINDOW, t), gate_db)
        right = voice_frames(fr, (t, t + WINDOW), gate_db)
        if min(len(left), len(right)) >= WINDOW // 2:
            scores.append((delta_bic(Gauss.of(left), Gauss.of(right), LAMBDA_CHANGE), t))
    cuts: list[int] = []
    for score, t in sorted(scores, reverse=True):
        if score <= 0:
            break
        if all(abs(t - c) >= WINDOW for c in cuts):
            cuts.append(t)
    bounds = [a, *sorted(cuts), b]
    return list(zip(bounds, bounds[1:], strict=False))


def join_neighbours(fr: Frames, pieces: list[Region], gate_db: float) -> list[Region]:
    """Join each piece to the one before when they are close and ΔBIC says one voice (undoes false changes,
    so that clustering sees longer pieces)."""
    if not pieces:
        return []
    out = pieces[:1]
    model = Gauss.of(voice_frames(fr, pieces[0], gate_db))
    for piece in pieces[1:]:
        g = Gauss.of(voice_frames(fr, piece, gate_db))
        if piece[0] - out[-1][1] <= JOIN_GAP and min(model.n, g.n) > DIM and delta_bic(model, g) < 0:
            out[-1] = (out[-1][0], piece[1])
            model = model + g
        else:
            out.append(piece)
            model = g
    return out


def diarize(fr: Frames, regions: list[Region], gate_db: float) -> list[tuple[Region, int]]:
    """(piece, voice) for the speech regions: pieces cut at voice changes and pauses, voices clustered."""
    pieces = join_neighbours(fr, [p for r in regions for p in split_changes(fr, r, gate_db)], gate_db)
    follows = [i > 0 and p[0] - pieces[i - 1][1] <= JOIN_GAP for i, p in enumerate(pieces)]
    labelled = list(zip(pieces, cluster([voice_frames(fr, p, gate_db) for p in pieces], follows), strict=True))
    return refine_changes(fr, labelled, gate_db)


def refine_changes(fr: Frames, labelled: list[tuple[Region, int]], gate_db: float) -> list[tuple[Region, int]]:
    """Move each change between two voices that touch (no pause) to where the two voices' models
    best explain the frames either side, within REFINE frames; a piece left empty is dropped."""
    voices = {v for _, v in labelled}
    frames_of = {v: np.concatenate([voice_frames(fr, p, gate_db) for p, w in labelled if w == v]) for v in voices}
    models = {v: Gauss.of(x) for v, x in frames_of.items() if len(x) > DIM}
    out = [[a, b, v] for (a, b), v in labelled]
    for left, right in zip(out, out[1:], strict=False):
        if right[0] - left[1] > 1 or left[2] == right[2] or left[2] not in models or right[2] not in models:
            continue
        lo, hi = max(left[0], left[1] - REFINE), min(right[1], right[0] + REFINE)
        x = fr.mfcc[lo:hi, 1:1 + DIM]
        gain = models[right[2]].frame_loglik(x) - models[left[2]].frame_loglik(x)  # > 0: sounds like the right voice
        gain[fr.energy[lo:hi] <= gate_db] = 0.0
        # change at lo + k: frames before k go left, from k on go right; maximise the right voice's total gain
        totals = np.concatenate([[0.0], np.cumsum(gain[::-1])])[::-1]
        cut = lo + int(np.argmax(totals))
        left[1] = right[0] = cut
    return [((a, b), v) for a, b, v in out if b > a]


def cluster(pieces: list[np.ndarray], follows: list[bool] | None = None) -> list[int]:
    """Voice label per piece (rows of voice_frames), labels numbered by first appearance.
    follows[i]: piece i comes straight after piece i - 1 (no pause between them).

    Pieces of MIN_MODEL frames or more are clustered bottom-up. A shorter piece (of MIN_ORPHAN or
    more) that no voice found so far explains (ΔBIC > 0 against each) is an orphan: a voice heard
    only in short pieces, as when a soundbite was cut where its voice only seemed to change (a music
    bed under it, a change of tone). Orphans that follow one another are taken together, the groups
    are clustered, and one with MIN_MODEL frames in all is a voice too. Every other piece takes the
    voice whose model scores it best."""
    core = [i for i, p in enumerate(pieces) if len(p) >= MIN_MODEL]
    if not core:  # nothing long enough to tell voices apart: one voice
        return [0] * len(pieces)
    groups = _agglomerate(pieces, [[i] for i in core])
    models = [_model(pieces, g) for g in groups]
    orphans = [i for i, p in enumerate(pieces) if MIN_ORPHAN <= len(p) < MIN_MODEL
               and min(delta_bic(m, Gauss.of(p)) for m in models) > 0]
    runs: list[list[int]] = []
    for i in orphans:
        if runs and runs[-1][-1] == i - 1 and follows is not None and follows[i]:
            runs[-1].append(i)
        else:
            runs.append([i])
    voiced = [g for g in _agglomerate(pieces, runs) if sum(len(pieces[i]) for i in g) >= MIN_MODEL]
    if voiced:
        groups = _agglomerate(pieces, groups + voiced)
        models = [_model(pieces, g) for g in groups]
    label = {p: g for g, members in enumerate(groups) for p in members}
    for i, p in enumerate(pieces):
        if i not in label:
            label[i] = max(range(len(models)), key=lambda g: models[g].frame_loglik(p).mean()) if len(p) else -1
    return _renumber([label[i] for i in range(len(pieces))])


def _model(pieces: list[np.ndarray], group: list[int]) -> Gauss:
    return Gauss.of(np.concatenate([pieces[i] for i in group]))


def _agglomerate(pieces: list[np.ndarray], groups: list[list[int]]) -> list[list[int]]:
    """Merge the closest pair of groups of pieces (by ΔBIC) while any pair is better modelled together."""
    groups = [list(g) for g in groups]
    models = [_model(pieces, g) for g in groups]
    k = len(models)
    dist = np.full((k, k), np.inf)
    for i in range(k):
        for j in range(i + 1, k):
            dist[i, j] = delta_bic(models[i], models[j])
    while k > 1:
        i, j = divmod(int(np.argmin(dist)), k)
        if dist[i, j] >= 0:
            break
        models[i] = models[i] + models[j]
        groups[i] += groups[j]
        groups[j] = []
        dist[j, :] = dist[:, j] = np.inf
        for m in range(k):
            if groups[m] and m != i:
                dist[min(i, m), max(i, m)] = delta_bic(models[i], models[m])
    return [g for g in groups if g]


def _renumber(labels: list[int]) -> list[int]:
    """First voice heard is 0, the next new one 1...; -1 (no frames) takes the previous piece's voice."""
    order: dict[int, int] = {}
    out: list[int] = []
    for lab in labels:
        if lab == -1:
            out.append(out[-1] if out else 0)
            continue
        out.append(order.setdefault(lab, len(order)))
    return out
