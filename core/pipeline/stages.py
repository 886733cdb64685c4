"""The stage functions: script, audio (the narration), images, render.

Every stage is idempotent. Assets are cached under a key made from the
provider's identity and its input, so running a stage again (a retry, a
redelivered message) finds finished items and makes nothing twice.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.models import Asset, Project, Scene, Script
from core.pipeline.assets import cached_asset, record_asset
from core.pipeline.context import StageContext, stage_run
from core.pipeline.project import project_content
from core.pipeline.usage import record_usage
from core.providers.base import ImageRequest, ScriptOptions
from core.script.templates import get_template
from core.timeline import FORMATS

log = logging.getLogger(__name__)


def generate_script(ctx: StageContext, project_id: int) -> None:
    """Write the script from the project's content (replacing any old one)."""
    with stage_run(ctx, project_id, "script") as report:
        with ctx.db.session() as session:
            project = _project(session, project_id)
            content = project_content(project)
            template_name = project.visual.get("template", "explainer")
            template = get_template(session, template_name)
            options = ScriptOptions(
                language=project.language,
                template=template.name,
                template_body=template.body,
                target_seconds=template.target_seconds,
                tone=template.tone,
            )
        report(0.1, "Writing the script")
        draft = ctx.providers.writer.write(content, options)
        record_usage(ctx.db, project_id, ctx.providers.writer, draft.tokens_used)
        with ctx.db.session() as session:
            project = _project(session, project_id)
            project.script = Script(
                title=draft.title,
                description=draft.description,
                tags=draft.tags,
                language=draft.language,
                writer=ctx.providers.writer.name,
                scenes=[
                    Scene(
                        position=i,
                        narration=s.narration,
                        image_prompt=s.image_prompt,
                        on_screen_text=s.on_screen_text,
                        section=s.section,
                        duration=s.duration_estimate,
                    )
                    for i, s in enumerate(draft.scenes)
                ],
            )
        report(1.0, f"{len(draft.scenes)} scenes")


def generate_audio(ctx: StageContext, project_id: int) -> None:
    """Voice every scene's narration; record phrase timings per scene."""
    with stage_run(ctx, project_id, "audio") as report:
        scenes, language = load_scenes(ctx, project_id)
        voice = ctx.providers.voice
        for done, scene in enumerate(scenes):
            ctx.check_cancelled()
            report(done / len(scenes), f"Voicing scene {done + 1} of {len(scenes)}")
            key_parts = {
                "voice": voice.cache_identity(),
                "text": scene.narration,
                "language": language,
            }
            with cached_asset(ctx, "narration", ".wav", key_parts) as item:
                if item.missing:
                    speech = voice.speak(scene.narration, language, item.temporary)
                    item.meta = _speech_meta(speech)
                    record_usage(ctx.db, project_id, voice, len(scene.narration))
            record_asset(ctx, project_id, "narration", scene.position, item, voice.name)


def generate_images(
    ctx: StageContext, project_id: int, scene: int | None = None
) -> None:
    """Make the image of every scene (or of one scene, for a retry)."""
    stage_scene = -1 if scene is None else scene
    with stage_run(ctx, project_id, "images", stage_scene) as report:
        scenes, language = load_scenes(ctx, project_id)
        width, height = _frame(ctx, project_id)
        chosen = [s for s in scenes if scene is None or s.position == scene]
        for done, item in enumerate(chosen):
            ctx.check_cancelled()
            report(done / len(chosen), f"Image {done + 1} of {len(chosen)}")
            make_scene_image(ctx, project_id, item, language, width, height)


def make_scene_image(
    ctx: StageContext,
    project_id: int,
    scene: Scene,
    language: str,
    width: int,
    height: int,
) -> None:
    """One scene's image; the creator's own image for the scene wins."""
    from core.providers.art_cards import user_image_card

    maker = ctx.providers.images
    if scene.user_image:
        source = ctx.storage.absolute(scene.user_image)
        parts: dict[str, object] = {
            "user_image": scene.user_image,
            "size": [width, height],
        }
        with cached_asset(ctx, "images", ".png", parts, checksum_of=source) as item:
            if item.missing:
                user_image_card(source, width, height, item.temporary)
        record_asset(ctx, project_id, "image", scene.position, item, "user")
        return
    request = ImageRequest(
        prompt=scene.image_prompt,
        key_phrase=scene.on_screen_text,
        width=width,
        height=height,
        language=language,
        seed=scene.position,
    )
    parts = {"maker": maker.cache_identity(), "request": request.__dict__}
    with cached_asset(ctx, "images", ".png", parts) as item:
        if item.missing:
            maker.make(request, item.temporary)
            item.meta = {"seed": request.seed, "prompt": request.prompt}
            record_usage(ctx.db, project_id, maker, 1)
    record_asset(ctx, project_id, "image", scene.position, item, maker.name)


def _project(session, project_id: int) -> Project:  # type: ignore[no-untyped-def]
    from core.errors import InputError

    project = session.get(Project, project_id)
    if project is None:
        raise InputError(f"Project {project_id} does not exist.")
    return project


def load_scenes(ctx: StageContext, project_id: int) -> tuple[list[Scene], str]:
    from core.errors import InputError

    with ctx.db.session() as session:
        project = _project(session, project_id)
        if project.script is None or not project.script.scenes:
            raise InputError("The project has no script yet; write the script first.")
        scenes = list(project.script.scenes)
        for scene in scenes:
            session.expunge(scene)
        return scenes, project.script.language


def _frame(ctx: StageContext, project_id: int) -> tuple[int, int]:
    with ctx.db.session() as session:
        return FORMATS[_project(session, project_id).format]


def _speech_meta(speech) -> dict:  # type: ignore[no-untyped-def]
    return {
        "duration": speech.duration,
        "phrases": [[p.text, p.start, p.end] for p in speech.phrases],
    }


def scene_assets(ctx: StageContext, project_id: int, kind: str) -> dict[int, Asset]:
    with ctx.db.session() as session:
        rows = session.query(Asset).filter_by(project_id=project_id, kind=kind).all()
        for row in rows:
            session.expunge(row)
        return {row.scene_position: row for row in rows}


def asset_path(ctx: StageContext, asset: Asset) -> Path:
    return ctx.storage.absolute(asset.path)
