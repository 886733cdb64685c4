"""The task monitor: queues, live workers, and tasks by state, with their
errors; Retry a failed task, Terminate a running one.

The window reads ``worker.monitor.snapshot`` off the GUI thread every two
seconds while it is shown, never starting a read before the last one came
back, and redraws a table only when its rows changed.
"""

from __future__ import annotations

import logging
import time

import redis
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid
from sqlalchemy.exc import SQLAlchemyError

from core.errors import ReelwrightError
from desktop.tasks import spawn
from desktop.ui.progress_text import progress_text
from desktop.ui.stage_panel import stage_title
from worker.monitor import Snapshot, TaskRow, snapshot, worker_task

log = logging.getLogger(__name__)

REFRESH_MS = 2000
KINDS = ("running", "retrying", "failed", "finished")


class MonitorWindow(QWidget):
    """A window of its own (View > Task Monitor)."""

    refreshed = Signal()  # a snapshot was read and shown

    def __init__(self, backend, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent, Qt.WindowType.Window)
        self.backend = backend
        self.setWindowTitle(self.tr("Task Monitor"))
        self.resize(900, 560)
        self.snapshot: Snapshot | None = None
        self._reading = False
        self._again = False
        self._shown: dict[str, list] = {}
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.request_refresh)
        self._lay_out()

    def _lay_out(self) -> None:
        self.queues = QLabel()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.hide()
        self.workers = self._table(
            [self.tr("Worker"), self.tr("Process"), self.tr("Doing"), self.tr("Seen")]
        )
        self.tabs = QTabWidget()
        self.tables: dict[str, QTableWidget] = {}
        headers = [
            self.tr("Project"),
            self.tr("Stage"),
            self.tr("Part"),
            self.tr("Attempt"),
            self.tr("Progress"),
            self.tr("Message or error"),
            "",
        ]
        for kind in KINDS:
            self.tables[kind] = self._table(headers)
            self.tabs.addTab(self.tables[kind], "")
        column = QVBoxLayout(self)
        column.addWidget(self.queues)
        column.addWidget(self.problem)
        column.addWidget(QLabel(self.tr("Workers")))
        column.addWidget(self.workers, 1)
        column.addWidget(self.tabs, 3)
        self._name_tabs()

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        stretch = 2 if len(headers) == 4 else 5  # the text that can be long
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    def _name_tabs(self) -> None:
        snap = self.snapshot or Snapshot()
        titles = {
            "running": self.tr("Running ({0})"),
            "retrying": self.tr("Retrying ({0})"),
            "failed": self.tr("Failed ({0})"),
            "finished": self.tr("Finished ({0})"),
        }
        for index, kind in enumerate(KINDS):
            count = str(len(getattr(snap, kind)))
            self.tabs.setTabText(index, titles[kind].replace("{0}", count))

    # -- refreshing ----------------------------------------------------------

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self._timer.start()
        self.request_refresh()

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().hideEvent(event)
        self._timer.stop()

    def request_refresh(self) -> None:
        """Read a new snapshot, unless one is being read (then once more)."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        spawn(self._refresh())

    async def _refresh(self) -> None:
        try:
            snap = await self.backend.run(
                snapshot, self.backend.control.redis, self.backend.db
            )
        except (redis.RedisError, SQLAlchemyError, RuntimeError) as error:
            snap = None
            problem = str(error)
        if not isValid(self):
            return  # the window closed meanwhile
        self._reading = False
        if snap is None:
            self._show_problem(problem)
        else:
            self.problem.hide()
            self.show_snapshot(snap)
            self.refreshed.emit()
        if self._again:
            self._again = False
            self.request_refresh()

    def _show_problem(self, problem: str) -> None:
        self.problem.setText(
            self.tr(
                "The task list cannot be read right now: {0}. "
                "What is shown may be out of date."
            ).replace("{0}", problem)
        )
        self.problem.show()

    # -- drawing -----------------------------------------------------------------

    def show_snapshot(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self.queues.setText(
            self.tr("Queued: {0}    Waiting to retry: {1}    Dead: {2}")
            .replace("{0}", str(snap.queues.get("waiting", 0)))
            .replace("{1}", str(snap.queues.get("delayed", 0)))
            .replace("{2}", str(snap.queues.get("dead", 0)))
        )
        self._fill_workers(snap.workers)
        for kind in KINDS:
            self._fill_tasks(kind, getattr(snap, kind))
        self._name_tabs()

    def _fill_workers(self, workers: list[dict]) -> None:
        now = time.time()
        rows = [
            [
                worker.get("id", ""),
                str(worker.get("pid", "")),
                "; ".join(map(self._task_text, worker.get("tasks", [])))
                or self.tr("Idle"),
                self.tr("{0} s ago").replace(
                    "{0}", str(round(now - worker.get("seen", now)))
                ),
            ]
            for worker in workers
        ]
        table = self.workers
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value))

    def _task_text(self, name: str) -> str:
        """ "Render, part 3, project #12" for ``render_segment[12, 2]``."""
        task = worker_task(name)
        if task is None:
            return name
        if task.part < 0:
            return (
                self.tr("{0}, project #{1}")
                .replace("{0}", stage_title(task.stage))
                .replace("{1}", str(task.project_id))
            )
        return (
            self.tr("{0}, part {1}, project #{2}")
            .replace("{0}", stage_title(task.stage))
            .replace("{1}", str(task.part + 1))
            .replace("{2}", str(task.project_id))
        )

    def _fill_tasks(self, kind: str, tasks: list[TaskRow]) -> None:
        table = self.tables[kind]
        keys = [(t.project_id, t.stage, t.part) for t in tasks]
        if self._shown.get(kind) == keys:
            # The same tasks: new texts, but the buttons and selection stay.
            for r, task in enumerate(tasks):
                for c, value in enumerate(self._cells(task)):
                    if table.item(r, c).text() != value:
                        table.item(r, c).setText(value)
            return
        self._shown[kind] = keys
        table.clearContents()
        table.setRowCount(len(tasks))
        for r, task in enumerate(tasks):
            for c, value in enumerate(self._cells(task)):
                table.setItem(r, c, QTableWidgetItem(value))
            button = self._action_button(kind, task)
            if button is not None:
                table.setCellWidget(r, 6, button)

    def _cells(self, task: TaskRow) -> list[str]:
        part = "" if task.part < 0 else str(task.part + 1)
        failed = task.error and task.state != "succeeded"
        text = task.error if failed else progress_text(task.message or "")
        return [
            f"{task.project} (#{task.project_id})",
            stage_title(task.stage),
            part,
            str(task.attempt),
            f"{round(task.progress * 100)}%",
            text or "",
        ]

    def _action_button(self, kind: str, task: TaskRow) -> QPushButton | None:
        control = self.backend.control
        if kind == "failed":
            part = None if task.part < 0 else task.part
            button = QPushButton(self.tr("Retry"))
            command = (control.retry, task.project_id, task.stage, part)
        elif kind == "running":
            button = QPushButton(self.tr("Terminate"))
            command = (control.cancel, task.project_id, task.stage)
        else:
            return None
        button.clicked.connect(lambda: self._command(button, *command))
        return button

    # -- commands -------------------------------------------------------------------

    def _command(self, button: QPushButton, fn, *args) -> None:  # type: ignore[no-untyped-def]
        button.setEnabled(False)
        spawn(self._send(fn, *args))

    async def _send(self, fn, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            await self.backend.run(fn, *args)
        except (ReelwrightError, redis.RedisError, SQLAlchemyError) as error:
            log.warning("A task monitor command failed: %s", error)
            if isValid(self):
                self._show_problem(str(error))
        if isValid(self):
            self.request_refresh()
