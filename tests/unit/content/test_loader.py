"""Importing a creator's file or pasted text: checks, dispatch and the result."""

import codecs
import os
import time
from pathlib import Path

import docx
import pytest

from core.content import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    SUPPORTED_SUFFIXES,
    content_from_text,
    load_content,
)
from core.content.model import Block
from core.errors import InputError
from core.text import CHINESE, ENGLISH
from tests.conftest import CHINESE_ARTICLE, CONTENT, ENGLISH_ARTICLE
from tests.unit.content.pdf_builder import text_pdf

HOSTILE = (
    "He said \"don't\" & 'quote' C:\\Users\\me \\\\ {\\an8} %{pts} "
    "[brackets] (parens) {braces} $HOME; 50% a < b > c"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def load_error(path: Path | str) -> str:
    with pytest.raises(InputError) as error:
        load_content(path)
    message = error.value.message
    assert "\n" not in message
    return message


def test_an_english_article_imports_with_its_title_headings_and_language():
    content = load_content(CONTENT / "how-tides-work.md")
    assert content.title == "How Tides Work"
    assert content.language == ENGLISH
    assert content.source_name == "how-tides-work.md"
    assert [b.text for b in content.blocks if b.kind == "heading"] == [
        "How Tides Work",
        "The Moon pulls the water",
        "The Earth turns underneath",
        "Spring and neap tides",
        "Why shapes matter",
    ]
    assert [b.level for b in content.blocks if b.kind == "heading"] == [1, 2, 2, 2, 2]
    assert len([b for b in content.blocks if b.kind == "paragraph"]) == 6


def test_a_chinese_article_imports_as_traditional_chinese():
    content = load_content(CHINESE_ARTICLE)
    assert content.title == "清晨的菜市場"
    assert content.language == CHINESE
    assert content.blocks[:3] == [
        Block("heading", "清晨的菜市場", 1),
        Block(
            "paragraph",
            "清晨五點，天還沒全亮，菜市場的鐵門一扇扇拉開。"
            "第一批貨車停在路口，把新鮮的蔬菜和水果搬下來。",
        ),
        Block("heading", "擺攤", 2),
    ]


def test_a_big5_chinese_article_imports_like_the_utf8_one(tmp_path):
    text = CHINESE_ARTICLE.read_text(encoding="utf-8")
    big5 = load_content(write(tmp_path / "菜市場.md", text, "big5"))
    assert big5.blocks == load_content(CHINESE_ARTICLE).blocks
    assert big5.language == CHINESE


def test_a_plain_text_note_without_a_title_line_has_no_title():
    content = load_content(ENGLISH_ARTICLE)
    assert content.title is None
    assert content.language == ENGLISH
    assert [b.kind for b in content.blocks] == ["paragraph"] * 4


def test_a_file_name_with_spaces_quotes_and_chinese_works(tmp_path):
    path = write(tmp_path / '夜市 "notes" it\'s.md', "# 夜市\n\n好吃的蚵仔煎。")
    content = load_content(str(path))
    assert content.source_name == '夜市 "notes" it\'s.md'
    assert content.title == "夜市"


def test_suffixes_are_matched_in_any_case(tmp_path):
    content = load_content(write(tmp_path / "NOTES.TXT", "Hello there."))
    assert content.blocks == [Block("paragraph", "Hello there.")]


def test_every_supported_format_imports_a_file(tmp_path):
    document = docx.Document()
    document.add_paragraph("Bees make honey.")
    document.save(tmp_path / "a.docx")
    (tmp_path / "a.pdf").write_bytes(text_pdf([["Bees make honey."]]))
    html = "<html><body><p>Bees make honey.</p></body></html>"
    texts = {
        ".txt": "Bees make honey.",
        ".md": "Bees *make* honey.",
        ".markdown": "Bees make honey.",
        ".srt": "1\n00:00:01,000 --> 00:00:02,000\nBees make honey.\n",
        ".html": html,
        ".htm": html,
    }
    for suffix, text in texts.items():
        write(tmp_path / f"a{suffix}", text)
    for suffix in SUPPORTED_SUFFIXES:
        content = load_content(tmp_path / f"a{suffix}")
        assert content.blocks == [Block("paragraph", "Bees make honey.")], suffix
        assert content.source_name == f"a{suffix}"


def test_windows_line_endings_and_decomposed_accents_are_normalised(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes("# Cafe\u0301\r\n\r\nLine one\r\nline two.\r\n".encode())
    assert load_content(path).blocks == [
        Block("heading", "Café", 1),
        Block("paragraph", "Line one line two."),
    ]


def test_hostile_text_survives_a_text_and_a_markdown_file(tmp_path):
    for name in ("hostile.txt", "hostile.md"):
        content = load_content(write(tmp_path / name, f"Intro.\n\n{HOSTILE}\n"))
        assert content.blocks[-1] == Block("paragraph", HOSTILE), name


def test_the_title_is_the_first_top_level_heading_only(tmp_path):
    content = load_content(write(tmp_path / "a.md", "## Part one\n\nText.\n\n# Real"))
    assert content.title == "Real"
    content = load_content(write(tmp_path / "b.md", "## Part one\n\nText."))
    assert content.title is None


def test_empty_blocks_are_dropped(tmp_path):
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("Only this.")
    document.add_heading("   ", 1)
    document.save(tmp_path / "a.docx")
    assert load_content(tmp_path / "a.docx").blocks == [
        Block("paragraph", "Only this.")
    ]


def test_a_missing_file_is_named_with_its_folder(tmp_path):
    message = load_error(tmp_path / "gone.md")
    assert message == f'"gone.md" was not found in {tmp_path}.'


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "drafts.md").mkdir()
    assert "is a folder" in load_error(tmp_path / "drafts.md")


def test_an_unsupported_suffix_lists_the_supported_ones(tmp_path):
    message = load_error(write(tmp_path / "slides.pptx", "x"))
    assert message.startswith('"slides.pptx" is a ".pptx" file')
    assert ".txt, .md, .markdown, .docx, .pdf, .html, .htm, .srt" in message


def test_a_file_without_a_suffix_is_refused(tmp_path):
    message = load_error(write(tmp_path / "README", "x"))
    assert "a file without an extension" in message


def test_an_empty_file_is_refused(tmp_path):
    assert load_error(write(tmp_path / "blank.txt", "")).startswith(
        '"blank.txt" is empty'
    )


@pytest.mark.parametrize("text", ["   \n\n\t\n", "<html><body></body></html>"])
def test_a_file_with_only_blank_space_or_markup_has_no_text(tmp_path, text):
    message = load_error(write(tmp_path / "blank.html", text))
    assert message.startswith('"blank.html" has no text Reelwright can narrate')
    assert "no article was found" in message


def test_a_binary_file_with_a_text_suffix_is_refused(tmp_path):
    path = tmp_path / "photo.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")
    assert load_error(path).startswith('"photo.md" looks like binary data')


