"""The render stage: assemble the timeline, render it, finish the outputs.

The outputs of a project are the video, its subtitles as SRT, a 1280x720
thumbnail and the timeline they came from, all in the project's ``output``
folder; the description is rewritten with chapters at the real times.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.errors import InputError
from core.models import Project
from core.pipeline.assemble import VoicedScene, assemble
from core.pipeline.context import StageContext, stage_run
from core.pipeline.stages import _project, _scenes, asset_path, scene_assets
from core.providers.art_cards import ArtCardMaker
from core.providers.base import ImageRequest, Phrase
from core.render.engine import render
from core.render.music import default_music_bed
from core.render.video import EncoderSettings
from core.script.chapters import describe
from core.storage import atomic_output, copy_atomic
from core.timeline import FORMATS

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = (1280, 720)


def render_video(
    ctx: StageContext, project_id: int, encoder: EncoderSettings | None = None
) -> dict[str, str]:
    """Render the project's video; return the output paths (relative)."""
    with stage_run(ctx, project_id, "render") as report:
        report(0.0, "Assembling the timeline")
        project = _load(ctx, project_id)
        voiced = voiced_scenes(ctx, project_id)
        folder = ctx.storage.project_dir(project_id) / "render"
        width, height = FORMATS[project.format]
        assembly = assemble(
            voiced,
            folder,
            width=width,
            height=height,
            fps=int(project.visual.get("fps", 30)),
            language=project.language,
            title=project.script.title if project.script else project.name,
            music=_music(ctx, project),
            music_volume_db=float(project.visual.get("music_volume_db", -20.0)),
        )
        output_dir = ctx.storage.project_dir(project_id) / "output"
        video = output_dir / "video.mp4"
        render(
            assembly.timeline,
            video,
            work_dir=folder / "work",
            encoder=encoder,
            progress=lambda fraction, message: report(0.02 + 0.93 * fraction, message),
            cancel=ctx.cancel,
        )
        report(0.96, "Making the thumbnail")
        outputs = _finish_outputs(ctx, project, folder, output_dir, assembly)
        _save_outputs(ctx, project_id, outputs, assembly)
        return outputs


def voiced_scenes(ctx: StageContext, project_id: int) -> list[VoicedScene]:
    scenes, _ = _scenes(ctx, project_id)
    narrations = scene_assets(ctx, project_id, "narration")
    images = scene_assets(ctx, project_id, "image")
    missing = [s.position + 1 for s in scenes if s.position not in narrations]
    if missing:
        raise InputError(f"Scene {missing[0]} has no narration yet; voice it first.")
    missing = [s.position + 1 for s in scenes if s.position not in images]
    if missing:
        raise InputError(f"Scene {missing[0]} has no image yet; make the images first.")
    return [
        VoicedScene(
            position=scene.position,
            narration=asset_path(ctx, narrations[scene.position]),
            speech_duration=float(narrations[scene.position].meta["duration"]),
            phrases=[Phrase(*p) for p in narrations[scene.position].meta["phrases"]],
            image=asset_path(ctx, images[scene.position]),
            section=scene.section,
        )
        for scene in scenes
    ]


def _load(ctx: StageContext, project_id: int) -> Project:
    with ctx.db.session() as session:
        project = _project(session, project_id)
        _ = project.script and project.script.scenes  # load before detaching
        session.expunge_all()
        return project


def _music(ctx: StageContext, project: Project) -> Path | None:
    choice = project.visual.get("music", "default")
    if not choice or choice == "none":
        return None
    if choice == "default":
        return default_music_bed(ctx.storage.root / "cache")
    path = ctx.storage.absolute(choice)
    if not path.is_file():
        raise InputError(f"The music file {path} is missing; choose another.")
    return path


def _finish_outputs(ctx, project, folder, output_dir, assembly) -> dict[str, str]:  # type: ignore[no-untyped-def]
    subtitles = output_dir / "video.srt"
    copy_atomic(folder / "subtitles.srt", subtitles)
    thumbnail = output_dir / "thumbnail.jpg"
    make_thumbnail(project, assembly.timeline.title, thumbnail)
    storage = ctx.storage
    return {
        "video": storage.relative(output_dir / "video.mp4"),
        "subtitles": storage.relative(subtitles),
        "thumbnail": storage.relative(thumbnail),
        "timeline": storage.relative(folder / "timeline.json"),
    }


def make_thumbnail(project: Project, title: str, out: Path) -> None:
    """A 1280x720 card with the video's title, in the style of the scenes."""
    prompt = project.script.scenes[0].image_prompt if project.script else title
    request = ImageRequest(
        prompt=prompt,
        key_phrase=title,
        width=THUMBNAIL_SIZE[0],
        height=THUMBNAIL_SIZE[1],
        language=project.language,
    )
    with atomic_output(out) as temporary:
        ArtCardMaker().make(request, temporary)


def _save_outputs(ctx, project_id, outputs, assembly) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.session() as session:
        project = _project(session, project_id)
        project.output, project.status = outputs, "rendered"
        script = project.script
        if script is not None:
            summary = script.description.split("\n\n")[0]
            script.description = describe(
                summary, assembly.sections, script.tags, end=assembly.timeline.duration
            )


def export(
    ctx: StageContext, outputs: dict[str, str], video_out: Path
) -> dict[str, Path]:
    """Copy the outputs next to ``video_out``: OUT.mp4, OUT.srt, OUT.jpg."""
    targets = {
        "video": video_out,
        "subtitles": video_out.with_suffix(".srt"),
        "thumbnail": video_out.with_suffix(".jpg"),
    }
    for kind, target in targets.items():
        copy_atomic(ctx.storage.absolute(outputs[kind]), target)
    return {**targets, "timeline": ctx.storage.absolute(outputs["timeline"])}
