"""One worker process: Dramatiq consumers and worker threads in this process.

Started as a program (``reelwright worker``), never forked from the GUI. On
SIGTERM or SIGINT it stops taking messages, lets the running ones finish
(draining) and exits 0.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading

import dramatiq
import psutil

from core.settings import Settings
from worker.broker import QUEUE, setup_broker
from worker.runtime import configure

log = logging.getLogger(__name__)

DRAIN_TIMEOUT_MS = 600_000


def lower_priority(nice: int) -> None:
    """Run this process, and every program it starts, below normal priority.

    Called before any thread exists: on Linux a niceness belongs to a thread
    and is inherited by the threads and processes it creates, so setting it
    first covers the worker threads and their FFmpeg children alike.
    """
    if nice <= 0:
        return
    process = psutil.Process()
    try:
        if sys.platform == "win32":
            process.nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        else:
            process.nice(min(process.nice() + nice, 19))
    except psutil.Error as error:  # a sandbox may refuse; run at normal priority
        log.warning("Could not lower the worker's priority: %s", error)


def run_worker(
    settings: Settings, broker_url: str, *, threads: int = 2, nice: int = 0
) -> int:
    """Serve messages until told to stop; return the exit code."""
    lower_priority(nice)
    configure(settings, broker_url)
    broker = setup_broker(broker_url)
    worker = dramatiq.Worker(
        broker, queues={QUEUE}, worker_threads=threads, worker_timeout=250
    )
    # One message per thread: a worker must not hoard segments that an idle
    # worker could be encoding (Dramatiq's default takes two per thread).
    worker.queue_prefetch = threads
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    worker.start()
    log.info("Worker started with %s threads on %s.", threads, QUEUE)
    stop.wait()
    log.info("Worker draining: letting running messages finish.")
    worker.stop(timeout=DRAIN_TIMEOUT_MS)
    broker.close()
    return 0
