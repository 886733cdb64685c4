"""Starting coroutines from Qt signals.

``spawn`` schedules a coroutine on the qasync loop and routes any failure to
the app's one error handler. It is used instead of ``qasync.asyncSlot``,
whose signature matching refuses slots called without arguments.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

ErrorHandler = Callable[[BaseException], None]
_handler: ErrorHandler | None = None
_running: set[asyncio.Task] = set()


def set_error_handler(handler: ErrorHandler) -> None:
    global _handler
    _handler = handler


def spawn(coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task:
    """Run ``coroutine`` on the event loop; report its failure, if any."""
    task = asyncio.ensure_future(coroutine)
    _running.add(task)  # keep a reference until it finishes
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task) -> None:
    _running.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is None:
        return
    if _handler is not None:
        _handler(error)
    else:
        log.error("A background task failed.", exc_info=error)
