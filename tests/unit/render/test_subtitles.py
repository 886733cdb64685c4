from pathlib import Path

import pysubs2

from core.providers.base import Phrase
from core.render.subtitles import (
    WORD_JOINER,
    Cue,
    SubtitleStyle,
    cues_from_phrases,
    escape_ass,
    wrap,
    write_ass,
    write_srt,
)
from core.text import display_units

HOSTILE = r"""Quote " ' colon: back\slash [brackets] %{pts} {\an8} \N end"""


def test_latin_text_breaks_between_words_into_balanced_lines():
    cues = wrap("The house bee chews it for about half an hour, adding enzymes", 40)
    assert len(cues) == 1
    first, second = cues[0]
    assert abs(display_units(first) - display_units(second)) < 15
    assert (
        " ".join(cues[0])
        == "The house bee chews it for about half an hour, adding enzymes"
    )


def test_chinese_text_breaks_between_characters_never_before_closing_punctuation():
    text = (
        "老闆們先把瓦斯、油鍋和食材準備好。賣蚵仔煎的阿姨說，她每天下午兩點就到市場。"
    )
    cues = wrap(text, 20)
    lines = [line for cue in cues for line in cue]
    assert "".join(lines) == text
    assert all(" " not in line for line in lines)
    assert all(line[0] not in "，。、」" for line in lines)
    assert all(display_units(line) <= 20 for line in lines)
    assert all(len(cue) <= 2 for cue in cues)


def test_a_phrase_longer_than_one_cue_shares_its_time_in_order():
    phrase = Phrase("word " * 40, 1.0, 9.0)
    cues = cues_from_phrases([phrase], offset=10.0, max_units=30)
    assert len(cues) > 1
    assert cues[0].start == 11.0
    assert abs(cues[-1].end - 19.0) < 1e-9
    for before, after in zip(cues, cues[1:], strict=False):
        assert abs(before.end - after.start) < 1e-9


def test_ass_escaping_keeps_braces_and_backslash_codes_literal():
    escaped = escape_ass(HOSTILE)
    assert "{" not in escaped.replace(r"\{", "")
    assert "}" not in escaped.replace(r"\}", "")
    assert "\\" + WORD_JOINER + "N" in escaped
    assert "%" in escaped and '"' in escaped and "[brackets]" in escaped


def test_ass_file_carries_the_frame_size_font_and_escaped_text(tmp_path: Path):
    style = SubtitleStyle.for_frame(1920, 1080, "Noto Sans CJK TC")
    cue = Cue(0.5, 2.0, ("夜市 {\\an8}", "second"))
    write_ass([cue], style, tmp_path / "s.ass")
    document = pysubs2.load(str(tmp_path / "s.ass"))
    assert document.info["PlayResX"] == "1920"
    assert document.styles["Default"].fontname == "Noto Sans CJK TC"
    event = document.events[0]
    assert (event.start, event.end) == (500, 2000)
    assert event.text == "夜市 \\{\\an8\\}\\Nsecond"


def test_srt_keeps_hostile_text_exactly(tmp_path: Path):
    write_srt(
        [Cue(0, 1.5, (HOSTILE,)), Cue(61.25, 3723.5, ("夜市",))], tmp_path / "a.srt"
    )
    text = (tmp_path / "a.srt").read_text(encoding="utf-8")
    assert HOSTILE in text
    assert "00:01:01,250 --> 01:02:03,500" in text
    assert text.startswith("1\n00:00:00,000 --> 00:00:01,500\n")


def test_shorts_subtitles_sit_higher_and_wrap_narrower_than_landscape():
    landscape = SubtitleStyle.for_frame(1920, 1080, "F")
    shorts = SubtitleStyle.for_frame(1080, 1920, "F")
    assert shorts.margin_bottom > landscape.margin_bottom * 2
    assert shorts.line_units < landscape.line_units