def test_an_undecodable_file_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")
    assert "Save it as UTF-8" in load_error(path)


def test_a_file_over_the_size_limit_fails_before_it_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as sparse:
        sparse.truncate(MAX_FILE_BYTES + 1)
    started = time.monotonic()
    message = load_error(path)
    assert time.monotonic() - started < 1.0
    assert message.startswith('"huge.txt" is 50.0 MB, larger than the 50 MB')


def test_text_over_the_character_limit_is_refused_not_truncated(tmp_path):
    path = write(tmp_path / "long.txt", "a" * (MAX_TEXT_CHARS + 1))
    assert "more than 200,000 characters" in load_error(path)


def test_text_at_the_character_limit_is_accepted(tmp_path):
    content = load_content(write(tmp_path / "long.txt", "a" * MAX_TEXT_CHARS))
    assert len(content.text) == MAX_TEXT_CHARS


def test_a_broken_docx_is_refused_with_its_cause(tmp_path):
    path = write(tmp_path / "report.docx", "not really a word file")
    with pytest.raises(InputError, match='"report.docx" is not a readable') as error:
        load_content(path)
    assert error.value.__cause__ is not None


def test_an_image_only_pdf_says_it_looks_scanned(tmp_path):
    from PIL import Image

    Image.new("L", (50, 50)).save(tmp_path / "scan.pdf", "PDF")
    assert "looks like a scanned PDF" in load_error(tmp_path / "scan.pdf")


def test_an_srt_file_without_cues_says_so(tmp_path):
    message = load_error(write(tmp_path / "talk.srt", "not subtitles at all"))
    assert "no subtitle cues were found" in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_refused(tmp_path):
    path = write(tmp_path / "locked.txt", "secret")
    path.chmod(0)
    assert load_error(path).startswith('"locked.txt" could not be read')


def test_pasted_text_is_read_as_markdown_by_default():
    content = content_from_text("# Bees\n\nThey *make* honey.")
    assert content.title == "Bees"
    assert content.source_name is None
    assert content.blocks == [
        Block("heading", "Bees", 1),
        Block("paragraph", "They make honey."),
    ]


def test_pasted_text_can_be_read_as_plain_text():
    content = content_from_text("# Bees\n\nThey *make* honey.", "clip", markdown=False)
    assert content.source_name == "clip"
    assert [b.text for b in content.blocks] == ["# Bees", "They *make* honey."]


def test_pasted_chinese_text_is_detected_as_chinese():
    assert content_from_text("傍晚六點，路燈亮起。").language == CHINESE


def test_pasted_text_keeps_hostile_characters():
    assert content_from_text(HOSTILE).blocks == [Block("paragraph", HOSTILE)]


@pytest.mark.parametrize("text", ["", "  \n\t "])
def test_empty_pasted_text_is_refused(text):
    with pytest.raises(InputError, match="^The pasted text is empty"):
        content_from_text(text)


def test_pasted_text_over_the_limit_is_refused_by_name():
    with pytest.raises(InputError, match='^"clip" has more than 200,000'):
        content_from_text("word " * MAX_TEXT_CHARS, "clip")
