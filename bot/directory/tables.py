"""The legal-aid directory in the database: one row per organization, one row per list item.

The directory is public information about organizations, never about a person. It is loaded
from ``flows/legal_aid/providers.yaml`` at start-up and on reload (the YAML stays the one place
editors change); the tables exist so the service and reports can search it with SQL.
Lists (services, languages, courts, states served, cost, serves_only) are rows of
``legal_aid_provider_item`` keyed by field and position, so their order survives a round trip.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.directory.model import LIST_FIELDS
from bot.store.models import Base

__all__ = ["LIST_FIELDS", "ProviderItemRow", "ProviderRow"]


class ProviderRow(Base):
    """One organization, in the order of the file (``position``)."""

    __tablename__ = "legal_aid_provider"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    city: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    state: Mapped[str | None] = mapped_column(String(2), nullable=True, index=True)
    nationwide: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    remote: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    interpretation: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    phone: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    website: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    hours: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    doj_recognized: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    last_verified: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    source_date: Mapped[str | None] = mapped_column(String(11), nullable=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    items: Mapped[list[ProviderItemRow]] = relationship(
        back_populates="provider",
        cascade="all, delete-orphan",
        order_by="(ProviderItemRow.field, ProviderItemRow.position)",
        lazy="selectin",
    )


class ProviderItemRow(Base):
    """One item of one of a provider's lists, e.g. (``raices``, ``services``, 0, ``asylum``)."""

    __tablename__ = "legal_aid_provider_item"
    __table_args__ = (Index("ix_legal_aid_provider_item_field_value", "field", "value"),)

    provider_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("legal_aid_provider.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(String(100), nullable=False)

    provider: Mapped[ProviderRow] = relationship(back_populates="items")
