"""Crashes and restarts: a killed worker, a restarted Redis, cancel, retry."""

from __future__ import annotations

import json
import os
import signal
import time

import psutil
import pytest

from core.models import StageState
from tests.integration.worker.stack import paragraphs

pytestmark = pytest.mark.integration


def _worker_doing(stack, project: int, stage: str):  # type: ignore[no-untyped-def]
    """(pid, part) of a worker busy with one part of ``stage``, if any.

    Read from the part's row, which the worker marks running with its pid the
    moment it starts: the heartbeats come every two seconds, longer than a
    short part takes.
    """
    for run in stack.runs(project, stage):
        if run.scene_position >= 0 and run.state is StageState.RUNNING and run.worker:
            return int(run.worker.rsplit(":", 1)[1]), run.scene_position
    return None


def _kill_during(stack, project: int, stage: str) -> float:
    """kill -9 a worker running a part of ``stage``; return seconds until the
    lost message is picked up again (its part gets a new attempt)."""
    pid, part = stack.wait_for(
        lambda: _worker_doing(stack, project, stage), what=f"a {stage} part"
    )
    before = next(
        r.attempt for r in stack.runs(project, stage) if r.scene_position == part
    )
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    stack.wait_for(
        lambda: any(
            r.scene_position == part
            and (r.attempt > before or r.state is StageState.SUCCEEDED)
            for r in stack.runs(project, stage)
        ),
        timeout=60,
        what="the lost message to come back",
    )
    return time.monotonic() - killed_at


def _partial_files(root) -> list:  # type: ignore[no-untyped-def]
    return [p for p in root.rglob("*") if ".part" in p.name]


def test_a_killed_worker_loses_nothing_during_images_and_render(stack, tmp_path):
    stack.env["REELWRIGHT_SLOW_SECONDS"] = "2"
    pool = stack.pool(2)
    # Full-size segments of several seconds each, so one is caught running.
    project = stack.project(
        paragraphs(6, "A longer scene about bees. " * 5),
        providers={"images": "slow"},
        video_format="landscape",
    )
    stack.run(project)

    images_back = _kill_during(stack, project, "images")
    render_back = _kill_during(stack, project, "render")
    assert stack.wait(project) == "done"

    print(
        f"lost message back after {images_back:.1f} s (images), "
        f"{render_back:.1f} s (render)"
    )
    assert images_back < 20 and render_back < 20
    assert pool.restarts >= 2
    kinds = [(a.kind, a.scene_position) for a in stack.assets(project)]
    assert len(kinds) == len(set(kinds)) == 12
    storage = stack.control.settings.paths.storage
    assert _partial_files(storage) == []


def test_queued_messages_survive_a_redis_restart(stack):
    projects = [
        stack.project(f"# Item {n}\n\nA message that waits.") for n in range(20)
    ]
    for project in projects:
        stack.run(project)
    assert len(stack.control.in_flight()) == 20

    server = json.loads(stack.embedded.state_file.read_text())["pid"]
    os.kill(server, signal.SIGTERM)  # Redis stops the way a shutdown stops it
    stack.wait_for(
        lambda: (
            not psutil.pid_exists(server)
            or psutil.Process(server).status() == psutil.STATUS_ZOMBIE
        ),
        timeout=10,
        what="Redis to stop",
    )
    assert not stack.embedded.is_healthy()
    assert stack.embedded.restart_if_dead()
    assert len(stack.control.in_flight()) == 20

    stack.pool(2, threads=2)
    stack.wait_for(
        lambda: all(
            r.state is StageState.SUCCEEDED
            for p in projects
            for r in stack.runs(p, "script")
        ),
        timeout=120,
        what="every script stage",
    )
    for project in projects:
        stack.control.cancel(project)


def test_cancel_stops_a_render_and_leaves_it_retryable(stack):
    stack.pool(2)
    project = stack.project(
        paragraphs(3, "A longer scene. " * 12), video_format="shorts"
    )
    stack.run(project)
    pid, _ = stack.wait_for(
        lambda: _worker_doing(stack, project, "render"),
        timeout=180,
        what="a segment to start",
    )
    worker = psutil.Process(pid)
    stack.wait_for(
        lambda: any("ffmpeg" in c.name() for c in worker.children()),
        what="FFmpeg to start",
    )

    cancelled_at = time.monotonic()
    stack.control.cancel(project)
    stack.wait_for(
        lambda: not any("ffmpeg" in c.name() for c in worker.children()),
        timeout=10,
        what="FFmpeg to stop",
    )
    stopped_after = time.monotonic() - cancelled_at
    assert stack.wait(project, until=("cancelled", "failed", "done")) == "cancelled"
    print(f"render stopped {stopped_after:.2f} s after cancel")
    assert stopped_after < 3

    stack.control.retry(project, "render")
    assert stack.wait(project) == "done"


def test_reconcile_sends_work_whose_message_was_lost_before_the_send(stack):
    from worker import orchestrator

    project = stack.project(paragraphs(2))
    lost: list[tuple[str, int, int]] = []
    # The process "crashes" after committing the claim but before sending.
    orchestrator.start(stack.control.db, project, lambda *message: lost.append(message))
    assert lost == [("generate_script", project, -1)]
    assert stack.control.in_flight() == set()

    assert stack.control.reconcile() == 1
    stack.pool(2)
    assert stack.wait(project) == "done"


def test_a_stale_message_for_finished_work_is_dropped_untouched(stack):
    """A message left in the queue from before a cancel or a retry must not
    run the part again (it would race the new attempt)."""
    stack.pool(1)
    project = stack.project(paragraphs(2))
    stack.run(project)
    assert stack.wait(project) == "done"
    before = {
        (r.stage, r.scene_position): (r.state, r.attempt) for r in stack.runs(project)
    }

    for actor, part in (
        ("generate_scene_image", 0),
        ("render_segment", 0),
        ("generate_audio", -1),
    ):
        stack.control.send(actor, project, part)
    log = stack.home / "logs" / "reelwright.log"
    stack.wait_for(
        lambda: log.read_text(encoding="utf-8").count("dropped a stale") == 3,
        timeout=30,
        what="the stale messages to be dropped",
    )
    after = {
        (r.stage, r.scene_position): (r.state, r.attempt) for r in stack.runs(project)
    }
    assert after == before
    assert stack.control.status(project) == "done"
