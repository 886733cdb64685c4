"""Progress over Redis pub/sub, with the latest state saved in the database.

Every event is published at once (the window's bars move smoothly); saving
to the database is throttled, except for changes of state, which the stage
itself records. A subscriber that connects late first reads the saved state,
then applies events, so it never shows a stale bar.
"""

from __future__ import annotations

import logging
import threading
import time

import redis

from core.db import Database
from core.models import StageRun, utcnow
from core.progress import ProgressEvent

log = logging.getLogger(__name__)

CHANNEL = "reelwright:progress"
SAVE_INTERVAL = 0.5  # seconds between saves of one stage's progress


def channel_for(project_id: int) -> str:
    return f"{CHANNEL}:{project_id}"


class RedisProgressSink:
    """Publishes events on the global and the project's channel."""

    def __init__(self, client: redis.Redis, db: Database) -> None:
        self._redis = client
        self._db = db
        self._saved_at: dict[tuple[int, str, int], float] = {}
        self._lock = threading.Lock()

    def emit(self, event: ProgressEvent) -> None:
        payload = event.to_json()
        try:
            self._redis.publish(CHANNEL, payload)
            self._redis.publish(channel_for(event.project_id), payload)
        except redis.RedisError as error:
            # Progress is advisory: a hiccup must not fail the work itself.
            log.warning("Could not publish progress: %s", error)
        if event.state == "running" and self._due(event):
            self._save(event)

    def _due(self, event: ProgressEvent) -> bool:
        key = (
            event.project_id,
            event.stage,
            -1 if event.scene is None else event.scene,
        )
        now = time.monotonic()
        with self._lock:
            if (
                now - self._saved_at.get(key, 0.0) < SAVE_INTERVAL
                and event.fraction < 1
            ):
                return False
            self._saved_at[key] = now
        return True

    def _save(self, event: ProgressEvent) -> None:
        scene = -1 if event.scene is None else event.scene
        with self._db.session() as session:
            session.query(StageRun).filter_by(
                project_id=event.project_id, stage=event.stage, scene_position=scene
            ).update(
                {
                    "progress": event.fraction,
                    "message": event.message,
                    "updated_at": utcnow(),
                }
            )
