"""PostgreSQL's word index keeps neighbouring words as pairs, not positions

A GIN index keeps no positions, so PostgreSQL checked a phrase ("Bench Suzhou", 苏州) record by record among
all those holding its words: 20 ms for 21,000 visits at a province's volume. Its tsvectors now hold each Latin
word joined to the word after it (crm.core.words.lexemes_of), and a phrase is looked up by those pairs, which
the index answers alone. The records' words are written again in that form; SQLite's FTS5 tables keep their
positions and are left as they are.

Revision ID: 0008_word_pairs
Revises: 0007_words
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from crm.core import words


revision = '0008_word_pairs'
down_revision = '0007_words'
branch_labels = None
depends_on = None

# The searched columns of each table, as at 0007 (each model's __words__).
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
    if bind.dialect.name != 'postgresql':
        return
    for records, columns in INDEXED.items():
        words.fill(bind, records, columns)


def downgrade():
    """Back to 0007's tsvectors: each word with its positions, for its phrase queries ('a' <-> 'b':*)."""
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for records, columns in INDEXED.items():
        table = sa.table(words.table_name(records), sa.column('record_id', sa.Integer), sa.column('words'))
        insert = table.insert().values(
            record_id=sa.bindparam('id'), words=sa.cast(sa.bindparam('text'), postgresql.TSVECTOR)
        )
        for rows in words.texts_in_batches(bind, records, list(columns), 2000):
            bind.execute(table.delete().where(table.c.record_id.in_([row[0] for row in rows])))
            bind.execute(insert, [{'id': row[0], 'text': _positions_text(words.words_of(row[1:]))} for row in rows])


def _positions_text(record_words: list[str]) -> str:
    """0007's text form of a tsvector: each word with its positions ('bench':1 'suzhou':2,9)."""
    positions: dict[str, list[str]] = {}
    for position, word in enumerate(record_words, start=1):
        kept = positions.setdefault(word, [])
        if len(kept) < 256:
            kept.append(str(min(position, 16_383)))
    return ' '.join(f"'{word}':{','.join(at)}" for word, at in positions.items())
