"""Screenshots of the real desktop app for the docs, in English and Chinese.

Each language runs in a process of its own: it starts a virtual screen
(Xvfb), a fresh REELWRIGHT_HOME and the app's real Backend (the embedded
Redis and a pool of two worker processes), builds the real MainWindow on a
qasync loop as ``desktop.app`` does, drives it into the states the user
guide shows and saves each as docs/screenshots/NAME-en.png or NAME-zh.png.
The workers load the test providers (``tests.fakes.providers``): "slow"
pictures, so a project can be caught mid-way, and a script writer whose key
is refused, so a stage fails for real.

    .venv/bin/python scripts/screenshots.py                  # both languages
    .venv/bin/python scripts/screenshots.py --language zh_TW

Everything a run starts (Xvfb, workers, Redis, the temporary home) is
stopped or removed when it ends, also when a step fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLES = ROOT.parent / "shared" / "samples"
OUT = ROOT / "docs" / "screenshots"
SCREEN = "1440x900x24"
WINDOW = (1360, 840)  # leaves room on the screen; the PNGs stay under 1400 px
MAX_WIDTH, MAX_BYTES = 1400, 500_000
SLOW_IMAGE_SECONDS = "10"  # each "slow" picture, so the shot catches them running
# Per UI language: the file suffix, the sample made into a video, and the
# one whose script stage fails.
LANGUAGES = {
    "en": ("en", "how-bees-make-honey.md", "quick-notes.txt"),
    "zh_TW": ("zh", "台灣夜市.md", "台灣夜市.md"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=[*LANGUAGES, "all"], default="all")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.language != "all":
        return shoot(args.language, args.out)
    failures = 0
    for language in LANGUAGES:
        # A process each: one QApplication, screen and worker pool per language.
        command = [sys.executable, __file__, "--language", language]
        failures += subprocess.run([*command, "--out", str(args.out)]).returncode != 0
    return 1 if failures else 0


def shoot(language: str, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with (
        virtual_screen() as display,
        tempfile.TemporaryDirectory(prefix="reelwright-shots-") as home,
    ):
        prepare_environment(Path(home), display)
        return run_app(language, Path(home), out)


@contextlib.contextmanager
def virtual_screen() -> Iterator[str]:
    """An Xvfb on a free display number, stopped on the way out."""
    read, write = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as answer:
            number = answer.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start: it reported no display.")
        yield f":{number}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def prepare_environment(home: Path, display: str) -> None:
    """What this process and the workers it starts read from the environment:
    this run's own home and broker, and no keys of the developer's."""
    from core.secrets import SECRETS

    keys = [variable for secret in SECRETS.values() for variable in secret.env]
    shared = [
        "REELWRIGHT_BROKER_URL",
        "REELWRIGHT_DATABASE_URL",
        "REELWRIGHT_STORAGE_DIR",
    ]
    for variable in [*shared, *keys]:
        os.environ.pop(variable, None)
    python_path = os.environ.get("PYTHONPATH")
    os.environ.update(
        {
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "REELWRIGHT_HOME": str(home),
            "REELWRIGHT_PROVIDER_PLUGINS": "tests.fakes.providers",
            "REELWRIGHT_X264_PRESET": "veryfast",
            "REELWRIGHT_SLOW_SECONDS": SLOW_IMAGE_SECONDS,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), python_path])),
        }
    )


def run_app(language: str, home: Path, out: Path) -> int:
    import qasync
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from core.logs import setup_logging
    from core.resources import resources_dir
    from core.settings import Settings
    from desktop.app import APPLICATION, ORGANIZATION, install_translator
    from desktop.ui.theme import apply_theme

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    # This run's own settings file, never the developer's.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "qsettings")
    )
    QSettings().setValue("ui/language", language)
    settings = Settings.from_env()
    settings.paths.ensure()
    setup_logging(settings.paths.logs, name="reelwright-app")
    app = QApplication([sys.argv[0]])
    apply_theme(app)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "reelwright.svg")))
    install_translator(app)  # reads ui/language, as the app does
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    run = loop.create_task(Session(settings, language, out).run())
    # Ctrl+C or a kill cancels the run, whose cleanup then stops what it
    # started; an exception raised in the handler would end the process from
    # inside a Qt callback without any cleanup.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: loop.call_soon_threadsafe(run.cancel))
    with loop:
        try:
            loop.run_until_complete(run)
        except asyncio.CancelledError:
            print("Stopped before the end.", file=sys.stderr)
            return 130
    return 0


async def wait_for(
    check: Callable[[], object], what: str, *, timeout: float = 120.0
) -> object:
    """Poll ``check`` (a function, or one returning an awaitable) until true."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"Gave up waiting for {what} after {timeout:.0f} s.")
        await asyncio.sleep(0.1)


