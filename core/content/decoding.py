"""Turn the bytes of a creator's text file into a string, whatever its encoding.

Creators save text from many editors: UTF-8 with or without a byte-order
mark, UTF-16 from Windows Notepad, Big5 from older Taiwanese software, GBK,
Shift-JIS and Windows-1252. A byte-order mark wins, then strict UTF-8. Other
bytes are decoded with each legacy encoding Reelwright expects and scored by
how common the resulting characters are in that encoding's own ordering; only
when none of them fits does charset-normalizer guess. Short texts are where
the guessing library errs most, and where the scores still tell Big5
(Traditional) from GBK (Simplified) apart.
"""

from __future__ import annotations

import codecs
import logging
import unicodedata
from collections.abc import Callable

import charset_normalizer

from core.errors import InputError

logger = logging.getLogger(__name__)

# UTF-32 before UTF-16: the UTF-32 LE mark begins with the UTF-16 LE one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How many bytes are scored per encoding: enough to judge, cheap on big files.
_SAMPLE_BYTES = 64 * 1024
# A guess is trusted when at least this share of its non-ASCII characters
# are common ones; below it charset-normalizer gets the final word.
_MIN_SCORE = 0.6
# More control characters than this share means the file is not text.
_MAX_CONTROL_SHARE = 0.03
_ALLOWED_CONTROLS = "\t\n\r\f\v"

_LATIN_SYMBOLS = set("‘’‚“”„–—…•·°©®™€£«»§¿¡\u00a0")

_Scorer = Callable[[str], float]

# Pages labelled with a narrow charset are written by tools that use its
# wider superset, which browsers assume too (Latin-1 labels mean cp1252).
_WIDER_CODECS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "big5": "cp950",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}


def _is_common_big5(encoded: bytes) -> bool:
    # Big5 puts punctuation in rows A1-A3 and frequent hanzi in A4-C6.
    return len(encoded) == 2 and 0xA1 <= encoded[0] <= 0xC6


def _is_common_gbk(encoded: bytes) -> bool:
    # GB2312's symbol rows and its level-1 (frequent) hanzi; GBK's extensions
    # and GB18030's four-byte forms hold the rare characters.
    if len(encoded) != 2 or encoded[1] < 0xA1:
        return False
    return 0xA1 <= encoded[0] <= 0xA9 or 0xB0 <= encoded[0] <= 0xD7


def _is_common_shift_jis(encoded: bytes) -> bool:
    # Symbols, kana and the level-1 kanji rows; half-width kana count as rare.
    return len(encoded) == 2 and (
        0x81 <= encoded[0] <= 0x83 or 0x88 <= encoded[0] <= 0x98
    )


def _double_byte_score(rule: Callable[[bytes], bool], encoding: str) -> _Scorer:
    def score(text: str) -> float:
        foreign = [c for c in text if not c.isascii()]
        if not foreign:
            return 0.0
        return sum(1 for c in foreign if rule(c.encode(encoding))) / len(foreign)

    return score


def _latin_score(text: str) -> float:
    """Share of accented letters that sit inside otherwise ASCII words.

    CJK bytes read as Windows-1252 also give letters (``Ð»Ð»Äã``), but in
    runs with no ASCII letter beside them; real accents touch one (``Café``)
    or stand alone as a short word (``à``).
    """
    padded = f" {text} "
    foreign = common = 0
    for index in range(1, len(padded) - 1):
        char = padded[index]
        if char.isascii():
            continue
        foreign += 1
        before, after = padded[index - 1], padded[index + 1]
        if (
            char in _LATIN_SYMBOLS
            or _is_ascii_letter(before)
            or _is_ascii_letter(after)
            or (char.islower() and not before.isalpha() and not after.isalpha())
        ):
            common += 1
    return common / foreign if foreign else 0.0


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


# In order of preference when two encodings score the same: Reelwright's
# creators write Traditional Chinese and English first.
_LEGACY_ENCODINGS: tuple[tuple[str, _Scorer], ...] = (
    ("cp950", _double_byte_score(_is_common_big5, "cp950")),
    ("cp1252", _latin_score),
    ("gb18030", _double_byte_score(_is_common_gbk, "gb18030")),
    ("cp932", _double_byte_score(_is_common_shift_jis, "cp932")),
)


def decode_bytes(data: bytes, name: str, *, hint: str | None = None) -> str:
    """Decode a text file's bytes, refusing binary data.

    ``name`` is the file name used in error messages; ``hint`` is an encoding
    the file declares about itself (an HTML meta tag), tried after a
    byte-order mark and strict UTF-8, and before any guessing. The text is
    returned as decoded, not yet normalised: the caller checks its length
    first, since normalising a huge text takes a while.
    """
    text = _decode_with_bom(data, name)
    if text is None:
        if b"\x00" in data:
            raise _binary_error(name)
        text = _decode_declared(data, hint) or _decode_guessed(data, name)
    if _control_share(text[:_SAMPLE_BYTES]) > _MAX_CONTROL_SHARE:
        raise _binary_error(name)
    return text


def _decode_with_bom(data: bytes, name: str) -> str | None:
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise _undecodable_error(name, encoding) from error
    return None


def _decode_declared(data: bytes, hint: str | None) -> str | None:
    # UTF-8 first: pages saved as UTF-8 often still declare an older charset,
    # and strict UTF-8 almost never accepts bytes in another encoding.
    for encoding in ("utf-8", _as_browsers_read(hint)):
        if not encoding:
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            logger.debug("The text is not valid %s.", encoding)
    return None


def _as_browsers_read(label: str | None) -> str | None:
    """The codec for a declared charset, widened the way browsers widen it."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WIDER_CODECS.get(name, name)


def _decode_guessed(data: bytes, name: str) -> str:
    sample = data[:_SAMPLE_BYTES]
    scored = [
        (_score_sample(sample, encoding, scorer), encoding)
        for encoding, scorer in _LEGACY_ENCODINGS
    ]
    # Stable sort: ties keep the order of preference above.
    scored.sort(key=lambda pair: pair[0], reverse=True)
    for score, encoding in scored:
        if score < _MIN_SCORE:
            break
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        logger.debug("Decoded %s as %s (score %.2f).", name, encoding, score)
        return text
    return _decode_with_charset_normalizer(data, name)


def _score_sample(sample: bytes, encoding: str, scorer: _Scorer) -> float:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        # Not final: a character cut in two at the sample's end is no error.
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return -1.0
    return scorer(text)


def _decode_with_charset_normalizer(data: bytes, name: str) -> str:
    for match in charset_normalizer.from_bytes(data):
        # Without a byte-order mark, UTF-16/32 guesses are nearly always
        # legacy CJK bytes misread, which the scores above already refused.
        if match.encoding.startswith(("utf_16", "utf_32")):
            continue
        logger.debug("Decoded %s as %s by guessing.", name, match.encoding)
        return str(match)
    raise _undecodable_error(name)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(
        1
        for c in text
        if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS
    )
    return controls / len(text)


def _binary_error(name: str) -> InputError:
    return InputError(
        f'"{name}" looks like binary data, not text. '
        "Choose a text, Markdown, Word, PDF, web page or subtitle file."
    )


def _undecodable_error(name: str, encoding: str | None = None) -> InputError:
    detail = f" as {encoding}" if encoding else ""
    return InputError(
        f'"{name}" could not be read{detail}: its text encoding is not one '
        "Reelwright recognises. Save it as UTF-8 and try again."
    )
