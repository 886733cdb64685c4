"""The main window: projects on the left, the script and previews in the
middle, the stage panel at the bottom; drop files anywhere.

The window arranges the feature widgets from ``desktop.ui`` and routes the
current project to them. It holds no project state of its own.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.content import SUPPORTED_SUFFIXES
from core.errors import ReelwrightError
from desktop.backend import Backend
from desktop.import_files import import_paths, import_text, sort_drop
from desktop.notify import Notifier
from desktop.progress_feed import ProgressFeed
from desktop.tasks import spawn
from desktop.ui.log_view import LogView
from desktop.ui.monitor_window import MonitorWindow
from desktop.ui.preview import PreviewPanel
from desktop.ui.project_list import ProjectList
from desktop.ui.script_editor import ScriptEditor
from desktop.ui.settings_dialog import SettingsDialog, project_defaults
from desktop.ui.stage_panel import StagePanel
from desktop.ui.theme import set_state

log = logging.getLogger(__name__)

MESSAGE_SECONDS = 8
FINAL_STATES = ("succeeded", "failed", "cancelled")


class MessageBar(QLabel):
    """An inline message at the top of the window that hides by itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()
        self._timer = QTimer(self, singleShot=True, timeout=self.hide)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.setProperty("error", error)
        set_state(self, "error", error)
        self.setText(text)
        self.show()
        self._timer.start(MESSAGE_SECONDS * 1000)


