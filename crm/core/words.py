"""The word index of the list searches: which records hold which words, so that a search reads its matches only.

A list search ("Suzhou", "苏州", "Wang") keeps the rows where a column contains the typed text (LIKE, see
crm.core.listing.search). Alone, that reads every row's names and notes: 30,000 visits in 10 ms on SQLite,
300,000 in 60-100 ms on PostgreSQL. The index finds the few records holding the typed words in the typed
order first, and the LIKE then decides among them, so a search keeps its meaning and costs what it finds.

A record's words, in order (the columns its model lists in `__words__`):
- each word of Latin letters and digits, lower case ("Suzhou Robotics" → suzhou robotics);
- for each Chinese character, the pair it starts, the last character of a run alone (苏州工业园 → 苏州 州工 工业
  业园 园): one word per character, so that a typed Chinese text is a phrase of pairs found anywhere in a name.

A search looks for the typed words as phrases, the last word of each from its beginning: "Bench Suz" finds
"bench suzhou…", 苏州 the pair 苏州 followed by a word beginning with 州 (州工, 州市, or a run's end).

The one change for a user: a Latin word is found from its beginning ("obot" no longer finds "Robotics"),
as in every search engine. A text with no word at all ("%", "-") is looked for the old way, by reading the
rows.

SQLite keeps the words in an FTS5 table per kind of record (rowid = the record's id), which finds phrases by
the positions it keeps. PostgreSQL keeps them in a tsvector with a GIN index, and a GIN index keeps no
positions: a phrase query there checks every record holding all its words one by one, 20 ms for the 21,000
visits holding "bench" and "suzhou" at a province's volume. So its tsvector holds no positions but, beside
each word, each Latin word joined to the word after it (bench_suzhou), and a phrase is looked up as the
pairs it holds ('bench_suzhou':*), which the index answers alone. Chinese needs no pairs of its own: its words
already are pairs, each overlapping the next. Both are written by a session listener after every flush, in
the same transaction as the record, like the search keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import pairwise

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from crm.extensions import db

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{HAN}]+|[^\W_{HAN}]+")
_HAN_RUN = re.compile(rf"[{HAN}]")
MAX_WORD = 60  # a longer run of letters (a pasted link) is indexed by its first sixty
MAX_TERMS = 12  # a long search narrows by its first twelve words; the LIKE checks the whole text
PAIR = "_"  # joins two neighbouring words into one word on PostgreSQL; no word holds it (see _RUNS)


def _runs(text: str) -> list[str]:
    return _RUNS.findall(unicodedata.normalize("NFKC", text).casefold())


def _is_han(word: str) -> bool:
    return bool(_HAN_RUN.match(word))


def _han_words(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def words_of(texts: Iterable[str | None]) -> list[str]:
    """A record's words in the order of its texts, as they are indexed."""
    words: list[str] = []
    for text in texts:
        for run in _runs(text or ""):
            words += _han_words(run) if _HAN_RUN.match(run) else [run[:MAX_WORD]]
    return words


def phrases_of(text: str) -> list[list[str]]:
    """The phrases a search for `text` looks up, each ending in a word taken as a beginning; all must be found.

    A Chinese run ends a phrase: its last character stands for the pairs it starts, which only the end of a
    phrase can say in FTS5's query language.
    """
    phrases: list[list[str]] = []
    current: list[str] = []
    for run in _runs(text):
        if _HAN_RUN.match(run):
            phrases.append(current + _han_words(run))
            current = []
        else:
            current.append(run[:MAX_WORD])
    if current:
        phrases.append(current)
    kept, count = [], 0
    for phrase in phrases:
        if count >= MAX_TERMS:
            break
        kept.append(phrase[: MAX_TERMS - count])
        count += len(kept[-1])
    return kept


# The indexed kinds of record: table name → model, filled in by `indexed` below.
MODELS: dict[str, type] = {}


def indexed(model: type) -> type:
    """Class decorator: keep the words of `model.__words__` (column names) in the index."""
    MODELS[model.__tablename__] = model
    return model


