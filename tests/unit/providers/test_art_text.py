"""Sizing, breaking and placing a key phrase on an art card."""

from __future__ import annotations

import subprocess

import pytest

from core.fonts import font_for
from core.providers.art_text import (
    ELLIPSIS,
    KEN_BURNS_ZOOM,
    SUBTITLE_BAND,
    Box,
    layout_text,
    load_font,
    safe_area,
    wrap,
)
from core.text import NO_LINE_START


def _system_has_chinese_font() -> bool:
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=zh-tw", "file"], capture_output=True, text=True
        )
    except OSError:
        return False
    return bool(listing.stdout.strip())


needs_chinese_font = pytest.mark.skipif(
    not _system_has_chinese_font(),
    reason="no Chinese font installed (Debian: apt-get install fonts-noto-cjk)",
)

LONG_CHINESE = (
    "從士林到饒河街，每一個夜市都有自己的招牌小吃、故事和一群從小吃到大的老顧客。"
)


def _visible_windows(width: int, height: int) -> list[Box]:
    """What the viewer sees at full zoom, panned against each corner."""
    seen_w, seen_h = width / KEN_BURNS_ZOOM, height / KEN_BURNS_ZOOM
    return [
        Box(round(x), round(y), round(x + seen_w), round(y + seen_h))
        for x in (0, width - seen_w)
        for y in (0, height - seen_h)
    ]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_safe_area_stays_in_view_through_zoom_and_above_the_subtitles(size):
    area = safe_area(*size)

    for window in _visible_windows(*size):
        assert window.contains(area)
        subtitles_top = window.top + window.height * (1 - SUBTITLE_BAND)
        assert area.bottom <= subtitles_top
    assert area.width > size[0] * 0.6


@needs_chinese_font
def test_a_long_chinese_phrase_wraps_inside_the_safe_area():
    area = safe_area(1920, 1080)

    layout = layout_text(
        LONG_CHINESE, font_for("zh-Hant", bold=True), area, max_size=140, min_size=48
    )

    assert layout is not None
    assert len(layout.lines) >= 2
    assert area.contains(layout.box)
    # Nothing lost, and no spaces slipped in between the characters.
    assert "".join(layout.lines) == LONG_CHINESE


@needs_chinese_font
def test_no_chinese_line_starts_with_closing_punctuation():
    font = load_font(font_for("zh-Hant"), 60)

    for width in range(300, 1200, 37):
        lines = wrap(LONG_CHINESE, font, width)
        assert all(line[0] not in NO_LINE_START for line in lines), lines


@needs_chinese_font
def test_chinese_lines_break_after_clause_punctuation_when_they_can():
    font = load_font(font_for("zh-Hant"), 100)

    lines = wrap("台灣夜市：吃一圈就飽了", font, 1000)

    assert lines == ["台灣夜市：", "吃一圈就飽了"]


def test_english_lines_break_between_whole_words_and_stay_balanced():
    font = load_font(font_for("en"), 60)
    phrase = "The secret life of honeybees in a city garden"

    lines = wrap(phrase, font, 900)

    assert " ".join(lines) == phrase
    widths = [font.getlength(line) for line in lines]
    assert max(widths) <= 900
    assert min(widths) > 0.6 * max(widths)


def test_a_word_longer_than_a_line_is_broken_rather_than_overflowing():
    font = load_font(font_for("en"), 60)

    lines = wrap("Pneumonoultramicroscopicsilicovolcanoconiosis", font, 400)

    assert len(lines) > 1
    assert all(font.getlength(line) <= 400 for line in lines)


def test_a_phrase_too_long_even_at_the_smallest_size_ends_with_an_ellipsis():
    area = Box(0, 0, 600, 300)
    phrase = " ".join(["honey"] * 200)

    layout = layout_text(phrase, font_for("en"), area, max_size=60, min_size=30)

    assert layout is not None
    assert layout.font.size == 30
    assert layout.lines[-1].endswith(ELLIPSIS)
    assert area.contains(layout.box)


def test_a_short_phrase_is_set_at_the_largest_size_on_one_line():
    area = safe_area(1920, 1080)

    layout = layout_text("Honey", font_for("en"), area, max_size=140, min_size=48)

    assert layout is not None
    assert layout.lines == ("Honey",)
    assert layout.font.size == 140


def test_blank_text_has_no_layout():
    area = safe_area(640, 360)

    assert layout_text("  ", font_for("en"), area, max_size=40, min_size=12) is None
