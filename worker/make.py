"""``reelwright make``: one call from content files to a finished video.

The stages run one after another in this process, each reporting to the
terminal's progress bars. The functions are the same ones the workers run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.db import Database
from core.errors import InputError
from core.pipeline.context import StageContext
from core.pipeline.project import create_project, load_paths
from core.pipeline.rendering import export, render_video
from core.pipeline.stages import generate_audio, generate_images, generate_script
from core.providers.registry import local_providers
from core.render.video import EncoderSettings
from core.settings import Settings
from core.storage import Storage
from worker.terminal import TerminalProgress

log = logging.getLogger(__name__)


def make_video(
    settings: Settings,
    content: list[Path],
    *,
    output: Path | None = None,
    video_format: str = "landscape",
    providers: str = "local",
    music: str = "default",
    show_progress: bool = True,
) -> dict[str, object]:
    """Run the whole pipeline; return the paths of what it made (absolute)."""
    if providers != "local":
        raise InputError(
            "Cloud providers are not available in this version; use --providers local."
        )
    storage = Storage(settings.paths.storage)
    db = Database(settings.database_url).migrate()
    try:
        visual = {"music": _music_setting(music, storage)}
        project_id = create_project(
            db, load_paths(content), format=video_format, visual=visual
        )
        log.info("Project %s created from %s.", project_id, [p.name for p in content])
        with TerminalProgress(enabled=show_progress) as bars:
            ctx = StageContext(db, storage, local_providers(), sink=bars)
            for stage in (generate_script, generate_audio, generate_images):
                stage(ctx, project_id)
            encoder = EncoderSettings(preset=settings.x264_preset)
            outputs = render_video(ctx, project_id, encoder)
        paths = {kind: storage.absolute(path) for kind, path in outputs.items()}
        if output is not None:
            paths = export(ctx, outputs, output.resolve())
    finally:
        db.dispose()
    return {
        "project_id": project_id,
        "workspace": str(storage.project_dir(project_id).resolve()),
        **{kind: str(Path(path).resolve()) for kind, path in paths.items()},
    }


def _music_setting(music: str, storage: Storage) -> str:
    """'default', 'none', or a creator's file copied into storage."""
    if music in ("default", "none"):
        return music
    source = Path(music)
    if not source.is_file():
        raise InputError(f"The music file {music} does not exist.")
    from core.storage import content_key, copy_atomic, file_checksum

    key = content_key(kind="music", checksum=file_checksum(source))
    target = storage.cache_path("music", key, source.suffix.lower())
    if not target.is_file():
        copy_atomic(source, target)
    return storage.relative(target)
