"""The orchestrator: reads stage states and enqueues whatever is now ready.

The database is the truth. After any stage message ends, ``advance`` looks at
the project's stages: a stage whose needs have all succeeded is claimed
(pending -> queued, a conditional update only one process can win) and its
message sent; fanned-out stages (images per scene, render per segment) are
finished when all their parts are. ``reconcile`` runs when the app starts and
re-sends work whose message may have been lost between a commit and a send.
Optional stages (the presenter, the upload) slot in by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from core.db import Database
from core.models import Project, StageRun, StageState, utcnow

log = logging.getLogger(__name__)

Send = Callable[[str, int, int], None]  # actor name, project id, part (-1: whole)


@dataclass(frozen=True)
class StageSpec:
    name: str
    needs: tuple[str, ...]
    optional: bool = False


PIPELINE = (
    StageSpec("script", ()),
    StageSpec("audio", ("script",)),
    StageSpec("images", ("script",)),
    StageSpec("avatars", ("audio",), optional=True),
    StageSpec("render", ("audio", "images", "avatars")),
    StageSpec("upload", ("render",), optional=True),
)
SPECS = {spec.name: spec for spec in PIPELINE}
FAN_OUT = {"images": "generate_scene_image", "render": "render_segment"}
DONE = {StageState.SUCCEEDED}
FINAL = {StageState.SUCCEEDED, StageState.FAILED, StageState.CANCELLED}
STALE_AFTER = timedelta(seconds=30)


def enabled_stages(project: Project) -> list[str]:
    optional = set(project.visual.get("optional_stages", []))
    return [s.name for s in PIPELINE if not s.optional or s.name in optional]


def start(db: Database, project_id: int, send: Send) -> None:
    """Create the project's stage rows (pending) and send what is ready."""
    with db.session() as session:
        project = session.get(Project, project_id)
        assert project is not None, project_id
        existing = {run.stage for run in project.stages if run.scene_position == -1}
        for stage in enabled_stages(project):
            if stage not in existing:
                session.add(
                    StageRun(
                        project_id=project_id,
                        stage=stage,
                        scene_position=-1,
                        attempt=0,
                        progress=0.0,
                    )
                )
        project.status = "running"
    advance(db, project_id, send)


def advance(db: Database, project_id: int, send: Send) -> None:
    """Finish completed fan-outs and send every stage that became ready."""
    _finish_fan_outs(db, project_id, send)
    with db.session() as session:
        project = session.get(Project, project_id)
        if project is None:
            return
        stages = enabled_stages(project)
        parents = _parents(session, project_id)
        ready = [
            stage
            for stage in stages
            if parents.get(stage) is StageState.PENDING
            and all(
                parents.get(need) in DONE
                for need in SPECS[stage].needs
                if need in stages
            )
        ]
        project.status = _project_status(parents, stages)
    for stage in ready:
        if _claim(db, project_id, stage, -1):
            log.info("Project %s: sending stage %s.", project_id, stage)
            send(
                f"generate_{stage}" if stage != "render" else "render_video",
                project_id,
                -1,
            )


def _finish_fan_outs(db: Database, project_id: int, send: Send) -> None:
    with db.session() as session:
        runs = session.query(StageRun).filter_by(project_id=project_id).all()
        parts: dict[str, list[StageRun]] = {}
        parent: dict[str, StageRun] = {}
        for run in runs:
            if run.scene_position == -1:
                parent[run.stage] = run
            else:
                parts.setdefault(run.stage, []).append(run)
        for stage in FAN_OUT:
            top = parent.get(stage)
            if (
                top is None
                or top.state is not StageState.RUNNING
                or not parts.get(stage)
            ):
                continue
            _settle(top, parts[stage])
    _send_render_finish(db, project_id, send)


