"""Narrated packages shared by the speech tests, each built once a session."""

from __future__ import annotations

import pytest
from speech_helpers import analyse, package_segments

from videonews.speech import SpeechAnalysis
from videonews.testing import Newsreel, make_newsreel


@pytest.fixture(scope="session")
def package(exe: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Newsreel, SpeechAnalysis]:
    reel = make_newsreel(tmp_path_factory.mktemp("package"), package_segments(), exe=exe)
    return reel, analyse(reel, exe)


@pytest.fixture(scope="session")
def package_with_music(exe: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Newsreel, SpeechAnalysis]:
    reel = make_newsreel(tmp_path_factory.mktemp("music"), package_segments(), exe=exe, music_db=18, seed=3)
    return reel, analyse(reel, exe)
