"""What an imported document becomes: a title, a language and text blocks.

Every importer (txt, md, docx, pdf, html, srt) produces the same ``Content``,
so the script writers never care where the words came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph"]


@dataclass(frozen=True)
class Block:
    """One heading or paragraph of the creator's text, whitespace-collapsed."""

    kind: BlockKind
    text: str
    level: int = 0  # 1 for a top heading; 0 for paragraphs


@dataclass
class Content:
    """A document ready to be scripted."""

    blocks: list[Block]
    language: str
    title: str | None = None
    source_name: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole content as plain text, blocks separated by blank lines."""
        return "\n\n".join(block.text for block in self.blocks)
