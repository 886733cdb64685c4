"""YouTube chapter lines and descriptions built from section start times."""

import random

import pytest

from core.script.chapters import (
    MIN_CHAPTER_SECONDS,
    chapters,
    describe,
    sections_from_scenes,
    timestamp,
)
from core.script.model import SceneDraft


def seconds_of(line: str) -> int:
    stamp = line.split(" ", 1)[0]
    total = 0
    for part in stamp.split(":"):
        total = total * 60 + int(part)
    return total


def test_chapter_lines_start_at_zero_and_read_minutes_and_seconds():
    lines = chapters([("Intro", 0.0), ("Middle", 65.4), ("End", 130.9)])

    assert lines == ["00:00 Intro", "01:05 Middle", "02:10 End"]


def test_timestamps_past_an_hour_show_hours():
    assert timestamp(3600 + 62.7) == "1:01:02"
    assert timestamp(59.99) == "00:59"


def test_fewer_than_three_chapters_give_no_chapters():
    assert chapters([("Intro", 0.0), ("End", 60.0)]) == []
    assert chapters([]) == []


def test_the_first_chapter_is_moved_to_zero():
    lines = chapters([("Intro", 4.0), ("Middle", 30.0), ("End", 60.0)])

    assert lines[0] == "00:00 Intro"


def test_a_short_chapter_joins_the_one_before_it():
    sections = [("A", 0.0), ("B", 30.0), ("C", 33.0), ("D", 60.0), ("E", 90.0)]

    assert chapters(sections) == ["00:00 A", "00:33 C", "01:00 D", "01:30 E"]


def test_a_short_first_chapter_absorbs_the_next_one():
    sections = [("Title", 0.0), ("One", 5.0), ("Two", 30.0), ("Three", 60.0)]

    assert chapters(sections) == ["00:00 Title", "00:30 Two", "01:00 Three"]


def test_a_short_last_chapter_is_merged_when_the_video_length_is_known():
    sections = [("A", 0.0), ("B", 20.0), ("C", 40.0), ("D", 55.0)]

    assert len(chapters(sections)) == 4
    assert chapters(sections, end=60.0) == ["00:00 A", "00:20 B", "00:40 C"]


def test_merging_that_leaves_fewer_than_three_chapters_gives_none():
    assert chapters([("A", 0.0), ("B", 30.0), ("C", 35.0)]) == []


@pytest.mark.parametrize("seed", range(20))
def test_chapters_always_follow_youtube_rules(seed):
    rng = random.Random(seed)
    starts = sorted(rng.uniform(0, 200) for _ in range(rng.randint(0, 12)))
    end = (starts[-1] if starts else 0) + rng.uniform(0, 30)

    lines = chapters([(f"Part {i}", s) for i, s in enumerate(starts)], end=end)

    if lines:
        times = [seconds_of(line) for line in lines]
        assert times[0] == 0
        assert len(lines) >= 3
        lengths = [b - a for a, b in zip(times, [*times[1:], end], strict=True)]
        assert min(lengths) >= MIN_CHAPTER_SECONDS


def test_chapter_headings_are_kept_on_one_line():
    lines = chapters([("Intro\nline", 0.0), ("B", 20.0), ("C", 40.0)])

    assert lines[0] == "00:00 Intro line"


def test_describe_puts_the_summary_then_chapters_then_hashtags():
    sections = [("Intro", 0.0), ("Middle", 20.0), ("End", 40.0)]

    text = describe("Bees make honey.", sections, ["honey", "house bee", "wax", "x"])

    assert text == (
        "Bees make honey.\n\n"
        "00:00 Intro\n00:20 Middle\n00:40 End\n\n"
        "#honey #housebee #wax"
    )


def test_describe_without_chapters_is_just_the_summary():
    assert describe("  Short video.  ", [("Only", 0.0)]) == "Short video."


def test_describe_keeps_a_long_chinese_summary_within_5000_bytes():
    sections = [("開始", 0.0), ("中間", 20.0), ("結束", 40.0)]

    text = describe("蜜蜂釀蜜。" * 800, sections)

    assert len(text.encode("utf-8")) <= 5000
    assert text.endswith("00:00 開始\n00:20 中間\n00:40 結束")


def test_describe_replaces_angle_brackets_youtube_refuses():
    text = describe("Use <b>bold</b> text.", [])

    assert "<" not in text and ">" not in text
    assert "bold" in text


def test_sections_come_from_scenes_that_open_a_section():
    scenes = [
        SceneDraft(narration="a", image_prompt="p", section="Intro"),
        SceneDraft(narration="b", image_prompt="p"),
        SceneDraft(narration="c", image_prompt="p", section="Next"),
    ]

    assert sections_from_scenes(scenes, [0.0, 12.5, 30.25]) == [
        ("Intro", 0.0),
        ("Next", 30.25),
    ]
