"""The offline script writer: verbatim narration cut into sized scenes."""

import logging

import pytest

from core.content.model import Block, Content
from core.errors import InputError
from core.providers.base import ScriptOptions, ScriptWriter
from core.script.chapters import MIN_CHAPTER_SECONDS
from core.script.local import (
    CHINESE_CHARS_PER_SECOND,
    ENGLISH_WORDS_PER_SECOND,
    LocalScriptWriter,
    estimate_seconds,
)
from core.text import CHINESE, ENGLISH, display_units, split_sentences
from tests.conftest import CONTENT

TARGET = 12.0


def load_sample(name: str, language: str) -> Content:
    """Read '#' headings and blank-line paragraphs, like a tiny importer."""
    blocks = []
    for chunk in (CONTENT / name).read_text(encoding="utf-8").split("\n\n"):
        chunk = chunk.strip()
        if chunk.startswith("#"):
            level = len(chunk) - len(chunk.lstrip("#"))
            blocks.append(Block("heading", chunk.lstrip("#").strip(), level))
        elif chunk:
            blocks.append(Block("paragraph", " ".join(chunk.split())))
    return Content(blocks=blocks, language=language)


def words(count: int, word: str = "honey") -> str:
    """A sentence of ``count`` words: count / 2.6 seconds of speech."""
    return " ".join([word] * count) + "."


def paragraph(*sentences: str) -> Block:
    return Block("paragraph", " ".join(sentences))


def heading(text: str) -> Block:
    return Block("heading", text, 2)


def write(*blocks: Block, title=None, **options) -> list:
    content = Content(blocks=list(blocks), language=ENGLISH, title=title)
    return LocalScriptWriter().write(content, ScriptOptions(**options)).scenes


def test_speaking_time_follows_the_english_and_chinese_rates():
    assert estimate_seconds(words(26)) == pytest.approx(26 / ENGLISH_WORDS_PER_SECOND)
    assert estimate_seconds("夜" * 42) == pytest.approx(42 / CHINESE_CHARS_PER_SECOND)
    assert estimate_seconds("用 Python 做影片。") == pytest.approx(
        4 / CHINESE_CHARS_PER_SECOND + 1 / ENGLISH_WORDS_PER_SECOND
    )


def test_headings_start_scenes_and_are_not_narrated():
    scenes = write(
        heading("Intro"), paragraph(words(5)), heading("Hive"), paragraph(words(5))
    )

    assert [s.section for s in scenes] == ["Intro", "Hive"]
    assert all("Intro" not in s.narration and "Hive" not in s.narration for s in scenes)


def test_paragraphs_near_the_target_each_get_a_scene():
    scenes = write(paragraph(words(26)), paragraph(words(24)), paragraph(words(28)))

    assert len(scenes) == 3
    assert [s.narration.count("honey") for s in scenes] == [26, 24, 28]


def test_short_paragraphs_of_one_section_share_a_scene():
    scenes = write(paragraph(words(8)), paragraph(words(9)), paragraph(words(10)))

    assert len(scenes) == 1
    assert scenes[0].duration_estimate == pytest.approx(27 / 2.6, abs=0.01)


def test_short_paragraphs_never_share_a_scene_across_a_heading():
    scenes = write(
        heading("One"), paragraph(words(5)), heading("Two"), paragraph(words(5))
    )

    assert len(scenes) == 2
    assert scenes[1].section == "Two"


def test_a_long_paragraph_splits_at_sentence_ends():
    sentences = [words(10, f"word{i}") for i in range(8)]  # about 31 seconds

    scenes = write(paragraph(*sentences))

    assert len(scenes) >= 2
    assert all(s.narration.endswith(".") for s in scenes)
    assert all(s.duration_estimate <= TARGET * 1.5 for s in scenes)
    assert " ".join(s.narration for s in scenes) == " ".join(sentences)


def test_a_single_overlong_sentence_stays_whole():
    scenes = write(paragraph(words(5, "intro"), words(80), words(5, "outro")))

    longest = max(scenes, key=lambda s: s.duration_estimate)
    assert longest.narration == words(80)
    assert longest.duration_estimate > TARGET * 1.5


def test_scene_length_follows_the_option():
    sentences = [words(13, f"word{i}") for i in range(8)]  # 5 seconds each

    short = write(paragraph(*sentences), scene_seconds=5)
    long = write(paragraph(*sentences), scene_seconds=20)

    assert len(short) == 8
    assert len(long) == 2


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("how-tides-work.md", ENGLISH),
        ("calmer-week.txt", ENGLISH),
        ("清晨菜市場.md", CHINESE),
    ],
)
def test_narration_keeps_every_sentence_once_and_in_order(name, language):
    content = load_sample(name, language)
    paragraphs = [b.text for b in content.blocks if b.kind == "paragraph"]
    expected = [s for text in paragraphs for s in split_sentences(text)]

    draft = LocalScriptWriter().write(content, ScriptOptions())

    narrated = [s for scene in draft.scenes for s in split_sentences(scene.narration)]
    assert narrated == expected


def test_an_english_article_has_a_scene_for_each_section_with_chapters():
    content = load_sample("how-tides-work.md", ENGLISH)

    draft = LocalScriptWriter().write(content, ScriptOptions())

    sections = [s.section for s in draft.scenes if s.section]
    assert sections == [
        "How Tides Work",
        "The Moon pulls the water",
        "The Earth turns underneath",
        "Spring and neap tides",
        "Why shapes matter",
    ]
    assert draft.title == "How Tides Work"
    assert "00:00 How Tides Work" in draft.description
    assert "The Moon pulls the water" in draft.description


