"""Load test on loopback: officers saving at once, and nothing acknowledged may be lost.

Simulated officers, each signed in as their own account, log visits, edit their projects (and, as a
second browser tab would, save a form that is already out of date), and mark follow-ups done, for a
bounded time against gunicorn. Then the database is read directly:

- no response was a 5xx, and no page or log line said "database is locked";
- every visit acknowledged with a redirect is there, with what was typed;
- every project holds the last description its officer saved; every stale save was answered 409;
- every follow-up acknowledged as done is done.

    python -m bench.load --officers 20 --workers 4 --seconds 60            # SQLite, in a fresh folder
    python -m bench.load --database-url postgresql+psycopg://…/crm_load --reset-database

The crash test (bench.crash) shares this machinery.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.web import Client, form_fields, free_port, start_server, stop_server, with_values


@dataclass
class Ledger:
    """What the server acknowledged, and what went wrong, across all simulated officers."""

    visits: dict[int, str] = field(default_factory=dict)  # visit id → the purpose typed
    descriptions: dict[int, str] = field(default_factory=dict)  # project id → last description saved
    done: set[int] = field(default_factory=set)
    conflicts: int = 0
    requests: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)


def check(ledger: Ledger, what: str, status: int, body: bytes) -> None:
    with ledger.lock:
        ledger.requests += 1
    if status >= 500:
        ledger.problem(f"{what}: HTTP {status}")
    if b"database is locked" in body:
        ledger.problem(f"{what}: 'database is locked'")


def post_form(client: Client, ledger: Ledger, form_path: str, post_path: str, **values: str) -> tuple[int, dict]:
    status, page, _headers = client.request("GET", form_path)
    check(ledger, f"GET {form_path}", status, page)
    fields = with_values(form_fields(page, post_path.split("?")[0], form_path), **values)
    status, body, headers = client.request("POST", post_path, fields)
    check(ledger, f"POST {post_path}", status, body)
    return status, headers


class Start:
    """Everyone signs in first (scrypt is slow on purpose); the clock starts when the last one has."""

    def __init__(self, people: int, seconds: float) -> None:
        self.barrier = threading.Barrier(people, action=self._set_deadline)
        self.seconds = seconds
        self.deadline = 0.0

    def _set_deadline(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def wait(self) -> float:
        self.barrier.wait(timeout=300)
        return self.deadline


@dataclass
class Officer:
    email: str
    enterprises: list[int]
    projects: list[int]
    follow_ups: list[int]


def officer_work(officer: Officer, port: int, start: Start, seed: int, ledger: Ledger) -> None:
    chance = random.Random(seed)
    client = Client(port)
    client.login(officer.email)
    deadline = start.wait()
    number = 0
    while time.monotonic() < deadline:
        number += 1
        token = f"load {officer.email} #{number}"
        action = chance.choices(["visit", "project", "stale", "done"], weights=[4, 3, 1, 2])[0]
        try:
            if action == "visit":
                log_visit(client, ledger, chance.choice(officer.enterprises), token)
            elif action == "project" and officer.projects:
                edit_project(client, ledger, chance.choice(officer.projects), token)
            elif action == "stale" and officer.projects:
                stale_save(client, ledger, chance.choice(officer.projects), token)
            elif action == "done" and officer.follow_ups:
                mark_done(client, ledger, officer.follow_ups.pop())
        except (LookupError, OSError) as error:
            ledger.problem(f"{officer.email} {action}: {error!r}")


def log_visit(client: Client, ledger: Ledger, enterprise_id: int, token: str) -> None:
    status, headers = post_form(
        client, ledger, f"/visits/new?enterprise_id={enterprise_id}", "/visits/new", purpose=token
    )
    match = re.search(r"/visits/(\d+)$", headers.get("location", ""))
    if status == 302 and match:
        with ledger.lock:
            ledger.visits[int(match.group(1))] = token
    else:
        ledger.problem(f"visit not logged: HTTP {status}")


def edit_project(client: Client, ledger: Ledger, project_id: int, token: str) -> None:
    path = f"/projects/{project_id}/edit"
    status, _headers = post_form(client, ledger, path, path, description=token)
    if status == 302:
        with ledger.lock:
            ledger.descriptions[project_id] = token
    else:
        ledger.problem(f"project {project_id} not saved: HTTP {status}")


def stale_save(client: Client, ledger: Ledger, project_id: int, token: str) -> None:
    """Two tabs on the same form: the first save wins, the second must be refused with 409."""
    path = f"/projects/{project_id}/edit"
    status, page, _headers = client.request("GET", path)
    check(ledger, f"GET {path}", status, page)
    second_tab = with_values(form_fields(page, path, path), description=token + " (second tab)")
    edit_project(client, ledger, project_id, token)
    status, body, _headers = client.request("POST", path, second_tab)
    check(ledger, f"POST {path} (stale)", status, body)
    if status == 409:
        with ledger.lock:
            ledger.conflicts += 1
    else:
        ledger.problem(f"stale save of project {project_id} answered {status}, not 409")


def mark_done(client: Client, ledger: Ledger, follow_up_id: int) -> None:
    status, page, _headers = client.request("GET", f"/follow-ups/{follow_up_id}")
    check(ledger, "GET follow-up", status, page)
    fields = with_values(form_fields(page, f"/follow-ups/{follow_up_id}/done"), state="done")
    status, body, _headers = client.request("POST", f"/follow-ups/{follow_up_id}/done", fields)
    check(ledger, "POST done", status, body)
    if status == 302:
        with ledger.lock:
            ledger.done.add(follow_up_id)
    else:
        ledger.problem(f"follow-up {follow_up_id} not done: HTTP {status}")


def prepare_database(args) -> dict:
    """A fresh database with a little synthetic data; returns the environment for the app and gunicorn."""
    env: dict[str, str] = {}
    if args.database_url:
        env["CRM_DATABASE_URL"] = args.database_url
    env["CRM_INSTANCE_PATH"] = args.instance or tempfile.mkdtemp(prefix="crm-load-")
    os.environ.update(env)
    from crm import create_app
    from crm.extensions import db

    if args.database_url and args.reset_database:
        app = create_app()
        with app.app_context():
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
            db.session.remove()
            db.engine.dispose()
    from bench import generate

    generate.main(["--scale", str(args.scale), "--seed", str(args.seed), "--quiet"])
    return env


def officers(count: int) -> list[Officer]:
    """The officers' accounts with records of their own to work on."""
    import sqlalchemy as sa

    from crm import create_app
    from crm.accounts.models import User
    from crm.core.roles import Role
    from crm.enterprises.models import Enterprise
    from crm.extensions import db
    from crm.followups.models import FollowUp
    from crm.pipeline.models import InvestmentProject

    app = create_app()
    with app.app_context():
        users = db.session.scalars(sa.select(User).where(User.role == Role.OFFICER).order_by(User.id).limit(count))
        enterprises = list(db.session.scalars(sa.select(Enterprise.id).where(Enterprise.deleted_at.is_(None))))
        result = []
        for user in users:
            projects = db.session.scalars(
                sa.select(InvestmentProject.id).where(InvestmentProject.owner_id == user.id).limit(5)
            )
            follow_ups = db.session.scalars(
                sa.select(FollowUp.id).where(FollowUp.owner_id == user.id, FollowUp.done_at.is_(None)).limit(200)
            )
            result.append(Officer(user.email, enterprises[:200], list(projects), list(follow_ups)))
        db.session.remove()
        db.engine.dispose()
    if len(result) < count:
        raise SystemExit(f"only {len(result)} officers in the generated data")
    return result


