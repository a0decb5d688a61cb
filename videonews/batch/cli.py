"""`videonews batch` and `videonews status`, registered on the main click group by videonews.cli."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from videonews.clikit import build_options, edge


def _short(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {seconds % 60:02.0f} s"


class _JsonEvents:
    """--json: one JSON object per event on stdout (stage changes only, not every fraction)."""

    def __init__(self) -> None:
        self.stage: dict[str, str] = {}

    def __call__(self, ev: dict[str, Any]) -> None:
        kind = ev["event"]
        if kind == "summary":
            return  # the CLI prints the full summary itself
        if kind == "stage":
            if self.stage.get(ev["story"]) == ev["stage"]:
                return
            self.stage[ev["story"]] = ev["stage"]
            ev = {k: v for k, v in ev.items() if k != "fraction"}
        click.echo(json.dumps(ev, ensure_ascii=False))

    def close(self) -> None:
        pass


class _LineEvents:
    """Not a terminal: one line per event on stderr."""

    def __init__(self) -> None:
        self.stage: dict[str, str] = {}
        self.total = 0
        self.finished = 0

    def __call__(self, ev: dict[str, Any]) -> None:
        kind = ev["event"]
        sid = str(ev.get("story"))
        if kind == "plan":
            self.total = ev["total"]
            click.echo(f"batch: {ev['total']} stories, {ev['to_build']} to build, "
                       f"{ev['workers']} {ev['backend']} workers; ledger {ev['ledger']}", err=True)
        elif kind == "requeued":
            click.echo(f"batch: re-queued {len(ev['stories'])} stories a previous batch left running", err=True)
        elif kind == "stage":
            if self.stage.get(sid) != ev["stage"]:
                self.stage[sid] = ev["stage"]
                click.echo(f"{sid}: {ev['stage']}", err=True)
        elif kind == "started":
            click.echo(f"{sid}: started (attempt {ev.get('attempt', 1)}, {ev.get('worker')})", err=True)
        elif kind in ("done", "failed", "skipped", "ignored"):
            self.finished += 1
            n = f"[{self.finished}/{self.total}]"
            if kind == "done":
                click.echo(f"{n} {sid}: done in {_short(ev.get('wall'))} -> {ev.get('package')}", err=True)
            elif kind == "failed":
                extra = f" [{ev['reason']}]" if ev.get("reason") else ""
                where = f" in {ev['stage']}" if ev.get("stage") else ""
                click.echo(f"{n} {sid}: FAILED{where}: {ev.get('error')}{extra}", err=True)
            else:
                click.echo(f"{n} {sid}: {kind} ({ev.get('reason')})", err=True)
        elif kind == "interrupted":
            click.echo(f"{sid}: stopped; re-queued", err=True)

    def close(self) -> None:
        pass


class _RichEvents:
    """A terminal: an overall bar (done/failed/total, ETA) and a line per running story with its stage."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 TextColumn("{task.fields[info]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                                 console=self.console, transient=False)
        self.overall: Any = None
        self.tasks: dict[str, Any] = {}
        self.n = {"done": 0, "failed": 0, "skipped": 0, "ignored": 0}
        self.total = 0
        self.progress.start()

    def _info(self) -> str:
        finished = sum(self.n.values())
        return f"{finished}/{self.total}  done {self.n['done']}  failed {self.n['failed']}  skipped {self.n['skipped']}"

    def __call__(self, ev: dict[str, Any]) -> None:
        kind = ev["event"]
        sid = ev.get("story")
        p = self.progress
        if kind == "plan":
            self.total = ev["total"]
            self.overall = p.add_task("[bold]batch", total=ev["total"], info=self._info())
        elif kind == "started" and sid:
            self.tasks[sid] = p.add_task(f"  {sid}: starting", total=1.0, info="")
        elif kind == "stage" and sid in self.tasks:
            frac = ev.get("fraction")
            p.update(self.tasks[sid], description=f"  {sid}: {ev['stage']}", completed=frac or 0.0,
                     info=f"{frac:.0%}" if frac else "")
        elif kind in ("done", "failed", "skipped", "ignored", "interrupted"):
            if sid in self.tasks:
                p.remove_task(self.tasks.pop(sid))
            if kind in self.n:
                self.n[kind] += 1
            if kind == "failed":
                p.console.print(f"[red]FAILED[/red] {sid}: {ev.get('error')}", highlight=False)
            if self.overall is not None and kind != "interrupted":
                p.update(self.overall, advance=1, info=self._info())

    def close(self) -> None:
        self.progress.stop()


def _summary_table(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=True) if sys.stdout.isatty() else Console(width=200, soft_wrap=True)
    c = result.counts
    table = Table(title=f"videonews batch: {c['total']} stories in {_short(result.wall)} "
                        f"({result.workers} {result.backend} workers)")
    table.add_column("story", no_wrap=True)
    table.add_column("state")
    table.add_column("time", justify="right")
    table.add_column("tries", justify="right")
    table.add_column("detail", overflow="fold")
    colour = {"done": "green", "skipped": "cyan", "failed": "red", "queued": "yellow", "ignored": "dim"}
    for o in result.outcomes:
        detail = o.error if o.state == "failed" else (o.package or o.reason or "")
        if o.state == "skipped":
            detail = f"{o.reason}: {o.package}"
        table.add_row(o.id, f"[{colour.get(o.state, 'white')}]{o.state}[/]", _short(o.wall), str(o.attempts or "-"),
                      detail or "")
    console.print(table)
    parts = [f"{c[k]} {k}" for k in ("done", "skipped", "failed", "queued", "ignored") if c.get(k)]
    console.print(", ".join(parts) or "nothing to do", highlight=False)
    for o in result.failures:
        click.echo(f"FAILED {o.id}{f' in {o.stage}' if o.stage else ''}: {o.error}", err=True)
        if o.remedy and o.remedy not in (o.error or ""):
            click.echo(f"  remedy: {o.remedy}", err=True)
        if o.log:
            click.echo(f"  log: {o.log}", err=True)
    if result.interrupted:
        click.echo("videonews: batch interrupted; run the same command again to finish the rest", err=True)


