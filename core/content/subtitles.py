"""Read an SRT subtitle file as prose: cue texts joined into paragraphs.

A talk's subtitles become a script by dropping the timings and styling and
joining the cues back into paragraphs. A pause of more than two seconds
between cues starts a new paragraph, and so does a finished sentence once a
paragraph holds five cues (at the latest, eight). Cues that only describe
sounds, like ``[MUSIC]`` or ``♪``, are left out. Only SRT's own styling
(``<i>``, ``<font ...>``, ``{\\an8}``-style codes) is removed; any other
text, brackets and braces included, is kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.content.blocks import Extracted, paragraph
from core.content.model import Block
from core.text import collapse_spaces

_TIMING = re.compile(
    r"(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*-->\s*"
    r"(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
)
_STYLE_TAG = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^<>]*)?>", re.IGNORECASE)
_OVERRIDE_CODE = re.compile(r"\{\\[^{}]*\}")
_SOUND_ONLY = re.compile(r"^(?:\[[^\]]*\]|\([^)]*\)|[♪♫#\s])+$")
_SENTENCE_ENDINGS = tuple(".!?…。！？")
_CLOSERS = "\"'”’」』)）"

PAUSE_SECONDS = 2.0  # a longer silence between cues starts a new paragraph
CUES_PER_PARAGRAPH = 5
MAX_CUES_PER_PARAGRAPH = 8


@dataclass(frozen=True)
class Cue:
    """One subtitle: when it shows, in seconds, and its plain text."""

    start: float
    end: float
    text: str


def read_srt(text: str) -> Extracted:
    """Join the cues of an SRT file into paragraphs."""
    cues = [cue for cue in parse_cues(text) if not _SOUND_ONLY.match(cue.text)]
    return Extracted(_paragraphs(_without_repeats(cues)))


def parse_cues(text: str) -> list[Cue]:
    """The cues of an SRT file, in file order, with styling removed.

    A cue's text runs from its timing line to the next blank line; a block
    with no timing line (a stray blank line inside a cue) continues the
    previous cue. Numbering lines are ignored, as players do.
    """
    cues: list[Cue] = []
    for chunk in re.split(r"\n[ \t]*\n", text.strip()):
        lines = chunk.split("\n")
        found = _find_timing(lines)
        if found is None:
            if cues:
                last = cues[-1]
                cues[-1] = Cue(last.start, last.end, _join(last.text, _clean(lines)))
            continue
        index, timing = found
        parts = timing.groups()
        start, end = _seconds(*parts[:4]), _seconds(*parts[4:])
        cues.append(Cue(start, end, _clean(lines[index + 1 :])))
    return [cue for cue in cues if cue.text]


def _find_timing(lines: list[str]) -> tuple[int, re.Match[str]] | None:
    for index, line in enumerate(lines):
        timing = _TIMING.search(line)
        if timing:
            return index, timing
    return None


def _seconds(hours: str, minutes: str, seconds: str, fraction: str) -> float:
    # The fraction is read as decimals: ",5" is half a second, not 5 ms.
    return int(hours) * 3600 + int(minutes) * 60 + float(f"{seconds}.{fraction}")


def _clean(lines: list[str]) -> str:
    text = "\n".join(lines)
    text = _OVERRIDE_CODE.sub("", _STYLE_TAG.sub("", text))
    return collapse_spaces(text)


def _join(left: str, right: str) -> str:
    return collapse_spaces(f"{left}\n{right}")


def _without_repeats(cues: list[Cue]) -> list[Cue]:
    """Drop a cue that repeats the one before it, as rolling captions do."""
    kept: list[Cue] = []
    for cue in cues:
        if kept and kept[-1].text == cue.text:
            kept[-1] = Cue(kept[-1].start, cue.end, cue.text)
        else:
            kept.append(cue)
    return kept


def _paragraphs(cues: list[Cue]) -> list[Block]:
    blocks: list[Block] = []
    current: list[Cue] = []
    for cue in cues:
        if current and _starts_paragraph(current, cue):
            blocks.append(paragraph("\n".join(c.text for c in current)))
            current = []
        current.append(cue)
    if current:
        blocks.append(paragraph("\n".join(c.text for c in current)))
    return blocks


def _starts_paragraph(current: list[Cue], cue: Cue) -> bool:
    if cue.start - current[-1].end > PAUSE_SECONDS:
        return True
    if len(current) >= MAX_CUES_PER_PARAGRAPH:
        return True
    finished = current[-1].text.rstrip(_CLOSERS).endswith(_SENTENCE_ENDINGS)
    return len(current) >= CUES_PER_PARAGRAPH and finished
