"""Count the SQL statements a block of code sends, to prove list pages do not query per row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from crm.extensions import db


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the statements sent inside the block (SAVEPOINTs and transaction control excluded)."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def assert_no_more_queries_with_more_rows(few: list[str], many: list[str]) -> None:
    """A list sends the same statements for many rows as for few, but for the count: a page that holds every
    row (fewer than a page of them) needs none (crm.core.listing.paginate_capped), a fuller one does."""
    counts = [statement for statement in many if "count(*)" in statement]
    assert len(many) in (len(few), len(few) + 1), many
    if len(many) == len(few) + 1:
        assert len(counts) == sum("count(*)" in statement for statement in few) + 1, many