def _settle(top: StageRun, parts: list[StageRun]) -> None:
    """Mark a fanned-out stage failed, cancelled or done from its parts."""
    states = [part.state for part in parts]
    done = sum(state in DONE for state in states)
    top.progress = done / len(parts)
    failed = next((p for p in parts if p.state is StageState.FAILED), None)
    if failed is not None:
        top.state, top.finished_at = StageState.FAILED, utcnow()
        label = "Scene" if top.stage == "images" else "Segment"
        top.error_kind = failed.error_kind
        top.error_message = (
            f"{label} {failed.scene_position + 1}: {failed.error_message}"
        )
    elif all(
        state is StageState.CANCELLED or state in DONE for state in states
    ) and any(state is StageState.CANCELLED for state in states):
        top.state, top.finished_at = StageState.CANCELLED, utcnow()
    elif done == len(parts) and top.stage == "images":
        top.state, top.finished_at, top.message = StageState.SUCCEEDED, utcnow(), "Done"


def _send_render_finish(db: Database, project_id: int, send: Send) -> None:
    """All segments encoded: send the join, exactly once."""
    with db.session() as session:
        top = (
            session.query(StageRun)
            .filter_by(project_id=project_id, stage="render", scene_position=-1)
            .one_or_none()
        )
        parts = (
            session.query(StageRun)
            .filter(
                StageRun.project_id == project_id,
                StageRun.stage == "render",
                StageRun.scene_position >= 0,
            )
            .all()
        )
        if top is None or top.state is not StageState.RUNNING or not parts:
            return
        if not all(part.state in DONE for part in parts):
            return
        claimed = session.execute(
            update(StageRun)
            .where(StageRun.id == top.id, StageRun.message != "Joining")
            .values(message="Joining")
        ).rowcount  # type: ignore[attr-defined]
    if claimed:
        send("finish_render", project_id, -1)


def _claim(db: Database, project_id: int, stage: str, part: int) -> bool:
    with db.session() as session:
        return bool(
            session.execute(
                update(StageRun)
                .where(
                    StageRun.project_id == project_id,
                    StageRun.stage == stage,
                    StageRun.scene_position == part,
                    StageRun.state == StageState.PENDING,
                )
                .values(state=StageState.QUEUED, updated_at=utcnow(), message="Waiting")
            ).rowcount  # type: ignore[attr-defined]
        )


def expects(db: Database, project_id: int, stage: str, part: int) -> bool:
    """Whether a message for this stage part is still wanted.

    A message is sent only after its row is claimed (queued); its worker marks
    it running, and a retry or a redelivery finds it queued or running again.
    Any other state means the message is stale: the work was cancelled, or
    retried and sent anew, while the old message still sat in the queue. Run
    anyway, it would race the new attempt (a render's old segment writing
    into the folder the new one is preparing).
    """
    with db.session() as session:
        state = session.execute(
            select(StageRun.state).where(
                StageRun.project_id == project_id,
                StageRun.stage == stage,
                StageRun.scene_position == part,
            )
        ).scalar_one_or_none()
    return state in (StageState.QUEUED, StageState.RUNNING)


def _parents(session, project_id: int) -> dict[str, StageState]:  # type: ignore[no-untyped-def]
    runs = session.query(StageRun).filter_by(project_id=project_id, scene_position=-1)
    return {run.stage: run.state for run in runs}


def _project_status(parents: dict[str, StageState], stages: list[str]) -> str:
    states = [parents.get(stage, StageState.PENDING) for stage in stages]
    if all(state in DONE for state in states):
        return "done"
    if any(state is StageState.FAILED for state in states):
        return "failed"
    if any(state is StageState.CANCELLED for state in states):
        return "cancelled"
    return "running"


def fan_out(
    db: Database, project_id: int, stage: str, parts: list[int], send: Send
) -> None:
    """Create one pending row per part (scene or segment) and send each."""
    with db.session() as session:
        existing = {
            run.scene_position: run
            for run in session.query(StageRun).filter(
                StageRun.project_id == project_id,
                StageRun.stage == stage,
                StageRun.scene_position >= 0,
            )
        }
        for part in parts:
            run = existing.get(part)
            if run is None:
                session.add(
                    StageRun(
                        project_id=project_id,
                        stage=stage,
                        scene_position=part,
                        attempt=0,
                        progress=0.0,
                    )
                )
            elif run.state is not StageState.SUCCEEDED or stage == "render":
                run.state, run.error_kind, run.error_message = (
                    StageState.PENDING,
                    None,
                    None,
                )
        for stale in set(existing) - set(parts):
            session.delete(existing[stale])
    for part in parts:
        if _claim(db, project_id, stage, part):
            send(FAN_OUT[stage], project_id, part)


