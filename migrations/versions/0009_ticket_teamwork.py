"""Tickets for a team: merged duplicates, reply templates, a topic on every ticket

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# What a new installation starts with; admins edit them under "Templat balasan".
TEMPLATES = [
    ("Minta data tambahan",
     "Agar tiket {nomor_tiket} dapat kami proses, mohon kirim data berikut dengan membalas pesan ini: ...\n\n"
     "Setelah data kami terima, petugas melanjutkan penanganan {batas_waktu}.",
     "To process ticket {nomor_tiket}, please send the following by replying to this message: ...\n\n"
     "Once we have it, staff continue {batas_waktu}."),
    ("Sedang diproses",
     "Tiket {nomor_tiket} sedang kami proses. Kami kabari hasilnya {batas_waktu}.",
     "Ticket {nomor_tiket} is being processed. We will let you know the result {batas_waktu}."),
    ("Datang ke kantor cabang",
     "Untuk tiket {nomor_tiket}, masalah ini perlu diselesaikan langsung di kantor cabang {nama_cabang} "
     "({jam_kantor}). Bawa KTP dan kartu peserta, lalu sebutkan nomor tiket {nomor_tiket} kepada petugas.",
     "For ticket {nomor_tiket}, this has to be settled at the {nama_cabang} branch office ({jam_kantor}). "
     "Bring your ID card and membership card and mention ticket {nomor_tiket} to the staff."),
]
# How far back a ticket without a topic takes the topic of the participant's last answered question.
TOPIC_LOOKBACK = dt.timedelta(hours=24)


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into', sa.String(length=24), nullable=True))
        batch_op.create_index(batch_op.f('ix_tickets_merged_into'), ['merged_into'], unique=False)

    templates = op.create_table('reply_templates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body_id', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_templates'))
    )
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    op.bulk_insert(templates, [{'title': t, 'body_id': b_id, 'body_en': b_en, 'active': True,
                                'updated_by': 'migration', 'updated_at': now, 'created_at': now}
                               for t, b_id, b_en in TEMPLATES])
    _backfill_topics()


def _backfill_topics() -> None:
    """Tickets opened without a topic get their best answer candidate's, else the topic the participant's
    conversation was last answered on (knowledge topics are the codes with a dot: jht.balance)."""
    conn = op.get_bind()
    tickets = sa.table('tickets', sa.column('id', sa.Integer()), sa.column('sender_id', sa.String()),
                       sa.column('topic', sa.String()), sa.column('candidates', sa.JSON()),
                       sa.column('created_at', sa.DateTime()))
    turns = sa.table('turns', sa.column('sender_id', sa.String()), sa.column('topic', sa.String()),
                     sa.column('at', sa.DateTime()))
    rows = conn.execute(sa.select(tickets.c.id, tickets.c.sender_id, tickets.c.candidates, tickets.c.created_at)
                        .where(tickets.c.topic.is_(None))).all()
    for row in rows:
        topic = next((c.get('topic') for c in (row.candidates or []) if isinstance(c, dict)
                      and '.' in str(c.get('topic') or '')), None)
        if topic is None:
            topic = conn.execute(sa.select(turns.c.topic).where(
                turns.c.sender_id == row.sender_id, turns.c.topic.like('%.%'),
                turns.c.at <= row.created_at + dt.timedelta(minutes=1),
                turns.c.at >= row.created_at - TOPIC_LOOKBACK).order_by(turns.c.at.desc()).limit(1)).scalar()
        if topic:
            conn.execute(tickets.update().where(tickets.c.id == row.id).values(topic=str(topic)[:64]))


def downgrade() -> None:
    op.drop_table('reply_templates')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_merged_into'))
        batch_op.drop_column('merged_into')
