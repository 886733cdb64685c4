"""Read a Word (.docx) document into headings and paragraphs.

Word marks structure with paragraph styles: the Title style names the
document and Heading 1-9 its sections. When a Title is present the headings
move one level down, so a titled document has the same shape as Markdown
with one ``#`` title and ``##`` sections. Tables are read row by row, one
paragraph per row. Headers, footers, comments and footnotes are not read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from core.content.blocks import Extracted, heading, one_line, paragraph, table_row_text
from core.content.model import Block
from core.errors import InputError

_HEADING_STYLE = re.compile(r"heading\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = "title"
# Custom styles often build on a built-in heading; look a few bases up.
_STYLE_DEPTH = 4

_BROKEN_PACKAGE_ERRORS = (
    zipfile.BadZipFile,
    PackageNotFoundError,
    KeyError,
    ValueError,
    XMLSyntaxError,
)


def read_docx(data: bytes, name: str) -> Extracted:
    """Read a .docx file's body text; ``name`` is used in error messages."""
    try:
        document = docx.Document(io.BytesIO(data))
        items = list(_body_items(document))
    except _BROKEN_PACKAGE_ERRORS as error:
        raise InputError(
            f'"{name}" is not a readable Word document ({one_line(error)}). '
            "Open it in Word and save it again as .docx."
        ) from error
    return _to_blocks(items)


def _body_items(document: WordDocument) -> Iterator[tuple[str, int, str]]:
    """Yield (kind, heading level, text) for the body, in reading order."""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield (*_style_of(item), item.text)
        elif isinstance(item, Table):
            for row in _table_rows(item):
                yield "paragraph", 0, row


def _to_blocks(items: list[tuple[str, int, str]]) -> Extracted:
    titles = [
        text.strip() for kind, _, text in items if kind == "title" and text.strip()
    ]
    shift = 1 if titles else 0
    blocks: list[Block] = []
    for kind, level, text in items:
        if kind == "title":
            blocks.append(heading(text, 1))
        elif kind == "heading":
            blocks.append(heading(text, level + shift))
        else:
            blocks.append(paragraph(text))
    return Extracted(blocks, titles[0] if titles else None)


def _style_of(item: Paragraph) -> tuple[str, int]:
    """The paragraph's kind and heading level, from its style or the bases."""
    for name in _style_names(item):
        if name.lower() == _TITLE_STYLE:
            return "title", 1
        match = _HEADING_STYLE.match(name)
        if match:
            return "heading", max(int(match.group(1)), 1)
    return "paragraph", 0


def _style_names(item: Paragraph) -> Iterator[str]:
    style = item.style
    for _ in range(_STYLE_DEPTH):
        if style is None:
            return
        yield style.name or ""
        style = style.base_style


def _table_rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            # A merged cell is repeated once per grid column it spans.
            if cell.text.strip() and (not cells or cells[-1] != cell.text.strip()):
                cells.append(cell.text.strip())
        yield table_row_text(cells)
