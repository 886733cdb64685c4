"""The creator's edits to a script, and the files they bring to a project.

Each function is one short transaction on the project's scenes: change a
scene's text, move, split, merge, delete or insert scenes, or point a scene
at the creator's own picture. Scene positions stay 0..n-1 without gaps.
None of them touches stage states or assets: the stages find what changed
through their content-addressed caches the next time they run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from core.db import Database
from core.errors import InputError, ReelwrightError
from core.models import Asset, Project, Scene
from core.script.local import estimate_seconds
from core.storage import Storage, content_key, copy_atomic, file_checksum
from core.text import is_cjk, is_cjk_punctuation, split_sentences

TEXT_FIELDS = ("narration", "image_prompt", "on_screen_text")
SCENE_FIELDS = (*TEXT_FIELDS, "section", "user_image")
IMAGE_CHECK_PIXELS = 512  # decode a photo this small to prove it is readable
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SceneData:
    """One scene as the editor shows it and as it is written back."""

    narration: str
    image_prompt: str = ""
    on_screen_text: str = ""
    section: str | None = None
    user_image: str | None = None  # relative to storage
    # How long the voiced narration lasts, when the narration heard is the
    # narration written; read from the assets, never written back.
    voiced_seconds: float | None = None

    @property
    def seconds(self) -> float:
        if self.voiced_seconds is not None:
            return self.voiced_seconds
        return estimate_seconds(self.narration)

    def fields(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in SCENE_FIELDS}


# -- reading -----------------------------------------------------------------


def load_scenes(db: Database, project_id: int) -> list[SceneData]:
    """The project's scenes in order; [] when it has no script yet."""
    with db.session() as session:
        project = _project(session, project_id)
        if project.script is None:
            return []
        voiced = _narrations(session, project_id)
        return [
            SceneData(
                narration=scene.narration,
                image_prompt=scene.image_prompt,
                on_screen_text=scene.on_screen_text,
                section=scene.section,
                user_image=scene.user_image,
                voiced_seconds=_voiced_seconds(voiced.get(scene.position), scene),
            )
            for scene in project.script.scenes
        ]


def _narrations(session: Session, project_id: int) -> dict[int, Asset]:
    rows = session.query(Asset).filter_by(project_id=project_id, kind="narration")
    return {row.scene_position: row for row in rows}


def _voiced_seconds(asset: Asset | None, scene: Scene) -> float | None:
    """The voice's length, if the phrases it spoke are the scene's text."""
    if asset is None or "duration" not in asset.meta:
        return None
    spoken = "".join(str(phrase[0]) for phrase in asset.meta.get("phrases", []))
    if _SPACE.sub("", spoken) != _SPACE.sub("", scene.narration):
        return None  # the narration was edited after it was voiced
    return float(asset.meta["duration"])


# -- changing scenes ---------------------------------------------------------


def update_scene(
    db: Database, project_id: int, position: int, /, **fields: str | None
) -> None:
    """Set some of a scene's fields (see ``SCENE_FIELDS``)."""
    unknown = set(fields) - set(SCENE_FIELDS)
    if unknown:
        raise ValueError(f"Scenes have no field {', '.join(sorted(unknown))}.")
    with db.session() as session:
        scene = _scene_at(_scenes(session, project_id), position)
        for name, value in fields.items():
            setattr(scene, name, value)
        if "narration" in fields:
            scene.duration = estimate_seconds(scene.narration)


def move_scene(db: Database, project_id: int, source: int, target: int) -> None:
    """Move the scene at ``source`` so that it ends up at ``target``."""
    with db.session() as session:
        scenes = _scenes(session, project_id)
        moving = _scene_at(scenes, source)
        _scene_at(scenes, target)
        scenes.remove(moving)
        scenes.insert(target, moving)
        _renumber(session, scenes)


def insert_scene(
    db: Database, project_id: int, position: int, scene: SceneData
) -> None:
    """Put a new scene at ``position``; the scenes from there move down."""
    with db.session() as session:
        scenes = _scenes(session, project_id)
        if not 0 <= position <= len(scenes):
            raise InputError(f"Scene {position + 1} is outside the script.")
        _renumber(session, [*scenes[:position], None, *scenes[position:]])
        script = _project(session, project_id).script
        assert script is not None  # _scenes checked it
        session.add(_new_scene(script.id, position, scene))


