"""The watchdog that keeps the embedded Redis running while the app runs.

Each process that uses the embedded server may run one. Every few seconds it
pings the server, restarts it on the same URL if it stopped answering, and
renews the process's registration as a user.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

import redis

from core.errors import ReelwrightError

if TYPE_CHECKING:
    from worker.redis_server import EmbeddedRedis

log = logging.getLogger(__name__)


class RedisWatchdog(threading.Thread):
    """A daemon thread that restarts the embedded Redis when it dies.

    Each check also renews the process's registration as a user.
    """

    def __init__(self, embedded: EmbeddedRedis, *, interval: float = 2.0) -> None:
        super().__init__(name="redis-watchdog", daemon=True)
        self.embedded = embedded
        self.interval = interval  # seconds between checks
        self.restarts = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.wait(self.interval):
            self.check()

    def check(self) -> bool:
        """Check once, restarting the server if it is dead; True if it was."""
        try:
            if self.embedded.is_healthy():
                self.embedded.heartbeat()
                return False
            restarted = self.embedded.restart_if_dead()
        except (ReelwrightError, redis.RedisError, OSError) as error:
            log.warning("The embedded Redis is down and did not restart: %s", error)
            return False
        if restarted:
            self.restarts += 1
            log.info("The watchdog brought the embedded Redis back.")
        return restarted

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout)
