"""Branch profiles in the database: admins' edits win over the version-controlled files."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from sqlalchemy import select

from accounts import audit
from branch.models import BranchProfileRow
from branch.profile import BranchError, BranchProfile, read_profile_file
from core.db import Database, utcnow

# The actor of loads from files (not an admin's edit): a later file load may replace its rows.
LOADER = "content-loader"


class BranchStore:
    def __init__(self, db: Database):
        self.db = db

    def get(self, code: str) -> Optional[BranchProfile]:
        with self.db.session() as s:
            row = s.get(BranchProfileRow, code)
            return BranchProfile.from_dict(row.data) if row else None

    def updated_by(self, code: str) -> Optional[str]:
        with self.db.session() as s:
            return s.execute(select(BranchProfileRow.updated_by).where(BranchProfileRow.code == code)).scalar_one_or_none()

    def save(self, profile: BranchProfile, actor: str, source: str = "system") -> List[str]:
        """Store a profile; the fields that changed are audited in the same transaction and returned."""
        profile.check()
        with self.db.session() as s:
            row = s.get(BranchProfileRow, profile.code)
            before = _normalized(row.data) if row else {}
            if row is None:
                row = BranchProfileRow(code=profile.code)
                s.add(row)
            after = profile.to_dict()
            changed = sorted(k for k in after if before.get(k) != after.get(k))
            if not changed:
                return []
            row.data = after
            row.updated_by = actor
            row.updated_at = utcnow()
            audit.add(s, actor, "branch_profile_changed", profile.code, ", ".join(changed), source)
            return changed

    def sync_from_file(self, path: Union[str, Path]) -> str:
        """Load a profile file unless an admin has edited that branch in the database since."""
        profile = read_profile_file(path)
        current = self.get(profile.code)
        if current is None:
            self.save(profile, LOADER, source="loader")
            return "created"
        if current.to_dict() == profile.to_dict():
            return "unchanged"
        if self.updated_by(profile.code) != LOADER:
            return "kept admin edits"
        self.save(profile, LOADER, source="loader")
        return "updated"


def _normalized(data: Dict[str, Any]) -> Dict[str, Any]:
    """A stored profile as it is saved now, so that an older form of the same facts (plain holiday
    dates) is no change; the stored data itself when it no longer reads."""
    try:
        return BranchProfile.from_dict(data).to_dict()
    except BranchError:
        return dict(data)
