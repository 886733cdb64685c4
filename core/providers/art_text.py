"""Setting a scene's key phrase on an art card: size, line breaks, placement.

The phrase is set as large as fits inside the card's safe area: the part of
the frame that stays visible through the renderer's Ken Burns zoom and pan
and stays clear of the subtitle band at the bottom. Lines break only where
:func:`core.text.tokenize` allows (between words, or between CJK characters
with the kinsoku rules kept), are measured with the font itself, and are
evened out so a phrase never ends on a lonely character. A soft scrim and a
blurred shadow keep the text readable on any background.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from core.fonts import FontChoice
from core.text import tokenize

# The renderer zooms stills by up to this much while panning to any corner.
KEN_BURNS_ZOOM = 1.12
# Bottom share of the visible frame kept free for subtitles.
SUBTITLE_BAND = 0.22
# Extra margin inside the safe area, as a share of each side.
BREATHING_ROOM = 0.03

LINE_SPACING = 1.25  # line pitch as a multiple of the font size
ELLIPSIS = "…"
# Costs of a line break: every extra line costs far more than any unevenness,
# so the fewest lines always win; a break inside a CJK run costs the most.
_LINE_COST = 100.0
_WORD_BREAK = 0.05
_CHARACTER_BREAK = 0.25
_CLAUSE_ENDS = set(",.;:!?，。、；：！？」』）》…—")
_SHRINK = 0.9  # each try at fitting uses a font this much smaller
_SCRIM_SCALE = 4  # the scrim is soft, so it is drawn this many times smaller


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels; right and bottom are exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def contains(self, other: Box) -> bool:
        return (
            self.left <= other.left
            and self.top <= other.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


@dataclass(frozen=True)
class TextLayout:
    """Lines of text, the font to draw them with, and where they go."""

    font: ImageFont.FreeTypeFont
    lines: tuple[str, ...]
    centres: tuple[tuple[float, float], ...]  # middle of each line
    box: Box  # the union of the lines' ink


def safe_area(width: int, height: int) -> Box:
    """The part of a card that stays in view and clear of subtitles.

    At full zoom the viewer sees ``1 / KEN_BURNS_ZOOM`` of each side, and a
    pan may push that window against any edge, so text keeps a margin of
    the hidden share on every side. The subtitle band is measured from the
    bottom of the highest window.
    """
    hidden = 1.0 - 1.0 / KEN_BURNS_ZOOM
    side = hidden + BREATHING_ROOM
    lowest_text = (1.0 - hidden) * (1.0 - SUBTITLE_BAND) - BREATHING_ROOM
    return Box(
        round(width * side),
        round(height * side),
        round(width * (1.0 - side)),
        round(height * lowest_text),
    )


def layout_text(
    text: str, choice: FontChoice, area: Box, *, max_size: int, min_size: int
) -> TextLayout | None:
    """Fit ``text`` into ``area`` at the largest size from ``max_size`` down.

    At ``min_size`` a phrase still too long is cut and ends with an
    ellipsis. Returns None when there is nothing to draw.
    """
    if not text.strip():
        return None
    size = max_size
    while True:
        font = load_font(choice, size)
        lines = wrap(text, font, area.width)
        if len(lines) <= _lines_that_fit(size, area) or size <= min_size:
            break
        size = max(min_size, math.floor(size * _SHRINK))

    room = max(1, _lines_that_fit(size, area))
    if len(lines) > room:
        lines = lines[: room - 1] + [_with_ellipsis(lines[room - 1], font, area.width)]
    return _place(font, lines, area)


def load_font(choice: FontChoice, size: int) -> ImageFont.FreeTypeFont:
    """Open the chosen font at ``size`` pixels."""
    return ImageFont.truetype(str(choice.path), size, index=choice.index)


def wrap(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Break ``text`` into as few lines as fit ``max_width``, evenly filled.

    Among the ways to reach that fewest count, the one with the most even
    lines wins, preferring breaks after clause punctuation, then between
    words, and least of all between two CJK characters.
    """
    tokens = _fitting_tokens(tokenize(text), font, max_width)
    full = [font.getlength(token) for token in tokens]
    bare = [font.getlength(token.rstrip()) for token in tokens]
    penalties = [_break_penalty(token) for token in tokens]
    came_from = _cheapest_breaks(full, bare, penalties, max_width)

    lines: list[str] = []
    end = len(tokens)
    while end > 0:
        lines.append("".join(tokens[came_from[end] : end]).strip())
        end = came_from[end]
    return lines[::-1]


def _cheapest_breaks(
    full: list[float], bare: list[float], penalties: list[float], max_width: float
) -> list[int]:
    """For each token count, where the last line of its cheapest setting starts.

    A line's width counts its last token without the trailing space; the
    cost of a line is its share of unused width, squared, which favours
    even lines over one full line and a short one.
    """
    starts = [0.0]
    for width in full:
        starts.append(starts[-1] + width)
    best = [0.0] + [math.inf] * len(full)
    came_from = [0] * (len(full) + 1)

    for end in range(1, len(full) + 1):
        for start in range(end - 1, -1, -1):
            width = starts[end - 1] - starts[start] + bare[end - 1]
            if width > max_width and start < end - 1:
                break
            slack = (max_width - width) / max_width
            cost = best[start] + _LINE_COST + slack * slack
            if end < len(full):
                cost += penalties[end - 1]
            if cost < best[end]:
                best[end], came_from[end] = cost, start
    return came_from


def _break_penalty(token: str) -> float:
    """How much a line ending after ``token`` hurts reading."""
    stripped = token.rstrip()
    if stripped and stripped[-1] in _CLAUSE_ENDS:
        return 0.0
    if token != stripped:
        return _WORD_BREAK
    return _CHARACTER_BREAK


