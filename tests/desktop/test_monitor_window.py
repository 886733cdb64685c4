"""The task monitor on a real Redis and database: what it lists, and its
Retry and Terminate buttons."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import Qt

from core.content import content_from_text
from core.models import StageRun, StageState
from core.pipeline.project import create_project
from desktop.ui.monitor_window import MonitorWindow
from worker.cancel import is_cancelled
from worker.middleware import WORKERS_KEY


@pytest.fixture(autouse=True)
def _no_background_errors(no_background_errors):  # type: ignore[no-untyped-def]
    """Every test here fails if a coroutine failed behind its back."""


def new_project(backend, name: str) -> int:  # type: ignore[no-untyped-def]
    return create_project(
        backend.db, content_from_text("# One\n\nBees make honey."), name=name
    )


def save_run(backend, project: int, stage: str, **values) -> None:  # type: ignore[no-untyped-def]
    with backend.db.session() as session:
        session.add(StageRun(project_id=project, stage=stage, **values))


def opened(backend, qtbot) -> MonitorWindow:  # type: ignore[no-untyped-def]
    monitor = MonitorWindow(backend)
    qtbot.addWidget(monitor)
    monitor.show()
    qtbot.waitUntil(lambda: monitor.snapshot is not None, timeout=3000)
    return monitor


def test_a_failed_task_is_listed_and_its_retry_requeues_it(backend, qtbot):
    project = new_project(backend, "Honey")
    save_run(backend, project, "script", state=StageState.FAILED, attempt=3,
             error_kind="transient", error_message="The writer timed out.")  # fmt: skip

    monitor = opened(backend, qtbot)

    failed = monitor.tables["failed"]
    assert failed.rowCount() == 1
    assert failed.item(0, 0).text() == f"Honey (#{project})"
    assert failed.item(0, 5).text() == "The writer timed out."
    assert monitor.tabs.tabText(2) == "Failed (1)"

    qtbot.mouseClick(failed.cellWidget(0, 6), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: bool(backend.control.in_flight()), timeout=3000)
    assert backend.control.in_flight() == {("generate_script", project, -1)}
    qtbot.waitUntil(lambda: failed.rowCount() == 0, timeout=3000)
    assert monitor.queues.text().startswith("Queued: 1")


def test_queues_workers_and_running_tasks_are_listed_and_terminate_cancels(
    backend, qtbot
):
    project = new_project(backend, "Wings")
    save_run(backend, project, "render", state=StageState.RUNNING, attempt=1,
             progress=0.42, message="Encoding")  # fmt: skip
    record = {
        "id": "studio:4242:abc123",
        "host": "studio",
        "pid": 4242,
        "started": time.time() - 60,
        "seen": time.time(),
        "tasks": [f"render_segment[{project}, 0]", f"generate_script[{project}, -1]"],
    }
    # A worker's heartbeat, written where workers write it.
    backend.control.redis.hset(WORKERS_KEY, record["id"], json.dumps(record))

    monitor = opened(backend, qtbot)

    assert monitor.workers.rowCount() == 1
    assert monitor.workers.item(0, 2).text() == (
        f"Render, part 1, project #{project}; Script, project #{project}"
    )
    running = monitor.tables["running"]
    assert running.item(0, 4).text() == "42%"
    assert running.item(0, 5).text() == "Encoding"

    qtbot.mouseClick(running.cellWidget(0, 6), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(
        lambda: is_cancelled(backend.control.redis, project, "render"), timeout=3000
    )
    assert not is_cancelled(backend.control.redis, project, "script")


def test_reads_never_overlap_and_stop_while_the_window_is_hidden(backend, qtbot):
    monitor = opened(backend, qtbot)
    reads: list[bool] = []
    monitor.refreshed.connect(lambda: reads.append(True))

    for _ in range(5):
        monitor.request_refresh()
    qtbot.waitUntil(lambda: len(reads) == 2, timeout=3000)
    qtbot.wait(300)

    assert len(reads) == 2  # the one running, then one more for the rest
    monitor.hide()
    assert not monitor._timer.isActive()
