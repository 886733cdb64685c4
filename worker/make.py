"""``reelwright make``: from content files to a finished video, on the stack.

The same path the desktop takes: the embedded Redis (or a configured one),
a pool of worker processes, the orchestrator, and progress bars fed by the
pub/sub events. When the project is done the outputs are copied next to
``-o``, the pool is drained and the embedded Redis released.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import redis

from core.errors import PermanentError, ReelwrightError
from core.models import StageState
from core.pipeline.editing import music_setting
from core.pipeline.project import create_project, load_paths
from core.pipeline.usage import project_usage
from core.progress import ProgressEvent
from core.providers.registry import LOCAL_CHOICE, check_keys
from core.settings import Settings
from core.storage import Storage, copy_atomic
from worker.control import Control
from worker.pool import BACKGROUND_NICE, WorkerPool
from worker.progress import channel_for
from worker.redis_server import RedisWatchdog, broker_url
from worker.terminal import TerminalProgress

log = logging.getLogger(__name__)

STATUS_POLL_SECONDS = 1.0
FINAL_STATUSES = ("done", "failed", "cancelled")


def make_video(
    settings: Settings,
    content: list[Path],
    *,
    output: Path | None = None,
    video_format: str = "landscape",
    providers: dict[str, str] | None = None,
    music: str = "default",
    show_progress: bool = True,
    workers: int | None = None,
) -> dict[str, object]:
    """Run the whole pipeline; return the paths of what it made (absolute)."""
    choice = {**LOCAL_CHOICE, **(providers or {})}
    check_keys(choice)  # a missing key is an error before any work starts
    loaded = load_paths(content)  # so is bad input
    url, embedded = broker_url(settings)
    watchdog = RedisWatchdog(embedded) if embedded is not None else None
    if watchdog is not None:
        watchdog.start()  # a broker that dies comes back on the same address
    try:
        control = Control(settings, url)
        control.reconcile()  # work a crash left behind carries on too
        storage = Storage(settings.paths.storage)
        visual = {"music": music_setting(music, storage)}
        project_id = create_project(
            control.db, loaded, format=video_format, visual=visual, providers=choice
        )
        log.info("Project %s created from %s.", project_id, [p.name for p in content])
        size = (
            workers
            or int(os.environ.get("REELWRIGHT_WORKERS", 0))
            or os.cpu_count()
            or 2
        )
        pool = WorkerPool(size, broker_url=url, nice=BACKGROUND_NICE)
        with pool, TerminalProgress(show_progress) as bars:
            try:
                control.start_project(project_id)
                status = wait_for(control, project_id, bars)
            except KeyboardInterrupt:
                control.cancel(project_id)
                raise
        if status != "done":
            raise _failure(control, project_id, status)
        summary = _outputs(control, storage, project_id, output)
        control.close()
        return summary
    finally:
        if watchdog is not None:
            watchdog.stop()
        if embedded is not None:
            embedded.release()


def wait_for(control: Control, project_id: int, bars: TerminalProgress) -> str:
    """Draw the project's progress events until it ends; return its status."""
    _show_saved(control, project_id, bars)
    pubsub = redis.Redis.from_url(control.broker_url).pubsub(
        ignore_subscribe_messages=True
    )
    pubsub.subscribe(channel_for(project_id))
    try:
        while True:
            message = pubsub.get_message(timeout=STATUS_POLL_SECONDS)
            if message is not None:
                bars.emit(ProgressEvent.from_json(message["data"]))
                continue
            status = control.status(project_id)
            if status in FINAL_STATUSES:
                _show_saved(control, project_id, bars)
                return status
    finally:
        pubsub.close()


def _show_saved(control: Control, project_id: int, bars: TerminalProgress) -> None:
    for run in control.stage_runs(project_id):
        if run.scene_position == -1:
            bars.update(run.stage, run.progress, run.message or run.state.value)


def _failure(control: Control, project_id: int, status: str) -> ReelwrightError:
    failed = [r for r in control.stage_runs(project_id) if r.state is StageState.FAILED]
    first = next(
        (r for r in failed if r.scene_position == -1), failed[0] if failed else None
    )
    if first is None:
        return ReelwrightError(f"The project ended as {status}.")
    message = f"The {first.stage} stage failed: {first.error_message}"
    if first.error_kind in ("input", "permanent"):
        return PermanentError(message)
    return ReelwrightError(message)


def _outputs(
    control: Control, storage: Storage, project_id: int, output: Path | None
) -> dict[str, object]:
    from core.models import Project

    with control.db.session() as session:
        project = session.get(Project, project_id)
        assert project is not None
        outputs = dict(project.output)
    paths = {kind: storage.absolute(path) for kind, path in outputs.items()}
    if output is not None:
        output = output.resolve()
        targets = {
            "video": output,
            "subtitles": output.with_suffix(".srt"),
            "thumbnail": output.with_suffix(".jpg"),
            "description": output.with_suffix(".txt"),
        }
        for kind, target in targets.items():
            if kind in paths:
                copy_atomic(paths[kind], target)
        targets = {kind: target for kind, target in targets.items() if kind in paths}
        paths.update(targets)
    return {
        "project_id": project_id,
        "workspace": str(storage.project_dir(project_id).resolve()),
        "usage": project_usage(control.db, project_id),
        **{kind: str(Path(path).resolve()) for kind, path in paths.items()},
    }