def draw_text(
    card: Image.Image, layout: TextLayout, *, ink: str, shade: str, accent: str
) -> Image.Image:
    """Draw the laid-out text on ``card`` over a scrim and a soft shadow."""
    size = layout.font.size
    card = _composite(card, shade, _scrim_mask(card.size, layout.box, size), 0.42)
    card = _composite(card, shade, _shadow_mask(card.size, layout), 0.7)

    draw = ImageDraw.Draw(card)
    for line, centre in zip(layout.lines, layout.centres, strict=True):
        draw.text(centre, line, font=layout.font, fill=ink, anchor="mm")
    draw.rounded_rectangle(_accent_bar(layout), radius=size, fill=accent)
    return card


def _fitting_tokens(
    tokens: list[str], font: ImageFont.FreeTypeFont, max_width: float
) -> list[str]:
    """Split any token wider than a line into single characters."""
    fitting: list[str] = []
    for token in tokens:
        if font.getlength(token.rstrip()) <= max_width:
            fitting.append(token)
        else:
            fitting.extend(token)
    return fitting


def _line_pitch(size: float) -> float:
    return size * LINE_SPACING


def _block_height(size: float, lines: int) -> float:
    """Height of the lines plus the accent bar under them."""
    return _line_pitch(size) * lines + size * 0.5


def _lines_that_fit(size: float, area: Box) -> int:
    lines = 0
    while _block_height(size, lines + 1) <= area.height:
        lines += 1
    return lines


def _with_ellipsis(line: str, font: ImageFont.FreeTypeFont, max_width: float) -> str:
    while line and font.getlength(line + ELLIPSIS) > max_width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def _place(font: ImageFont.FreeTypeFont, lines: list[str], area: Box) -> TextLayout:
    """Centre each line's ink, not its advance: a trailing full-width colon
    or comma is mostly blank and would pull its line off centre."""
    size = font.size
    pitch = _line_pitch(size)
    middle_x = (area.left + area.right) / 2
    first_y = (area.top + area.bottom) / 2 - _block_height(size, len(lines)) / 2

    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    centres: list[tuple[float, float]] = []
    edges: list[tuple[float, float, float, float]] = []
    for index, line in enumerate(lines):
        ink_left, ink_right = _ink_extent(font, line)
        centre = (
            middle_x - (ink_left + ink_right) / 2,
            first_y + pitch * (index + 0.5),
        )
        _, top, _, bottom = probe.textbbox(centre, line, font=font, anchor="mm")
        centres.append(centre)
        edges.append((centre[0] + ink_left, top, centre[0] + ink_right, bottom))

    ink = Box(
        math.floor(min(edge[0] for edge in edges)),
        math.floor(min(edge[1] for edge in edges)),
        math.ceil(max(edge[2] for edge in edges)),
        math.ceil(max(edge[3] for edge in edges)),
    )
    return TextLayout(font, tuple(lines), tuple(centres), ink)


def _ink_extent(font: ImageFont.FreeTypeFont, line: str) -> tuple[float, float]:
    """Left and right of the drawn ink, from a line centred at x = 0."""
    left, top, right, bottom = font.getbbox(line, anchor="mm")
    pad = math.ceil(font.size / 2)
    canvas = Image.new(
        "L", (math.ceil(right - left) + 2 * pad, math.ceil(bottom - top))
    )
    origin = (pad - left, -top)
    ImageDraw.Draw(canvas).text(origin, line, font=font, fill=255, anchor="mm")
    drawn = canvas.getbbox()
    if drawn is None:
        return left, right
    return drawn[0] - origin[0], drawn[2] - origin[0]


def _accent_bar(layout: TextLayout) -> tuple[float, float, float, float]:
    size = layout.font.size
    centre_x = (layout.box.left + layout.box.right) / 2
    top = layout.centres[-1][1] + _line_pitch(size) / 2 + size * 0.2
    return (centre_x - size * 0.8, top, centre_x + size * 0.8, top + size * 0.08)


def _scrim_mask(card_size: tuple[int, int], box: Box, size: float) -> Image.Image:
    """A soft-edged dark patch behind the text, drawn small and scaled up."""
    small = (max(1, card_size[0] // _SCRIM_SCALE), max(1, card_size[1] // _SCRIM_SCALE))
    mask = Image.new("L", small)
    pad_x, pad_y = size * 0.9, size * 0.6
    corners = [
        (box.left - pad_x) / _SCRIM_SCALE,
        (box.top - pad_y) / _SCRIM_SCALE,
        (box.right + pad_x) / _SCRIM_SCALE,
        (box.bottom + pad_y) / _SCRIM_SCALE,
    ]
    ImageDraw.Draw(mask).rounded_rectangle(corners, radius=size / 2, fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(size * 0.5 / _SCRIM_SCALE))
    return mask.resize(card_size, Image.Resampling.BILINEAR)


def _shadow_mask(card_size: tuple[int, int], layout: TextLayout) -> Image.Image:
    size = layout.font.size
    mask = Image.new("L", card_size)
    draw = ImageDraw.Draw(mask)
    drop = size * 0.04
    for line, (x, y) in zip(layout.lines, layout.centres, strict=True):
        draw.text((x, y + drop), line, font=layout.font, fill=255, anchor="mm")
    return mask.filter(ImageFilter.GaussianBlur(max(1.0, size * 0.07)))


def _composite(
    card: Image.Image, colour: str, mask: Image.Image, opacity: float
) -> Image.Image:
    mask = mask.point(lambda level: round(level * opacity))
    return Image.composite(Image.new("RGB", card.size, colour), card, mask)
