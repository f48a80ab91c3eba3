"""List pages: search across both scripts, whitelisted sorting, pagination with the total count."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from werkzeug.datastructures import MultiDict

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
        per_page=per_page if (per_page := args.get("per_page", PER_PAGE, type=int)) in PAGE_SIZES else PER_PAGE,
    )


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
    found = [contains(column, pattern) for column in columns]
    if linked:
        found.append(points_at_match(linked[0], pattern, *linked[1:]))
    return query.where(sa.or_(*found))


def points_at_match(key, pattern: str, *columns) -> sa.ColumnElement[bool]:
    """`key` (a foreign key) points at a row whose `columns` match the LIKE `pattern`.

    The matching rows of the other table are found once (an IN over, say, the enterprises), rather than
    joined to every row searched: a third to a half off a search of the visits or contacts.
    """
    target = next(iter(key.property.columns[0].foreign_keys)).column
    return key.in_(sa.select(target).where(sa.or_(*(contains(column, pattern) for column in columns))))


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
        # A text search reads every row: SQLite does it fastest in the table's own order. Offered an index of
        # the live rows in another order, it would read each row out of order (three times slower).
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
    """The first `limit` rows of an ordered query, and how many rows it has in all (two queries, any volume)."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    return Section(list(db.session.scalars(query.limit(limit))), total)


# Beyond this many rows, a list says "more than …" instead of counting them all (see paginate_capped): a
# count reads every matching row, and the visits of a province number hundreds of thousands.
COUNT_CAP = 10_000
# A text search reads each row's names and notes to count its matches, which costs far more per row than a
# count of an index: its total stops lower (like the "about 1,000 results" of web and code search). The first
# pages come first in the list's order all the same, and a narrower search is counted exactly.
SEARCH_COUNT_CAP = 1_000


def paginate_capped(query: sa.Select, *, page: int, per_page: int, cap: int | None = None) -> Pagination:
    """A page of `query` whose total counts at most `cap` rows: the count costs the same however long the
    table grows. `total_capped` says the total is "more than `cap`"; the pages then end at the cap.
    """
    cap = cap or COUNT_CAP
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)
    shown = len(pagination.items)
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
    """A list's page; its total counted up to COUNT_CAP (SEARCH_COUNT_CAP for a text search), so that no list
    costs more as the tables grow."""
    cap = SEARCH_COUNT_CAP if params.q else COUNT_CAP
    return paginate_capped(query, page=params.page, per_page=params.per_page, cap=cap)
