"""The retry policy users were promised, per stage, as Dramatiq options.

Script, audio, images, avatars and upload retry three times; render twice.
Backoff starts at 60 s (render 120 s), doubles with jitter and stops growing
at 600 s. Only transient errors are retried; a permanent one fails the
stage at once. Every number can be changed in the environment, which is how
the tests make a minute into a millisecond.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import dramatiq

from core.errors import ReelwrightError, TransientError

MINUTE_MS = 60_000


@dataclass(frozen=True)
class StagePolicy:
    retries: int
    min_backoff_ms: int
    max_backoff_ms: int
    time_limit_ms: int

    def will_retry(self, retries_so_far: int, error: BaseException) -> bool:
        """Dramatiq's ``retry_when``: transient errors, within the budget."""
        retryable = isinstance(error, TransientError | dramatiq.Retry)
        return retryable and retries_so_far < self.retries

    def actor_options(self) -> dict[str, object]:
        return {
            "max_retries": self.retries,
            "min_backoff": self.min_backoff_ms,
            "max_backoff": self.max_backoff_ms,
            "time_limit": self.time_limit_ms,
            "retry_when": self.will_retry,
        }


def _env_ms(name: str, default: int) -> int:
    return int(float(os.environ.get(name, default)))


def policy_for(stage: str) -> StagePolicy:
    """The policy of ``stage``, read from the environment at import time."""
    scale = float(os.environ.get("REELWRIGHT_BACKOFF_SCALE", "1"))
    max_backoff = int(_env_ms("REELWRIGHT_MAX_BACKOFF_MS", 10 * MINUTE_MS) * scale)
    if stage == "render":
        return StagePolicy(
            retries=2,
            min_backoff_ms=int(
                _env_ms("REELWRIGHT_RENDER_BACKOFF_MS", 2 * MINUTE_MS) * scale
            ),
            max_backoff_ms=max_backoff,
            time_limit_ms=_env_ms("REELWRIGHT_RENDER_TIME_LIMIT_MS", 60 * MINUTE_MS),
        )
    limits = {"script": 5, "audio": 30, "images": 10, "avatars": 30, "upload": 60}
    return StagePolicy(
        retries=3,
        min_backoff_ms=int(_env_ms("REELWRIGHT_BACKOFF_MS", MINUTE_MS) * scale),
        max_backoff_ms=max_backoff,
        time_limit_ms=_env_ms(
            f"REELWRIGHT_{stage.upper()}_TIME_LIMIT_MS",
            limits.get(stage, 30) * MINUTE_MS,
        ),
    )


def retry_predicate(
    policy: StagePolicy, retries_so_far: int
) -> Callable[[ReelwrightError], bool]:
    """For the stage context: will this error be retried by the worker?"""
    return lambda error: policy.will_retry(retries_so_far, error)
