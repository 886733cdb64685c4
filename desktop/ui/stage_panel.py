"""Placeholder until the feature lands."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class StagePanel(QWidget):
    message = Signal(str, bool)

    def __init__(self, backend, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        QVBoxLayout(self).addWidget(QLabel("StagePanel"))

    def set_project(self, project_id: int | None) -> None:
        self.project_id = project_id
