"""The progress feed: saved state first, live events from a real Redis,
stale events dropped, bursts coalesced, and a reconnect after Redis died.

Also the summing-up of one stage's events into what its row shows, which
needs nothing running.
"""

from __future__ import annotations

import json
import os
import signal
import threading

import psutil
import pytest
import redis

from core.content import content_from_text
from core.models import StageRun, StageState, utcnow
from core.pipeline.project import create_project
from core.progress import ProgressEvent
from desktop.progress_feed import ProgressFeed
from desktop.stage_summary import (
    CANCELLED,
    DONE,
    FAILED,
    RETRYING,
    RUNNING,
    WAITING,
    SavedProgress,
    StageTracker,
)
from worker.progress import RedisProgressSink


@pytest.fixture(autouse=True)
def _no_background_errors(no_background_errors):  # type: ignore[no-untyped-def]
    """Every test here fails if a coroutine failed behind its back."""


# -- summing up one stage (no Redis, no Qt) ---------------------------------------


def event(stage="images", state="running", scene=None, at=100.0, **more):  # type: ignore[no-untyped-def]
    return ProgressEvent(
        project_id=1, stage=stage, state=state, scene=scene, timestamp=at, **more
    )


def test_images_row_counts_finished_scenes_and_averages_the_rest():
    tracker = StageTracker("images")
    tracker.apply(event(message="0 of 4", at=100))
    tracker.apply(event(scene=0, state="succeeded", fraction=1.0, at=101))
    tracker.apply(event(scene=1, state="succeeded", fraction=1.0, at=102))
    tracker.apply(event(scene=2, fraction=0.5, at=103))
    tracker.apply(event(scene=3, state="queued", at=103))

    summary = tracker.summary(now=110)

    assert summary.state == RUNNING
    assert (summary.done, summary.total) == (2, 4)
    assert summary.fraction == pytest.approx(2.5 / 4)
    assert summary.started == 100
    assert summary.eta_seconds == pytest.approx(10 / (2.5 / 4) - 10)


def test_failed_scenes_are_listed_and_the_stage_fails_when_nothing_runs():
    tracker = StageTracker("images")
    tracker.apply(event(at=100))
    tracker.apply(event(scene=0, state="succeeded", at=101))
    tracker.apply(
        event(scene=1, state="failed", message="The key was refused.", at=102)
    )

    summary = tracker.summary(now=103)

    assert summary.state == FAILED
    assert summary.failed_parts == ((1, "The key was refused."),)


def test_an_older_event_never_replaces_a_newer_one():
    tracker = StageTracker("script")
    tracker.apply(event("script", "succeeded", fraction=1.0, at=200))
    tracker.apply(event("script", "running", fraction=0.4, at=150))

    assert tracker.summary(now=201).state == DONE


def test_a_queued_stage_with_an_error_is_retrying_its_next_attempt():
    tracker = StageTracker("audio")
    tracker.apply(
        event("audio", "queued", attempt=1, error_kind="transient", message="Busy")
    )

    summary = tracker.summary(now=101)

    assert (summary.state, summary.attempt, summary.error) == (RETRYING, 1, "Busy")


def test_render_segments_of_an_earlier_attempt_are_ignored():
    tracker = StageTracker("render")
    tracker.apply(event("render", "cancelled", scene=0, at=100))
    tracker.apply(
        SavedProgress(
            project_id=1,
            stage="render",
            state="running",
            attempt=2,
            timestamp=130,
            started_at=120,
        )
    )

    summary = tracker.summary(now=131)

    assert (summary.state, summary.total) == (RUNNING, 0)


def test_render_is_cancelled_when_its_segments_were():
    tracker = StageTracker("render")
    tracker.apply(event("render", "running", at=100))
    tracker.apply(event("render", "succeeded", scene=0, at=101))
    tracker.apply(event("render", "cancelled", scene=1, at=102))

    assert tracker.summary(now=103).state == CANCELLED


def test_a_stage_nobody_reported_on_is_waiting_and_unknown():
    summary = StageTracker("upload").summary(now=1)

    assert (summary.state, summary.known) == (WAITING, False)


# -- the feed on a real Redis ---------------------------------------------------


