"""The project list (placeholder until the feature lands)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from core.models import Project


class ProjectList(QWidget):
    projectSelected = Signal(object)
    message = Signal(str, bool)

    def __init__(self, backend, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        self.list = QListWidget()
        QVBoxLayout(self).addWidget(self.list)
        self.list.currentItemChanged.connect(
            lambda item, _old: self.projectSelected.emit(
                item.data(256) if item else None
            )
        )

    async def refresh(self) -> None:
        def names():  # type: ignore[no-untyped-def]
            with self.backend.db.session() as session:
                return [
                    (p.id, p.name)
                    for p in session.query(Project).order_by(Project.id.desc())
                ]

        self.list.clear()
        for project_id, name in await self.backend.run(names):
            item = QListWidgetItem(name)
            item.setData(256, project_id)
            self.list.addItem(item)

    def select(self, project_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(256) == project_id:
                self.list.setCurrentRow(row)
