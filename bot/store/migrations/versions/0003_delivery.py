"""Delivery marks: which updates were answered (ids only) and what of an answer is left to send.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("update_id", sa.String(128), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("outbox", sa.Text(), nullable=True),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_delivery_created_at", "delivery", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_delivery_created_at", "delivery")
    op.drop_table("delivery")
