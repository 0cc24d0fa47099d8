"""Knowledge-base entries cite their sources structurally (kb/citation.py)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Existing rows get citations read from their free-text source note: FAQ row numbers, regulations
("PP 46/2015 Pasal 31"), the branch profile, official articles and news sites by address. The
note itself stays, for staff.
"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_REGULATION = re.compile(r"^((?:PP|UU|Perpres|Permenaker|Permen\w*|Kepmen\w*|SKB)\s+(?:No\.?\s*)?[\d.]+/\d{4})"
                         r"(?:\s+(Pasal\s+\d+))?", re.IGNORECASE)
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|id|org|net))\b")
_ROWS = re.compile(r"\brows?\s+([\d,\s-]+)")


def _parts(source):
    out, depth, current = [], 0, ""
    for ch in source:
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    out.append(current.strip())
    return [p for p in out if p]


def citations_from_note(source):
    faq, out = [], []
    for part in _parts(source or ""):
        lowered = part.lower()
        if lowered.startswith("bpjsketenagakerjaan.go.id faq"):
            for group in _ROWS.findall(part):
                for item in group.split(","):
                    bounds = [int(x) for x in re.findall(r"\d+", item)]
                    if bounds:
                        faq += list(range(bounds[0], bounds[-1] + 1))
            continue
        if lowered.startswith("branch profile"):
            out.append({"branch": True})
            continue
        regulation = _REGULATION.match(part)
        if regulation:
            item = {"regulation": regulation.group(1)}
            if regulation.group(2):
                item["article"] = regulation.group(2)
            out.append(item)
        for domain in dict.fromkeys(_DOMAIN.findall(lowered)):
            out.append({"url": f"https://{domain}", "title": domain})
    if faq:
        out.insert(0, {"faq": sorted(set(faq))})
    return out or [{"url": "https://www.bpjsketenagakerjaan.go.id", "title": "bpjsketenagakerjaan.go.id"}]


def upgrade() -> None:
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('citations', sa.JSON(), nullable=True))
    conn = op.get_bind()
    entries = sa.table('kb_entries', sa.column('id', sa.String()), sa.column('source', sa.String()),
                       sa.column('citations', sa.JSON()))
    for entry_id, source in conn.execute(sa.select(entries.c.id, entries.c.source)).fetchall():
        conn.execute(entries.update().where(entries.c.id == entry_id)
                     .values(citations=citations_from_note(source)))
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.alter_column('citations', existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.drop_column('citations')
