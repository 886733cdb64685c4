"""The workspace on disk: project folders, atomic writes and the asset cache.

Paths in the database are stored relative to the storage root, so several
machines that mount the same folder at different places agree on them.
Files only ever appear complete: they are written under a temporary name in
the same folder and renamed into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path


class Storage:
    """One storage root: ``projects/<id>/...`` and ``cache/<kind>/...``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def project_dir(self, project_id: int) -> Path:
        return self.root / "projects" / str(project_id)

    def cache_path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / "cache" / kind / key[:2] / f"{key}{suffix}"

    def relative(self, path: Path) -> str:
        """The path as stored in the database: relative, with forward slashes."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def absolute(self, relative: str) -> Path:
        return self.root / relative


def content_key(**parts: object) -> str:
    """A stable key for an asset made from its provider, settings and input."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def temporary_sibling(final: Path) -> Path:
    """A unique name next to ``final`` that keeps its suffix for the tools
    (FFmpeg and Pillow choose the format from it)."""
    return final.with_name(f".{final.stem}.{uuid.uuid4().hex[:8]}.part{final.suffix}")


@contextlib.contextmanager
def atomic_output(final: Path) -> Iterator[Path]:
    """Yield a temporary path; rename it to ``final`` if the block succeeds.

    On any failure the partial file is removed, so ``final`` is either the
    old file, or absent, or complete.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_sibling(final)
    try:
        yield temporary
        os.replace(temporary, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_text_atomic(final: Path, text: str) -> None:
    with atomic_output(final) as temporary:
        temporary.write_text(text, encoding="utf-8")


def copy_atomic(source: Path, final: Path) -> None:
    with atomic_output(final) as temporary:
        shutil.copyfile(source, temporary)
