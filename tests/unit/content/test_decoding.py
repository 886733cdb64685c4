"""Decoding a text file's bytes, whatever editor and encoding saved it."""

import codecs

import pytest

from core.content.decoding import decode_bytes
from core.errors import InputError
from tests.conftest import CHINESE_ARTICLE

NIGHT_MARKET = CHINESE_ARTICLE.read_text(encoding="utf-8")
SIMPLIFIED = (
    "傍晚六点，路灯一盏盏亮起，摊贩推着餐车来到固定的位置。"
    "夜市的一天，从这一刻才真正开始。老板们先把瓦斯、油锅和食材准备好。"
)
JAPANESE = "今日は東京の夜市に行きました。とても楽しかったです。"
WESTERN = "“Café au lait,” she said — it’s a naïve façade, isn’t it?"


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_utf8_decodes_with_or_without_a_byte_order_mark(bom):
    assert decode_bytes(bom + NIGHT_MARKET.encode("utf-8"), "a.md") == NIGHT_MARKET


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_a_byte_order_mark_decode_in_either_order(bom, encoding):
    data = bom + (WESTERN + "\n" + NIGHT_MARKET).encode(encoding)
    assert decode_bytes(data, "a.txt") == WESTERN + "\n" + NIGHT_MARKET


def test_big5_night_market_sample_decodes_exactly():
    assert decode_bytes(NIGHT_MARKET.encode("big5"), "夜市.md") == NIGHT_MARKET


@pytest.mark.parametrize(
    "line", ["夜市的一天", "傍晚六點，路燈一盞盞亮起。", "臺灣", "鹹酥雞", "謝謝你"]
)
def test_short_big5_lines_read_as_traditional_chinese(line):
    assert decode_bytes(line.encode("big5"), "a.txt") == line


def test_gbk_simplified_paragraph_decodes_exactly():
    assert decode_bytes(SIMPLIFIED.encode("gbk"), "a.txt") == SIMPLIFIED


@pytest.mark.parametrize("line", ["我们今天去北京的夜市吃饭。", "谢谢你", "简体中文"])
def test_short_gbk_lines_read_as_simplified_chinese(line):
    assert decode_bytes(line.encode("gbk"), "a.txt") == line


def test_shift_jis_japanese_line_decodes_exactly():
    assert decode_bytes(JAPANESE.encode("shift_jis"), "a.txt") == JAPANESE


@pytest.mark.parametrize("line", [WESTERN, "Café résumé", "naïve", "“Hi”"])
def test_cp1252_curly_quotes_and_accents_decode_exactly(line):
    assert decode_bytes(line.encode("cp1252"), "a.txt") == line


def test_declared_encoding_is_used_before_any_guess():
    # "你好" in GBK is also two common Big5 characters; only the page's own
    # declaration can settle it.
    assert decode_bytes("你好".encode("gbk"), "a.html", hint="gbk") == "你好"


def test_a_latin1_declaration_reads_windows_1252_quotes():
    data = WESTERN.encode("cp1252")
    assert decode_bytes(data, "a.html", hint="ISO-8859-1") == WESTERN


def test_utf8_wins_over_a_wrong_declaration():
    data = NIGHT_MARKET.encode("utf-8")
    assert decode_bytes(data, "a.html", hint="big5") == NIGHT_MARKET


def test_an_unknown_declared_encoding_is_ignored():
    assert decode_bytes("Café".encode(), "a.html", hint="no-such") == "Café"


def test_a_few_control_characters_do_not_make_text_binary():
    data = b"Page one.\x0cPage two.\r\n"
    assert decode_bytes(data, "a.txt") == "Page one.\x0cPage two.\r\n"


def test_nul_bytes_without_a_byte_order_mark_mean_binary_data():
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(InputError, match=r'"photo\.txt" looks like binary data'):
        decode_bytes(data, "photo.txt")


def test_text_full_of_control_characters_is_binary_data():
    data = bytes([1, 2, 3, 4, 5, 6, 7, 65, 66, 67]) * 20
    with pytest.raises(InputError, match="binary data"):
        decode_bytes(data, "a.txt")


def test_a_broken_utf16_file_is_reported_as_undecodable():
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8"
    with pytest.raises(InputError, match=r"could not be read as utf-16-le") as error:
        decode_bytes(data, "notes.txt")
    assert "Save it as UTF-8" in error.value.message
    assert isinstance(error.value.__cause__, UnicodeDecodeError)
