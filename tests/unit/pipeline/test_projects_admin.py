"""Listing, renaming, duplicating, deleting and restoring projects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.content import content_from_text
from core.db import Database
from core.errors import InputError
from core.models import Asset, Project, Scene, Script, StageRun, StageState
from core.pipeline import projects_admin as admin
from core.pipeline.project import create_project
from core.storage import Storage


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path}/db.sqlite3").migrate()
    yield database
    database.dispose()


@pytest.fixture
def storage(tmp_path: Path) -> Storage:
    return Storage(tmp_path / "storage")


def new_project(db: Database, name: str, status: str = "draft") -> int:
    project_id = create_project(db, content_from_text("Some words.", name), name=name)
    with db.session() as session:
        session.get(Project, project_id).status = status
    return project_id


def add_script(db: Database, storage: Storage, project_id: int) -> None:
    """Two scenes, the first with the creator's own picture, plus a rendered
    video and thumbnail."""
    folder = storage.project_dir(project_id)
    (folder / "inputs").mkdir(parents=True)
    (folder / "inputs" / "cat.png").write_bytes(b"picture")
    (folder / "output").mkdir()
    (folder / "output" / "thumbnail.jpg").write_bytes(b"jpeg")
    prefix = f"projects/{project_id}"
    with db.session() as session:
        project = session.get(Project, project_id)
        project.script = Script(title="Cats", tags=["cats"])
        project.script.scenes = [
            Scene(position=0, narration="One.", user_image=f"{prefix}/inputs/cat.png"),
            Scene(position=1, narration="Two.", image_prompt="a dog"),
        ]
        project.output = {"thumbnail": f"{prefix}/output/thumbnail.jpg"}
        session.add(
            Asset(
                project_id=project_id,
                kind="video",
                path=f"{prefix}/output/video.mp4",
                content_key="k",
                provider="ffmpeg",
                checksum="c",
            )
        )


def names(summaries: list[admin.ProjectSummary]) -> list[str]:
    return [summary.name for summary in summaries]


def test_listing_shows_each_project_with_its_status_and_thumbnail(db, storage):
    drafted = new_project(db, "Drafted")
    rendered = new_project(db, "Rendered", status="rendered")
    add_script(db, storage, rendered)

    found = {s.id: s for s in admin.list_projects(db, storage)}

    assert found[drafted].status == "draft" and found[drafted].thumbnail is None
    assert found[rendered].status == "done"
    assert found[rendered].thumbnail == (
        storage.project_dir(rendered) / "output" / "thumbnail.jpg"
    )


def test_search_matches_part_of_the_name_in_any_case(db, storage):
    for name in ("River Valleys", "Mountain rivers", "城市的河流", "100% cotton"):
        new_project(db, name)

    assert sorted(names(admin.list_projects(db, storage, search="RIVER"))) == [
        "Mountain rivers",
        "River Valleys",
    ]
    assert names(admin.list_projects(db, storage, search="河流")) == ["城市的河流"]
    assert names(admin.list_projects(db, storage, search="0%")) == ["100% cotton"]


def test_sorting_by_recent_name_and_status(db, storage):
    new_project(db, "banana", status="done")
    new_project(db, "Apple", status="failed")
    new_project(db, "cherry", status="running")

    assert names(admin.list_projects(db, storage, sort="recent")) == [
        "cherry",
        "Apple",
        "banana",
    ]
    assert names(admin.list_projects(db, storage, sort="name")) == [
        "Apple",
        "banana",
        "cherry",
    ]
    assert names(admin.list_projects(db, storage, sort="status")) == [
        "cherry",
        "Apple",
        "banana",
    ]
    with pytest.raises(InputError):
        admin.list_projects(db, storage, sort="size")


def test_rename_stores_the_tidied_name_and_refuses_an_empty_one(db, storage):
    project_id = new_project(db, "Old")

    assert admin.rename_project(db, project_id, "  New   name ") == "New name"
    assert admin.project_summary(db, storage, project_id).name == "New name"
    with pytest.raises(InputError, match="needs a name"):
        admin.rename_project(db, project_id, "   ")


def test_duplicate_copies_content_script_and_pictures_but_not_outputs(db, storage):
    source = new_project(db, "Cats", status="done")
    add_script(db, storage, source)

    copy = admin.duplicate_project(db, storage, source)

    with db.session() as session:
        project = session.get(Project, copy)
        assert project.name == "Cats (copy)"
        assert project.status == "draft" and project.output == {}
        assert project.content == "Some words."
        scenes = project.script.scenes
        assert [scene.narration for scene in scenes] == ["One.", "Two."]
        assert scenes[0].user_image == f"projects/{copy}/inputs/cat.png"
        assert session.query(Asset).filter_by(project_id=copy).count() == 0
    copied = storage.project_dir(copy)
    assert (copied / "inputs" / "cat.png").read_bytes() == b"picture"
    assert not (copied / "output").exists()


def test_deleted_project_leaves_the_list_and_restores_whole(db, storage):
    project_id = new_project(db, "Cats")
    add_script(db, storage, project_id)

    entry = admin.delete_project(db, storage, project_id)

    assert admin.list_projects(db, storage) == []
    assert not storage.project_dir(project_id).exists()
    assert [e.name for e in admin.list_trash(storage)] == ["Cats"]

    restored = admin.restore_project(db, storage, entry.token)

    assert restored == project_id
    with db.session() as session:
        project = session.get(Project, restored)
        assert [scene.narration for scene in project.script.scenes] == ["One.", "Two."]
        assert session.query(Asset).filter_by(project_id=restored).count() == 1
    assert (storage.project_dir(restored) / "inputs" / "cat.png").is_file()
    assert admin.list_trash(storage) == []


def test_restore_moves_paths_along_when_the_old_id_was_taken(db, storage):
    new_project(db, "First")
    cats = new_project(db, "Cats")
    add_script(db, storage, cats)
    entry = admin.delete_project(db, storage, cats)
    with db.session() as session:
        session.add(Project(id=cats, name="Newcomer", content="Hi."))

    restored = admin.restore_project(db, storage, entry.token)

    assert restored != cats
    prefix = f"projects/{restored}/"
    with db.session() as session:
        project = session.get(Project, restored)
        assert project.output["thumbnail"].startswith(prefix)
        assert project.script.scenes[0].user_image.startswith(prefix)
        asset = session.query(Asset).filter_by(project_id=restored).one()
        assert asset.path.startswith(prefix)
    assert (storage.project_dir(restored) / "output" / "thumbnail.jpg").is_file()


def test_a_project_deleted_mid_work_comes_back_stopped(db, storage):
    project_id = new_project(db, "Busy", status="running")
    with db.session() as session:
        session.add(
            StageRun(project_id=project_id, stage="audio", state=StageState.RUNNING)
        )
    entry = admin.delete_project(db, storage, project_id)

    admin.restore_project(db, storage, entry.token)

    with db.session() as session:
        assert session.get(Project, project_id).status == "cancelled"
        run = session.query(StageRun).filter_by(project_id=project_id).one()
        assert run.state is StageState.CANCELLED


def test_restoring_twice_says_the_project_is_gone(db, storage):
    entry = admin.delete_project(db, storage, new_project(db, "Once"))
    admin.restore_project(db, storage, entry.token)

    with pytest.raises(InputError, match="no longer in the trash"):
        admin.restore_project(db, storage, entry.token)


def test_emptying_the_trash_removes_only_old_entries(db, storage):
    old = admin.delete_project(db, storage, new_project(db, "Old"))
    admin.delete_project(db, storage, new_project(db, "Recent"))
    saved = storage.root / "trash" / old.token / "project.json"
    data = json.loads(saved.read_text())
    data["deleted_at"] -= 40 * 24 * 3600
    saved.write_text(json.dumps(data))

    assert admin.empty_trash(storage, older_than_days=30) == 1
    assert [entry.name for entry in admin.list_trash(storage)] == ["Recent"]
