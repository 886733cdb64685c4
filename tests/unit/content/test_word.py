"""Reading Word documents: styles give the structure, tables give rows."""

import io
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from core.content.model import Block
from core.content.word import read_docx
from core.errors import InputError


def saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_title_style_names_the_document_and_headings_sit_below_it():
    document = docx.Document()
    document.add_heading("How Bees Make Honey", 0)
    document.add_paragraph("A jar of honey holds the work of many bees.")
    document.add_heading("From flower to hive", 1)
    document.add_heading("The honey crop", 2)
    document.add_paragraph("")
    extracted = read_docx(saved(document), "bees.docx")
    assert extracted.title == "How Bees Make Honey"
    assert extracted.blocks[:5] == [
        Block("heading", "How Bees Make Honey", 1),
        Block("paragraph", "A jar of honey holds the work of many bees."),
        Block("heading", "From flower to hive", 2),
        Block("heading", "The honey crop", 3),
        Block("paragraph", ""),
    ]


def test_headings_keep_their_level_when_there_is_no_title():
    document = docx.Document()
    document.add_heading("開市之前", 1)
    document.add_paragraph("老闆們先把瓦斯、油鍋和食材準備好。")
    extracted = read_docx(saved(document), "夜市.docx")
    assert extracted.title is None
    assert extracted.blocks == [
        Block("heading", "開市之前", 1),
        Block("paragraph", "老闆們先把瓦斯、油鍋和食材準備好。"),
    ]


def test_a_custom_style_based_on_a_heading_is_a_heading():
    document = docx.Document()
    style = document.styles.add_style("Chapter Head", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Heading 2"]
    document.add_paragraph("Drying the nectar", style="Chapter Head")
    assert read_docx(saved(document), "a.docx").blocks == [
        Block("heading", "Drying the nectar", 2)
    ]


def test_table_rows_are_read_in_place_as_paragraphs():
    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=2, cols=3)
    rows = [("Dish", "Price", ""), ("蚵仔煎", "70", "")]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(0, 1).merge(table.cell(0, 2))
    document.add_paragraph("After the table.")
    assert [b.text for b in read_docx(saved(document), "a.docx").blocks] == [
        "Before the table.",
        "Dish, Price",
        "蚵仔煎，70",
        "After the table.",
    ]


def test_hostile_text_in_a_paragraph_survives_literally():
    line = 'Say "hi" {\\an8} %{pts} [x](y) C:\\temp *not bold*'
    document = docx.Document()
    document.add_paragraph(line)
    assert read_docx(saved(document), "a.docx").blocks == [Block("paragraph", line)]


def test_a_file_that_is_not_a_zip_is_a_broken_word_document():
    with pytest.raises(
        InputError, match=r'"old\.docx" is not a readable Word'
    ) as error:
        read_docx(b"\xd0\xcf\x11\xe0 an old binary .doc", "old.docx")
    assert isinstance(error.value.__cause__, zipfile.BadZipFile)


def test_a_zip_without_a_document_in_it_is_a_broken_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="save it again as .docx") as error:
        read_docx(buffer.getvalue(), "a.docx")
    assert "\n" not in error.value.message
