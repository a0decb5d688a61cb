"""QA review: a self-contained review page per package, approve/reject decisions recorded in the
manifest, a batch index, and a small local web app (`videonews review serve`).

Names load on first use, so `videonews` commands that never draw a page don't pay for Jinja2.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from videonews.review.decision import record_decision
    from videonews.review.page import write_batch_index, write_review_page

__all__ = ["record_decision", "write_batch_index", "write_review_page"]
_WHERE = {"record_decision": "videonews.review.decision", "write_batch_index": "videonews.review.page",
          "write_review_page": "videonews.review.page"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
