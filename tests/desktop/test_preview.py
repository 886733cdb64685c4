"""The preview panel and the media view, on real files and a real backend."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtMultimedia import QMediaFormat, QMediaPlayer

from core.content import content_from_text
from core.content.subtitles import Cue
from core.models import Asset, Project
from core.pipeline.project import create_project
from core.render.ffmpeg import ffmpeg_binary
from desktop.tasks import spawn
from desktop.ui.media import Captions, MediaView
from desktop.ui.preview import PreviewPanel

SRT = """1
00:00:00,000 --> 00:00:00,600
Hello there

2
00:00:00,600 --> 00:00:01,000
Goodbye
"""


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_binary(), "-v", "error", "-y", *args], check=True)


def make_video(path: Path) -> Path:
    """One second of test picture and tone, small and quick to make."""
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10:duration=1",
        "-f", "lavfi", "-i", "sine=duration=1",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        str(path),
    )  # fmt: skip
    return path


def add_asset(
    backend, project_id: int, kind: str, position: int, path: Path, meta=None
):  # type: ignore[no-untyped-def]
    with backend.db.session() as session:
        session.add(
            Asset(
                project_id=project_id,
                kind=kind,
                scene_position=position,
                path=backend.storage.relative(path),
                content_key=f"{kind}-{position}",
                provider="test",
                checksum="-",
                meta=meta or {},
            )
        )


def add_picture(backend, project_id: int, position: int, colour: str) -> Path:  # type: ignore[no-untyped-def]
    path = backend.storage.root / "cache" / "images" / f"{position}-{colour}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 360), colour).save(path)
    add_asset(backend, project_id, "image", position, path)
    return path


@pytest.fixture
def project_id(backend) -> int:  # type: ignore[no-untyped-def]
    return create_project(backend.db, content_from_text("Words.", "notes"))


@pytest.fixture
def panel(backend, qtbot):  # type: ignore[no-untyped-def]
    panel = PreviewPanel(backend)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    return panel


def test_one_thumbnail_per_scene_picture(panel, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    for position, colour in enumerate(("red", "lime", "blue")):
        add_picture(backend, project_id, position, colour)

    panel.set_project(project_id)

    qtbot.waitUntil(lambda: panel.thumbnail_count() == 3)
    assert panel.thumbnails.count() == 3
    icon = panel.thumbnails.item(1).icon().pixmap(panel.thumbnails.iconSize())
    assert icon.toImage().pixelColor(10, 10).green() > 200


def test_a_refresh_shows_pictures_made_since(panel, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    add_picture(backend, project_id, 0, "red")
    panel.set_project(project_id)
    qtbot.waitUntil(lambda: panel.thumbnail_count() == 1)

    add_picture(backend, project_id, 1, "green")
    task = spawn(panel.refresh())

    qtbot.waitUntil(task.done)
    assert panel.thumbnail_count() == 2


def test_results_for_a_project_left_behind_are_dropped(
    panel, qtbot, backend, project_id
):  # type: ignore[no-untyped-def]
    add_picture(backend, project_id, 0, "red")
    other = create_project(backend.db, content_from_text("Other.", "notes"))

    panel.set_project(project_id)
    panel.set_project(other)  # before the first project's pictures arrive

    qtbot.wait(300)
    assert panel.thumbnails.count() == 0
    assert panel.placeholder.isVisible()


def test_clicking_a_thumbnail_opens_the_full_picture(panel, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    add_picture(backend, project_id, 0, "red")
    panel.set_project(project_id)
    qtbot.waitUntil(lambda: panel.thumbnail_count() == 1)

    item = panel.thumbnails.item(0)
    rect = panel.thumbnails.visualItemRect(item)
    qtbot.mouseClick(
        panel.thumbnails.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )

    qtbot.waitUntil(lambda: panel.viewer is not None and panel.viewer.isVisible())
    shown = panel.viewer.picture.pixmap()
    assert (shown.width(), shown.height()) == (640, 360)  # not the thumbnail


def make_tone(path: Path, seconds: float = 0.8) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=duration={seconds}", str(path))
    return path


def test_a_scenes_narration_plays_with_its_phrases(panel, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    voice = make_tone(backend.storage.root / "voice.wav")
    phrases = [["Hello there", 0.0, 0.4], ["Goodbye", 0.4, 0.8]]
    add_asset(backend, project_id, "narration", 0, voice, {"phrases": phrases})
    panel.set_project(project_id)
    qtbot.waitUntil(lambda: panel.thumbnails.count() == 1)
    panel.thumbnails.setCurrentRow(0)

    panel.narration_button.click()

    assert panel.media.player.source() == QUrl.fromLocalFile(str(voice))
    assert panel.media.captions.at(0.5) == "Goodbye"
    assert panel.now_playing.text() == "Narration of scene 1"


def test_the_output_folder_opens_in_the_file_manager(panel, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    class Catcher(QObject):
        urls: list[QUrl] = []

        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            self.urls.append(url)

    catcher = Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        panel.set_project(project_id)
        panel.folder_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    folder = backend.storage.project_dir(project_id) / "output"
    assert catcher.urls == [QUrl.fromLocalFile(str(folder))]


def test_a_dropped_music_file_becomes_the_music(
    panel, qtbot, backend, project_id, tmp_path
):  # type: ignore[no-untyped-def]
    tune = make_tone(tmp_path / "tune.wav")
    with qtbot.waitSignal(panel.message) as shown:
        spawn(panel.use_music(project_id, tune))
    assert shown.args == ["tune.wav is now the music. The next render uses it.", False]
    with backend.db.session() as session:
        music = session.get(Project, project_id).visual["music"]
    assert backend.storage.absolute(music).read_bytes() == tune.read_bytes()


def test_a_broken_music_file_gets_an_inline_message(panel, qtbot, project_id, tmp_path):  # type: ignore[no-untyped-def]
    broken = tmp_path / "song.mp3"
    broken.write_text("not a song")
    with qtbot.waitSignal(panel.message) as shown:
        spawn(panel.use_music(project_id, broken))
    assert "song.mp3" in shown.args[0] and shown.args[1] is True


def test_captions_show_the_cue_of_the_moment() -> None:
    captions = Captions([Cue(1.0, 2.0, "second"), Cue(0.0, 0.9, "first")])
    assert captions.at(0.5) == "first"
    assert captions.at(0.95) == ""  # between cues
    assert captions.at(1.5) == "second"
    assert captions.at(3.0) == ""


def decoding_available() -> bool:
    formats = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    return QMediaFormat.FileFormat.MPEG4 in formats


def test_the_media_view_loads_a_real_video(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    if not decoding_available():
        pytest.skip("QtMultimedia has no backend here that decodes MP4")
    video = make_video(tmp_path / "clip.mp4")
    view = MediaView()
    qtbot.addWidget(view)
    view.show()

    with qtbot.waitSignal(view.durationChanged, timeout=5000) as loaded:
        view.load(video)

    assert loaded.args[0] == pytest.approx(1.0, abs=0.2)
    assert view.seek_bar.isEnabled()


def test_the_finished_video_plays_with_its_subtitles(panel, qtbot, backend, project_id):  # type: ignore[no-untyped-def]
    if not decoding_available():
        pytest.skip("QtMultimedia has no backend here that decodes MP4")
    output = backend.storage.project_dir(project_id) / "output"
    output.mkdir(parents=True)
    video = make_video(output / "video.mp4")
    (output / "video.srt").write_text(SRT, encoding="utf-8")
    with backend.db.session() as session:
        session.get(Project, project_id).output = {
            "video": backend.storage.relative(video),
            "subtitles": backend.storage.relative(output / "video.srt"),
        }
    panel.set_project(project_id)
    qtbot.waitUntil(panel.video_button.isEnabled)

    panel.video_button.click()
    qtbot.waitUntil(lambda: panel.media.duration > 0, timeout=5000)
    panel.media.pause()
    panel.media.seek(0.8)

    qtbot.waitUntil(lambda: panel.media.caption.text() == "Goodbye")
    assert panel.now_playing.text() == "The finished video"
    assert panel.media.player.mediaStatus() != QMediaPlayer.MediaStatus.InvalidMedia
