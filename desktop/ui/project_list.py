"""The project list: search, sort, status badges and thumbnails; new,
rename, duplicate and delete with undo.

The list renders ``ProjectSummary`` values from
``core.pipeline.projects_admin``, read off the GUI thread; every command is
a call into that module through ``backend.run``. Thumbnails are read and
scaled on the backend's threads too, all missing ones in one batch, and
handed back as images. A deleted project goes to the trash; Undo (the bar
under the list, or Ctrl+Z in the list) brings the latest one back.

``on_status`` takes a project's new status (or a stage's state from the
progress feed) and updates that one row without reloading the list.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QDateTime,
    QLocale,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import ReelwrightError
from core.pipeline import projects_admin as admin
from desktop.tasks import spawn
from desktop.ui.theme import badge_colour

log = logging.getLogger(__name__)

ID_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
THUMBNAIL_SIZE = QSize(64, 36)  # 16:9, like the videos
BADGE_PADDING = 6
SEARCH_DELAY_MS = 250
REFRESH_DELAY_MS = 400
UNDO_BAR_SECONDS = 20
# A stage's state, as the progress feed reports it, and what it says about
# the project. "succeeded" and "pending" say nothing: the database is asked.
STAGE_TO_PROJECT = {
    "queued": "running",
    "running": "running",
    "failed": "failed",
    "cancelled": "cancelled",
}


class ProjectList(QWidget):
    projectSelected = Signal(object)  # int | None
    message = Signal(str, bool)  # text, is_error
    newRequested = Signal()
    finished = Signal(int, str, str)  # project id, name, "done" or "failed"

    def __init__(self, backend, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        self._generation = 0  # the latest refresh; older answers are dropped
        self._trash: list[admin.TrashEntry] = []
        self._thumbnails: dict[Path, tuple[float, QPixmap]] = {}
        self._pending_select: int | None = None
        self._quiet = False  # True while the rows are rebuilt

        self._make_widgets()
        self._make_actions()
        self._lay_out()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: spawn(self.refresh()))
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(lambda: spawn(self.refresh()))
        self._undo_timer = QTimer(self, singleShot=True)
        self._undo_timer.timeout.connect(self.undo_bar.hide)

    # -- building ------------------------------------------------------------

    def _make_widgets(self) -> None:
        self.search = QLineEdit(placeholderText=self.tr("Search projects"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.sort = QComboBox()
        for label, key in (
            (self.tr("Recent"), "recent"),
            (self.tr("Name"), "name"),
            (self.tr("Status"), "status"),
        ):
            self.sort.addItem(label, key)
        saved = self.sort.findData(QSettings().value("projects/sort", "recent"))
        self.sort.setCurrentIndex(max(saved, 0))
        self.sort.currentIndexChanged.connect(self._sort_changed)
        self.sort.setToolTip(self.tr("Sort the projects"))

        self.list = QListWidget()
        self.list.setIconSize(THUMBNAIL_SIZE)
        self.list.setUniformItemSizes(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.delegate = BadgeDelegate(self._status_labels(), self.list)
        self.delegate.renamed.connect(lambda pid, name: spawn(self.rename(pid, name)))
        self.list.setItemDelegate(self.delegate)
        self.list.currentItemChanged.connect(self._current_changed)
        self.placeholder = _placeholder_thumbnail(self.palette().mid().color())

        self.undo_label = QLabel()
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_bar = QFrame(frameShape=QFrame.Shape.StyledPanel)
        self.undo_bar.hide()

    def _status_labels(self) -> dict[str, str]:
        return {
            "draft": self.tr("Draft"),
            "running": self.tr("Running"),
            "done": self.tr("Done"),
            "failed": self.tr("Failed"),
            "cancelled": self.tr("Cancelled"),
        }

    def _make_actions(self) -> None:
        def action(text: str, shortcut, slot) -> QAction:  # type: ignore[no-untyped-def]
            made = QAction(text, self.list)
            if shortcut is not None:
                made.setShortcut(QKeySequence(shortcut))
                made.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            made.triggered.connect(lambda *_: slot())
            self.list.addAction(made)
            return made

        self.new_action = action(
            self.tr("New from Files…"), None, self.newRequested.emit
        )
        self.rename_action = action(self.tr("Rename"), "F2", self.rename_current)
        self.duplicate_action = action(
            self.tr("Duplicate"), "Ctrl+D", lambda: self._on_current(self.duplicate)
        )
        self.delete_action = action(
            self.tr("Move to Trash"),
            QKeySequence.StandardKey.Delete,
            lambda: self._on_current(self.delete),
        )
        self.undo_action = action(
            self.tr("Undo Delete"),
            QKeySequence.StandardKey.Undo,
            lambda: spawn(self.undo_delete()),
        )
        self.undo_action.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_action.trigger)
        self._update_actions()

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.sort)
        buttons = QHBoxLayout()
        for act in (
            self.new_action,
            self.rename_action,
            self.duplicate_action,
            self.delete_action,
        ):
            button = QToolButton()
            button.setDefaultAction(act)
            buttons.addWidget(button)
        buttons.addStretch(1)
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(6, 4, 6, 4)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(filters)
        column.addWidget(self.list, 1)
        column.addWidget(self.undo_bar)
        column.addLayout(buttons)

    # -- reading the list ------------------------------------------------------

    async def refresh(self) -> None:
        """Reload the list from the database with the search and sort."""
        self._generation += 1
        generation = self._generation
        summaries = await self.backend.run(
            admin.list_projects,
            self.backend.db,
            self.backend.storage,
            search=self.search.text(),
            sort=self.sort.currentData(),
        )
        if generation != self._generation or not shiboken6.isValid(self):
            return
        if self.list.state() == QAbstractItemView.State.EditingState:
            self._refresh_timer.start()  # rebuilding now would drop the rename
            return
        self._fill(summaries)
        if self._pending_select is not None:
            wanted, self._pending_select = self._pending_select, None
            self.select(wanted)
        await self._load_thumbnails(summaries)

    def _fill(self, summaries: list[admin.ProjectSummary]) -> None:
        current = self.current_id()
        self._quiet = True
        try:
            self.list.clear()
            for summary in summaries:
                item = QListWidgetItem()
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                item.setData(ID_ROLE, summary.id)
                self._show(item, summary)
                self.list.addItem(item)
                if summary.id == current:
                    self.list.setCurrentItem(item)
        finally:
            self._quiet = False
        self._update_actions()

    def _show(self, item: QListWidgetItem, summary: admin.ProjectSummary) -> None:
        item.setText(summary.name)
        item.setData(STATUS_ROLE, summary.status)
        cached = self._thumbnails.get(summary.thumbnail) if summary.thumbnail else None
        item.setIcon(cached[1] if cached else self.placeholder)
        label = self._status_labels()[summary.status]
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{summary.name}, {label}")
        item.setToolTip(
            self.tr("{0}. Last changed {1}.")
            .replace("{0}", label)
            .replace("{1}", _local_time(summary.updated_at))
        )

    async def _load_thumbnails(self, summaries: list[admin.ProjectSummary]) -> None:
        known = {path: mtime for path, (mtime, _) in self._thumbnails.items()}
        wanted = [s.thumbnail for s in summaries if s.thumbnail is not None]
        if not wanted:
            return
        images = await self.backend.run(read_thumbnails, wanted, known)
        if not images or not shiboken6.isValid(self):
            return
        for path, (mtime, image) in images.items():
            self._thumbnails[path] = (mtime, QPixmap.fromImage(image))
        for summary in summaries:
            item = self._item(summary.id)  # rows may have changed meanwhile
            if item is not None and summary.thumbnail in images:
                item.setIcon(self._thumbnails[summary.thumbnail][1])

    # -- the current project -----------------------------------------------------

    def select(self, project_id: int) -> None:
        """Make ``project_id`` current (clearing a search that hides it)."""
        item = self._item(project_id)
        if item is not None:
            self.list.setCurrentItem(item)
        elif self.search.text():
            self._pending_select = project_id
            self.search.clear()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def rows(self) -> list[tuple[int, str, str]]:
        """(id, name, status) of each row, top to bottom."""
        items = (self.list.item(row) for row in range(self.list.count()))
        return [(i.data(ID_ROLE), i.text(), i.data(STATUS_ROLE)) for i in items]

    def _current_changed(self, item: QListWidgetItem | None, _old) -> None:  # type: ignore[no-untyped-def]
        self._update_actions()
        if not self._quiet:
            self.projectSelected.emit(item.data(ID_ROLE) if item else None)

    def _item(self, project_id: int) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == project_id:
                return item
        return None

    def _update_actions(self) -> None:
        has_current = self.list.currentItem() is not None
        for act in (self.rename_action, self.duplicate_action, self.delete_action):
            act.setEnabled(has_current)

    def _sort_changed(self) -> None:
        QSettings().setValue("projects/sort", self.sort.currentData())
        spawn(self.refresh())

    def _context_menu(self, position) -> None:  # type: ignore[no-untyped-def]
        menu = QMenu(self)
        menu.addAction(self.new_action)
        menu.addSeparator()
        for act in (self.rename_action, self.duplicate_action, self.delete_action):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.undo_action)
        menu.exec(self.list.viewport().mapToGlobal(position))

    # -- status updates --------------------------------------------------------

    def on_status(self, project_id: int, status: str) -> None:
        """Show a project's new status (or what a stage's state implies)."""
        shown = STAGE_TO_PROJECT.get(status)
        if shown is None and status in (*admin.STATUSES, "rendered"):
            shown = admin.display_status(status)
        item = self._item(project_id)
        if item is None:
            if not self.search.text():
                self._refresh_timer.start()  # a project this list has not seen
            return
        if shown is None:
            spawn(self._reload_row(project_id))
            return
        self._set_status(item, shown)

    def _set_status(self, item: QListWidgetItem, status: str) -> None:
        if item.data(STATUS_ROLE) == status:
            return
        project_id = item.data(ID_ROLE)
        item.setData(STATUS_ROLE, status)
        if status in ("done", "failed"):
            self.finished.emit(project_id, item.text(), status)
        if status == "done":
            spawn(self._reload_row(project_id))  # for the new thumbnail

    async def _reload_row(self, project_id: int) -> None:
        summary = await self.backend.run(
            admin.project_summary, self.backend.db, self.backend.storage, project_id
        )
        if not shiboken6.isValid(self):
            return
        item = self._item(project_id)
        if summary is None or item is None:
            self._refresh_timer.start()
            return
        self._set_status(item, summary.status)
        self._show(item, summary)
        await self._load_thumbnails([summary])

    # -- commands ----------------------------------------------------------------

    def _on_current(self, command) -> None:  # type: ignore[no-untyped-def]
        project_id = self.current_id()
        if project_id is not None:
            spawn(command(project_id))

    def rename_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    async def rename(self, project_id: int, name: str) -> None:
        try:
            stored = await self.backend.run(
                admin.rename_project, self.backend.db, project_id, name
            )
        except ReelwrightError as error:
            self.message.emit(error.message, True)
            return
        item = self._item(project_id) if shiboken6.isValid(self) else None
        if item is not None:
            item.setText(stored)

    async def duplicate(self, project_id: int) -> None:
        item = self._item(project_id)
        name = self.tr("{0} (copy)").replace("{0}", item.text() if item else "")
        try:
            copy_id = await self.backend.run(
                admin.duplicate_project,
                self.backend.db,
                self.backend.storage,
                project_id,
                name,
            )
        except ReelwrightError as error:
            self.message.emit(error.message, True)
            return
        await self.refresh()
        self.select(copy_id)

    async def delete(self, project_id: int) -> None:
        """Move the project to the trash (stopping its work first)."""
        item = self._item(project_id)
        if item is not None and item.data(STATUS_ROLE) == "running":
            await self.backend.run(self.backend.control.cancel, project_id)
        was_current = self.current_id() == project_id
        try:
            entry = await self.backend.run(
                admin.delete_project, self.backend.db, self.backend.storage, project_id
            )
        except ReelwrightError as error:
            self.message.emit(error.message, True)
            return
        self._trash.append(entry)
        await self.refresh()
        if was_current:
            self.projectSelected.emit(self.current_id())
        self._show_undo(
            self.tr("“{0}” was moved to the trash.").replace("{0}", entry.name)
        )

    async def undo_delete(self) -> None:
        """Bring back the most recently deleted project."""
        if not self._trash:
            return
        entry = self._trash.pop()
        self._update_undo()
        try:
            restored = await self.backend.run(
                admin.restore_project,
                self.backend.db,
                self.backend.storage,
                entry.token,
            )
        except ReelwrightError as error:
            self.message.emit(error.message, True)
            return
        self.undo_bar.hide()
        await self.refresh()
        self.select(restored)
        self.message.emit(self.tr("“{0}” is back.").replace("{0}", entry.name), False)

    def _show_undo(self, text: str) -> None:
        self.undo_label.setText(text)
        self.undo_bar.show()
        self._undo_timer.start(UNDO_BAR_SECONDS * 1000)
        self._update_undo()

    def _update_undo(self) -> None:
        self.undo_action.setEnabled(bool(self._trash))
        if self._trash:
            name = self._trash[-1].name
            self.undo_action.setText(
                self.tr("Undo Delete of “{0}”").replace("{0}", name)
            )


def _placeholder_thumbnail(colour: QColor) -> QPixmap:
    pixmap = QPixmap(THUMBNAIL_SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    colour.setAlpha(90)
    painter.setBrush(colour)
    painter.drawRoundedRect(pixmap.rect(), 4, 4)
    painter.end()
    return pixmap


def _local_time(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back UTC without a zone
        moment = moment.replace(tzinfo=UTC)
    when = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale().toString(when, QLocale.FormatType.ShortFormat)


class BadgeDelegate(QStyledItemDelegate):
    """Draws a row as thumbnail, name and a coloured status badge; an
    inline rename is reported through ``renamed`` instead of being written
    into the row, so the list only shows names the database accepted."""

    renamed = Signal(int, str)  # project id, the name typed

    def __init__(self, labels: dict[str, str], parent: QWidget) -> None:
        super().__init__(parent)
        self.labels = labels

    def paint(self, painter, option, index) -> None:  # type: ignore[no-untyped-def]
        status = index.data(STATUS_ROLE) or "draft"
        text = self.labels.get(status, status)
        metrics = option.fontMetrics
        badge = QRect(0, 0, metrics.horizontalAdvance(text) + 2 * BADGE_PADDING, 0)
        badge.setHeight(metrics.height() + 4)
        badge.moveCenter(option.rect.center())
        badge.moveRight(option.rect.right() - BADGE_PADDING)

        # The row's background (and selection) spans the badge too.
        full = QStyleOptionViewItem(option)
        self.initStyleOption(full, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        panel = QStyle.PrimitiveElement.PE_PanelItemViewItem
        style.drawPrimitive(panel, full, painter, widget)
        narrowed = QStyleOptionViewItem(option)
        narrowed.rect = option.rect.adjusted(0, 0, -(badge.width() + BADGE_PADDING), 0)
        super().paint(painter, narrowed, index)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(badge_colour(status))
        painter.drawRoundedRect(badge, 3, 3)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # type: ignore[no-untyped-def]
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), THUMBNAIL_SIZE.height() + 8))

    def setModelData(self, editor, model, index) -> None:  # type: ignore[no-untyped-def]
        if editor.text() != index.data(Qt.ItemDataRole.DisplayRole):
            self.renamed.emit(index.data(ID_ROLE), editor.text())


def read_thumbnails(
    paths: list[Path], known: dict[Path, float]
) -> dict[Path, tuple[float, QImage]]:
    """Thumbnails scaled for the list, for the files changed since ``known``
    (path -> modification time). Runs off the GUI thread: QImage, unlike
    QPixmap, may be used there."""
    found = {}
    for path in paths:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        if known.get(path) == mtime:
            continue
        image = QImage(str(path))
        if image.isNull():
            log.warning("The thumbnail %s could not be read.", path)
            continue
        scaled = image.scaled(
            THUMBNAIL_SIZE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        found[path] = (mtime, scaled)
    return found
