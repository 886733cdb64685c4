"""The Dramatiq broker on Redis, with Reelwright's middleware.

Messages carry ids and small parameters only. The heartbeat timeout is a few
seconds instead of Dramatiq's minute, and queue maintenance runs often, so a
message held by a worker that died (a crash, ``kill -9``, a machine lost) is
handed to another worker within seconds.
"""

from __future__ import annotations

import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

NAMESPACE = "reelwright"
QUEUE = "stages"
HEARTBEAT_TIMEOUT_MS = 5_000
# Out of a million broker commands, how many also requeue the messages of
# dead workers. Our traffic is light, so this can be generous.
MAINTENANCE_CHANCE = 100_000


def make_broker(url: str) -> RedisBroker:
    from worker.middleware import StageMiddleware, WorkerHeartbeat

    heartbeat = int(
        os.environ.get("REELWRIGHT_HEARTBEAT_TIMEOUT_MS", HEARTBEAT_TIMEOUT_MS)
    )
    return RedisBroker(
        url=url,
        namespace=NAMESPACE,
        heartbeat_timeout=heartbeat,
        maintenance_chance=MAINTENANCE_CHANCE,
        middleware=[
            AgeLimit(),
            TimeLimit(),
            ShutdownNotifications(),
            Callbacks(),
            # "after" hooks run in reverse order: the stage bookkeeping must
            # come after Retries has decided whether the message is done.
            StageMiddleware(),
            Retries(max_retries=3),
            CurrentMessage(),
            WorkerHeartbeat(),
        ],
    )


def setup_broker(url: str) -> RedisBroker:
    """Make the broker current and declare the actors on it."""
    broker = make_broker(url)
    dramatiq.set_broker(broker)
    import worker.actors  # noqa: F401  (declares the actors on this broker)

    worker.actors.bind(broker)
    return broker
