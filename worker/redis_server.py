"""The Redis the app runs for itself when no broker URL is configured.

``broker_url()`` returns ``REELWRIGHT_BROKER_URL`` when it is set, and then
nothing is started. Otherwise it starts, or joins, one ``redis-server`` per
data folder, shared by every Reelwright process on the machine. A process
that needs the server registers as one of its users; the last user to leave
shuts it down. A ``RedisWatchdog`` restarts the server if it dies, on the
same URL, so clients only reconnect; append-only persistence means queued
work survives both a restart and a crash.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.errors import PermanentError
from core.settings import Paths, Settings
from worker.redis_config import (
    APPENDFSYNC_CHOICES,
    HAS_UNIX_SOCKETS,
    SOCKET_NAME,
    ServerConfig,
    free_loopback_port,
    make_private_folder,
    mask_url,
    new_password,
    port_is_free,
    redis_binary,
    socket_folder,
)
from worker.redis_process import (
    ServerState,
    StartLock,
    kill,
    log_tail,
    pid_alive,
    read_state,
    runs_in_folder,
    spawn_detached,
    wait_for_exit,
    write_private,
    write_state,
)
from worker.redis_watchdog import RedisWatchdog

__all__ = ["BROKER_URL_ENV", "EmbeddedRedis", "RedisWatchdog", "broker_url"]

log = logging.getLogger(__name__)

BROKER_URL_ENV = "REELWRIGHT_BROKER_URL"
USERS_KEY = "reelwright:embedded:users"  # hash: pid -> last heartbeat (epoch s)
READY, LOADING, DOWN = "ready", "loading", "down"


def broker_url(
    settings: Settings | None = None,
) -> tuple[str, EmbeddedRedis | None]:
    """The Redis URL this process should use, and the embedded server if any.

    With ``REELWRIGHT_BROKER_URL`` set, that URL and None. Otherwise the
    embedded server for ``settings.paths`` is started or joined and this
    process becomes one of its users: call ``release()`` on the handle when
    the process quits.
    """
    configured = os.environ.get(BROKER_URL_ENV, "").strip()
    if configured:
        log.info("Using the configured broker at %s.", mask_url(configured))
        return configured, None
    settings = settings or Settings.from_env()
    embedded = EmbeddedRedis.for_paths(settings.paths)
    return embedded.acquire(), embedded


class EmbeddedRedis:
    """One data folder's redis-server, shared by every process of the app."""

    def __init__(
        self,
        *,
        data_dir: Path,
        run_dir: Path,
        use_unix_socket: bool = HAS_UNIX_SOCKETS,
        appendfsync: str = "everysec",
        start_timeout: float = 10.0,
    ) -> None:
        if appendfsync not in APPENDFSYNC_CHOICES:
            raise ValueError(f"appendfsync must be one of {APPENDFSYNC_CHOICES}")
        self.data_dir = Path(data_dir)  # redis.conf, the AOF, the log, state
        self.run_dir = Path(run_dir)  # the private folder for the socket
        self.use_unix_socket = use_unix_socket
        self.appendfsync = appendfsync
        self.start_timeout = start_timeout  # seconds, also the wait for a load
        self.last_start_seconds: float | None = None
        self._url: str | None = None
        self._acquired = False

    @classmethod
    def for_paths(cls, paths: Paths, **options: Any) -> EmbeddedRedis:
        data, run = paths.data / "redis", paths.data / "run"
        return cls(data_dir=data, run_dir=run, **options)

    @property
    def url(self) -> str | None:
        """The URL of the server this handle started or joined."""
        return self._url

    @property
    def state_file(self) -> Path:
        return self.data_dir / "server.json"

    def __enter__(self) -> str:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()

    def start_or_join(self) -> str:
        """The URL of the running server, started first if none answers."""
        with self._locked():
            return self._start_or_join()

    def acquire(self) -> str:
        """Start or join the server and register this process as a user."""
        with self._locked():
            url = self._start_or_join()
            self._register(url)
        self._acquired = True
        log.debug("Process %s now uses the embedded Redis.", os.getpid())
        return url

    def release(self) -> None:
        """Stop using the server; the last live user shuts it down."""
        if not self._acquired or self._url is None:
            return
        self._acquired = False
        with self._locked():
            try:
                with _client(self._url) as client:
                    client.hdel(USERS_KEY, str(os.getpid()))
                    others = _live_users(client)
                    if others:
                        log.debug("The embedded Redis stays up for %s.", others)
                        return
                    self._shut_down(client)
            except redis.RedisError as error:
                log.warning(
                    "Could not leave the embedded Redis at %s cleanly: %s",
                    mask_url(self._url),
                    error,
                )

    def stop(self) -> None:
        """Shut the server down now, whoever else uses it."""
        with self._locked():
            url = self._current_url()
            if url is None:
                return
            try:
                with _client(url) as client:
                    self._shut_down(client)
            except redis.RedisError:
                state = read_state(self.state_file)
                if state is not None:
                    self._discard(state)
                self.state_file.unlink(missing_ok=True)

    def users(self) -> list[int]:
        """The ids of the live processes registered as users."""
        url = self._current_url()
        if url is None:
            return []
        with _client(url) as client:
            return _live_users(client)

    def heartbeat(self) -> None:
        """Renew this process's registration, if it is a user."""
        if self._acquired and self._url is not None:
            self._register(self._url)

    def is_healthy(self) -> bool:
        url = self._current_url()
        return url is not None and _probe(url) == READY

    def restart_if_dead(self) -> bool:
        """Start the server again, on the same URL, if it stopped answering.

        A server stopped on purpose (its state file removed) stays stopped
        unless this process is still one of its users. True if restarted.
        """
        if self._url is None:
            return False
        with self._locked():
            state = read_state(self.state_file)
            url = state.url if state is not None else self._url
            if _probe(url) != DOWN:
                self._url = url
                return False
            if state is None and not self._acquired:
                log.debug("The embedded Redis was stopped on purpose; leaving it.")
                return False
            if state is not None:
                self._discard(state)
            # Limitation: in TCP mode the restart needs the old port; if another
            # program took it meanwhile, the restart fails (the watchdog warns
            # each time), and a server started later by start_or_join() gets
            # a new port, whose URL clients must then be given.
            config = ServerConfig.from_url(
                url, data_dir=self.data_dir, appendfsync=self.appendfsync
            )
            self._start(config, verb="Restarted")
            if self._acquired:
                self._register(url)
        return True

    def _start_or_join(self) -> str:
        state = read_state(self.state_file)
        if state is not None:
            if self._answers(state.url):
                self._url = state.url
                log.debug(
                    "Joined the embedded Redis (pid %s) at %s.",
                    state.pid,
                    mask_url(state.url),
                )
                return state.url
            self._discard(state)
        return self._start(self._config_after(state), verb="Started")

    def _config_after(self, state: ServerState | None) -> ServerConfig:
        # A TCP server that died keeps its port and password when the port is
        # still free, so clients given its URL can reconnect.
        if state is not None and not self.use_unix_socket:
            old = ServerConfig.from_url(
                state.url, data_dir=self.data_dir, appendfsync=self.appendfsync
            )
            if old.port is not None and old.password and port_is_free(old.port):
                return old
        return self._new_config()

    def _new_config(self) -> ServerConfig:
        if self.use_unix_socket:
            folder = socket_folder(self.run_dir, self.data_dir)
            return ServerConfig(
                self.data_dir,
                socket_path=folder / SOCKET_NAME,
                appendfsync=self.appendfsync,
            )
        return ServerConfig(
            self.data_dir,
            port=free_loopback_port(),
            password=new_password(),
            appendfsync=self.appendfsync,
        )

    def _start(self, config: ServerConfig, *, verb: str) -> str:
        if config.socket_path is not None:
            # The system may have cleaned a folder under the temporary folder.
            make_private_folder(config.socket_path.parent)
        write_private(config.config_file, config.render())

        began = time.monotonic()
        argv = [redis_binary(), str(config.config_file)]
        process = spawn_detached(argv, config.log_file)
        self._wait_until_ready(config, process)
        self.last_start_seconds = time.monotonic() - began

        state = ServerState(config.url, process.pid, time.time())
        write_state(self.state_file, state)
        self._url = config.url
        log.info(
            "%s the embedded Redis (pid %s) at %s in %.2f s.",
            verb,
            process.pid,
            mask_url(config.url),
            self.last_start_seconds,
        )
        return config.url

    def _wait_until_ready(
        self, config: ServerConfig, process: subprocess.Popen[bytes]
    ) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                problem = f"stopped while starting (exit code {process.returncode})"
                raise PermanentError(_start_failure(config, problem))
            status = _probe(config.url)
            if status == READY:
                return
            if status == LOADING:  # replaying a long append-only file
                deadline = max(deadline, time.monotonic() + 1.0)
            time.sleep(0.02)
        kill(process.pid)
        problem = f"did not answer within {self.start_timeout:.0f} s"
        raise PermanentError(_start_failure(config, problem))

    def _answers(self, url: str) -> bool:
        # A server still loading a long append-only file is alive: wait a while
        # for it, and join it even if it is not ready yet.
        deadline = time.monotonic() + self.start_timeout
        status = _probe(url)
        while status == LOADING and time.monotonic() < deadline:
            time.sleep(0.05)
            status = _probe(url)
        return status != DOWN

    def _discard(self, state: ServerState) -> None:
        log.info(
            "The embedded Redis recorded in %s (pid %s) does not answer.",
            self.state_file,
            state.pid,
        )
        if pid_alive(state.pid) and runs_in_folder(state.pid, self.data_dir):
            kill(state.pid)
            wait_for_exit(state.pid, timeout=5.0)

    def _shut_down(self, client: redis.Redis) -> None:
        state = read_state(self.state_file)
        client.shutdown()  # with append-only on, nothing queued is lost
        if state is not None and not wait_for_exit(state.pid, timeout=10.0):
            log.warning("The embedded Redis (pid %s) is slow to exit.", state.pid)
        self.state_file.unlink(missing_ok=True)
        self._acquired = False
        log.info("Stopped the embedded Redis; the append-only file keeps the queue.")

    def _register(self, url: str) -> None:
        with _client(url) as client:
            client.hset(USERS_KEY, str(os.getpid()), f"{time.time():.3f}")

    def _current_url(self) -> str | None:
        if self._url is not None:
            return self._url
        state = read_state(self.state_file)
        return state.url if state is not None else None

    def _locked(self) -> StartLock:
        make_private_folder(self.data_dir)
        return StartLock(self.data_dir / "server.lock")


