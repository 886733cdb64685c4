"""What one worker process shares between its messages.

A database engine, the storage root, a Redis client for progress and cancel
flags, and the providers of each kind, built once per process (loading the
offline voice takes seconds; it must not happen per message).
"""

from __future__ import annotations

import threading

import redis

from core.db import Database
from core.providers.registry import LazyProviders, load_plugins
from core.settings import Settings
from core.storage import Storage


class Runtime:
    def __init__(self, settings: Settings, broker_url: str) -> None:
        self.settings = settings
        self.db = Database(settings.database_url)
        self.storage = Storage(settings.paths.storage)
        self.redis = redis.Redis.from_url(broker_url)
        self._providers: dict[tuple, LazyProviders] = {}
        self._lock = threading.Lock()

    def providers(self, choice: dict[str, str]) -> LazyProviders:
        key = tuple(sorted(choice.items()))
        with self._lock:
            if key not in self._providers:
                self._providers[key] = LazyProviders(choice)
            return self._providers[key]


_runtime: Runtime | None = None


def configure(settings: Settings, broker_url: str) -> Runtime:
    """Set this process's runtime (the worker entry point calls it once)."""
    global _runtime
    load_plugins()
    _runtime = Runtime(settings, broker_url)
    _runtime.db.migrate()
    return _runtime


def runtime() -> Runtime:
    if _runtime is None:
        raise RuntimeError("The worker runtime is not configured.")
    return _runtime
