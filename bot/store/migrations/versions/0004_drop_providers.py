"""Drop the legal-aid tables: the directory is searched in memory, from the YAML, only.

The tables were refilled from ``flows/legal_aid/`` at every start and reload and searched only by
tests; ``bot.directory.search`` is the one search. They held public information about
organisations (never about people), so nothing is lost: the YAML stays the source.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_legal_aid_provider_item_field_value", "legal_aid_provider_item")
    op.drop_table("legal_aid_provider_item")
    op.drop_index("ix_legal_aid_provider_state", "legal_aid_provider")
    op.drop_table("legal_aid_provider")


def downgrade() -> None:
    op.create_table(
        "legal_aid_provider",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("state", sa.String(2), nullable=True),
        sa.Column("nationwide", sa.Boolean(), nullable=False),
        sa.Column("remote", sa.Boolean(), nullable=False),
        sa.Column("interpretation", sa.Boolean(), nullable=True),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("website", sa.String(300), nullable=False),
        sa.Column("hours", sa.String(300), nullable=False),
        sa.Column("doj_recognized", sa.Boolean(), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_date", sa.String(11), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
    )
    op.create_index("ix_legal_aid_provider_state", "legal_aid_provider", ["state"])
    op.create_table(
        "legal_aid_provider_item",
        sa.Column(
            "provider_id",
            sa.String(40),
            sa.ForeignKey("legal_aid_provider.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("field", sa.String(20), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("value", sa.String(100), nullable=False),
    )
    op.create_index(
        "ix_legal_aid_provider_item_field_value", "legal_aid_provider_item", ["field", "value"]
    )
