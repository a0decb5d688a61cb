"""Test media generators shared by the tests, the benchmarks and the sample builder."""

from videonews.testing.newsreel import Newsreel, Seg, SegmentTruth, make_newsreel, read_pcm

__all__ = ["Newsreel", "Seg", "SegmentTruth", "make_newsreel", "read_pcm"]
