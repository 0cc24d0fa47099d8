"""Participants' satisfaction with resolved tickets, the monthly review's SERVQUAL rules and improvement actions

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ticket_satisfaction',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.String(length=128), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('commented_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_satisfaction_ticket_id_tickets'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_satisfaction')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_ticket_satisfaction_ticket_id'))
    )
    with op.batch_alter_table('ticket_satisfaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_satisfaction_asked_at'), ['asked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_satisfaction_rated_at'), ['rated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_satisfaction_sender_id'), ['sender_id'], unique=False)

    op.create_table('servqual_rules',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('rules', sa.JSON(), nullable=True),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_servqual_rules'))
    )

    op.create_table('improvement_actions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('review_month', sa.Date(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('topic', sa.String(length=64), nullable=True),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('kb_entry_id', sa.String(length=80), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_improvement_actions'))
    )
    with op.batch_alter_table('improvement_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_actions_review_month'), ['review_month'], unique=False)
        batch_op.create_index(batch_op.f('ix_improvement_actions_topic'), ['topic'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('improvement_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_improvement_actions_topic'))
        batch_op.drop_index(batch_op.f('ix_improvement_actions_review_month'))
    op.drop_table('improvement_actions')
    op.drop_table('servqual_rules')
    with op.batch_alter_table('ticket_satisfaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_satisfaction_sender_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_satisfaction_rated_at'))
        batch_op.drop_index(batch_op.f('ix_ticket_satisfaction_asked_at'))
    op.drop_table('ticket_satisfaction')
