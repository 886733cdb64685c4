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


def import_paths(db: Database, paths: list[Path], defaults: dict | None = None) -> int:
    """A new project from dropped files; raises InputError for bad ones."""
    return _create(db, load_paths(paths), defaults or {})


def import_text(db: Database, text: str, defaults: dict | None = None) -> int:
    if not text.strip():
        raise InputError("The clipboard has no text to make a video from.")
    return _create(db, content_from_text(text, "Pasted text"), defaults or {})


def _create(db: Database, content, defaults: dict) -> int:  # type: ignore[no-untyped-def]
    """A project with the creator's defaults from Settings (format,
    providers, template)."""
    visual = {"template": defaults["template"]} if defaults.get("template") else None
    return create_project(
        db,
        content,
        format=str(defaults.get("format") or "landscape"),
        providers=defaults.get("providers") or None,
        visual=visual,
    )
