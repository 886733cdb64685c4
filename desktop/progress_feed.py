"""Live progress for the window: Redis pub/sub on the qasync loop.

``ProgressFeed`` subscribes to the workers' progress channel with
``redis.asyncio`` and emits each ``ProgressEvent`` on the GUI thread. On
every (re)connect, and whenever a watched project is first shown, it loads
the saved state of that project's stages from the database and emits it as
``SavedProgress`` events, so a window that opens late or reconnects after
Redis went away shows the true bars, never stale ones. It reconnects by
itself with a growing delay.

Events older than what the feed already knows for a stage (or one scene of
it) are dropped, and bursts are coalesced: each stage is sent to the
widgets at most once per ``interval`` with its latest event.
"""

from __future__ import annotations

import asyncio
import logging
import time

import redis
import redis.asyncio as aredis
from PySide6.QtCore import QObject, Signal
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from shiboken6 import isValid
from sqlalchemy.exc import SQLAlchemyError

from core.models import StageState
from core.progress import ProgressEvent
from desktop.stage_summary import SavedProgress, load_saved
from desktop.tasks import spawn
from worker.progress import CHANNEL

log = logging.getLogger(__name__)

Key = tuple[int, str, int | None]  # project, stage, scene (None: the stage)

INTERVAL = 0.05  # seconds between two updates of one stage
FIRST_DELAY, LONGEST_DELAY = 0.1, 3.0  # seconds between reconnects, doubling
SETTLE_SECONDS = 0.5  # after a stage ends, when to read what the orchestrator did
RESYNC_SECONDS = 10.0  # how often watched projects are read again anyway
YIELD_EVERY = 50  # messages read before the window gets a turn
FINAL_STATES = {
    StageState.SUCCEEDED.value,
    StageState.FAILED.value,
    StageState.CANCELLED.value,
}


def key_of(event: ProgressEvent) -> Key:
    return (event.project_id, event.stage, event.scene)


