"""The watch_urls table of `vigil watch` (issue 7), until now created by the watcher itself.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 15:00:00

A database on which an older `vigil watch` already created the table keeps it and its rows:
the old definition is the one below (same columns, same index name), so there is nothing to
change, only the revision to record.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("watch_urls"):
        return
    op.create_table(
        "watch_urls",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("article_id", sa.String(length=64), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("feed", sa.Text(), nullable=True),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_watch_urls")),
    )
    with op.batch_alter_table("watch_urls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_urls_article_id"), ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("watch_urls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_urls_article_id"))
    op.drop_table("watch_urls")
