"""What every videonews command shares: the error edge (our errors become one line and an exit
status, never a traceback). Commands import this; `videonews.cli` attaches them to the group."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import click

from videonews.errors import VideonewsError

F = TypeVar("F", bound=Callable[..., Any])
ALLOW_OUTSIDE_HELP = ("Let stories (and batch lists) name files outside their folder; by default every path must "
                      "resolve inside it (setting allow_outside_story).")


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


