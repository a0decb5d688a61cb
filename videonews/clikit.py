"""What every videonews command shares: the error edge (our errors become one line and an exit
status, never a traceback). Commands import this; `videonews.cli` attaches them to the group."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from videonews.errors import VideonewsError

F = TypeVar("F", bound=Callable[..., Any])
ALLOW_OUTSIDE_HELP = ("Let stories (and batch lists) name files outside their folder; by default every path must "
                      "resolve inside it (setting allow_outside_story).")


def build_options(func: F) -> F:
    """The options `build` and `batch` share (same names, settings and help)."""
    options = [
        click.option("--preset", type=click.Choice(["draft", "web", "broadcast"]), default=None,
                     help="Encoder preset (default: web)."),
        click.option("--profile", type=click.Choice(["netflix", "bbc"]), default=None, help="Subtitle style profile."),
        click.option("--graphics", default=None, help="Graphics template: news, plain or a TOML file (a story's own "
                     "`graphics` in story.toml wins)."),
        click.option("--social", default=None, help="Captioned social versions from the same decode, e.g. 9x16,1x1 "
                     "(wins over story.toml's `social`)."),
        click.option("--ffmpeg", type=click.Path(path_type=Path), default=None, help="ffmpeg binary to use."),
        click.option("--allow-outside", is_flag=True, help=ALLOW_OUTSIDE_HELP),
        click.option("--test-credentials", is_flag=True, help="Without signing_key/signing_cert, sign the media "
                     "with videonews' UNTRUSTED TEST credentials (made once in the user cache folder)."),
    ]
    for option in reversed(options):  # listed in --help in this order
        func = option(func)
    return func


def fail(message: str, code: int) -> None:
    click.echo(f"videonews: error: {message}", err=True)
    sys.exit(code)


def edge(func: F) -> F:
    """Convert our errors to one line on stderr and an exit status; no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VideonewsError as exc:
            fail(exc.one_line(), exc.exit_code)
        except KeyboardInterrupt:
            click.echo("videonews: interrupted; nothing was published", err=True)
            sys.exit(130)
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            fail(f"{where}{exc.strerror or exc} (check free disk space and permissions)", 1)
        except Exception as exc:  # an internal failure: say so plainly, traceback only on request
            if os.environ.get("VIDEONEWS_DEBUG"):
                traceback.print_exc()
            fail(f"internal error: {type(exc).__name__}: {exc} (set VIDEONEWS_DEBUG=1 for details; "
                  "please report it)", 1)

    return wrapper  # type: ignore[return-value]


