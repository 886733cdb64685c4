"""Keeping a cloud service's request rate: a sliding-window limiter.

Image services publish a rate limit (Stability: 150 requests in any 10
seconds) and punish a client that keeps exceeding it. Scenes are requested
from several threads at once, so every thread of a process takes its turn
from one shared :class:`RateLimiter` per service (see :func:`shared_limiter`)
before it sends anything. Workers in other processes keep their own count;
the service's 429 answers, retried later, cover what they add together.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

logger = logging.getLogger(__name__)

_SHARED: dict[str, RateLimiter] = {}
_SHARED_LOCK = threading.Lock()


class RateLimiter:
    """At most ``max_calls`` acquisitions in any ``period_seconds``."""

    def __init__(
        self,
        max_calls: int,
        period_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_calls < 1 or period_seconds <= 0:
            raise ValueError("A rate limit needs at least one call per period.")
        self.max_calls = max_calls
        self.period_seconds = period_seconds
        self._clock = clock
        self._sleep = sleep
        self._granted: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait for a turn; return the seconds spent waiting."""
        waited = 0.0
        while True:
            wait = self._try_acquire()
            if wait <= 0:
                return waited
            self._sleep(wait)
            waited += wait

    def _try_acquire(self) -> float:
        """Take a turn now (0.0) or say how long until one frees up."""
        with self._lock:
            now = self._clock()
            while self._granted and now - self._granted[0] >= self.period_seconds:
                self._granted.popleft()
            if len(self._granted) < self.max_calls:
                self._granted.append(now)
                return 0.0
            return self._granted[0] + self.period_seconds - now


def shared_limiter(name: str, max_calls: int, period_seconds: float) -> RateLimiter:
    """The process's one limiter for the service ``name``.

    The first caller's numbers set the limit; later callers asking for a
    different one get the existing limiter, and a log line saying so.
    """
    with _SHARED_LOCK:
        limiter = _SHARED.get(name)
        if limiter is None:
            limiter = _SHARED[name] = RateLimiter(max_calls, period_seconds)
        elif (limiter.max_calls, limiter.period_seconds) != (
            max_calls,
            period_seconds,
        ):
            logger.debug(
                "The %s rate limit stays at %d per %.1f s for this process.",
                name,
                limiter.max_calls,
                limiter.period_seconds,
            )
        return limiter
