"""`videonews review ...`: approve, reject, serve (and page/index to re-render by hand)."""

from __future__ import annotations

from pathlib import Path

import click

from videonews.clikit import edge


@click.group()
def review() -> None:
    """QA review: approve or reject packages, serve their review pages."""

def _decide(status: str, package: Path, by: str, note: str | None) -> None:
    from videonews.review.decision import record_decision

    m = record_decision(package, status, by=by, note=note)  # type: ignore[arg-type]
    click.echo(f"{m.story.id}: {status} by {m.qa.history[-1].by} "
               f"(content {m.qa.history[-1].content_sha256[:16] if m.qa.history[-1].content_sha256 else '?'})")

@review.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("--by", required=True, help="Who approves (recorded in the manifest).")
@click.option("--note", default=None, help="Why, for the record.")
@edge
def approve(package: Path, by: str, note: str | None) -> None:
    """Approve PACKAGE for publishing (it must verify)."""
    _decide("approved", package, by, note)

@review.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("--by", required=True, help="Who rejects (recorded in the manifest).")
@click.option("--note", default=None, help="What is wrong, for whoever fixes it.")
@edge
def reject(package: Path, by: str, note: str | None) -> None:
    """Reject PACKAGE (publishing with approval required will refuse it)."""
    _decide("rejected", package, by, note)

@review.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path("out"))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes the approve buttons to your network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--allow-host", "allow_hosts", multiple=True,
              help="Extra host name the browser may use to reach this server (repeatable).")
@edge
def serve(directory: Path, host: str, port: int, allow_hosts: tuple[str, ...]) -> None:
    """Serve the packages under DIRECTORY (default: out) with approve/reject buttons."""
    from videonews.review.server import Limits
    from videonews.review.server import serve as run_server
    from videonews.settings import load_settings

    settings = load_settings()
    limits = Limits(idle_timeout=settings.review_idle_timeout, request_timeout=settings.review_request_timeout,
                    max_connections=settings.review_max_connections)

    def ready(server: object) -> None:
        click.echo(f"serving {directory} at {server.url} (Ctrl-C to stop)", err=True)  # type: ignore[attr-defined]

    try:
        run_server(directory, host, port, allow_hosts, on_ready=ready, limits=limits, settings=settings)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)

@review.command()
@click.argument("package", type=click.Path(path_type=Path))
@edge
def page(package: Path) -> None:
    """Re-render PACKAGE's review page from its manifest."""
    from videonews.manifest import read_manifest
    from videonews.review.page import write_review_page

    click.echo(write_review_page(read_manifest(package), package if package.is_dir() else package.parent))

@review.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@edge
def index(directory: Path) -> None:
    """Write DIRECTORY/index.html listing every package under it."""
    from videonews.review.page import write_batch_index

    click.echo(write_batch_index(directory))

@review.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("--by", required=True, help="Who edits (recorded in edits.json and the QA history).")
@click.option("--quote", "quote", default=None, help="Quote id (see the review page or `videonews article`).")
@click.option("--start", type=float, default=None, help="With --quote: where its captions start, seconds.")
@click.option("--end", type=float, default=None, help="With --quote: where its captions end, seconds.")
@click.option("--turn", type=int, default=None, help="With --quote: put it on this voice turn (number on the page).")
@click.option("--not-in-video", is_flag=True, help="With --quote: the video does not play it (no captions).")
@click.option("--speaker", default=None, help="With --quote: the speaker's name (the article's is kept beside).")
@click.option("--title", default=None, help="With --speaker: the speaker's title.")
@click.option("--cue", type=click.IntRange(1), default=None, help="Cue number (as in the SRT) to nudge.")
@click.option("--cue-start", type=float, default=None, help="With --cue: its new start, seconds.")
@click.option("--cue-end", type=float, default=None, help="With --cue: its new end, seconds.")
@click.option("--poster-time", type=float, default=None, help="Take the poster frame at this time, seconds.")
@click.option("--note-at", type=float, default=None, help="A note at this video time, seconds (with --note).")
@click.option("--note", default=None, help="The note's text.")
@edge
def edit(package: Path, by: str, quote: str | None, start: float | None, end: float | None, turn: int | None,
         not_in_video: bool,
         speaker: str | None, title: str | None, cue: int | None, cue_start: float | None, cue_end: float | None,
         poster_time: float | None, note_at: float | None, note: str | None) -> None:
    """Record one edit of PACKAGE (it resets an approval to pending); `review apply` re-renders with it."""
    from videonews.review.edits import add_edit, edit_from_options

    e = edit_from_options(package, by=by, quote=quote, start=start, end=end, turn=turn, not_in_video=not_in_video,
                          speaker=speaker, title=title, cue=cue, cue_start=cue_start, cue_end=cue_end,
                          poster_time=poster_time, note_at=note_at, note=note)
    m = add_edit(package, e)
    todo = m.edits.count - m.edits.applied if m.edits else 0
    click.echo(f"{m.story.id}: {m.qa.history[-1].note} (qa: {m.qa.status}; {todo} edit(s) to apply)")


@review.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.option("--story", type=click.Path(path_type=Path), default=None,
              help="The story folder (default: where the package was built from).")
@click.option("--full", is_flag=True, help="Rebuild everything, even when only images need it.")
@edge
def apply(package: Path, story: Path | None, full: bool) -> None:
    """Re-render PACKAGE with its recorded edits: a poster edit redoes images only, others re-plan and re-encode."""
    from videonews.review.rerender import apply_edits
    from videonews.settings import load_settings

    result = apply_edits(package, load_settings(), story=story, full=full,
                         on_stage=lambda name, frac: click.echo(f"  {name}", err=True) if frac is None else None)
    if result.kind == "none":
        click.echo(f"{result.manifest.story.id}: no edits to apply")
        return
    click.echo(f"{result.manifest.story.id}: {result.applied} edit(s) applied ({result.kind} re-render, "
               f"{result.wall:.1f} s); qa: {result.manifest.qa.status}")
