"""Progress events: what every stage reports and who listens.

A stage reports through a ``ProgressSink``. On the command line the sink
draws progress bars; in a worker it publishes JSON on Redis and saves the
latest state in the database. Stages never know which.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class ProgressEvent:
    project_id: int
    stage: str
    state: str  # a StageState value
    fraction: float = 0.0  # 0..1
    message: str = ""
    scene: int | None = None  # position, when the event is about one scene
    attempt: int = 1
    eta_seconds: float | None = None
    error_kind: str | None = None
    timestamp: float = field(default_factory=time.time)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> ProgressEvent:
        return cls(**json.loads(text))


class ProgressSink(Protocol):
    def emit(self, event: ProgressEvent) -> None: ...


class NullSink:
    """Drops every event; for callers that do not show progress."""

    def emit(self, event: ProgressEvent) -> None:
        pass


class EtaEstimator:
    """A simple rate estimate: time so far divided by the fraction done."""

    def __init__(self, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self._clock = clock
        self._start = clock()

    def eta(self, fraction: float) -> float | None:
        elapsed = self._clock() - self._start
        if fraction <= 0.02 or elapsed < 1.0:
            return None
        return max(elapsed / fraction - elapsed, 0.0)
