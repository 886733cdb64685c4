"""What a drop or a paste means: content, a music bed, images, or nothing.

Pure sorting and the blocking import calls the window runs off the GUI
thread; kept apart from the widgets so both are easy to test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.content import SUPPORTED_SUFFIXES, content_from_text
from core.db import Database
from core.errors import InputError
from core.pipeline.project import create_project, load_paths

AUDIO_SUFFIXES = (".mp3", ".wav", ".m4a", ".aac", ".ogg", ".flac", ".opus")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif")


@dataclass
class DroppedFiles:
    content: list[Path] = field(default_factory=list)
    audio: list[Path] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)
    unsupported: list[Path] = field(default_factory=list)


def sort_drop(paths: list[Path]) -> DroppedFiles:
    dropped = DroppedFiles()
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in SUPPORTED_SUFFIXES:
            dropped.content.append(path)
        elif suffix in AUDIO_SUFFIXES:
            dropped.audio.append(path)
        elif suffix in IMAGE_SUFFIXES:
            dropped.images.append(path)
        else:
            dropped.unsupported.append(path)
    return dropped


def import_paths(
    db: Database, paths: list[Path], video_format: str = "landscape"
) -> int:
    """A new project from dropped files; raises InputError for bad ones."""
    return create_project(db, load_paths(paths), format=video_format)


def import_text(db: Database, text: str, video_format: str = "landscape") -> int:
    if not text.strip():
        raise InputError("The clipboard has no text to make a video from.")
    return create_project(
        db, content_from_text(text, "Pasted text"), format=video_format
    )
