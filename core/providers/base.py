"""The small interfaces every provider implements, cloud and local alike.

A stage function receives a provider and never asks which one it is. Each
provider also describes its own settings (``cache_identity``), which go into
the content key of every asset it makes, so changing a voice or a model
makes new assets instead of reusing stale ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.content.model import Content
from core.script.model import ScriptDraft


@dataclass(frozen=True)
class Phrase:
    """A piece of narration and when it is heard, in seconds from its start."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Speech:
    """A voiced piece of narration written to a WAV file."""

    duration: float
    phrases: list[Phrase]


@dataclass(frozen=True)
class Pricing:
    """What a cloud provider charges, for the project's cost estimate."""

    unit: str  # "tokens", "characters" or "images"
    usd_per_unit: float


@dataclass(frozen=True)
class ImageRequest:
    """Everything an image maker needs for one scene."""

    prompt: str
    key_phrase: str
    width: int
    height: int
    language: str = "en"
    seed: int = 0
    negative_prompt: str = ""


@dataclass(frozen=True)
class ScriptOptions:
    """How the creator wants the script shaped."""

    language: str | None = None  # None: the content's own language
    scene_seconds: float = 12.0  # target length of one scene
    template: str = "explainer"
    # A template the creator saved (read from the database by the caller);
    # None: the writer's own template named ``template``.
    template_body: str | None = None
    target_seconds: float | None = None  # video length; None: the template's
    tone: str | None = None  # None: the template's


class ScriptWriter(Protocol):
    name: str

    def cache_identity(self) -> dict[str, object]: ...

    def write(self, content: Content, options: ScriptOptions) -> ScriptDraft: ...


class Voice(Protocol):
    name: str

    def cache_identity(self) -> dict[str, object]: ...

    def speak(self, text: str, language: str, out: Path) -> Speech:
        """Voice ``text`` into the WAV file ``out`` and time its phrases."""
        ...


class ImageMaker(Protocol):
    name: str

    def cache_identity(self) -> dict[str, object]: ...

    def make(self, request: ImageRequest, out: Path) -> None:
        """Write an image of ``request.width`` x ``request.height`` to ``out``."""
        ...