@pytest.fixture
def project(backend) -> int:  # type: ignore[no-untyped-def]
    return create_project(backend.db, content_from_text("# One\n\nBees make honey."))


@pytest.fixture
def feed(backend, qtbot):  # type: ignore[no-untyped-def]
    feed = ProgressFeed(backend)
    feed.start()
    qtbot.waitUntil(lambda: feed.connected, timeout=5000)
    yield feed
    feed.stop()
    qtbot.wait(20)  # let the listening task close its connection


def save_run(backend, project: int, stage: str, **values) -> None:  # type: ignore[no-untyped-def]
    with backend.db.session() as session:
        session.add(StageRun(project_id=project, stage=stage, **values))


def received(feed) -> list[ProgressEvent]:  # type: ignore[no-untyped-def]
    events: list[ProgressEvent] = []
    feed.event.connect(events.append)
    return events


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def emit_from_a_thread(backend, events: list[ProgressEvent]) -> None:  # type: ignore[no-untyped-def]
    client = redis.Redis.from_url(backend.broker_url)
    sink = RedisProgressSink(client, backend.db)
    thread = threading.Thread(target=lambda: [sink.emit(e) for e in events])
    thread.start()
    thread.join()
    client.close()


def test_watching_a_project_sends_its_saved_state(backend, feed, project, qtbot):
    save_run(
        backend,
        project,
        "audio",
        state=StageState.RUNNING,
        progress=0.6,
        attempt=1,
        started_at=utcnow(),
    )
    events = received(feed)

    feed.watch(project)

    qtbot.waitUntil(lambda: any(e.stage == "audio" for e in events), timeout=3000)
    saved = next(e for e in events if e.stage == "audio")
    assert isinstance(saved, SavedProgress)
    assert (saved.state, saved.fraction, saved.attempt) == ("running", 0.6, 1)
    assert saved.started_at is not None


def test_live_events_arrive_and_a_burst_is_coalesced(backend, feed, project, qtbot):
    events = received(feed)
    burst = [
        ProgressEvent(project, "render", "running", fraction=n / 500, scene=0)
        for n in range(1, 501)
    ]

    emit_from_a_thread(backend, burst)

    qtbot.waitUntil(
        lambda: bool(events) and events[-1].fraction == pytest.approx(1.0), timeout=5000
    )
    assert len(events) < 100  # at most one update per stage every 50 ms
    fractions = [e.fraction for e in events]
    assert fractions == sorted(fractions)


def test_the_feed_reconnects_after_redis_restarts_and_rereads_saved_state(
    backend, feed, project, qtbot
):
    feed.watch(project)
    events = received(feed)
    server = json.loads(backend.embedded.state_file.read_text())["pid"]

    os.kill(server, signal.SIGKILL)
    qtbot.waitUntil(lambda: not feed.connected, timeout=5000)
    qtbot.waitUntil(lambda: gone(server), timeout=5000)
    # Work goes on while the window is cut off: only the database knows.
    save_run(backend, project, "script", state=StageState.SUCCEEDED, progress=1.0)
    assert backend.embedded.restart_if_dead()

    qtbot.waitUntil(lambda: feed.connected, timeout=8000)
    qtbot.waitUntil(lambda: any(e.stage == "script" for e in events), timeout=3000)
    assert next(e for e in events if e.stage == "script").state == "succeeded"

    emit_from_a_thread(backend, [ProgressEvent(project, "audio", "running", 0.25)])
    qtbot.waitUntil(lambda: any(e.stage == "audio" for e in events), timeout=3000)
    assert next(e for e in events if e.stage == "audio").fraction == 0.25


def test_a_new_scene_makes_the_feed_read_how_many_scenes_there_are(
    backend, feed, project, qtbot
):
    feed.watch(project)
    qtbot.wait(100)
    events = received(feed)
    for position in range(3):  # as the fan-out saves them, without events
        save_run(backend, project, "images", scene_position=position)

    emit_from_a_thread(
        backend, [ProgressEvent(project, "images", "running", 0.3, scene=0)]
    )

    qtbot.waitUntil(
        lambda: {e.scene for e in events if e.stage == "images"} == {0, 1, 2},
        timeout=3000,
    )
    live = [e for e in events if e.scene == 0]
    assert live[-1].fraction == 0.3  # the saved row agrees with the event
