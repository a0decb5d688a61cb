"""QA review: a self-contained review page per package, approve/reject decisions recorded in the
manifest, a batch index, and a small local web app (`videonews review serve`)."""

from videonews.review.decision import record_decision
from videonews.review.page import write_batch_index, write_review_page

__all__ = ["record_decision", "write_batch_index", "write_review_page"]
