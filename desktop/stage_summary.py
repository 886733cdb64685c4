"""What one row of the stage panel shows, worked out from progress events.

A stage that is split into parts (images per scene, render per segment)
reports for itself and for each part; ``StageTracker`` keeps the latest of
each and sums them up into a ``StageSummary``: one state, a fraction, "n of
N", the failed parts, elapsed time and an estimate of the time left. Saved
state read from the database arrives as ``SavedProgress`` events, which
carry the start and end times a live event does not.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from core.models import StageRun, StageState
from core.progress import ProgressEvent


@dataclass(frozen=True)
class SavedProgress(ProgressEvent):
    """A stage's state as saved in the database, read when (re)connecting."""

    started_at: float | None = None  # epoch seconds
    finished_at: float | None = None
    error: str | None = None


def load_saved(control, project_id: int) -> list[SavedProgress]:  # type: ignore[no-untyped-def]
    """The saved state of a project's stages (blocking: call via backend.run)."""
    runs = sorted(
        control.stage_runs(project_id),
        key=lambda run: (run.stage, run.scene_position),
    )
    return [saved_event(run) for run in runs]


def saved_event(run: StageRun) -> SavedProgress:
    state = run.state.value if run.state is not None else StageState.PENDING.value
    error = run.error_message
    return SavedProgress(
        project_id=run.project_id,
        stage=run.stage,
        state=state,
        fraction=run.progress or 0.0,
        message=error if error and state != "succeeded" else (run.message or ""),
        scene=None if run.scene_position < 0 else run.scene_position,
        attempt=run.attempt or 0,
        error_kind=run.error_kind,
        timestamp=_epoch(run.updated_at) or time.time(),
        started_at=_epoch(run.started_at),
        finished_at=_epoch(run.finished_at),
        error=error,
    )


