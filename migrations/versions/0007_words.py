"""The word index of the list searches

A list search read every row's names and notes (30,000 visits in 10 ms on SQLite, 300,000 in 60-100 ms on
PostgreSQL). Each searched kind of record gets a table of its words (crm.core.words): an FTS5 table on SQLite,
a tsvector with a GIN index on PostgreSQL. The search reads the records holding the typed words, and its LIKE
then decides among those few. The records already there are indexed here.

Revision ID: 0007_words
Revises: 0006_confidential
"""
from alembic import op

from crm.core import words


revision = '0007_words'
down_revision = '0006_confidential'
branch_labels = None
depends_on = None

# The searched columns of each table, as crm.core.words indexes them (each model's __words__).
INDEXED = {
    'enterprises': ('name', 'local_name', 'city'),
    'contacts': ('name', 'local_name', 'title'),
    'trips': ('title', 'local_title', 'objectives', 'destination_cities'),
    'visits': ('purpose', 'discussed', 'commitments', 'city'),
    'investment_projects': ('name', 'local_title', 'code_name'),
    'follow_ups': ('title',),
}


def upgrade():
    bind = op.get_bind()
    words.create_tables(bind, INDEXED)
    for records, columns in INDEXED.items():
        words.fill(bind, records, columns)


def downgrade():
    words.drop_tables(op.get_bind(), INDEXED)
