"""Prompt templates: how a cloud script writer is asked to shape the video.

A template is a text with placeholders (``{content}``, ``{language_name}``,
``{target_seconds}``, ``{tone}``, ``{scene_seconds}``, ``{scene_count}``),
a target length and a tone. The built-in ones ship as Markdown files with
TOML front matter in ``resources/prompts``; ``ensure_default_templates``
copies them into the ``prompt_templates`` table, where the creator's own
templates live beside them. Built-in rows belong to the app: a creator edits
a copy saved under another name.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InputError
from core.models import PromptTemplate
from core.resources import resources_dir

logger = logging.getLogger(__name__)

PLACEHOLDERS = (
    "content",
    "language_name",
    "target_seconds",
    "tone",
    "scene_seconds",
    "scene_count",
)
MAX_NAME_CHARS = 80  # the width of prompt_templates.name
_FRONT_MATTER = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n(.*)\Z", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Template:
    """One way of asking for a script."""

    name: str
    body: str
    target_seconds: float = 120.0  # the length of video to aim for
    tone: str = "friendly"
    builtin: bool = False

    @property
    def digest(self) -> str:
        """A short hash of the body, so a changed template makes a new script."""
        return hashlib.sha256(self.body.encode()).hexdigest()[:16]

    def fill(self, values: dict[str, object]) -> str:
        """The body with its placeholders replaced by ``values``.

        Unknown names in braces stay as written, so a template may show the
        model a literal ``{example}`` without breaking.
        """

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            return str(values[name]) if name in values else match.group(0)

        return _PLACEHOLDER.sub(replace, self.body)


def prompts_dir() -> Path:
    return resources_dir() / "prompts"


def default_templates() -> list[Template]:
    """The templates that ship with the app, sorted by name."""
    files = sorted(prompts_dir().glob("*.md"))
    return sorted((_read_template(path) for path in files), key=lambda t: t.name)


def ensure_default_templates(session: Session) -> int:
    """Insert or refresh the built-in rows; return how many changed.

    Running it again changes nothing, so every process may call it at start.
    """
    changed = 0
    for template in default_templates():
        row = _row(session, template.name)
        if row is None:
            session.add(_new_row(template))
            changed += 1
        elif not row.builtin:
            # Saved before this template shipped; the creator's row wins.
            logger.warning(
                "The built-in prompt template %r was not installed: a template "
                "of yours has that name.",
                template.name,
            )
        elif _differs(row, template):
            _copy_into(row, template)
            changed += 1
    session.flush()
    return changed


def list_templates(session: Session) -> list[Template]:
    """Every template in the database, built-in ones included, by name."""
    rows = session.scalars(select(PromptTemplate).order_by(PromptTemplate.name))
    return [_from_row(row) for row in rows]


def get_template(session: Session, name: str) -> Template:
    """The template called ``name``; the shipped one if it is not seeded yet."""
    row = _row(session, name)
    if row is not None:
        return _from_row(row)
    shipped = {template.name: template for template in default_templates()}
    if name in shipped:
        return shipped[name]
    known = sorted({t.name for t in list_templates(session)} | set(shipped))
    raise InputError(
        f"There is no prompt template called {name!r}. "
        f"Choose one of: {', '.join(known)}."
    )


def save_template(session: Session, template: Template) -> Template:
    """Save one of the creator's templates, new or changed; return it as saved."""
    _check(template)
    row = _row(session, template.name)
    builtin_names = {t.name for t in default_templates()}
    if (row is not None and row.builtin) or template.name in builtin_names:
        raise InputError(
            f"{template.name!r} is a built-in prompt template and cannot be "
            "changed. Save your version under another name."
        )
    saved = Template(
        name=template.name,
        body=template.body,
        target_seconds=template.target_seconds,
        tone=template.tone,
        builtin=False,
    )
    if row is None:
        session.add(_new_row(saved))
    else:
        _copy_into(row, saved)
    session.flush()
    return saved


def _check(template: Template) -> None:
    name = template.name.strip()
    if not name or name != template.name or len(name) > MAX_NAME_CHARS:
        raise InputError(
            f"A prompt template needs a name of 1 to {MAX_NAME_CHARS} characters "
            "without spaces at either end."
        )
    if "{content}" not in template.body:
        raise InputError(
            f"The prompt template {name!r} has no {{content}} placeholder, so the "
            "model would never see your content. Add {content} where it belongs."
        )
    if not template.target_seconds > 0:
        raise InputError(
            f"The target length of the prompt template {name!r} must be more "
            "than zero seconds."
        )


def _read_template(path: Path) -> Template:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ValueError(f"{path} does not start with +++ TOML front matter +++.")
    meta = tomllib.loads(match.group(1))
    return Template(
        name=meta.get("name", path.stem),
        body=match.group(2).strip() + "\n",
        target_seconds=float(meta.get("target_seconds", 120.0)),
        tone=meta.get("tone", "friendly"),
        builtin=True,
    )


def _row(session: Session, name: str) -> PromptTemplate | None:
    query = select(PromptTemplate).where(PromptTemplate.name == name)
    return session.scalars(query).first()


def _new_row(template: Template) -> PromptTemplate:
    row = PromptTemplate(name=template.name)
    _copy_into(row, template)
    return row


def _copy_into(row: PromptTemplate, template: Template) -> None:
    row.body = template.body
    row.target_seconds = template.target_seconds
    row.tone = template.tone
    row.builtin = template.builtin


def _differs(row: PromptTemplate, template: Template) -> bool:
    return (row.body, row.target_seconds, row.tone) != (
        template.body,
        template.target_seconds,
        template.tone,
    )


def _from_row(row: PromptTemplate) -> Template:
    return Template(
        name=row.name,
        body=row.body,
        target_seconds=row.target_seconds,
        tone=row.tone,
        builtin=row.builtin,
    )
