"""The script editor: the open project's scenes in an editable table.

Narration, image prompt and on-screen text are edited in place; scenes are
moved (buttons or drag), split, merged, deleted and inserted. Every change
is an undoable command (see ``scene_commands``) that updates the table at
once and is saved off the GUI thread, typing about 600 ms after the last
keystroke. A picture dropped on a scene becomes that scene's image, and one
scene's image or the changed voices can be made again.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from core.errors import InputError, ReelwrightError
from core.pipeline import editing
from core.pipeline.editing import SceneData
from desktop.tasks import spawn
from desktop.ui import scene_commands as commands
from desktop.ui.scene_commands import SAVE_DELAY_MS, SceneSaver
from desktop.ui.scene_model import NARRATION, SceneTable, SceneTableModel

log = logging.getLogger(__name__)


class ScriptEditor(QWidget):
    message = Signal(str, bool)

    def __init__(
        self, backend, parent=None, *, save_delay_ms: int = SAVE_DELAY_MS
    ) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        self.project_id: int | None = None
        self.model = SceneTableModel(self)
        self.table = SceneTable(self.model)
        self.undo_stack = QUndoStack(self)
        self.saver = SceneSaver(backend, self, delay_ms=save_delay_ms)
        self.status = QLabel()
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._make_actions()
        self._lay_out()
        self._connect()
        self._show_state()

    # -- building ----------------------------------------------------------------

    def _make_actions(self) -> None:
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("Redo"))
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        self.insert_action = self._action(
            self.tr("Add Scene"), "Ctrl+Shift+N", self.insert_scene
        )
        self.delete_action = self._action(
            self.tr("Delete Scene"), "Ctrl+Del", self.delete_scene
        )
        self.up_action = self._action(
            self.tr("Move Up"), "Ctrl+Up", lambda: self.move_by(-1)
        )
        self.down_action = self._action(
            self.tr("Move Down"), "Ctrl+Down", lambda: self.move_by(1)
        )
        self.split_action = self._action(
            self.tr("Split at Cursor"), "Ctrl+Return", self.split_scene
        )
        self.merge_action = self._action(
            self.tr("Merge with Next"), "Ctrl+J", self.merge_scene
        )
        self.image_action = self._action(
            self.tr("Regenerate Image"), "", lambda: spawn(self.regenerate_image())
        )
        self.voice_action = self._action(
            self.tr("Regenerate Voice"), "", lambda: spawn(self.regenerate_voice())
        )
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def _action(self, text: str, shortcut: str, slot) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda *_: slot())
        self.addAction(action)
        return action

    def _lay_out(self) -> None:
        # A tool bar, not a row of buttons: when the window is narrow, the
        # actions that do not fit move into its overflow menu instead of
        # holding the whole window at the row's width.
        self.toolbar = QToolBar(self.tr("Scenes"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        groups = (
            (self.insert_action, self.delete_action, self.up_action, self.down_action),
            (self.split_action, self.merge_action),
            (self.image_action, self.voice_action),
            (self.undo_action, self.redo_action),
        )
        for number, group in enumerate(groups):
            if number:
                self.toolbar.addSeparator()
            self.toolbar.addActions(list(group))
        self.status.setMinimumWidth(0)
        bar = QHBoxLayout()
        bar.addWidget(self.toolbar, 1)
        bar.addWidget(self.status)
        column = QVBoxLayout(self)
        column.addLayout(bar)
        column.addWidget(self.table, 1)
        column.addWidget(self.empty, 1)

    def _connect(self) -> None:
        self.model.textEdited.connect(self._text_edited)
        self.model.moveRequested.connect(self.move_scene)
        self.model.imagesDropped.connect(
            lambda position, paths: spawn(self.use_picture(position, paths))
        )
        self.table.delegate.closeEditor.connect(self._seal_typing)
        self.table.selectionModel().currentRowChanged.connect(self._show_state)
        self.model.modelReset.connect(self._show_state)
        self.model.rowsInserted.connect(self._show_state)
        self.model.rowsRemoved.connect(self._show_state)
        self.model.rowsMoved.connect(self._show_state)
        self.saver.busyChanged.connect(self._show_saving)
        self.saver.failed.connect(self._save_failed)

    # -- the current project ---------------------------------------------------

    def set_project(self, project_id: int | None) -> None:
        if project_id == self.project_id:
            return
        self._close_editor()
        self.project_id = project_id
        self.undo_stack.clear()
        self.model.set_scenes([])
        spawn(self._load(project_id))

    async def _load(self, project_id: int | None) -> None:
        await self.saver.flush()  # what was typed elsewhere is saved first
        if project_id is None or not self._showing(project_id):
            return
        scenes = await self.backend.run(
            editing.load_scenes, self.backend.db, project_id
        )
        if self._showing(project_id):
            self.model.set_scenes(scenes)
            self.undo_stack.clear()
            self.status.clear()

    def _showing(self, project_id: int | None) -> bool:
        """Whether a result for ``project_id`` still has a place here (the
        editor may have moved on, or closed, while it was being read)."""
        return isValid(self) and project_id == self.project_id

    async def refresh(self) -> None:
        """Read the scenes again (after a stage finished); keeps the undo
        history when only the voiced lengths changed."""
        project_id = self.project_id
        await self.flush()
        if project_id is None or not self._showing(project_id):
            return
        scenes = await self.backend.run(
            editing.load_scenes, self.backend.db, project_id
        )
        if not self._showing(project_id):
            return
        if [s.fields() for s in scenes] == [s.fields() for s in self.model.scenes()]:
            self.model.update_voiced(scenes)
        else:
            self._close_editor()
            self.model.set_scenes(scenes)
            self.undo_stack.clear()

    async def flush(self) -> None:
        """Save every edit made so far (the window awaits this on quit)."""
        self._commit_editor()
        await self.saver.flush()

    # -- edits ---------------------------------------------------------------

    def current_position(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def _text_edited(self, position: int, field: str, text: str) -> None:
        if self.project_id is None:
            return
        old = getattr(self.model.scene(position), field)
        label = self.tr("Edit Scene {0}").replace("{0}", str(position + 1))
        self._push(commands.EditText, label, position, field, old, text)

    def _seal_typing(self, *_args) -> None:  # type: ignore[no-untyped-def]
        command = self.undo_stack.command(self.undo_stack.index() - 1)
        if isinstance(command, commands.EditText):
            command.sealed = True

    def move_by(self, step: int) -> None:
        position = self.current_position()
        if position is not None:
            self.move_scene(position, position + step)

    def move_scene(self, source: int, target: int) -> None:
        if not 0 <= target < self.model.rowCount() or source == target:
            return
        self._close_editor()
        label = self.tr("Move Scene {0}").replace("{0}", str(source + 1))
        self._push(commands.MoveScene, label, source, target)
        self._select(target)

    def split_scene(self) -> None:
        """Split at the narration's cursor, or else between its sentences."""
        position = self.current_position()
        if position is None:
            return
        self._close_editor()
        narration = self.model.scene(position).narration
        at = self.table.delegate.cursor_in(position, narration)
        if at is None:
            try:
                at = editing.middle_of_sentences(narration)
            except InputError:
                text = self.tr(
                    "This scene has one sentence. Put the cursor in its narration "
                    "where it should be split, then split again."
                )
                self.message.emit(text, True)
                return
        label = self.tr("Split Scene {0}").replace("{0}", str(position + 1))
        try:
            self._push(commands.SplitScene, label, position, at)
        except InputError:
            text = self.tr(
                "Put the cursor inside the narration, between two words, "
                "to split there."
            )
            self.message.emit(text, True)

    def merge_scene(self) -> None:
        position = self.current_position()
        if position is None or position + 1 >= self.model.rowCount():
            self.message.emit(
                self.tr("The last scene has no next scene to merge with."), True
            )
            return
        self._close_editor()
        label = self.tr("Merge Scenes {0} and {1}")
        label = label.replace("{0}", str(position + 1)).replace(
            "{1}", str(position + 2)
        )
        self._push(commands.MergeScenes, label, position)

    def delete_scene(self) -> None:
        position = self.current_position()
        if position is None:
            return
        self._close_editor()
        label = self.tr("Delete Scene {0}").replace("{0}", str(position + 1))
        self._push(commands.DeleteScene, label, position)

    def insert_scene(self) -> None:
        if self.project_id is None or not self.model.rowCount():
            return
        current = self.current_position()
        position = self.model.rowCount() if current is None else current + 1
        self._close_editor()
        label = self.tr("Add Scene {0}").replace("{0}", str(position + 1))
        self._push(commands.InsertScene, label, position, SceneData(narration=""))
        self._select(position)
        self.table.edit(self.model.index(position, NARRATION))

    def _push(self, command_type, label: str, *args) -> None:  # type: ignore[no-untyped-def]
        assert self.project_id is not None
        self.undo_stack.push(
            command_type(label, self.model, self.saver, self.project_id, *args)
        )

    # -- pictures and regeneration -------------------------------------------------

    async def use_picture(self, position: int, paths: list[Path]) -> None:
        """Use a dropped picture for a scene, then make its image again."""
        project_id = self.project_id
        if project_id is None or not paths:
            return
        if len(paths) > 1:
            self.message.emit(self.tr("Drop one picture on a scene at a time."), True)
            return
        try:
            stored = await self.backend.run(
                editing.set_scene_image,
                self.backend.db,
                self.backend.storage,
                project_id,
                position,
                paths[0],
            )
        except ReelwrightError:
            if isValid(self):
                text = self.tr(
                    "The picture {0} could not be read. Use a JPEG, PNG or WebP file."
                )
                self.message.emit(text.replace("{0}", paths[0].name), True)
            return
        if not self._showing(project_id) or position >= self.model.rowCount():
            return
        label = self.tr("Use Picture for Scene {0}").replace("{0}", str(position + 1))
        self._push(commands.SetPicture, label, position, stored)
        await self.regenerate_image(position)

    async def regenerate_image(self, position: int | None = None) -> None:
        project_id = self.project_id
        position = self.current_position() if position is None else position
        if project_id is None or position is None:
            return
        await self.flush()
        sent = await self.backend.run(
            retry_scene_image, self.backend.control, project_id, position
        )
        if not isValid(self):
            return
        number = str(position + 1)
        if sent:
            text = self.tr("Making the image of scene {0} again.")
            self.message.emit(text.replace("{0}", number), False)
        else:
            text = self.tr(
                "The image of scene {0} is made with the others: press Generate."
            )
            self.message.emit(text.replace("{0}", number), False)

    async def regenerate_voice(self) -> None:
        project_id = self.project_id
        if project_id is None:
            return
        await self.flush()
        # One message voices the project; unchanged scenes come from the cache.
        await self.backend.run(self.backend.control.retry, project_id, "audio")
        if isValid(self):
            self.message.emit(
                self.tr("Voicing the changed scenes again. Unchanged scenes are kept."),
                False,
            )

    # -- state shown ---------------------------------------------------------------

    def _show_state(self, *_args) -> None:  # type: ignore[no-untyped-def]
        count = self.model.rowCount()
        position = self.current_position()
        self.table.setVisible(count > 0)
        self.empty.setVisible(count == 0)
        self.empty.setText(
            self.tr("Choose a project, or drop a document on the window.")
            if self.project_id is None
            else self.tr("No script yet. The scenes appear here once it is written.")
        )
        self.insert_action.setEnabled(count > 0)
        chosen = position is not None
        for action in (self.delete_action, self.split_action, self.image_action):
            action.setEnabled(chosen)
        self.voice_action.setEnabled(count > 0)
        self.up_action.setEnabled(chosen and position > 0)
        self.down_action.setEnabled(chosen and position < count - 1)
        self.merge_action.setEnabled(chosen and position < count - 1)

    def _show_saving(self, busy: bool) -> None:
        self.status.setText(self.tr("Saving…") if busy else self.tr("Saved"))

    def _save_failed(self, project_id: int, problem: str) -> None:
        text = self.tr("An edit could not be saved ({0}). The script was read again.")
        self.message.emit(text.replace("{0}", problem), True)
        if project_id == self.project_id:
            self.project_id = None  # so that set_project reloads it
            self.set_project(project_id)

    def _select(self, position: int) -> None:
        self.table.setCurrentIndex(self.model.index(position, NARRATION))

    def _commit_editor(self) -> None:
        editor = self.table.delegate.open_editor
        if editor is not None:
            self.table.delegate.commitData.emit(editor)

    def _close_editor(self) -> None:
        editor = self.table.delegate.open_editor
        if editor is not None:
            self.table.delegate.commitData.emit(editor)
            self.table.delegate.closeEditor.emit(editor)
        self.table.delegate.open_editor = None


def retry_scene_image(control, project_id: int, position: int) -> bool:  # type: ignore[no-untyped-def]
    """Re-queue one scene's image; False when the images stage has not
    reached that scene yet (it will make it with the others)."""
    runs = control.stage_runs(project_id)
    if not any(r.stage == "images" and r.scene_position == position for r in runs):
        return False
    control.retry(project_id, "images", position)
    return True
