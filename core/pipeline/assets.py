"""The content-addressed asset cache and the Asset rows that point into it.

An asset's file lives at ``cache/<kind>/<key>``, where the key hashes the
provider's identity and the input. If the file is there, the provider is not
called again (nothing is paid twice); if not, the provider writes to a
temporary name that is renamed into place only when complete. Each project
then gets exactly one Asset row per kind and scene, updated in place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from core.models import Asset
from core.pipeline.context import StageContext
from core.storage import atomic_output, content_key, file_checksum, write_text_atomic


@dataclass
class CachedItem:
    path: Path
    key: str
    missing: bool
    temporary: Path = Path()
    meta: dict = field(default_factory=dict)

    @property
    def meta_path(self) -> Path:
        return self.path.with_suffix(self.path.suffix + ".json")


@contextmanager
def cached_asset(
    ctx: StageContext,
    kind: str,
    suffix: str,
    key_parts: dict,
    checksum_of: Path | None = None,
) -> Iterator[CachedItem]:
    """Yield the cache entry for ``key_parts``; fill it if it is missing."""
    if checksum_of is not None:
        key_parts = {**key_parts, "source_checksum": file_checksum(checksum_of)}
    key = content_key(kind=kind, **key_parts)
    path = ctx.storage.cache_path(kind, key, suffix)
    item = CachedItem(path=path, key=key, missing=not path.is_file())
    if not item.missing:
        if item.meta_path.is_file():
            item.meta = json.loads(item.meta_path.read_text(encoding="utf-8"))
        yield item
        return
    with atomic_output(path) as temporary:
        item.temporary = temporary
        yield item
        # The metadata goes first: a file without it is never taken as done.
        write_text_atomic(item.meta_path, json.dumps(item.meta, ensure_ascii=False))


def record_asset(
    ctx: StageContext,
    project_id: int,
    kind: str,
    scene: int,
    item: CachedItem,
    provider: str,
) -> None:
    """Point the project's (kind, scene) Asset row at ``item``."""
    relative = ctx.storage.relative(item.path)
    with ctx.db.session() as session:
        row = (
            session.query(Asset)
            .filter_by(project_id=project_id, kind=kind, scene_position=scene)
            .one_or_none()
        )
        if row is None:
            row = Asset(project_id=project_id, kind=kind, scene_position=scene)
            session.add(row)
        if row.content_key != item.key or row.path != relative:
            row.path, row.content_key, row.provider = relative, item.key, provider
            row.checksum = file_checksum(item.path)
        row.meta = item.meta
