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

# Content the end-to-end tests import: one English article and one in
# Traditional Chinese, kept in the repository so no test depends on where the
# checkout sits.
CONTENT = Path(__file__).resolve().parent / "data" / "content"
ENGLISH_ARTICLE = CONTENT / "calmer-week.txt"
CHINESE_ARTICLE = CONTENT / "清晨菜市場.md"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh REELWRIGHT_HOME for one test."""
    folder = tmp_path / "home"
    monkeypatch.setenv("REELWRIGHT_HOME", str(folder))
    return folder
