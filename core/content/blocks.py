"""What every format reader hands back to the loader, and the helpers they share.

A reader only finds headings and paragraphs (and a title when its format
names one); the loader then drops empty blocks, checks the limits and works
out the language, the same way for every format. Readers check the text
limit early too, before slow parsing of a text that is plainly too long.
"""

from __future__ import annotations

from typing import NamedTuple

from core.content.model import Block
from core.errors import InputError
from core.text import CHINESE, collapse_spaces, detect_language, normalize

MAX_HEADING_LEVEL = 6
MAX_TEXT_CHARS = 200_000
# Markup (Markdown syntax, subtitle timings, HTML tags) is stripped only after
# parsing; a raw text this many times over the limit is refused before it.
RAW_TEXT_FACTOR = 2


class Extracted(NamedTuple):
    """The blocks a reader found, and the title its format declares, if any."""

    blocks: list[Block]
    title: str | None = None


def paragraph(text: str) -> Block:
    """A paragraph block, its wrapped lines joined without breaking CJK."""
    return Block("paragraph", collapse_spaces(normalize(text)))


def heading(text: str, level: int) -> Block:
    """A heading block at ``level`` (1 is the top), kept within 1 to 6."""
    level = min(max(level, 1), MAX_HEADING_LEVEL)
    return Block("heading", collapse_spaces(normalize(text)), level)


def table_row_text(cells: list[str]) -> str:
    """Join a table row's cells into one line, with the comma its language uses."""
    cells = [cell.strip() for cell in cells if cell.strip()]
    separator = "，" if detect_language("".join(cells)) == CHINESE else ", "
    return separator.join(cells)


def one_line(error: BaseException) -> str:
    """A library's error text, fit to quote inside a one-line message."""
    return " ".join(str(error).split()) or type(error).__name__


def check_length(characters: int, label: str) -> None:
    """Refuse text over the limit; ``label`` names it in the message."""
    if characters > MAX_TEXT_CHARS:
        raise InputError(
            f"{label} has more than {MAX_TEXT_CHARS:,} characters of text, "
            "the most Reelwright takes for one video. Split it into parts."
        )
