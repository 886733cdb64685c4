"""The scenes of the open script as a table: one row per scene.

``SceneTableModel`` holds the rows, ``SceneTable`` shows them, and
``TextDelegate`` edits a cell in a multi-line box.

The model mirrors the database's scenes in memory so the view never waits
on SQL. It changes only through its mutators (``replace``, ``insert``,
``remove``, ``move``), which the editor's undo commands call; edits the view
makes and rows or pictures dropped on it come out as signals, so that every
change passes through the undo stack and is saved in order.
"""

from __future__ import annotations

from dataclasses import replace as replaced
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QStyledItemDelegate,
    QTableView,
)

from core.pipeline.editing import SceneData
from desktop.import_files import IMAGE_SUFFIXES

NUMBER, NARRATION, IMAGE_PROMPT, ON_SCREEN_TEXT, LENGTH = range(5)
FIELDS = {
    NARRATION: "narration",
    IMAGE_PROMPT: "image_prompt",
    ON_SCREEN_TEXT: "on_screen_text",
}
SCENE_MIME = "application/x-reelwright-scene"
URI_MIME = "text/uri-list"

Index = QModelIndex | QPersistentModelIndex
EDITOR_MIN_HEIGHT = 96  # px: room for a few lines of narration


class SceneTableModel(QAbstractTableModel):
    textEdited = Signal(int, str, str)  # position, field, new text
    moveRequested = Signal(int, int)  # from position, to position
    imagesDropped = Signal(int, list)  # position, [Path]

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._scenes: list[SceneData] = []

    # -- reading -------------------------------------------------------------

    def scenes(self) -> list[SceneData]:
        return list(self._scenes)

    def scene(self, position: int) -> SceneData:
        return self._scenes[position]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._scenes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else LENGTH + 1

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return [
                "#",
                self.tr("Narration"),
                self.tr("Image prompt"),
                self.tr("On-screen text"),
                self.tr("Length"),
            ][section]
        if role == Qt.ItemDataRole.ToolTipRole and section == LENGTH:
            return self.tr(
                "How long the scene is heard: measured once it is voiced, "
                "estimated (≈) from the words until then."
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        scene = self._scenes[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NUMBER:
                return str(index.row() + 1)
            if column == LENGTH:
                return self._length(scene)
            return getattr(scene, FIELDS[column])
        if role == Qt.ItemDataRole.ToolTipRole and column == NUMBER:
            return self._number_tip(scene)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (NUMBER, LENGTH):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return None

    def _length(self, scene: SceneData) -> str:
        seconds = f"{scene.seconds:.1f}"
        if scene.voiced_seconds is None:
            return self.tr("≈ {0} s").replace("{0}", seconds)
        return self.tr("{0} s").replace("{0}", seconds)

    def _number_tip(self, scene: SceneData) -> str | None:
        if scene.user_image:
            name = Path(scene.user_image).name
            return self.tr("This scene uses your picture {0}.").replace("{0}", name)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        base |= (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
        )
        if index.column() in FIELDS:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    # -- the view's edits, handed to the editor ------------------------------------

    def setData(
        self, index: Index, value, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:  # type: ignore[no-untyped-def]
        if role != Qt.ItemDataRole.EditRole or index.column() not in FIELDS:
            return False
        field = FIELDS[index.column()]
        text = str(value)
        if getattr(self._scenes[index.row()], field) != text:
            self.textEdited.emit(index.row(), field, text)
        return True

    # -- mutators, called by the undo commands ---------------------------------------

    def set_scenes(self, scenes: list[SceneData]) -> None:
        self.beginResetModel()
        self._scenes = list(scenes)
        self.endResetModel()

    def set_field(self, position: int, field: str, text: str) -> None:
        changes: dict = {field: text}
        if field == "narration":
            changes["voiced_seconds"] = None  # the voice no longer matches
        self.replace(position, replaced(self._scenes[position], **changes))

    def replace(self, position: int, scene: SceneData) -> None:
        self._scenes[position] = scene
        self.dataChanged.emit(self.index(position, 0), self.index(position, LENGTH))

    def insert(self, position: int, scene: SceneData) -> None:
        self.beginInsertRows(QModelIndex(), position, position)
        self._scenes.insert(position, scene)
        self.endInsertRows()
        self._renumbered(position)

    def remove(self, position: int) -> SceneData:
        self.beginRemoveRows(QModelIndex(), position, position)
        scene = self._scenes.pop(position)
        self.endRemoveRows()
        self._renumbered(position)
        return scene

    def move(self, source: int, target: int) -> None:
        if source == target:
            return
        # Qt counts the destination before the move; one past when moving down.
        destination = target + 1 if target > source else target
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination)
        self._scenes.insert(target, self._scenes.pop(source))
        self.endMoveRows()
        self._renumbered(min(source, target))

    def update_voiced(self, scenes: list[SceneData]) -> None:
        """Take new voiced lengths for the same scenes (after a voice run).

        One change signal for the whole range: the table sizes its rows to
        their word-wrapped text, and measures every row again on each signal,
        so a signal per scene made a long script stall the window.
        """
        changed = []
        for position, fresh in enumerate(scenes[: len(self._scenes)]):
            current = self._scenes[position]
            if current.voiced_seconds != fresh.voiced_seconds:
                self._scenes[position] = replaced(
                    current, voiced_seconds=fresh.voiced_seconds
                )
                changed.append(position)
        if changed:
            self.dataChanged.emit(
                self.index(changed[0], LENGTH), self.index(changed[-1], LENGTH)
            )

    def _renumbered(self, first: int) -> None:
        if first < len(self._scenes):
            self.dataChanged.emit(
                self.index(first, NUMBER), self.index(len(self._scenes) - 1, NUMBER)
            )

    # -- drag and drop -------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [SCENE_MIME, URI_MIME]

    def mimeData(self, indexes) -> QMimeData:  # type: ignore[no-untyped-def]
        mime = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        if rows:
            mime.setData(SCENE_MIME, QByteArray(str(rows[0]).encode()))
        return mime

    def accepts(self, data: QMimeData) -> bool:
        """A scene being dragged, or pictures; other files are left to the
        window, which imports them."""
        if data.hasFormat(SCENE_MIME):
            return True
        return bool(dropped_images(data)) and bool(self._scenes)

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # type: ignore[no-untyped-def]
        return self.accepts(data)

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # type: ignore[no-untyped-def]
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        if data.hasFormat(SCENE_MIME):
            source = int(bytes(data.data(SCENE_MIME)).decode())
            target = self._move_target(source, row, parent)
            if target != source:
                self.moveRequested.emit(source, target)
            return False  # the editor moves the row; the view must not remove it
        target = parent.row() if parent.isValid() else row
        if not 0 <= target < len(self._scenes):
            target = len(self._scenes) - 1
        self.imagesDropped.emit(target, dropped_images(data))
        return True

    def _move_target(self, source: int, row: int, parent: Index) -> int:
        if parent.isValid():
            return parent.row()  # dropped on a scene: take its place
        if row < 0:
            return len(self._scenes) - 1  # below the last scene
        # Dropped between scenes: ``row`` counts the moving scene too.
        return row - 1 if row > source else row


def dropped_images(data: QMimeData) -> list[Path]:
    """The local picture files in a drop, by their names."""
    if not data.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in IMAGE_SUFFIXES]


class TextDelegate(QStyledItemDelegate):
    """A multi-line editor that hands each keystroke to the model, and
    remembers where the narration's cursor was for a split."""

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.cursor: tuple[int, str, int] | None = None  # row, text, position
        self.open_editor: QPlainTextEdit | None = None

    def createEditor(self, parent, option, index):  # type: ignore[no-untyped-def]
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setProperty("row", QPersistentModelIndex(index))
        editor.textChanged.connect(lambda: self.commitData.emit(editor))
        if index.column() == NARRATION:
            editor.cursorPositionChanged.connect(lambda: self._remember(editor))
        self.open_editor = editor
        editor.destroyed.connect(lambda *_: self._forget(editor))
        return editor

    def setEditorData(self, editor, index) -> None:  # type: ignore[no-untyped-def]
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if editor.toPlainText() != text:  # an echo of our own keystroke
            editor.setPlainText(text)

    def setModelData(self, editor, model, index) -> None:  # type: ignore[no-untyped-def]
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index) -> None:  # type: ignore[no-untyped-def]
        rect = option.rect
        rect.setHeight(max(rect.height(), EDITOR_MIN_HEIGHT))
        editor.setGeometry(rect)

    def _remember(self, editor: QPlainTextEdit) -> None:
        index = editor.property("row")
        if index is not None and index.isValid():
            text = editor.toPlainText()
            self.cursor = (index.row(), text, editor.textCursor().position())

    def _forget(self, editor: QPlainTextEdit) -> None:
        if self.open_editor is editor:
            self.open_editor = None

    def cursor_in(self, row: int, narration: str) -> int | None:
        """Where the cursor was in this narration, if it still reads the same."""
        if self.cursor is None:
            return None
        cursor_row, text, position = self.cursor
        return position if (cursor_row, text) == (row, narration) else None


class SceneTable(QTableView):
    def __init__(self, model: SceneTableModel, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NARRATION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LENGTH, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().hide()
        self.delegate = TextDelegate(self)
        for column in FIELDS:
            self.setItemDelegateForColumn(column, self.delegate)
            self.setColumnWidth(column, 220)
        # Rows grow to their wrapped text. Qt's ResizeToContents mode on the
        # vertical header would measure every cell again on each resize,
        # layout request and change, several times in one burst of updates
        # (a script arriving costs tens of milliseconds that way); fitting
        # the rows once after each burst keeps the window smooth.
        self._fitting = QTimer(self, singleShot=True, interval=0)
        self._fitting.timeout.connect(self.resizeRowsToContents)
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsMoved,
            model.dataChanged,
            model.layoutChanged,
        ):
            signal.connect(self._fit_rows_soon)
        header.sectionResized.connect(self._fit_rows_soon)

    def _fit_rows_soon(self, *_args) -> None:  # type: ignore[no-untyped-def]
        self._fitting.start()

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Qt's view takes any drag whose type it knows, text files too;
        # ignoring it lets the drag reach the window, which imports it.
        if self.model().accepts(event.mimeData()):
            super().dragEnterEvent(event)
        else:
            event.ignore()
