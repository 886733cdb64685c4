"""Reading Markdown: structure kept, syntax a narrator should not read removed."""

import time

import pytest

from core.content.markdown import read_markdown, strip_inline
from core.content.model import Block


def blocks(text: str) -> list[Block]:
    return read_markdown(text).blocks


def texts(text: str) -> list[str]:
    return [block.text for block in blocks(text)]


def test_atx_headings_keep_their_level_and_lose_their_hashes():
    found = blocks("# One\n## Two ##\n###### Six\n####### Seven is text")
    assert found == [
        Block("heading", "One", 1),
        Block("heading", "Two", 2),
        Block("heading", "Six", 6),
        Block("paragraph", "####### Seven is text"),
    ]


def test_a_hash_without_a_space_is_not_a_heading():
    assert blocks("#hashtag here") == [Block("paragraph", "#hashtag here")]


def test_setext_underlines_make_first_and_second_level_headings():
    found = blocks("Big Title\n=========\n\nSection\n-------\nBody.")
    assert found == [
        Block("heading", "Big Title", 1),
        Block("heading", "Section", 2),
        Block("paragraph", "Body."),
    ]


def test_wrapped_english_lines_join_with_one_space():
    assert texts("A forager drinks\nnectar   through\n  a tongue.") == [
        "A forager drinks nectar through a tongue."
    ]


def test_wrapped_chinese_lines_join_without_spaces():
    assert texts("傍晚六點，路燈\n一盞盞亮起。") == ["傍晚六點，路燈一盞盞亮起。"]


def test_blank_lines_separate_paragraphs():
    assert texts("First.\n\n\nSecond.\n \nThird.") == ["First.", "Second.", "Third."]


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("Some *emphasis* and **strong** words", "Some emphasis and strong words"),
        ("Some _emphasis_ and __strong__ words", "Some emphasis and strong words"),
        (
            "**Wrapped\nstrong** and *wrapped\nemphasis*",
            "Wrapped\nstrong and wrapped\nemphasis",
        ),
        ("A ~~struck~~ word", "A struck word"),
        ('Read [the guide](https://x.org/a_b "Guide") now', "Read the guide now"),
        ("Read [the guide][ref] now", "Read the guide now"),
        ("A photo ![a bee](bee.png) here", "A photo here"),
        ("Run `make *all*` first", "Run make *all* first"),
        ("Visit <https://example.com/a>", "Visit https://example.com/a"),
        ("Some <span class='x'>inline</span> html<br/>", "Some inline html"),
        ("Fish &amp; chips&nbsp;today", "Fish & chips\u00a0today"),
        ("A note[^1] here", "A note here"),
        ("snake_case_name and 2 * 3 * 4", "snake_case_name and 2 * 3 * 4"),
        (r"Not \*emphasis\* or \[a link\](x)", "Not *emphasis* or [a link](x)"),
    ],
)
def test_inline_syntax_is_removed_and_its_words_kept(markdown, plain):
    assert strip_inline(markdown) == plain


def test_hostile_text_survives_literally():
    hostile = (
        "He said \"don't\" & 'quote' C:\\Users\\me \\\\ {\\an8} %{pts} "
        "[brackets] (parens) {braces} $HOME; `rm` <3 50% a < b > c"
    )
    expected = hostile.replace("`rm`", "rm")
    assert texts(hostile) == [expected]


def test_each_list_item_is_its_own_paragraph():
    found = texts(
        "Intro:\n\n* first item\n  wraps on\n- [x] done task\n+ third\n1. one\n2) two"
    )
    assert found == [
        "Intro:",
        "first item wraps on",
        "done task",
        "third",
        "1. one",
        "2) two",
    ]


def test_code_fences_are_dropped_with_their_code():
    text = "Before.\n\n```python\nprint('x')\n~~~\n```\n~~~~\nmore code\n~~~~\nAfter."
    assert texts(text) == ["Before.", "After."]


def test_front_matter_is_dropped():
    text = "---\ntitle: Bees\ntags: [a, b]\n---\n# Bees\n\nBody."
    assert blocks(text) == [Block("heading", "Bees", 1), Block("paragraph", "Body.")]


def test_a_lone_rule_at_the_top_is_not_front_matter():
    assert texts("---\nStill here.\n\n***\n\nAnd here.") == ["Still here.", "And here."]


def test_html_comments_are_dropped_even_across_lines():
    assert texts("Keep <!-- hidden\nnote --> this.") == ["Keep this."]


def test_block_quotes_are_read_as_paragraphs():
    assert texts("> Quoted line\n> continues.\n>\n> > Nested.") == [
        "Quoted line continues.",
        "Nested.",
    ]


def test_table_rows_become_paragraphs_and_the_separator_row_is_dropped():
    found = texts("| City | Dish |\n|:---|---:|\n| 台北 | 蚵仔煎 |\n| Paris | crêpe |")
    assert found == ["City, Dish", "台北，蚵仔煎", "Paris, crêpe"]


def test_reference_definitions_are_not_read():
    assert texts('See [docs][d].\n\n[d]: https://example.com "Docs"') == ["See docs."]


@pytest.mark.parametrize(
    "mark", ["*a ", "**a ", "_a ", "~~a ", "[a", "![a", "`a", "<a "]
)
def test_text_full_of_unmatched_marks_is_read_in_linear_time(mark):
    text = "# x" + " " * 20_000 + "y\n\n" + " " * 5_000 + mark * 10_000
    started = time.monotonic()
    read_markdown(text)
    assert time.monotonic() - started < 0.5
