"""Starting and quitting the desktop app.

``main`` builds the QApplication on a qasync loop, shows a splash while the
broker, database and workers come up (off the GUI thread), then the window
with the last open project. Quitting with work running asks what to do:
wait for it, pause it (it stays queued and resumes next time), or cancel it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback

import qasync
from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    Qt,
    QTranslator,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QSplashScreen

from core.logs import setup_logging
from core.pipeline.projects_admin import empty_trash
from core.resources import resources_dir
from core.settings import Settings
from desktop.backend import Backend
from desktop.collector import freeze_startup_objects
from desktop.main_window import MainWindow
from desktop.tasks import set_error_handler, spawn
from desktop.ui.settings_dialog import apply_advanced_settings
from desktop.ui.theme import apply_theme

log = logging.getLogger(__name__)

ORGANIZATION, APPLICATION = "Reelwright", "Reelwright"


def main(argv: list[str] | None = None) -> int:
    # Static, so QSettings can be read before the application object exists.
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APPLICATION)
    apply_advanced_settings()  # the shared setup's addresses, before Settings
    settings = Settings.from_env()
    settings.paths.ensure()
    setup_logging(settings.paths.logs, name="reelwright-app")
    app = QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    apply_theme(app)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "reelwright.svg")))
    install_translator(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    controller = AppController(app, settings)
    install_error_handlers(controller)
    with loop:
        loop.run_until_complete(controller.run())
    return 0


def install_translator(
    app: QApplication, language: str | None = None
) -> QTranslator | None:
    """Load the UI language: the chosen one, else the system's."""
    chosen = language or QSettings().value("ui/language", "") or QLocale.system().name()
    if not str(chosen).startswith("zh"):
        return None
    # Qt's own buttons and dialogs (OK, Cancel, the file dialog) first.
    qt_strings = QTranslator(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_strings.load("qtbase_zh_TW", qt_folder):
        app.installTranslator(qt_strings)
    translator = QTranslator(app)
    if translator.load(str(resources_dir() / "translations" / "reelwright_zh_TW.qm")):
        app.installTranslator(translator)
        return translator
    return None


def install_error_handlers(controller: AppController) -> None:
    """The GUI's one catch point: log the error and tell the creator."""

    def report(error: BaseException) -> None:
        log.error("Unexpected error in the app.", exc_info=error)
        controller.show_error(error)

    set_error_handler(report)
    sys.excepthook = lambda kind, error, trace: report(error)


class AppController:
    def __init__(self, app: QApplication, settings: Settings) -> None:
        self.app = app
        self.backend = Backend(settings)
        self.window: MainWindow | None = None
        self._closed = asyncio.Event()

    async def run(self) -> None:
        splash = QSplashScreen()
        splash.showMessage("Starting Reelwright…", Qt.AlignmentFlag.AlignBottom)
        splash.show()
        loop = asyncio.get_running_loop()

        def report(text: str) -> None:
            loop.call_soon_threadsafe(
                splash.showMessage, text, Qt.AlignmentFlag.AlignBottom
            )

        await self.backend.run(self.backend.start, report)
        await self.backend.run(empty_trash, self.backend.storage)
        self.window = MainWindow(self.backend)
        self.window.closeEvent = self._close_event  # type: ignore[method-assign]
        await self.window.projects.refresh()
        last = int(QSettings().value("window/lastProject", 0) or 0)
        if last:
            self.window.projects.select(last)
        # Under the splash, where its one full sweep goes unseen: full
        # sweeps stay short from here on.
        freeze_startup_objects()
        self.window.show()
        splash.finish(self.window)
        await self._closed.wait()

    def show_error(self, error: BaseException) -> None:
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        QMessageBox.critical(
            self.window,
            "Reelwright",
            f"Something went wrong: {detail}\n\nThe log has the details.",
        )

    def _close_event(self, event) -> None:  # type: ignore[no-untyped-def]
        event.ignore()
        spawn(self._quit())

    async def _quit(self) -> None:
        assert self.window is not None
        await self.window.script.flush()  # the last keystrokes reach the database
        running = await self.backend.run(_running_projects, self.backend)
        drain = True
        if running:
            choice = ask_about_running_work(self.window, len(running))
            if choice is None:
                return
            if choice == "cancel":
                for project_id in running:
                    await self.backend.run(self.backend.control.cancel, project_id)
            drain = choice == "wait"
        self.window.save_state()
        self.window.feed.stop()
        self.window.hide()
        await self.backend.run(self.backend.stop, drain=drain)
        self._closed.set()


def _running_projects(backend: Backend) -> list[int]:
    from core.models import Project

    with backend.db.session() as session:
        return [p.id for p in session.query(Project).filter_by(status="running")]


def ask_about_running_work(parent, count: int) -> str | None:  # type: ignore[no-untyped-def]
    """'wait', 'pause' or 'cancel'; None to stay open."""
    box = QMessageBox(parent)
    box.setWindowTitle("Reelwright")
    box.setText(
        QCoreApplication.translate(
            "MainWindow", "{0} video(s) are still being made."
        ).replace("{0}", str(count))
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "MainWindow",
            "Wait lets the running steps finish first. Pause stops now; the work "
            "continues the next time you open Reelwright. Cancel stops it for good "
            "(you can retry later).",
        )
    )
    wait = box.addButton(
        QCoreApplication.translate("MainWindow", "Wait and Quit"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    pause = box.addButton(
        QCoreApplication.translate("MainWindow", "Pause and Quit"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    cancel = box.addButton(
        QCoreApplication.translate("MainWindow", "Cancel Work and Quit"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return {wait: "wait", pause: "pause", cancel: "cancel"}.get(box.clickedButton())
