"""Looking after projects as a whole: list, rename, duplicate, delete, restore.

The desktop's project list calls these off the GUI thread. Listing returns
plain ``ProjectSummary`` values, never database rows, so nothing lazy is
touched after the session ends.

Deleting is undoable: the project's rows are written as JSON into a folder
under ``<storage>/trash`` and its project folder is moved beside them, then
the rows leave the database. ``restore_project`` puts both back, under the
old id when it is still free and under a new one otherwise (paths that
point into the project folder follow it). ``empty_trash`` removes old
entries for good.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, delete, func, inspect, select
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import Session

from core.db import Database
from core.errors import InputError
from core.models import Asset, Base, Project, Scene, Script, StageRun, UsageRecord
from core.storage import Storage, copy_atomic, write_text_atomic

log = logging.getLogger(__name__)

STATUSES = ("draft", "running", "done", "failed", "cancelled")
SORTS = ("recent", "name", "status")
# Work that needs attention comes first when sorting by status.
_STATUS_RANK = {"running": 0, "failed": 1, "draft": 2, "cancelled": 3, "done": 4}
MAX_NAME = 200
_SCENE_COLUMNS = (
    "position",
    "narration",
    "image_prompt",
    "on_screen_text",
    "section",
    "duration",
)
TRASH = "trash"
TRASH_FILE = "project.json"
TRASH_FILES = "files"
# The tables a project owns, in the order they are put back.
_OWNED = (
    ("scripts", Script),
    ("stage_runs", StageRun),
    ("assets", Asset),
    ("usage_records", UsageRecord),
)


@dataclass(frozen=True)
class ProjectSummary:
    """What the project list shows of one project."""

    id: int
    name: str
    status: str  # one of STATUSES
    updated_at: datetime
    thumbnail: Path | None  # the rendered thumbnail, when there is one


@dataclass(frozen=True)
class TrashEntry:
    """A deleted project waiting in the trash; ``token`` restores it."""

    token: str
    project_id: int
    name: str
    deleted_at: float  # seconds since the epoch


def display_status(raw: str) -> str:
    """The project's status as the list shows it (rendered counts as done)."""
    if raw == "rendered":
        return "done"
    return raw if raw in STATUSES else "draft"


# -- listing ---------------------------------------------------------------


def list_projects(
    db: Database, storage: Storage, *, search: str = "", sort: str = "recent"
) -> list[ProjectSummary]:
    """The projects whose name contains ``search``, sorted by ``sort``."""
    if sort not in SORTS:
        raise InputError(f"Unknown sort {sort!r}; use one of {', '.join(SORTS)}.")
    query = select(
        Project.id, Project.name, Project.status, Project.updated_at, Project.output
    )
    words = search.strip()
    if words:
        query = query.where(
            func.lower(Project.name).contains(words.lower(), autoescape=True)
        )
    with db.session() as session:
        rows = session.execute(query).all()
    summaries = [
        _summary(storage, project_id, name, status, updated_at, output)
        for project_id, name, status, updated_at, output in rows
    ]
    return _sorted(summaries, sort)


def project_summary(
    db: Database, storage: Storage, project_id: int
) -> ProjectSummary | None:
    """One project's summary, or None when it is gone."""
    with db.session() as session:
        project = session.get(Project, project_id)
        if project is None:
            return None
        return _summary(
            storage,
            project.id,
            project.name,
            project.status,
            project.updated_at,
            dict(project.output or {}),
        )


def _summary(
    storage: Storage,
    project_id: int,
    name: str,
    status: str,
    updated_at: datetime,
    output: dict[str, Any] | None,
) -> ProjectSummary:
    thumbnail = None
    relative = (output or {}).get("thumbnail")
    if relative and storage.absolute(relative).is_file():
        thumbnail = storage.absolute(relative)
    return ProjectSummary(
        project_id, name, display_status(status), updated_at, thumbnail
    )


def _sorted(summaries: list[ProjectSummary], sort: str) -> list[ProjectSummary]:
    recent = sorted(summaries, key=lambda s: (s.updated_at, s.id), reverse=True)
    if sort == "name":
        return sorted(recent, key=lambda s: s.name.casefold())
    if sort == "status":
        return sorted(recent, key=lambda s: _STATUS_RANK.get(s.status, 9))
    return recent


# -- rename and duplicate --------------------------------------------------


