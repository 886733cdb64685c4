"""The script editor's operations on a real SQLite database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from core.content import content_from_text
from core.db import Database
from core.errors import InputError
from core.models import Asset, Project, Scene, Script
from core.pipeline import editing
from core.pipeline.editing import SceneData
from core.pipeline.project import create_project
from core.render.ffmpeg import ffmpeg_binary
from core.storage import Storage

NARRATIONS = ["First scene.", "Second scene.", "Third scene."]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path}/db.sqlite3").migrate()


@pytest.fixture
def storage(tmp_path: Path) -> Storage:
    return Storage(tmp_path / "storage")


@pytest.fixture
def project_id(db: Database) -> int:
    project_id = create_project(db, content_from_text("Some words.", "notes"))
    with db.session() as session:
        session.get(Project, project_id).script = Script(
            title="A title",
            scenes=[
                Scene(position=i, narration=text, image_prompt=f"prompt {i}")
                for i, text in enumerate(NARRATIONS)
            ],
        )
    return project_id


def narrations(db: Database, project_id: int) -> list[str]:
    return [scene.narration for scene in editing.load_scenes(db, project_id)]


def test_a_project_without_a_script_has_no_scenes(db: Database) -> None:
    content = content_from_text("Words.", "notes")
    assert editing.load_scenes(db, create_project(db, content)) == []


def test_updating_a_field_changes_only_that_scene(db, project_id) -> None:
    editing.update_scene(db, project_id, 1, narration="Changed words here.")
    scenes = editing.load_scenes(db, project_id)
    assert [s.narration for s in scenes] == [
        "First scene.",
        "Changed words here.",
        "Third scene.",
    ]
    assert scenes[1].image_prompt == "prompt 1"


def test_updating_an_unknown_field_is_refused(db, project_id) -> None:
    with pytest.raises(ValueError, match="position"):
        editing.update_scene(db, project_id, 0, position="3")


def test_moving_a_scene_down_shifts_the_ones_between(db, project_id) -> None:
    editing.move_scene(db, project_id, 0, 2)
    assert narrations(db, project_id) == [
        "Second scene.",
        "Third scene.",
        "First scene.",
    ]


def test_moving_a_scene_up_shifts_the_ones_between(db, project_id) -> None:
    editing.move_scene(db, project_id, 2, 0)
    assert narrations(db, project_id) == [
        "Third scene.",
        "First scene.",
        "Second scene.",
    ]


def test_moving_outside_the_script_is_an_input_error(db, project_id) -> None:
    with pytest.raises(InputError):
        editing.move_scene(db, project_id, 0, 3)


def test_splitting_makes_two_scenes_with_the_same_prompt(db, project_id) -> None:
    editing.update_scene(db, project_id, 1, narration="One half. Other half.")
    editing.split_scene(db, project_id, 1, len("One half."))
    scenes = editing.load_scenes(db, project_id)
    assert [s.narration for s in scenes] == [
        "First scene.",
        "One half.",
        "Other half.",
        "Third scene.",
    ]
    assert scenes[2].image_prompt == scenes[1].image_prompt == "prompt 1"


def test_splitting_at_an_edge_is_an_input_error(db, project_id) -> None:
    with pytest.raises(InputError, match="cursor"):
        editing.split_scene(db, project_id, 0, 0)
    assert narrations(db, project_id) == NARRATIONS


def test_the_middle_of_the_sentences_is_the_break_nearest_the_half() -> None:
    text = "One. Two two. Three three three. Four."
    assert text[: editing.middle_of_sentences(text)] == "One. Two two."


def test_the_middle_of_chinese_sentences_needs_no_spaces() -> None:
    text = "今天天氣很好。我們去公園。"
    assert text[: editing.middle_of_sentences(text)] == "今天天氣很好。"


def test_a_single_sentence_has_no_middle() -> None:
    with pytest.raises(InputError):
        editing.middle_of_sentences("Only one sentence here")


def test_merging_joins_the_narrations_and_closes_the_gap(db, project_id) -> None:
    editing.merge_with_next(db, project_id, 0)
    scenes = editing.load_scenes(db, project_id)
    assert [s.narration for s in scenes] == [
        "First scene. Second scene.",
        "Third scene.",
    ]
    assert scenes[0].image_prompt == "prompt 0"


def test_merging_chinese_narrations_adds_no_space() -> None:
    assert editing.join_narration("你好。", "再見。") == "你好。再見。"


def test_the_last_scene_cannot_merge(db, project_id) -> None:
    with pytest.raises(InputError, match="last scene"):
        editing.merge_with_next(db, project_id, 2)


def test_deleting_returns_the_scene_and_inserting_it_restores_it(
    db, project_id
) -> None:
    removed = editing.delete_scene(db, project_id, 1)
    assert narrations(db, project_id) == ["First scene.", "Third scene."]

    editing.insert_scene(db, project_id, 1, removed)
    assert narrations(db, project_id) == NARRATIONS
    assert editing.load_scenes(db, project_id)[1].image_prompt == "prompt 1"


def test_inserting_at_the_end_appends(db, project_id) -> None:
    editing.insert_scene(db, project_id, 3, SceneData(narration="Fourth."))
    assert narrations(db, project_id)[-1] == "Fourth."


def test_positions_stay_without_gaps_after_many_edits(db, project_id) -> None:
    editing.insert_scene(db, project_id, 0, SceneData(narration="Zero."))
    editing.delete_scene(db, project_id, 2)
    editing.move_scene(db, project_id, 2, 0)
    with db.session() as session:
        positions = [s.position for s in session.get(Project, project_id).script.scenes]
    assert positions == [0, 1, 2]


def test_voiced_length_counts_only_while_the_narration_is_unchanged(
    db, project_id
) -> None:
    with db.session() as session:
        session.add(
            Asset(
                project_id=project_id,
                kind="narration",
                scene_position=0,
                path="x.wav",
                content_key="k",
                provider="local",
                checksum="c",
                meta={"duration": 2.5, "phrases": [["First scene.", 0.0, 2.5]]},
            )
        )
    assert editing.load_scenes(db, project_id)[0].seconds == 2.5

    editing.update_scene(db, project_id, 0, narration="Now it says something else.")
    scene = editing.load_scenes(db, project_id)[0]
    assert scene.voiced_seconds is None
    assert scene.seconds == pytest.approx(5 / 2.6)


def test_a_dropped_picture_is_copied_and_used_for_the_scene(
    db, storage, project_id, tmp_path
) -> None:
    picture = tmp_path / "Photo.PNG"
    Image.new("RGB", (40, 30), "red").save(picture, format="PNG")

    relative = editing.set_scene_image(db, storage, project_id, 1, picture)

    assert storage.absolute(relative).read_bytes() == picture.read_bytes()
    assert relative.startswith(f"projects/{project_id}/images/")
    assert editing.load_scenes(db, project_id)[1].user_image == relative


def test_a_broken_picture_is_refused_with_a_clear_message(
    db, storage, project_id, tmp_path
) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    with pytest.raises(InputError, match=r"broken\.jpg could not be read"):
        editing.set_scene_image(db, storage, project_id, 0, broken)
    assert editing.load_scenes(db, project_id)[0].user_image is None


def make_tone(path: Path) -> Path:
    subprocess.run(
        [ffmpeg_binary(), "-v", "error", "-f", "lavfi", "-i", "sine=d=0.3", str(path)],
        check=True,
    )
    return path


def test_a_music_file_becomes_the_projects_music_bed(
    db, storage, project_id, tmp_path
) -> None:
    tone = make_tone(tmp_path / "tune.wav")

    relative = editing.set_music(db, storage, project_id, tone)

    assert storage.absolute(relative).read_bytes() == tone.read_bytes()
    with db.session() as session:
        visual = session.get(Project, project_id).visual
    assert visual["music"] == relative
    assert visual["fps"] == 30  # the other settings stay


def test_a_file_without_sound_is_not_music(db, storage, project_id, tmp_path) -> None:
    fake = tmp_path / "notes.mp3"
    fake.write_text("la la la")
    with pytest.raises(InputError, match=r"notes\.mp3"):
        editing.set_music(db, storage, project_id, fake)


def test_the_music_setting_keeps_default_and_none(storage) -> None:
    assert editing.music_setting("default", storage) == "default"
    assert editing.music_setting("none", storage) == "none"