def test_a_chinese_article_gives_chinese_scenes_under_its_headings():
    content = load_sample("清晨菜市場.md", CHINESE)

    draft = LocalScriptWriter().write(content, ScriptOptions())

    assert draft.title == "清晨的菜市場"
    assert draft.language == CHINESE
    sections = [s.section for s in draft.scenes if s.section]
    assert sections == ["清晨的菜市場", "擺攤", "熱鬧起來", "散市"]
    assert all(" " not in s.narration for s in draft.scenes)
    assert draft.scenes[1].on_screen_text == "擺攤"
    assert draft.description.startswith("清晨五點，天還沒全亮")


def test_the_title_comes_from_the_content_then_a_heading_then_a_sentence():
    body = paragraph("Three habits make remote work easier. Keep a start time.")
    writer = LocalScriptWriter()

    def title_of(blocks, title=None):
        content = Content(blocks=blocks, language=ENGLISH, title=title)
        return writer.write(content, ScriptOptions()).title

    assert title_of([heading("Habits"), body], title="Remote work") == "Remote work"
    assert title_of([body, heading("Later"), body]) == "Later"
    assert title_of([body]) == "Three habits make remote work easier"
    assert display_units(title_of([paragraph(words(40))])) <= 60


def test_the_first_scene_is_the_titled_section_even_without_a_heading():
    scenes = write(
        paragraph(words(10)), heading("Next"), paragraph(words(30)), title="Honey"
    )

    assert scenes[0].section == "Honey"
    assert scenes[0].on_screen_text == "Honey"


def test_on_screen_text_is_a_short_first_clause_inside_a_section():
    scenes = write(
        heading("Hive"),
        paragraph(words(30)),
        paragraph("Back at the hive, the forager passes the nectar on. " + words(25)),
    )

    assert scenes[1].section is None
    assert scenes[1].on_screen_text == "Back at the hive"
    assert all(display_units(s.on_screen_text) <= 40 for s in scenes)


def test_image_prompts_name_the_scene_keywords_and_the_title():
    content = load_sample("how-tides-work.md", ENGLISH)

    draft = LocalScriptWriter().write(content, ScriptOptions())

    prompt = draft.scenes[0].image_prompt
    assert prompt.startswith("Illustration of ")
    assert ": How Tides Work, " in prompt
    assert "Moon" in prompt


@pytest.mark.parametrize(
    ("name", "language"),
    [("how-tides-work.md", ENGLISH), ("清晨菜市場.md", CHINESE)],
)
def test_tags_stay_within_youtube_limits(name, language):
    draft = LocalScriptWriter().write(load_sample(name, language), ScriptOptions())

    assert 5 <= len(draft.tags) <= 15
    assert all(0 < len(tag) <= 30 for tag in draft.tags)
    assert len(",".join(draft.tags)) < 500
    assert len({tag.casefold() for tag in draft.tags}) == len(draft.tags)


def test_short_content_still_gets_tags_from_its_title():
    content = Content([paragraph("Bees dance.")], language=ENGLISH, title="Bee dance")

    draft = LocalScriptWriter().write(content, ScriptOptions())

    assert "Bee dance" in draft.tags


def test_description_summarises_the_opening_and_lists_chapters():
    content = load_sample("how-tides-work.md", ENGLISH)

    draft = LocalScriptWriter().write(content, ScriptOptions())

    summary, chapters = draft.description.split("\n\n")[:2]
    assert summary.startswith("Twice a day the sea climbs up the beach")
    assert len(split_sentences(summary)) <= 2
    lines = chapters.split("\n")
    assert lines[0] == "00:00 How Tides Work"
    assert len(lines) >= 3


@pytest.mark.parametrize(
    ("name", "language"),
    [("how-tides-work.md", ENGLISH), ("清晨菜市場.md", CHINESE)],
)
def test_description_chapters_follow_youtube_rules(name, language):
    draft = LocalScriptWriter().write(load_sample(name, language), ScriptOptions())

    total = sum(scene.duration_estimate for scene in draft.scenes)
    lines = [line for line in draft.description.split("\n") if line[:1].isdigit()]
    starts = [int(line[:2]) * 60 + int(line[3:5]) for line in lines]
    assert starts[0] == 0
    assert len(starts) >= 3
    lengths = [b - a for a, b in zip(starts, [*starts[1:], total], strict=True)]
    assert min(lengths) >= MIN_CHAPTER_SECONDS


@pytest.mark.parametrize(
    "blocks",
    [[], [heading("Only a heading")], [Block("paragraph", "   ")]],
    ids=["nothing", "headings only", "blank paragraph"],
)
def test_content_without_paragraphs_is_an_input_error(blocks):
    content = Content(blocks=blocks, language=ENGLISH)

    with pytest.raises(InputError, match="no paragraphs"):
        LocalScriptWriter().write(content, ScriptOptions())


def test_a_scene_length_of_zero_is_an_input_error():
    with pytest.raises(InputError, match="scene length"):
        write(paragraph(words(5)), scene_seconds=0)


def test_hostile_characters_are_narrated_literally():
    hostile = r'Say {\an8} and %{pts} or "quoted" \\ back\slash; it\'s 100%.'

    scenes = write(paragraph(hostile))

    assert scenes[0].narration == hostile


def test_language_comes_from_options_else_the_content(caplog):
    content = load_sample("calmer-week.txt", ENGLISH)
    writer = LocalScriptWriter()

    assert writer.write(content, ScriptOptions()).language == ENGLISH
    with caplog.at_level(logging.WARNING):
        draft = writer.write(content, ScriptOptions(language=CHINESE))

    assert draft.language == CHINESE
    assert "cannot translate" in caplog.text


def test_cache_identity_names_the_writer_and_its_version():
    writer: ScriptWriter = LocalScriptWriter()

    assert writer.name == "local"
    assert writer.cache_identity() == {"writer": "local", "version": 1}
