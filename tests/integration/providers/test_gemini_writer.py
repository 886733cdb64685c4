"""The Gemini script writer, through the real google-genai SDK, against the fake.

Failure paths (HTTP errors, timeouts, blocked answers, misfit JSON) live in
test_gemini_failures.py.
"""

from __future__ import annotations

import pytest

from core.content.model import Block, Content
from core.errors import InputError
from core.providers.base import ScriptOptions
from core.providers.gemini_writer import DEFAULT_MODEL, GeminiScriptWriter
from core.script.prompt import MAX_CONTENT_CHARS
from core.script.templates import Template
from tests.fakes.gemini import TEST_KEY, FakeGemini, script_reply
from tests.integration.providers.contents import CHINESE, ENGLISH


def system_text(gemini: FakeGemini, index: int = -1) -> str:
    body = gemini.requests[index].json()
    return body["systemInstruction"]["parts"][0]["text"]


def user_text(gemini: FakeGemini, index: int = -1) -> str:
    return gemini.requests[index].json()["contents"][-1]["parts"][0]["text"]


def test_an_english_content_becomes_one_scene_per_paragraph(writer, gemini):
    draft = writer.write(ENGLISH, ScriptOptions())

    assert [scene.narration for scene in draft.scenes] == [
        block.text for block in ENGLISH.blocks if block.kind == "paragraph"
    ]
    assert draft.language == "en"
    assert draft.title == "Why bread rises"
    assert [scene.section for scene in draft.scenes] == [
        "Why bread rises",
        "The oven",
        None,
    ]
    assert all(scene.duration_estimate >= 1.0 for scene in draft.scenes)
    assert draft.scenes[1].duration_estimate > draft.scenes[2].duration_estimate / 2


def test_the_request_goes_to_the_model_with_the_key_header_and_a_json_schema(
    writer, gemini
):
    writer.write(ENGLISH, ScriptOptions())

    request = gemini.requests[0]
    assert request.path == f"/v1beta/models/{DEFAULT_MODEL}:generateContent"
    assert request.headers["x-goog-api-key"] == TEST_KEY
    config = request.json()["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    schema = config["responseSchema"]
    assert set(schema["properties"]) == {"title", "description", "tags", "scenes"}
    scene = schema["properties"]["scenes"]["items"]["properties"]
    assert set(scene) == {"narration", "image_prompt", "on_screen_text", "section"}


def test_tokens_used_is_what_gemini_reported(writer, gemini):
    draft = writer.write(ENGLISH, ScriptOptions())

    assert len(gemini.requests) == 1
    body = gemini.requests[0].body.decode()
    assert draft.tokens_used > len(body) // 4  # prompt and answer both count


def test_a_chinese_content_is_scripted_in_traditional_chinese(writer, gemini):
    draft = writer.write(CHINESE, ScriptOptions())

    assert draft.language == "zh-Hant"
    assert draft.scenes[0].narration == "茶葉來自山上的茶樹。農夫在清晨採下嫩葉。"
    rules = system_text(gemini)
    assert "Traditional Chinese" in rules
    assert "never Simplified Chinese" in rules
    assert "in English" in rules  # image prompts stay English
    assert "Traditional Chinese" in user_text(gemini)  # via {language_name}


def test_the_language_option_overrides_the_content_language(writer, gemini):
    draft = writer.write(ENGLISH, ScriptOptions(language="zh-Hant"))

    assert draft.language == "zh-Hant"
    assert "Traditional Chinese" in system_text(gemini)


def test_the_content_reaches_the_prompt_between_content_tags(writer, gemini):
    writer.write(ENGLISH, ScriptOptions())

    prompt = user_text(gemini)
    start, end = prompt.index("<content>"), prompt.index("</content>")
    inside = prompt[start:end]
    assert "# Why bread rises" in inside
    assert "## The oven" in inside
    assert "Heat makes the gas expand." in inside


def test_the_chosen_template_sets_length_tone_and_scene_count(writer, gemini):
    writer.write(ENGLISH, ScriptOptions(template="story", scene_seconds=10))

    prompt = " ".join(user_text(gemini).split())  # the template is wrapped
    story = writer.templates["story"]
    assert prompt.startswith("Tell the creator's content below as a story")
    assert f"about {story.target_seconds:g} seconds" in prompt
    assert story.tone in prompt
    assert f"about {round(story.target_seconds / 10)} scenes" in prompt


def test_a_saved_template_body_in_the_options_replaces_the_writers_own(writer, gemini):
    options = ScriptOptions(
        template="mine",
        template_body="Make it {tone}, {target_seconds} s long.\n{content}",
        target_seconds=45,
        tone="solemn",
    )
    writer.write(ENGLISH, options)

    assert user_text(gemini).startswith("Make it solemn, 45 s long.\n<content>")


def test_an_unknown_template_is_an_input_error_listing_the_known_ones(writer, gemini):
    with pytest.raises(InputError) as caught:
        writer.write(ENGLISH, ScriptOptions(template="poem"))

    assert "'poem'" in caught.value.message
    assert "explainer, listicle, story" in caught.value.message
    assert gemini.requests == []


def test_content_over_the_limit_is_refused_before_any_request(writer, gemini):
    long_text = "word " * (MAX_CONTENT_CHARS // 5 + 10)
    content = Content([Block("paragraph", long_text)], language="en")

    with pytest.raises(InputError) as caught:
        writer.write(content, ScriptOptions())

    assert f"{MAX_CONTENT_CHARS:,}" in caught.value.message
    assert gemini.requests == []


def test_a_canned_answer_is_used_as_written_with_blank_sections_as_none(writer, gemini):
    gemini.replies.append(
        script_reply(
            {
                "title": "  Bread  ",
                "description": "About bread.",
                "tags": ["bread", "yeast"],
                "scenes": [
                    {
                        "narration": "Bread rises.",
                        "image_prompt": "A loaf in an oven",
                        "on_screen_text": "Rise",
                        "section": "",
                    }
                ],
            }
        )
    )

    draft = writer.write(ENGLISH, ScriptOptions())

    assert draft.title == "Bread"
    assert draft.tags == ["bread", "yeast"]
    assert draft.scenes[0].section is None
    assert draft.scenes[0].image_prompt == "A loaf in an oven"


def test_the_cache_identity_names_model_version_and_template_hashes(gemini):
    def identity(body: str) -> dict[str, object]:
        template = Template("explainer", body)
        return GeminiScriptWriter(
            api_key=TEST_KEY, base_url=gemini.url, templates=[template]
        ).cache_identity()

    first = identity("Explain {content}")
    assert first["writer"] == "gemini"
    assert first["model"] == DEFAULT_MODEL
    assert first["version"] == 1
    assert first != identity("Explain briefly {content}")
    assert TEST_KEY not in repr(first)


def test_pricing_is_a_small_estimate_per_token(writer):
    assert writer.pricing.unit == "tokens"
    assert 0 < writer.pricing.usd_per_unit < 1e-4
