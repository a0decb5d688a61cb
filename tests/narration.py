"""Voices and segments of the narrated news packages the tests build (videonews.testing.make_newsreel)."""

REPORTER = "en-us+m3"  # espeak-ng voices: a reporter and two speakers that clustering tells apart
ANNA = "en+f2"
LEE = "en+m1"

# The article above as a narrated news package: the reporter reads its own sentences between
# Anna Berg's two soundbites (espeak-ng speech; `reel.segments` holds where each is said).
NEWS_SEGMENTS = (
    ("vo", "Ministers met in Testville on Tuesday to discuss the river project.", REPORTER),
    ("bite", "We will finish the bridge before the floods come, and the town will be safe.", ANNA),
    ("vo", "Water minister Anna Berg said the project would be finished next year.", REPORTER),
    ("bite", "The money is there and the workers are ready.", ANNA),
)
