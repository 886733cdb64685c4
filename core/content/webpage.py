"""Read a saved web page's article into headings and paragraphs.

readability-lxml finds the article and drops the menus, sidebars and
footers around it; the article's HTML is then walked in reading order the
way a browser lays it out: a block element (a heading, paragraph, list item,
table row, ...) starts a new block, and inline elements flow into the one
being built. The title is the article's first ``<h1>``, else the page's
``<title>``.
"""

from __future__ import annotations

import logging
import re

import lxml.html
from lxml.etree import ParserError
from readability import Document
from readability.readability import Unparseable

from core.content.blocks import (
    RAW_TEXT_FACTOR,
    Extracted,
    check_length,
    heading,
    one_line,
    paragraph,
    table_row_text,
)
from core.content.decoding import decode_bytes
from core.content.model import Block
from core.errors import InputError

logger = logging.getLogger(__name__)

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "header",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "ul",
    }
)
# Parts of a page that are never part of what the creator wrote.
_SKIPPED = frozenset(
    {
        "button",
        "form",
        "iframe",
        "input",
        "nav",
        "noscript",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
    }
)
_CELLS = frozenset({"td", "th"})


def read_html(data: bytes, name: str) -> Extracted:
    """Read a web page's article; ``name`` is used in error messages."""
    text = decode_bytes(data, name, hint=_declared_charset(data))
    # lxml refuses a str that still declares its own byte encoding.
    text = _XML_DECLARATION.sub("", text)
    if not text.strip():
        return Extracted([])
    try:
        check_length(_visible_length(text) // RAW_TEXT_FACTOR, f'"{name}"')
        document = Document(text)
        article = lxml.html.fromstring(document.summary(html_partial=True))
    except (Unparseable, ParserError) as error:
        raise InputError(
            f'"{name}" could not be read as a web page ({one_line(error)}). '
            "Save the page again from your browser, or paste its text."
        ) from error
    blocks = _BlockWalker().walk(article)
    return Extracted(blocks, _title(blocks, document))


def _visible_length(text: str) -> int:
    """Roughly how much text a page shows; readability is slow on huge pages."""
    page = lxml.html.document_fromstring(text)
    pieces = page.xpath("//body//text()[not(ancestor::script or ancestor::style)]")
    return sum(len(piece.strip()) for piece in pieces)


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _title(blocks: list[Block], document: Document) -> str | None:
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            return block.text
    title = document.short_title().strip()
    return title or None


class _BlockWalker:
    """Turns an element tree into blocks, in document order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.pending: list[str] = []

    def walk(self, root: lxml.html.HtmlElement) -> list[Block]:
        self._visit(root)
        self._flush()
        return self.blocks

    def _visit(self, element: lxml.html.HtmlElement) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIPPED:
            return  # comments, processing instructions and page furniture
        if tag in _HEADINGS:
            self._flush()
            self.blocks.append(heading(element.text_content(), _HEADINGS[tag]))
            return
        if tag == "br":
            self.pending.append("\n")
            return
        if tag == "tr":
            self._flush()
            cells = [c.text_content() for c in element if c.tag in _CELLS]
            self.blocks.append(paragraph(table_row_text(cells)))
            return
        if tag in _BLOCKS:
            self._flush()
        self._visit_inside(element)
        if tag in _BLOCKS:
            self._flush()

    def _visit_inside(self, element: lxml.html.HtmlElement) -> None:
        self.pending.append(element.text or "")
        for child in element:
            self._visit(child)
            self.pending.append(child.tail or "")

    def _flush(self) -> None:
        text = "".join(self.pending)
        self.pending = []
        # Source line breaks and <br> both become "\n", which joining treats
        # as a space between words but nothing between hanzi.
        if text.strip():
            self.blocks.append(paragraph(text))
