"""The Gemini fake speaks the wire protocol the real SDK expects, streaming
included, so other tests can trust what it answers."""

from __future__ import annotations

import json

import httpx
import pytest
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from tests.fakes.gemini import TEST_KEY, FakeGemini, rate_limited, script_reply
from tests.fakes.server import Failure

PROMPT = "Write it.\n<content>\n# Tea\n\n茶葉來自山上。\n\n農夫在清晨採茶。\n</content>"


def client(fake: FakeGemini, **options) -> genai.Client:
    # Keep the client referenced while using it: a collected Client closes
    # its HTTP connection pool under the ``models`` object.
    http = types.HttpOptions(base_url=fake.url, timeout=2000, **options)
    return genai.Client(api_key=TEST_KEY, http_options=http)


def test_the_fake_streams_a_script_as_server_sent_events(gemini):
    sdk = client(gemini)
    chunks = list(
        sdk.models.generate_content_stream(model="gemini-2.5-flash", contents=PROMPT)
    )

    assert len(chunks) == 3
    assert gemini.requests[0].path.endswith(":streamGenerateContent?alt=sse")
    script = json.loads("".join(chunk.text for chunk in chunks))
    assert [scene["narration"] for scene in script["scenes"]] == [
        "茶葉來自山上。",
        "農夫在清晨採茶。",
    ]
    assert chunks[-1].candidates[0].finish_reason == types.FinishReason.STOP
    assert chunks[-1].usage_metadata.total_token_count > 0
    assert chunks[0].usage_metadata is None


def test_the_fake_answers_on_both_api_versions(gemini):
    for version in ("v1", "v1beta"):
        sdk = client(gemini, api_version=version)
        response = sdk.models.generate_content(model="m", contents=PROMPT)
        assert json.loads(response.text)["title"] == "Tea"
    assert [r.path.split("/")[1] for r in gemini.requests] == ["v1", "v1beta"]


def test_the_fake_keeps_the_chinese_and_writes_english_image_prompts(gemini):
    sdk = client(gemini)
    response = sdk.models.generate_content(model="m", contents=PROMPT)

    script = json.loads(response.text)
    assert script["scenes"][0]["section"] == "Tea"
    assert script["scenes"][0]["on_screen_text"] == "茶葉來自山上"
    assert all(s["image_prompt"].isascii() for s in script["scenes"])


def test_a_canned_reply_is_sent_once_then_the_default_again(gemini):
    gemini.replies.append(script_reply({"title": "Canned"}))
    sdk = client(gemini)
    models = sdk.models

    first = models.generate_content(model="m", contents=PROMPT)
    second = models.generate_content(model="m", contents=PROMPT)

    assert json.loads(first.text) == {"title": "Canned"}
    assert json.loads(second.text)["title"] == "Tea"


def test_a_wrong_key_gets_googles_invalid_argument(gemini):
    wrong = genai.Client(
        api_key="wrong", http_options=types.HttpOptions(base_url=gemini.url)
    )

    with pytest.raises(genai_errors.ClientError) as caught:
        wrong.models.generate_content(model="m", contents=PROMPT)

    assert caught.value.code == 400
    assert caught.value.status == "INVALID_ARGUMENT"
    assert caught.value.message.startswith("API key not valid")


def test_a_missing_key_gets_permission_denied(gemini):
    answer = httpx.post(f"{gemini.url}/v1beta/models/m:generateContent", json={})

    assert answer.status_code == 403
    assert answer.json()["error"]["status"] == "PERMISSION_DENIED"


def test_failures_are_used_once_and_in_order(gemini):
    gemini.failures += [rate_limited(), Failure(status=503, body="busy")]
    sdk = client(gemini)
    models = sdk.models

    with pytest.raises(genai_errors.ClientError) as first:
        models.generate_content(model="m", contents=PROMPT)
    with pytest.raises(genai_errors.ServerError):
        models.generate_content(model="m", contents=PROMPT)
    models.generate_content(model="m", contents=PROMPT)

    assert first.value.status == "RESOURCE_EXHAUSTED"
    assert gemini.failures == []
    assert len(gemini.requests) == 3