def verify(ledger: Ledger) -> None:
    """Read the database directly: every acknowledged write must be there."""
    import sqlalchemy as sa

    from crm import create_app
    from crm.extensions import db
    from crm.followups.models import FollowUp
    from crm.pipeline.models import InvestmentProject
    from crm.visits.models import Visit

    app = create_app()
    with app.app_context():
        stored = dict(db.session.execute(sa.select(Visit.id, Visit.purpose).where(Visit.id.in_(ledger.visits))).all())
        for visit_id, purpose in ledger.visits.items():
            if stored.get(visit_id) != purpose:
                ledger.problem(f"acknowledged visit {visit_id} is missing or changed")
        saved = dict(
            db.session.execute(
                sa.select(InvestmentProject.id, InvestmentProject.description).where(
                    InvestmentProject.id.in_(ledger.descriptions)
                )
            ).all()
        )
        for project_id, description in ledger.descriptions.items():
            if saved.get(project_id) != description:
                ledger.problem(
                    f"project {project_id} holds {saved.get(project_id)!r}, not the last save {description!r}"
                )
        done = set(
            db.session.scalars(
                sa.select(FollowUp.id).where(FollowUp.id.in_(ledger.done), FollowUp.done_at.is_not(None))
            )
        )
        for follow_up_id in ledger.done - done:
            ledger.problem(f"follow-up {follow_up_id} was acknowledged done but is not")
        db.session.remove()
        db.engine.dispose()


def server_log_problems(log: Path, ledger: Ledger) -> None:
    text = log.read_text(errors="replace") if log.exists() else ""
    if "database is locked" in text:
        ledger.problem("the server log says 'database is locked'")
    if "Traceback" in text:
        ledger.problem("the server log holds a traceback: " + text[text.index("Traceback") :][:400])


def run(args) -> Ledger:
    env = prepare_database(args)
    people = officers(args.officers)
    port = free_port()
    log = Path(env["CRM_INSTANCE_PATH"]) / "gunicorn.log"
    server = start_server(port, args.workers, env=env, log=log)
    ledger = Ledger()
    start = Start(len(people), args.seconds)
    threads = [
        threading.Thread(target=officer_work, args=(person, port, start, args.seed + number, ledger))
        for number, person in enumerate(people)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 300)
    finally:
        stop_server(server)
    server_log_problems(log, ledger)
    verify(ledger)
    return ledger


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Officers saving at once; nothing acknowledged may be lost.")
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--scale", type=float, default=0.02, help="synthetic data to start from")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database-url", help="a PostgreSQL database to use instead of a fresh SQLite file")
    parser.add_argument("--reset-database", action="store_true", help="empty that database first")
    parser.add_argument("--instance", help="the instance folder (default: a new temporary one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    began = time.monotonic()
    ledger = run(args)
    elapsed = time.monotonic() - began
    print(
        f"{args.officers} officers, {args.workers} workers, {args.seconds:g} s: {ledger.requests} requests, "
        f"{len(ledger.visits)} visits logged, {len(ledger.descriptions)} projects saved, {ledger.conflicts} stale "
        f"saves refused with 409, {len(ledger.done)} follow-ups done ({elapsed:.0f} s in all)"
    )
    for problem in ledger.problems:
        print("PROBLEM:", problem)
    print("no write lost, no 5xx, no 'database is locked'" if not ledger.problems else "FAILED")
    return 1 if ledger.problems else 0


if __name__ == "__main__":
    sys.exit(main())
