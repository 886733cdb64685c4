"""Where the files Reelwright ships with it live: fonts, music, prompts, icons.

From a source checkout they sit in ``resources/`` at the top of the project;
in an app frozen by PyInstaller they are unpacked under ``sys._MEIPASS``.
Every module that reads a bundled file asks :func:`resources_dir` for the
folder instead of building the path itself.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the folder that holds the app's bundled resources."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
