"""Language-aware text helpers shared by the script writer, voices and subtitles.

Reelwright's creators write in English and in Traditional Chinese, often
mixing the two. Chinese has no spaces between words and its own punctuation,
so every place that splits or measures text goes through these helpers
rather than ``str.split``.
"""

from __future__ import annotations

import re
import unicodedata

ENGLISH = "en"
CHINESE = "zh-Hant"

# Sentence ends: Latin punctuation followed by space, or CJK full stops,
# which need no space after them. Closing quotes stay with their sentence.
_SENTENCE_END = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s)|[。！？；]+[」』”’）]*""")
# Clause breaks inside a sentence, used to split long sentences into phrases.
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|(?<=[，、；：])")


def is_cjk(char: str) -> bool:
    """Tell whether ``char`` is a CJK ideograph, kana or hangul syllable."""
    code = ord(char)
    return (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
        or 0x3040 <= code <= 0x30FF
        or 0xAC00 <= code <= 0xD7AF
    )


def is_cjk_punctuation(char: str) -> bool:
    """Tell whether ``char`` is full-width punctuation used in CJK text."""
    code = ord(char)
    return 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF


def detect_language(text: str) -> str:
    """Guess the content's language: Chinese when ideographs dominate."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ENGLISH
    cjk = sum(1 for c in letters if is_cjk(c))
    # A Chinese text quoting English names is still Chinese; an English text
    # with a few characters in it is still English.
    return CHINESE if cjk / len(letters) > 0.3 else ENGLISH


def is_chinese(language: str) -> bool:
    """Tell whether a language code names a Chinese variant."""
    return language.lower().startswith(("zh", "cmn", "yue"))


def normalize(text: str) -> str:
    """Fold compatibility forms and line endings, drop control characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        c
        for c in text
        if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co")
    )


def collapse_spaces(text: str) -> str:
    """Join wrapped lines into one, without adding spaces between CJK."""
    lines = [line.strip() for line in text.split("\n")]
    joined = ""
    for line in lines:
        if not line:
            continue
        if joined and not (_ends_cjk(joined) and _starts_cjk(line)):
            joined += " "
        joined += line
    return re.sub(r"[ \t]+", " ", joined).strip()


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, in English and in Chinese."""
    text = collapse_spaces(text)
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append(text[start : match.end()])
        start = match.end()
    sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def split_phrases(text: str, max_units: float = 42) -> list[str]:
    """Split text into phrases a viewer can read in one subtitle cue.

    Sentences are kept whole when they fit ``max_units`` (see
    :func:`display_units`); longer ones break at clause punctuation, and a
    clause still too long breaks between words (or characters, in CJK).
    """
    phrases: list[str] = []
    for sentence in split_sentences(text):
        if display_units(sentence) <= max_units:
            phrases.append(sentence)
            continue
        phrases.extend(_pack(_clauses(sentence, max_units), max_units))
    return phrases


def display_units(text: str) -> float:
    """Width of ``text`` in Latin-character units: a CJK character is two."""
    return sum(
        2.0
        if is_cjk(c) or is_cjk_punctuation(c) or unicodedata.east_asian_width(c) == "W"
        else 1.0
        for c in text
    )


def speech_weight(text: str) -> float:
    """A rough measure of how long ``text`` takes to say.

    Used to share a known duration between the parts of a phrase. A CJK
    character is one syllable; Latin text is counted by letters and digits.
    """
    cjk = sum(1 for c in text if is_cjk(c))
    latin = sum(1 for c in text if c.isalnum() and not is_cjk(c))
    return max(cjk * 3.2 + latin, 1.0)


def _clauses(sentence: str, max_units: float) -> list[str]:
    pieces: list[str] = []
    for clause in _CLAUSE_BREAK.split(sentence):
        clause = clause.strip()
        if not clause:
            continue
        if display_units(clause) <= max_units:
            pieces.append(clause)
        else:
            pieces.extend(_tokens_packed(clause, max_units))
    return pieces


def _tokens_packed(clause: str, max_units: float) -> list[str]:
    return _pack(tokenize(clause), max_units)


def tokenize(text: str) -> list[str]:
    """Split text into breakable units: words with their trailing space, or
    single CJK characters with any punctuation that must stay attached."""
    tokens: list[str] = []
    for match in re.finditer(r"\S+\s*", text):
        word = match.group()
        if any(is_cjk(c) for c in word):
            tokens.extend(_cjk_tokens(word))
        else:
            tokens.append(word)
    return tokens


# Characters that must not begin a line (closing punctuation) or end one
# (opening brackets): the CJK line-breaking rules known as kinsoku.
NO_LINE_START = set("，。、；：？！」』）》〉】〕”’…—～,.;:?!)]}%")
NO_LINE_END = set("「『（《〈【〔“‘([{")


def _cjk_tokens(word: str) -> list[str]:
    tokens: list[str] = []
    for char in word:
        attaches = char in NO_LINE_START or char.isspace()
        if tokens and (attaches or tokens[-1][-1] in NO_LINE_END):
            tokens[-1] += char
        elif tokens and _is_latin(char) and _is_latin(tokens[-1][-1]):
            tokens[-1] += char  # keep Latin words inside Chinese whole
        else:
            tokens.append(char)
    return tokens


def _pack(pieces: list[str], max_units: float) -> list[str]:
    packed: list[str] = []
    current = ""
    for piece in pieces:
        candidate = _join(current, piece)
        if current and display_units(candidate.strip()) > max_units:
            packed.append(current.strip())
            current = piece
        else:
            current = candidate
    if current.strip():
        packed.append(current.strip())
    return packed


def _join(left: str, right: str) -> str:
    if not left:
        return right
    if left[-1].isspace() or _ends_cjk(left) or _starts_cjk(right):
        return left + right
    return left + " " + right


def _is_latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "'-_")


def _ends_cjk(text: str) -> bool:
    return bool(text) and (is_cjk(text[-1]) or is_cjk_punctuation(text[-1]))


def _starts_cjk(text: str) -> bool:
    return bool(text) and (is_cjk(text[0]) or is_cjk_punctuation(text[0]))
