"""Undoable script edits, and the saver that writes them in order.

Every change to the open script is a ``QUndoCommand``: doing or undoing it
changes the table model at once and queues the matching database write in
``SceneSaver``. Typing is saved about 600 ms after the last keystroke;
structural edits (move, split, merge, delete, insert) are written at once,
after any typing still waiting, so that writes always reach the database in
the order they were made. All writes run off the GUI thread, one at a time.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand
from shiboken6 import isValid

from core.pipeline import editing
from core.pipeline.editing import SceneData
from desktop.tasks import spawn
from desktop.ui.scene_model import SceneTableModel

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 600
Write = Callable[[], Any]


class SceneSaver(QObject):
    """Writes edits through ``backend.run``, in order, one at a time."""

    busyChanged = Signal(bool)  # True while anything is unsaved
    failed = Signal(int, str)  # project id, what went wrong

    def __init__(self, backend, parent=None, *, delay_ms: int = SAVE_DELAY_MS) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        self._texts: dict[tuple[int, int, str], str] = {}
        self._writes: list[tuple[int, Write]] = []
        self._task: asyncio.Task | None = None
        self._busy = False
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._start)

    @property
    def busy(self) -> bool:
        return bool(self._texts or self._writes or self._running())

    def edit_text(self, project_id: int, position: int, field: str, text: str) -> None:
        """Save a field's text once typing pauses; later text replaces it."""
        self._texts[(project_id, position, field)] = text
        self._timer.start()
        self._update_busy()

    def write(self, project_id: int, fn: Callable, *args: Any, **kwargs: Any) -> None:
        """Save a structural change now, after the typing before it."""
        self._queue_texts()
        self._writes.append((project_id, functools.partial(fn, *args, **kwargs)))
        self._start()

    async def flush(self) -> None:
        """Return once everything edited so far is in the database."""
        if isValid(self):
            self._start()
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    # -- the queue -------------------------------------------------------------

    def _queue_texts(self) -> None:
        self._timer.stop()
        db = self.backend.db
        for (project_id, position, field), text in self._texts.items():
            write = functools.partial(
                editing.update_scene, db, project_id, position, **{field: text}
            )
            self._writes.append((project_id, write))
        self._texts.clear()

    def _start(self) -> None:
        self._queue_texts()
        if self._writes and not self._running():
            self._task = spawn(self._drain())
        self._update_busy()

    def _running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _drain(self) -> None:
        # The writes go on even if the editor closes meanwhile (on quit);
        # only the signals need it alive.
        while self._writes:
            project_id, write = self._writes.pop(0)
            try:
                await self.backend.run(write)
            except Exception as error:  # the boundary of a background save
                log.exception("Project %s: an edit could not be saved.", project_id)
                # What follows was made against rows that are not there.
                # Limitation: the failed edit and those after it are lost;
                # the editor says so and reads the script again.
                self._writes = [w for w in self._writes if w[0] != project_id]
                if isValid(self):
                    self.failed.emit(project_id, getattr(error, "message", str(error)))
        self._task = None  # done: so ``busy`` no longer counts it
        if isValid(self):
            self._update_busy()

    def _update_busy(self) -> None:
        busy = self.busy
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)


class SceneCommand(QUndoCommand):
    """A change to the model and its database write, for one project."""

    def __init__(
        self, text: str, model: SceneTableModel, saver: SceneSaver, project_id: int
    ) -> None:
        super().__init__(text)
        self.model, self.saver, self.project_id = model, saver, project_id
        self.db = saver.backend.db

    def save(self, fn: Callable, *args: Any, **kwargs: Any) -> None:
        self.saver.write(self.project_id, fn, self.db, self.project_id, *args, **kwargs)


