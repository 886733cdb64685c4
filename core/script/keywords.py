"""Keywords of a text, for a video's tags and each scene's image prompt.

English is scored by how often a word (or a pair of words that keeps
appearing together) is used, after dropping common function words. Chinese
has no spaces between words, so jieba cuts it into tagged words, which are
scored by TF-IDF with jieba's word weights, nouns first. When several texts
of one document are scored together (``keywords_per_text``), words that
every text shares count for less, so each scene gets the words that set it
apart.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.text import is_chinese, is_cjk, split_sentences

logger = logging.getLogger(__name__)

# A pair of words seen together this often is a phrase worth a tag.
MIN_BIGRAM_COUNT = 2
# A phrase says more than either word alone, so it outranks them slightly.
BIGRAM_BOOST = 1.5
# Chinese words other than nouns only fill in when a text has too few nouns.
OTHER_WORD_WEIGHT = 0.1

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*")
# Punctuation that ends a run of words: a bigram never jumps over it.
_RUN_BREAK = re.compile(r"[^\w\s'’-]+")
# jieba part-of-speech tags for nouns, names, places and English words.
_CHINESE_NOUNS = ("n", "nr", "nrt", "ns", "nt", "nz", "vn", "an", "eng")

_STOPWORD_TEXT = """
    a about above across after again against all almost also although always
    am among an and another any anyone anything are around as at away back be
    became because become becomes been before being below between both but by
    can cannot could did do does doing done down during each either else enough
    even ever every everyone everything few first for from further get gets
    getting give given go goes going gone got had has have having he her here
    hers herself him himself his how however i if in into is it its itself
    just keep know last least less let like made make makes many may me might
    more most much must my myself near need needs never new next no nor not
    nothing now of off often on once one only onto or other others our ours
    ourselves out over own per perhaps put quite rather really same say says
    second see seem seems several shall she should since so some something
    still such take takes than that the their theirs them themselves then there
    these they thing things third this those though three through thus to too
    toward two under until up upon us use used using very via was way ways we
    well were what when where whether which while who whom whose why will with
    within without would yet you your yours yourself yourselves
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def extract_keywords(text: str, language: str, limit: int = 10) -> list[str]:
    """Return up to ``limit`` keywords of ``text``, the most telling first."""
    if limit <= 0 or not text.strip():
        return []
    return [c.display for c in _ranked(_candidates(text, language), limit)]


def keywords_per_text(
    texts: Sequence[str], language: str, limit: int = 3
) -> list[list[str]]:
    """Return keywords for each of ``texts``, favouring words the others lack."""
    candidates = [_candidates(text, language) for text in texts]
    texts_with: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for found in candidates:
        texts_with.update(key for key, c in found.items() if c.uses > 0)
        uses.update({key: c.uses for key, c in found.items() if c.uses > 0})

    result = []
    for found in candidates:
        for key, candidate in found.items():
            # Words the whole document keeps using are its subject, which
            # pictures need; words every text uses tell the texts apart less.
            topic = math.log1p(uses[key])
            candidate.score *= topic * _rarity(texts_with[key], len(texts))
        result.append([c.display for c in _ranked(found, limit)])
    return result


def _rarity(texts_with_word: int, texts: int) -> float:
    # Smoothed inverse document frequency: never zero, so a word every scene
    # shares can still be chosen when a scene has nothing more specific.
    return math.log((1 + texts) / (1 + texts_with_word)) + 1


@dataclass
class _Candidate:
    """A word or phrase found in a text, with how it is best written."""

    position: int
    uses: float = 0.0
    score: float = 0.0
    forms: Counter[str] = field(default_factory=Counter)

    @property
    def display(self) -> str:
        # Any lower-case use shows the word is not a name.
        lower = Counter({f: n for f, n in self.forms.items() if f.islower()})
        return (lower or self.forms).most_common(1)[0][0]


def _candidates(text: str, language: str) -> dict[str, _Candidate]:
    if is_chinese(language):
        return _chinese_candidates(text)
    return _english_candidates(text)


def _ranked(found: dict[str, _Candidate], limit: int) -> list[_Candidate]:
    usable = [c for c in found.values() if c.score > 0]
    usable.sort(key=lambda c: (-c.score, c.position))
    return usable[:limit]


