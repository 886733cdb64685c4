"""Where Reelwright keeps its data, and the settings every process shares.

``REELWRIGHT_HOME`` moves everything (database, projects, logs, caches) into
one folder; tests and benchmarks always set it. Without it the platform's
usual folders are used, found by platformdirs. The shared setup replaces the
database and the storage folder with ``REELWRIGHT_DATABASE_URL`` and
``REELWRIGHT_STORAGE_DIR``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "Reelwright"


@dataclass(frozen=True)
class Paths:
    """The folders of one Reelwright installation."""

    data: Path
    cache: Path
    logs: Path
    storage: Path

    @property
    def database_file(self) -> Path:
        return self.data / "reelwright.sqlite3"

    def ensure(self) -> Paths:
        for folder in (self.data, self.cache, self.logs, self.storage):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def default_paths(env: dict[str, str] | None = None) -> Paths:
    """Resolve the folders from the environment and the platform."""
    env = dict(os.environ) if env is None else env
    home = env.get("REELWRIGHT_HOME")
    if home:
        root = Path(home).expanduser().resolve()
        data, cache, logs = root / "data", root / "cache", root / "logs"
    else:
        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        data = Path(dirs.user_data_dir)
        cache = Path(dirs.user_cache_dir)
        logs = Path(dirs.user_log_dir)
    storage_dir = env.get("REELWRIGHT_STORAGE_DIR")
    storage = Path(storage_dir).expanduser().resolve() if storage_dir else data
    return Paths(data=data, cache=cache, logs=logs, storage=storage)


@dataclass(frozen=True)
class Settings:
    """Settings read once per process from the environment."""

    paths: Paths
    database_url: str
    ffmpeg: str | None = None  # a configured FFmpeg binary; None: the bundled one
    x264_preset: str = "veryfast"
    # Segments encoded at once on this machine; 0: its cores and free memory
    # decide (see core.render.encoders), 1: the leanest render.
    render_encoders: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ) if env is None else env
        paths = default_paths(env)
        url = env.get("REELWRIGHT_DATABASE_URL") or f"sqlite:///{paths.database_file}"
        return cls(
            paths=paths,
            database_url=url,
            ffmpeg=env.get("REELWRIGHT_FFMPEG") or None,
            x264_preset=env.get("REELWRIGHT_X264_PRESET", "veryfast"),
            render_encoders=_whole_number(env, "REELWRIGHT_RENDER_ENCODERS"),
        )

    @property
    def encoder_slots_dir(self) -> Path:
        """Where this machine's workers take turns at the video encoders."""
        return self.paths.cache / "encoder-slots"


def _whole_number(env: dict[str, str], name: str) -> int:
    """A count from the environment; empty, 0 or nonsense mean automatic."""
    try:
        return max(0, int(env.get(name, "0") or 0))
    except ValueError:
        return 0
