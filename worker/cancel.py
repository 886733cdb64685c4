"""Cancelling work: flags in Redis that running stages watch.

A cancel request sets a flag for the project (or one stage of it). Messages
not started yet see the flag and stop before doing anything; a running stage
has a watcher thread that trips its cancel token within a quarter second,
which stops FFmpeg and the stage's loops. Retrying clears the flag.
"""

from __future__ import annotations

import threading

import redis

from core.render.ffmpeg import CancelToken

POLL_SECONDS = 0.25
FLAG_TTL_SECONDS = 24 * 3600


def _key(project_id: int, stage: str | None) -> str:
    return f"reelwright:cancel:{project_id}:{stage or '*'}"


def request_cancel(
    client: redis.Redis, project_id: int, stage: str | None = None
) -> None:
    client.set(_key(project_id, stage), "1", ex=FLAG_TTL_SECONDS)


def clear_cancel(
    client: redis.Redis, project_id: int, stage: str | None = None
) -> None:
    keys = [_key(project_id, None)] + ([_key(project_id, stage)] if stage else [])
    if stage is None:
        keys += [
            k.decode() for k in client.scan_iter(f"reelwright:cancel:{project_id}:*")
        ]
    client.delete(*keys)


def is_cancelled(client: redis.Redis, project_id: int, stage: str) -> bool:
    return bool(client.exists(_key(project_id, None), _key(project_id, stage)))


class CancelWatcher:
    """Trips ``token`` when the stage's flag appears; stop() ends the thread."""

    def __init__(
        self, client: redis.Redis, project_id: int, stage: str, token: CancelToken
    ) -> None:
        self._client, self._project_id, self._stage = client, project_id, stage
        self._token = token
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._watch, daemon=True, name=f"cancel-watch-{project_id}-{stage}"
        )

    def __enter__(self) -> CancelWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        self._thread.join(timeout=1)

    def _watch(self) -> None:
        while not self._done.wait(POLL_SECONDS):
            try:
                if is_cancelled(self._client, self._project_id, self._stage):
                    self._token.cancel()
                    return
            except redis.RedisError:
                continue  # Redis restarting; look again shortly
