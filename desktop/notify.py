"""Telling the creator that a video is done, or that making it failed.

A desktop notification through the system tray where the desktop has one;
elsewhere (and under the offscreen platform the tests use) the window's
inline message bar. Either way the window asks for attention in the task
bar, so a creator working in another app notices.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

log = logging.getLogger(__name__)

NOTICE_MILLISECONDS = 8000
Fallback = Callable[[str, bool], None]  # (text, is_error), like show_message


class Notifier(QObject):
    """Shows "video done" and "video failed" notices.

    ``fallback`` shows an inline message (the main window's
    ``show_message``); ``window`` is the widget to raise attention for.
    """

    def __init__(
        self,
        fallback: Fallback,
        *,
        window: QWidget | None = None,
        icon: QIcon | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fallback = fallback
        self._window = window
        self.tray: QSystemTrayIcon | None = None
        if (
            QSystemTrayIcon.isSystemTrayAvailable()
            and QSystemTrayIcon.supportsMessages()
        ):
            self.tray = QSystemTrayIcon(icon or QApplication.windowIcon(), self)
            self.tray.setToolTip("Reelwright")
            self.tray.show()
        log.debug("Notices go to the %s.", "tray" if self.tray else "message bar")

    def project_finished(self, project_id: int, name: str, status: str) -> None:
        """Announce a project that reached "done" or "failed"."""
        if status == "done":
            self.notify(
                self.tr("Your video is ready"),
                self.tr("“{0}” has finished rendering.").replace("{0}", name),
            )
        elif status == "failed":
            self.notify(
                self.tr("Making a video failed"),
                self.tr(
                    "“{0}” stopped with an error. Open it to see what went wrong "
                    "and retry."
                ).replace("{0}", name),
                error=True,
            )

    def notify(self, title: str, text: str, *, error: bool = False) -> None:
        if self.tray is not None:
            icon = (
                QSystemTrayIcon.MessageIcon.Warning
                if error
                else QSystemTrayIcon.MessageIcon.Information
            )
            self.tray.showMessage(title, text, icon, NOTICE_MILLISECONDS)
        else:
            self._fallback(f"{title}: {text}", error)
        if self._window is not None:
            QApplication.alert(self._window)
