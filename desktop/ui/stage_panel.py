"""The stage panel: one row per stage of the current project, live.

Each row shows a progress bar, the state, the time taken and the time left,
the error when the stage failed, and Retry and Cancel buttons. The presenter
and upload rows appear only for projects that use those stages. Progress
comes from a ``ProgressFeed`` (shared with the rest of the window, or the
panel's own); commands go to ``backend.control`` off the GUI thread.
"""

from __future__ import annotations

import logging
import time

import redis
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid
from sqlalchemy.exc import SQLAlchemyError

from core.errors import ReelwrightError
from core.models import Project
from core.progress import ProgressEvent
from desktop.progress_feed import ProgressFeed
from desktop.stage_summary import (
    CANCELLED,
    DONE,
    FAILED,
    RETRYING,
    RUNNING,
    WAITING,
    StageSummary,
    StageTracker,
)
from desktop.tasks import spawn
from desktop.ui.progress_text import error_text, progress_text
from worker.orchestrator import PIPELINE, enabled_stages

log = logging.getLogger(__name__)

REPAINT_MS = 50  # rows are redrawn at most this often
TICK_MS = 1000  # elapsed and time left move on between events
STAGE_ORDER = [spec.name for spec in PIPELINE]


def project_stages(db, project_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The stages the project runs (blocking: call via backend.run)."""
    with db.session() as session:
        project = session.get(Project, project_id)
        return enabled_stages(project) if project is not None else []


def stage_title(stage: str) -> str:
    """A stage's name as the creator reads it, in the UI's language."""
    titles = {
        "script": QCoreApplication.translate("StageRow", "Script"),
        "audio": QCoreApplication.translate("StageRow", "Voice"),
        "images": QCoreApplication.translate("StageRow", "Images"),
        "avatars": QCoreApplication.translate("StageRow", "Presenter"),
        "render": QCoreApplication.translate("StageRow", "Render"),
        "upload": QCoreApplication.translate("StageRow", "Upload"),
    }
    return titles.get(stage, stage)


def clock(seconds: float) -> str:
    """Seconds as m:ss, or h:mm:ss from an hour on."""
    minutes, secs = divmod(int(max(seconds, 0)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class StageRow(QWidget):
    """One stage: name, bar, state, times, error, Retry and Cancel."""

    retryClicked = Signal(object)  # None: the whole stage; int: one scene
    cancelClicked = Signal()

    def __init__(self, stage: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.state = WAITING
        self.summary: StageSummary | None = None
        self._eta_until: float | None = None
        self._failed: tuple[tuple[int, str], ...] = ()
        self.scene_buttons: list[QPushButton] = []
        self._make_widgets()
        self._lay_out()

    def _make_widgets(self) -> None:
        self.name = QLabel(stage_title(self.stage))
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.status = QLabel()
        self.elapsed = QLabel()
        self.elapsed.setToolTip(self.tr("Time taken so far"))
        self.eta = QLabel()
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.clicked.connect(lambda: self.retryClicked.emit(None))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(lambda: self.cancelClicked.emit())
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.hide()
        self.failed_scenes = QWidget()
        self.failed_scenes.setLayout(QVBoxLayout())
        self.failed_scenes.layout().setContentsMargins(0, 0, 0, 0)
        self.failed_scenes.hide()

    def _lay_out(self) -> None:
        metrics = self.fontMetrics()
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        self.name.setMinimumWidth(metrics.horizontalAdvance("Presenter") + 16)
        self.status.setMinimumWidth(metrics.horizontalAdvance("Retrying (attempt 3)"))
        self.elapsed.setMinimumWidth(metrics.horizontalAdvance("00:00:00") + 8)
        self.eta.setMinimumWidth(metrics.horizontalAdvance("About 00:00 left") + 8)
        for column, widget in enumerate(
            (self.name, self.bar, self.status, self.elapsed, self.eta)
        ):
            grid.addWidget(widget, 0, column)
        grid.addWidget(self.retry_button, 0, 5)
        grid.addWidget(self.cancel_button, 0, 6)
        grid.addWidget(self.error, 1, 1, 1, 6)
        grid.addWidget(self.failed_scenes, 2, 1, 1, 6)
        grid.setColumnStretch(1, 1)

    def state_text(self, summary: StageSummary) -> str:
        texts = {
            WAITING: self.tr("Waiting"),
            RUNNING: self.tr("Running"),
            DONE: self.tr("Done"),
            FAILED: self.tr("Failed"),
            CANCELLED: self.tr("Cancelled"),
        }
        if summary.state == RETRYING:
            # The attempt that failed is saved; the retry is the next one.
            return self.tr("Retrying (attempt {0})").replace(
                "{0}", str(summary.attempt + 1)
            )
        return texts[summary.state]

    # -- showing a summary -----------------------------------------------------

    def show_summary(self, summary: StageSummary | None, now: float) -> None:
        summary = summary or StageSummary(state=WAITING)
        self.summary, self.state = summary, summary.state
        self.bar.setValue(round(summary.fraction * 1000))
        if summary.total and self.stage == "images":
            self.bar.setFormat(
                self.tr("{0} of {1}")
                .replace("{0}", str(summary.done))
                .replace("{1}", str(summary.total))
            )
        else:
            self.bar.setFormat("%p%")
        self.bar.setToolTip(progress_text(summary.detail))
        self.status.setText(self.state_text(summary))
        self._eta_until = (
            None if summary.eta_seconds is None else now + summary.eta_seconds
        )
        self.tick(now)
        self._show_error(summary)
        self._show_failed_scenes(summary.failed_parts)
        self.retry_button.setEnabled(
            summary.known and summary.state in (FAILED, CANCELLED)
        )
        self.cancel_button.setEnabled(
            summary.known and summary.state in (WAITING, RUNNING, RETRYING)
        )

    def tick(self, now: float) -> None:
        """Move the time taken and the time left on."""
        summary = self.summary
        if summary is None or summary.started is None:
            self.elapsed.setText("")
        else:
            self.elapsed.setText(clock((summary.finished or now) - summary.started))
        if self._eta_until is None or self.state != RUNNING:
            self.eta.setText("")
        else:
            left = clock(max(self._eta_until - now, 0.0))
            self.eta.setText(self.tr("About {0} left").replace("{0}", left))

    def _show_error(self, summary: StageSummary) -> None:
        text = summary.error if summary.state in (FAILED, RETRYING) else None
        if summary.failed_parts and self.stage == "images":
            text = None  # each failed scene is listed with its own Retry
        if text:
            text = error_text(
                summary.error_kind, text, retrying=summary.state == RETRYING
            )
        self.error.setText(text or "")
        self.error.setVisible(bool(text))

    def _show_failed_scenes(self, failed: tuple[tuple[int, str], ...]) -> None:
        if self.stage != "images" or failed == self._failed:
            for button in self.scene_buttons:
                button.setEnabled(True)
            return
        self._failed = failed
        layout = self.failed_scenes.layout()
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.scene_buttons = []
        for position, message in failed:
            layout.addWidget(self._failed_scene(position, message))
        self.failed_scenes.setVisible(bool(failed))

    def _failed_scene(self, position: int, message: str) -> QWidget:
        line = QWidget()
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel(
            self.tr("Scene {0}: {1}")
            .replace("{0}", str(position + 1))
            .replace("{1}", message)
        )
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet("color: #c0392b;")
        button = QPushButton(self.tr("Retry"))
        button.setProperty("scene", position)
        button.clicked.connect(lambda: self.retryClicked.emit(position))
        self.scene_buttons.append(button)
        row.addWidget(label, 1)
        row.addWidget(button)
        return line

    def set_busy(self) -> None:
        """Grey the buttons while a command is on its way."""
        for button in (self.retry_button, self.cancel_button, *self.scene_buttons):
            button.setEnabled(False)


class StagePanel(QWidget):
    message = Signal(str, bool)

    def __init__(
        self,
        backend,
        parent: QWidget | None = None,
        *,
        feed: ProgressFeed | None = None,
    ) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        self.project_id: int | None = None
        self.rows: dict[str, StageRow] = {}
        self._trackers: dict[str, StageTracker] = {}
        self._stages: list[str] = []
        self._dirty: set[str] = set()

        self.feed = feed if feed is not None else ProgressFeed(backend)
        self.feed.event.connect(self._on_event)
        self.feed.connectionChanged.connect(self._on_connection)
        if feed is None:
            # The panel's own feed ends with the panel.
            self.destroyed.connect(self.feed.stop)
            self.feed.start()

        self._repaint = QTimer(self, singleShot=True, interval=REPAINT_MS)
        self._repaint.timeout.connect(self._redraw)
        self._ticker = QTimer(self, interval=TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._lay_out()

    def _lay_out(self) -> None:
        self.placeholder = QLabel(
            self.tr("Choose a project to see how its video is coming along.")
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.offline = QLabel(
            self.tr(
                "Reconnecting to the workers. The progress shown is the last "
                "saved state."
            )
        )
        self.offline.setWordWrap(True)
        self.offline.hide()
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(2)
        column = QVBoxLayout(self)
        column.addWidget(self.placeholder)
        column.addWidget(self.offline)
        column.addLayout(self.rows_box)
        column.addStretch(1)

    # -- the current project -------------------------------------------------

    def set_project(self, project_id: int | None) -> None:
        if project_id == self.project_id and self.rows:
            return
        if self.project_id is not None:
            self.feed.unwatch(self.project_id)
        self.project_id = project_id
        self._trackers = {}
        self._stages = []
        self._clear_rows()
        self.placeholder.setVisible(project_id is None)
        if project_id is None:
            return
        for event in self.feed.latest(project_id):
            self._track(event)
        self.feed.watch(project_id)
        spawn(self._load_stages(project_id))

    async def _load_stages(self, project_id: int) -> None:
        try:
            stages = await self.backend.run(project_stages, self.backend.db, project_id)
        except SQLAlchemyError as error:
            log.warning("Could not read project %s's stages: %s", project_id, error)
            stages = []
        if not isValid(self) or project_id != self.project_id:
            return  # the panel closed, or another project was chosen meanwhile
        self._stages = stages
        self._build_rows()

    def _build_rows(self) -> None:
        wanted = set(self._stages) | set(self._trackers)
        self._clear_rows()
        for stage in STAGE_ORDER:
            if stage in wanted:
                row = StageRow(stage)
                row.retryClicked.connect(
                    lambda part, stage=stage: self.retry(stage, part)
                )
                row.cancelClicked.connect(lambda stage=stage: self.cancel(stage))
                self.rows[stage] = row
                self.rows_box.addWidget(row)
        self._dirty.update(self.rows)
        self._redraw()

    def _clear_rows(self) -> None:
        for row in self.rows.values():
            row.hide()
            row.deleteLater()
        self.rows = {}
        self._ticker.stop()

    # -- progress ----------------------------------------------------------------

    def _on_event(self, event: ProgressEvent) -> None:
        if event.project_id != self.project_id:
            return
        self._track(event)
        if self._stages and event.stage not in self.rows:
            self._build_rows()  # a stage this project did not list yet
        elif not self._repaint.isActive():
            self._repaint.start()

    def _track(self, event: ProgressEvent) -> None:
        tracker = self._trackers.get(event.stage)
        if tracker is None:
            tracker = self._trackers[event.stage] = StageTracker(event.stage)
        tracker.apply(event)
        self._dirty.add(event.stage)

    def _redraw(self) -> None:
        now = time.time()
        for stage in self._dirty:
            row, tracker = self.rows.get(stage), self._trackers.get(stage)
            if row is not None:
                row.show_summary(tracker.summary(now) if tracker else None, now)
        self._dirty.clear()
        self._keep_ticking()

    def _tick(self) -> None:
        now = time.time()
        for row in self.rows.values():
            row.tick(now)
        self._keep_ticking()

    def _keep_ticking(self) -> None:
        busy = any(row.state == RUNNING for row in self.rows.values())
        if busy and not self._ticker.isActive():
            self._ticker.start()
        elif not busy:
            self._ticker.stop()

    def _on_connection(self, connected: bool) -> None:
        # The feed says so only after it was connected: no notice at start.
        self.offline.setVisible(not connected)

    # -- commands ------------------------------------------------------------------

    def retry(self, stage: str, part: int | None = None) -> None:
        """Run one stage (or one scene's image) again, and nothing else."""
        if self.project_id is None:
            return
        args = (
            (self.project_id, stage) if part is None else (self.project_id, stage, part)
        )
        spawn(self._command(self.backend.control.retry, *args))

    def cancel(self, stage: str) -> None:
        if self.project_id is not None:
            spawn(self._command(self.backend.control.cancel, self.project_id, stage))

    async def _command(self, fn, project_id: int, stage: str, *rest: int) -> None:  # type: ignore[no-untyped-def]
        row = self.rows.get(stage)
        if row is not None:
            row.set_busy()
        try:
            await self.backend.run(fn, project_id, stage, *rest)
        except (ReelwrightError, redis.RedisError, SQLAlchemyError) as error:
            log.warning(
                "Project %s: a command for %s failed: %s", project_id, stage, error
            )
            if isValid(self):
                self.message.emit(
                    self.tr("The command did not reach the workers: {0}").replace(
                        "{0}", str(error)
                    ),
                    True,
                )
        self.feed.refresh(project_id, delay=0.0)
        if isValid(self) and project_id == self.project_id:
            self._dirty.add(stage)  # buttons come back even if nothing changed
            self._repaint.start()