def rename_project(db: Database, project_id: int, name: str) -> str:
    """Give the project a new name; return the name as stored."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError("A project needs a name; the new name was empty.")
    if len(cleaned) > MAX_NAME:
        raise InputError(f"Project names can be at most {MAX_NAME} characters long.")
    with db.session() as session:
        _project(session, project_id).name = cleaned
    log.info("Project %s was renamed.", project_id)
    return cleaned


def duplicate_project(
    db: Database, storage: Storage, project_id: int, name: str | None = None
) -> int:
    """A new draft with the project's content, script and scenes, no outputs.

    Files the scenes or the music point to inside the project's folder (the
    creator's own pictures and music) are copied into the new project's
    folder; nothing a stage made is.
    """
    with db.session() as session:
        source = _project(session, project_id)
        copy = _copied_project(source, name)
        session.add(copy)
        session.flush()
        old, new = _prefix(project_id), _prefix(copy.id)
        copy.visual = _rebase(copy.visual, old, new)
        if source.script is not None:
            copy.script = _copied_script(source.script, old, new)
        inputs = _paths_within(source, old)
        new_id = copy.id
    for relative in inputs:
        source_file = storage.absolute(relative)
        if source_file.is_file():
            copy_atomic(source_file, storage.absolute(_rebase(relative, old, new)))
    log.info("Project %s was duplicated as project %s.", project_id, new_id)
    return new_id


def _paths_within(project: Project, prefix: str) -> list[str]:
    """The creator's files a project names inside its own folder."""
    named = (
        [scene.user_image for scene in project.script.scenes] if project.script else []
    )
    named += list((project.visual or {}).values())
    return [path for path in named if isinstance(path, str) and path.startswith(prefix)]


def _copied_project(source: Project, name: str | None) -> Project:
    return Project(
        name=(name or f"{source.name} (copy)")[:MAX_NAME],
        content=source.content,
        content_blocks=list(source.content_blocks or []),
        source_name=source.source_name,
        language=source.language,
        format=source.format,
        status="draft",
        providers=dict(source.providers or {}),
        youtube=dict(source.youtube or {}),
        visual=dict(source.visual or {}),
        output={},
    )


def _copied_script(script: Script, old: str, new: str) -> Script:
    columns = ("title", "description", "language", "writer")
    copy = Script(**{column: getattr(script, column) for column in columns})
    copy.tags = list(script.tags or [])
    copy.scenes = [
        Scene(
            **{column: getattr(scene, column) for column in _SCENE_COLUMNS},
            user_image=_rebase(scene.user_image, old, new),
        )
        for scene in script.scenes
    ]
    return copy


# -- delete and restore ------------------------------------------------------


def delete_project(db: Database, storage: Storage, project_id: int) -> TrashEntry:
    """Move the project to the trash; ``restore_project`` brings it back."""
    token = f"{project_id}-{time.time_ns()}"
    folder = storage.root / TRASH / token
    with db.session() as session:
        saved = _saved_rows(session, _project(session, project_id))
    files = storage.project_dir(project_id)
    folder.mkdir(parents=True)
    try:
        write_text_atomic(folder / TRASH_FILE, json.dumps(saved, ensure_ascii=False))
        if files.is_dir():
            shutil.move(files, folder / TRASH_FILES)
        with db.session() as session:
            _delete_rows(session, project_id)
    except Exception:
        # Leave the project as it was: its folder back, no trash entry.
        if (folder / TRASH_FILES).is_dir():
            shutil.move(folder / TRASH_FILES, files)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    log.info("Project %s was moved to the trash.", project_id)
    return _entry(token, saved)


