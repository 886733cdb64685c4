"""One worker process: Dramatiq consumers and worker threads in this process.

Started as a program (``reelwright worker``), never forked from the GUI. On
SIGTERM or SIGINT it stops taking messages, lets the running ones finish
(draining) and exits 0.
"""

from __future__ import annotations

import logging
import signal
import threading

import dramatiq

from core.settings import Settings
from worker.broker import QUEUE, setup_broker
from worker.runtime import configure

log = logging.getLogger(__name__)

DRAIN_TIMEOUT_MS = 600_000


def run_worker(settings: Settings, broker_url: str, *, threads: int = 2) -> int:
    """Serve messages until told to stop; return the exit code."""
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