def delete_scene(db: Database, project_id: int, position: int) -> SceneData:
    """Remove a scene and close the gap; return what it held (for undo)."""
    with db.session() as session:
        scenes = _scenes(session, project_id)
        scene = _scene_at(scenes, position)
        removed = _data(scene)
        session.delete(scene)
        session.flush()
        _renumber(session, [s for s in scenes if s is not scene])
        return removed


def split_scene(db: Database, project_id: int, position: int, at: int) -> None:
    """Cut a scene's narration at character ``at`` into two scenes."""
    with db.session() as session:
        scenes = _scenes(session, project_id)
        scene = _scene_at(scenes, position)
        head, tail = split_data(_data(scene), at)
        scene.narration, scene.duration = (
            head.narration,
            estimate_seconds(head.narration),
        )
        _renumber(session, [*scenes[: position + 1], None, *scenes[position + 1 :]])
        session.add(_new_scene(scene.script_id, position + 1, tail))


def merge_with_next(db: Database, project_id: int, position: int) -> None:
    """Join a scene and the one after it; the first one's settings win."""
    with db.session() as session:
        scenes = _scenes(session, project_id)
        first = _scene_at(scenes, position)
        if position + 1 >= len(scenes):
            raise InputError("The last scene has no next scene to merge with.")
        second = scenes[position + 1]
        merged = merged_data(_data(first), _data(second))
        for name, value in merged.fields().items():
            setattr(first, name, value)
        first.duration = estimate_seconds(first.narration)
        session.delete(second)
        session.flush()
        _renumber(session, [s for s in scenes if s is not second])


# -- the rules the editor shares, so its model and the database agree ----------


def split_text(narration: str, at: int) -> tuple[str, str]:
    """The two narrations a split at ``at`` makes; InputError if one is empty."""
    head, tail = narration[:at].rstrip(), narration[at:].lstrip()
    if not head or not tail:
        raise InputError(
            "Put the cursor inside the narration, between two words, to split there."
        )
    return head, tail


def split_data(scene: SceneData, at: int) -> tuple[SceneData, SceneData]:
    """The two scenes a split makes. The first keeps everything else; the
    second gets the same image prompt, since the picture it describes is
    still the one the words are about."""
    head, tail = split_text(scene.narration, at)
    first = replace(scene, narration=head, voiced_seconds=None)
    second = SceneData(
        narration=tail, image_prompt=scene.image_prompt, section=scene.section
    )
    return first, second


def middle_of_sentences(narration: str) -> int:
    """Where to split a narration when no cursor says: the sentence break
    nearest its middle. InputError if it has a single sentence."""
    sentences = split_sentences(narration)
    if len(sentences) < 2:
        raise InputError(
            "This scene has one sentence; put the cursor where it should be split."
        )
    breaks: list[int] = []
    cursor = 0
    for sentence in sentences[:-1]:
        found = narration.find(sentence, cursor)
        cursor = (found if found >= 0 else cursor) + len(sentence)
        breaks.append(cursor)
    return min(breaks, key=lambda point: abs(point - len(narration) / 2))


def merged_data(first: SceneData, second: SceneData) -> SceneData:
    return SceneData(
        narration=join_narration(first.narration, second.narration),
        image_prompt=first.image_prompt or second.image_prompt,
        on_screen_text=first.on_screen_text or second.on_screen_text,
        section=first.section if first.section is not None else second.section,
        user_image=first.user_image or second.user_image,
    )


