"""The branch profiles table (one row per branch, the profile as JSON)."""
from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, String

from core.db import Base, utcnow


class BranchProfileRow(Base):
    __tablename__ = "branch_profiles"

    code = Column(String(40), primary_key=True)
    data = Column(JSON, nullable=False)
    updated_by = Column(String(100), nullable=False)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
