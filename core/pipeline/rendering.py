"""The render stage: assemble the timeline, render it, finish the outputs.

The outputs of a project are the video, its subtitles as SRT, a 1280x720
thumbnail and the timeline they came from, all in the project's ``output``
folder; the description is rewritten with chapters at the real times.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from core.errors import InputError
from core.models import Project
from core.pipeline.assemble import VoicedScene, assemble
from core.pipeline.context import StageContext, StageReporter
from core.pipeline.stages import _project, asset_path, load_scenes, scene_assets
from core.providers.art_cards import ArtCardMaker
from core.providers.base import ImageRequest, Phrase
from core.render.engine import RenderJob, join, prepare
from core.render.music import default_music_bed
from core.render.segments import plan_segments
from core.render.video import EncoderSettings
from core.script.chapters import describe
from core.storage import atomic_output, copy_atomic, write_text_atomic
from core.timeline import FORMATS, Timeline

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = (1280, 720)


def render_job(
    ctx: StageContext, project_id: int, encoder: EncoderSettings | None = None
) -> RenderJob:
    """The project's render job, as ``prepare_render`` laid it out."""
    folder = ctx.storage.project_dir(project_id) / "render"
    return RenderJob(
        Timeline.load(folder / "timeline.json"),
        ctx.storage.project_dir(project_id) / "output" / "video.mp4",
        folder / "work",
        encoder or EncoderSettings(),
    )


def prepare_render(
    ctx: StageContext,
    project_id: int,
    encoder: EncoderSettings | None = None,
    report: StageReporter | None = None,
) -> RenderJob:
    """Assemble the timeline and lay out the render's work folder.

    Each part (a segment, or the soundtrack) can then be rendered by any
    worker that sees the storage; see ``render_part``.
    """
    if report is not None:
        report(0.0, "Assembling the timeline")
    project = _load(ctx, project_id)
    folder = ctx.storage.project_dir(project_id) / "render"
    width, height = FORMATS[project.format]
    assemble(
        voiced_scenes(ctx, project_id),
        folder,
        width=width,
        height=height,
        fps=int(project.visual.get("fps", 30)),
        language=project.language,
        title=project.script.title if project.script else project.name,
        music=_music(ctx, project),
        music_volume_db=float(project.visual.get("music_volume_db", -20.0)),
    )
    job = render_job(ctx, project_id, encoder)
    shutil.rmtree(job.work_dir, ignore_errors=True)  # segments of an old plan
    prepare(job)
    return job


def finish_render(
    ctx: StageContext, project_id: int, job: RenderJob | None = None
) -> dict[str, str]:
    """Join the encoded segments, then write the SRT, thumbnail and rows."""
    job = job or render_job(ctx, project_id)
    join(job, plan_segments(job.timeline), ctx.cancel)
    shutil.rmtree(job.work_dir, ignore_errors=True)
    project = _load(ctx, project_id)
    folder = job.work_dir.parent
    outputs = _finish_outputs(ctx, project, folder, job.out.parent, job.timeline)
    _save_outputs(ctx, project_id, outputs, job.timeline)
    return outputs


def voiced_scenes(ctx: StageContext, project_id: int) -> list[VoicedScene]:
    scenes, _ = load_scenes(ctx, project_id)
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


def _finish_outputs(ctx, project, folder, output_dir, timeline) -> dict[str, str]:  # type: ignore[no-untyped-def]
    subtitles = output_dir / "video.srt"
    copy_atomic(folder / "subtitles.srt", subtitles)
    thumbnail = output_dir / "thumbnail.jpg"
    make_thumbnail(project, timeline.title, thumbnail)
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


def _save_outputs(ctx, project_id, outputs, timeline) -> None:  # type: ignore[no-untyped-def]
    """Store the outputs, and the description with chapters at real times,
    also as ``description.txt`` for pasting into YouTube."""
    with ctx.db.session() as session:
        project = _project(session, project_id)
        script = project.script
        if script is not None:
            summary = script.description.split("\n\n")[0]
            script.description = describe(
                summary,
                chapter_sections(project, timeline),
                script.tags,
                end=timeline.duration,
            )
            tags = ", ".join(script.tags)
            text = f"{script.title}\n\n{script.description}\n\nTags: {tags}\n"
            path = ctx.storage.absolute(outputs["video"]).with_name("description.txt")
            write_text_atomic(path, text)
            outputs = {**outputs, "description": ctx.storage.relative(path)}
        project.output, project.status = outputs, "rendered"


def chapter_sections(project: Project, timeline: Timeline) -> list[tuple[str, float]]:
    """Chapter headings at the times their scenes really start."""
    scenes = project.script.scenes if project.script else []
    return [
        (scene.section, placed.start)
        for scene, placed in zip(scenes, timeline.scenes, strict=False)
        if scene.section
    ]
