"""The script a writer produces: a title, a description, tags and scenes.

These pydantic models are the contract between script writers (local or
Gemini, whose structured output uses them as the response schema) and the
rest of the pipeline, which stores them as ``Script`` and ``Scene`` rows.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class SceneDraft(BaseModel):
    """One scene: what is said, what is shown, and what is written on screen."""

    narration: str = Field(min_length=1)
    image_prompt: str
    on_screen_text: str = ""
    section: str | None = None  # heading that starts here, for chapters
    duration_estimate: float = 0.0  # seconds, before the voice is known


class ScriptDraft(BaseModel):
    """A whole script, before it is voiced."""

    title: str
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    language: str = "en"
    scenes: list[SceneDraft] = Field(min_length=1)
    tokens_used: int = 0  # what a cloud writer spent; not part of its schema
