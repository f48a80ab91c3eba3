"""Server-Timing: how long a request spent in SQL and how many statements it sent, for the benchmark.

Off by default. With `SERVER_TIMING = True` every response carries
`Server-Timing: sql;dur=3.1;desc="7 queries", app;dur=9.8`, which `bench/measure.py` reads to put each
page's SQL time and query count beside its latency, and `/_timing/bare` answers with nothing but a
string: the cost of a bare Flask response on the same server.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context


def init_app(app: Flask) -> None:
    if not app.config.get("SERVER_TIMING"):
        return
    app.before_request(_start)
    app.after_request(_header)
    app.add_url_rule("/_timing/bare", "timing_bare", lambda: "ok")
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", _before_statement)
    sa.event.listen(sa.engine.Engine, "after_cursor_execute", _after_statement)


def _start() -> None:
    g.timing_started = time.perf_counter()
    g.sql_seconds = 0.0
    g.sql_statements = 0


def _before_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    conn.info.setdefault("timing_started", []).append(time.perf_counter())


def _after_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    started = conn.info["timing_started"].pop()
    if has_request_context() and "sql_seconds" in g:
        g.sql_seconds += time.perf_counter() - started
        g.sql_statements += 1


def _header(response: Response) -> Response:
    if "timing_started" in g:
        total = (time.perf_counter() - g.timing_started) * 1000
        response.headers["Server-Timing"] = (
            f'sql;dur={g.sql_seconds * 1000:.2f};desc="{g.sql_statements} queries", app;dur={total:.2f}'
        )
    return response
