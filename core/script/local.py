"""The offline script writer: the creator's own words, cut into scenes.

Nothing is rewritten. Every sentence of the content is narrated once, in
order; headings are not read aloud but start sections, which name chapters
and appear on screen. Paragraphs are packed into scenes of about
``ScriptOptions.scene_seconds`` of speech: short neighbours share a scene,
long paragraphs split between sentences, and no scene crosses a heading.
Titles, tags, image prompts and on-screen phrases come from the text's own
keywords, so the writer needs no network and no model.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING

from core.content.model import Content
from core.errors import InputError
from core.script.chapters import describe, sections_from_scenes
from core.script.keywords import extract_keywords, keywords_per_text
from core.script.model import SceneDraft, ScriptDraft
from core.text import (
    collapse_spaces,
    detect_language,
    display_units,
    is_chinese,
    is_cjk,
    is_cjk_punctuation,
    split_phrases,
    split_sentences,
    tokenize,
)

if TYPE_CHECKING:
    # Only a type here: core.providers.base imports this package's models,
    # so importing it at run time would be circular.
    from core.providers.base import ScriptOptions

logger = logging.getLogger(__name__)

ENGLISH_WORDS_PER_SECOND = 2.6  # about 155 words a minute
CHINESE_CHARS_PER_SECOND = 4.2
MAX_SCENE_SHARE = 1.5  # a scene may run this far past the target length
SHORT_SCENE_SHARE = 0.4  # a scene this short may join a neighbour anyway
MIN_SCENE_SECONDS = 1.0

TITLE_UNITS = 60  # see core.text.display_units
MAX_TITLE_UNITS = 100  # within YouTube's 100 characters
ON_SCREEN_UNITS = 40
SUMMARY_CHARS = 300
SUMMARY_SENTENCES = 2
MIN_TAGS = 5
MAX_TAGS = 15
MAX_TAG_CHARS = 30
MAX_TAGS_TOTAL_CHARS = 500  # YouTube's limit for all tags together
PROMPT_KEYWORDS = 3
IMAGE_STYLE = "warm documentary style"

_LATIN_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_TRAILING_PAUSE = ",;:.，、；：。"
_CLAUSE_END = set(_TRAILING_PAUSE + "!?…！？」』”’)\"'")


def estimate_seconds(text: str) -> float:
    """Guess how long ``text`` takes to read aloud at a calm narrating pace."""
    characters = sum(1 for c in text if is_cjk(c))
    latin = "".join(" " if is_cjk(c) else c for c in text)
    words = len(_LATIN_WORD.findall(latin))
    return characters / CHINESE_CHARS_PER_SECOND + words / ENGLISH_WORDS_PER_SECOND


@dataclass
class _Section:
    """The paragraphs under one heading, each as its list of sentences."""

    heading: str | None
    paragraphs: list[list[str]] = field(default_factory=list)


@dataclass
class _Piece:
    """Consecutive sentences of one section that may become a scene."""

    sentences: list[str]
    seconds: float

    def __add__(self, other: _Piece) -> _Piece:
        return _Piece(self.sentences + other.sentences, self.seconds + other.seconds)


class LocalScriptWriter:
    """Turns content into a script offline, narrating the creator's words."""

    name = "local"
    version = 1

    def cache_identity(self) -> dict[str, object]:
        return {"writer": self.name, "version": self.version}

    def write(self, content: Content, options: ScriptOptions) -> ScriptDraft:
        """Cut ``content`` into scenes and describe the video they make."""
        if not options.scene_seconds > 0:
            raise InputError("The scene length must be more than zero seconds.")
        sections = _sections(content)
        text_language = content.language or detect_language(content.text)
        language = options.language or text_language
        _warn_if_untranslated(language, text_language)

        title = _title(content, sections)
        scenes = _scenes(sections, options.scene_seconds, title, text_language)
        tags = _tags(content, text_language, title)

        seconds = [scene.duration_estimate for scene in scenes]
        starts = [0.0, *accumulate(seconds)][:-1]
        description = describe(
            _summary(sections),
            sections_from_scenes(scenes, starts),
            tags,
            end=sum(seconds),
        )
        logger.debug(
            "The local script writer made %d scenes, about %.0f s, from %d sections.",
            len(scenes),
            sum(seconds),
            len(sections),
        )
        return ScriptDraft(
            title=title,
            description=description,
            tags=tags,
            language=language,
            scenes=scenes,
        )


