"""What the speech analysis found: voice turns, the reporter, and where each quote is said. Plain data."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Word(BaseModel):
    text: str  # the quote's word as spoken (lower case, numbers spelled out)
    start: float  # seconds
    end: float


class Turn(BaseModel):
    """A stretch of speech by one voice (pauses under 2 s inside it)."""

    start: float
    end: float
    voice: int  # voices are numbered in the order they are first heard


class Voice(BaseModel):
    id: int
    seconds: float  # speech time over all its turns
    turns: int


class QuoteMatch(BaseModel):
    """Where one quote is said.

    A quote is found when the recogniser, listening to the non-reporter turns with a language model
    of the article's sentences, heard at least three of its words in order, making up at least half
    of the run of words heard there; the words are then force-aligned for their times.
    confidence: the share of the placed quote words that the recogniser heard there on its own, in
    the same order (1.0: every one). coverage: the share of the quote's words placed in the audio
    (below 1.0 when the soundbite says only part of the quote).
    """

    quote_id: str
    found: bool
    start: float | None = None
    end: float | None = None
    words: list[Word] = Field(default_factory=list)
    confidence: float = 0.0
    coverage: float = 0.0
    turns: list[int] = Field(default_factory=list)  # indices into SpeechAnalysis.turns
    reason: str | None = None  # why it was not found


class SpeechAnalysis(BaseModel):
    duration: float
    turns: list[Turn] = Field(default_factory=list)
    voices: list[Voice] = Field(default_factory=list)
    reporter: int | None = None  # a voice id
    reporter_reason: str | None = None
    quotes: list[QuoteMatch] = Field(default_factory=list)
    reason: str | None = None  # why there are no turns
    warnings: list[str] = Field(default_factory=list)

    def unclaimed_turns(self) -> list[int]:
        """Indices of non-reporter turns in which no found quote lies (e.g. a soundbite in another language)."""
        claimed = {t for q in self.quotes if q.found for t in q.turns}
        return [i for i, t in enumerate(self.turns) if t.voice != self.reporter and i not in claimed]
