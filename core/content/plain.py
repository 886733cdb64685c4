"""Read a plain-text file into paragraphs, with its first line as a title.

Plain text has no markup, so the layout is the only guide: blank lines
separate paragraphs, and a short first line that is not a sentence, set apart
by a blank line, is the title. Many Chinese texts put each paragraph on one
line with no blank lines at all; there a line ending a sentence ends its
paragraph too. Nothing in the text is treated as syntax.
"""

from __future__ import annotations

import re

from core.content.blocks import Extracted, heading, paragraph
from core.text import display_units

# A line ending with these is (part of) a sentence, not a title.
_SENTENCE_ENDINGS = tuple(".!?…:;,。！？；：，、")
_CLOSERS = "\"'”’」』)）]】"
_MAX_TITLE_UNITS = 60  # about eight English words or thirty hanzi
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


def read_plain(text: str) -> Extracted:
    """Split plain text into paragraphs, the first perhaps a title heading."""
    text = text.strip("\n")
    blank_lines = bool(_BLANK_LINE.search(text))
    lines = text.split("\n")
    blocks = []
    if _is_title(lines, blank_lines):
        blocks.append(heading(lines[0], 1))
        text = "\n".join(lines[1:])
    chunks = _BLANK_LINE.split(text) if blank_lines else _line_paragraphs(text)
    blocks.extend(paragraph(chunk) for chunk in chunks if chunk.strip())
    return Extracted(blocks)


def _is_title(lines: list[str], blank_lines: bool) -> bool:
    if len(lines) < 2:
        return False
    first = lines[0].strip()
    followed_by_gap = not lines[1].strip() or not blank_lines
    return (
        bool(first)
        and followed_by_gap
        and display_units(first) <= _MAX_TITLE_UNITS
        and not _ends_sentence(first)
    )


def _line_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text without blank lines: a sentence end closes one."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        current.append(line)
        if _ends_sentence(line.strip()):
            paragraphs.append("\n".join(current))
            current = []
    paragraphs.append("\n".join(current))
    return paragraphs


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith(_SENTENCE_ENDINGS)