def _count(found: dict[str, _Candidate], key: str, form: str, position: int) -> None:
    candidate = found.setdefault(key, _Candidate(position))
    candidate.uses += 1
    candidate.forms[form] += 1


def _sentences(text: str) -> Iterable[str]:
    for paragraph in re.split(r"\n\s*\n", text):
        yield from split_sentences(paragraph)


def _english_candidates(text: str) -> dict[str, _Candidate]:
    """Score the words and recurring word pairs of an English text."""
    found: dict[str, _Candidate] = {}
    pairs: dict[str, _Candidate] = {}
    position = 0
    for run in _word_runs(text):
        previous: tuple[str, str] | None = None
        for word, form in run:
            position += 1
            if word in _STOPWORDS or len(word) < 3:
                previous = None
                continue
            _count(found, word, form, position)
            if previous is not None:
                pair_form = f"{previous[1]} {form}"
                _count(pairs, f"{previous[0]} {word}", pair_form, position)
            previous = (word, form)

    for key, pair in pairs.items():
        if pair.uses < MIN_BIGRAM_COUNT:
            continue
        # The pair's uses are credited to the phrase, not to its words again.
        for word in key.split(" "):
            found[word].uses -= pair.uses
        pair.score = pair.uses * BIGRAM_BOOST
        found[key] = pair
    for candidate in found.values():
        candidate.score = candidate.score or candidate.uses
    return found


def _word_runs(text: str) -> list[list[tuple[str, str]]]:
    """Split text into runs of (folded key, written form) between punctuation."""
    runs: list[list[tuple[str, str]]] = []
    for sentence in _sentences(text):
        first = True
        for piece in _RUN_BREAK.split(sentence):
            run = []
            for word in _WORD.findall(piece):
                run.append((_fold(word), _written_form(word, first)))
                first = False
            runs.append(run)
    return runs


def _written_form(word: str, sentence_start: bool) -> str:
    # Capitals mid-sentence mark a name or an acronym worth keeping; a
    # capital that only starts a sentence says nothing.
    if sentence_start:
        return word.lower()
    return word if word[:1].isupper() else word.lower()


def _fold(word: str) -> str:
    """Reduce a word to a key shared by its singular and plural."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _chinese_candidates(text: str) -> dict[str, _Candidate]:
    """Score the words of a Chinese text by TF-IDF, nouns well ahead."""
    found: dict[str, _Candidate] = {}
    nouns: set[str] = set()
    position = 0
    for sentence in _sentences(text):
        for word, noun in _sentence_words(sentence):
            position += 1
            _count(found, word, word, position)
            if noun:
                nouns.add(word)

    weights = _jieba().analyse.default_tfidf
    total = sum(c.uses for c in found.values()) or 1
    for word, candidate in found.items():
        rarity = weights.idf_freq.get(word, weights.median_idf)
        share = 1.0 if word in nouns else OTHER_WORD_WEIGHT
        candidate.score = candidate.uses / total * rarity * share
    return found


@functools.lru_cache(maxsize=4096)
def _sentence_words(sentence: str) -> tuple[tuple[str, bool], ...]:
    """Cut a Chinese sentence into (word, is a noun), dropping stopwords.

    Tagging is slow on Traditional Chinese, which jieba mostly meets as
    unknown words; the tags and the scenes share sentences, so each is cut
    once.
    """
    jieba = _jieba()
    stopwords = jieba.analyse.default_tfidf.stop_words
    words = []
    for pair in jieba.posseg.dt.cut(sentence):
        word = pair.word.strip()
        if len(word) < 2 or word.lower() in stopwords or not _is_word(word):
            continue
        words.append((word, pair.flag in _CHINESE_NOUNS))
    return tuple(words)


def _is_word(word: str) -> bool:
    return any(is_cjk(c) for c in word) or bool(_WORD.fullmatch(word))


@functools.cache
def _jieba() -> Any:
    """Load jieba on first use: it is slow to load and chatty on stderr."""
    with warnings.catch_warnings():
        # jieba leaves its dictionary files for the garbage collector.
        warnings.simplefilter("ignore", ResourceWarning)
        import jieba  # type: ignore[import-untyped]
        import jieba.analyse  # type: ignore[import-untyped]
        import jieba.posseg  # type: ignore[import-untyped]

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
    logger.debug("Loaded jieba for Chinese keywords.")
    return jieba