def table_name(records: str) -> str:
    """The words of the records of table `records` (visits → words_visits)."""
    return f"words_{records}"


def covers(model: type, columns) -> bool:
    return model.__tablename__ in MODELS and {column.key for column in columns} <= set(model.__words__)


def matching_ids(model: type, text: str) -> sa.Select | None:
    """Ids of the records of `model` holding the words of `text`; None when `text` has no word to look up."""
    phrases = phrases_of(text)
    if not phrases or model.__tablename__ not in MODELS:
        return None
    name = table_name(model.__tablename__)
    if db.engine.dialect.name == "sqlite":
        # FTS5's query language: "a b"* is the phrase a b…; words hold no quote or space (see _RUNS).
        query = " AND ".join('"' + " ".join(phrase) + '"*' for phrase in phrases)
        return (
            sa.select(sa.literal_column("rowid"))
            .select_from(sa.table(name))
            .where(sa.literal_column(name).op("MATCH")(sa.literal(query)))
        )
    query = " & ".join(term for phrase in phrases for term in _tsquery_terms(phrase))
    return (
        sa.select(sa.literal_column("record_id"))
        .select_from(sa.table(name))
        .where(sa.literal_column("words").op("@@")(sa.cast(sa.literal(query), postgresql.TSQUERY)))
    )


def _tsquery_terms(phrase: list[str]) -> list[str]:
    """The words of PostgreSQL's index that a record holding `phrase` holds, in tsquery's syntax (all are asked
    for): a Latin word joined to the next ('bench_suzhou'), a Chinese pair alone ('苏州', the next pair starts
    where it ends); what ends the phrase is taken as a beginning (':*')."""
    if len(phrase) == 1:
        return [f"'{phrase[0]}':*"]
    terms = []
    for at, (first, second) in enumerate(pairwise(phrase), start=2):
        if _is_han(first):
            terms.append(f"'{first}'")  # the run's last character alone needs no term: its pair holds it
        else:
            terms.append(f"'{first}{PAIR}{second}'" + (":*" if at == len(phrase) else ""))
    return terms


def lexemes_of(words: list[str]) -> list[str]:
    """What PostgreSQL's index holds for a record of these words: each word once, and each Latin word joined to
    the one after it (see _tsquery_terms)."""
    found = dict.fromkeys(words)
    for first, second in pairwise(words):
        if not _is_han(first):
            found[f"{first}{PAIR}{second}"] = None
    return list(found)


# Keeping the index -------------------------------------------------------------------------------------------


def _table(dialect: str, records: str) -> sa.TableClause:
    """The words of a table's records: rowid and words in SQLite's FTS5 table, record_id and words here."""
    key = "rowid" if dialect == "sqlite" else "record_id"
    return sa.table(table_name(records), sa.column(key, sa.Integer), sa.column("words"))


def write(connection: sa.Connection, records: str, words: Iterable[tuple[int, list[str]]]) -> None:
    """Replace the indexed words of these (id, words) records of the table `records`."""
    words = list(words)
    if not words:
        return
    dialect = connection.dialect.name
    table = _table(dialect, records)
    key = table.c.rowid if dialect == "sqlite" else table.c.record_id
    connection.execute(table.delete().where(key == sa.bindparam("id")), [{"id": id_} for id_, _ in words])
    if dialect == "sqlite":
        rows = [{"id": id_, "text": " ".join(its)} for id_, its in words]
        connection.execute(table.insert().values({key: sa.bindparam("id"), "words": sa.bindparam("text")}), rows)
    else:
        tsvector = sa.cast(sa.bindparam("text"), postgresql.TSVECTOR)
        rows = [{"id": id_, "text": _tsvector_text(its)} for id_, its in words]
        connection.execute(table.insert().values({key: sa.bindparam("id"), "words": tsvector}), rows)


def _tsvector_text(words: list[str]) -> str:
    """PostgreSQL's text form of a tsvector of these words, without positions ('bench' 'bench_suzhou' 'suzhou')."""
    return " ".join(f"'{lexeme}'" for lexeme in lexemes_of(words))


