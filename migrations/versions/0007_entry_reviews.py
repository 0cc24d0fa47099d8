"""Knowledge-base entries record their last review (who, when, the cited FAQ rows' fingerprint)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_at', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('reviewed_digest', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.drop_column('reviewed_digest')
        batch_op.drop_column('reviewed_by')
        batch_op.drop_column('reviewed_at')