def join_narration(left: str, right: str) -> str:
    """Two narrations as one: a space between them, except in Chinese."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left or right
    if _cjk_edge(left[-1]) and _cjk_edge(right[0]):
        return left + right
    return f"{left} {right}"


def _cjk_edge(char: str) -> bool:
    return is_cjk(char) or is_cjk_punctuation(char)


# -- the creator's files -----------------------------------------------------


def set_scene_image(
    db: Database, storage: Storage, project_id: int, position: int, path: Path
) -> str:
    """Copy the creator's picture into the project and use it for a scene.

    Returns the stored path (relative to storage). The next image run for
    the scene fits it to the frame instead of making one.
    """
    check_image(path)
    checksum = file_checksum(path)
    target = (
        storage.project_dir(project_id)
        / "images"
        / (f"user-{checksum[:16]}{path.suffix.lower()}")
    )
    if not target.is_file():
        copy_atomic(path, target)
    relative = storage.relative(target)
    update_scene(db, project_id, position, user_image=relative)
    return relative


def check_image(path: Path) -> None:
    """InputError unless ``path`` is a picture that decodes whole."""
    from PIL import Image

    if not path.is_file():
        raise InputError(f"The picture {path.name} does not exist.")
    try:
        with Image.open(path) as image:
            image.draft("RGB", (IMAGE_CHECK_PIXELS, IMAGE_CHECK_PIXELS))
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise InputError(
            f"The picture {path.name} could not be read. Use a JPEG, PNG or WebP file."
        ) from error


def set_music(db: Database, storage: Storage, project_id: int, path: Path) -> str:
    """Make the creator's audio file the project's music bed.

    Returns the stored path (relative to storage); the next render uses it.
    """
    relative = store_music(storage, path)
    with db.session() as session:
        project = _project(session, project_id)
        # A new dict, so that SQLAlchemy sees the JSON column change.
        project.visual = {**project.visual, "music": relative}
    return relative


def music_setting(music: str, storage: Storage) -> str:
    """'default', 'none', or a creator's file stored for the project."""
    if music in ("default", "none"):
        return music
    return store_music(storage, Path(music))


def store_music(storage: Storage, path: Path) -> str:
    """Copy a music file into the cache (once per content) after checking it."""
    check_audio(path)
    key = content_key(kind="music", checksum=file_checksum(path))
    target = storage.cache_path("music", key, path.suffix.lower())
    if not target.is_file():
        copy_atomic(path, target)
    return storage.relative(target)


def check_audio(path: Path) -> None:
    """InputError unless FFmpeg finds a sound track in ``path``."""
    from core.render.probe import probe

    if not path.is_file():
        raise InputError(f"The music file {path} does not exist.")
    try:
        info = probe(path)
    except ReelwrightError as error:
        raise InputError(
            f"The music file {path.name} could not be read; use MP3, WAV or M4A."
        ) from error
    if info.first("audio") is None or info.duration <= 0:
        raise InputError(f"The file {path.name} has no sound to use as music.")


# -- helpers -----------------------------------------------------------------


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise InputError(f"Project {project_id} does not exist.")
    return project


def _scenes(session: Session, project_id: int) -> list[Scene]:
    script = _project(session, project_id).script
    if script is None:
        raise InputError("The project has no script yet; write the script first.")
    return list(script.scenes)


def _scene_at(scenes: list[Scene], position: int) -> Scene:
    if not 0 <= position < len(scenes):
        raise InputError(f"Scene {position + 1} is not in the script.")
    return scenes[position]


def _renumber(session: Session, ordered: Sequence[Scene | None]) -> None:
    """Give each scene its index as position; ``None`` keeps a place free.

    Positions are unique per script and SQLite checks that row by row, so
    the scenes that move park on negative numbers first.
    """
    moving = [
        (index, scene)
        for index, scene in enumerate(ordered)
        if scene is not None and scene.position != index
    ]
    for index, scene in moving:
        scene.position = -1 - index
    session.flush()
    for index, scene in moving:
        scene.position = index
    session.flush()


def _data(scene: Scene) -> SceneData:
    return SceneData(
        narration=scene.narration,
        image_prompt=scene.image_prompt,
        on_screen_text=scene.on_screen_text,
        section=scene.section,
        user_image=scene.user_image,
    )


def _new_scene(script_id: int, position: int, data: SceneData) -> Scene:
    return Scene(
        script_id=script_id,
        position=position,
        narration=data.narration,
        image_prompt=data.image_prompt,
        on_screen_text=data.on_screen_text,
        section=data.section,
        user_image=data.user_image,
        duration=estimate_seconds(data.narration),
    )
