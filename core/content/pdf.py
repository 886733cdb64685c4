"""Read the text layer of a PDF into paragraphs.

A PDF stores lines of text, not paragraphs, so they are rebuilt from the
layout: a line clearly shorter than the page's full lines ends a paragraph,
as does a bullet or a blank line. Page numbers and the running header or
footer repeated on most pages are dropped. A short line standing alone with
no sentence punctuation is taken as a heading. A PDF without a text layer
is usually a scan, which Reelwright cannot read without OCR.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from core.content.blocks import Extracted, heading, one_line, paragraph
from core.content.model import Block
from core.errors import InputError
from core.text import display_units

logger = logging.getLogger(__name__)

# pypdf reports a damaged file with its own errors, but some damage surfaces
# as plain Python errors from deep inside the parser.
_BROKEN_PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, IndexError)

_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.)?\s*(?:[-–—]\s*)?\d{1,4}\s*(?:[-–—]|(?:/|of)\s*\d{1,4})?"
    r"|第\s*\d{1,4}\s*[頁页].*)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[•◦▪‣●○■□–-]\s+")
_SENTENCE_ENDINGS = tuple(".!?…:;。！？；：")
_CLOSERS = "\"'”’」』)）"
# A line shorter than this share of a full line ends its paragraph.
_SHORT_LINE = 0.8
_HEADING_MAX_UNITS = 70


def read_pdf(data: bytes, name: str) -> Extracted:
    """Read a PDF's text; ``name`` is used in error messages."""
    pages = _page_lines(data, name)
    lines = [line for page in _drop_running_lines(pages) for line in page]
    if not any(line.strip() for line in lines):
        raise InputError(
            f'"{name}" has no text layer: it looks like a scanned PDF. '
            "Run it through OCR, or paste its text instead."
        )
    return Extracted(_blocks(_paragraphs(lines)))


def _page_lines(data: bytes, name: str) -> list[list[str]]:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                f'"{name}" is password-protected. '
                "Save an unprotected copy of the PDF and import that."
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except _BROKEN_PDF_ERRORS as error:
        raise InputError(
            f'"{name}" is not a readable PDF ({one_line(error)}). '
            "Export it from its app as PDF again."
        ) from error
    logger.debug("Read %d pages of text from %s.", len(pages), name)
    return [_content_lines(page) for page in pages]


def _content_lines(page_text: str) -> list[str]:
    lines = [line.strip() for line in page_text.split("\n")]
    return [line for line in lines if not _PAGE_NUMBER.match(line)]


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop a header or footer repeated at the edge of most pages."""
    if len(pages) < 2:
        return pages
    edges: Counter[str] = Counter()
    for lines in pages:
        kept = [line for line in lines if line]
        edges.update({_shape(line) for line in kept[:1] + kept[-1:]})
    threshold = max(2, len(pages) // 2 + 1)
    running = {shape for shape, count in edges.items() if count >= threshold}
    return [_trim_edges(lines, running) for lines in pages]


def _trim_edges(lines: list[str], running: set[str]) -> list[str]:
    filled = [index for index, line in enumerate(lines) if line]
    edges = {i for i in filled[:1] + filled[-1:] if _shape(lines[i]) in running}
    return [line for index, line in enumerate(lines) if index not in edges]


def _shape(line: str) -> str:
    # "Report 2024 - page 3" and "... page 4" are the same running line.
    return re.sub(r"\d+", "#", line.strip().lower())


def _paragraphs(lines: list[str]) -> list[list[str]]:
    widths = sorted(display_units(line) for line in lines if line)
    full_width = widths[int(len(widths) * 0.8)] if widths else 0.0
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if _BULLET.match(line):
            paragraphs.append([_BULLET.sub("", line)])
        elif line:
            paragraphs[-1].append(line)
        if not line or display_units(line) < _SHORT_LINE * full_width:
            paragraphs.append([])
    return [lines for lines in paragraphs if lines]


def _blocks(paragraphs: list[list[str]]) -> list[Block]:
    blocks: list[Block] = []
    for lines in paragraphs:
        if _looks_like_heading(lines):
            blocks.append(heading(lines[0], 2 if blocks else 1))
        else:
            blocks.append(paragraph(_join_hyphenated(lines)))
    return blocks


def _looks_like_heading(lines: list[str]) -> bool:
    line = lines[0]
    return (
        len(lines) == 1
        and display_units(line) <= _HEADING_MAX_UNITS
        and not line.rstrip(_CLOSERS).endswith(_SENTENCE_ENDINGS)
        and not line.endswith((",", "，", "、"))
    )


def _join_hyphenated(lines: list[str]) -> str:
    """Join lines, mending words the layout broke with a hyphen."""
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        if re.search(r"[a-z]-$", previous) and line[:1].islower():
            joined[-1] = previous[:-1] + line
        else:
            joined.append(line)
    return "\n".join(joined)
