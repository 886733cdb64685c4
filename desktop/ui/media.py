"""A small player for the rendered video and the scenes' narration.

``MediaView`` wraps QtMultimedia (a ``QMediaPlayer`` with a
``QVideoWidget`` and a ``QAudioOutput``) with play/pause, a seek bar and the
time. QMediaPlayer plays only subtitle tracks inside the file, so the
video's SRT (or a narration's phrase timings) is shown by the widget itself:
the cue of the moment appears in a caption line under the picture.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.content.subtitles import Cue

log = logging.getLogger(__name__)

CAPTION_STYLE = (
    "QLabel { background: rgba(0, 0, 0, 0.75); color: white; "
    "padding: 4px 10px; border-radius: 4px; font-size: 15px; }"
)


class Captions:
    """Which cue shows at a moment, found by bisection."""

    def __init__(self, cues: Sequence[Cue] = ()) -> None:
        self.cues = sorted(cues, key=lambda cue: cue.start)
        self._starts = [cue.start for cue in self.cues]

    def at(self, seconds: float) -> str:
        index = bisect.bisect_right(self._starts, seconds) - 1
        if index < 0:
            return ""
        cue = self.cues[index]
        return cue.text if seconds < cue.end else ""


class MediaView(QWidget):
    durationChanged = Signal(float)  # seconds
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.video = QVideoWidget()
        self.video.setMinimumSize(320, 180)
        self.player.setVideoOutput(self.video)
        self.captions = Captions()
        # Limitation: the caption sits under the picture, not over it; a
        # widget laid over QVideoWidget does not show on every platform.
        self.caption = QLabel()
        self.caption.setStyleSheet(CAPTION_STYLE)
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.hide()
        self.play_button = QToolButton()
        self.play_button.setEnabled(False)
        self.seek_bar = QSlider(Qt.Orientation.Horizontal)
        self.seek_bar.setEnabled(False)
        self.time = QLabel(_clock(0.0, 0.0))
        self._lay_out()
        self._connect()
        self._show_playing(False)

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.seek_bar, 1)
        controls.addWidget(self.time)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.video, 1)
        column.addWidget(self.caption)
        column.addLayout(controls)

    def _connect(self) -> None:
        self.play_button.clicked.connect(self.toggle)
        self.seek_bar.sliderMoved.connect(lambda ms: self.player.setPosition(ms))
        self.player.durationChanged.connect(self._duration_changed)
        self.player.positionChanged.connect(self._position_changed)
        self.player.playbackStateChanged.connect(
            lambda state: self._show_playing(
                state == QMediaPlayer.PlaybackState.PlayingState
            )
        )
        self.player.errorOccurred.connect(self._error)

    # -- commands --------------------------------------------------------------

    def load(self, path: Path, cues: Sequence[Cue] = (), *, video: bool = True) -> None:
        """Open a file (paused at its start) with the captions to show."""
        self.player.stop()
        self.captions = Captions(cues)
        self.caption.clear()
        self.caption.hide()
        self.video.setVisible(video)
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.play_button.setEnabled(True)

    def clear(self) -> None:
        self.player.stop()
        self.player.setSource(QUrl())
        self.captions = Captions()
        self.caption.hide()
        self.play_button.setEnabled(False)
        self.seek_bar.setEnabled(False)
        self.time.setText(_clock(0.0, 0.0))

    def play(self) -> None:
        self.player.play()

    def pause(self) -> None:
        self.player.pause()

    def toggle(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        self.player.setPosition(round(seconds * 1000))

    @property
    def duration(self) -> float:
        return self.player.duration() / 1000

    # -- what the player reports -------------------------------------------------

    def _duration_changed(self, milliseconds: int) -> None:
        self.seek_bar.setRange(0, milliseconds)
        self.seek_bar.setEnabled(milliseconds > 0)
        self._position_changed(self.player.position())
        self.durationChanged.emit(milliseconds / 1000)

    def _position_changed(self, milliseconds: int) -> None:
        if not self.seek_bar.isSliderDown():
            self.seek_bar.setValue(milliseconds)
        seconds = milliseconds / 1000
        self.time.setText(_clock(seconds, self.duration))
        text = self.captions.at(seconds)
        self.caption.setText(text)
        self.caption.setVisible(bool(text))

    def _error(self, error, description: str) -> None:  # type: ignore[no-untyped-def]
        if error == QMediaPlayer.Error.NoError:
            return
        source = self.player.source().toLocalFile()
        log.warning("The player could not play %s: %s", source, description)
        text = self.tr("{0} could not be played: {1}")
        self.failed.emit(
            text.replace("{0}", Path(source).name).replace("{1}", description)
        )

    def _show_playing(self, playing: bool) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaPause
            if playing
            else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setToolTip(self.tr("Pause") if playing else self.tr("Play"))


def _clock(position: float, duration: float) -> str:
    return f"{_minutes(position)} / {_minutes(duration)}"


def _minutes(seconds: float) -> str:
    whole = int(max(seconds, 0))
    return f"{whole // 60}:{whole % 60:02}"