def _status_rows(led: Any) -> list[dict[str, Any]]:
    from videonews.batch.ledger import TIME_FIELDS, iso

    rows = []
    for r in led.rows():
        for k in TIME_FIELDS:
            r[k] = iso(r.get(k))
        rows.append(r)
    return rows


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Folder that receives one package per story, the ledger and the logs.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Stories built at once (default: half the CPU cores; 2 on a 2-3 core machine; at most 8).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds one story may take before its worker is killed (default: no limit).")
@click.option("--force", is_flag=True, help="Rebuild stories even when their package is up to date.")
@click.option("--retry-failed", is_flag=True, help="Rebuild only the stories whose last attempt failed.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines on stdout: one per event, then a summary.")
@click.option("--dask", "dask_address", default=None, metavar="tcp://HOST:8786",
              help="Run the stories on a Dask cluster (needs videonews[dask]; DIR must be shared storage).")
@build_options
@click.option("--photo-clip/--no-photo-clip", default=None, help="Also render each story's photo clip (MoviePy); "
              "a story's own `photo_clip` in story.toml wins.")
@click.option("--build", "build_fn", default=None, hidden=True, help="module:function building one story.")
@edge
def batch(sources: tuple[Path, ...], out_dir: Path, workers: int | None, timeout: float | None, force: bool,
          retry_failed: bool, as_json: bool, dask_address: str | None, preset: str | None, profile: str | None,
          photo_clip: bool | None, graphics: str | None, social: str | None, test_credentials: bool,
          ffmpeg: Path | None, allow_outside: bool, build_fn: str | None) -> None:
    """Build every story the SOURCES name, each in its own worker process, into DIR.

    A SOURCE is a folder of story folders, a list file (one story path a line, '#' comments),
    a CSV (column 'path', optional 'id') or a TOML manifest ([[story]] path = ...).
    Up-to-date packages are skipped; an interrupted batch finishes when run again.
    Exit status: 0 all built or up to date, 2 an input error, 1 another failure, 130 interrupted.
    """
    from videonews.batch.runner import run_batch
    from videonews.settings import load_settings

    settings = load_settings(preset=preset, profile=profile, ffmpeg=ffmpeg, allow_outside_story=allow_outside or None,
                             photo_clip=photo_clip, graphics=graphics, social=social,
                             test_credentials=test_credentials or None)
    reporter: Any
    if as_json:
        reporter = _JsonEvents()
    elif sys.stderr.isatty():
        reporter = _RichEvents()
    else:
        reporter = _LineEvents()
    try:
        result = run_batch(list(sources), out_dir, settings=settings, workers=workers, timeout=timeout,
                           force=force, retry_failed=retry_failed, dask_address=dask_address,
                           on_event=reporter, build=build_fn)
    finally:
        reporter.close()
    if as_json:
        click.echo(json.dumps({"event": "summary", **result.to_dict()}, ensure_ascii=False))
    else:
        _summary_table(result)
    sys.exit(result.exit_code)

@click.command()
@click.argument("out_dir", required=False, type=click.Path(path_type=Path), default=Path("out"))
@click.option("--json", "as_json", is_flag=True, help="Print the ledger as JSON.")
@edge
def status(out_dir: Path, as_json: bool) -> None:
    """Show the batch ledger of OUT_DIR (default: out): each story's state, attempts, times and error."""
    from rich.console import Console
    from rich.table import Table

    from videonews.batch.ledger import STATES, iso, ledger_path, open_ledger

    with open_ledger(out_dir) as led:
        raw_start = {r["id"]: r.get("started_at") for r in led.rows()}
        rows = _status_rows(led)
        counts = led.counts()
        last = led.last_batch()
    if last:
        for k in ("started_at", "finished_at"):
            last[k] = iso(last.get(k))
    if as_json:
        click.echo(json.dumps({"ledger": str(ledger_path(out_dir)), "counts": counts, "last_batch": last,
                               "stories": rows}, indent=2, ensure_ascii=False))
        return
    console = Console() if sys.stdout.isatty() else Console(width=200)
    table = Table(title=f"{ledger_path(out_dir)}")
    for col in ("story", "state", "tries", "stage / time", "finished", "error"):
        table.add_column(col, overflow="fold", no_wrap=col == "story")
    now = time.time()
    for r in rows:
        if r["state"] == "running":
            took = f"{r.get('stage') or 'starting'}"
            started = raw_start.get(r["id"])
            if started:
                took += f" ({_short(max(0.0, now - started))})"
        else:
            took = _short(r.get("wall"))
        table.add_row(r["id"], r["state"], str(r["attempts"]), took, r.get("finished_at") or "-",
                      r.get("error") or "")
    console.print(table)
    console.print("  ".join(f"{s} {counts[s]}" for s in STATES), highlight=False)
    if last:
        console.print(f"last batch {last['id']}: started {last['started_at']}, "
                      f"{'finished ' + last['finished_at'] if last['finished_at'] else 'not finished'}",
                      highlight=False)
