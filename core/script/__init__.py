"""Scripts: what each scene says, shows and writes on screen.

The local writer turns the creator's own words into scenes offline; the
chapter helpers describe the finished video for YouTube.
"""

from core.script.chapters import chapters, describe, sections_from_scenes, timestamp
from core.script.keywords import extract_keywords, keywords_per_text
from core.script.local import LocalScriptWriter, estimate_seconds
from core.script.model import SceneDraft, ScriptDraft

__all__ = [
    "LocalScriptWriter",
    "SceneDraft",
    "ScriptDraft",
    "chapters",
    "describe",
    "estimate_seconds",
    "extract_keywords",
    "keywords_per_text",
    "sections_from_scenes",
    "timestamp",
]
