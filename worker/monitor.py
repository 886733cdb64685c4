"""The task monitor: queues, live workers, and tasks by state.

What a Celery user gets from Flower, as a small API the desktop shows and
``reelwright status`` prints: queue depths (waiting and delayed for a
retry), the workers whose heartbeat is fresh, and the stage runs that are
running, retrying, failed or finished, with their errors.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

import redis

from core.db import Database
from core.models import Project, StageRun, StageState
from worker.broker import NAMESPACE, QUEUE
from worker.middleware import WORKER_TTL_SECONDS, WORKERS_KEY


@dataclass(frozen=True)
class TaskRow:
    project_id: int
    project: str
    stage: str
    part: int
    state: str
    attempt: int
    progress: float
    message: str
    error: str | None


@dataclass(frozen=True)
class WorkerTask:
    """What a worker's heartbeat says it is doing, read back."""

    stage: str
    project_id: int
    part: int  # -1: the stage as a whole


# A heartbeat names a task as ``actor[project_id, part]``.
_TASK_NAME = re.compile(r"(?P<actor>\w+)\[(?P<project>\d+), (?P<part>-?\d+)\]")


def worker_task(name: str) -> WorkerTask | None:
    """The stage, project and part of a heartbeat's task name, if it is one."""
    from worker.actors import ACTORS

    match = _TASK_NAME.fullmatch(name)
    declared = ACTORS.get(match["actor"]) if match else None
    if match is None or declared is None:
        return None
    stage = declared.options["stage"]
    return WorkerTask(stage, int(match["project"]), int(match["part"]))


def describe_task(name: str) -> str:
    """ "render, part 3, project #12" for ``render_segment[12, 2]``; a name
    that is not a pipeline task is shown as it is."""
    task = worker_task(name)
    if task is None:
        return name
    if task.part < 0:
        return f"{task.stage}, project #{task.project_id}"
    return f"{task.stage}, part {task.part + 1}, project #{task.project_id}"


@dataclass
class Snapshot:
    queues: dict[str, int] = field(default_factory=dict)
    workers: list[dict] = field(default_factory=list)
    running: list[TaskRow] = field(default_factory=list)
    retrying: list[TaskRow] = field(default_factory=list)
    failed: list[TaskRow] = field(default_factory=list)
    finished: list[TaskRow] = field(default_factory=list)


def snapshot(
    client: redis.Redis, db: Database, *, finished_limit: int = 20
) -> Snapshot:
    result = Snapshot(queues=queue_depths(client), workers=live_workers(client))
    with db.session() as session:
        rows = (
            session.query(StageRun, Project.name)
            .join(Project, Project.id == StageRun.project_id)
            .order_by(StageRun.updated_at.desc())
            .all()
        )
        for run, name in rows:
            row = TaskRow(
                run.project_id,
                name,
                run.stage,
                run.scene_position,
                run.state.value,
                run.attempt,
                run.progress,
                run.message,
                run.error_message,
            )
            if run.state is StageState.RUNNING:
                result.running.append(row)
            elif run.state is StageState.QUEUED and run.error_message:
                result.retrying.append(row)
            elif run.state is StageState.FAILED:
                result.failed.append(row)
            elif (
                run.state is StageState.SUCCEEDED
                and len(result.finished) < finished_limit
            ):
                result.finished.append(row)
    return result


def queue_depths(client: redis.Redis) -> dict[str, int]:
    return {
        "waiting": int(client.hlen(f"{NAMESPACE}:{QUEUE}.msgs") or 0)
        - int(_in_progress(client)),
        "delayed": int(client.hlen(f"{NAMESPACE}:{QUEUE}.DQ.msgs") or 0),
        "dead": int(client.hlen(f"{NAMESPACE}:{QUEUE}.XQ.msgs") or 0),
    }


def _in_progress(client: redis.Redis) -> int:
    return sum(
        int(client.scard(key) or 0)
        for key in client.scan_iter(f"{NAMESPACE}:__acks__.*.{QUEUE}")
    )


def live_workers(client: redis.Redis) -> list[dict]:
    now = time.time()
    workers = []
    for raw in client.hvals(WORKERS_KEY):
        record = json.loads(raw)
        if now - record.get("seen", 0) <= WORKER_TTL_SECONDS:
            workers.append(record)
    return sorted(workers, key=lambda w: w["id"])
