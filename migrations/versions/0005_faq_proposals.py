"""FAQ proposals in their own table (they were audit-log rows)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('faq_proposals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ticket_number', sa.String(length=24), nullable=False),
    sa.Column('proposed_by', sa.String(length=100), nullable=False),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('entry_id', sa.String(length=80), nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_proposals'))
    )
    with op.batch_alter_table('faq_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faq_proposals_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_faq_proposals_ticket_number'), ['ticket_number'], unique=False)

    # Proposals recorded before this table existed: the log's faq_suggested rows, drafted
    # when a faq_drafted row names the same ticket.
    conn = op.get_bind()
    log = sa.table('audit_log', sa.column('at', sa.DateTime()), sa.column('actor', sa.String()),
                   sa.column('action', sa.String()), sa.column('target', sa.String()), sa.column('detail', sa.Text()))
    drafted = {}
    for row in conn.execute(sa.select(log.c.target, log.c.actor, log.c.at, log.c.detail).where(log.c.action == 'faq_drafted')):
        entry = (row.detail or '').removeprefix('entry ') or None
        drafted[row.target] = (entry, row.actor, row.at)
    proposals = sa.table('faq_proposals', sa.column('ticket_number', sa.String()), sa.column('proposed_by', sa.String()),
                         sa.column('proposed_at', sa.DateTime()), sa.column('note', sa.String()),
                         sa.column('status', sa.String()), sa.column('entry_id', sa.String()),
                         sa.column('closed_by', sa.String()), sa.column('closed_at', sa.DateTime()))
    rows = []
    for row in conn.execute(sa.select(log.c.target, log.c.actor, log.c.at, log.c.detail)
                            .where(log.c.action == 'faq_suggested').order_by(log.c.at)):
        if not row.target or any(r['ticket_number'] == row.target for r in rows):
            continue
        entry, closed_by, closed_at = drafted.get(row.target, (None, None, None))
        rows.append({'ticket_number': row.target[:24], 'proposed_by': row.actor, 'proposed_at': row.at,
                     'note': (row.detail or None) and row.detail[:300], 'status': 'drafted' if closed_by else 'pending',
                     'entry_id': entry, 'closed_by': closed_by, 'closed_at': closed_at})
    if rows:
        op.bulk_insert(proposals, rows)


def downgrade() -> None:
    with op.batch_alter_table('faq_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faq_proposals_ticket_number'))
        batch_op.drop_index(batch_op.f('ix_faq_proposals_status'))
    op.drop_table('faq_proposals')
