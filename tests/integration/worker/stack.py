"""A real worker stack for tests: embedded Redis, worker processes, Control.

Everything is real: the redis-server the app ships, ``reelwright worker``
processes started by the pool, SQLite (or PostgreSQL) and FFmpeg. Retry
backoffs are scaled down from minutes to milliseconds through the same
settings a user could change.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from core.content import content_from_text
from core.models import Asset, StageRun
from core.pipeline.project import create_project
from core.settings import Settings
from worker.control import Control
from worker.pool import WorkerPool
from worker.redis_server import EmbeddedRedis

TEST_ENV = {
    "REELWRIGHT_BACKOFF_SCALE": "0.001",  # a minute becomes 60 ms
    "REELWRIGHT_HEARTBEAT_TIMEOUT_MS": "3000",
    "REELWRIGHT_X264_PRESET": "ultrafast",
    "REELWRIGHT_PROVIDER_PLUGINS": "tests.fakes.providers",
}
PROJECT_ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Stack:
    home: Path
    env: dict[str, str]
    embedded: EmbeddedRedis | None
    url: str
    control: Control
    pools: list[WorkerPool] = field(default_factory=list)
    exits: ExitStack = field(default_factory=ExitStack)

    def pool(
        self,
        size: int = 2,
        *,
        threads: int = 1,
        nice: int = 0,
        env: dict | None = None,
    ) -> WorkerPool:
        merged = {**self.env, **(env or {}), "PYTHONPATH": str(PROJECT_ROOT)}
        pool = WorkerPool(
            size, broker_url=self.url, threads=threads, nice=nice, env=merged
        ).start()
        self.pools.append(pool)
        return pool

    def project(
        self, text: str, *, providers: dict | None = None, video_format: str = "preview"
    ) -> int:
        return create_project(
            self.control.db,
            content_from_text(text),
            format=video_format,
            visual={"music": "none"},
            providers={
                "script": "local",
                "voice": "local",
                "images": "local",
                **(providers or {}),
            },
        )

    def run(self, project_id: int) -> None:
        self.control.start_project(project_id)

    def wait(
        self,
        project_id: int,
        timeout: float = 240,
        until=("done", "failed", "cancelled"),
    ) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.control.status(project_id)
            if status in until:
                return status
            time.sleep(0.2)
        raise AssertionError(f"project {project_id} still {status} after {timeout} s")

    def wait_for(self, predicate, timeout: float = 120, what: str = "condition"):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def runs(self, project_id: int, stage: str | None = None) -> list[StageRun]:
        return [
            r
            for r in self.control.stage_runs(project_id)
            if stage is None or r.stage == stage
        ]

    def assets(self, project_id: int) -> list[Asset]:
        with self.control.db.session() as session:
            rows = session.query(Asset).filter_by(project_id=project_id).all()
            session.expunge_all()
            return rows

    def video(self, project_id: int) -> Path:
        from core.models import Project

        with self.control.db.session() as session:
            project = session.get(Project, project_id)
            assert project is not None and project.output, project_id
            relative = project.output["video"]
        return Path(self.control.settings.paths.storage) / relative

    def close(self) -> None:
        for pool in self.pools:
            pool.stop(timeout=30)
        self.control.close()
        if self.embedded is not None:
            self.embedded.release()
        self.exits.close()


def start_stack(
    home: Path,
    monkeypatch,
    *,
    env: dict | None = None,  # type: ignore[no-untyped-def]
    url: str | None = None,
) -> Stack:
    environment = {**TEST_ENV, "REELWRIGHT_HOME": str(home), **(env or {})}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    settings.paths.ensure()
    embedded = None
    if url is None:
        embedded = EmbeddedRedis.for_paths(settings.paths)
        url = embedded.acquire()
    control = Control(settings, url)
    return Stack(home, environment, embedded, url, control)


SHORT_TEXT = "Bees make honey from nectar. They dry it by fanning their wings."


def paragraphs(
    count: int, sentence: str = "A short scene about bees and honey."
) -> str:
    """Content of ``count`` scenes: a heading each, since scenes never span two."""
    return "\n\n".join(f"# Part {i + 1}\n\n{sentence}" for i in range(count))
