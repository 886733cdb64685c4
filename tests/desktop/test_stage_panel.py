"""The stage panel against a real Redis and a real database: live bars, a
late window, Retry that re-queues only its stage, and Cancel that stops a
real render in a real worker."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
import redis
from PySide6.QtCore import Qt

from core.content import content_from_text
from core.models import StageRun, StageState, utcnow
from core.pipeline.project import create_project
from core.progress import ProgressEvent
from desktop.progress_feed import ProgressFeed
from desktop.stage_summary import RUNNING
from desktop.ui.stage_panel import StagePanel
from worker.pool import WorkerPool
from worker.progress import RedisProgressSink

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SUCCEEDED, FAILED = StageState.SUCCEEDED, StageState.FAILED


@pytest.fixture(autouse=True)
def _no_background_errors(no_background_errors):  # type: ignore[no-untyped-def]
    """Every test here fails if a coroutine failed behind its back."""


@pytest.fixture
def feed(backend, qtbot):  # type: ignore[no-untyped-def]
    feed = ProgressFeed(backend)
    feed.start()
    qtbot.waitUntil(lambda: feed.connected, timeout=5000)
    yield feed
    feed.stop()
    qtbot.wait(20)  # let the listening task close its connection


@pytest.fixture
def panel(backend, feed, qtbot):  # type: ignore[no-untyped-def]
    panel = StagePanel(backend, feed=feed)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def new_project(backend, text: str = "# One\n\nBees make honey.", **options) -> int:  # type: ignore[no-untyped-def]
    return create_project(backend.db, content_from_text(text), **options)


def save_runs(backend, project: int, runs: dict) -> None:  # type: ignore[no-untyped-def]
    """``runs``: {(stage, scene): {column: value}}; scene -1 is the stage."""
    with backend.db.session() as session:
        for (stage, scene), values in runs.items():
            session.add(
                StageRun(
                    project_id=project, stage=stage, scene_position=scene, **values
                )
            )


def emit_from_a_thread(backend, events: list[ProgressEvent]) -> None:  # type: ignore[no-untyped-def]
    """Publish as a worker does: from another thread, through the real sink."""
    client = redis.Redis.from_url(backend.broker_url)
    sink = RedisProgressSink(client, backend.db)
    thread = threading.Thread(target=lambda: [sink.emit(e) for e in events])
    thread.start()
    thread.join()
    client.close()


def show(panel, project: int, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.set_project(project)
    qtbot.waitUntil(lambda: "render" in panel.rows, timeout=3000)


def state(backend, project: int, stage: str, scene: int = -1) -> StageState:  # type: ignore[no-untyped-def]
    runs = backend.control.stage_runs(project)
    return next(r.state for r in runs if r.stage == stage and r.scene_position == scene)


# -- live progress ----------------------------------------------------------------


def test_live_events_move_the_bars_of_their_own_rows(backend, window, qtbot):
    project, other = new_project(backend), new_project(backend)
    save_runs(backend, project, {("images", n): {} for n in range(3)})
    panel = window.stages
    window.set_project(project)
    qtbot.waitUntil(lambda: "render" in panel.rows and panel.feed.connected)

    emit_from_a_thread(
        backend,
        [
            ProgressEvent(other, "script", "running", 0.9),
            ProgressEvent(project, "audio", "running", 0.4, eta_seconds=30),
            ProgressEvent(project, "images", "succeeded", 1.0, scene=0),
            ProgressEvent(project, "images", "running", 0.5, scene=1),
        ],
    )

    rows = panel.rows
    qtbot.waitUntil(lambda: rows["audio"].bar.value() == 400, timeout=3000)
    qtbot.waitUntil(lambda: rows["images"].bar.text() == "1 of 3", timeout=3000)
    assert rows["audio"].status.text() == "Running"
    assert rows["audio"].eta.text().startswith("About 0:")
    assert rows["images"].bar.value() == 500  # (1 + 0.5 + 0) / 3
    assert rows["script"].bar.value() == 0  # the other project's event
    assert rows["render"].bar.value() == 0
    panel.feed.stop()


def test_a_late_window_shows_the_saved_progress_before_any_event(backend, panel, qtbot):
    project = new_project(backend)
    started = utcnow() - timedelta(seconds=75)
    refused = (
        "The image service refused the key. Set the Stability API key in "
        "Settings > API keys (REELWRIGHT_STABILITY_KEY)."
    )
    save_runs(
        backend,
        project,
        {
            ("script", -1): {"state": SUCCEEDED, "progress": 1.0, "attempt": 1},
            ("audio", -1): {
                "state": StageState.RUNNING,
                "progress": 0.6,
                "attempt": 1,
                "started_at": started,
            },
            ("images", -1): {
                "state": FAILED,
                "attempt": 1,
                "error_kind": "permanent",
                "error_message": refused,
            },
            ("render", -1): {"state": StageState.PENDING},
        },
    )

    show(panel, project, qtbot)

    rows = panel.rows
    qtbot.waitUntil(lambda: rows["audio"].bar.value() == 600, timeout=3000)
    assert rows["script"].status.text() == "Done"
    assert rows["audio"].elapsed.text() in ("1:15", "1:16", "1:17")
    assert rows["images"].status.text() == "Failed"
    assert rows["images"].error.isVisibleTo(panel)
    lead, words = rows["images"].error.text().split("\n", 1)
    assert lead == "This needs a change from you before it can work:"
    assert "REELWRIGHT_STABILITY_KEY" in words
    assert rows["images"].retry_button.isEnabled()
    assert not rows["images"].cancel_button.isEnabled()
    assert rows["render"].status.text() == "Waiting"
    assert rows["render"].cancel_button.isEnabled()
    assert not rows["render"].retry_button.isEnabled()


def test_presenter_and_upload_rows_appear_only_when_the_project_has_them(
    backend, panel, qtbot
):
    plain = new_project(backend)
    full = new_project(backend, visual={"optional_stages": ["avatars", "upload"]})

    show(panel, plain, qtbot)
    assert list(panel.rows) == ["script", "audio", "images", "render"]

    panel.set_project(full)
    qtbot.waitUntil(lambda: "upload" in panel.rows, timeout=3000)
    assert list(panel.rows) == [
        "script",
        "audio",
        "images",
        "avatars",
        "render",
        "upload",
    ]
    assert panel.rows["avatars"].name.text() == "Presenter"


# -- commands ------------------------------------------------------------------


def test_retry_requeues_only_the_failed_stage(backend, panel, qtbot):
    project = new_project(backend)
    done = {"state": SUCCEEDED, "progress": 1.0, "attempt": 1}
    save_runs(
        backend,
        project,
        {
            ("script", -1): done,
            ("audio", -1): done,
            ("images", -1): done,
            ("images", 0): done,
            ("render", -1): {
                "state": FAILED,
                "attempt": 1,
                "error_kind": "render",
                "error_message": "FFmpeg stopped.",
            },
        },
    )
    show(panel, project, qtbot)
    row = panel.rows["render"]
    qtbot.waitUntil(row.retry_button.isEnabled, timeout=3000)

    qtbot.mouseClick(row.retry_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: bool(backend.control.in_flight()), timeout=3000)
    assert backend.control.in_flight() == {("render_video", project, -1)}
    assert state(backend, project, "render") is StageState.QUEUED
    for stage, scene in (("script", -1), ("audio", -1), ("images", -1), ("images", 0)):
        assert state(backend, project, stage, scene) is SUCCEEDED
    qtbot.waitUntil(lambda: row.status.text() == "Waiting", timeout=3000)
    assert not row.retry_button.isEnabled()


def test_a_failed_scene_has_its_own_retry_that_requeues_only_that_image(
    backend, panel, qtbot
):
    project = new_project(backend)
    done = {"state": SUCCEEDED, "progress": 1.0, "attempt": 1}
    failed = {"state": FAILED, "attempt": 3, "error_message": "Timed out."}
    save_runs(
        backend,
        project,
        {
            ("script", -1): done,
            ("images", -1): {**failed, "error_message": "Scene 3: Timed out."},
            ("images", 0): done,
            ("images", 1): done,
            ("images", 2): failed,
        },
    )
    show(panel, project, qtbot)
    row = panel.rows["images"]
    qtbot.waitUntil(lambda: len(row.scene_buttons) == 1, timeout=3000)
    assert row.bar.text() == "2 of 3"
    assert (
        "Scene 3: Timed out."
        in row.failed_scenes.findChildren(type(row.status))[0].text()
    )

    qtbot.mouseClick(row.scene_buttons[0], Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: bool(backend.control.in_flight()), timeout=3000)
    assert backend.control.in_flight() == {("generate_scene_image", project, 2)}
    assert state(backend, project, "images", 2) is StageState.QUEUED
    assert state(backend, project, "images", 0) is SUCCEEDED
    qtbot.waitUntil(lambda: row.status.text() == "Running", timeout=3000)


# -- a real render, cancelled --------------------------------------------------------


def ffmpeg_children(pids: list[int]) -> list[int]:
    """The FFmpeg processes still alive under the given worker processes."""
    found = []
    for pid in pids:
        try:
            children = psutil.Process(pid).children(recursive=True)
        except psutil.NoSuchProcess:
            continue
        for child in children:
            try:
                alive = child.status() != psutil.STATUS_ZOMBIE
                if alive and "ffmpeg" in child.name():
                    found.append(child.pid)
            except psutil.NoSuchProcess:
                continue  # ended while we looked
    return found


@pytest.fixture
def workers(backend, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REELWRIGHT_X264_PRESET", "medium")  # a render that lasts
    monkeypatch.setenv("REELWRIGHT_BACKOFF_SCALE", "0.001")
    monkeypatch.setenv("PYTHONPATH", str(PROJECT_ROOT))
    pool = WorkerPool(1, broker_url=backend.broker_url).start()
    yield pool
    pool.stop(timeout=10)


@pytest.mark.integration
def test_cancel_stops_a_running_render(backend, workers, panel, qtbot):
    scenes = "\n\n".join(
        f"# Part {n}\n\n" + "A longer scene about bees. " * 8 for n in range(1, 4)
    )
    project = new_project(backend, scenes, format="shorts", visual={"music": "none"})
    backend.control.start_project(project)
    show(panel, project, qtbot)
    row = panel.rows["render"]
    began = time.monotonic()
    qtbot.waitUntil(  # segments being encoded
        lambda: (
            row.state == RUNNING
            and row.summary.total > 0
            and bool(ffmpeg_children(workers.pids()))
        ),
        timeout=45_000,
    )
    print(f"segments encoding after {time.monotonic() - began:.1f} s")

    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    clicked = time.monotonic()

    qtbot.waitUntil(lambda: row.status.text() == "Cancelled", timeout=5000)
    print(f"the row said Cancelled {time.monotonic() - clicked:.2f} s after the click")
    qtbot.waitUntil(lambda: not ffmpeg_children(workers.pids()), timeout=3000)
    assert row.retry_button.isEnabled()
    assert state(backend, project, "script") is SUCCEEDED
