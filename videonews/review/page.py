"""The review page: one self-contained HTML file per package, `review/index.html`.

Links are relative (`../preview.mp4`, `../subtitles/<id>.<lang>.vtt`), so the page opens
from disk, from any static server, from the CMS drop folder, and from `videonews review serve`.
Templates are Jinja2 with autoescaping on: article text is data, never markup.

What the build knew but the manifest does not carry (the loudness series, the cue plan,
the lint report) is saved next to the page as `review/data.json`, so a re-render after a
QA decision (which only has the manifest) draws the same page.
"""

from __future__ import annotations

import logging
import shlex
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from videonews.fsutil import atomic_write
from videonews.manifest import MANIFEST_NAME, Asset, Manifest, read_manifest
from videonews.models import Analysis, Cue, CuePlan, LintFinding, LintReport, Loudness, Segment
from videonews.review import plots

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

REVIEW_DIR = "review"
PAGE_NAME = "index.html"
DATA_NAME = "data.json"
SAFE_AREA_NAME = "safe-area.jpg"
TIMELINE_NAME = "timeline.svg"
LOUDNESS_NAME = "loudness.svg"
BATCH_INDEX_NAME = "index.html"

# The decision block of a page: between these markers `review serve` puts its forms.
DECISION_START = "<!--videonews:decision-->"
DECISION_END = "<!--/videonews:decision-->"

IMAGE_ROLES = ("poster", "thumbnail", "poster_rendition", "photo_rendition")
TRUE_PEAK_LIMIT = -1.0


class ReviewData(BaseModel):
    """What the page needs beyond the manifest, saved as review/data.json."""

    model_config = ConfigDict(extra="ignore")

    content_sha256: str
    analysis: Analysis | None = None
    cues: list[Cue] = Field(default_factory=list)
    lint: LintReport | None = None
    plan_warnings: list[str] = Field(default_factory=list)
    safe_area_source: str | None = None


# ---------------------------------------------------------------- helpers


