"""Choosing providers: Gemini is built from the key and the settings, and a
missing key is one clear error that says how to set it."""

from __future__ import annotations

import pytest

from core.errors import InputError, PermanentError
from core.providers.base import ScriptOptions
from core.providers.gemini_writer import DEFAULT_MODEL, GeminiScriptWriter
from core.providers.registry import build_providers, check_keys
from core.script.local import LocalScriptWriter
from core.secrets import SERVICE
from tests.fakes.gemini import TEST_KEY
from tests.integration.providers.contents import ENGLISH

GEMINI = {"script": "gemini"}


@pytest.fixture
def gemini_settings(gemini, monkeypatch):
    monkeypatch.setenv("REELWRIGHT_GEMINI_BASE_URL", gemini.url)
    monkeypatch.setenv("REELWRIGHT_GEMINI_MODEL", "gemini-test-model")
    return gemini


def test_choosing_gemini_builds_it_from_the_environment(
    memory_keyring, gemini_settings, monkeypatch
):
    monkeypatch.setenv("GEMINI_API_KEY", TEST_KEY)

    writer = build_providers(GEMINI).writer
    draft = writer.write(ENGLISH, ScriptOptions())

    assert isinstance(writer, GeminiScriptWriter)
    assert writer.model == "gemini-test-model"
    assert draft.scenes
    assert "/models/gemini-test-model:" in gemini_settings.requests[0].path


def test_the_keyring_key_wins_over_the_environment(
    memory_keyring, gemini_settings, monkeypatch
):
    memory_keyring.set_password(SERVICE, "gemini", TEST_KEY)
    monkeypatch.setenv("GEMINI_API_KEY", "an-old-key")

    build_providers(GEMINI).writer.write(ENGLISH, ScriptOptions())

    assert gemini_settings.requests[0].headers["x-goog-api-key"] == TEST_KEY


def test_the_model_defaults_when_no_setting_is_given(memory_keyring, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", TEST_KEY)
    monkeypatch.delenv("REELWRIGHT_GEMINI_MODEL", raising=False)

    assert build_providers(GEMINI).writer.model == DEFAULT_MODEL


def test_a_missing_gemini_key_says_how_to_set_it(memory_keyring):
    with pytest.raises(PermanentError) as caught:
        check_keys(GEMINI)

    message = caught.value.message
    assert "Gemini API key (for the script provider 'gemini')" in message
    assert "`reelwright keys set gemini`" in message
    assert "GEMINI_API_KEY" in message


def test_building_providers_checks_the_keys_first(memory_keyring):
    with pytest.raises(PermanentError, match="GEMINI_API_KEY"):
        build_providers(GEMINI)


def test_local_providers_need_no_key(memory_keyring):
    check_keys({"script": "local"})

    assert isinstance(build_providers().writer, LocalScriptWriter)


def test_an_unknown_provider_is_an_input_error_listing_the_known_ones():
    with pytest.raises(InputError) as caught:
        build_providers({"script": "gpt"})

    assert "script: gpt" in caught.value.message
    assert "script: gemini" in caught.value.message
