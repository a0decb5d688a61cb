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
        run_server(directory, host, port, allow_hosts, on_ready=ready, limits=limits)
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
