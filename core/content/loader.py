"""Turn a creator's file, or text they pasted, into ``Content``.

This is where import starts: the file is checked (there, a file, a format
Reelwright reads, not empty, not too big) before any of it is read, handed
to the reader for its suffix, and the blocks that come back are finished the
same way for every format: empty blocks dropped, the text limit checked,
the title and language worked out. Every problem becomes an ``InputError``
whose one-line message names the file and says what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from core.content.blocks import RAW_TEXT_FACTOR, Extracted, check_length
from core.content.decoding import decode_bytes
from core.content.markdown import read_markdown
from core.content.model import Content
from core.content.pdf import read_pdf
from core.content.plain import read_plain
from core.content.subtitles import read_srt
from core.content.webpage import read_html
from core.content.word import read_docx
from core.errors import InputError
from core.text import detect_language, normalize

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024

_Reader = Callable[[bytes, str], Extracted]


def _text_format(parse: Callable[[str], Extracted]) -> _Reader:
    def read(data: bytes, name: str) -> Extracted:
        text = decode_bytes(data, name)
        check_length(len(text) // RAW_TEXT_FACTOR, f'"{name}"')
        return parse(normalize(text))

    return read


_READERS: dict[str, _Reader] = {
    ".txt": _text_format(read_plain),
    ".md": _text_format(read_markdown),
    ".markdown": _text_format(read_markdown),
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
    ".srt": _text_format(read_srt),
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)

# What "no text" most likely means for each format, for the error message.
_NO_TEXT_HINTS = {
    ".html": "no article was found in the page; paste the article's text instead",
    ".htm": "no article was found in the page; paste the article's text instead",
    ".srt": "no subtitle cues were found; check that it is an SRT file",
}
_DEFAULT_NO_TEXT_HINT = "add some text to it or choose another file"


def load_content(path: Path | str) -> Content:
    """Import the file at ``path`` as content to script.

    Raises ``InputError`` with a one-line message naming the file when it
    cannot be used: missing, a folder, an unsupported or broken format,
    empty, binary, too large or without any text.
    """
    path = Path(path)
    suffix = _check_file(path)
    data = _read_bytes(path)
    extracted = _READERS[suffix](data, path.name)
    hint = _NO_TEXT_HINTS.get(suffix, _DEFAULT_NO_TEXT_HINT)
    content = _finish(extracted, f'"{path.name}"', path.name, hint)
    logger.info(
        "Imported %s: %d blocks in %s.",
        path.name,
        len(content.blocks),
        content.language,
    )
    return content


def content_from_text(
    text: str, source_name: str | None = None, markdown: bool = True
) -> Content:
    """Import text the creator pasted, read as Markdown unless told not to."""
    label = f'"{source_name}"' if source_name else "The pasted text"
    if not text.strip():
        raise InputError(f"{label} is empty. Type or paste the text to narrate.")
    check_length(len(text) // RAW_TEXT_FACTOR, label)
    text = normalize(text)
    extracted = read_markdown(text) if markdown else read_plain(text)
    return _finish(extracted, label, source_name, "type or paste some words")


def _check_file(path: Path) -> str:
    """Check the file before reading it; return its suffix, lower-cased."""
    name = f'"{path.name}"'
    if not path.exists():
        raise InputError(f"{name} was not found in {path.parent}.")
    if path.is_dir():
        raise InputError(f"{name} is a folder; choose a file inside it.")
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        kind = f'a "{suffix}" file' if suffix else "a file without an extension"
        raise InputError(
            f"{name} is {kind}, which Reelwright cannot import. "
            f"Supported files: {', '.join(SUPPORTED_SUFFIXES)}."
        )
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{name} is empty; {_DEFAULT_NO_TEXT_HINT}.")
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{name} is {size / 2**20:,.1f} MB, larger than the "
            f"{MAX_FILE_BYTES // 2**20} MB Reelwright imports. "
            "Split it, or save only the part to narrate."
        )
    return suffix


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(
            f'"{path.name}" could not be read: {error.strerror or error}.'
        ) from error


def _finish(
    extracted: Extracted, label: str, source_name: str | None, hint: str
) -> Content:
    blocks = [block for block in extracted.blocks if block.text.strip()]
    if not blocks:
        raise InputError(f"{label} has no text Reelwright can narrate: {hint}.")
    content = Content(blocks=blocks, language="", source_name=source_name)
    check_length(len(content.text), label)
    content.language = detect_language(content.text)
    content.title = extracted.title or _first_top_heading(content)
    return content


def _first_top_heading(content: Content) -> str | None:
    for block in content.blocks:
        if block.kind == "heading" and block.level == 1:
            return block.text
    return None