def _epoch(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    # SQLite gives naive datetimes back; they were written in UTC.
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.timestamp()


# -- reading one stage's events -------------------------------------------------

WAITING, RUNNING, RETRYING = "waiting", "running", "retrying"
DONE, FAILED, CANCELLED = "done", "failed", "cancelled"
ENDED = {DONE, FAILED, CANCELLED}
_FROM_STATE = {
    StageState.RUNNING.value: RUNNING,
    StageState.SUCCEEDED.value: DONE,
    StageState.FAILED.value: FAILED,
    StageState.CANCELLED.value: CANCELLED,
}


def row_state(event: ProgressEvent | None) -> str:
    """What a row says for one event: queued after an error is a retry."""
    if event is None:
        return WAITING
    if event.state in (StageState.PENDING.value, StageState.QUEUED.value):
        return RETRYING if event.error_kind and event.attempt > 0 else WAITING
    return _FROM_STATE.get(event.state, WAITING)


@dataclass(frozen=True)
class StageSummary:
    """What a stage's row shows, from its own events and its parts'."""

    state: str  # WAITING, RUNNING, RETRYING, DONE, FAILED or CANCELLED
    fraction: float = 0.0
    attempt: int = 0
    detail: str = ""  # the worker's latest message
    error: str | None = None
    error_kind: str | None = None  # core.errors' kind of ``error``
    done: int = 0  # parts (scenes, segments) finished
    total: int = 0  # parts known; 0 when the stage is not split
    failed_parts: tuple[tuple[int, str], ...] = ()  # (position, message)
    started: float | None = None  # epoch seconds
    finished: float | None = None
    eta_seconds: float | None = None  # from now
    known: bool = False  # the stage has a saved row: commands make sense


class StageTracker:
    """Keeps the latest event of one stage and of each of its parts."""

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.parent: ProgressEvent | None = None
        self.parts: dict[int, ProgressEvent] = {}
        self._started: float | None = None
        self._finished: float | None = None

    def apply(self, event: ProgressEvent) -> None:
        if event.scene is not None:
            known = self.parts.get(event.scene)
            if known is None or event.timestamp >= known.timestamp:
                self.parts[event.scene] = event
            return
        if self.parent is not None and event.timestamp < self.parent.timestamp:
            return
        self._note_times(event)
        self.parent = event

    def _note_times(self, event: ProgressEvent) -> None:
        if isinstance(event, SavedProgress):
            self._started, self._finished = event.started_at, event.finished_at
            return
        before = self.parent
        if event.state == StageState.RUNNING.value and (
            before is None
            or before.state != event.state
            or before.attempt != event.attempt
        ):
            self._started, self._finished = event.timestamp, None
        elif row_state(event) in ENDED:
            self._finished = event.timestamp

    def current_parts(self) -> list[ProgressEvent]:
        parts = [self.parts[position] for position in sorted(self.parts)]
        if self.stage == "render" and self._started is not None:
            # Segments are made again on every attempt: older ones are stale.
            parts = [p for p in parts if p.timestamp >= self._started]
        return parts

    def summary(self, now: float) -> StageSummary:
        parent, parts = self.parent, self.current_parts()
        state = self._combined_state(parts)
        fraction = _fraction(parent, parts, state)
        started = self._started or _first_start(parts)
        finished = self._finished if state in ENDED else None
        failure = _failure(parent, parts, state)
        return StageSummary(
            state=state,
            fraction=fraction,
            attempt=_attempt(parent, parts, state),
            detail=parent.message if parent is not None else "",
            error=(failure.message or None) if failure is not None else None,
            error_kind=failure.error_kind if failure is not None else None,
            done=sum(row_state(p) == DONE for p in parts),
            total=len(parts),
            failed_parts=tuple(
                (p.scene, p.message) for p in parts if row_state(p) == FAILED
            ),
            started=started,
            finished=finished or (now if state in ENDED and started else None),
            eta_seconds=_eta(parent, parts, state, fraction, started, now),
            known=parent is not None or bool(parts),
        )

    def _combined_state(self, parts: list[ProgressEvent]) -> str:
        own = row_state(self.parent)
        if not parts:
            return own
        if own in ENDED and self.parent is not None:
            newest_part = max(p.timestamp for p in parts)
            if self.parent.timestamp >= newest_part:
                return own  # the orchestrator settled the stage after its parts
        states = {row_state(p) for p in parts}
        for busy in (RUNNING, RETRYING):
            if busy in states:
                return busy
        if WAITING in states:
            return RUNNING if own == RUNNING or DONE in states else WAITING
        for ended in (FAILED, CANCELLED):
            if ended in states:
                return ended
        # Every part is done; a render still joins them into one file.
        return DONE if self.stage != "render" else RUNNING


def _fraction(
    parent: ProgressEvent | None, parts: list[ProgressEvent], state: str
) -> float:
    if state == DONE:
        return 1.0
    if parts:
        total = 0.0
        for part in parts:
            part_state = row_state(part)
            total += 1.0 if part_state == DONE else (part.fraction or 0.0)
        return total / len(parts)
    return parent.fraction if parent is not None else 0.0


def _attempt(
    parent: ProgressEvent | None, parts: list[ProgressEvent], state: str
) -> int:
    if state == RETRYING and parts:
        return max(p.attempt for p in parts if row_state(p) == RETRYING)
    return parent.attempt if parent is not None else 0


def _failure(
    parent: ProgressEvent | None, parts: list[ProgressEvent], state: str
) -> ProgressEvent | None:
    """The event whose error the row shows: the stage's own, else a part's."""
    if state not in (FAILED, RETRYING):
        return None
    if parent is not None and row_state(parent) == state:
        return parent
    return next((part for part in parts if row_state(part) == state), None)


def _first_start(parts: list[ProgressEvent]) -> float | None:
    starts = [
        p.started_at if isinstance(p, SavedProgress) else p.timestamp
        for p in parts
        if row_state(p) != WAITING
    ]
    return min((s for s in starts if s is not None), default=None)


def _eta(
    parent: ProgressEvent | None,
    parts: list[ProgressEvent],
    state: str,
    fraction: float,
    started: float | None,
    now: float,
) -> float | None:
    if state != RUNNING:
        return None
    if not parts:
        if parent is None or parent.eta_seconds is None:
            return None
        return max(parent.eta_seconds - (now - parent.timestamp), 0.0)
    if started is None or fraction <= 0.02 or now - started < 1.0:
        return None
    elapsed = now - started
    return max(elapsed / fraction - elapsed, 0.0)
