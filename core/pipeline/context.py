"""What a stage needs from its surroundings: database, storage, providers,
a progress sink and a cancel token."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from core.db import Database
from core.errors import CancelledError, ReelwrightError
from core.models import StageRun, StageState, utcnow
from core.progress import EtaEstimator, NullSink, ProgressEvent, ProgressSink
from core.providers.registry import LazyProviders, Providers
from core.render.ffmpeg import CancelToken
from core.storage import Storage

log = logging.getLogger(__name__)

STAGES = ("script", "audio", "images", "render")


@dataclass
class StageContext:
    db: Database
    storage: Storage
    providers: Providers | LazyProviders
    sink: ProgressSink = field(default_factory=NullSink)
    cancel: CancelToken = field(default_factory=CancelToken)
    # Whether the caller will run the stage again after this error (the
    # workers' retry policy); the command line never retries.
    will_retry: Callable[[ReelwrightError], bool] = lambda error: False

    def check_cancelled(self) -> None:
        if self.cancel.cancelled:
            raise CancelledError("The work was cancelled.")


class StageReporter:
    """Reports one stage's progress to the sink, with an ETA."""

    def __init__(self, ctx: StageContext, run: StageRun) -> None:
        self._ctx = ctx
        self.project_id, self.stage = run.project_id, run.stage
        self.scene = run.scene_position if run.scene_position >= 0 else None
        self.attempt = run.attempt
        self._eta = EtaEstimator()

    def __call__(self, fraction: float, message: str = "") -> None:
        self.emit(StageState.RUNNING, fraction, message)

    def emit(
        self,
        state: StageState,
        fraction: float,
        message: str,
        error_kind: str | None = None,
    ) -> None:
        self._ctx.sink.emit(
            ProgressEvent(
                project_id=self.project_id,
                stage=self.stage,
                state=state.value,
                fraction=round(min(max(fraction, 0.0), 1.0), 4),
                message=message,
                scene=self.scene,
                attempt=self.attempt,
                eta_seconds=self._eta.eta(fraction),
                error_kind=error_kind,
            )
        )


@contextmanager
def stage_run(
    ctx: StageContext,
    project_id: int,
    stage: str,
    scene: int = -1,
    *,
    final: bool = True,
) -> Iterator[StageReporter]:
    """Mark a stage running, then succeeded, failed or cancelled.

    With ``final=False`` success leaves the stage running: the work goes on
    in other messages (a stage fanned out over scenes or segments).
    """
    run = _start(ctx, project_id, stage, scene)
    reporter = StageReporter(ctx, run)
    reporter.emit(StageState.RUNNING, 0.0, "Started")
    try:
        yield reporter
    except CancelledError as error:
        _finish(ctx, run.id, StageState.CANCELLED, error)
        reporter.emit(StageState.CANCELLED, 0.0, error.message, error.kind)
        raise
    except ReelwrightError as error:
        # A failure that will be tried again leaves the stage queued, so the
        # window shows "retrying" rather than a failure that is not final.
        state = StageState.QUEUED if ctx.will_retry(error) else StageState.FAILED
        _finish(ctx, run.id, state, error)
        reporter.emit(state, 0.0, error.message, error.kind)
        raise
    if final:
        _finish(ctx, run.id, StageState.SUCCEEDED, None)
        reporter.emit(StageState.SUCCEEDED, 1.0, "Done")


def _start(ctx: StageContext, project_id: int, stage: str, scene: int) -> StageRun:
    with ctx.db.session() as session:
        run = (
            session.query(StageRun)
            .filter_by(project_id=project_id, stage=stage, scene_position=scene)
            .one_or_none()
        )
        if run is None:
            run = StageRun(
                project_id=project_id, stage=stage, scene_position=scene, attempt=0
            )
            session.add(run)
        run.state, run.attempt, run.progress = StageState.RUNNING, run.attempt + 1, 0.0
        run.started_at, run.finished_at = utcnow(), None
        run.worker = f"{socket.gethostname()}:{os.getpid()}"
        run.error_kind = run.error_message = None
        session.flush()
        session.expunge(run)
    log.debug(
        "Project %s: stage %s started (attempt %s).", project_id, stage, run.attempt
    )
    return run


def _finish(
    ctx: StageContext, run_id: int, state: StageState, error: ReelwrightError | None
) -> None:
    with ctx.db.session() as session:
        run = session.get(StageRun, run_id)
        assert run is not None
        run.state, run.finished_at = state, utcnow()
        if state is StageState.SUCCEEDED:
            run.progress = 1.0
        if error is not None:
            run.error_kind, run.error_message = error.kind, error.message
    log.info("Project %s: stage %s %s.", run.project_id, run.stage, state.value)
