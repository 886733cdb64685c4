"""Prompt templates in a real SQLite database: seeding the built-in ones,
reading them, and saving the creator's own without touching the built-ins."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from core.db import Database, upgrade
from core.errors import InputError
from core.models import PromptTemplate
from core.script.templates import (
    PLACEHOLDERS,
    Template,
    default_templates,
    ensure_default_templates,
    get_template,
    list_templates,
    save_template,
)

BUILTIN = ["explainer", "listicle", "story"]


@pytest.fixture
def db(tmp_path: Path):
    """The schema without the seeding ``Database.migrate`` also does."""
    database = Database(f"sqlite:///{tmp_path}/db.sqlite3")
    upgrade(database.engine)
    yield database
    database.dispose()


def test_opening_a_database_seeds_the_builtin_templates(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path}/seeded.sqlite3").migrate()
    assert rows(database) == [(name, True) for name in BUILTIN]
    database.dispose()


def rows(db: Database) -> list[tuple[str, bool]]:
    with db.session() as session:
        found = session.scalars(select(PromptTemplate).order_by(PromptTemplate.name))
        return [(row.name, row.builtin) for row in found]


def test_the_app_ships_three_templates_using_only_known_placeholders():
    templates = default_templates()

    assert [t.name for t in templates] == BUILTIN
    for template in templates:
        used = set(re.findall(r"\{(\w+)\}", template.body))
        assert "content" in used
        assert used <= set(PLACEHOLDERS)
        assert template.target_seconds > 0 and template.tone and template.builtin


def test_seeding_twice_changes_nothing_the_second_time(db):
    with db.session() as session:
        first = ensure_default_templates(session)
    with db.session() as session:
        second = ensure_default_templates(session)

    assert (first, second) == (3, 0)
    assert rows(db) == [(name, True) for name in BUILTIN]


def test_seeding_restores_a_builtin_row_whose_text_changed(db):
    with db.session() as session:
        ensure_default_templates(session)
    with db.session() as session:
        row = session.scalars(
            select(PromptTemplate).where(PromptTemplate.name == "story")
        ).one()
        row.body = "stale {content}"

    with db.session() as session:
        changed = ensure_default_templates(session)
        story = get_template(session, "story")

    assert changed == 1
    assert story.body == next(t.body for t in default_templates() if t.name == "story")


def test_seeding_leaves_a_creators_template_with_a_builtin_name_alone(db, caplog):
    with db.session() as session:
        session.add(PromptTemplate(name="story", body="mine {content}", builtin=False))

    with db.session() as session:
        ensure_default_templates(session)
        story = get_template(session, "story")

    assert story.body == "mine {content}"
    assert not story.builtin
    assert "'story' was not installed" in caplog.text


def test_get_template_reads_the_shipped_one_before_seeding(db):
    with db.session() as session:
        explainer = get_template(session, "explainer")

    assert explainer.builtin
    assert "{content}" in explainer.body


def test_an_unknown_template_name_lists_every_known_one(db):
    with db.session() as session:
        save_template(session, Template("my-howto", "How to: {content}"))
    with db.session() as session, pytest.raises(InputError) as caught:
        get_template(session, "poem")

    assert "'poem'" in caught.value.message
    assert "explainer, listicle, my-howto, story" in caught.value.message


def test_a_builtin_template_cannot_be_overwritten(db):
    with db.session() as session:
        ensure_default_templates(session)
    with db.session() as session, pytest.raises(InputError) as caught:
        save_template(session, Template("explainer", "Shorter: {content}"))

    assert "built-in" in caught.value.message
    assert "another name" in caught.value.message
    with db.session() as session:
        assert get_template(session, "explainer").body.startswith("Write the script")


def test_a_builtin_name_is_refused_even_before_seeding(db):
    with db.session() as session, pytest.raises(InputError, match="built-in"):
        save_template(session, Template("story", "Mine: {content}"))


def test_a_copy_under_another_name_is_saved_and_can_be_changed(db):
    copy = Template("explainer-short", "Shorter: {content}", 60, "brisk", True)
    with db.session() as session:
        saved = save_template(session, copy)
    with db.session() as session:
        save_template(session, Template("explainer-short", "Shortest: {content}"))
    with db.session() as session:
        again = get_template(session, "explainer-short")
        names = [t.name for t in list_templates(session)]

    assert saved.builtin is False  # a creator cannot make a built-in
    assert again.body == "Shortest: {content}"
    assert names == ["explainer-short"]


@pytest.mark.parametrize(
    ("template", "complaint"),
    [
        (Template("no-content", "Just talk."), "no {content} placeholder"),
        (Template("", "{content}"), "needs a name"),
        (Template(" padded", "{content}"), "needs a name"),
        (Template("zero", "{content}", target_seconds=0), "more than zero"),
    ],
)
def test_an_unusable_template_is_refused(db, template, complaint):
    with db.session() as session, pytest.raises(InputError) as caught:
        save_template(session, template)

    assert complaint in caught.value.message
    assert rows(db) == []
