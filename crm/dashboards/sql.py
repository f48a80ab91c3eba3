"""SQL expressions the dashboards need that SQLite and PostgreSQL spell differently."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class local_month(FunctionElement):
    """'YYYY-MM' of a UTC timestamp, in the zone `minutes` east of UTC (the zone's months, not UTC's)."""

    type = sa.String()
    inherit_cache = True

    def __init__(self, column, minutes: int) -> None:
        self.minutes = int(minutes)
        super().__init__(column)


@compiles(local_month)
def _local_month_default(element, compiler, **kw) -> str:
    (column,) = element.clauses
    return f"to_char({compiler.process(column, **kw)} + interval '{element.minutes} minutes', 'YYYY-MM')"


@compiles(local_month, "sqlite")
def _local_month_sqlite(element, compiler, **kw) -> str:
    (column,) = element.clauses
    return f"strftime('%Y-%m', {compiler.process(column, **kw)}, '{element.minutes:+d} minutes')"


class days_between(FunctionElement):
    """The days (with fractions) from `earlier` to `later`, two timestamps."""

    type = sa.Float()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element, compiler, **kw) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


def medians(values: sa.Select, dialect: str) -> sa.Select:
    """The median of `value` per `key`, from a select of (key, value) rows; one row per key.

    PostgreSQL has the median as an aggregate (percentile_cont), which sorts each key's values once. SQLite has
    none: window functions number the values in order, and the median is the middle one, or the mean of the two
    middle ones (the same figure; PostgreSQL's two window passes over a province's year took 20 ms more).
    """
    rows = values.subquery()
    if dialect == "postgresql":
        median = sa.func.percentile_cont(0.5).within_group(rows.c.value)
        return sa.select(rows.c.key, median.label("median")).group_by(rows.c.key)
    ranked = sa.select(
        rows.c.key,
        rows.c.value,
        sa.func.row_number().over(partition_by=rows.c.key, order_by=rows.c.value).label("place"),
        sa.func.count().over(partition_by=rows.c.key).label("total"),
    ).subquery()
    middle = sa.and_(ranked.c.place * 2 >= ranked.c.total, ranked.c.place * 2 <= ranked.c.total + 2)
    return sa.select(ranked.c.key, sa.func.avg(ranked.c.value).label("median")).where(middle).group_by(ranked.c.key)
