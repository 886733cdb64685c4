"""The app's own workers run below normal priority, so the window stays smooth."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psutil
import pytest

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(sys.platform != "linux", reason="reads /proc"),
]


def thread_nice(pid: int) -> dict[int, int]:
    """The niceness of every thread of a process (field 19 of its stat)."""
    values = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        stat = (task / "stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        values[int(task.name)] = int(fields[16])
    return values


def wait_for_threads(pid: int, count: int, timeout: float = 30) -> dict[int, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        values = thread_nice(pid)
        if len(values) >= count:
            return values
        time.sleep(0.2)
    raise AssertionError(f"worker {pid} never started {count} threads")


def test_a_background_pool_runs_every_worker_thread_below_normal(stack):
    pool = stack.pool(2, threads=2, nice=10)
    pids = pool.pids()
    assert len(pids) == 2
    for pid in pids:
        # The main thread, the consumer, two worker threads and heartbeats.
        values = wait_for_threads(pid, 4)
        assert set(values.values()) == {psutil.Process().nice() + 10}, values


def test_a_background_worker_still_finishes_a_project(stack):
    stack.pool(1, threads=2, nice=10)
    project = stack.project("Bees fan their wings. Nectar turns to honey.")
    stack.run(project)
    assert stack.wait(project) == "done"


def test_a_plain_pool_keeps_normal_priority(stack):
    pool = stack.pool(1, threads=2)
    values = wait_for_threads(pool.pids()[0], 4)
    assert set(values.values()) == {psutil.Process().nice()}
