"""Creating a project from the creator's files or text, and reading it back."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from core.content.model import Block, Content
from core.db import Database
from core.errors import InputError
from core.models import Project
from core.timeline import FORMATS

DEFAULT_VISUAL = {"music": "default", "music_volume_db": -20.0, "fps": 30}


def merge_contents(contents: list[Content]) -> Content:
    """One content from several dropped files, in the order they came."""
    blocks = [block for content in contents for block in content.blocks]
    title = next((c.title for c in contents if c.title), None)
    names = [c.source_name for c in contents if c.source_name]
    from core.text import detect_language

    language = detect_language(" ".join(block.text for block in blocks))
    return Content(
        blocks=blocks,
        language=language,
        title=title,
        source_name=", ".join(names) or None,
    )


def create_project(
    db: Database,
    content: Content,
    *,
    format: str = "landscape",
    name: str | None = None,
    visual: dict | None = None,
    providers: dict | None = None,
) -> int:
    """Store a new project and return its id."""
    if format not in FORMATS:
        raise InputError(f"Unknown format {format!r}; use one of {', '.join(FORMATS)}.")
    if not content.blocks:
        raise InputError("The content has no text to make a video from.")
    project = Project(
        name=(name or content.title or content.source_name or "Untitled")[:200],
        content=content.text,
        content_blocks=[asdict(block) for block in content.blocks],
        source_name=content.source_name,
        language=content.language,
        format=format,
        status="draft",
        providers=providers or {"script": "local", "voice": "local", "images": "local"},
        youtube={"privacy": "private", "title": content.title},
        visual={**DEFAULT_VISUAL, **(visual or {})},
    )
    with db.session() as session:
        session.add(project)
        session.flush()
        return project.id


def project_content(project: Project) -> Content:
    blocks = [Block(**block) for block in project.content_blocks]
    return Content(
        blocks=blocks,
        language=project.language,
        title=project.youtube.get("title"),
        source_name=project.source_name,
    )


def load_paths(paths: list[Path]) -> Content:
    from core.content import load_content

    return merge_contents([load_content(path) for path in paths])
