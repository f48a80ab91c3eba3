"""Crash test: kill -9 the server while officers are saving, then check that nothing acknowledged is lost.

Officers log visits as fast as they can; after a while gunicorn and all its workers are killed with
SIGKILL, in the middle of writes. Then:
- the database passes its integrity check (SQLite's PRAGMA integrity_check; PostgreSQL's amcheck-free
  equivalent: every table reads back and the foreign keys hold);
- every visit the server acknowledged (answered with its redirect) is there, with what was typed;
- the app starts again by itself on the same files and serves pages.

    python -m bench.crash --seconds 5
"""

from __future__ import annotations

import sys
import threading
import time

from bench.load import Ledger, log_visit, officers, parser, prepare_database, verify
from bench.web import Client, free_port, start_server, stop_server


def keep_logging_visits(officer, port: int, ready: threading.Semaphore, stop: threading.Event, ledger: Ledger) -> None:
    client = Client(port)
    client.login(officer.email)
    ready.release()
    number = 0
    while not stop.is_set():
        number += 1
        try:
            log_visit(
                client,
                ledger,
                officer.enterprises[number % len(officer.enterprises)],
                f"crash {officer.email} #{number}",
            )
        except (OSError, LookupError, ConnectionError):
            return  # the server is gone: what was acknowledged before is what counts


def integrity_problems() -> list[str]:
    import sqlalchemy as sa

    from crm import create_app
    from crm.extensions import db

    app = create_app()
    problems = []
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            result = db.session.execute(sa.text("PRAGMA integrity_check")).scalars().all()
            if result != ["ok"]:
                problems.append(f"integrity_check: {result[:5]}")
            broken = db.session.execute(sa.text("PRAGMA foreign_key_check")).all()
            if broken:
                problems.append(f"foreign_key_check: {broken[:5]}")
        for table in db.metadata.sorted_tables:
            db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        db.session.remove()
        db.engine.dispose()
    return problems


def restarts(port: int, env: dict, email: str) -> bool:
    server = start_server(port, 1, env=env)
    try:
        client = Client(port)
        status, body, _headers = client.request("GET", "/healthz")
        if status != 200 or b"true" not in body:
            return False
        client.login(email)
        status, _body, _headers = client.request("GET", "/visits/")
        return status == 200
    finally:
        stop_server(server)


def main(argv: list[str] | None = None) -> int:
    arguments = parser()
    arguments.set_defaults(officers=4, workers=2, seconds=5)
    args = arguments.parse_args(argv)
    env = prepare_database(args)
    people = officers(args.officers)
    port = free_port()
    server = start_server(port, args.workers, env=env)
    ledger = Ledger()
    stop = threading.Event()
    ready = threading.Semaphore(0)
    threads = [threading.Thread(target=keep_logging_visits, args=(p, port, ready, stop, ledger)) for p in people]
    for thread in threads:
        thread.start()
    for _ in threads:  # everyone signed in (scrypt is slow on purpose): the writes start now
        ready.acquire(timeout=120)
    time.sleep(args.seconds)
    stop_server(server, kill=True)  # SIGKILL to gunicorn and every worker, mid-write
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    ledger.problems = [p for p in ledger.problems if "HTTP" not in p]  # requests cut by the kill are expected
    ledger.problems += integrity_problems()
    verify(ledger)
    started_again = restarts(free_port(), env, people[0].email)
    if not started_again:
        ledger.problems.append("the app did not start again on the same database")
    print(
        f"killed gunicorn (-9) after {args.seconds:g} s with {args.officers} officers saving: "
        f"{len(ledger.visits)} acknowledged visits, all checked; integrity check passed; "
        f"started again: {started_again}"
    )
    for problem in ledger.problems:
        print("PROBLEM:", problem)
    print("nothing acknowledged was lost" if not ledger.problems else "FAILED")
    return 1 if ledger.problems else 0


if __name__ == "__main__":
    sys.exit(main())
