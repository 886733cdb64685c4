"""Fixtures for the desktop tests: one event loop, a backend, a window.

Qt runs offscreen (see tests/conftest.py). One qasync loop serves the whole
session on top of pytest-qt's application; coroutines are started with
``desktop.tasks.spawn`` and awaited with ``qtbot.waitUntil``. Each test gets
its own REELWRIGHT_HOME, so its database, storage and embedded Redis are its
own, and its own QSettings file, so no test reads another's (or a
developer's) settings. Coroutines still running when a test ends are
cancelled before its backend stops.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QSettings

from core.settings import Settings


@pytest.fixture(scope="session")
def event_loop_qt(qapp) -> Iterator[asyncio.AbstractEventLoop]:  # type: ignore[no-untyped-def]
    """The session's asyncio loop, driven by Qt's (pytest-qt's qapp)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def qsettings_file(tmp_path: Path, qapp) -> Path:  # type: ignore[no-untyped-def]
    """Keep QSettings in a file of this test's own."""
    QCoreApplication.setOrganizationName("Reelwright")
    QCoreApplication.setApplicationName("Reelwright Tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    folder = tmp_path / "qsettings"
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder)
    )
    return folder


@pytest.fixture
def settings(home: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for a fresh REELWRIGHT_HOME, with the embedded broker."""
    monkeypatch.delenv("REELWRIGHT_BROKER_URL", raising=False)
    return Settings.from_env()


@pytest.fixture
def backend(settings: Settings, event_loop_qt, qapp):  # type: ignore[no-untyped-def]
    """A started Backend (embedded Redis, database, Control) without workers."""
    from desktop.backend import Backend

    settings.paths.ensure()
    backend = Backend(settings, start_pool=False)
    backend.start()
    yield backend
    cancel_background_tasks(qapp)
    backend.stop(drain=False)


def cancel_background_tasks(qapp, timeout: float = 2.0) -> None:  # type: ignore[no-untyped-def]
    """Cancel the coroutines a test's widgets left running (started with
    ``desktop.tasks.spawn``), so none of them resumes during the next test."""
    from desktop import tasks

    pending = [task for task in tasks._running if not task.done()]
    for task in pending:
        task.cancel()
    deadline = time.monotonic() + timeout
    while any(not task.done() for task in pending) and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.002)


@pytest.fixture
def window(backend, qtbot):  # type: ignore[no-untyped-def]
    """The main window on the test backend, closed by pytest-qt afterwards."""
    from desktop.main_window import MainWindow

    window = MainWindow(backend)
    qtbot.addWidget(window)
    yield window
    window.feed.stop()  # pytest-qt keeps windows; their feeds must not retry


@pytest.fixture
def no_background_errors(caplog):  # type: ignore[no-untyped-def]
    """Fail the test if a coroutine or the feed failed behind its back."""
    from desktop.tasks import set_error_handler

    errors: list[BaseException] = []
    set_error_handler(errors.append)
    yield
    set_error_handler(None)  # type: ignore[arg-type]
    logged = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith("desktop")
    ]
    assert errors == [] and logged == []
