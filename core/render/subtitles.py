"""Subtitles that follow the voice: cues, line breaking, ASS and SRT files.

Cues come from the narration's phrase timings. Lines break between words in
Latin text and between characters in Chinese (never before closing or after
opening punctuation), and two lines are balanced so neither is a stub. The
creator's text must appear literally, so ASS's override syntax is escaped
rather than trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pysubs2

from core.providers.base import Phrase
from core.storage import write_text_atomic
from core.text import display_units, speech_weight, tokenize

WORD_JOINER = "\u2060"  # invisible; stops libass reading "\N" as a line break


@dataclass(frozen=True)
class Cue:
    start: float  # seconds from the start of the video
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class SubtitleStyle:
    """Sizes in pixels of the output frame."""

    width: int
    height: int
    font_family: str
    font_size: int
    margin_bottom: int
    line_units: float  # how wide one line may be, in Latin-character units

    @classmethod
    def for_frame(cls, width: int, height: int, font_family: str) -> SubtitleStyle:
        font_size = round(min(width, height) * 0.052)
        portrait = height > width
        # Shorts put their own buttons over the lower fifth of the frame.
        margin = round(height * (0.24 if portrait else 0.07))
        # A Latin character is about half the font size wide on average.
        line_units = (width * 0.86) / (font_size * 0.52)
        return cls(width, height, font_family, font_size, margin, line_units)


def wrap(text: str, max_units: float, max_lines: int = 2) -> list[list[str]]:
    """Break ``text`` into cues of at most ``max_lines`` balanced lines."""
    tokens = tokenize(text)
    lines = _greedy_lines(tokens, max_units)
    cues: list[list[str]] = []
    for index in range(0, len(lines), max_lines):
        group = lines[index : index + max_lines]
        if len(group) == 2:
            group = _balance("".join(group), max_units)
        cues.append([line.strip() for line in group])
    return cues


def _greedy_lines(tokens: list[str], max_units: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in tokens:
        if current and display_units((current + token).strip()) > max_units:
            lines.append(current)
            current = token
        else:
            current += token
    if current.strip():
        lines.append(current)
    return lines


def _balance(text: str, max_units: float) -> list[str]:
    """Split two lines' worth of text at the point that evens their widths."""
    tokens = tokenize(text)
    best: tuple[float, int] | None = None
    for cut in range(1, len(tokens)):
        left = display_units("".join(tokens[:cut]).strip())
        right = display_units("".join(tokens[cut:]).strip())
        if left <= max_units and right <= max_units:
            score = max(left, right)
            if best is None or score < best[0]:
                best = (score, cut)
    if best is None:
        return _greedy_lines(tokens, max_units)
    return ["".join(tokens[: best[1]]), "".join(tokens[best[1] :])]


def cues_from_phrases(
    phrases: list[Phrase], offset: float, max_units: float
) -> list[Cue]:
    """Cues for one scene's phrases, shifted to the scene's ``offset``.

    A phrase too long for one cue is shared between several, each given a
    part of the phrase's time in proportion to how long its words take to say.
    """
    cues: list[Cue] = []
    for phrase in phrases:
        groups = wrap(phrase.text, max_units)
        weights = [speech_weight("".join(group)) for group in groups]
        total, start = sum(weights), phrase.start
        for group, weight in zip(groups, weights, strict=True):
            end = start + (phrase.end - phrase.start) * weight / total
            cues.append(Cue(offset + start, offset + end, tuple(group)))
            start = end
    return cues


def escape_ass(text: str) -> str:
    """Make ``text`` show literally in ASS: braces and backslash codes."""
    out: list[str] = []
    for index, char in enumerate(text):
        following = text[index + 1 : index + 2]
        if char == "\\" and following in ("N", "n", "h", "{", "}", "\\", ""):
            out.append("\\" + WORD_JOINER)
        elif char in "{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def write_ass(cues: list[Cue], style: SubtitleStyle, path: Path) -> None:
    document = pysubs2.SSAFile()
    document.info.update(
        {"PlayResX": str(style.width), "PlayResY": str(style.height), "WrapStyle": "2"}
    )
    document.styles["Default"] = pysubs2.SSAStyle(
        fontname=style.font_family,
        fontsize=style.font_size,
        primarycolor=pysubs2.Color(255, 255, 255, 0),
        outlinecolor=pysubs2.Color(0, 0, 0, 40),
        backcolor=pysubs2.Color(0, 0, 0, 128),
        bold=True,
        outline=max(2, style.font_size // 16),
        shadow=max(1, style.font_size // 30),
        alignment=pysubs2.Alignment.BOTTOM_CENTER,
        marginv=style.margin_bottom,
        marginl=round(style.width * 0.05),
        marginr=round(style.width * 0.05),
    )
    for cue in cues:
        text = r"\N".join(escape_ass(line) for line in cue.lines)
        document.events.append(
            pysubs2.SSAEvent(start=_ms(cue.start), end=_ms(cue.end), text=text)
        )
    write_text_atomic(path, document.to_string("ass"))


def write_srt(cues: list[Cue], path: Path) -> None:
    """Plain SRT for YouTube's caption upload.

    Written directly: a library conversion would strip anything that looks
    like an override tag, and the creator's braces must survive.
    """
    blocks = [
        f"{number}\n{_srt_time(cue.start)} --> {_srt_time(cue.end)}\n{cue.text}\n"
        for number, cue in enumerate(cues, start=1)
    ]
    write_text_atomic(path, "\n".join(blocks))


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _srt_time(seconds: float) -> str:
    total_ms = _ms(seconds)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02}:{minutes:02}:{secs:02},{millis:03}"
