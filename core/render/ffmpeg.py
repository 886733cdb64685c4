"""Finding and running FFmpeg: argument lists, progress, cancel, clean failure.

FFmpeg is looked up once: a configured binary (``REELWRIGHT_FFMPEG``), else
the one the imageio-ffmpeg wheel ships, else one on PATH. Every run passes an
argument list (never a shell string), reads ``-progress`` lines for the
progress bar, can be cancelled from another thread, and deletes its partial
output when it fails.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from core.errors import CancelledError, PermanentError, RenderError

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float], None]  # seconds of output written


@functools.cache
def ffmpeg_binary() -> str:
    """The FFmpeg executable to use, checked once with a clear message."""
    configured = os.environ.get("REELWRIGHT_FFMPEG")
    candidates: list[str | None] = [configured] if configured else []
    with contextlib.suppress(ImportError, RuntimeError):
        import imageio_ffmpeg

        candidates.append(imageio_ffmpeg.get_ffmpeg_exe())
    candidates.append(shutil.which("ffmpeg"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise PermanentError(
        "FFmpeg was not found. Reinstall Reelwright, or set REELWRIGHT_FFMPEG "
        "to the path of an ffmpeg executable."
    )


class CancelToken:
    """Set from any thread to stop the FFmpeg run that watches it.

    A token made with a ``parent`` is cancelled with it, and can also be
    cancelled alone: one of two runs going side by side stops its sibling
    when it fails, without touching the caller's token.
    """

    def __init__(self, parent: CancelToken | None = None) -> None:
        self._event = threading.Event()
        self._parent = parent

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set() or (
            self._parent is not None and self._parent.cancelled
        )

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds) or self.cancelled


def run_ffmpeg(
    args: Sequence[str],
    *,
    output: Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    cwd: Path | None = None,
) -> str:
    """Run FFmpeg with ``args`` (without the program name); return its log.

    ``output`` is deleted if the run fails or is cancelled, so no partial
    file is ever left where a complete one is expected.
    """
    command = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y"]
    if progress is not None:
        command += ["-progress", "pipe:1", "-stats_period", "0.25"]
    command += list(args)
    if cancel is not None and cancel.cancelled:
        raise CancelledError("The render was cancelled.")
    log.debug("Running FFmpeg: %s", command)
    try:
        return _run(command, progress, cancel, cwd)
    except BaseException:
        if output is not None:
            with contextlib.suppress(FileNotFoundError):
                output.unlink()
        raise


def _run(
    command: list[str],
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    cwd: Path | None,
) -> str:
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE if progress else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=cwd,
    )
    stderr_lines: list[str] = []
    readers = [_drain(process.stderr, stderr_lines.append)]
    if progress is not None:
        readers.append(_drain(process.stdout, _progress_parser(progress)))
    stopped = _watch_cancel(process, cancel)
    for reader in readers:
        reader.join()
    code = process.wait()
    stderr = "".join(stderr_lines)
    if stopped.is_set():
        raise CancelledError("The render was cancelled.")
    if code != 0:
        raise RenderError(f"FFmpeg failed (exit {code}): {_last_error(stderr)}")
    return stderr


def _drain(stream, sink: Callable[[str], None]) -> threading.Thread:  # type: ignore[no-untyped-def]
    def pump() -> None:
        for raw in iter(stream.readline, b""):
            sink(raw.decode("utf-8", "replace"))
        stream.close()

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


def _watch_cancel(
    process: subprocess.Popen[bytes], cancel: CancelToken | None
) -> threading.Event:
    stopped = threading.Event()
    if cancel is None:
        return stopped

    def watch() -> None:
        while process.poll() is None:
            if cancel.wait(0.1):
                stopped.set()
                process.terminate()
                try:
                    process.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    process.kill()
                return

    threading.Thread(target=watch, daemon=True).start()
    return stopped


def _progress_parser(progress: ProgressCallback) -> Callable[[str], None]:
    def parse(line: str) -> None:
        key, _, value = line.strip().partition("=")
        # out_time_us is the position of the output in microseconds; FFmpeg
        # prints N/A before the first frame.
        if key == "out_time_us" and value.lstrip("-").isdigit():
            progress(max(int(value), 0) / 1_000_000)

    return parse


def _last_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith(("frame=", "size="))]
    return useful[-1] if useful else "no message"
