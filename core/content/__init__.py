"""Content import: a creator's file or pasted text, as headings and paragraphs.

``load_content`` reads .txt, .md, .docx, .pdf, .html and .srt files;
``content_from_text`` takes pasted text. Both return a ``Content`` and raise
``InputError`` with a message the creator can act on.

The loader is imported on first use: it pulls in the PDF, Word and HTML
libraries, which code that only needs ``Content`` should not pay for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.content.blocks import MAX_TEXT_CHARS
from core.content.model import Block, Content

if TYPE_CHECKING:
    from core.content.loader import (
        MAX_FILE_BYTES,
        SUPPORTED_SUFFIXES,
        content_from_text,
        load_content,
    )

_FROM_LOADER = frozenset(
    {
        "MAX_FILE_BYTES",
        "SUPPORTED_SUFFIXES",
        "content_from_text",
        "load_content",
    }
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "Block",
    "Content",
    "content_from_text",
    "load_content",
]


def __getattr__(name: str) -> Any:
    if name in _FROM_LOADER:
        from core.content import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
