"""Read Markdown into headings and paragraphs of plain text.

Creators write Markdown in many editors, so this reads the common subset
leniently: ATX and setext headings, paragraphs, list items (one paragraph
each), block quotes and tables. What a narrator should not read is dropped
or unwrapped: front matter, code fences, images, link targets, emphasis
markers, inline code backticks and HTML tags. Everything else, including
backslashes, braces and percent signs, reaches the script literally.
"""

from __future__ import annotations

import html
import re

from core.content.blocks import Extracted, heading, paragraph, table_row_text
from core.content.model import Block

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BULLET_ITEM = re.compile(r"^\s*[-+*][ \t]+(?:\[[ xX]\][ \t]+)?(.*)$")
_ORDERED_ITEM = re.compile(r"^\s*\d{1,9}[.)][ \t]+\S")
_BLOCK_QUOTE = re.compile(r"^\s*>[ \t]?")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_TABLE_SEPARATOR = re.compile(
    r"^[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$"
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# Only characters this reader treats as syntax can be escaped; a backslash
# before anything else (``{\an8}``, ``C:\\path``) stays as the creator wrote.
_ESCAPE = re.compile(r"\\([*_`\[\]#<>!|~])")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
# Spans stop at the next opening mark, never scanning past it, so a text
# full of unmatched marks still reads in linear time.
_IMAGE = re.compile(r"[ \t]?!\[[^\[\]]*\](?:\([^()]*\)|\[[^\[\]]*\])")
_LINK = re.compile(
    r"\[([^\[\]]+)\](?:\([^()\s]*(?:\s+(?:\"[^\"()]*\"|'[^'()]*'))?\)|\[[^\[\]]*\])"
)
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\[\]]+\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)((?:[^_]|_(?!_))+?)(?<=\S)__(?!\w)"),
    re.compile(r"~~(?=\S)((?:[^~]|~(?!~))+?)(?<=\S)~~"),
    re.compile(r"\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*"),
    re.compile(r"(?<!\w)_(?=[^\s_])([^_]+?)(?<=[^\s_])_(?!\w)"),
)


def read_markdown(text: str) -> Extracted:
    """Split Markdown text into heading and paragraph blocks."""
    lines = _drop_front_matter(_HTML_COMMENT.sub("", text).split("\n"))
    reader = _BlockReader()
    for line in lines:
        reader.feed(line)
    reader.flush()
    return Extracted(reader.blocks)


def strip_inline(text: str) -> str:
    """Remove inline Markdown syntax, keeping the words a reader would see."""
    kept: list[str] = []

    def keep(literal: str) -> str:
        kept.append(literal)
        return f"\ue000{len(kept) - 1}\ue001"

    text = _ESCAPE.sub(lambda m: keep(m.group(1)), text)
    text = _CODE_SPAN.sub(lambda m: keep(m.group(2).strip()), text)
    text = _IMAGE.sub("", text)
    text = _FOOTNOTE_REFERENCE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(lambda m: keep(m.group(1)), text)
    text = _HTML_TAG.sub("", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], text)


def _without_closing_hashes(text: str) -> str:
    """Drop an ATX heading's optional closing run of hashes ("## Bees ##")."""
    text = text.rstrip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        return bare.rstrip()
    return text


def _drop_front_matter(lines: list[str]) -> list[str]:
    if not lines or lines[0].strip() not in ("---", "+++"):
        return lines
    closers = ("---", "...") if lines[0].strip() == "---" else ("+++",)
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in closers:
            return lines[index + 1 :]
    return lines  # no closing line: it was a thematic break, not front matter


class _BlockReader:
    """Collects blocks line by line; a paragraph waits until it is closed."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.pending: list[str] = []
        self.fence: str | None = None

    def feed(self, line: str) -> None:
        if self._skip_code(line):
            return
        while _BLOCK_QUOTE.match(line):
            line = _BLOCK_QUOTE.sub("", line, count=1)
        if not line.strip():
            self.flush()
        elif not self._take_structure(line):
            self._take_text(line)

    def flush(self) -> None:
        if self.pending:
            self.blocks.append(paragraph(strip_inline("\n".join(self.pending))))
            self.pending = []

    def _skip_code(self, line: str) -> bool:
        fence = _FENCE.match(line)
        if self.fence is not None:
            # A fence closes with the same character, at least as many times.
            if fence and fence.group(1).startswith(self.fence):
                self.fence = None
            return True
        if fence:
            self.flush()
            self.fence = fence.group(1)
            return True
        return False

    def _take_structure(self, line: str) -> bool:
        """Handle a line that is markup rather than text; tell if it was."""
        underline = _SETEXT_UNDERLINE.match(line)
        if underline and self.pending:
            level = 1 if underline.group(1)[0] == "=" else 2
            text = strip_inline("\n".join(self.pending))
            self.pending = []
            self.blocks.append(heading(text, level))
            return True
        atx = _ATX_HEADING.match(line)
        if atx:
            self.flush()
            text = _without_closing_hashes(atx.group(2) or "")
            self.blocks.append(heading(strip_inline(text), len(atx.group(1))))
            return True
        if _THEMATIC_BREAK.match(line) or _TABLE_SEPARATOR.match(line):
            self.flush()
            return True
        return bool(_REFERENCE_DEFINITION.match(line))

    def _take_text(self, line: str) -> None:
        stripped = line.strip()
        bullet = _BULLET_ITEM.match(line)
        if bullet:
            self.flush()
            self.pending.append(bullet.group(1))
        elif _ORDERED_ITEM.match(line):
            self.flush()
            self.pending.append(stripped)  # the number is part of what is read
        elif stripped.startswith("|"):
            self.flush()
            row = stripped.strip("|").split("|")
            self.blocks.append(
                paragraph(table_row_text([strip_inline(c) for c in row]))
            )
        else:
            self.pending.append(line)
