"""Reading plain text: paragraphs from the layout, a title from the first line."""

from core.content.model import Block
from core.content.plain import read_plain


def test_blank_lines_separate_paragraphs_and_wrapped_lines_join():
    found = read_plain("One line\nwrapped here.\n\nSecond paragraph.\n").blocks
    assert found == [
        Block("paragraph", "One line wrapped here."),
        Block("paragraph", "Second paragraph."),
    ]


def test_a_short_first_line_set_apart_without_punctuation_is_the_title():
    found = read_plain("Three Remote Habits\n\nFirst, start on time.").blocks
    assert found == [
        Block("heading", "Three Remote Habits", 1),
        Block("paragraph", "First, start on time."),
    ]


def test_a_first_line_that_is_a_sentence_is_not_a_title():
    found = read_plain("Three habits make work easier.\n\nFirst, start on time.")
    assert [block.kind for block in found.blocks] == ["paragraph", "paragraph"]


def test_a_first_line_that_runs_on_into_the_paragraph_is_not_a_title():
    found = read_plain("A short opening\nthat keeps going.\n\nMore.").blocks
    assert found[0] == Block("paragraph", "A short opening that keeps going.")


def test_a_long_first_line_without_punctuation_is_not_a_title():
    first = "word " * 20
    assert read_plain(f"{first}\n\nBody.").blocks[0].kind == "paragraph"


def test_chinese_text_without_blank_lines_has_one_paragraph_per_line():
    text = (
        "台灣夜市\n　　傍晚六點，路燈\n亮起。\n"
        "　　老闆們準備好了。\n午夜時分，人潮散去。"
    )
    assert read_plain(text).blocks == [
        Block("heading", "台灣夜市", 1),
        Block("paragraph", "傍晚六點，路燈亮起。"),
        Block("paragraph", "老闆們準備好了。"),
        Block("paragraph", "午夜時分，人潮散去。"),
    ]


def test_markdown_syntax_in_a_text_file_is_kept_literally():
    text = "Intro line.\n\n# not a heading *really* [x](y) `z`"
    assert read_plain(text).blocks[1].text == "# not a heading *really* [x](y) `z`"