def _client(url: str, *, timeout: float = 2.0) -> redis.Redis:
    # No retries: a check should answer at once, and SHUTDOWN must not be
    # sent again to a server that has just gone.
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


def _probe(url: str, *, timeout: float = 0.5) -> str:
    try:
        with _client(url, timeout=timeout) as client:
            client.ping()
    except redis.BusyLoadingError:
        return LOADING
    except (redis.RedisError, OSError):
        return DOWN
    return READY


def _live_users(client: redis.Redis) -> list[int]:
    # Limitation: a user is known by its process id alone. The users are kept
    # in the append-only file, so after a reboot an id recorded before it may
    # belong to an unrelated process, which then keeps the server running
    # after the app quits, until that process ends.
    live: list[int] = []
    dead: list[int] = []
    for key in client.hkeys(USERS_KEY):
        try:
            pid = int(key)
        except ValueError:
            continue
        (live if pid_alive(pid) else dead).append(pid)
    if dead:
        client.hdel(USERS_KEY, *(str(pid) for pid in dead))
    return sorted(live)


def _start_failure(config: ServerConfig, problem: str) -> str:
    tail = log_tail(config.log_file)
    if config.password:
        tail = tail.replace(config.password, "***")
    return (
        f"The embedded Redis ({redis_binary()}) {problem}. "
        f"The end of its log, {config.log_file}:\n{tail}"
    )
