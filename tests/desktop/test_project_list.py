"""The project list against a real database: badges, thumbnails, search,
rename, duplicate, delete with undo, and status updates from the feed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLineEdit

from core.content import content_from_text
from core.models import Project, Scene, Script
from core.pipeline.project import create_project
from desktop.notify import Notifier
from desktop.tasks import spawn
from desktop.ui.project_list import ProjectList
from desktop.ui.theme import BADGE_COLOURS


def add_project(backend, name: str, status: str = "draft") -> int:  # type: ignore[no-untyped-def]
    project_id = create_project(
        backend.db, content_from_text("A few words.", name), name=name
    )
    with backend.db.session() as session:
        project = session.get(Project, project_id)
        project.status = status
        project.script = Script(title=name, scenes=[Scene(position=0, narration="Hi.")])
    return project_id


def add_thumbnail(backend, project_id: int, colour: str) -> Path:  # type: ignore[no-untyped-def]
    path = backend.storage.project_dir(project_id) / "output" / "thumbnail.jpg"
    path.parent.mkdir(parents=True)
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    with backend.db.session() as session:
        project = session.get(Project, project_id)
        project.output = {"thumbnail": backend.storage.relative(path)}
    return path


def project_name(backend, project_id: int) -> str | None:  # type: ignore[no-untyped-def]
    with backend.db.session() as session:
        project = session.get(Project, project_id)
        return project.name if project else None


@pytest.fixture
def projects(backend, qtbot) -> ProjectList:  # type: ignore[no-untyped-def]
    widget = ProjectList(backend)
    qtbot.addWidget(widget)
    widget.resize(420, 500)
    widget.show()
    return widget


def refreshed(projects: ProjectList, qtbot, count: int) -> list:  # type: ignore[no-untyped-def]
    spawn(projects.refresh())
    qtbot.waitUntil(lambda: len(projects.rows()) == count)
    return projects.rows()


def test_each_project_shows_its_name_and_a_coloured_status_badge(
    backend, projects, qtbot
):
    add_project(backend, "Rivers", status="failed")
    add_project(backend, "Mountains", status="rendered")

    rows = refreshed(projects, qtbot, 2)

    assert {(name, status) for _, name, status in rows} == {
        ("Rivers", "failed"),
        ("Mountains", "done"),
    }
    drawn = projects.list.viewport().grab().toImage()
    colours = {
        drawn.pixelColor(x, y).name()
        for x in range(0, drawn.width(), 2)
        for y in range(0, drawn.height(), 2)
    }
    assert BADGE_COLOURS["failed"] in colours
    assert BADGE_COLOURS["done"] in colours


def test_a_rendered_thumbnail_is_loaded_into_the_row(backend, projects, qtbot):
    project_id = add_project(backend, "Sunset", status="done")
    add_thumbnail(backend, project_id, "#ff0000")

    refreshed(projects, qtbot, 1)

    def icon_is_red() -> bool:
        item = projects.list.item(0)
        image = item.icon().pixmap(projects.list.iconSize()).toImage()
        middle = image.pixelColor(image.width() // 2, image.height() // 2)
        return middle.red() > 200 and middle.green() < 60

    qtbot.waitUntil(icon_is_red)


def test_search_keeps_only_matching_names(backend, projects, qtbot):
    for name in ("River Valleys", "Mountain rivers", "Deserts"):
        add_project(backend, name)
    refreshed(projects, qtbot, 3)

    qtbot.keyClicks(projects.search, "river")

    qtbot.waitUntil(lambda: len(projects.rows()) == 2)
    assert {name for _, name, _ in projects.rows()} == {
        "River Valleys",
        "Mountain rivers",
    }


def test_selecting_a_row_announces_the_project(backend, projects, qtbot):
    project_id = add_project(backend, "Rivers")
    refreshed(projects, qtbot, 1)

    with qtbot.waitSignal(projects.projectSelected) as chosen:
        projects.select(project_id)

    assert chosen.args == [project_id]


def test_an_inline_rename_is_saved_in_the_database(backend, projects, qtbot):
    project_id = add_project(backend, "Old name")
    refreshed(projects, qtbot, 1)
    projects.select(project_id)

    projects.rename_action.trigger()
    editor = projects.list.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "Rivers of Taiwan")
    qtbot.keyClick(editor, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: project_name(backend, project_id) == "Rivers of Taiwan")
    qtbot.waitUntil(lambda: projects.rows()[0][1] == "Rivers of Taiwan")


def test_an_empty_rename_is_refused_with_a_message(backend, projects, qtbot):
    project_id = add_project(backend, "Keep me")
    refreshed(projects, qtbot, 1)

    with qtbot.waitSignal(projects.message) as said:
        spawn(projects.rename(project_id, "   "))

    assert said.args[1] is True
    assert project_name(backend, project_id) == "Keep me"


def test_duplicate_adds_a_draft_copy_and_selects_it(backend, projects, qtbot):
    project_id = add_project(backend, "Rivers", status="done")
    refreshed(projects, qtbot, 1)
    projects.select(project_id)

    projects.duplicate_action.trigger()

    qtbot.waitUntil(lambda: len(projects.rows()) == 2)
    qtbot.waitUntil(lambda: projects.current_id() not in (None, project_id))
    copy_id = projects.current_id()
    assert project_name(backend, copy_id) == "Rivers (copy)"
    with backend.db.session() as session:
        copy = session.get(Project, copy_id)
        assert copy.status == "draft"
        assert [scene.narration for scene in copy.script.scenes] == ["Hi."]


def test_delete_moves_to_the_trash_and_ctrl_z_brings_it_back(backend, projects, qtbot):
    keep = add_project(backend, "Keep")
    gone = add_project(backend, "Delete me")
    refreshed(projects, qtbot, 2)
    projects.select(gone)
    projects.activateWindow()
    projects.list.setFocus()
    qtbot.waitUntil(projects.list.hasFocus)

    qtbot.keyClick(projects.list, Qt.Key.Key_Delete)

    qtbot.waitUntil(lambda: [row[0] for row in projects.rows()] == [keep])
    assert project_name(backend, gone) is None
    assert projects.undo_bar.isVisible()
    assert "Delete me" in projects.undo_label.text()

    projects.list.setFocus()
    qtbot.keyClick(projects.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: len(projects.rows()) == 2)
    assert project_name(backend, gone) == "Delete me"
    assert projects.current_id() == gone
    assert not projects.undo_action.isEnabled()


def test_a_status_update_changes_one_row_and_reports_the_end(backend, projects, qtbot):
    project_id = add_project(backend, "Rivers", status="running")
    refreshed(projects, qtbot, 1)

    projects.on_status(project_id, "queued")
    assert projects.rows()[0][2] == "running"

    with qtbot.waitSignal(projects.finished) as ended:
        projects.on_status(project_id, "failed")
    assert ended.args == [project_id, "Rivers", "failed"]
    assert projects.rows()[0][2] == "failed"


def test_a_succeeded_stage_reads_the_projects_own_status(backend, projects, qtbot):
    project_id = add_project(backend, "Rivers", status="running")
    refreshed(projects, qtbot, 1)
    with backend.db.session() as session:
        session.get(Project, project_id).status = "done"

    with qtbot.waitSignal(projects.finished) as ended:
        projects.on_status(project_id, "succeeded")

    assert ended.args == [project_id, "Rivers", "done"]
    assert projects.rows()[0][2] == "done"


def test_a_finished_video_is_announced_in_the_window_without_a_tray(qtbot):
    shown: list[tuple[str, bool]] = []
    notifier = Notifier(lambda text, error: shown.append((text, error)))

    notifier.project_finished(1, "Rivers", "done")
    notifier.project_finished(2, "Deserts", "failed")

    assert notifier.tray is None  # the offscreen platform has no tray
    assert "Rivers" in shown[0][0] and shown[0][1] is False
    assert "Deserts" in shown[1][0] and shown[1][1] is True


def test_the_main_window_lists_projects_through_this_widget(backend, window, qtbot):
    add_project(backend, "Rivers")

    spawn(window.projects.refresh())

    qtbot.waitUntil(lambda: len(window.projects.rows()) == 1)
    assert isinstance(window.projects, ProjectList)
