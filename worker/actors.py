"""The Dramatiq actors: thin wrappers over the core stage functions.

Each actor builds a stage context for its message (database, storage, the
project's providers, progress to Redis, a cancel watcher, the retry policy),
runs one core function and returns. ``StageMiddleware`` then asks the
orchestrator what comes next, after success and after a final failure alike.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import dramatiq
from dramatiq.middleware import CurrentMessage

from core.errors import CancelledError, PermanentError, TransientError
from core.models import Project, StageRun, StageState, utcnow
from core.pipeline import rendering, stages
from core.pipeline.context import StageContext, stage_run
from core.progress import ProgressEvent
from core.render.encoders import EncoderSlots, plan_encoders
from core.render.engine import part_numbers, render_part
from core.render.ffmpeg import CancelToken
from core.render.segments import plan_segments
from core.render.video import EncoderSettings
from worker import orchestrator
from worker.broker import QUEUE
from worker.cancel import CancelWatcher, is_cancelled
from worker.policy import policy_for, retry_predicate
from worker.progress import RedisProgressSink
from worker.runtime import runtime

log = logging.getLogger(__name__)

ACTORS: dict[str, dramatiq.Actor] = {}


def actor(stage: str) -> Callable[[Callable], dramatiq.Actor]:
    def declare(fn: Callable) -> dramatiq.Actor:
        @functools.wraps(fn)
        def guarded(project_id: int, part: int = -1) -> None:
            if not orchestrator.expects(runtime().db, project_id, stage, part):
                log.info(
                    "Project %s: dropped a stale %s message for part %s.",
                    project_id,
                    fn.__name__,
                    part,
                )
                return
            fn(project_id, part)

        declared = dramatiq.actor(  # type: ignore[call-overload]
            guarded,
            queue_name=QUEUE,
            # Permanent failures and cancels are outcomes, not crashes: no
            # retry, and no traceback in the worker's log.
            throws=(PermanentError, CancelledError),
            **policy_for(stage).actor_options(),
        )
        declared.options["stage"] = stage
        ACTORS[declared.actor_name] = declared
        return declared

    return declare


def bind(broker: dramatiq.Broker) -> None:
    """Declare every actor on ``broker`` (tests make more than one)."""
    for declared in ACTORS.values():
        declared.broker = broker
        broker.declare_actor(declared)


def send(actor_name: str, project_id: int, part: int) -> None:
    """The orchestrator's way to enqueue: by name, ids only."""
    ACTORS[actor_name].send(project_id, part)


@contextmanager
def stage_context(project_id: int, stage: str) -> Iterator[StageContext]:
    rt = runtime()
    message = CurrentMessage.get_current_message()
    retries = message.options.get("retries", 0) if message else 0
    with rt.db.session() as session:
        project = session.get(Project, project_id)
        choice = dict(project.providers) if project else {}
    token = CancelToken()
    ctx = StageContext(
        rt.db,
        rt.storage,
        rt.providers(choice),
        sink=RedisProgressSink(rt.redis, rt.db),
        cancel=token,
        will_retry=retry_predicate(policy_for(stage), retries),
    )
    if is_cancelled(rt.redis, project_id, stage):
        raise CancelledError("The work was cancelled before it started.")
    with CancelWatcher(rt.redis, project_id, stage, token):
        try:
            yield ctx
        except TransientError as error:
            wait = getattr(error, "retry_after", None)
            if wait:
                # The service said when to come back (HTTP Retry-After):
                # that replaces the usual backoff for this retry.
                raise dramatiq.Retry(error.message, delay=int(wait * 1000)) from error
            raise


@actor("script")
def generate_script(project_id: int, part: int = -1) -> None:
    with stage_context(project_id, "script") as ctx:
        stages.generate_script(ctx, project_id)


@actor("audio")
def generate_audio(project_id: int, part: int = -1) -> None:
    with stage_context(project_id, "audio") as ctx:
        stages.generate_audio(ctx, project_id)


@actor("images")
def generate_images(project_id: int, part: int = -1) -> None:
    """Fan out: one message per scene, run in parallel across workers."""
    with stage_context(project_id, "images") as ctx:
        with stage_run(ctx, project_id, "images", final=False) as report:
            scenes, _ = stages.load_scenes(ctx, project_id)
            report(0.0, f"0 of {len(scenes)}")
        positions = [scene.position for scene in scenes]
        orchestrator.fan_out(ctx.db, project_id, "images", positions, send)


@actor("images")
def generate_scene_image(project_id: int, part: int) -> None:
    with stage_context(project_id, "images") as ctx:
        stages.generate_images(ctx, project_id, scene=part)


@actor("render")
def render_video(project_id: int, part: int = -1) -> None:
    """Assemble the timeline, then fan out one message per part: each
    segment, and the soundtrack, which any worker mixes beside them."""
    with stage_context(project_id, "render") as ctx:
        with stage_run(ctx, project_id, "render", final=False) as report:
            job = rendering.prepare_render(ctx, project_id, report=report)
        parts = part_numbers(plan_segments(job.timeline))
        orchestrator.fan_out(ctx.db, project_id, "render", parts, send)


@actor("render")
def render_segment(project_id: int, part: int) -> None:
    """One part of the render: a segment, or the soundtrack (the last part)."""
    with stage_context(project_id, "render") as ctx:
        settings = runtime().settings
        encoder = EncoderSettings(preset=settings.x264_preset)
        job = rendering.render_job(ctx, project_id, encoder)
        # Every worker on this machine plans alike and shares the slots, so
        # the encoders at once fit the machine however many worker processes
        # and threads take render messages; each encoder's threads are set
        # when it starts, from the encoders running then.
        at_once = plan_encoders(
            job.timeline.width, job.timeline.height, wanted=settings.render_encoders
        )
        plan = plan_segments(job.timeline)
        with stage_run(ctx, project_id, "render", part) as report:
            render_part(
                job,
                plan,
                part,
                lambda fraction, message: report(fraction, message),
                ctx.cancel,
                EncoderSlots(settings.encoder_slots_dir, at_once.encoders),
            )


@actor("render")
def finish_render(project_id: int, part: int = -1) -> None:
    with stage_context(project_id, "render") as ctx:
        rendering.finish_render(ctx, project_id)
        mark(ctx, project_id, "render", StageState.SUCCEEDED, "Done")


def mark(
    ctx: StageContext, project_id: int, stage: str, state: StageState, message: str
) -> None:
    """Set a fanned-out stage's own row, and tell the subscribers."""
    with ctx.db.session() as session:
        run = (
            session.query(StageRun)
            .filter_by(project_id=project_id, stage=stage, scene_position=-1)
            .one()
        )
        run.state, run.message, run.finished_at = state, message, utcnow()
        if state is StageState.SUCCEEDED:
            run.progress = 1.0
        attempt = run.attempt
    ctx.sink.emit(
        ProgressEvent(
            project_id=project_id,
            stage=stage,
            state=state.value,
            fraction=1.0,
            message=message,
            attempt=attempt,
        )
    )