def restore_project(db: Database, storage: Storage, token: str) -> int:
    """Put a deleted project back; return its id (the old one if free)."""
    folder = storage.root / TRASH / token
    try:
        saved = json.loads((folder / TRASH_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError("That project is no longer in the trash.") from error

    old_id = saved["project"]["id"]
    with db.session() as session:
        keep_id = session.get(Project, old_id) is None
        keep_id = keep_id and not storage.project_dir(old_id).exists()
        new_id = _insert_rows(session, saved, keep_id=keep_id)
    if (folder / TRASH_FILES).is_dir():
        target = storage.project_dir(new_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(folder / TRASH_FILES, target)
    shutil.rmtree(folder, ignore_errors=True)
    log.info("Project %s was restored from the trash as %s.", old_id, new_id)
    return new_id


def list_trash(storage: Storage) -> list[TrashEntry]:
    """The deleted projects that can still be restored, newest first."""
    entries = []
    for file in (storage.root / TRASH).glob(f"*/{TRASH_FILE}"):
        try:
            saved = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            log.warning("A trash entry could not be read (%s): %s", file, error)
            continue
        entries.append(_entry(file.parent.name, saved))
    return sorted(entries, key=lambda entry: entry.deleted_at, reverse=True)


def empty_trash(storage: Storage, *, older_than_days: float = 30.0) -> int:
    """Remove trash entries older than ``older_than_days``; return how many."""
    cutoff = time.time() - older_than_days * 24 * 3600
    removed = 0
    for entry in list_trash(storage):
        if entry.deleted_at < cutoff:
            shutil.rmtree(storage.root / TRASH / entry.token, ignore_errors=True)
            removed += 1
    return removed


def _entry(token: str, saved: dict[str, Any]) -> TrashEntry:
    project = saved["project"]
    return TrashEntry(token, project["id"], project["name"], saved["deleted_at"])


def _saved_rows(session: Session, project: Project) -> dict[str, Any]:
    saved: dict[str, Any] = {"deleted_at": time.time()}
    saved["project"] = _row_data(project)
    for key, model in _OWNED:
        rows = session.scalars(select(model).filter_by(project_id=project.id))
        saved[key] = [_row_data(row) for row in rows]
    script_ids = [row["id"] for row in saved["scripts"]]
    scenes = session.scalars(select(Scene).where(Scene.script_id.in_(script_ids)))
    saved["scenes"] = [_row_data(scene) for scene in scenes]
    return saved


def _delete_rows(session: Session, project_id: int) -> None:
    script_ids = select(Script.id).filter_by(project_id=project_id)
    session.execute(delete(Scene).where(Scene.script_id.in_(script_ids)))
    for _, model in _OWNED:
        session.execute(delete(model).filter_by(project_id=project_id))
    session.execute(delete(Project).filter_by(id=project_id))


def _insert_rows(session: Session, saved: dict[str, Any], *, keep_id: bool) -> int:
    """Insert the saved rows, under a new project id unless ``keep_id``;
    paths into the project's folder follow a new id."""
    project_data = dict(saved["project"])
    if not keep_id:
        project_data["id"] = None
    project = _new_row(Project, project_data)
    _stop_unfinished(project, saved["stage_runs"])
    session.add(project)
    session.flush()
    old, new = _prefix(saved["project"]["id"]), _prefix(project.id)
    project.output = _rebase(project.output, old, new)
    project.visual = _rebase(project.visual, old, new)

    script_ids: dict[int, int] = {}
    for key, model in _OWNED:
        for data in saved[key]:
            row = _new_row(model, {**data, "id": None, "project_id": project.id})
            if model is Asset:
                row.path = _rebase(row.path, old, new)
            session.add(row)
            session.flush()
            if model is Script:
                script_ids[data["id"]] = row.id
    for data in saved["scenes"]:
        scene = _new_row(Scene, {**data, "id": None})
        scene.script_id = script_ids[data["script_id"]]
        scene.user_image = _rebase(scene.user_image, old, new)
        session.add(scene)
    return project.id


def _stop_unfinished(project: Project, stage_runs: list[dict[str, Any]]) -> None:
    """A project deleted mid-work comes back stopped, never re-queued."""
    if project.status == "running":
        project.status = "cancelled"
    for run in stage_runs:
        if run["state"] in ("queued", "running"):
            run["state"] = "cancelled"


def _row_data(row: Base) -> dict[str, Any]:
    """A row's columns as JSON-ready values."""
    data = {}
    for column in inspect(type(row)).columns:
        value = getattr(row, column.key)
        data[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return data


def _new_row(model: type[Base], data: dict[str, Any]) -> Any:
    """A new row of ``model`` from ``_row_data`` values."""
    values = {}
    for column in inspect(model).columns:
        if column.key not in data or (column.key == "id" and data["id"] is None):
            continue
        value = data[column.key]
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, SqlEnum):
            value = column.type.enum_class(value) if column.type.enum_class else value
        values[column.key] = value
    return model(**values)


# -- shared helpers ----------------------------------------------------------


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise InputError(f"Project {project_id} no longer exists.")
    return project


def _prefix(project_id: int) -> str:
    return f"projects/{project_id}/"


def _rebase(value: Any, old: str, new: str) -> Any:
    """``value`` with every path starting with ``old`` moved under ``new``."""
    if isinstance(value, str):
        return new + value[len(old) :] if value.startswith(old) else value
    if isinstance(value, dict):
        return {key: _rebase(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_rebase(item, old, new) for item in value]
    return value
