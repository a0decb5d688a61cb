"""The `videonews` command. Thin: each command calls the Python API and turns
VideonewsError into one line and an exit status (2 bad input, 1 internal)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from videonews import __version__
from videonews.clikit import ALLOW_OUTSIDE_HELP, build_options, edge
from videonews.errors import VideonewsError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="videonews")
def main() -> None:
    """videonews: turn a news story (article, video segment, agency photo) into a publishable package:
    captioned video, subtitle files, thumbnails, photo renditions, previews and a manifest for the CMS."""


def _settings(**flags: Any) -> Any:
    from videonews.settings import load_settings

    return load_settings(**flags)


class _StageLog:
    """Progress for one story: a rich bar on a terminal, one line per stage otherwise."""

    def __init__(self, story: str, json_lines: bool) -> None:
        self.story = story
        self.json_lines = json_lines
        self.last: str | None = None
        self.tty = sys.stderr.isatty() and not json_lines
        self.progress: Any = None
        self.task: Any = None
        if self.tty:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("[bold]{task.fields[story]}"), TextColumn("{task.description}"),
                                     BarColumn(), TimeElapsedColumn(), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("start", total=1.0, story=story)

    def __call__(self, stage: str, fraction: float | None) -> None:
        if self.tty:
            self.progress.update(self.task, description=stage, completed=fraction or 0.0)
            return
        if stage != self.last:
            self.last = stage
            if self.json_lines:
                click.echo(json.dumps({"event": "stage", "story": self.story, "stage": stage}), err=True)
            else:
                click.echo(f"{self.story}: {stage}", err=True)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@main.command()
@click.argument("stories", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder that receives one package folder per story.")
@build_options
@click.option("--photo-clip/--no-photo-clip", default=None, help="Also render the photo clip (MoviePy); wins "
              "over story.toml's `photo_clip`.")
@click.option("--publish", "publish_dir", type=click.Path(path_type=Path), default=None,
              help="Also copy each finished package atomically into this CMS drop folder.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON result per story on stdout.")
@edge
def build(stories: tuple[Path, ...], out_dir: Path, preset: str | None, profile: str | None,
          photo_clip: bool | None, graphics: str | None, social: str | None, ffmpeg: Path | None,
          publish_dir: Path | None, as_json: bool, allow_outside: bool, test_credentials: bool) -> None:
    """Build the package of each STORY folder (story.toml, or one article, video and photo)."""
    from videonews.pipeline import build_story

    settings = _settings(preset=preset, profile=profile, ffmpeg=ffmpeg, allow_outside_story=allow_outside or None,
                         test_credentials=test_credentials or None, graphics=graphics, social=social)
    failures = 0
    worst = 0
    for story in stories:
        log = _StageLog(story.name, as_json)
        try:
            result = build_story(story, out_dir, settings, on_stage=log, photo_clip=photo_clip)
        except VideonewsError as exc:
            log.close()
            failures += 1
            worst = max(worst, exc.exit_code)
            if as_json:
                click.echo(json.dumps({"story": str(story), "ok": False, "error": exc.one_line(),
                                       "exit_code": exc.exit_code}))
            click.echo(f"videonews: error: {exc.one_line()}", err=True)
            continue
        log.close()
        published = None
        if publish_dir is not None:
            from videonews.publish import publish_package

            published = publish_package(result.package, publish_dir, require_approval=settings.require_approval,
                                        settings=settings)
        m = result.manifest
        if as_json:
            click.echo(json.dumps({"story": m.story.id, "ok": True, "package": str(result.package),
                                   "wall": result.wall, "stages": result.stage_times,
                                   "published": str(published) if published else None}))
        else:
            lint = m.subtitles.lint if m.subtitles else None
            lint_txt = f"lint {lint.errors} errors/{lint.warnings} warnings" if lint else "no subtitles"
            click.echo(f"{m.story.id}: {len(m.assets)} assets, {len(m.quotes)} quotes, {lint_txt}, "
                       f"{result.wall:.1f} s -> {result.package}")
            for w in m.warnings:
                click.echo(f"  warning: {w}", err=True)
    if failures:
        sys.exit(worst if len(stories) == 1 else (2 if worst == 2 else 1))


@main.command()
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--at", "at", type=float, required=True, help="Seconds into the video.")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="The PNG to write.")
@click.option("--graphics", default=None, help="Graphics template: news, plain or a TOML file.")
@click.option("--aspect", type=click.Choice(["9x16", "1x1"]), default=None, help="A social version's frame.")
@click.option("--allow-outside", is_flag=True, help=ALLOW_OUTSIDE_HELP)
@edge
def still(story: Path, at: float, out: Path, graphics: str | None, aspect: str | None, allow_outside: bool) -> None:
    """One frame of STORY at --at seconds with every graphic (captions, super, credit), for template sign-off
    without a full build. --graphics wins over the story's own template here."""
    from videonews.still import render_still

    settings = _settings(graphics=graphics, allow_outside_story=allow_outside or None)
    path = render_still(story, at=at, out=out, settings=settings, aspect=aspect, graphics=graphics)
    click.echo(str(path))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the extracted facts and quotes as JSON.")
