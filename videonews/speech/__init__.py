"""Speech analysis: voice turns, the reporter's voice, and where each article quote is said.

    from videonews.speech import analyze_speech
    result = analyze_speech(pcm16k, 16000, quotes=[("q1", "We will ...")], narration=[...], language="en")
"""

from videonews.speech.analyze import analyze_speech
from videonews.speech.models import QuoteMatch, SpeechAnalysis, Turn, Voice, Word

__all__ = ["QuoteMatch", "SpeechAnalysis", "Turn", "Voice", "Word", "analyze_speech"]