class EditText(SceneCommand):
    """Typing in one field of one scene; keystrokes merge into one step."""

    ID = 1

    def __init__(self, text, model, saver, project_id, position, field, old, new):  # type: ignore[no-untyped-def]
        super().__init__(text, model, saver, project_id)
        self.position, self.field, self.old, self.new = position, field, old, new
        self.sealed = False  # set when the editor closes: the next typing is new

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditText) or self.sealed:
            return False
        if (other.position, other.field) != (self.position, self.field):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)

    def _apply(self, text: str) -> None:
        self.model.set_field(self.position, self.field, text)
        self.saver.edit_text(self.project_id, self.position, self.field, text)


class MoveScene(SceneCommand):
    def __init__(self, text, model, saver, project_id, source, target):  # type: ignore[no-untyped-def]
        super().__init__(text, model, saver, project_id)
        self.source, self.target = source, target

    def redo(self) -> None:
        self._move(self.source, self.target)

    def undo(self) -> None:
        self._move(self.target, self.source)

    def _move(self, source: int, target: int) -> None:
        self.model.move(source, target)
        self.save(editing.move_scene, source, target)


class SplitScene(SceneCommand):
    def __init__(self, text, model, saver, project_id, position, at):  # type: ignore[no-untyped-def]
        super().__init__(text, model, saver, project_id)
        self.position, self.at = position, at
        self.original = model.scene(position)
        self.halves = editing.split_data(self.original, at)  # InputError if not

    def redo(self) -> None:
        head, tail = self.halves
        self.model.replace(self.position, head)
        self.model.insert(self.position + 1, tail)
        self.save(editing.split_scene, self.position, self.at)

    def undo(self) -> None:
        self.model.remove(self.position + 1)
        self.model.replace(self.position, self.original)
        self.save(editing.delete_scene, self.position + 1)
        self.save(editing.update_scene, self.position, **self.original.fields())


class MergeScenes(SceneCommand):
    def __init__(self, text, model, saver, project_id, position):  # type: ignore[no-untyped-def]
        super().__init__(text, model, saver, project_id)
        self.position = position
        self.first = model.scene(position)
        self.second = model.scene(position + 1)

    def redo(self) -> None:
        self.model.replace(self.position, editing.merged_data(self.first, self.second))
        self.model.remove(self.position + 1)
        self.save(editing.merge_with_next, self.position)

    def undo(self) -> None:
        self.model.replace(self.position, self.first)
        self.model.insert(self.position + 1, self.second)
        self.save(editing.update_scene, self.position, **self.first.fields())
        self.save(editing.insert_scene, self.position + 1, self.second)


class DeleteScene(SceneCommand):
    def __init__(self, text, model, saver, project_id, position):  # type: ignore[no-untyped-def]
        super().__init__(text, model, saver, project_id)
        self.position = position
        self.scene = model.scene(position)

    def redo(self) -> None:
        self.model.remove(self.position)
        self.save(editing.delete_scene, self.position)

    def undo(self) -> None:
        self.model.insert(self.position, self.scene)
        self.save(editing.insert_scene, self.position, self.scene)


class InsertScene(SceneCommand):
    def __init__(self, text, model, saver, project_id, position, scene: SceneData):  # type: ignore[no-untyped-def]
        super().__init__(text, model, saver, project_id)
        self.position, self.scene = position, scene

    def redo(self) -> None:
        self.model.insert(self.position, self.scene)
        self.save(editing.insert_scene, self.position, self.scene)

    def undo(self) -> None:
        self.model.remove(self.position)
        self.save(editing.delete_scene, self.position)


class SetPicture(SceneCommand):
    """Use the creator's picture (already copied into storage) for a scene."""

    def __init__(self, text, model, saver, project_id, position, picture):  # type: ignore[no-untyped-def]
        super().__init__(text, model, saver, project_id)
        self.position, self.picture = position, picture
        self.before = model.scene(position).user_image

    def redo(self) -> None:
        self._use(self.picture)

    def undo(self) -> None:
        self._use(self.before)

    def _use(self, picture: str | None) -> None:
        scene = self.model.scene(self.position)
        self.model.replace(self.position, replace(scene, user_image=picture))
        self.save(editing.update_scene, self.position, user_image=picture)
