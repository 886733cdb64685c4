"""The shared setup: several machines on one Redis, PostgreSQL and storage.

Two worker pools stand in for two machines: each has its own home folder
(logs, caches, config) and sees the project only through the shared Redis,
the PostgreSQL database this machine runs, and one storage folder.
"""

from __future__ import annotations

import uuid

import pytest

from core.models import StageState
from tests.integration.worker.stack import paragraphs, start_stack

pytestmark = pytest.mark.integration

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def postgres_url():
    psycopg = pytest.importorskip("psycopg")
    name = f"reelwright_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server to share: {error}")
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_pools_with_separate_homes_share_one_project(
    tmp_path, monkeypatch, postgres_url
):
    storage = tmp_path / "shared-storage"
    shared = {
        "REELWRIGHT_DATABASE_URL": postgres_url,
        "REELWRIGHT_STORAGE_DIR": str(storage),
    }
    stack = start_stack(tmp_path / "app-home", monkeypatch, env=shared)
    try:
        first = stack.pool(
            1, threads=1, env={"REELWRIGHT_HOME": str(tmp_path / "machine-a")}
        )
        second = stack.pool(
            1, threads=1, env={"REELWRIGHT_HOME": str(tmp_path / "machine-b")}
        )
        project = stack.project(paragraphs(4, "Shared work about a busy hive."))
        stack.run(project)
        assert stack.wait(project) == "done"

        pids_a, pids_b = set(first.pids()), set(second.pids())
        ran_on = {
            int(run.worker.rsplit(":", 1)[1])
            for run in stack.runs(project)
            if run.worker and run.state is StageState.SUCCEEDED
        }
        assert ran_on & pids_a and ran_on & pids_b, (ran_on, pids_a, pids_b)
        assert stack.video(project).is_relative_to(storage)
        assert not (tmp_path / "machine-a" / "data" / "projects").exists()
        with stack.control.db.session() as session:
            from core.models import Asset

            paths = [a.path for a in session.query(Asset).filter_by(project_id=project)]
        assert paths and all(not p.startswith("/") for p in paths)
    finally:
        stack.close()
