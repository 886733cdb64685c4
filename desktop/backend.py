"""The desktop's bridge to the worker stack and the database.

``Backend`` owns the app's runtime: the broker URL (the embedded Redis, or a
configured one), the worker pool, and a ``Control`` for commands. Every
blocking call (SQL, files, Redis commands) goes through ``run``, which runs
it on a small thread pool and returns an awaitable for the qasync loop, so
the window never waits on I/O.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from core.db import Database
from core.settings import Settings
from core.storage import Storage

log = logging.getLogger(__name__)

T = TypeVar("T")


class Backend:
    """Start with ``start()`` (off the GUI thread), stop with ``stop()``."""

    def __init__(
        self, settings: Settings, *, workers: int | None = None, start_pool: bool = True
    ) -> None:
        self.settings = settings
        self.storage = Storage(settings.paths.storage)
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="backend")
        self._workers = (
            workers
            or int(os.environ.get("REELWRIGHT_WORKERS", 0))
            or (os.cpu_count() or 2)
        )
        self._start_pool = start_pool
        self.control = None  # type: ignore[assignment]
        self.pool = None
        self.embedded = None
        self.watchdog = None
        self.broker_url: str | None = None

    @property
    def db(self) -> Database:
        return self.control.db

    def start(self, report: Callable[[str], None] = lambda message: None) -> None:
        """Join or start Redis, start the workers, pick up unfinished work."""
        from worker.control import Control
        from worker.pool import BACKGROUND_NICE, WorkerPool
        from worker.redis_server import broker_url

        report("Starting the message broker")
        self.broker_url, self.embedded = broker_url(self.settings)
        if self.embedded is not None:
            from worker.redis_server import RedisWatchdog

            # If the broker dies, it comes back on the same address.
            self.watchdog = RedisWatchdog(self.embedded)
            self.watchdog.start()
        report("Opening the database")
        self.control = Control(self.settings, self.broker_url)
        if self._start_pool:
            report(f"Starting {self._workers} workers")
            self.pool = WorkerPool(
                self._workers, broker_url=self.broker_url, nice=BACKGROUND_NICE
            ).start()
        report("Picking up unfinished work")
        resent = self.control.reconcile()
        if resent:
            log.info("Re-sent %s stage messages left from the last session.", resent)

    def stop(self, *, drain: bool = True) -> None:
        """Stop the workers (letting running work finish when ``drain``)."""
        if self.pool is not None:
            self.pool.stop(timeout=600 if drain else 5)
            self.pool = None
        if self.control is not None:
            self.control.close()
        if self.watchdog is not None:
            self.watchdog.stop()
            self.watchdog = None
        if self.embedded is not None:
            self.embedded.release()
            self.embedded = None
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking call off the GUI thread and await its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(fn, *args, **kwargs)
        )
