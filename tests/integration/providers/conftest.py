"""Fixtures for the cloud providers: the Gemini fake, a writer bound to it,
and a keyring kept in memory so no test reads a developer's real keys."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from core.providers.gemini_writer import GeminiScriptWriter
from tests.fakes.gemini import TEST_KEY, FakeGemini
from tests.fakes.keyring import InMemoryKeyring as MemoryKeyring

# Long enough for a loaded CI machine, short enough that a hang fails fast.
CLIENT_TIMEOUT_SECONDS = 2.0


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """An empty keyring, and no key variables in the environment."""
    for variable in ("GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(variable, raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def gemini() -> Iterator[FakeGemini]:
    with FakeGemini() as fake:
        yield fake


@pytest.fixture
def writer(gemini: FakeGemini) -> GeminiScriptWriter:
    return GeminiScriptWriter(
        api_key=TEST_KEY,
        base_url=gemini.url,
        timeout_seconds=CLIENT_TIMEOUT_SECONDS,
    )