async def settle(seconds: float = 0.8) -> None:
    """Let queued events, repaints and the backend's answers arrive."""
    await asyncio.sleep(seconds)


def save(widget, path: Path, *, from_screen: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Save what ``widget`` shows as a PNG of at most MAX_WIDTH and MAX_BYTES.

    The screen's copy is used for the video player, which draws in a native
    window of its own that ``QWidget.grab`` cannot see.
    """
    from PySide6.QtCore import Qt

    if from_screen:
        pixmap = widget.screen().grabWindow(widget.winId())
    else:
        pixmap = widget.grab()
    if pixmap.width() > MAX_WIDTH:
        pixmap = pixmap.scaledToWidth(
            MAX_WIDTH, Qt.TransformationMode.SmoothTransformation
        )
    if not pixmap.save(str(path), "PNG", 0):
        raise RuntimeError(f"Could not write {path}.")
    if path.stat().st_size > MAX_BYTES:
        shrink(path)
    print(f"Saved {path} ({path.stat().st_size // 1024} KB)")


def shrink(path: Path) -> None:
    """256 colours for a screenshot that came out too large, dithered so the
    gradients of the pictures do not band."""
    from PIL import Image

    with Image.open(path) as image:
        colours = image.convert("RGB")
    palette = colours.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    smaller = colours.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG)
    smaller.save(path, optimize=True)
    if path.stat().st_size > MAX_BYTES:  # dithering costs bytes: do without
        colours.quantize(palette=palette, dither=Image.Dither.NONE).save(path)
    if path.stat().st_size > MAX_BYTES:
        raise RuntimeError(f"{path} is still over {MAX_BYTES // 1000} KB.")


def widen_thumbnails(preview) -> None:  # type: ignore[no-untyped-def]
    """Drag the preview's splitter so a whole thumbnail fits, as a creator
    would: its first width can be narrower than one (in Chinese it is)."""
    from PySide6.QtWidgets import QSplitter

    from desktop.ui.preview import THUMBNAIL

    splitter = preview.findChild(QSplitter)
    left = THUMBNAIL.width() + 48  # the item's spacing and the scroll bar
    splitter.setSizes([left, max(splitter.width() - left, 1)])


class Session:
    """One language's run: the backend, the window, and the shots in order."""

    def __init__(self, settings, language: str, out: Path) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings
        self.out = out
        self.suffix, self.sample, self.failing = LANGUAGES[language]
        self.backend = None
        self.window = None

    def path(self, name: str) -> Path:
        return self.out / f"{name}-{self.suffix}.png"

    async def run(self) -> None:
        from desktop.backend import Backend

        self.backend = Backend(self.settings, workers=2)
        starting = asyncio.ensure_future(self.backend.run(self.backend.start))
        try:
            await asyncio.shield(starting)
            await self.shoot_all()
        finally:
            # What a cancelled start goes on to start is stopped too.
            await asyncio.wait([starting])
            await self.close()

    async def close(self) -> None:
        from desktop import tasks

        if self.window is not None:
            self.window.feed.stop()
            self.window.hide()
        for task in [task for task in tasks._running if not task.done()]:
            task.cancel()
        await settle(0.3)
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: self.backend.stop(drain=False)
        )

    async def shoot_all(self) -> None:
        await self.open_window()
        await self.shoot_empty()
        await self.shoot_settings()
        failed = await self.import_project(self.failing, script="refused-key")
        await self.wait_for_status(failed, "failed")
        making = await self.import_project(self.sample, images="slow")
        await self.shoot_monitor()
        await self.shoot_generating()
        await self.shoot_failed(failed)
        await self.wait_for_status(making, "done", timeout=600)
        await self.shoot_script(making)
        await self.shoot_preview()

    # -- the states ---------------------------------------------------------------

    async def open_window(self) -> None:
        from desktop.main_window import MainWindow

        self.window = MainWindow(self.backend)
        self.window.resize(*WINDOW)
        self.window.move(0, 0)
        await self.window.projects.refresh()
        self.window.show()
        await settle(1.5)

    async def shoot_empty(self) -> None:
        save(self.window, self.path("empty"))

    async def shoot_settings(self) -> None:
        from desktop.ui.settings_dialog import SettingsDialog

        self.window.open_settings()  # as Settings > Settings… does
        dialog = self.window.findChild(SettingsDialog)
        loaded = asyncio.Event()
        dialog.loaded.connect(loaded.set)  # before the loop runs its loading
        await asyncio.wait_for(loaded.wait(), 30)
        await settle()
        save(dialog, self.path("settings"))
        dialog.tabs.setCurrentWidget(dialog.advanced_page)
        await settle()
        save(dialog, self.path("settings-advanced"))
        dialog.reject()

    async def import_project(
        self, sample: str, *, script: str = "local", images: str = "local"
    ) -> int:
        """Import a sample the way a drop does, with these default providers."""
        from PySide6.QtCore import QSettings

        store = QSettings()
        store.setValue("defaults/providers/script", script)
        store.setValue("defaults/providers/images", images)
        await self.window.import_files([SAMPLES / sample])
        store.remove("defaults/providers/script")
        store.remove("defaults/providers/images")
        return int(self.window.project_id)

    async def wait_for_status(
        self, project_id: int, status: str, *, timeout: float = 120.0
    ) -> None:
        control = self.backend.control

        async def reached() -> bool:
            now = await self.backend.run(control.status, project_id)
            if now in ("failed", "cancelled") and now != status:
                raise RuntimeError(f"Project {project_id} ended as {now}.")
            return now == status

        await wait_for(reached, f"project {project_id} to be {status}", timeout=timeout)

    def images(self):  # type: ignore[no-untyped-def]
        """The images row's summary in the stage panel, or None."""
        row = self.window.stages.rows.get("images")
        return row.summary if row is not None else None

    async def shoot_monitor(self) -> None:
        """The monitor while the first pictures are being made."""

        def images_running() -> bool:
            snap = self.window.monitor.snapshot
            running = snap.running if snap is not None else []
            return any(t.stage == "images" and t.part >= 0 for t in running)

        self.window.open_monitor()
        self.window.monitor.resize(1000, 600)
        await wait_for(images_running, "the task monitor to show the pictures")
        await settle(0.3)
        save(self.window.monitor, self.path("task-monitor"))
        self.window.monitor.hide()

    async def shoot_generating(self) -> None:
        """The script, editable, while the stage panel shows the pictures
        being made. (The Chinese sample has four scenes, which four worker
        threads make at once: no moment has some pictures but not all.)"""

        def images_running() -> bool:
            summary = self.images()
            return bool(summary and summary.state == "running")

        await wait_for(images_running, "the pictures to be under way", timeout=180)
        self.window.tabs.setCurrentWidget(self.window.script)
        model = self.window.script.model
        await wait_for(lambda: model.rowCount() > 0, "the scenes")
        self.window.script.table.selectRow(0)
        await settle(1.5)  # elapsed time and time left appear
        save(self.window, self.path("generating"))
        if not images_running():
            print("Warning: the pictures were finished before the shot.")

    async def shoot_failed(self, project_id: int) -> None:
        messages = self.window.messages  # the last one was for another project
        await wait_for(lambda: not messages.isVisible(), "the message to go")
        self.window.projects.select(project_id)
        self.window.tabs.setCurrentWidget(self.window.script)

        def shows_failure() -> bool:
            row = self.window.stages.rows.get("script")
            return row is not None and row.state == "failed" and row.error.isVisible()

        await wait_for(shows_failure, "the failed script stage")
        await settle()
        save(self.window, self.path("failed-stage"))

    async def shoot_script(self, project_id: int) -> None:
        self.window.projects.select(project_id)
        self.window.tabs.setCurrentWidget(self.window.script)
        model = self.window.script.model
        await wait_for(lambda: model.rowCount() > 0, "the scenes to load")
        self.window.script.table.selectRow(1)
        await settle(1.5)
        save(self.window, self.path("script-editor"))

    async def shoot_preview(self) -> None:
        preview = self.window.preview
        self.window.tabs.setCurrentWidget(preview)
        widen_thumbnails(preview)
        await wait_for(
            lambda: preview.thumbnail_count() > 0 and preview.video_button.isEnabled(),
            "the thumbnails and the video",
        )
        preview.thumbnails.setCurrentRow(0)
        preview.video_button.click()
        await wait_for(lambda: preview.media.duration > 0, "the video to load")
        await asyncio.sleep(3.0)
        preview.media.pause()
        await settle()
        save(self.window, self.path("preview"), from_screen=True)


if __name__ == "__main__":
    sys.exit(main())