def _warn_if_untranslated(language: str, text_language: str) -> None:
    # Limitation: the local writer narrates the creator's words as written
    # and cannot translate them, so asking for another language only labels
    # the script; the voice will be reading text in a language it may not know.
    if is_chinese(language) != is_chinese(text_language):
        logger.warning(
            "The local script writer cannot translate: the narration stays in "
            "%s although %s was asked for.",
            text_language,
            language,
        )


def _sections(content: Content) -> list[_Section]:
    """Group the content's paragraphs under their headings, dropping empty ones."""
    sections = [_Section(None)]
    for block in content.blocks:
        text = collapse_spaces(block.text)
        if not text:
            continue
        if block.kind == "heading":
            sections.append(_Section(text))
        else:
            sections[-1].paragraphs.append(split_sentences(text))

    sections = [section for section in sections if section.paragraphs]
    if not sections:
        raise InputError(
            "The content has no paragraphs to narrate. Add some text; "
            "headings alone are not read aloud."
        )
    return sections


def _scenes(
    sections: list[_Section], target: float, title: str, language: str
) -> list[SceneDraft]:
    planned = [(section, _pieces(section, target)) for section in sections]
    narrations = [_joined(p.sentences) for _, pieces in planned for p in pieces]
    keywords = iter(keywords_per_text(narrations, language, PROMPT_KEYWORDS))

    scenes: list[SceneDraft] = []
    for section, pieces in planned:
        for index, piece in enumerate(pieces):
            heading = None
            if index == 0:
                heading = section.heading or (title if not scenes else None)
            scenes.append(_scene(piece, heading, next(keywords), title))
    return scenes


def _scene(
    piece: _Piece, heading: str | None, keywords: list[str], title: str
) -> SceneDraft:
    narration = _joined(piece.sentences)
    on_screen = heading or _key_phrase(narration) or ", ".join(keywords)
    return SceneDraft(
        narration=narration,
        image_prompt=_image_prompt(keywords, title),
        on_screen_text=_trimmed(on_screen, ON_SCREEN_UNITS),
        section=heading,
        duration_estimate=round(max(piece.seconds, MIN_SCENE_SECONDS), 2),
    )


def _pieces(section: _Section, target: float) -> list[_Piece]:
    """Size a section's paragraphs into scenes of about ``target`` seconds."""
    units: list[_Piece] = []
    for sentences in section.paragraphs:
        units.extend(_split_paragraph(sentences, target))

    merged: list[_Piece] = []
    for unit in units:
        if merged and _may_merge(merged[-1], unit, target):
            merged[-1] = merged[-1] + unit
        else:
            merged.append(unit)
    return merged


def _may_merge(left: _Piece, right: _Piece, target: float) -> bool:
    together = left.seconds + right.seconds
    if together <= target:
        return True
    # A scene of a few seconds flashes by; it may stretch its neighbour.
    short = min(left.seconds, right.seconds) < target * SHORT_SCENE_SHARE
    return short and together <= target * MAX_SCENE_SHARE


