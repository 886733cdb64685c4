"""Providers that misbehave on purpose, loaded by worker processes as a plugin.

Worker processes are separate programs, so tests cannot hand them objects;
they name this module in ``REELWRIGHT_PROVIDER_PLUGINS`` and choose these
providers per project like any other. Each wraps a real local provider and
adds one fault: transient failures at a rate, a refused key, or slowness
(so a test has time to kill a worker mid-stage).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from core.content.model import Content
from core.errors import PermanentError, TransientError
from core.providers.art_cards import ArtCardMaker
from core.providers.base import ImageRequest, ScriptOptions
from core.script.model import ScriptDraft


class FlakyImages(ArtCardMaker):
    """Art cards that fail transiently at ``REELWRIGHT_FLAKY_RATE`` (0.3).

    Which attempts fail is decided by a hash of the prompt and the attempt
    number (counted in ``REELWRIGHT_FLAKY_DIR``, shared by all workers), so
    a test knows that failures really happen, whichever worker retries.
    """

    name = "flaky"

    def make(self, request: ImageRequest, out: Path) -> None:
        attempt = _count_attempt(request.prompt + request.key_phrase)
        digest = hashlib.sha256(f"{request.prompt}|{attempt}".encode()).digest()
        if digest[0] < 256 * float(os.environ.get("REELWRIGHT_FLAKY_RATE", "0.3")):
            raise TransientError("The image service is busy (injected 503).")
        super().make(request, out)


def _count_attempt(key: str) -> int:
    folder = Path(os.environ["REELWRIGHT_FLAKY_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / hashlib.sha256(key.encode()).hexdigest()
    with marker.open("a+", encoding="utf-8") as log:
        log.write("x")
        log.seek(0)
        return len(log.read())


class SlowImages(ArtCardMaker):
    """Art cards that take ``REELWRIGHT_SLOW_SECONDS`` (1.5) each."""

    name = "slow"

    def make(self, request: ImageRequest, out: Path) -> None:
        time.sleep(float(os.environ.get("REELWRIGHT_SLOW_SECONDS", "1.5")))
        super().make(request, out)


class RefusedKeyWriter:
    """A script writer whose service refuses the API key."""

    name = "refused-key"
    calls_file = "REELWRIGHT_CALLS_FILE"

    def cache_identity(self) -> dict[str, object]:
        return {"writer": self.name}

    def write(self, content: Content, options: ScriptOptions) -> ScriptDraft:
        marker = os.environ.get(self.calls_file)
        if marker:
            with open(marker, "a", encoding="utf-8") as calls:
                calls.write(f"{os.getpid()}\n")
        raise PermanentError("The API key is not valid. Check the key in Settings.")


def register(add) -> None:  # type: ignore[no-untyped-def]
    """Called by the provider registry with its ``add(stage, name, build)``."""
    add("images", "flaky", lambda key: FlakyImages())
    add("images", "slow", lambda key: SlowImages())
    add("script", "refused-key", lambda key: RefusedKeyWriter())
