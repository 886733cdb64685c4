"""The database model: projects, their scripts, scenes, assets and stage runs.

Stage state lives here (not in the broker) so that any process, after any
crash, can read what is done and what is still owed. Paths are relative to
the storage root; secrets never enter these tables.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class StageState(enum.StrEnum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    content_blocks: Mapped[list] = mapped_column(JSON, default=list)
    source_name: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(16), default="en")
    format: Mapped[str] = mapped_column(String(16), default="landscape")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    providers: Mapped[dict] = mapped_column(JSON, default=dict)
    youtube: Mapped[dict] = mapped_column(JSON, default=dict)  # privacy, tags...
    visual: Mapped[dict] = mapped_column(JSON, default=dict)  # music, style...
    output: Mapped[dict] = mapped_column(JSON, default=dict)  # relative paths
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    script: Mapped[Script | None] = relationship(
        back_populates="project", cascade="all, delete-orphan", uselist=False
    )
    stages: Mapped[list[StageRun]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )


class Script(Base):
    __tablename__ = "scripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(16), default="en")
    writer: Mapped[str] = mapped_column(String(40), default="local")

    project: Mapped[Project] = relationship(back_populates="script")
    scenes: Mapped[list[Scene]] = relationship(
        back_populates="script",
        cascade="all, delete-orphan",
        order_by="Scene.position",
    )


class Scene(Base):
    __tablename__ = "scenes"
    __table_args__ = (UniqueConstraint("script_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    script_id: Mapped[int] = mapped_column(ForeignKey("scripts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    narration: Mapped[str] = mapped_column(Text)
    image_prompt: Mapped[str] = mapped_column(Text, default="")
    on_screen_text: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str | None] = mapped_column(String(300))
    duration: Mapped[float] = mapped_column(Float, default=0.0)  # seconds
    user_image: Mapped[str | None] = mapped_column(String(1000))  # relative path

    script: Mapped[Script] = relationship(back_populates="scenes")


class Asset(Base):
    """A file a stage made. One row per (project, kind, scene, content key)."""

    __tablename__ = "assets"
    __table_args__ = (UniqueConstraint("project_id", "kind", "scene_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))  # narration, image, video...
    scene_position: Mapped[int] = mapped_column(Integer, default=-1)  # -1: project
    path: Mapped[str] = mapped_column(String(1000))  # relative to storage
    content_key: Mapped[str] = mapped_column(String(64), index=True)
    provider: Mapped[str] = mapped_column(String(64))
    checksum: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict] = mapped_column(JSON, default=dict)  # timings, seed...
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )


class StageRun(Base):
    """The latest known state of one stage (or one scene of a stage)."""

    __tablename__ = "stage_runs"
    __table_args__ = (UniqueConstraint("project_id", "stage", "scene_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE")
    )
    stage: Mapped[str] = mapped_column(String(32))
    scene_position: Mapped[int] = mapped_column(Integer, default=-1)
    state: Mapped[StageState] = mapped_column(
        Enum(StageState, native_enum=False, length=16), default=StageState.PENDING
    )
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    message: Mapped[str] = mapped_column(Text, default="")
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error_message: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(120))  # host:pid that ran it
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    project: Mapped[Project] = relationship(back_populates="stages")


class UsageRecord(Base):
    """One call to a paid service: appended, never updated, so concurrent
    stages cannot overwrite each other's counts."""

    __tablename__ = "usage_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    provider: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(16))  # tokens, characters, images
    amount: Mapped[float] = mapped_column(Float)
    cost_usd: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )


class PromptTemplate(Base):
    __tablename__ = "prompt_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    body: Mapped[str] = mapped_column(Text)
    target_seconds: Mapped[float] = mapped_column(Float, default=120.0)
    tone: Mapped[str] = mapped_column(String(80), default="friendly")
    builtin: Mapped[bool] = mapped_column(default=False)