def retry(
    db: Database, project_id: int, stage: str, part: int | None, send: Send
) -> None:
    """Run one stage (or one scene's image) again, then what depends on it.

    A finished stage can be run again too (a voice or a picture remade after
    an edit); the stages after it are reset, so the video is rendered anew.
    Work still queued or running is left alone.
    """
    busy = (StageState.QUEUED, StageState.RUNNING)
    with db.session() as session:
        runs = session.query(StageRun).filter_by(project_id=project_id).all()
        later = downstream(stage)
        for run in runs:
            chosen = run.stage == stage and part in (None, run.scene_position)
            if run.state not in busy and (chosen or run.stage in later):
                _reset(run)
        top = next(
            (r for r in runs if r.stage == stage and r.scene_position == -1), None
        )
        if part is not None and top is not None:
            top.state, top.error_kind, top.error_message = (
                StageState.RUNNING,
                None,
                None,
            )
        project = session.get(Project, project_id)
        if project is not None:
            project.status = "running"
    if part is not None and _claim(db, project_id, stage, part):
        send(FAN_OUT[stage], project_id, part)
    advance(db, project_id, send)


def downstream(stage: str) -> set[str]:
    """Every stage that needs ``stage``, directly or through another."""
    found: set[str] = set()
    frontier = {stage}
    while frontier:
        frontier = {s.name for s in PIPELINE if set(s.needs) & frontier} - found
        found |= frontier
    return found


def _reset(run: StageRun) -> None:
    run.state, run.error_kind, run.error_message = StageState.PENDING, None, None
    run.progress, run.message = 0.0, ""


def cancel_pending(db: Database, project_id: int, stage: str | None = None) -> None:
    """Mark waiting work cancelled (running work stops through its flag)."""
    with db.session() as session:
        query = session.query(StageRun).filter(
            StageRun.project_id == project_id,
            StageRun.state.in_([StageState.PENDING, StageState.QUEUED]),
        )
        if stage is not None:
            query = query.filter(StageRun.stage == stage)
        for run in query:
            run.state, run.finished_at = StageState.CANCELLED, utcnow()
            run.message = "Cancelled"


def reconcile(db: Database, send: Send, in_flight: set[tuple[str, int, int]]) -> int:
    """Re-send queued work that has no message anywhere; return how many.

    ``in_flight`` holds (actor, project, part) of every message the broker
    still has, queued, delayed or being worked on.
    """
    resent = 0
    cutoff = utcnow() - STALE_AFTER
    with db.session() as session:
        rows = (
            session.query(StageRun)
            .filter(StageRun.state.in_([StageState.QUEUED, StageState.RUNNING]))
            .all()
        )
        waiting = [
            (r.project_id, r.stage, r.scene_position, r.updated_at, r.state)
            for r in rows
        ]
        projects = [p.id for p in session.query(Project).filter_by(status="running")]
    for project_id, stage, part, updated, state in waiting:
        actor = _actor_for(stage, part)
        if (actor, project_id, part) in in_flight:
            continue
        if (
            state is StageState.RUNNING
            and updated is not None
            and _aware(updated) > cutoff
        ):
            continue  # a worker is on it and still reporting
        log.info("Project %s: re-sending %s (part %s).", project_id, stage, part)
        send(actor, project_id, part)
        resent += 1
    for project_id in projects:
        advance(db, project_id, send)
    return resent


def _actor_for(stage: str, part: int) -> str:
    if part >= 0:
        return FAN_OUT[stage]
    return "render_video" if stage == "render" else f"generate_{stage}"


def _aware(moment):  # type: ignore[no-untyped-def]
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