def remove(connection: sa.Connection, records: str, ids: list[int]) -> None:
    if ids:
        table = _table(connection.dialect.name, records)
        key = table.c.rowid if connection.dialect.name == "sqlite" else table.c.record_id
        connection.execute(table.delete().where(key == sa.bindparam("id")), [{"id": id_} for id_ in ids])


def words_of_record(record) -> list[str]:
    return words_of(getattr(record, column) for column in record.__words__)


@event.listens_for(Session, "after_flush")
def _keep_words(session: Session, flush_context) -> None:
    """Every indexed record created, renamed or deleted in this flush gets its words in the same transaction."""
    changed: dict[str, dict[int, list[str]]] = {}
    gone: dict[str, list[int]] = {}
    for record in [*session.new, *session.dirty]:
        records = _indexed_table(record)
        if records and _words_changed(session, record):
            changed.setdefault(records, {})[record.id] = words_of_record(record)
    for record in session.deleted:
        if records := _indexed_table(record):
            gone.setdefault(records, []).append(record.id)
    connection = session.connection() if changed or gone else None
    for records, words in changed.items():
        write(connection, records, words.items())
    for records, ids in gone.items():
        remove(connection, records, ids)


def _indexed_table(record) -> str | None:
    name = getattr(type(record), "__tablename__", None)
    return name if name in MODELS and MODELS[name] is type(record) else None


def _words_changed(session: Session, record) -> bool:
    if record in session.new:
        return True
    attributes = sa.inspect(record).attrs
    return any(attributes[column].history.has_changes() for column in record.__words__)


# The tables ----------------------------------------------------------------------------------------------------


def create_tables(connection: sa.Connection, tables: Iterable[str] = ()) -> None:
    """The word tables of these tables of records (all the indexed ones by default), if they are missing."""
    for records in tables or MODELS:
        name = table_name(records)
        if connection.dialect.name == "sqlite":
            # The "ascii" tokenizer splits on spaces and ASCII punctuation only, and the words hold neither: each
            # stays one token as _RUNS cut it, whatever script it is in.
            connection.exec_driver_sql(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5(words, tokenize = 'ascii')"
            )
        else:
            connection.exec_driver_sql(
                f"CREATE TABLE IF NOT EXISTS {name} (record_id integer PRIMARY KEY, words tsvector NOT NULL)"
            )
            connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{name} ON {name} USING gin (words)")


def drop_tables(connection: sa.Connection, tables: Iterable[str] = ()) -> None:
    for records in tables or MODELS:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table_name(records)}")


def fill(connection: sa.Connection, records: str, columns: Iterable[str], batch: int = 2000) -> int:
    """Index the `columns` of every record of the table `records` already there (a migration, bulk data)."""
    done = 0
    for rows in texts_in_batches(connection, records, list(columns), batch):
        write(connection, records, ((row[0], words_of(row[1:])) for row in rows))
        done += len(rows)
    return done


def texts_in_batches(connection: sa.Connection, records: str, columns: list[str], size: int) -> Iterator[list]:
    """The records' ids and texts, `size` at a time in the order of their ids (any volume, little memory)."""
    table = sa.table(records, sa.column("id", sa.Integer), *(sa.column(name) for name in columns))
    query = sa.select(table.c.id, *(table.c[name] for name in columns)).order_by(table.c.id).limit(size)
    last = 0
    while rows := connection.execute(query.where(table.c.id > last)).all():
        yield rows
        last = rows[-1][0]


def table_names() -> list[str]:
    return [table_name(records) for records in MODELS]


def is_word_table(name: str) -> bool:
    """A word table, or one of the tables FTS5 keeps it in (words_visits_data, words_visits_idx…)."""
    return name.startswith("words_")


@event.listens_for(db.metadata, "after_create")
def _create_with_the_schema(metadata, connection, **kw) -> None:
    create_tables(connection)


@event.listens_for(db.metadata, "before_drop")
def _drop_with_the_schema(metadata, connection, **kw) -> None:
    drop_tables(connection)
