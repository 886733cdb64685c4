"""Previews of what the project made: scene pictures, voices and the video.

The pictures of the scenes show as a grid of thumbnails (click one for full
size); a scene's narration and the rendered video play in the media view
with their captions. Files are read and scaled on the backend's threads as
``QImage``s and become pixmaps here; a result that arrives after the project
changed, or after a newer refresh, is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from core.content.subtitles import Cue, parse_cues
from core.db import Database
from core.errors import ReelwrightError
from core.models import Asset, Project
from core.pipeline import editing
from core.storage import Storage
from desktop.tasks import spawn
from desktop.ui.media import MediaView

log = logging.getLogger(__name__)

THUMBNAIL = QSize(192, 108)
POSITION_ROLE = Qt.ItemDataRole.UserRole


@dataclass
class ProjectMedia:
    """The files a project has so far, as absolute paths."""

    output_dir: Path
    images: dict[int, Path] = field(default_factory=dict)
    narrations: dict[int, tuple[Path, list[Cue]]] = field(default_factory=dict)
    video: Path | None = None
    subtitles: Path | None = None


def read_media(db: Database, storage: Storage, project_id: int) -> ProjectMedia:
    """What there is to preview (blocking: run it on the backend).

    Limitation: assets are filed by scene position, so after scenes are
    moved the pictures and voices show at their old places until the
    stages run again.
    """
    with db.session() as session:
        project = session.get(Project, project_id)
        assets = session.query(Asset).filter(
            Asset.project_id == project_id, Asset.kind.in_(["image", "narration"])
        )
        output = dict(project.output) if project else {}
        media = ProjectMedia(output_dir=storage.project_dir(project_id) / "output")
        for asset in assets:
            path = storage.absolute(asset.path)
            if asset.kind == "image":
                media.images[asset.scene_position] = path
            else:
                media.narrations[asset.scene_position] = (path, _phrases(asset))
    if output.get("video"):
        media.video = storage.absolute(output["video"])
        media.output_dir = media.video.parent
    if output.get("subtitles"):
        media.subtitles = storage.absolute(output["subtitles"])
    return media


def _phrases(asset: Asset) -> list[Cue]:
    return [
        Cue(float(start), float(end), str(text))
        for text, start, end in asset.meta.get("phrases", [])
    ]


def load_image(path: Path, bounds: QSize) -> QImage:
    """A picture scaled to fit ``bounds``; a null image if it cannot be read."""
    reader = QImageReader(str(path))
    size = reader.size()
    if size.isValid() and (
        size.width() > bounds.width() or size.height() > bounds.height()
    ):
        reader.setScaledSize(size.scaled(bounds, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def load_images(paths: dict[Path, QSize]) -> dict[Path, QImage]:
    return {path: load_image(path, bounds) for path, bounds in paths.items()}


def read_cues(path: Path | None) -> list[Cue]:
    if path is None or not path.is_file():
        return []
    return parse_cues(path.read_text(encoding="utf-8-sig"))


class ImageViewer(QDialog):
    """One scene's picture at full size; one window reused for each click."""

    playNarration = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.position = 0
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        self.narration_button = QPushButton(self.tr("Play Narration"))
        self.narration_button.clicked.connect(
            lambda: self.playNarration.emit(self.position)
        )
        column = QVBoxLayout(self)
        column.addWidget(scroll, 1)
        column.addWidget(self.narration_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_picture(self, position: int, image: QImage, voiced: bool) -> None:
        self.position = position
        self.setWindowTitle(self.tr("Scene {0}").replace("{0}", str(position + 1)))
        self.picture.setPixmap(QPixmap.fromImage(image))
        self.narration_button.setEnabled(voiced)
        self.resize(image.width() + 40, image.height() + 80)
        self.show()
        self.raise_()


class PreviewPanel(QWidget):
    message = Signal(str, bool)

    def __init__(self, backend, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.backend = backend
        self.project_id: int | None = None
        self.media_files: ProjectMedia | None = None
        self._refreshes = 0  # a refresh's results count only if it is the latest
        self._thumbnails: dict[Path, QPixmap] = {}  # paths are content-addressed
        self.thumbnails = QListWidget()
        self.thumbnails.setViewMode(QListView.ViewMode.IconMode)
        self.thumbnails.setResizeMode(QListView.ResizeMode.Adjust)
        self.thumbnails.setMovement(QListView.Movement.Static)
        self.thumbnails.setIconSize(THUMBNAIL)
        self.thumbnails.setSpacing(8)
        self.thumbnails.setUniformItemSizes(True)
        self.media = MediaView()
        self.now_playing = QLabel()
        self.video_button = QPushButton(self.tr("Play the Video"))
        self.narration_button = QPushButton(self.tr("Play Narration"))
        self.folder_button = QPushButton(self.tr("Open Output Folder"))
        self.placeholder = QLabel(self.tr("Pictures appear here as they are made."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)  # the panel may be narrow
        self.viewer: ImageViewer | None = None
        self._lay_out()
        self._connect()
        self._show_state()

    def _lay_out(self) -> None:
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.thumbnails, 1)
        left_column.addWidget(self.placeholder, 1)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.media, 1)
        right_column.addWidget(self.now_playing)
        buttons = QHBoxLayout()
        for button in (self.video_button, self.narration_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.folder_button)
        right_column.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        QVBoxLayout(self).addWidget(splitter)

    def _connect(self) -> None:
        self.thumbnails.itemClicked.connect(
            lambda item: spawn(self.show_full_size(item.data(POSITION_ROLE)))
        )
        self.thumbnails.currentItemChanged.connect(lambda *_: self._show_state())
        self.video_button.clicked.connect(lambda: spawn(self.play_video()))
        self.narration_button.clicked.connect(
            lambda: self.play_narration(self.selected_position())
        )
        self.folder_button.clicked.connect(self.open_output_folder)
        self.media.failed.connect(lambda text: self.message.emit(text, True))

    # -- the current project ------------------------------------------------------

    def set_project(self, project_id: int | None) -> None:
        if project_id == self.project_id:
            return
        self.project_id = project_id
        self.media_files = None
        self.media.clear()
        self.now_playing.clear()
        self.thumbnails.clear()
        if self.viewer is not None:
            self.viewer.hide()
        self._show_state()
        if project_id is not None:
            spawn(self.refresh())

    async def refresh(self) -> None:
        """Read the project's pictures, voices and video again."""
        project_id = self.project_id
        if project_id is None:
            return
        self._refreshes += 1
        ticket = self._refreshes
        media = await self.backend.run(
            read_media, self.backend.db, self.backend.storage, project_id
        )
        wanted = {
            p: THUMBNAIL for p in media.images.values() if p not in self._thumbnails
        }
        images = await self.backend.run(load_images, wanted) if wanted else {}
        if not self._showing(project_id) or ticket != self._refreshes:
            return  # another project, or a newer refresh, is showing
        for path, image in images.items():
            if not image.isNull():
                self._thumbnails[path] = QPixmap.fromImage(image)
        self.media_files = media
        self._fill(media)

    def _showing(self, project_id: int | None) -> bool:
        """Whether a result for ``project_id`` still has a place here (the
        panel may have moved on, or closed, while it was being read)."""
        return isValid(self) and project_id == self.project_id

    def _fill(self, media: ProjectMedia) -> None:
        selected = self.selected_position()
        self.thumbnails.setUpdatesEnabled(False)
        self.thumbnails.clear()
        for position in sorted(set(media.images) | set(media.narrations)):
            item = QListWidgetItem(self._icon(media.images.get(position)), "")
            item.setText(self.tr("Scene {0}").replace("{0}", str(position + 1)))
            item.setData(POSITION_ROLE, position)
            self.thumbnails.addItem(item)
            if position == selected:
                self.thumbnails.setCurrentItem(item)
        self.thumbnails.setUpdatesEnabled(True)
        self._show_state()

    def _icon(self, path: Path | None) -> QIcon:
        pixmap = self._thumbnails.get(path) if path is not None else None
        if pixmap is None:
            pixmap = QPixmap(THUMBNAIL)
            pixmap.fill(QColor("#3a3a3a"))  # no picture yet, or unreadable
        return QIcon(pixmap)

    def selected_position(self) -> int | None:
        item = self.thumbnails.currentItem()
        return None if item is None else item.data(POSITION_ROLE)

    def thumbnail_count(self) -> int:
        """How many scenes show their picture."""
        media = self.media_files
        if media is None:
            return 0
        return sum(1 for path in media.images.values() if path in self._thumbnails)

    # -- full size, narration, video ---------------------------------------------

    async def show_full_size(self, position: int) -> None:
        media, project_id = self.media_files, self.project_id
        if media is None or position not in media.images:
            return
        screen = self.screen().availableGeometry().size() * 0.85
        image = await self.backend.run(load_image, media.images[position], screen)
        if not self._showing(project_id):
            return
        if image.isNull():
            text = self.tr("The picture of scene {0} could not be read.")
            self.message.emit(text.replace("{0}", str(position + 1)), True)
            return
        if self.viewer is None:
            self.viewer = ImageViewer(self)
            self.viewer.playNarration.connect(self.play_narration)
        self.viewer.show_picture(position, image, position in media.narrations)

    def play_narration(self, position: int | None) -> None:
        media = self.media_files
        if media is None or position is None or position not in media.narrations:
            return
        path, cues = media.narrations[position]
        self.media.load(path, cues, video=False)
        self.media.play()
        text = self.tr("Narration of scene {0}").replace("{0}", str(position + 1))
        self.now_playing.setText(text)

    async def play_video(self) -> None:
        media, project_id = self.media_files, self.project_id
        if media is None or media.video is None:
            return
        cues = await self.backend.run(read_cues, media.subtitles)
        if not self._showing(project_id):
            return
        self.media.load(media.video, cues, video=True)
        self.media.play()
        self.now_playing.setText(self.tr("The finished video"))

    def open_output_folder(self) -> None:
        if self.project_id is None:
            return
        media = self.media_files
        folder = media.output_dir if media else self.output_folder()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def output_folder(self) -> Path:
        assert self.project_id is not None
        return self.backend.storage.project_dir(self.project_id) / "output"

    # -- music -----------------------------------------------------------------------

    async def use_music(self, project_id: int, path: Path) -> None:
        """Make a dropped audio file the project's music bed."""
        try:
            await self.backend.run(
                editing.set_music,
                self.backend.db,
                self.backend.storage,
                project_id,
                path,
            )
        except ReelwrightError:
            if isValid(self):
                text = self.tr(
                    "{0} cannot be used as music. "
                    "Use an MP3, WAV or M4A file with sound."
                )
                self.message.emit(text.replace("{0}", path.name), True)
            return
        if isValid(self):
            text = self.tr("{0} is now the music. The next render uses it.")
            self.message.emit(text.replace("{0}", path.name), False)

    # -- state shown ----------------------------------------------------------------

    def _show_state(self) -> None:
        media = self.media_files
        has_items = self.thumbnails.count() > 0
        self.thumbnails.setVisible(has_items)
        self.placeholder.setVisible(not has_items)
        position = self.selected_position()
        self.video_button.setEnabled(media is not None and media.video is not None)
        self.narration_button.setEnabled(
            media is not None and position in media.narrations
        )
        self.folder_button.setEnabled(self.project_id is not None)
