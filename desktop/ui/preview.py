"""Placeholder until the feature lands."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PreviewPanel(QWidget):
    message = Signal(str, bool)

    def __init__(self, backend, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        QVBoxLayout(self).addWidget(QLabel("PreviewPanel"))

    def set_project(self, project_id: int | None) -> None:
        self.project_id = project_id

    async def use_music(self, project_id: int, path) -> None:  # type: ignore[no-untyped-def]
        self.message.emit(f"Music: {path}", False)
