"""Reelwright's Dramatiq middleware: the actors' one catch point, and the
heartbeats the task monitor reads.

``StageMiddleware`` runs after Retries has decided a message's fate. After a
success or a final failure it asks the orchestrator what is ready next; for
a failure that escaped the stage's own bookkeeping (an unexpected bug, a
cancel before start) it records the stage's state so nothing stays
"running" forever.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
import uuid

import redis
from dramatiq.middleware import Middleware

from core.errors import CancelledError, ReelwrightError
from core.models import StageRun, StageState, utcnow

log = logging.getLogger(__name__)

WORKERS_KEY = "reelwright:workers"
HEARTBEAT_SECONDS = 2.0
WORKER_TTL_SECONDS = 10


def message_parts(message) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    args = list(message.args) + [-1]
    return int(args[0]), int(args[1])


class StageMiddleware(Middleware):
    def after_process_message(self, broker, message, *, result=None, exception=None):  # type: ignore[no-untyped-def]
        from worker.actors import send
        from worker.orchestrator import advance
        from worker.runtime import runtime

        actor = broker.get_actor(message.actor_name)
        stage = actor.options.get("stage", message.actor_name)
        project_id, part = message_parts(message)
        db = runtime().db
        if exception is not None:
            final = bool(getattr(message, "failed", False))
            self._record(db, project_id, stage, part, exception, final)
            if not final:
                return
        advance(db, project_id, send)

    def after_skip_message(self, broker, message):  # type: ignore[no-untyped-def]
        log.warning("Skipped message %s (too old).", message.message_id)

    def _record(self, db, project_id, stage, part, exception, final) -> None:  # type: ignore[no-untyped-def]
        if isinstance(exception, CancelledError):
            state, message = StageState.CANCELLED, exception.message
        elif isinstance(exception, ReelwrightError):
            state = StageState.FAILED if final else StageState.QUEUED
            message = exception.message
        else:
            log.error(
                "Project %s: stage %s failed unexpectedly.",
                project_id,
                stage,
                exc_info=exception,
            )
            state = StageState.FAILED if final else StageState.QUEUED
            message = f"Unexpected error: {exception}"
        with db.session() as session:
            run = (
                session.query(StageRun)
                .filter_by(project_id=project_id, stage=stage, scene_position=part)
                .one_or_none()
            )
            if run is None or run.state in (StageState.SUCCEEDED,):
                return
            if run.state is StageState.FAILED and state is StageState.FAILED:
                return  # the stage recorded its own, better message
            run.state, run.updated_at = state, utcnow()
            if state is not StageState.QUEUED:
                run.finished_at = utcnow()
            run.error_kind = getattr(exception, "kind", "error")
            run.error_message = message


class WorkerHeartbeat(Middleware):
    """Each worker process says every two seconds that it is alive and what
    it is doing; the task monitor lists the live ones."""

    def __init__(self) -> None:
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._current: dict[int, str] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._started = time.time()

    def after_worker_boot(self, broker, worker):  # type: ignore[no-untyped-def]
        threading.Thread(
            target=self._beat, args=(broker,), daemon=True, name="reelwright-heartbeat"
        ).start()

    def before_worker_shutdown(self, broker, worker):  # type: ignore[no-untyped-def]
        self._stop.set()
        with contextlib.suppress(redis.RedisError):
            broker.client.hdel(WORKERS_KEY, self.worker_id)

    def before_process_message(self, broker, message):  # type: ignore[no-untyped-def]
        with self._lock:
            self._current[threading.get_ident()] = (
                f"{message.actor_name}{list(message.args)}"
            )

    def after_process_message(self, broker, message, *, result=None, exception=None):  # type: ignore[no-untyped-def]
        with self._lock:
            self._current.pop(threading.get_ident(), None)

    def _beat(self, broker) -> None:  # type: ignore[no-untyped-def]
        while not self._stop.wait(HEARTBEAT_SECONDS):
            with self._lock:
                doing = sorted(self._current.values())
            record = json.dumps(
                {
                    "id": self.worker_id,
                    "host": socket.gethostname(),
                    "pid": os.getpid(),
                    "started": self._started,
                    "seen": time.time(),
                    "tasks": doing,
                }
            )
            try:
                broker.client.hset(WORKERS_KEY, self.worker_id, record)
            except redis.RedisError:
                continue
