from __future__ import annotations

import pytest

from tests.integration.worker.stack import start_stack


@pytest.fixture
def stack(tmp_path, monkeypatch):
    running = start_stack(tmp_path / "home", monkeypatch)
    yield running
    running.close()
