"""Empty the PostgreSQL database named by CRM_DATABASE_URL, for `make bench-postgres` (never the default)."""

from __future__ import annotations

import os
import sys

import sqlalchemy as sa


def main() -> int:
    url = os.environ.get("CRM_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print("Set BENCH_DATABASE_URL to a PostgreSQL database that the benchmark may empty.")
        return 2
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
