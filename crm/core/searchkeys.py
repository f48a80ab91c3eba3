"""Search keys: the comparable forms of every searchable name, computed when a record is written.

A record that can be found by the search box or the duplicate check says which texts name it
(`Searchable.search_texts`); a session listener turns them into rows of `search_keys` after every flush
that created, changed or deleted such a record. A search is then a prefix range over one indexed column
(`key >= q AND key < q + U+10FFFF`), never a computation per row:

- `exact`: the whole name, normalised (crm.enterprises.names.name_key), so "Haier Group Co., Ltd." → haiergroup;
- `word`: each later start of a word (English) or character (Chinese), so 腾讯 finds 深圳市腾讯计算机系统;
- `pinyin`: the pinyin of a Chinese name from each syllable (华为苏州 → huaweisuzhou, weisuzhou, suzhou…);
- `initials`: the first letters of its syllables (华为 → hw, 腾讯 → tx);
- `core`, `core_pinyin`, `core_initials`: the name without legal suffixes, generic words and place names
  (海尔集团 → 海尔 / haier / he), for the duplicate check.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from pypinyin import lazy_pinyin
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.core.database import unindexed
from crm.enterprises.names import core_key, has_chinese, name_key
from crm.extensions import db

# The highest code point: `key < prefix + END` keeps every key that starts with `prefix`.
END = "\U0010ffff"
MAX_KEY = 200
MAX_SUFFIXES = 40  # a very long name is still found by its first forty words or characters

# How good a match each kind of key is, best first (the search box sorts by it).
RANKS = {"exact": 0, "core": 1, "pinyin": 2, "initials": 3, "alias": 4, "word": 5, "group": 6}

# Binary order on PostgreSQL too, so that the prefix range uses the index whatever the database's locale.
KeyType = sa.String(MAX_KEY).with_variant(sa.String(MAX_KEY, collation="C"), "postgresql")


class SearchKey(db.Model):
    """One comparable form of one name of one record."""

    __tablename__ = "search_keys"
    __audited__ = False  # derived from the names, which are audited themselves

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(30))
    record_id: Mapped[int] = mapped_column(sa.Integer)
    # Which text it comes from: name, local_name, alias, code_name, title, group…
    field: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(20))
    rank: Mapped[int] = mapped_column(sa.SmallInteger)
    key: Mapped[str] = mapped_column(KeyType)

    __table_args__ = (
        sa.Index("ix_search_keys_lookup", "record_type", "key"),
        sa.Index("ix_search_keys_record", "record_type", "record_id"),
    )


class Searchable:
    """A model whose names are kept in `search_keys`. Subclasses list their names in `search_texts`."""

    def search_texts(self) -> list[tuple[str, str | None]]:
        """(field, text) pairs: the texts this record is found by."""
        raise NotImplementedError

    def search_dependants(self) -> list:
        """Other searchable records whose keys include this one's names (a group's members)."""
        return []


def query_key(text: str | None) -> str:
    """The typed text as keys are stored: lower case, no spaces or punctuation, legal suffixes kept."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\W_]+", "", text)[:MAX_KEY]


def keys_for(field: str, text: str | None) -> list[tuple[str, str]]:
    """The (kind, key) pairs of one name."""
    full = name_key(text)
    if not full:
        return []
    keys = [("exact", full)]
    keys += [("word", suffix) for suffix in _suffixes(text)]
    core = core_key(text)
    if core:
        keys.append(("core", core))
    if has_chinese(text):
        syllables = [s for s in lazy_pinyin(_letters(text), errors="ignore") if s.isalnum()]
        keys += [("pinyin", "".join(syllables[i:])) for i in range(min(len(syllables), MAX_SUFFIXES))]
        keys.append(("initials", "".join(s[0] for s in syllables)))
        if core and has_chinese(core):
            core_syllables = lazy_pinyin(core, errors="ignore")
            keys.append(("core_pinyin", "".join(core_syllables)))
            keys.append(("core_initials", "".join(s[0] for s in core_syllables if s)))
    return list(dict.fromkeys((kind, key[:MAX_KEY]) for kind, key in keys if key))