def _split_paragraph(sentences: list[str], target: float) -> list[_Piece]:
    """Split a long paragraph between sentences into parts of similar length."""
    seconds = [estimate_seconds(sentence) for sentence in sentences]
    total = sum(seconds)
    limit = target * MAX_SCENE_SHARE
    if total <= limit:
        return [_Piece(sentences, total)]

    parts = max(2, round(total / target))
    pieces: list[_Piece] = []
    current = _Piece([], 0.0)
    done = 0.0
    for sentence, length in zip(sentences, seconds, strict=True):
        # Cut where this sentence's middle passes the next even share, or
        # where it would push the part past the limit.
        share = total * (len(pieces) + 1) / parts
        past_share = len(pieces) < parts - 1 and done + length / 2 > share
        if current.sentences and (past_share or current.seconds + length > limit):
            pieces.append(current)
            current = _Piece([], 0.0)
        current = current + _Piece([sentence], length)
        done += length
    pieces.append(current)
    return pieces


def _joined(sentences: list[str]) -> str:
    """Join sentences with a space, except between two Chinese ones."""
    text = ""
    for sentence in sentences:
        if text and not (_cjk_edge(text[-1]) and _cjk_edge(sentence[0])):
            text += " "
        text += sentence
    return text


def _cjk_edge(char: str) -> bool:
    return is_cjk(char) or is_cjk_punctuation(char)


def _key_phrase(narration: str) -> str:
    """The scene's first clause, if it fits on screen whole; else ''."""
    phrase = split_phrases(narration, ON_SCREEN_UNITS)[0]
    whole = phrase == split_sentences(narration)[0] or phrase[-1] in _CLAUSE_END
    return phrase.rstrip(_TRAILING_PAUSE) if whole else ""


def _image_prompt(keywords: list[str], title: str) -> str:
    subject = f"Illustration of {', '.join(keywords)}" if keywords else "Illustration"
    return f"{subject}: {title}, {IMAGE_STYLE}"


def _title(content: Content, sections: list[_Section]) -> str:
    """The content's title, else its first heading, else its first sentence."""
    given = collapse_spaces(content.title or "")
    if not given:
        headings = (b.text for b in content.blocks if b.kind == "heading")
        given = next((t for t in map(collapse_spaces, headings) if t), "")
    if given:
        return _trimmed(given, MAX_TITLE_UNITS)
    first = sections[0].paragraphs[0][0]
    return _trimmed(first.rstrip(_TRAILING_PAUSE), TITLE_UNITS)


def _summary(sections: list[_Section]) -> str:
    """The first sentence or two of the content, for the description."""
    sentences = sections[0].paragraphs[0][:SUMMARY_SENTENCES]
    summary = sentences[0]
    for sentence in sentences[1:]:
        longer = _joined([summary, sentence])
        if len(longer) <= SUMMARY_CHARS:
            summary = longer
    return summary


def _tags(content: Content, language: str, title: str) -> list[str]:
    """Keywords of the whole content, within YouTube's limits on tags."""
    candidates = extract_keywords(content.text, language, MAX_TAGS)
    if len(candidates) < MIN_TAGS:
        # Short content has few keywords; its title and headings name it too.
        headings = [b.text for b in content.blocks if b.kind == "heading"]
        candidates += [title, *map(collapse_spaces, headings)]

    tags: list[str] = []
    seen: set[str] = set()
    total = 0
    for tag in candidates:
        # YouTube counts the quotes it puts around a tag that has a space.
        size = len(tag) + (2 if " " in tag else 0) + (1 if tags else 0)
        usable = tag and len(tag) <= MAX_TAG_CHARS and not set(tag) & set("<>,")
        if not usable or tag.casefold() in seen:
            continue
        if len(tags) == MAX_TAGS or total + size > MAX_TAGS_TOTAL_CHARS:
            break
        tags.append(tag)
        seen.add(tag.casefold())
        total += size
    return tags


def _trimmed(text: str, max_units: float) -> str:
    """Shorten ``text`` to ``max_units`` at a word boundary, marking the cut."""
    if display_units(text) <= max_units:
        return text
    kept = ""
    for token in tokenize(text):
        if display_units((kept + token).rstrip()) > max_units - 1:
            break
        kept += token
    if not kept:  # one unbroken word longer than the limit
        kept = text[: int(max_units) - 1]
    return kept.rstrip() + "…"