@edge
def article(file: Path, as_json: bool) -> None:
    """Show what videonews reads from an article FILE: headline, date, source, credits, quotes."""
    from videonews.article import parse_article

    art = parse_article(file, max_bytes=_settings().max_article_bytes)
    data = {
        "headline": art.headline,
        "date": art.date.isoformat() if art.date else None,
        "source": art.source,
        "source_url": art.source_url,
        "editor": art.editor,
        "encoding": art.encoding,
        "photos": [p.model_dump() for p in art.photos],
        "quotes": [q.model_dump() for q in art.quotes],
        "warnings": art.warnings,
    }
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{art.headline or '(no headline)'} | {data['date'] or '(no date)'} | {art.source or '(no source)'}")
    for p in art.photos:
        click.echo(f"photo: {p.caption}  [{p.agency or '?'} / {p.photographer or '?'}]")
    for q in art.quotes:
        flag = " (partial)" if q.partial else (" (CHECK)" if q.needs_review else "")
        click.echo(f"{q.id} {q.speaker or '?'}{flag}: {q.text[:90]}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--profile", type=click.Choice(["netflix", "bbc"]), default="netflix", show_default=True,
              help="Style profile to check against.")
@click.option("--fps", type=float, default=25.0, show_default=True, help="Frame rate the gaps are counted in.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@edge
def lint(file: Path, profile: str, fps: float, as_json: bool) -> None:
    """Check a subtitle FILE (SRT, WebVTT, ASS) against a style profile; exit 1 on any error."""
    from videonews.models import PROFILES
    from videonews.subtitles import lint_file

    report = lint_file(file, profile=PROFILES[profile], fps=fps, max_cues=_settings().max_subtitle_cues)
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        for f in report.findings:
            click.echo(f"cue {f.cue}: {f.severity}: {f.rule}: {f.message}")
        click.echo(f"{file}: {report.cues} cues, {report.errors} errors, "
                   f"{len(report.findings) - report.errors} warnings ({report.profile})")
    if not report.ok:
        sys.exit(1)


@main.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@edge
def validate(manifest: Path) -> None:
    """Verify a package: its manifest's schema, every path, size and sha256, the C2PA credentials of signed
    files, QA decision signatures (against trusted_reviewers) and unlisted files. Exit 0 only if all hold."""
    from videonews.manifest import verify_package
    from videonews.review.decision import verify_decisions

    problems = verify_package(manifest) + verify_decisions(manifest, _settings())
    if problems:
        for p in problems:
            click.echo(f"{manifest}: {p}", err=True)
        sys.exit(1)
    click.echo(f"{manifest}: valid")


@main.command()
@edge
def schema() -> None:
    """Print the manifest's JSON Schema (2020-12)."""
    from videonews.manifest import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


@main.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.argument("drop", type=click.Path(path_type=Path))
@click.option("--require-approval", is_flag=True, help="Refuse packages without a trusted reviewer's signed "
              "approval of their content as it is now.")
@click.option("--allow-draft", is_flag=True, help="With --require-approval: publish a draft-quality package too.")
@edge
def publish(package: Path, drop: Path, require_approval: bool, allow_draft: bool) -> None:
    """Copy a valid PACKAGE into the CMS DROP folder atomically: the files its manifest lists, then the
    manifest."""
    from videonews.publish import publish_package

    settings = _settings()
    dest = publish_package(package, drop, require_approval=require_approval or settings.require_approval,
                           allow_draft=allow_draft, settings=settings)
    click.echo(f"published {package} -> {dest}")


@main.group()
def keys() -> None:
    """Signing keys: C2PA test credentials, QA reviewer keys."""


@keys.command("init")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for the test CA, the signer's key and its certificate chain.")
@click.option("--force", is_flag=True, help="Make new ones even if the folder has valid ones.")
@edge
def keys_init(out_dir: Path, force: bool) -> None:
    """Make UNTRUSTED TEST C2PA credentials (a local CA and a signer) for samples and tests."""
    from videonews.credentials import init_test_credentials

    creds = init_test_credentials(out_dir, force=force)
    click.echo(f"UNTRUSTED TEST credentials (not for publishing): signing_key = \"{creds.key_path}\", "
               f"signing_cert = \"{creds.cert_path}\"")


@keys.command("reviewer")
@click.option("--name", required=True, help="The reviewer's or desk's key name (recorded with decisions).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for NAME.key.pem (private, mode 0600) and NAME.pub.")
@edge
def keys_reviewer(name: str, out_dir: Path) -> None:
    """Make an Ed25519 key that signs a reviewer's (or desk's) QA decisions."""
    from videonews.review.decision import make_reviewer_key

    path, public = make_reviewer_key(out_dir, name)
    click.echo(f"review_key = \"{path}\"\nreview_key_id = \"{name}\"\n"
               f"# where packages are published, in videonews.toml:\n[trusted_reviewers]\n{name} = \"{public}\"")


def _attach_subcommands() -> None:
    """Commands that live beside their modules: review (QA) and batch/status."""
    from videonews.batch.cli import batch, status
    from videonews.review.cli import review

    for command in (review, batch, status):
        main.add_command(command)


_attach_subcommands()
