"""The producer side of the worker stack, shared by the app and the CLI.

``Control`` starts projects, retries and cancels stages, reconciles after a
crash and reads the state back. It sends messages and reads the database;
it never does stage work itself.
"""

from __future__ import annotations

import logging

import redis
from dramatiq import Message

from core.db import Database
from core.models import Project, StageRun
from core.settings import Settings
from worker import orchestrator
from worker.broker import NAMESPACE, QUEUE, setup_broker
from worker.cancel import clear_cancel, request_cancel

log = logging.getLogger(__name__)


class Control:
    def __init__(self, settings: Settings, broker_url: str) -> None:
        self.settings = settings
        self.broker_url = broker_url
        self.db = Database(settings.database_url).migrate()
        self.broker = setup_broker(broker_url)
        self.redis = redis.Redis.from_url(broker_url)

    def send(self, actor_name: str, project_id: int, part: int) -> None:
        from worker.actors import send

        send(actor_name, project_id, part)

    def start_project(self, project_id: int) -> None:
        clear_cancel(self.redis, project_id)
        orchestrator.start(self.db, project_id, self.send)

    def retry(self, project_id: int, stage: str, part: int | None = None) -> None:
        clear_cancel(self.redis, project_id, stage)
        orchestrator.retry(self.db, project_id, stage, part, self.send)

    def cancel(self, project_id: int, stage: str | None = None) -> None:
        request_cancel(self.redis, project_id, stage)
        orchestrator.cancel_pending(self.db, project_id, stage)

    def reconcile(self) -> int:
        return orchestrator.reconcile(self.db, self.send, self.in_flight())

    def in_flight(self) -> set[tuple[str, int, int]]:
        """(actor, project, part) of every message the broker still holds."""
        found: set[tuple[str, int, int]] = set()
        for queue in (QUEUE, f"{QUEUE}.DQ"):
            for raw in self.redis.hvals(f"{NAMESPACE}:{queue}.msgs"):
                message = Message.decode(
                    raw if isinstance(raw, bytes) else raw.encode()
                )
                args = list(message.args) + [-1]
                found.add((message.actor_name, int(args[0]), int(args[1])))
        return found

    def status(self, project_id: int) -> str:
        with self.db.session() as session:
            project = session.get(Project, project_id)
            return project.status if project else "missing"

    def stage_runs(self, project_id: int) -> list[StageRun]:
        with self.db.session() as session:
            runs = session.query(StageRun).filter_by(project_id=project_id).all()
            session.expunge_all()
            return runs

    def close(self) -> None:
        self.broker.close()
        self.redis.close()
        self.db.dispose()
