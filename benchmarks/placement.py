#!/usr/bin/env python3
"""How well captions land on the quoted voice, on narrated packages shaped like real news.

    python benchmarks/placement.py            # the four packages below, a table and a JSON line each
    python benchmarks/placement.py --json out.json

Each package is built with `make_newsreel` from an article's own text: a reporter's voice-over
reads its non-quote sentences between soundbites in which other voices say its quotes; one quote
per article is never played. Variations: a soundbite in Mandarin carrying the article's English
quote (Wuzhen, as CCTV aired it), music under the speech (floods), a human reader's recorded voice
(festival: LibriVox, see tests/speech/data). Then `videonews build` (draft preset) and, per
package, against the truth:

  on_speaker    share of each quote's caption time that falls on its speaker's soundbite (>= 0.90)
  bite_covered  share of each soundbite's time under its quote's captions (>= 0.85)
  over_reporter seconds of quote captions over the reporter's voice (<= 1 s per package)
  unspoken      seconds of captions of the quote the video never plays (0)
  start_error   |where videonews says the quote's first word is - the truth| (median <= 0.2 s)
  speed         audio seconds per CPU second of the speech analysis (one core; >= 10x), measured by
                running it again on the package's 16 kHz audio
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "benchmarks" / "articles"
SAMPLE = ROOT / "assets" / "sample" / "wuzhen" / "article.txt"
DATA = ROOT / "tests" / "speech" / "data"

# Liu Yunshan's first quote as he said it (the article carries it in English)
LIU_IN_MANDARIN = ("我们应该把尊重网络主权作为一项基本原则，维护各国在网络空间发展、参与和治理方面的平等权利。"
                   "我们应该增加新兴市场国家和发展中国家的代表性和发言权。"
                   "我们不应搞网络霸权，不应单边决策，也不应只由少数几方作出决定。")

# (kind, text or quote id, voice[, language[, recording or spoken text]]); a bite names the quote it says
PACKAGES: dict[str, dict[str, Any]] = {
    "chips (wire)": {
        "article": ARTICLES / "chips-wire.txt",
        "segments": [
            ("vo", "The company will spend about ten billion euros on the new factory, which will make chips "
                   "for cars and factories.", "en-us+m3"),
            ("bite", "q1", "en+f2"),
            ("vo", "The German government has promised to pay part of the cost, a move that critics say "
                   "favours large companies.", "en-us+m3"),
            ("bite", "q2", "en+m1"),
            ("vo", "The new plant is expected to open in the spring of next year.", "en-us+m3"),
        ],
        "unspoken": ["q3"],
    },
    "floods (broadcaster, music)": {
        "article": ARTICLES / "floods-broadcaster.txt",
        "music_db": 18.0,
        "segments": [
            ("vo", "Rescue teams worked through the night to move families to higher ground, and schools across "
                   "the county are closed.", "en+f3"),
            ("bite", "q1", "en+f2"),
            ("vo", "The Environment Agency has issued severe flood warnings for four towns along the river.",
             "en+f3"),
            ("bite", "q2", "en-us+m3"),
            ("vo", "More rain is forecast for the weekend.", "en+f3"),
        ],
        "unspoken": ["q3"],
    },
    "wuzhen (state media, Mandarin soundbite)": {
        "article": SAMPLE,
        "segments": [
            ("vo", "Here in Wuzhen, Zhejiang Province, Chinese government officials, business leaders and "
                   "industry experts are discussing topics including China's internet regulation.", "en-us+f3"),
            ("bite", "q2", "cmn", "cmn", LIU_IN_MANDARIN),
            ("vo", "Internet-related industries have also become a key growth engine for China's economy.",
             "en-us+f3"),
            ("bite", "q4", "en+m1"),
            ("vo", "The Chinese government has been advocating massive campaigns to integrate traditional sectors "
                   "with the booming internet industries.", "en-us+f3"),
        ],
        "unspoken": ["q3"],
    },
    "festival (local, human reader)": {
        "article": ARTICLES / "festival-local.txt",
        "segments": [
            ("vo", "More than four hundred people came to the first evening, twice as many as last year.",
             "en-us+m3"),
            ("bite", "q1", "reader", "en", DATA / "librivox-0880.wav"),
            ("vo", "Organisers say the festival now draws visitors from across the north of England.", "en-us+m3"),
            ("bite", "q2", "en+f2"),
            ("vo", "The festival runs until Sunday.", "en-us+m3"),
        ],
        "unspoken": ["q3"],
    },
}


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def build_package(name: str, spec: dict[str, Any], work: Path) -> dict[str, Any]:
    from videonews.article import parse_article
    from videonews.ffmpeg import ffmpeg_exe
    from videonews.pipeline import build_story
    from videonews.settings import Settings
    from videonews.subtitles import read_subtitles
    from videonews.testing import Seg, make_newsreel

    article = parse_article(spec["article"])
    quotes = {q.id: q.text for q in article.quotes}
    segs, bite_quote = [], {}
    for n, (kind, what, voice, *rest) in enumerate(spec["segments"]):
        lang = rest[0] if rest else "en"
        extra = rest[1] if len(rest) > 1 else None
        audio = extra if isinstance(extra, Path) else None
        text = what if kind == "vo" else (extra if isinstance(extra, str) else quotes[what])
        if kind == "bite":
            bite_quote[n] = what
        segs.append(Seg(kind, text, voice, lang, audio))
    folder = work / name.split()[0]
    reel = make_newsreel(folder / "reel", segs, exe=ffmpeg_exe(), width=640, height=360,
                         music_db=spec.get("music_db"))
    story = folder / "story"
    story.mkdir()
    shutil.copy(spec["article"], story / "article.txt")
    shutil.copy(reel.video, story / "video.mp4")
    started = time.monotonic()
    result = build_story(story, folder / "out", Settings(preset="draft", thumbnail_candidates=8))
    wall = time.monotonic() - started
    pkg = result.package
    cues = read_subtitles(next((pkg / "subtitles").glob("*.srt")))
    planned = json.loads((pkg / "review" / "data.json").read_text(encoding="utf-8"))["cues"]
    by_quote: dict[str, list[tuple[float, float]]] = {}
    for cue, plan in zip(cues, planned, strict=True):
        by_quote.setdefault(plan["quote_id"], []).append((cue.start, cue.end))
    truth = {q: (reel.segments[n].start, reel.segments[n].end) for n, q in bite_quote.items()}
    vo = [(s.start, s.end) for s in reel.segments if s.kind == "vo"]
    timing = {q.id: q.timing for q in result.manifest.quotes if q.timing}
    rows = []
    for qid, bite in truth.items():
        spans = by_quote.get(qid, [])
        shown = sum(e - s for s, e in spans)
        rows.append({
            "quote": qid, "source": timing[qid].source if qid in timing else None,
            "on_speaker": sum(overlap(sp, bite) for sp in spans) / shown if shown else 0.0,
            "bite_covered": sum(overlap(sp, bite) for sp in spans) / (bite[1] - bite[0]),
            "start_error": (abs((timing[qid].start or 0) - bite[0]) if qid in timing and timing[qid].source == "aligned"
                            else None),
        })
    cpu = _speech_cpu(reel, article, spec)
    return {
        "package": name, "seconds": reel.duration, "quotes": rows,
        "over_reporter": sum(overlap(sp, v) for spans in by_quote.values() for sp in spans for v in vo),
        "unspoken": sum(e - s for q in spec["unspoken"] for s, e in by_quote.get(q, [])),
        "speech_cpu": cpu, "build": wall, "speed": reel.duration / max(1e-6, cpu),
    }


def _speech_cpu(reel: Any, article: Any, spec: dict[str, Any]) -> float:
    """CPU seconds of the speech analysis alone on the package's audio (what the build's speech stage runs)."""
    from videonews.ffmpeg import ffmpeg_exe
    from videonews.speech import analyze_speech
    from videonews.stages.speech import narration
    from videonews.testing import read_pcm

    pcm = read_pcm(reel.video, ffmpeg_exe())
    started = time.process_time()
    analyze_speech(pcm, 16000, quotes=[(q.id, q.text) for q in article.direct_quotes], narration=narration(article),
                   language="en")
    return time.process_time() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="vn-placement-"))
    work.mkdir(parents=True, exist_ok=True)
    results = [build_package(name, spec, work) for name, spec in PACKAGES.items()]
    print(f"{'package':42} {'quote':5} {'source':11} {'on speaker':>10} {'bite covered':>12} {'start err':>9}")
    for r in results:
        for q in r["quotes"]:
            err = "-" if q["start_error"] is None else f"{q['start_error']:.2f} s"
            print(f"{r['package']:42} {q['quote']:5} {str(q['source']):11} {q['on_speaker']:10.2f} "
                  f"{q['bite_covered']:12.2f} {err:>9}")
        print(f"{'':42} over reporter {r['over_reporter']:.2f} s, unspoken captions {r['unspoken']:.2f} s, "
              f"speech analysis {r['speech_cpu']:.2f} CPU s for {r['seconds']:.1f} s ({r['speed']:.0f}x real time)")
    quotes = [q for r in results for q in r["quotes"]]
    errors = [q["start_error"] for q in quotes if q["start_error"] is not None]
    summary = {
        "min_on_speaker": min(q["on_speaker"] for q in quotes),
        "min_bite_covered": min(q["bite_covered"] for q in quotes),
        "max_over_reporter": max(r["over_reporter"] for r in results),
        "unspoken": sum(r["unspoken"] for r in results),
        "median_start_error": statistics.median(errors) if errors else None,
        "min_speed": min(r["speed"] for r in results),
    }
    print(json.dumps(summary))
    if args.json:
        args.json.write_text(json.dumps({"packages": results, "summary": summary}, indent=1))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