class MainWindow(QMainWindow):
    projectChanged = Signal(object)  # int | None

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.project_id: int | None = None
        self.setWindowTitle("Reelwright")
        self.setAcceptDrops(True)
        self.resize(1280, 800)

        self.messages = MessageBar()
        self.projects = ProjectList(backend)
        self.script = ScriptEditor(backend)
        self.preview = PreviewPanel(backend)
        # One progress feed for the whole window: the stage panel shows it,
        # the project list turns its end states into badges.
        self.feed = ProgressFeed(backend, self)
        self.stages = StagePanel(backend, feed=self.feed)
        self._lay_out()
        self._make_actions()
        self.projects.projectSelected.connect(self.set_project)
        for widget in (self.script, self.preview, self.stages):
            self.projectChanged.connect(widget.set_project)
        for widget in (self.projects, self.script, self.preview, self.stages):
            if hasattr(widget, "message"):
                widget.message.connect(self.show_message)
        self.log_view: LogView | None = None
        self.monitor: MonitorWindow | None = None
        self.notifier = Notifier(self.show_message, window=self)
        self.projects.finished.connect(self.notifier.project_finished)
        self.projects.newRequested.connect(self.choose_files)
        self.feed.event.connect(self._on_progress)
        self.feed.start()
        self._restore_state()

    # -- layout -----------------------------------------------------------

    def _lay_out(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.addTab(self.script, self.tr("Script"))
        self.tabs.addTab(self.preview, self.tr("Preview"))
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.addWidget(self.messages)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(centre)

        self.project_dock = self._dock(
            self.tr("Projects"), self.projects, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.stage_dock = self._dock(
            self.tr("Progress"), self.stages, Qt.DockWidgetArea.BottomDockWidgetArea
        )

    def _dock(
        self, title: str, widget: QWidget, area: Qt.DockWidgetArea
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _make_actions(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(
            file_menu,
            self.tr("&New Project from Files…"),
            QKeySequence.StandardKey.Open,
            self.choose_files,
        )
        self._action(
            file_menu,
            self.tr("Paste Text as New Project"),
            "Ctrl+Shift+V",
            self.paste_text,
        )
        self._action(
            file_menu,
            self.tr("Open &Output Folder"),
            "Ctrl+Shift+O",
            self.open_output_folder,
        )
        file_menu.addSeparator()
        self._action(
            file_menu, self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close
        )
        project_menu = self.menuBar().addMenu(self.tr("&Project"))
        self._action(project_menu, self.tr("&Generate Video"), "Ctrl+G", self.generate)
        self._action(
            project_menu, self.tr("&Cancel All Work"), "Ctrl+.", self.cancel_project
        )
        project_menu.addSeparator()
        project_menu.addActions(
            [
                self.projects.rename_action,
                self.projects.duplicate_action,
                self.projects.delete_action,
                self.projects.undo_action,
            ]
        )
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.script.undo_action, self.script.redo_action])
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self._action(
            self.view_menu, self.tr("&Task Monitor"), "Ctrl+Shift+T", self.open_monitor
        )
        self._action(self.view_menu, self.tr("&Log"), "Ctrl+Shift+L", self.open_log)
        self.settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        self._action(
            self.settings_menu, self.tr("&Settings…"), "Ctrl+,", self.open_settings
        )

    def _action(self, menu, text, shortcut, slot) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda *_: slot())
        menu.addAction(action)
        return action

    # -- the current project -----------------------------------------------

    def set_project(self, project_id: int | None) -> None:
        if project_id == self.project_id:
            return
        self.project_id = project_id
        self.projectChanged.emit(project_id)
        QSettings().setValue("window/lastProject", project_id or 0)

    def _on_progress(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.scene is None:  # one scene's state says nothing of the project
            self.projects.on_status(event.project_id, event.state)
        if event.project_id != self.project_id or event.state not in FINAL_STATES:
            return
        if event.stage in ("script", "audio"):
            spawn(self.script.refresh())  # new scenes, real voiced lengths
        if event.stage in ("images", "audio", "render"):
            spawn(self.preview.refresh())  # thumbnails as they come, the video

    def show_message(self, text: str, error: bool = False) -> None:
        self.messages.show_message(text, error=error)

    # -- import ------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.mimeData().hasUrls() or event.mimeData().hasText():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        mime = event.mimeData()
        paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        event.acceptProposedAction()
        if paths:
            spawn(self.import_files(paths))
        elif mime.hasText():
            spawn(self.import_pasted(mime.text()))

    def choose_files(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES)
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import content"),
            "",
            self.tr("Content ({0})").replace("{0}", patterns),
        )
        if files:
            spawn(self.import_files([Path(f) for f in files]))

    def paste_text(self) -> None:
        spawn(self.import_pasted(QGuiApplication.clipboard().text()))

    async def import_files(self, paths: list[Path]) -> None:
        dropped = sort_drop(paths)
        if dropped.unsupported:
            names = ", ".join(p.name for p in dropped.unsupported)
            self.show_message(
                self.tr(
                    "Reelwright cannot use these files: {0}. It reads "
                    "text, Markdown, Word, PDF, web pages and subtitles."
                ).replace("{0}", names),
                error=True,
            )
        if dropped.images and not dropped.content:
            self.show_message(
                self.tr(
                    "Drop pictures on a scene in the script to use them for that scene."
                )
            )
        if dropped.audio and self.project_id is not None:
            await self.preview.use_music(self.project_id, dropped.audio[0])
        if dropped.content:
            await self._create(
                import_paths, self.backend.db, dropped.content, project_defaults()
            )

    async def import_pasted(self, text: str) -> None:
        await self._create(import_text, self.backend.db, text, project_defaults())

    async def _create(self, fn, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            project_id = await self.backend.run(fn, *args)
        except ReelwrightError as error:
            self.show_message(error.message, error=True)
            return
        await self.projects.refresh()
        self.projects.select(project_id)
        self.set_project(project_id)
        await self.backend.run(self.backend.control.start_project, project_id)
        self.show_message(
            self.tr(
                "Making your video. You can edit the script while "
                "the voice and pictures are made."
            )
        )

    # -- commands ----------------------------------------------------------

    def generate(self) -> None:
        if self.project_id is not None:
            spawn(self.backend.run(self.backend.control.start_project, self.project_id))

    def cancel_project(self) -> None:
        if self.project_id is not None:
            spawn(self.backend.run(self.backend.control.cancel, self.project_id))

    def open_output_folder(self) -> None:
        self.preview.open_output_folder()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.backend, self)
        dialog.message.connect(self.show_message)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_log(self) -> None:
        if self.log_view is None:
            self.log_view = LogView(self.backend, self)
        self._bring_up(self.log_view)

    def open_monitor(self) -> None:
        if self.monitor is None:
            self.monitor = MonitorWindow(self.backend, self)
        self._bring_up(self.monitor)

    @staticmethod
    def _bring_up(window: QWidget) -> None:
        window.show()
        window.raise_()
        window.activateWindow()

    # -- window state --------------------------------------------------------

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    def save_state(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
