"""Reading PDFs: the text layer rebuilt into paragraphs, scans refused."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from core.content.model import Block
from core.content.pdf import read_pdf
from core.errors import InputError
from tests.unit.content.pdf_builder import text_pdf

REPORT = [
    [
        "How Bees Make Honey",
        "A single jar of honey holds the work of thousands of bees. Each",
        "forager visits hundreds of flowers on a sunny day, and it takes",
        "the work of twelve bees to fill a spoon.",
        "Bees Quarterly",
        "1",
    ],
    [
        "Bees Quarterly",
        "Fresh nectar is mostly water. To turn it into honey, the bees fan",
        "their wings over the comb until most of the water has evapo-",
        "rated, then seal each cell.",
        "Page 2 of 2",
    ],
]


def test_lines_are_rebuilt_into_paragraphs_without_page_furniture():
    blocks = read_pdf(text_pdf(REPORT), "bees.pdf").blocks
    assert blocks == [
        Block("heading", "How Bees Make Honey", 1),
        Block(
            "paragraph",
            "A single jar of honey holds the work of thousands of bees. Each "
            "forager visits hundreds of flowers on a sunny day, and it takes "
            "the work of twelve bees to fill a spoon.",
        ),
        Block(
            "paragraph",
            "Fresh nectar is mostly water. To turn it into honey, the bees fan "
            "their wings over the comb until most of the water has evaporated, "
            "then seal each cell.",
        ),
    ]


def test_bullets_start_their_own_paragraphs():
    page = [
        "What the hive needs to make honey through the long summer months:",
        "• warm air",
        "• fresh nectar from many flowers",
    ]
    texts = [b.text for b in read_pdf(text_pdf([page]), "a.pdf").blocks]
    assert texts[-2:] == ["warm air", "fresh nectar from many flowers"]


def test_hostile_text_survives_literally():
    line = 'Say "hi" {\\an8} %{pts} [x] (y) C:\\temp 50% off.'
    assert read_pdf(text_pdf([[line]]), "a.pdf").blocks == [Block("paragraph", line)]


def test_an_image_only_pdf_is_refused_as_a_scan(tmp_path):
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (200, 100), "white").save(path, "PDF")
    with pytest.raises(InputError, match=r'"scan\.pdf" has no text layer') as error:
        read_pdf(path.read_bytes(), "scan.pdf")
    assert "scanned PDF" in error.value.message


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n1 0 obj\n<< /Type", b"this is not a pdf", text_pdf(REPORT)[:300]],
)
def test_a_damaged_pdf_is_refused_with_its_cause_kept(data):
    with pytest.raises(InputError, match=r'"bad\.pdf" is not a readable PDF') as error:
        read_pdf(data, "bad.pdf")
    assert isinstance(error.value.__cause__, PyPdfError)
    assert "\n" not in error.value.message


def test_the_hand_written_pdf_is_valid_for_a_strict_reader():
    # Guards the test builder itself: the PDF must be valid, not just tolerated.
    reader = PdfReader(io.BytesIO(text_pdf([["Hello bees."]])), strict=True)
    assert reader.pages[0].extract_text().strip() == "Hello bees."


def encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf([["Bees."]]))))
    writer.encrypt(user_password=user_password, owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_password_protected_pdf_is_refused_with_a_clear_message():
    with pytest.raises(InputError, match=r'"locked\.pdf" is password-protected'):
        read_pdf(encrypted("secret"), "locked.pdf")


def test_a_pdf_encrypted_only_against_editing_is_read():
    assert read_pdf(encrypted(""), "a.pdf").blocks == [Block("paragraph", "Bees.")]
