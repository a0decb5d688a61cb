"""Batch builds: many stories, each in its own worker process, with a SQLite ledger.

    from videonews.batch import run_batch
    result = run_batch(["stories/"], "out", workers=2, timeout=900)
    result.exit_code, result.counts, result.outcomes

The CLI is `videonews batch SOURCE... --out DIR` and `videonews status DIR`. Names are
imported lazily so that `videonews --help` does not pay for the batch machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from videonews.batch.ledger import Ledger, ledger_path
    from videonews.batch.runner import BatchResult, StoryOutcome, default_workers, run_batch
    from videonews.batch.sources import SourceError, StorySpec, expand_sources

_EXPORTS = {
    "BatchResult": "runner", "StoryOutcome": "runner", "default_workers": "runner", "run_batch": "runner",
    "Ledger": "ledger", "ledger_path": "ledger",
    "SourceError": "sources", "StorySpec": "sources", "expand_sources": "sources",
}

__all__ = [
    "BatchResult",
    "Ledger",
    "SourceError",
    "StoryOutcome",
    "StorySpec",
    "default_workers",
    "expand_sources",
    "ledger_path",
    "run_batch",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"videonews.batch.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'videonews.batch' has no attribute {name!r}")
