"""The prompt a cloud writer sends: the content, the language and the
template's numbers, with the limits stated when the content is too long."""

from __future__ import annotations

import pytest

from core.content.model import Block, Content
from core.errors import InputError
from core.script.prompt import (
    MAX_CONTENT_CHARS,
    build_prompt,
    language_name,
    system_instruction,
)
from core.script.templates import Template

CONTENT = Content(
    [Block("heading", "Tides", level=1), Block("paragraph", "The moon pulls.")],
    language="en",
)


def prompt(body: str, content: Content = CONTENT, **options):
    template = Template("t", body, target_seconds=120, tone="calm")
    options.setdefault("language", "en")
    options.setdefault("scene_seconds", 12)
    return build_prompt(content, template, **options)


def test_the_template_placeholders_are_filled():
    text = prompt("{target_seconds}|{tone}|{scene_seconds}|{scene_count}").user

    assert text.startswith("120|calm|12|10")


def test_options_override_the_templates_length_and_tone():
    text = prompt("{target_seconds}|{tone}", target_seconds=60, tone="wry").user

    assert text.startswith("60|wry")


def test_unknown_braces_in_a_template_stay_as_written():
    assert prompt('{"title": "{example}"} {content}').user.startswith(
        '{"title": "{example}"} <content>'
    )


def test_the_content_is_tagged_with_markdown_headings():
    text = prompt("{content}").user

    assert text == "<content>\n# Tides\n\nThe moon pulls.\n</content>"


def test_a_title_that_is_not_the_first_heading_leads_the_content():
    titled = Content([Block("paragraph", "Waves.")], language="en", title="Sea")

    assert prompt("{content}", titled).user == "<content>\n# Sea\n\nWaves.\n</content>"


def test_a_template_without_the_content_placeholder_still_carries_it():
    assert prompt("Write a script.").user.endswith("The moon pulls.\n</content>")


def test_traditional_chinese_is_asked_for_by_name():
    rules = system_instruction("zh-Hant", 12)

    assert "in Traditional Chinese (繁體中文)" in rules
    assert "never Simplified Chinese" in rules
    assert "12 Chinese characters" in rules
    assert "in English" in rules


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("en", "English"),
        ("en-GB", "English"),
        ("zh-Hant", "Traditional Chinese (繁體中文)"),
        ("zh", "Traditional Chinese (繁體中文)"),
        ("zh-Hans", "Simplified Chinese (简体中文)"),
        ("xx-YY", "xx-YY"),
    ],
)
def test_language_codes_become_names_a_model_understands(code, name):
    assert language_name(code) == name


def test_content_without_paragraphs_is_an_input_error():
    headings_only = Content([Block("heading", "Title", level=1)], language="en")

    with pytest.raises(InputError, match="no paragraphs"):
        prompt("{content}", headings_only)


def test_content_over_the_limit_is_an_input_error_stating_the_limit():
    huge = Content([Block("paragraph", "x" * (MAX_CONTENT_CHARS + 1))], "en")

    with pytest.raises(InputError) as caught:
        prompt("{content}", huge)

    assert f"{MAX_CONTENT_CHARS + 1:,} characters long" in caught.value.message
    assert f"at most {MAX_CONTENT_CHARS:,}" in caught.value.message
