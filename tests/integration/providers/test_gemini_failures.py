"""How the Gemini script writer fails: each failure of the API becomes a
transient or permanent Reelwright error with a message the creator can act
on, the SDK's error kept as the cause, and the key never shown."""

from __future__ import annotations

import logging
import time

import pytest
from google.genai import errors as genai_errors

from core.errors import PermanentError, TransientError
from core.providers.base import ScriptOptions
from core.providers.gemini_writer import GeminiScriptWriter
from tests.fakes.gemini import (
    TEST_KEY,
    FakeGemini,
    candidate_blocked,
    google_error,
    prompt_blocked,
    quota_exhausted,
    rate_limited,
    script_reply,
    server_error,
    text_reply,
)
from tests.fakes.server import Failure, FakeServer
from tests.integration.providers.contents import ENGLISH


def write(writer: GeminiScriptWriter):
    return writer.write(ENGLISH, ScriptOptions())


def test_an_answer_that_is_not_json_is_asked_for_again_with_the_reason(writer, gemini):
    gemini.replies.append(text_reply("Sure! Here is your script: ..."))

    draft = write(writer)

    assert len(draft.scenes) == 3
    assert len(gemini.requests) == 2
    second = gemini.requests[1].json()["contents"][-1]["parts"][0]["text"]
    assert "Your previous answer could not be used: the answer: Invalid JSON" in second


def test_tokens_of_both_attempts_are_counted(writer, gemini):
    usage = {"promptTokenCount": 100, "candidatesTokenCount": 5, "totalTokenCount": 105}
    gemini.replies.append({**text_reply("{"), "usageMetadata": usage})

    draft = write(writer)

    assert len(gemini.requests) == 2
    second_total = draft.tokens_used - 105
    assert second_total > len(gemini.requests[1].body) // 4


def test_a_script_that_misses_the_schema_twice_is_a_permanent_error(writer, gemini):
    misfit = script_reply({"title": "Bread", "description": "", "tags": []})
    gemini.replies += [misfit, misfit]

    with pytest.raises(PermanentError) as caught:
        write(writer)

    assert len(gemini.requests) == 2
    assert "twice" in caught.value.message
    assert "scenes: Field required" in caught.value.message
    assert "REELWRIGHT_GEMINI_MODEL" in caught.value.message


def test_an_empty_scene_list_and_a_blank_narration_are_sent_back(writer, gemini):
    scene = {"narration": "  ", "image_prompt": "x", "on_screen_text": ""}
    gemini.replies += [
        script_reply({"title": "T", "description": "", "tags": [], "scenes": []}),
        script_reply({"title": "T", "description": "", "tags": [], "scenes": [scene]}),
    ]

    with pytest.raises(PermanentError) as caught:
        write(writer)

    second = gemini.requests[1].json()["contents"][-1]["parts"][0]["text"]
    assert "scenes: List should have at least 1 item" in second
    assert "scenes.0.narration: Value error, must not be empty" in caught.value.message


def test_an_answer_cut_short_without_text_is_retried_once(writer, gemini):
    gemini.replies.append({"candidates": [{"finishReason": "MAX_TOKENS"}]})

    draft = write(writer)

    assert draft.scenes
    second = gemini.requests[1].json()["contents"][-1]["parts"][0]["text"]
    assert "the answer was empty (finish reason: MAX_TOKENS)" in second


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (prompt_blocked("SAFETY"), "the content was blocked: SAFETY"),
        (prompt_blocked("PROHIBITED_CONTENT"), "blocked: PROHIBITED_CONTENT"),
        (candidate_blocked("SAFETY"), "the answer was stopped: SAFETY"),
    ],
)
def test_a_safety_block_is_permanent_and_not_retried(writer, gemini, reply, why):
    gemini.replies.append(reply)

    with pytest.raises(PermanentError) as caught:
        write(writer)

    message = caught.value.message
    assert message.startswith("Gemini declined to write this script for safety")
    assert why in message
    assert "edit the content and try again" in message
    assert len(gemini.requests) == 1


def test_a_wrong_key_is_refused_with_a_message_naming_the_setting(gemini):
    wrong = GeminiScriptWriter(api_key="not-the-key", base_url=gemini.url)

    with pytest.raises(PermanentError) as caught:
        write(wrong)

    message = caught.value.message
    assert message.startswith("Gemini refused the API key.")
    assert "Settings (or GEMINI_API_KEY)" in message
    assert "API key not valid" in message
    assert "not-the-key" not in message
    assert isinstance(caught.value.__cause__, genai_errors.ClientError)
    assert caught.value.__cause__.code == 400


@pytest.mark.parametrize(
    ("code", "status"), [(401, "UNAUTHENTICATED"), (403, "PERMISSION_DENIED")]
)
def test_a_refused_caller_is_a_key_problem(writer, gemini, code, status):
    gemini.failures.append(google_error(code, status, "The caller is unknown."))

    with pytest.raises(PermanentError) as caught:
        write(writer)

    assert caught.value.message.startswith("Gemini refused the API key.")


def test_a_rate_limit_is_transient_and_the_sdk_does_not_retry_it(writer, gemini):
    gemini.failures.append(rate_limited(retry_delay="7s"))

    with pytest.raises(TransientError) as caught:
        write(writer)

    assert "Google asks to wait 7s" in caught.value.message
    assert len(gemini.requests) == 1
    assert caught.value.__cause__.code == 429


