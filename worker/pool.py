"""The worker pool: N worker processes, restarted if they die, drained on quit.

Workers are separate programs (``reelwright worker`` or, in the frozen app,
the app's own executable in worker mode), never forks of the GUI process,
because Qt is not fork-safe. Each one gets the broker, database and storage
through the environment, exactly as a worker on another machine would.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

log = logging.getLogger(__name__)

RESTART_DELAY = 1.0  # seconds before a dead worker is started again
# The niceness of the app's own workers. Renders and image generation keep
# every core busy; at normal priority they compete with the window for the
# CPU and the scheduler lets the GUI thread wait tens of milliseconds. Ten
# steps below normal (of nineteen) keeps the window's timers on time and
# costs the workers nothing when the machine is otherwise idle.
BACKGROUND_NICE = 10


def worker_command(threads: int, nice: int = 0) -> list[str]:
    if getattr(sys, "frozen", False):
        command = [sys.executable, "worker"]
    else:
        command = [sys.executable, "-m", "worker.cli", "worker"]
    command += ["--threads", str(threads)]
    if nice:
        command += ["--nice", str(nice)]
    return command


class WorkerPool:
    def __init__(
        self,
        size: int,
        *,
        broker_url: str,
        threads: int = 2,
        nice: int = 0,
        env: dict[str, str] | None = None,
    ) -> None:
        self.size = max(size, 1)
        self._env = {**os.environ, **(env or {}), "REELWRIGHT_BROKER_URL": broker_url}
        self._threads = threads
        self._nice = nice
        self._processes: list[subprocess.Popen[bytes] | None] = [None] * self.size
        self._stopping = threading.Event()
        self._watcher = threading.Thread(
            target=self._watch, daemon=True, name="reelwright-pool"
        )
        self.restarts = 0

    def start(self) -> WorkerPool:
        for slot in range(self.size):
            self._spawn(slot)
        self._watcher.start()
        return self

    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p is not None and p.poll() is None]

    def _spawn(self, slot: int) -> None:
        process = subprocess.Popen(
            worker_command(self._threads, self._nice),
            env=self._env,
            stdin=subprocess.DEVNULL,
        )
        self._processes[slot] = process
        log.debug("Worker %s started (pid %s).", slot, process.pid)

    def _watch(self) -> None:
        while not self._stopping.wait(0.5):
            for slot, process in enumerate(self._processes):
                if process is not None and process.poll() is not None:
                    log.warning(
                        "Worker pid %s exited with %s; starting another.",
                        process.pid,
                        process.returncode,
                    )
                    time.sleep(RESTART_DELAY)
                    if self._stopping.is_set():
                        return
                    self._spawn(slot)
                    self.restarts += 1

    def stop(self, timeout: float = 600.0) -> None:
        """Drain: ask every worker to finish its messages, then wait."""
        self._stopping.set()
        alive = [p for p in self._processes if p is not None and p.poll() is None]
        for process in alive:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in alive:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                log.warning(
                    "Worker pid %s did not drain in time; killing it.", process.pid
                )
                process.kill()
                process.wait()

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
