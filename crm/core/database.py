"""Engine settings: SQLite made safe for a small office; PostgreSQL left as it is."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.ext.compiler
from flask import Flask, has_request_context, request
from sqlalchemy import event

from crm.extensions import db

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}


def configure_engine(app: Flask) -> None:
    """Attach the SQLite pragmas and transaction mode to the app's engine; switch PostgreSQL's JIT off."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        _without_jit(engine)
        return
    if engine.dialect.name != "sqlite":
        return
    busy_timeout = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout}")
        if not _is_memory(engine.url):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A request that may write takes the write lock at BEGIN, so two writers queue behind the busy
        # timeout instead of failing halfway with "database is locked". Reads stay concurrent.
        if has_request_context() and request.method in READ_ONLY_METHODS:
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _without_jit(engine: sa.Engine) -> None:
    """PostgreSQL compiles a query to machine code once its estimated cost passes jit_above_cost: a dashboard's
    aggregates at a province's volume do, and spent 15-20 ms compiling to save less. Short queries are what
    this app sends, so each connection turns it off (outside a transaction, so that it lasts)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.autocommit = autocommit


def _is_memory(url: sa.URL) -> bool:
    return url.database in (None, "", ":memory:")


def database_answers() -> bool:
    """Whether a trivial query succeeds; used by /healthz."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False


class unindexed(sa.sql.expression.FunctionElement):
    """`column`, marked so that SQLite's planner does not pick an index for the condition on it.

    SQLite, without statistics, prefers an index on an equality (`deleted_at IS NULL`, true of nearly every
    row) over a selective range on another column; `+column` is its documented way of saying "not this one".
    PostgreSQL plans from statistics and gets the column as it is.
    """

    inherit_cache = True

    def __init__(self, column) -> None:
        self.type = column.type
        super().__init__(column)


@sa.ext.compiler.compiles(unindexed)
def _unindexed_default(element, compiler, **kw) -> str:
    (column,) = element.clauses
    return compiler.process(column, **kw)


@sa.ext.compiler.compiles(unindexed, "sqlite")
def _unindexed_sqlite(element, compiler, **kw) -> str:
    (column,) = element.clauses
    return f"+{compiler.process(column, **kw)}"


def any_of(key, *conditions: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """Rows whose `key` (their id) is among those meeting any of `conditions`, each found by its own index.

    The same rows as or_(*conditions), for which both engines read the whole table when the conditions are on
    different columns (a trip's follow-ups: its own, or of one of its visits).
    """
    return key.in_(sa.union(*(sa.select(key).where(condition) for condition in conditions)))