def test_googles_generic_resource_exhausted_is_a_rate_limit(writer, gemini):
    message = "Resource has been exhausted (e.g. check quota)."
    gemini.failures.append(google_error(429, "RESOURCE_EXHAUSTED", message))

    with pytest.raises(TransientError):
        write(writer)


def test_a_used_up_daily_quota_is_permanent_and_says_so(writer, gemini):
    gemini.failures.append(quota_exhausted())

    with pytest.raises(PermanentError) as caught:
        write(writer)

    message = caught.value.message
    assert message.startswith("Gemini's quota for this API key is used up")
    assert "billing" in message
    assert "GEMINI_API_KEY" in message
    assert len(gemini.requests) == 1


def test_a_billing_429_without_a_retry_hint_is_a_used_up_quota(writer, gemini):
    gemini.failures.append(
        google_error(
            429,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and "
            "billing details.",
        )
    )

    with pytest.raises(PermanentError, match="quota for this API key is used up"):
        write(writer)


@pytest.mark.parametrize("code", [500, 503])
def test_a_server_error_is_transient_and_tried_once(writer, gemini, code):
    gemini.failures.append(server_error(code))

    with pytest.raises(TransientError) as caught:
        write(writer)

    assert f"server error ({code}" in caught.value.message
    assert isinstance(caught.value.__cause__, genai_errors.ServerError)
    assert len(gemini.requests) == 1


def test_an_unknown_model_is_permanent_and_names_the_model_setting(gemini):
    writer = GeminiScriptWriter(
        api_key=TEST_KEY, base_url=gemini.url, model="gemini-0-nonesuch"
    )
    gemini.failures.append(
        google_error(404, "NOT_FOUND", "models/gemini-0-nonesuch is not found.")
    )

    with pytest.raises(PermanentError) as caught:
        write(writer)

    assert "'gemini-0-nonesuch'" in caught.value.message
    assert "REELWRIGHT_GEMINI_MODEL" in caught.value.message


def test_a_bad_request_is_permanent_and_quotes_google(writer, gemini):
    gemini.failures.append(
        google_error(400, "INVALID_ARGUMENT", "Schema has too many states.")
    )

    with pytest.raises(PermanentError, match="Schema has too many states"):
        write(writer)


def test_a_slow_answer_times_out_quickly_as_a_transient_error(gemini):
    writer = GeminiScriptWriter(
        api_key=TEST_KEY, base_url=gemini.url, timeout_seconds=0.3
    )
    gemini.failures.append(Failure(delay=5))

    started = time.monotonic()
    with pytest.raises(TransientError) as caught:
        write(writer)

    assert time.monotonic() - started < 2
    assert "did not answer within 0.3 seconds" in caught.value.message
    cause = type(caught.value.__cause__)
    assert "TimeoutException" in {base.__name__ for base in cause.__mro__}


@pytest.mark.parametrize(
    "failure",
    [
        Failure(raw=b""),  # the connection dropped
        Failure(raw=b"garbage\r\n\r\n"),  # not HTTP at all
        Failure(status=200, body="<html>proxy error</html>"),  # not JSON
    ],
    ids=["dropped", "garbage", "not-json"],
)
def test_a_broken_reply_is_transient(writer, gemini, failure):
    gemini.failures.append(failure)

    with pytest.raises(TransientError, match="tried again"):
        write(writer)


def test_an_unreachable_endpoint_is_transient_and_names_the_setting():
    with FakeServer() as closed:
        url = closed.url
    writer = GeminiScriptWriter(api_key=TEST_KEY, base_url=url, timeout_seconds=1)

    with pytest.raises(TransientError) as caught:
        write(writer)

    assert "could not be reached" in caught.value.message
    assert "REELWRIGHT_GEMINI_BASE_URL" in caught.value.message


def test_a_missing_key_fails_before_any_client_is_made():
    with pytest.raises(PermanentError, match="reelwright keys set gemini"):
        GeminiScriptWriter(api_key="")


def test_the_key_is_in_no_message_and_no_log_line(caplog):
    caplog.set_level(logging.DEBUG)
    key = "sk-secret-value-that-must-not-leak"
    echoing = FakeGemini(api_key=key)
    writer = GeminiScriptWriter(api_key=key, base_url=echoing.url, timeout_seconds=1)
    echoing.failures += [
        google_error(400, "INVALID_ARGUMENT", f"API key {key} not valid."),
        google_error(429, "RESOURCE_EXHAUSTED", f"Quota of {key} is used up; billing"),
        google_error(500, "INTERNAL", f"Key {key} broke us."),
        google_error(404, "NOT_FOUND", f"Nothing for {key}."),
    ]
    echoing.replies += [text_reply(f"not json {key}"), prompt_blocked()]

    messages = []
    with echoing:
        for _ in range(5):
            with pytest.raises((PermanentError, TransientError)) as caught:
                write(writer)
            messages.append(str(caught.value))

    assert len(messages) == 5
    assert all(key not in message for message in messages)
    assert "asking once more" in caplog.text  # the log path was taken
    assert key not in caplog.text
    assert "[the key]" in messages[0]
