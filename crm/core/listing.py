"""List pages: search across both scripts, whitelisted sorting, pagination with the total count."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from werkzeug.datastructures import MultiDict

from crm.core import words
from crm.core.database import unindexed
from crm.extensions import db

PER_PAGE = 25
PAGE_SIZES = (25, 50, 100, 200)
MAX_PAGE = 100_000  # beyond any real list; keeps OFFSET within what the database accepts


@dataclass
class ListParams:
    q: str = ""
    sort: str = ""
    descending: bool = False
    page: int = 1
    show_deleted: bool = False
    per_page: int = PER_PAGE


def list_params(
    args: MultiDict,
    sortable: dict,
    default_sort: str,
    *,
    default_descending: bool = False,
    may_see_deleted: bool = False,
) -> ListParams:
    """Read ?q=&sort=&dir=&page=&per_page=&deleted= from the query string, ignoring what is not allowed."""
    sort = args.get("sort", default_sort)
    if sort not in sortable:
        sort = default_sort
    direction = args.get("dir")
    descending = default_descending if direction not in ("asc", "desc") else direction == "desc"
    return ListParams(
        q=args.get("q", "").strip()[:200],
        sort=sort,
        descending=descending,
        page=page_number(args),
        show_deleted=may_see_deleted and args.get("deleted") == "1",
        per_page=page_size(args),
    )


def page_size(args: MultiDict) -> int:
    """?per_page=, one of PAGE_SIZES; PER_PAGE otherwise."""
    size = args.get("per_page", PER_PAGE, type=int)
    return size if size in PAGE_SIZES else PER_PAGE


def page_number(args: MultiDict) -> int:
    """?page=, from 1 to MAX_PAGE; 1 when missing or not a number."""
    return min(max(args.get("page", 1, type=int) or 1, 1), MAX_PAGE)


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's own wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(query: sa.Select, text: str, *columns, linked: tuple = ()) -> sa.Select:
    """Keep rows where any of `columns` contains `text`, ignoring case (names in either script).

    `linked` is (foreign key, *columns of the row it points at), e.g. a visit's enterprise and its names.
    """
    if not text:
        return query
    pattern = like_pattern(text)
    found = [among_words(text, sa.or_(*(contains(column, pattern) for column in columns)), columns)]
    if linked:
        found.append(points_at_match(linked[0], text, *linked[1:]))
    return query.where(sa.or_(*found))


def among_words(text: str, condition: sa.ColumnElement[bool], columns) -> sa.ColumnElement[bool]:
    """`condition` (a LIKE over `columns`), asked only of the records the word index finds for `text`.

    The index reads the few records holding the text's words; the LIKE then keeps its exact meaning among
    them. Without words to look up (or an index of these columns), the LIKE reads every row as before.
    """
    model = columns[0].class_
    candidates = words.matching_ids(model, text) if words.covers(model, columns) else None
    return condition if candidates is None else sa.and_(one_of(model.id, candidates), condition)


def one_of(column, ids: sa.Select) -> sa.ColumnElement[bool]:
    """`column` IN the ids that `ids` selects.

    SQLite runs the sub-query once and looks the rows up by id. PostgreSQL's planner misjudges what a
    full-text look-up and a LIKE cost: it would run the look-up again for the page and for its count, or test
    the LIKE on every row of the table first. So there the ids are read first, once, and handed to the page's
    statements as one constant array (`= ANY('{5,7,11}'::integer[])`), which it looks up by the table's key.
    The server writes the array's text (array_agg) and reads it back in half a millisecond, where the driver
    writes a list of 20,000 ids element by element in 9 ms, twice a page. It is written into the statement,
    not bound: a bound text cast to an array is no constant to the planner (array_in is only stable), and
    would be read again for every row.
    """
    if db.engine.dialect.name == "sqlite":
        return column.in_(ids)
    found = ids.limit(MAX_CANDIDATES + 1).subquery()
    array = db.session.scalar(sa.select(sa.cast(sa.func.array_agg(next(iter(found.c))), sa.Text))) or "{}"
    if not _ARRAY_OF_IDS.fullmatch(array):  # the server's text of an integer array: digits and commas
        raise ValueError("not an array of ids")
    if array.count(",") + 1 > MAX_CANDIDATES:  # a word in most records ("a"): the sub-query, not an array
        return column.in_(ids)
    return column == sa.any_(sa.literal_column(f"'{array}'::integer[]"))


_ARRAY_OF_IDS = re.compile(r"\{[0-9,]*\}")
MAX_CANDIDATES = 50_000


def points_at_match(key, text: str, *columns) -> sa.ColumnElement[bool]:
    """`key` (a foreign key) points at a row whose `columns` contain `text`.

    The matching rows of the other table are found once (an IN over, say, the enterprises), rather than
    joined to every row searched: a third to a half off a search of the visits or contacts.
    """
    target = next(iter(key.property.columns[0].foreign_keys)).column
    pattern = like_pattern(text)
    matching = among_words(text, sa.or_(*(contains(column, pattern) for column in columns)), columns)
    found = sa.select(target).where(matching)
    return one_of(key, found) if words.phrases_of(text) else key.in_(found)


def contains(column, pattern: str):
    """`column` matches the LIKE `pattern`, ignoring the case of Latin letters.

    SQLite's own LIKE ignores ASCII case (and no other), so it is used as it is: ILIKE's lower(column) on every
    row would double the cost of a search. PostgreSQL's ILIKE lower-cases each row by the database's locale
    first, two to three times slower than under the "C" collation, which folds ASCII case as SQLite does:
    both engines then find the same rows (Chinese has no case to fold).
    """
    if db.engine.dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.collate("C").ilike(pattern, escape="\\")


def sorted_by(query: sa.Select, params: ListParams, sortable: dict, tiebreak) -> sa.Select:
    column = sortable[params.sort]
    ordered = column.desc() if params.descending else column.asc()
    # NULLS LAST only where a column can hold NULL: on a NOT NULL column it changes nothing but keeps
    # PostgreSQL (and SQLite) from reading the rows in the order of the column's index.
    if _nullable(column):
        ordered = ordered.nulls_last()
    return query.order_by(ordered, tiebreak)


def _nullable(column) -> bool:
    expression = getattr(column, "expression", column)
    if isinstance(expression, sa.sql.functions.coalesce):
        # NULL only when every argument is (a display name ends in '': see display_name_sql).
        return all(_nullable(argument) for argument in expression.clauses)
    if isinstance(expression, sa.sql.elements.ColumnClause) and expression.is_literal:
        return expression.name.upper() == "NULL"
    return getattr(expression, "nullable", True)


def deleted_filter(query: sa.Select, model, params: ListParams) -> sa.Select:
    """Live records, or (for managers who ask) only the deleted ones, to restore them."""
    if params.show_deleted:
        return query.where(model.deleted_at.is_not(None))
    live = model.deleted_at
    if params.q:
        # A text search starts from the records its words find (crm.core.words), or reads every row when the
        # text has none. Offered the index of the live rows as well, SQLite would walk it in the list's order
        # instead, testing each row, and read the whole table when the matches are few.
        live = unindexed(live)
    return query.where(live.is_(None))


# How many rows a section of a record's page shows (an enterprise's visits, projects, contacts): the latest
# few with the total and a link to the list, so that no page grows with the data.
SECTION_LIMIT = 10


@dataclass
class Section:
    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def first_of(query: sa.Select, limit: int = SECTION_LIMIT) -> Section:
    """The first `limit` rows of an ordered query, and how many rows it has in all: counted only when the first
    rows fill the section (fewer are all there is, as on a list's last page). Two queries at most, any volume."""
    items = list(db.session.scalars(query.limit(limit)))
    if len(items) < limit:
        return Section(items, len(items))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    return Section(items, total)


# Beyond this many rows, a list says "more than …" instead of counting them all (see paginate_capped): a
# count reads every matching row, and the visits of a province number hundreds of thousands.
COUNT_CAP = 10_000
# A search that PostgreSQL answers by walking the list's index in order stops at the page's last row; its count
# would read on through every match, so it stops at a thousand ("More than 1,000 records"), like the "about
# 1,000 results" of web and code search. On SQLite a search sorts all its matches and counts them with the sort.
SEARCH_COUNT_CAP = 1_000


class IdsFirstPagination(SelectPagination):
    """A search's page, read in two steps: the ids of its rows, then those rows with what they show.

    A search may match thousands of rows, which are sorted whole to find the page's 25. Sorted with the
    joined trip, enterprise and owner of each, the visits that name 苏州 took 8 ms on SQLite; their ids alone
    sort in a third of that, and the page's rows are then read by their ids. Where the sort reads every match
    anyway (`count_with_sort`: SQLite, see deleted_filter), the same statement counts them (`found`) instead
    of a count of its own reading them again.
    """

    found: int | None = None

    def _query_items(self) -> list:
        query, session = self._query_args["select"], self._query_args["session"]
        model = query.column_descriptions[0]["entity"]
        count = [sa.func.count().over()] if self._query_args["count_with_sort"] else []
        page = query.with_only_columns(model.id, *count, maintain_column_froms=True)
        rows = session.execute(page.limit(self.per_page).offset(self._query_offset)).all()
        if not rows:
            return []
        if count:
            self.found = rows[0][1]
        by_ids = _without_conditions(query).where(model.id.in_([row[0] for row in rows]))
        return list(session.execute(by_ids).unique().scalars())


def _without_conditions(query: sa.Select) -> sa.Select:
    """`query` with its joins, loading options and order, but not its WHERE: rows already chosen by their ids
    need not pass the search again (its word look-ups and LIKEs). SQLAlchemy offers no public way to drop a
    WHERE; the attribute is the one Select.where() appends to."""
    bare = query._generate()
    bare._where_criteria = ()
    return bare


def paginate_capped(
    query: sa.Select,
    *,
    page: int,
    per_page: int,
    cap: int | None = None,
    ids_first: bool = False,
    count_with_sort: bool = True,
) -> Pagination:
    """A page of `query` whose total counts at most `cap` rows: the count costs the same however long the
    table grows. `total_capped` says the total is "more than `cap`"; the pages then end at the cap.
    `count_with_sort`: an ids-first page on SQLite counts its rows with its sort (a search, which sorts all
    its matches anyway); not for a whole list, whose page stops reading at its last row.
    """
    cap = cap or COUNT_CAP
    kind = IdsFirstPagination if ids_first else SelectPagination
    pagination = kind(
        select=query,
        session=db.session(),
        page=page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        count=False,
        count_with_sort=count_with_sort and db.engine.dialect.name == "sqlite",  # IdsFirstPagination's
    )
    shown = len(pagination.items)
    if getattr(pagination, "found", None) is not None:  # counted with the sort: exact
        pagination.total, pagination.total_capped = pagination.found, False
        return pagination
    if shown < per_page and (shown or page == 1):
        # This page is the last: the rows before it and on it are all there are, and no count is needed. A
        # search that matches a few rows reads the table once, not twice (once for the page, once to count).
        total = (page - 1) * per_page + shown
    else:
        # Only a constant per row: the count then reads an index of the rows, not the rows themselves.
        rows = query.order_by(None).with_only_columns(sa.literal(1), maintain_column_froms=True)
        counted = rows.limit(cap + 1).subquery()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0
    pagination.total = min(total, cap)
    pagination.total_capped = total > cap
    return pagination


class RowsPagination(Pagination):
    """A page of rows already read (the bureau's officers on the targets page: a few hundred at most)."""

    total_capped = False

    def _query_items(self) -> list:
        return self._query_args["rows"][self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def paginate_rows(rows: list, *, page: int, per_page: int) -> Pagination:
    return RowsPagination(page=page, per_page=per_page, error_out=False, rows=rows)


def paginate(query: sa.Select, params: ListParams) -> Pagination:
    """A list's page; its total counted up to COUNT_CAP (SEARCH_COUNT_CAP for a text search on PostgreSQL), so that
    no list costs more as the tables grow. A text search's page, and any page after the first, comes ids first
    (IdsFirstPagination): the rows an OFFSET skips are then read from the list's index alone, not joined to
    what the page shows (page 50 of the follow-ups joined 1,225 skipped rows to their owners and links)."""
    cap = SEARCH_COUNT_CAP if params.q else COUNT_CAP
    return paginate_capped(
        query,
        page=params.page,
        per_page=params.per_page,
        cap=cap,
        ids_first=bool(params.q) or params.page > 1,
        count_with_sort=bool(params.q),
    )
