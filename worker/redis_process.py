"""The operating-system side of the embedded Redis: lock, state file, processes.

Any Reelwright process may find that the server is not running. A lock file
lets one of them start it while the others wait; a state file then tells
them all where it listens (its URL may hold a password, so only the user
can read the file). The server runs detached, in a session of its own, so
it outlives the process that started it and never gets its signals.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType

from core.errors import TransientError
from core.locks import try_lock_file, unlock_file

log = logging.getLogger(__name__)

if sys.platform == "win32":
    _DETACHED_FLAGS = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS
else:
    _DETACHED_FLAGS = 0


@dataclass(frozen=True)
class ServerState:
    """What the state file records about the running server."""

    url: str
    pid: int
    started_at: float  # seconds since the epoch


def read_state(path: Path) -> ServerState | None:
    """The recorded server, or None when there is no readable record."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return ServerState(
            url=str(raw["url"]),
            pid=int(raw["pid"]),
            started_at=float(raw["started_at"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("Ignoring the unreadable Redis state file %s: %s", path, error)
        return None


def write_state(path: Path, state: ServerState) -> None:
    write_private(path, json.dumps(asdict(state)))


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` whole with ``text``, readable by the user alone."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, path)


class StartLock:
    """An exclusive lock, between processes and threads, on a lock file."""

    def __init__(self, path: Path, *, timeout: float = 30.0) -> None:
        self.path = path
        self.timeout = timeout  # seconds
        self._fd = -1

    def __enter__(self) -> StartLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        while not try_lock_file(fd):
            if time.monotonic() > deadline:
                os.close(fd)
                raise TransientError(
                    f"Another Reelwright process has been starting Redis for "
                    f"over {self.timeout:.0f} s (lock {self.path}). Try again, "
                    "or end that process."
                )
            time.sleep(0.02)
        self._fd = fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        fd, self._fd = self._fd, -1
        try:
            unlock_file(fd)
        finally:
            os.close(fd)


def spawn_detached(argv: list[str], output: Path) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a session of its own, its output appended to a file.

    A daemon thread waits on the process so that, once it ends, it does not
    linger as a zombie that still looks alive.
    """
    with open(output, "ab") as sink:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=sys.platform != "win32",
            creationflags=_DETACHED_FLAGS,
        )
    reaper = threading.Thread(
        target=process.wait, name=f"reap-redis-{process.pid}", daemon=True
    )
    reaper.start()
    return process


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running (a zombie is not)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return line.rpartition(")")[2].split()[:1] == ["Z"]


def _windows_pid_alive(pid: int) -> bool:
    # os.kill(pid, 0) would terminate the process on Windows; ask instead.
    import ctypes

    query_limited_information, still_active = 0x1000, 259
    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == still_active
    finally:
        kernel.CloseHandle(handle)


def runs_in_folder(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` works in ``folder``: a redis-server of ours does.

    redis-server changes into its data folder, so a live pid working there is
    the recorded server and not an unrelated process that reused the id.
    """
    try:
        cwd = Path(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        # Limitation: without /proc (macOS, Windows) a silent server cannot be
        # told from an unrelated process that reused its id, so it is left
        # running and a new server is started beside it.
        return False
    return cwd == folder.resolve()


def kill(pid: int) -> None:
    kill_signal = signal.SIGTERM if sys.platform == "win32" else signal.SIGKILL
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, kill_signal)


def wait_for_exit(pid: int, *, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for the process to end; True if it did."""
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def log_tail(path: Path, *, lines: int = 15) -> str:
    """The last lines of a log file, for an error message."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return f"(could not read {path}: {error})"
    return "\n".join(text.splitlines()[-lines:]) or "(the log is empty)"
