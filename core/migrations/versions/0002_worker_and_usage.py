"""Record which worker ran a stage, and what a project used.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stage_runs") as batch:
        batch.add_column(sa.Column("worker", sa.String(length=120), nullable=True))
    with op.batch_alter_table("projects") as batch:
        batch.add_column(
            sa.Column("usage", sa.JSON(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.drop_column("usage")
    with op.batch_alter_table("stage_runs") as batch:
        batch.drop_column("worker")
