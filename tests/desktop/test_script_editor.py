"""The script editor on a real backend: edits reach SQLite, in order."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from core.content import content_from_text
from core.models import Project, Scene, Script, StageRun, StageState
from core.pipeline import editing
from core.pipeline.project import create_project
from desktop.ui.scene_model import NARRATION, SCENE_MIME
from desktop.ui.script_editor import ScriptEditor

NARRATIONS = ["One. Two two.", "Second scene.", "Third scene."]


def make_project(db, narrations=NARRATIONS) -> int:  # type: ignore[no-untyped-def]
    project_id = create_project(db, content_from_text("Words.", "notes"))
    with db.session() as session:
        session.get(Project, project_id).script = Script(
            title="A title",
            scenes=[
                Scene(position=i, narration=text, image_prompt=f"prompt {i}")
                for i, text in enumerate(narrations)
            ],
        )
    return project_id


def saved(backend, project_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.narration for s in editing.load_scenes(backend.db, project_id)]


@pytest.fixture
def project_id(backend) -> int:  # type: ignore[no-untyped-def]
    return make_project(backend.db)


@pytest.fixture
def editor(backend, qtbot, project_id):  # type: ignore[no-untyped-def]
    editor = ScriptEditor(backend, save_delay_ms=200)
    qtbot.addWidget(editor)
    editor.resize(900, 500)
    editor.show()
    editor.set_project(project_id)
    qtbot.waitUntil(lambda: editor.model.rowCount() == len(NARRATIONS))
    return editor


def open_narration(editor, qtbot, row: int):  # type: ignore[no-untyped-def]
    index = editor.model.index(row, NARRATION)
    editor.table.setCurrentIndex(index)
    editor.table.edit(index)
    qtbot.waitUntil(lambda: editor.table.delegate.open_editor is not None)
    return editor.table.delegate.open_editor


def type_at_end(editor, qtbot, row: int, text: str) -> None:  # type: ignore[no-untyped-def]
    box = open_narration(editor, qtbot, row)
    box.moveCursor(box.textCursor().MoveOperation.End)
    qtbot.keyClicks(box, text)


def test_typing_is_saved_once_the_typing_pauses(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    type_at_end(editor, qtbot, 1, " More")

    assert editor.model.scene(1).narration == "Second scene. More"
    assert saved(backend, project_id)[1] == "Second scene."  # not at each key
    assert editor.status.text() == "Saving…"
    qtbot.waitUntil(lambda: saved(backend, project_id)[1] == "Second scene. More")
    qtbot.waitUntil(lambda: editor.status.text() == "Saved")


def test_undo_restores_the_text_and_saves_it(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    type_at_end(editor, qtbot, 0, "!!")
    editor.table.setFocus()  # closes the editor, ending the typing step
    qtbot.waitUntil(lambda: saved(backend, project_id)[0] == "One. Two two.!!")

    editor.undo_stack.undo()

    assert editor.model.scene(0).narration == NARRATIONS[0]
    qtbot.waitUntil(lambda: saved(backend, project_id)[0] == NARRATIONS[0])
    editor.undo_stack.redo()
    qtbot.waitUntil(lambda: saved(backend, project_id)[0] == "One. Two two.!!")


def test_keystrokes_in_one_cell_undo_as_one_step(editor, qtbot):  # type: ignore[no-untyped-def]
    type_at_end(editor, qtbot, 2, "abc")
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert editor.model.scene(2).narration == NARRATIONS[2]


def test_split_at_the_cursor_makes_two_saved_scenes(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    box = open_narration(editor, qtbot, 1)
    cursor = box.textCursor()
    cursor.setPosition(len("Second"))
    box.setTextCursor(cursor)

    editor.split_action.trigger()

    expected = ["One. Two two.", "Second", "scene.", "Third scene."]
    assert [s.narration for s in editor.model.scenes()] == expected
    qtbot.waitUntil(lambda: saved(backend, project_id) == expected)


def test_split_without_a_cursor_cuts_between_sentences(
    editor, qtbot, backend, project_id
):  # type: ignore[no-untyped-def]
    editor.table.setCurrentIndex(editor.model.index(0, NARRATION))
    editor.split_action.trigger()
    qtbot.waitUntil(lambda: saved(backend, project_id)[:2] == ["One.", "Two two."])

    editor.undo_stack.undo()
    qtbot.waitUntil(lambda: saved(backend, project_id) == NARRATIONS)


def test_a_one_sentence_scene_asks_for_the_cursor(editor, qtbot):  # type: ignore[no-untyped-def]
    editor.table.setCurrentIndex(editor.model.index(2, NARRATION))
    with qtbot.waitSignal(editor.message) as shown:
        editor.split_action.trigger()
    assert "cursor" in shown.args[0] and shown.args[1] is True
    assert editor.model.rowCount() == 3


def test_merge_and_its_undo_are_saved(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    editor.table.setCurrentIndex(editor.model.index(1, NARRATION))
    editor.merge_action.trigger()
    merged = ["One. Two two.", "Second scene. Third scene."]
    qtbot.waitUntil(lambda: saved(backend, project_id) == merged)

    editor.undo_stack.undo()
    qtbot.waitUntil(lambda: saved(backend, project_id) == NARRATIONS)
    assert editing.load_scenes(backend.db, project_id)[2].image_prompt == "prompt 2"


def test_moving_down_and_deleting_are_saved(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    editor.table.setCurrentIndex(editor.model.index(0, NARRATION))
    editor.down_action.trigger()
    assert editor.current_position() == 1
    editor.delete_action.trigger()
    qtbot.waitUntil(
        lambda: saved(backend, project_id) == ["Second scene.", "Third scene."]
    )


def test_typing_then_moving_saves_both_in_order(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    type_at_end(editor, qtbot, 2, " Last")
    editor.move_scene(2, 0)  # at once, before the typing pause is over
    expected = ["Third scene. Last", "One. Two two.", "Second scene."]
    qtbot.waitUntil(lambda: saved(backend, project_id) == expected)


def test_an_added_scene_is_saved_and_opened_for_typing(
    editor, qtbot, backend, project_id
):  # type: ignore[no-untyped-def]
    editor.table.setCurrentIndex(editor.model.index(0, NARRATION))
    editor.insert_action.trigger()
    qtbot.waitUntil(lambda: len(saved(backend, project_id)) == 4)
    assert saved(backend, project_id)[1] == ""
    assert editor.table.delegate.open_editor is not None


def drop(widget, point: QPoint, mime: QMimeData) -> QDropEvent:  # type: ignore[no-untyped-def]
    """Drag ``mime`` over ``widget`` and drop it at ``point``, as a file
    manager does: enter, move, then drop (Qt delivers no drop without them)."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    where = QPointF(point)
    args = (actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    for kind in (QDragEnterEvent, QDragMoveEvent):
        QApplication.sendEvent(widget, kind(point, *args))  # these take a QPoint
    event = QDropEvent(where, *args)
    QApplication.sendEvent(widget, event)
    return event


def row_centre(editor, row: int) -> QPoint:  # type: ignore[no-untyped-def]
    return editor.table.visualRect(editor.model.index(row, NARRATION)).center()


def files(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def test_dragging_a_scene_onto_another_moves_it(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setData(SCENE_MIME, b"0")
    drop(editor.table.viewport(), row_centre(editor, 2), mime)
    expected = ["Second scene.", "Third scene.", "One. Two two."]
    qtbot.waitUntil(lambda: saved(backend, project_id) == expected)


def test_a_picture_dropped_on_a_scene_becomes_its_image(
    editor, qtbot, backend, project_id, tmp_path
):  # type: ignore[no-untyped-def]
    picture = tmp_path / "beach.jpg"
    Image.new("RGB", (64, 48), "orange").save(picture)

    mime = files(picture)
    event = drop(editor.table.viewport(), row_centre(editor, 1), mime)

    assert event.isAccepted()

    def image_of_scene_two() -> str | None:
        return editing.load_scenes(backend.db, project_id)[1].user_image

    qtbot.waitUntil(lambda: editor.model.scene(1).user_image is not None)
    qtbot.waitUntil(lambda: image_of_scene_two() == editor.model.scene(1).user_image)
    stored = backend.storage.absolute(image_of_scene_two())
    assert stored.read_bytes() == picture.read_bytes()


def test_a_broken_picture_gets_an_inline_message(editor, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    with qtbot.waitSignal(editor.message) as shown:
        drop(editor.table.viewport(), row_centre(editor, 0), mime := files(broken))
    assert mime.hasUrls()
    assert "broken.png" in shown.args[0] and shown.args[1] is True
    assert editor.model.scene(0).user_image is None


def test_a_text_file_dropped_on_the_table_is_imported_by_the_window(
    window, backend, qtbot, tmp_path
):  # type: ignore[no-untyped-def]
    first = make_project(backend.db)
    window.show()
    window.set_project(first)
    editor = window.script
    qtbot.waitUntil(lambda: editor.model.rowCount() == 3)
    notes = tmp_path / "notes.txt"
    notes.write_text("Words for a new video.")

    mime = files(notes)
    event = drop(editor.table.viewport(), row_centre(editor, 0), mime)

    assert event.isAccepted()  # by the window, not by the table
    qtbot.waitUntil(lambda: window.project_id not in (None, first))


def add_runs(backend, project_id: int, stage: str, state: StageState, parts=()):  # type: ignore[no-untyped-def]
    with backend.db.session() as session:
        for part in (-1, *parts):
            session.add(
                StageRun(
                    project_id=project_id, stage=stage, scene_position=part, state=state
                )
            )


def states(backend, project_id: int, stage: str) -> dict[int, StageState]:  # type: ignore[no-untyped-def]
    runs = backend.control.stage_runs(project_id)
    return {r.scene_position: r.state for r in runs if r.stage == stage}


def test_regenerate_image_requeues_only_that_scene(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    add_runs(backend, project_id, "images", StageState.SUCCEEDED, parts=(0, 1, 2))
    editor.table.setCurrentIndex(editor.model.index(1, NARRATION))

    editor.image_action.trigger()

    qtbot.waitUntil(
        lambda: states(backend, project_id, "images")[1] is StageState.QUEUED
    )
    found = states(backend, project_id, "images")
    assert found[0] is found[2] is StageState.SUCCEEDED


def test_regenerate_voice_requeues_the_voice_stage(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    add_runs(backend, project_id, "script", StageState.SUCCEEDED)
    add_runs(backend, project_id, "audio", StageState.FAILED)
    editor.voice_action.trigger()
    qtbot.waitUntil(
        lambda: states(backend, project_id, "audio")[-1] is StageState.QUEUED
    )


def test_regenerate_voice_requeues_a_finished_voice_stage(
    editor, qtbot, backend, project_id
):  # type: ignore[no-untyped-def]
    add_runs(backend, project_id, "script", StageState.SUCCEEDED)
    add_runs(backend, project_id, "audio", StageState.SUCCEEDED)
    editor.voice_action.trigger()
    qtbot.waitUntil(
        lambda: states(backend, project_id, "audio")[-1] is StageState.QUEUED,
    )


def test_switching_project_saves_the_typing_at_once(backend, qtbot, project_id):  # type: ignore[no-untyped-def]
    editor = ScriptEditor(backend, save_delay_ms=60_000)
    qtbot.addWidget(editor)
    editor.show()
    editor.set_project(project_id)
    qtbot.waitUntil(lambda: editor.model.rowCount() == 3)
    type_at_end(editor, qtbot, 0, " Kept")

    editor.set_project(make_project(backend.db, ["Other project."]))

    qtbot.waitUntil(lambda: saved(backend, project_id)[0] == "One. Two two. Kept")
    qtbot.waitUntil(lambda: editor.model.rowCount() == 1)


def test_flush_saves_the_typing_at_once(backend, qtbot, project_id):  # type: ignore[no-untyped-def]
    from desktop.tasks import spawn

    editor = ScriptEditor(backend, save_delay_ms=60_000)
    qtbot.addWidget(editor)
    editor.show()
    editor.set_project(project_id)
    qtbot.waitUntil(lambda: editor.model.rowCount() == 3)
    type_at_end(editor, qtbot, 1, " Kept")

    flushed = spawn(editor.flush())

    qtbot.waitUntil(flushed.done)
    assert saved(backend, project_id)[1] == "Second scene. Kept"


def test_a_project_without_a_script_shows_the_empty_state(backend, qtbot):  # type: ignore[no-untyped-def]
    editor = ScriptEditor(backend)
    qtbot.addWidget(editor)
    editor.show()
    project_id = create_project(backend.db, content_from_text("Words.", "notes"))
    editor.set_project(project_id)
    qtbot.wait(100)
    assert editor.empty.isVisible() and not editor.table.isVisible()


def test_ctrl_z_undoes_and_ctrl_shift_z_redoes(editor, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    editor.table.setCurrentIndex(editor.model.index(0, NARRATION))
    editor.delete_action.trigger()
    editor.activateWindow()
    editor.table.setFocus()
    qtbot.waitUntil(editor.table.hasFocus)

    qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rowCount() == 3
    qtbot.waitUntil(lambda: saved(backend, project_id) == NARRATIONS)

    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, redo)
    assert editor.model.rowCount() == 2


def test_new_voiced_lengths_arrive_in_one_change_the_table_measures_once(editor):
    """The table sizes rows to their wrapped text on every change signal; a
    voice run must not make it measure every row once per scene."""
    from dataclasses import replace

    fresh = [
        replace(scene, voiced_seconds=3.0 + n)
        for n, scene in enumerate(editor.model.scenes())
    ]
    signals = []
    editor.model.dataChanged.connect(
        lambda first, last: signals.append((first.row(), last.row()))
    )

    editor.model.update_voiced(fresh)

    assert signals == [(0, len(NARRATIONS) - 1)]
    assert [s.voiced_seconds for s in editor.model.scenes()] == [3.0, 4.0, 5.0]


def test_rows_fit_their_wrapped_text_after_each_burst_of_changes(editor, qtbot):  # type: ignore[no-untyped-def]
    """Rows are fitted once a burst of changes is over, not on every event:
    a long narration makes its row taller, a wider column shorter again."""
    from dataclasses import replace

    table = editor.table
    short_height = table.rowHeight(1)
    scenes = editor.model.scenes()
    scenes[1] = replace(scenes[1], narration="Bees fan their wings all night. " * 12)
    editor.model.set_scenes(scenes)
    qtbot.waitUntil(lambda: table.rowHeight(1) > 2 * short_height)
    wide = table.rowHeight(1)

    editor.resize(1800, 500)
    qtbot.waitUntil(lambda: table.rowHeight(1) < wide)
    assert table.rowHeight(0) < table.rowHeight(1)  # short rows stay short
