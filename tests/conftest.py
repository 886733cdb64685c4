"""Shared test set-up: every test run gets its own Reelwright home folder.

Setting ``REELWRIGHT_HOME`` before anything reads settings keeps tests away
from a developer's real projects, and Qt draws offscreen.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_HOME = Path(tempfile.mkdtemp(prefix="reelwright-tests-"))
os.environ["REELWRIGHT_HOME"] = str(_HOME)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("REELWRIGHT_DATABASE_URL", None)
os.environ.pop("REELWRIGHT_STORAGE_DIR", None)

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh REELWRIGHT_HOME for one test."""
    folder = tmp_path / "home"
    monkeypatch.setenv("REELWRIGHT_HOME", str(folder))
    return folder


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"the sample folder {SAMPLES} is not beside the project")
    return SAMPLES