class ProgressFeed(QObject):
    """Start with ``start()``; ``watch(project_id)`` for saved state too."""

    event = Signal(object)  # ProgressEvent (SavedProgress when read back)
    connectionChanged = Signal(bool)

    def __init__(
        self, backend, parent: QObject | None = None, *, interval: float = INTERVAL
    ) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        self.interval = interval
        self.connected = False
        self._watched: set[int] = set()
        self._latest: dict[Key, ProgressEvent] = {}
        self._pending: dict[Key, ProgressEvent] = {}
        self._flush_handle: asyncio.Handle | None = None
        self._last_flush = 0.0
        self._reloads: dict[int, tuple[float, asyncio.Handle]] = {}  # when, what
        self._task: asyncio.Task | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = spawn(self._run())
            for project_id in self._watched:  # the saved state, even offline
                self.refresh(project_id, delay=0.0)

    def stop(self) -> None:
        """Stop listening; the connection closes as the task unwinds."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        handles = [self._flush_handle] + [due[1] for due in self._reloads.values()]
        for handle in handles:
            if handle is not None:
                handle.cancel()
        self._flush_handle = None
        self._reloads.clear()
        self._set_connected(False)

    @property
    def running(self) -> bool:
        return self._task is not None

    # -- what the widgets ask for -------------------------------------------

    def watch(self, project_id: int) -> None:
        """Read the project's saved state now and after every reconnect."""
        self._watched.add(project_id)
        self.refresh(project_id, delay=0.0)

    def unwatch(self, project_id: int) -> None:
        self._watched.discard(project_id)

    def latest(self, project_id: int) -> list[ProgressEvent]:
        """The newest event known for each stage and scene of the project."""
        return [e for k, e in self._latest.items() if k[0] == project_id]

    def refresh(self, project_id: int, *, delay: float = SETTLE_SECONDS) -> None:
        """Read the project's saved state again after ``delay`` seconds
        (once, however often it is asked meanwhile)."""
        if not self.running:
            return
        loop = asyncio.get_event_loop()
        when = loop.time() + delay
        due = self._reloads.get(project_id)
        if due is not None:
            if due[0] <= when:
                return  # one is due soon enough
            due[1].cancel()
        handle = loop.call_later(delay, self._start_reload, project_id)
        self._reloads[project_id] = (when, handle)

    # -- the connection ------------------------------------------------------

    async def _run(self) -> None:
        delay = FIRST_DELAY
        while True:
            try:
                await self._listen()
            except (redis.RedisError, OSError) as error:
                if self.connected:
                    log.warning("Lost the progress feed (%s); reconnecting.", error)
                else:
                    log.debug("The progress feed cannot connect yet: %s", error)
            except Exception:  # the feed's entry boundary: never die for good
                log.exception("The progress feed failed; starting it again.")
            delay = FIRST_DELAY if self.connected else min(delay * 2, LONGEST_DELAY)
            self._set_connected(False)
            await asyncio.sleep(delay)

    async def _listen(self) -> None:
        # No retries inside the client: a lost connection must surface here,
        # so that the saved state is read again before events are applied.
        client = aredis.Redis.from_url(
            self.backend.broker_url,
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=2,
            health_check_interval=15,
        )
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            # Subscribe before reading the database: whatever is published
            # meanwhile waits in the connection, and older events are dropped.
            await pubsub.subscribe(CHANNEL)
            self._set_connected(True)
            for project_id in self._watched:
                self.refresh(project_id, delay=0.0)
            await self._read(pubsub)
        finally:
            await pubsub.aclose()
            await client.aclose()

    async def _read(self, pubsub) -> None:  # type: ignore[no-untyped-def]
        resync_at = time.monotonic() + RESYNC_SECONDS
        count = 0
        while True:
            message = await pubsub.get_message(timeout=1.0)
            if message is not None and message.get("type") == "message":
                self._receive(message["data"])
                count += 1
                if count % YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # a flood must not starve the window
            if time.monotonic() >= resync_at:
                # Some changes come with no event (the orchestrator settling a
                # fanned-out stage, a worker that died): read them back.
                resync_at = time.monotonic() + RESYNC_SECONDS
                for project_id in self._watched:
                    self.refresh(project_id, delay=0.0)

    def _receive(self, data: bytes) -> None:
        try:
            event = ProgressEvent.from_json(data)
        except (ValueError, TypeError) as error:
            log.debug("Ignored a progress message that does not parse: %s", error)
            return
        self.offer(event)

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            if isValid(self):
                self.connectionChanged.emit(connected)

    # -- saved state -----------------------------------------------------------

    def _start_reload(self, project_id: int) -> None:
        self._reloads.pop(project_id, None)
        spawn(self._reload(project_id))

    async def _reload(self, project_id: int) -> None:
        try:
            saved = await self.backend.run(load_saved, self.backend.control, project_id)
        except (SQLAlchemyError, RuntimeError) as error:
            # RuntimeError: the backend is shutting down its threads.
            log.warning("Could not read the saved progress: %s", error)
            return
        if self.running:
            for event in saved:
                self.offer(event)

    # -- events to the widgets ---------------------------------------------------

    def offer(self, event: ProgressEvent) -> None:
        """Take an event (live or saved); newer ones replace older ones."""
        key = key_of(event)
        known = self._latest.get(key)
        if known is not None and event.timestamp < known.timestamp:
            return  # older than what is shown already
        self._latest[key] = event
        self._pending[key] = event
        live = not isinstance(event, SavedProgress)
        if live and event.project_id in self._watched:
            if known is None and event.scene is not None:
                self.refresh(event.project_id)  # new parts: learn how many
            elif event.state in FINAL_STATES or event.error_kind:
                self.refresh(event.project_id)  # see what comes next
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        if self._flush_handle is not None:
            return
        loop = asyncio.get_event_loop()
        wait = max(0.0, self._last_flush + self.interval - loop.time())
        self._flush_handle = loop.call_later(wait, self._flush)

    def _flush(self) -> None:
        self._flush_handle = None
        if not isValid(self):
            self.stop()  # the window that owned the feed is gone
            return
        self._last_flush = asyncio.get_event_loop().time()
        pending, self._pending = self._pending, {}
        for event in pending.values():
            self.event.emit(event)
