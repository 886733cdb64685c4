"""The log window, for support: the app's log, live, with a copy button.

``LogView`` shows the end of the app's log file and then every new record
as it is logged. Records arrive through ``QtLogHandler``, a logging handler
that may be called from any thread: it only formats the record and emits a
Qt signal, which Qt queues to the GUI thread. New lines are appended in
batches a few times a second, so a burst of logging never stalls the
window. The text is already redacted (the handler carries the same filter
as the log file), so "Copy for support" can be pasted anywhere.
"""

from __future__ import annotations

import logging
import platform
import sys
from pathlib import Path

import shiboken6
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.logs import RedactingFilter
from desktop.tasks import spawn

LOG_FILE = "reelwright-app.log"
TAIL_BYTES = 256_000  # how much of the file to show when the window opens
MAX_LINES = 5000
FLUSH_MILLISECONDS = 150
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


class _Relay(QObject):
    line = Signal(str)


class QtLogHandler(logging.Handler):
    """A logging handler that hands formatted records to the GUI thread."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.relay = _Relay()
        self.line = self.relay.line
        self.setFormatter(logging.Formatter(FORMAT))
        self.addFilter(RedactingFilter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # a broken record must not break the caller
            self.handleError(record)
            return
        if shiboken6.isValid(self.relay):
            self.line.emit(text)


def read_tail(path: Path, size: int = TAIL_BYTES) -> str:
    """The last ``size`` bytes of a log file, from the first whole line."""
    try:
        with path.open("rb") as stream:
            stream.seek(0, 2)
            start = max(stream.tell() - size, 0)
            stream.seek(start)
            data = stream.read()
    except FileNotFoundError:
        return ""
    text = data.decode("utf-8", errors="replace")
    if start > 0:
        text = text.partition("\n")[2]
    return text.rstrip("\n")


class LogView(QWidget):
    """A window with the log file's end and every record logged since it
    opened."""

    def __init__(self, backend, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent, Qt.WindowType.Window)
        self.backend = backend
        self.log_file = backend.settings.paths.logs / LOG_FILE
        self.setWindowTitle(self.tr("Reelwright Log"))
        self.resize(900, 560)

        self.text = QPlainTextEdit(readOnly=True)
        self.text.setMaximumBlockCount(MAX_LINES)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.text.setFont(fixed)
        self.status = QLabel()
        self._lay_out()

        self._pending: list[str] = []
        self._loaded = False
        self._flush_timer = QTimer(self, singleShot=True, timeout=self._flush)
        self._flush_timer.setInterval(FLUSH_MILLISECONDS)
        self.handler = QtLogHandler()
        self.handler.line.connect(self._queue)
        handler = self.handler
        self.destroyed.connect(lambda *_: logging.getLogger().removeHandler(handler))

    def _lay_out(self) -> None:
        copy = QPushButton(self.tr("Copy for Support"))
        copy.setToolTip(
            self.tr("Copy the log with details of this computer, to paste in a report.")
        )
        copy.clicked.connect(self.copy_for_support)
        folder = QPushButton(self.tr("Open Log Folder"))
        folder.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(folder)
        buttons.addWidget(copy)
        column = QVBoxLayout(self)
        column.addWidget(self.text, 1)
        column.addLayout(buttons)

    # -- lines in ------------------------------------------------------------

    async def _load_tail(self) -> None:
        tail = await self.backend.run(read_tail, self.log_file)
        if not shiboken6.isValid(self):
            return
        recent = set(tail.splitlines()[-200:])
        self._pending = [line for line in self._pending if line not in recent]
        self.text.setPlainText(tail)
        self._loaded = True
        self._flush()
        self.status.setText(self.tr("Showing {0}").replace("{0}", str(self.log_file)))

    def _queue(self, line: str) -> None:
        self._pending.append(line)
        if self._loaded and not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        if not self._pending:
            return
        lines, self._pending = self._pending, []
        bar = self.text.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 2
        self.text.appendPlainText("\n".join(lines))
        if following:
            bar.setValue(bar.maximum())

    def lines(self) -> list[str]:
        """The lines shown now (records still waiting for the batch included)."""
        shown = self.text.toPlainText().splitlines()
        return shown + list(self._pending)

    # -- buttons ---------------------------------------------------------------

    def copy_for_support(self) -> str:
        """Put the log, headed by this computer's details, on the clipboard."""
        self._flush()
        about = [
            f"Reelwright log ({self.log_file.name})",
            f"System: {platform.platform()}",
            f"Python: {sys.version.split()[0]}, Qt for Python: {pyside_version}",
            "",
        ]
        report = "\n".join([*about, self.text.toPlainText()])
        QGuiApplication.clipboard().setText(report)
        self.status.setText(self.tr("Copied. Paste it into your message to support."))
        return report

    def open_folder(self) -> None:
        folder = self.log_file.parent
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- closing ---------------------------------------------------------------

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Listening starts when the window opens, with the file's end read
        # afresh, and stops when it closes: a hidden log costs nothing.
        root = logging.getLogger()
        if self.handler not in root.handlers:
            self._loaded = False
            root.addHandler(self.handler)
            spawn(self._load_tail())
        super().showEvent(event)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        logging.getLogger().removeHandler(self.handler)
        super().closeEvent(event)