def _env() -> Environment:
    env = Environment(loader=PackageLoader("videonews.review", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["bytes"] = fmt_bytes
    env.filters["secs"] = fmt_secs
    env.filters["clock"] = fmt_clock
    return env


_ENV: Environment | None = None


def env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = _env()
    return _ENV


def fmt_bytes(n: int | None) -> str:
    if n is None:
        return ""
    if n < 1024:
        return f"{n} B"
    for unit in ("KiB", "MiB", "GiB"):
        n_f = n / 1024
        if n_f < 1024 or unit == "GiB":
            return f"{n_f:.1f} {unit}"
        n = int(n_f)
    return f"{n} B"  # pragma: no cover


def fmt_secs(t: float | None, digits: int = 2) -> str:
    return "" if t is None else f"{t:.{digits}f} s"


def fmt_clock(t: float | None) -> str:
    """00:01:02.345, like a subtitle timestamp."""
    if t is None:
        return ""
    ms = int(round(t * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def rel(path: str) -> str:
    """Link from review/index.html to a package file (POSIX path relative to the package)."""
    return "../" + quote(path, safe="/")


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links (a `javascript:` source_url stays text)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _count_chars(lines: list[str]) -> int:
    """As the linter counts: the lines joined by a space."""
    return len(" ".join(line.strip() for line in lines if line.strip()))


def _read_credits(path: Path) -> dict[str, str]:
    """Credits embedded in an image, read back from the file."""
    try:
        from videonews.images import read_embedded_credits
    except ImportError:
        read_embedded_credits = None  # type: ignore[assignment]
    if read_embedded_credits is not None:
        creds = read_embedded_credits(path)
        data = creds.model_dump() if hasattr(creds, "model_dump") else dict(vars(creds))
        return {k: str(v) for k, v in data.items() if v}
    from PIL import Image

    out: dict[str, str] = {}
    with Image.open(path) as im:
        exif = im.getexif()
        for name, tag in (("creator", 0x013B), ("rights", 0x8298), ("description", 0x010E)):
            value = exif.get(tag)
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            if value:
                out[name] = str(value).strip("\0 ")
    return out


# ---------------------------------------------------------------- gathering


@dataclass
class _Row:
    cue: Cue
    chars: int
    cps: float | None
    findings: list[LintFinding] = field(default_factory=list)

    @property
    def severity(self) -> str | None:
        """error, warning (a person must look), advice (style targets only: never orange), or None."""
        if any(f.severity == "error" for f in self.findings):
            return "error"
        if any(not is_advice(f) for f in self.findings):
            return "warning"
        return "advice" if self.findings else None


# lint warnings that are style targets, not problems: the reading-speed aim (17 cps; the limit, 20, is an
# error), gaps that could be closed, in/out points a few frames off a cut
ADVICE_RULES = frozenset({"cps", "gap", "near_cut"})


def is_advice(f: LintFinding) -> bool:
    return f.severity == "warning" and f.rule in ADVICE_RULES


def ranked_findings(manifest: Manifest, rows: list[_Row], loose: list[LintFinding], plan_warnings: list[str],
                    peak_over: bool) -> list[dict[str, Any]]:
    """Everything the page found, most serious first: errors, then what needs a person, then advice
    (advice of one rule summed up in one line)."""
    out: list[dict[str, Any]] = []
    findings = [f for r in rows for f in r.findings] + list(loose)
    for f in findings:
        if f.severity == "error":
            out.append({"rank": "error", "href": f"#cue-{f.cue}", "text": f"cue {f.cue}: {f.rule}: {f.message}"})
    if peak_over:
        out.append({"rank": "error", "href": "#plots", "text": "true peak over the limit"})
    for q in _placement_doubts(manifest):
        what = "not in the video" if not q.in_video else f"captions guessed ({q.timing.source.replace('_', ' ')})"
        out.append({"rank": "person", "href": f"#quote-{q.id}", "text": f"quote {q.id}: {what}: {q.timing.reason}"})
    for q in manifest.quotes:
        if q.needs_review:
            out.append({"rank": "person", "href": f"#quote-{q.id}",
                        "text": f"quote {q.id}: check the speaker ({q.speaker or 'unknown'}): {q.reason or ''}"})
    for w in [*manifest.warnings, *(w for w in plan_warnings if w not in manifest.warnings)]:
        out.append({"rank": "person", "href": "#warnings", "text": w})
    for f in findings:
        if f.severity == "warning" and not is_advice(f):
            out.append({"rank": "person", "href": f"#cue-{f.cue}", "text": f"cue {f.cue}: {f.rule}: {f.message}"})
    advice: dict[str, list[LintFinding]] = {}
    for f in findings:
        if is_advice(f):
            advice.setdefault(f.rule, []).append(f)
    for rule, fs in advice.items():
        numbers = sorted({f.cue for f in fs})  # one cue may have the same advice twice (its start and end)
        cues = ", ".join(str(n) for n in numbers[:12]) + (" ..." if len(numbers) > 12 else "")
        out.append({"rank": "advice", "href": f"#cue-{numbers[0]}",
                    "text": f"{len(numbers)} cue{'' if len(numbers) == 1 else 's'} ({cues}): "
                            f"{_ADVICE_TEXT.get(rule, rule)}"})
    return out


_ADVICE_TEXT = {"cps": "faster than the reading speed the profile aims for (below its limit: fine to publish)",
                "gap": "a short gap that could be closed", "near_cut": "an in or out a few frames off a shot change"}


def _assets(manifest: Manifest, role: str) -> list[Asset]:
    return [a for a in manifest.assets if a.role == role]


def _first(manifest: Manifest, *roles: str) -> Asset | None:
    for role in roles:
        found = _assets(manifest, role)
        if found:
            return found[0]
    return None


def _vtt(manifest: Manifest) -> Asset | None:
    vtts = [a for a in manifest.assets if a.role == "subtitles" and (a.format == "vtt" or a.path.endswith(".vtt"))]
    same = [a for a in vtts if a.language == manifest.story.language]
    found = same or vtts
    return found[0] if found else None


def _load_saved(review: Path) -> ReviewData | None:
    path = review / DATA_NAME
    if not path.is_file():
        return None
    try:
        return ReviewData.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError) as exc:
        log.warning("ignoring %s: %s", path, exc)
        return None


def _cues_from_files(manifest: Manifest, folder: Path) -> list[Cue]:
    subs = [a for a in manifest.assets if a.role == "subtitles" and a.format in ("vtt", "srt")]
    for a in sorted(subs, key=lambda a: a.format != "vtt"):
        try:
            from videonews.subtitles import read_subtitles

            return read_subtitles(folder / a.path)
        except Exception as exc:  # the page must render even if a subtitle file can't be read
            log.warning("cannot read cues from %s: %s", a.path, exc)
    return []


def _analysis_from_manifest(manifest: Manifest, duration: float) -> Analysis:
    info = manifest.analysis
    loud = None
    speech: list[Segment] | None = None
    shots: list[float] = []
    if info is not None:
        speech = [Segment(start=a, end=b) for a, b in info.speech]
        shots = list(info.shots)
        if info.loudness is not None:
            loud = Loudness(integrated=info.loudness.integrated, true_peak=info.loudness.true_peak,
                            lra=info.loudness.lra)
    return Analysis(duration=duration, speech=speech, shots=shots, loudness=loud)


def _duration(manifest: Manifest, analysis: Analysis | None, cues: list[Cue]) -> float:
    if analysis is not None and analysis.duration > 0:
        return analysis.duration
    video = _first(manifest, "captioned_video", "preview_video")
    if video is not None and video.duration:
        return video.duration
    return max((c.end for c in cues), default=1.0)


def _extract_frame(video: Path, t: float, out: Path) -> bool:
    try:
        from videonews.ffmpeg import ffmpeg_exe
        from videonews.ffmpeg.runner import file_input, run

        exe = ffmpeg_exe()
        run([exe, "-hide_banner", "-nostdin", "-y", "-ss", f"{max(0.0, t):.3f}", *file_input(video),
             "-frames:v", "1", str(out)], timeout=60, what="ffmpeg frame grab", path=video)
    except Exception as exc:  # fall back to the poster
        log.warning("no frame from %s at %.2f s for the safe-area guides: %s", video, t, exc)
        return False
    return out.is_file() and out.stat().st_size > 0


def _safe_area(manifest: Manifest, folder: Path, review: Path, cues: list[Cue],
               duration: float, frame: tuple[Image.Image, float] | None = None) -> str | None:
    """review/safe-area.jpg: a frame of the captioned video at the first cue (else the poster) with guides.

    `frame` is that frame when the render already grabbed it (no second decode of the master).
    """
    from PIL import Image

    out = review / SAFE_AREA_NAME
    video = _first(manifest, "captioned_video")
    source: str | None = None
    if frame is not None and video is not None:
        im, t = frame
        plots.safe_area_image(im, out)
        source = f"{video.path} at {t:.2f} s" + (" (middle of cue 1)" if cues else "")
    elif video is not None and (folder / video.path).is_file():
        t = (cues[0].start + cues[0].end) / 2 if cues else min(duration / 2, duration - 0.05)
        with tempfile.TemporaryDirectory(dir=review, prefix=".frame-") as tmp:
            png = Path(tmp) / "frame.png"
            if _extract_frame(folder / video.path, t, png):
                with Image.open(png) as im:
                    plots.safe_area_image(im, out)
                source = f"{video.path} at {t:.2f} s" + (" (middle of cue 1)" if cues else "")
    if source is None:
        poster = _first(manifest, "poster")
        if poster is not None and (folder / poster.path).is_file():
            with Image.open(folder / poster.path) as im:
                plots.safe_area_image(im, out)
            source = f"{poster.path} (poster; no captions on it)"
    if source is None:
        out.unlink(missing_ok=True)
    return source


# ---------------------------------------------------------------- the page


def write_review_page(
    manifest: Manifest,
    folder: Path,
    *,
    analysis: Analysis | None = None,
    plan: CuePlan | None = None,
    lint: LintReport | None = None,
    package_path: Path | None = None,
    safe_frame: tuple[Image.Image, float] | None = None,
) -> Path:
    """Write folder/review/index.html with its plots; returns the page's path.

    Call it once the manifest's assets are final. Without analysis/plan/lint (a re-render after a
    QA decision) it uses what the first render saved in review/data.json, then the manifest and
    the package's own subtitle files.
    """
    folder = Path(folder)
    review = folder / REVIEW_DIR
    review.mkdir(parents=True, exist_ok=True)
    digest = manifest.content_digest()
    saved = _load_saved(review)

    if plan is not None:
        cues, plan_warnings = list(plan.cues), list(plan.warnings)
    elif saved is not None and saved.cues:
        cues, plan_warnings = saved.cues, saved.plan_warnings
    else:
        cues, plan_warnings = _cues_from_files(manifest, folder), (manifest.subtitles.warnings
                                                                   if manifest.subtitles else [])
    if analysis is None and saved is not None:
        analysis = saved.analysis
    if lint is None and saved is not None:
        lint = saved.lint
    findings: list[LintFinding]
    if lint is not None:
        findings, lint_profile = list(lint.findings), lint.profile
    elif manifest.subtitles is not None:
        findings, lint_profile = list(manifest.subtitles.lint.findings), manifest.subtitles.lint.profile
    else:
        findings, lint_profile = [], None
    duration = _duration(manifest, analysis, cues)
    if analysis is None:
        analysis = _analysis_from_manifest(manifest, duration)

    rows, loose_findings = _rows(cues, findings)

    target = _draw_plots(manifest, review, analysis, rows, duration)
    if saved is not None and saved.content_sha256 == digest and saved.safe_area_source \
            and (review / SAFE_AREA_NAME).is_file():
        safe_source: str | None = saved.safe_area_source  # same assets: the frame has not changed
    else:
        safe_source = _safe_area(manifest, folder, review, cues, duration, safe_frame)

    data = ReviewData(content_sha256=digest, analysis=analysis, cues=cues, lint=lint, plan_warnings=plan_warnings,
                      safe_area_source=safe_source)
    atomic_write(review / DATA_NAME, data.model_dump_json(indent=1) + "\n")

    context = _context(manifest, folder, package_path=package_path, rows=rows, loose_findings=loose_findings, lint_profile=lint_profile,
                       plan_warnings=plan_warnings, analysis=analysis, duration=duration, digest=digest,
                       safe_source=safe_source, target=target)
    html = env().get_template("page.html.j2").render(**context)
    page = review / PAGE_NAME
    atomic_write(page, html)
    return page


def _rows(cues: list[Cue], findings: list[LintFinding]) -> tuple[list[_Row], list[LintFinding]]:
    """Subtitle rows with their findings, and the findings that name no cue."""
    rows: list[_Row] = []
    by_cue: dict[int, list[LintFinding]] = {}
    for f in findings:
        by_cue.setdefault(f.cue, []).append(f)
    for c in cues:
        dur = c.end - c.start
        chars = _count_chars(c.lines)
        rows.append(_Row(cue=c, chars=chars, cps=chars / dur if dur > 0 else None, findings=by_cue.pop(c.index, [])))
    return rows, [f for fs in by_cue.values() for f in fs]


def _draw_plots(manifest: Manifest, review: Path, analysis: Analysis, rows: list[_Row], duration: float) -> float:
    """The timeline and loudness SVGs; returns the loudness target they were drawn against."""
    poster_time = manifest.poster.time if manifest.poster else None
    candidates = manifest.poster.candidates if manifest.poster else []
    svg = plots.timeline_svg(
        duration=duration,
        speech=None if analysis.speech is None else [(s.start, s.end) for s in analysis.speech],
        shots=analysis.shots,
        cues=[plots.CueBar(index=r.cue.index, start=r.cue.start, end=r.cue.end, text=r.cue.text,
                           speaker=r.cue.speaker, severity=r.severity) for r in rows],
        poster_time=poster_time,
        candidates=[(c.time, c.score) for c in candidates],
        voices=_voice_bars(manifest),
        quotes=[plots.QuoteBar(id=q.id, start=q.timing.start, end=q.timing.end, source=q.timing.source,
                               confidence=q.timing.confidence, speaker=q.speaker)
                for q in manifest.quotes if q.in_video and q.timing and q.timing.start is not None
                and q.timing.end is not None],
    )
    atomic_write(review / TIMELINE_NAME, svg)
    loud = analysis.loudness
    loud_info = manifest.analysis.loudness if manifest.analysis else None
    target = loud_info.target if loud_info else -23.0
    svg = plots.loudness_svg(
        duration=duration,
        series=[(p.t, p.momentary, p.short_term) for p in (loud.series if loud else [])],
        target=target,
        integrated=loud.integrated if loud else None,
        true_peak=loud.true_peak if loud else None,
        lra=loud.lra if loud else None,
        peak_limit=TRUE_PEAK_LIMIT,
        normalized=bool(loud_info and loud_info.normalized),
    )
    atomic_write(review / LOUDNESS_NAME, svg)
    return target


def _voice_bars(manifest: Manifest) -> list[plots.VoiceBar] | None:
    voices = manifest.analysis.voices if manifest.analysis else None
    if voices is None:
        return None
    return [plots.VoiceBar(start=t.start, end=t.end, voice=t.voice, reporter=t.reporter) for t in voices.turns]


def _placement_doubts(manifest: Manifest) -> list[Any]:
    """Direct quotes whose captions were guessed or left out: listed first on the page."""
    return [q for q in manifest.quotes if q.timing is not None
            and (not q.in_video or q.timing.needs_review or q.timing.source in ("voice_turn", "reading_speed"))]


def _context(manifest: Manifest, folder: Path, *, package_path: Path | None = None, rows: list[_Row], loose_findings: list[LintFinding],
             lint_profile: str | None, plan_warnings: list[str], analysis: Analysis, duration: float, digest: str,
             safe_source: str | None, target: float) -> dict[str, Any]:
    by_time = {round(c.time, 3): c for c in (manifest.poster.candidates if manifest.poster else [])}
    photo_credit = next((c for c in manifest.credits if c.role == "photo"), None)
    images = []
    for role in IMAGE_ROLES:
        for a in _assets(manifest, role):
            try:
                embedded = _read_credits(folder / a.path)
                error = None
            except Exception as exc:  # show the problem on the card; the page still renders
                embedded, error = {}, str(exc)
            problems = []
            if error:
                problems.append(f"cannot read metadata: {error}")
            elif role == "photo_rendition":
                if not (embedded.get("creator") or embedded.get("credit")):
                    problems.append("no photographer or credit embedded")
                if photo_credit and photo_credit.name and embedded.get("creator") \
                        and photo_credit.name.strip().lower() not in embedded["creator"].lower():
                    problems.append(f"embedded creator differs from the article's '{photo_credit.name}'")
            cand = by_time.get(round(a.time, 3)) if a.time is not None else None
            images.append({"asset": a, "href": rel(a.path), "credits": embedded, "problems": problems,
                           "score": cand.score if cand else None})
    errors = sum(1 for r in rows for f in r.findings if f.severity == "error") + \
        sum(1 for f in loose_findings if f.severity == "error")
    warnings_n = sum(1 for r in rows for f in r.findings if f.severity != "error") + \
        sum(1 for f in loose_findings if f.severity != "error")
    video = _first(manifest, "preview_video", "captioned_video")
    vtt = _vtt(manifest)
    loud_info = manifest.analysis.loudness if manifest.analysis else None
    loud = analysis.loudness
    peak = loud.true_peak if loud else None
    sheet = _first(manifest, "contact_sheet")
    pkg = str(package_path or folder.resolve())  # where the package will live, not the build folder
    history = [{"event": e, "current": e.content_sha256 == digest} for e in manifest.qa.history]
    return {
        "m": manifest,
        "placement_doubts": _placement_doubts(manifest),
        "story": manifest.story,
        "source_link": safe_url(manifest.story.source_url),
        "digest": digest,
        "video": video,
        "video_href": rel(video.path) if video else None,
        "social": [{"asset": a, "href": rel(a.path)} for a in manifest.assets if a.role == "social_video"],
        "captioned": _first(manifest, "captioned_video"),
        "captioned_href": rel(_first(manifest, "captioned_video").path) if _first(manifest, "captioned_video") else None,  # type: ignore[union-attr]
        "vtt": vtt,
        "vtt_href": rel(vtt.path) if vtt else None,
        "poster_href": rel(_first(manifest, "poster").path) if _first(manifest, "poster") else None,  # type: ignore[union-attr]
        "sheet": sheet,
        "sheet_href": rel(sheet.path) if sheet else None,
        "images": images,
        "candidates": sorted(manifest.poster.candidates, key=lambda c: -c.score) if manifest.poster else [],
        "poster_time": manifest.poster.time if manifest.poster else None,
        "rows": rows,
        "loose_findings": loose_findings,
        "lint_profile": lint_profile,
        "lint_errors": errors,
        "lint_warnings": warnings_n,
        "plan_warnings": plan_warnings,
        "analysis": analysis,
        "duration": duration,
        "integrated": loud.integrated if loud else None,
        "true_peak": peak,
        "peak_over": peak is not None and peak > TRUE_PEAK_LIMIT + 1e-9,
        "peak_limit": TRUE_PEAK_LIMIT,
        "target": target,
        "normalized": bool(loud_info and loud_info.normalized),
        "safe_source": safe_source,
        "safe_name": SAFE_AREA_NAME if safe_source else None,
        "assets": [{"asset": a, "href": rel(a.path)} for a in sorted(manifest.assets, key=lambda a: a.path)],
        "history": history,
        "edits": _edits(manifest, folder),
        "is_advice": is_advice,
        "ranked": ranked_findings(manifest, rows, loose_findings, plan_warnings,
                                  peak is not None and peak > TRUE_PEAK_LIMIT + 1e-9),
        "advice_n": sum(1 for r in rows for f in r.findings if is_advice(f)) + sum(1 for f in loose_findings
                                                                                 if is_advice(f)),
        "cli_approve": f"videonews review approve {shlex.quote(pkg)} --by 'YOUR NAME' --note 'checked'",
        "cli_reject": f"videonews review reject {shlex.quote(pkg)} --by 'YOUR NAME' --note 'what is wrong'",
        "decision_start": DECISION_START,
        "decision_end": DECISION_END,
    }


def _edits(manifest: Manifest, folder: Path) -> list[dict[str, Any]]:
    """The reviewers' edits and notes, each with whether the package's files reflect it yet."""
    from videonews.errors import ReviewError
    from videonews.review.editlog import describe, load_edits

    try:
        log = load_edits(folder)
    except ReviewError as exc:
        return [{"kind": "note", "at": "", "by": "videonews", "time": 0.0, "text": exc.one_line(), "applied": False}]
    applied = manifest.edits.applied if manifest.edits else 0
    return [{"kind": e.kind, "at": e.at, "by": e.by, "what": describe(e), "applied": i < applied,
             "time": getattr(e, "time", None), "text": getattr(e, "text", None)}
            for i, e in enumerate(log.edits if log else [])]


# ---------------------------------------------------------------- batch index


@dataclass
class PackageEntry:
    name: str  # folder name relative to the index
    manifest: Manifest | None
    problem: str | None = None
    has_page: bool = False

    @property
    def status(self) -> str:
        return self.manifest.qa.status if self.manifest else "invalid"

    @property
    def href(self) -> str:
        base = quote(self.name, safe="/") + "/" if self.name else ""
        return base + (f"{REVIEW_DIR}/{PAGE_NAME}" if self.has_page else MANIFEST_NAME)

    @property
    def lint_errors(self) -> int | None:
        if self.manifest and self.manifest.subtitles:
            return self.manifest.subtitles.lint.errors
        return None

    @property
    def lint_warnings(self) -> int | None:
        if self.manifest and self.manifest.subtitles:
            return self.manifest.subtitles.lint.warnings
        return None


    @property
    def poster_href(self) -> str | None:
        """The smallest 16:9 thumbnail (else the poster), for the list's rows."""
        if not self.manifest:
            return None
        thumbs = sorted((a for a in self.manifest.assets if a.role == "thumbnail"), key=lambda a: a.width or 0)
        poster = thumbs[0] if thumbs else next((a for a in self.manifest.assets if a.role == "poster"), None)
        if poster is None:
            return None
        return (quote(self.name, safe="/") + "/" if self.name else "") + quote(poster.path, safe="/")

    @property
    def warnings(self) -> int:
        return len(self.manifest.warnings) if self.manifest else 0

    @property
    def needs_review(self) -> int:
        """Quotes whose speaker or placement a person must check."""
        if not self.manifest:
            return 0
        return sum(1 for q in self.manifest.quotes if q.needs_review or (q.timing and q.timing.needs_review))

    @property
    def edits_waiting(self) -> int:
        e = self.manifest.edits if self.manifest else None
        return e.count - e.applied if e else 0


STATUS_ORDER = {"pending": 0, "rejected": 1, "approved": 2, "invalid": 3}


def filter_packages(entries: list[PackageEntry], *, status: str | None = None, warnings: bool = False,
                    needs_review: bool = False) -> list[PackageEntry]:
    """The list page's filters: a QA status, packages with warnings, packages with something to check."""
    return [e for e in entries if (not status or e.status == status) and (not warnings or e.warnings)
            and (not needs_review or e.needs_review)]


def find_packages(root: Path) -> list[PackageEntry]:
    """Every package directly under root (a subfolder with manifest.json), and root itself if it is one."""
    from videonews.errors import ManifestError

    root = Path(root)
    folders = [root] if (root / MANIFEST_NAME).is_file() else []
    if root.is_dir():
        folders += sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")
                          and not p.is_symlink() and (p / MANIFEST_NAME).is_file())
    out = []
    for f in folders:
        name = "" if f == root else f.name
        try:
            m: Manifest | None = read_manifest(f / MANIFEST_NAME)
            problem = None
        except ManifestError as exc:
            m, problem = None, exc.problem
        out.append(PackageEntry(name=name, manifest=m, problem=problem,
                                has_page=(f / REVIEW_DIR / PAGE_NAME).is_file()))
    out.sort(key=lambda e: (STATUS_ORDER.get(e.status, 9), e.name))
    return out


def render_packages(entries: list[PackageEntry], *, title: str, token: str | None = None,
                    filters: dict[str, str] | None = None, total: int | None = None) -> str:
    """The package list; with a token (served by `review serve`) each pending row gets approve/reject forms,
    filter links and the app's keyboard shortcuts."""
    groups: dict[str, list[PackageEntry]] = {}
    for e in entries:
        groups.setdefault(e.status, []).append(e)
    return env().get_template("packages.html.j2").render(
        title=title, entries=entries, groups=sorted(groups.items(), key=lambda kv: STATUS_ORDER.get(kv[0], 9)),
        served=token is not None, token=token or "", filters=filters or {},
        total=len(entries) if total is None else total,
    )


def write_batch_index(out_dir: Path) -> Path:
    """out_dir/index.html: every package under out_dir with id, headline, QA status, lint errors, review link."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_packages(find_packages(out_dir), title=f"videonews packages in {out_dir.name or out_dir}")
    path = out_dir / BATCH_INDEX_NAME
    atomic_write(path, html)
    return path
