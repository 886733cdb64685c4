"""Write small PDFs by hand, for tests that need a real text layer.

Each page's lines are drawn in Helvetica, one below the other, so pypdf
reads them back as lines in the same order.
"""

from __future__ import annotations


def _pdf_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def _page_stream(lines: list[str]) -> str:
    operators = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    operators += [f"{_pdf_string(line)} Tj T*" for line in lines]
    operators.append("ET")
    return "\n".join(operators)


def text_pdf(pages: list[list[str]]) -> bytes:
    """A valid PDF with one page per list of lines (Windows-1252 text only)."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "",  # the page tree, filled in once the page numbers are known
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        "/Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        stream = _page_stream(lines)
        objects.append(
            f"<< /Length {len(stream.encode('cp1252'))} >>\nstream\n{stream}\nendstream"
        )
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    return _assemble(objects)


def _assemble(objects: list[str]) -> bytes:
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{text}\nendobj\n".encode("cp1252")
    xref_at = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        body += f"{offset:010d} 00000 n \n".encode()
    body += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(body)