def _letters(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _suffixes(text: str | None) -> list[str]:
    """Later starting points of a name: each word of an English name, each character of a Chinese one."""
    words = re.findall(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", _letters(text or ""))
    return ["".join(words[i:]) for i in range(1, min(len(words), MAX_SUFFIXES))]


def rank_of(field: str, kind: str) -> int:
    """An alias or a group's name ranks below the record's own names, whatever the kind of key."""
    return RANKS[field] if field in ("alias", "group") else RANKS.get(kind, RANKS["word"])


def rows_for(record) -> list[dict]:
    return [
        {"field": field, "kind": kind, "rank": rank_of(field, kind), "key": key}
        for field, text in record.search_texts()
        for kind, key in keys_for(field, text)
    ]


def refresh(connection: sa.Connection, records: list) -> None:
    """Replace the keys of these records by those of their present names (a deleted record keeps none)."""
    table = SearchKey.__table__
    for record in records:
        record_type, record_id = record.__tablename__, record.id
        connection.execute(table.delete().where(table.c.record_type == record_type, table.c.record_id == record_id))
        rows = [] if getattr(record, "_search_gone", False) else rows_for(record)
        if rows:
            connection.execute(
                table.insert(), [{"record_type": record_type, "record_id": record_id, **row} for row in rows]
            )


@event.listens_for(Session, "after_flush")
def _keep_search_keys(session: Session, flush_context) -> None:
    """Every searchable record written in this flush gets its keys in the same transaction."""
    touched = {}
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        for record in _affected(obj, gone=obj in session.deleted):
            touched[(record.__tablename__, id(record))] = record
    if touched:
        refresh(session.connection(), [record for record in touched.values() if record.id is not None])


def _affected(obj, *, gone: bool) -> list:
    owner = getattr(obj, "search_owner", None)  # an alias: its enterprise's keys change
    if owner is not None:
        return [owner()] if owner() is not None else []
    if not isinstance(obj, Searchable):
        return []
    if gone:
        obj._search_gone = True
    return [obj, *obj.search_dependants()]


def begins_with(key: str) -> sa.ColumnElement[bool]:
    """Keys that begin with `key`: a range over the index, on SQLite and PostgreSQL alike."""
    return sa.and_(SearchKey.key >= key, SearchKey.key < key + END)


# A search looks at the first few hundred keys that begin with the text, in index order (shortest and
# closest first), so its cost stays flat however many records share a common beginning such as "hw".
CANDIDATES = 400


def candidate_keys(record_type: str, key: str):
    """The first keys of one kind of record that begin with `key`: an index range scan that stops early."""
    candidates = (
        sa.select(SearchKey.record_id, SearchKey.field, SearchKey.rank, SearchKey.key)
        .where(SearchKey.record_type == record_type, begins_with(key))
        .order_by(SearchKey.key)
        .limit(CANDIDATES)
        .subquery()
    )
    return sa.orm.aliased(SearchKey, candidates)


def live(model) -> sa.ColumnElement[bool]:
    """Not deleted, written so that the planner starts from the few matching keys and looks each record up
    by its id, rather than walk the deleted_at index (NULL for nearly every row) over the whole table.

    `unindexed`: SQLite is told not to use an index for it. PostgreSQL gets the plain column, whose statistics
    say that nearly every row is live; hidden in coalesce() it took the condition for a rare one and, for an
    officer, sorted all 400,000 follow-ups of a province to merge them with a handful of keys (45 ms).
    """
    return unindexed(model.deleted_at).is_(None)


def ranked_ids(model, key: str, limit: int, where=None) -> sa.Select:
    """Ids of live records of `model` with a key beginning with `key`, best first (an exact key first).

    `where(keys)` may add conditions on the matching keys and the record (a confidential project's name).
    """
    keys = candidate_keys(model.__tablename__, key)
    best = sa.func.min(keys.rank * 2 + sa.case((keys.key == key, 0), else_=1))
    return (
        sa.select(model.id)
        .join(keys, keys.record_id == model.id)
        .where(live(model), *(where(keys) if where else ()))
        .group_by(model.id)
        .order_by(best, model.id.desc())
        .limit(limit)
    )


def load_in_order(model, ids_query: sa.Select, *options) -> list:
    """The records whose ids the query gives, in its order, with the given eager loads: two queries."""
    ids = list(db.session.scalars(ids_query))
    if not ids:
        return []
    found = db.session.scalars(sa.select(model).where(model.id.in_(ids)).options(*options))
    by_id = {record.id: record for record in found}
    return [by_id[record_id] for record_id in ids if record_id in by_id]
