"""Synthetic data at a chosen scale, for the benchmark: clearly fake, deterministic (for a seed and a day), fast.

Scale 1 is one zone over five years: 30 users, 5,000 enterprises, 15,000 contacts, 800 trips of 3 to 8
members, 30,000 visits, 8,000 projects with their stage changes, 40,000 follow-ups, 5 % of projects
confidential. Scale 10 is a provincial network (ten times each). The five years end today (or --today):
nothing is dated later but follow-ups still due, and no follow-up before the visit or project it is on.

Every name carries "Bench" / 测试 so nobody mistakes a row for real work. Rows are built as the app's own
model objects (so whatever the model layer derives from a name — comparable keys, pinyin — is derived
here too) and written with bulk INSERTs in large batches, which is what makes scale 1 take seconds.

    flask --app crm bench generate --scale 1 --seed 7
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from crm.accounts.models import User
from crm.accounts.passwords import hash_password
from crm.core.roles import Role
from crm.core.time import local_today
from crm.enterprises.models import Contact, Enterprise, EnterpriseKind, Ownership
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline.models import DEFAULT_PROBABILITY, InvestmentProject, ProjectSource, ProjectStatus, Stage, StageChange
from crm.sectors.models import Sector
from crm.trips.models import DelegationMember, Trip, TripStatus
from crm.visits.models import DaySlot, InterestLevel, Visit, VisitDirection, visit_contacts, visit_projects

BENCH_PASSWORD = "bench password 2026"  # noqa: S105 - the synthetic accounts' published password  # nosec B105
BATCH = 5_000


@dataclass(frozen=True)
class Volume:
    users: int
    enterprises: int
    contacts: int
    trips: int
    visits: int
    projects: int
    follow_ups: int

    @classmethod
    def at(cls, scale: float) -> Volume:
        def n(base: int) -> int:
            return max(1, round(base * scale))

        return cls(max(30, n(30)), n(5_000), n(15_000), n(800), n(30_000), n(8_000), n(40_000))


CITIES = [
    ("Suzhou", "苏州"),
    ("Wuxi", "无锡"),
    ("Hangzhou", "杭州"),
    ("Shenzhen", "深圳"),
    ("Shanghai", "上海"),
    ("Beijing", "北京"),
    ("Chengdu", "成都"),
    ("Wuhan", "武汉"),
    ("Hefei", "合肥"),
    ("Xi'an", "西安"),
    ("Munich", "慕尼黑"),
    ("Seoul", "首尔"),
    ("Osaka", "大阪"),
    ("Singapore", "新加坡"),
]
TRADES = [
    ("Precision Machinery", "精密机械"),
    ("Semiconductor", "半导体"),
    ("New Energy Vehicles", "新能源汽车"),
    ("Biomedicine", "生物医药"),
    ("Cloud Computing", "云计算"),
    ("Smart Manufacturing", "智能制造"),
    ("Advanced Materials", "新材料"),
    ("Medical Devices", "医疗器械"),
    ("Logistics", "物流"),
    ("Software", "软件"),
    ("Photovoltaics", "光伏"),
    ("Robotics", "机器人"),
]
SURNAMES = [
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Zhao", "赵"),
]
GIVEN = [("Wei", "伟"), ("Fang", "芳"), ("Min", "敏"), ("Jing", "静"), ("Lei", "磊"), ("Yang", "洋"), ("Jun", "军")]
TITLES = ["General Manager", "Vice President", "Investment Director", "Chief Engineer", "Head of Strategy"]
STAGES = list(Stage)
MOVE_EVERY = timedelta(days=20)  # a project's pace along its path, unless opened too lately for it


class Generator:
    """Builds the rows of one scale, in dependency order, with one random stream (the seed)."""

    def __init__(self, scale: float, seed: int, *, today: date | None = None) -> None:
        self.volume = Volume.at(scale)
        self.random = random.Random(seed)
        # The data ends today (the zone's date), so that "this year" on the dashboards holds a year's work
        # whenever the benchmark runs; --today pins it.
        self.today = today or local_today()
        # No moment after this one: the end of that day, or now if it is today.
        self.now = min(
            datetime.now(UTC),
            datetime.combine(
                self.today, time(23, 59, 59), tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
            ),
        )
        self.start = self.today - timedelta(days=5 * 365)
        self.counts: dict[str, int] = {}

    # The writing -------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        sectors = db.session.scalars(sa.select(Sector.id)).all()
        if not sectors:
            raise RuntimeError("The sector taxonomy is empty: run `flask --app crm db upgrade` first.")
        self.sector_ids = list(sectors)
        self.user_ids = self._insert_users()
        self.officer_ids = self.user_ids[2:]  # the first two are managers
        self._insert(Enterprise, self._enterprises())
        self.enterprise_ids = self._ids(Enterprise)
        self._insert(Contact, self._contacts())
        self.contact_by_enterprise = self._contacts_by_enterprise()
        self._insert(Trip, self._trips())
        self.trips = db.session.execute(sa.select(Trip.id, Trip.start_on, Trip.end_on, Trip.organiser_id)).all()
        self._insert(DelegationMember, self._members())
        self._insert(Visit, self._visits())
        self._insert(InvestmentProject, self._projects())
        self._insert(StageChange, self._stage_changes())
        self._link(visit_contacts, self._visit_contact_links())
        self._link(visit_projects, self._visit_project_links())
        self._insert(FollowUp, self._follow_ups())
        self.counts["report trip photos"] = self._report_trip()
        db.session.commit()
        self._insert_search_keys()
        self._insert_words()
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum would do within minutes of a bulk load: the planner's statistics, so that the
            # measurement does not catch PostgreSQL planning for empty tables. (SQLite plans from the query's
            # shape; a zone's SQLite file never gets ANALYZE either.)
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        return self.counts

    def _insert(self, model: type, rows: Iterable[dict]) -> None:
        table = model.__table__
        total = 0
        for batch in _batches(rows, BATCH):
            db.session.execute(sa.insert(table), batch)
            total += len(batch)
        self.counts[table.name] = total

    def _link(self, table: sa.Table, rows: Iterable[dict]) -> None:
        total = 0
        for batch in _batches(rows, BATCH):
            db.session.execute(sa.insert(table), batch)
            total += len(batch)
        self.counts[table.name] = total

    def _ids(self, model: type) -> list[int]:
        return list(db.session.scalars(sa.select(model.id).order_by(model.id)))

    def _contacts_by_enterprise(self) -> dict[int, list[int]]:
        grouped: dict[int, list[int]] = {}
        for contact_id, enterprise_id in db.session.execute(sa.select(Contact.id, Contact.enterprise_id)):
            grouped.setdefault(enterprise_id, []).append(contact_id)
        return grouped

    # The rows ----------------------------------------------------------------------------------

    def _insert_users(self) -> list[int]:
        password_hash = hash_password(BENCH_PASSWORD)  # once: scrypt is slow on purpose
        rows = []
        for number in range(1, self.volume.users + 1):
            role = Role.MANAGER if number <= 2 else Role.OFFICER
            surname, given = SURNAMES[number % len(SURNAMES)], GIVEN[number % len(GIVEN)]
            user = User(
                email=f"bench{number}@bench.invalid",
                name=f"{given[0]} {surname[0]} (bench {number})",
                local_name=f"{surname[1]}{given[1]}（测试{number}）",
                role=role,
                password_hash=password_hash,
            )
            rows.append(_columns(user))
        self._insert(User, rows)
        return self._ids(User)

    def _enterprises(self) -> Iterator[dict]:
        for number in range(1, self.volume.enterprises + 1):
            city, trade = self.random.choice(CITIES), self.random.choice(TRADES)
            chinese_only = number % 5 == 0  # a fifth have a Chinese name only, as many real ones do
            enterprise = Enterprise(
                name=None if chinese_only else f"Bench {city[0]} {trade[0]} {number:05d} Co., Ltd.",
                local_name=f"测试{city[1]}{trade[1]}{number:05d}有限公司",
                kind=EnterpriseKind.COMPANY,
                ownership=self.random.choice(list(Ownership)),
                country="China",
                city=city[0],
                owner_id=self.random.choice(self.user_ids),
                created_at=self._moment(self.start),
            )
            yield _columns(enterprise)

    def _contacts(self) -> Iterator[dict]:
        for number in range(1, self.volume.contacts + 1):
            surname, given = self.random.choice(SURNAMES), self.random.choice(GIVEN)
            contact = Contact(
                enterprise_id=self.random.choice(self.enterprise_ids),
                name=f"{given[0]} {surname[0]} {number}",
                local_name=f"{surname[1]}{given[1]}{number}",
                title=self.random.choice(TITLES),
                mobile=f"139{number:08d}",
                owner_id=self.random.choice(self.user_ids),
                created_at=self._moment(self.start),
            )
            yield _columns(contact)

    def _trips(self) -> Iterator[dict]:
        span = (self.today - self.start).days
        for number in range(1, self.volume.trips + 1):
            start_on = self.start + timedelta(days=self.random.randrange(span))
            end_on = start_on + timedelta(days=self.random.randint(1, 6))
            cities = self.random.sample(CITIES, self.random.randint(1, 3))
            past = end_on < self.today
            trip = Trip(
                title=f"Bench mission {number:04d} to {', '.join(city[0] for city in cities)}",
                start_on=start_on,
                end_on=end_on,
                destination_cities=", ".join(city[0] for city in cities),
                status=TripStatus.REPORTED if past and self.random.random() < 0.8 else TripStatus.PLANNED,
                planned_budget=Decimal(self.random.randrange(20, 300) * 1000),
                actual_cost=Decimal(self.random.randrange(20, 300) * 1000) if past else None,
                organiser_id=self.random.choice(self.officer_ids),
                created_at=self._moment(start_on - timedelta(days=30)),
            )
            yield _columns(trip)

    def _members(self) -> Iterator[dict]:
        for trip_id, _start, _end, organiser_id in self.trips:
            people = self.random.sample(self.user_ids, self.random.randint(3, 8))
            if organiser_id not in people:
                people[0] = organiser_id
            for position, user_id in enumerate(people):
                yield {
                    "trip_id": trip_id,
                    "name": f"Bench member {user_id}",
                    "title": "Investment officer",
                    "unit": "Investment Promotion Bureau (bench)",
                    "is_leader": position == 0,
                    "position": position,
                    "user_id": user_id,
                }

    def _visits(self) -> Iterator[dict]:
        span = (self.today - self.start).days
        for number in range(1, self.volume.visits + 1):
            on_trip = self.random.random() < 0.8
            if on_trip:
                # Every trip has begun by today (see _trips); one still under way has no visits after today.
                trip_id, start_on, end_on, owner_id = self.random.choice(self.trips)
                last_day = min(end_on, self.today)
                visited_on = start_on + timedelta(days=self.random.randint(0, (last_day - start_on).days))
            else:
                trip_id, owner_id = None, self.random.choice(self.officer_ids)
                visited_on = self.start + timedelta(days=self.random.randrange(span))
            visit = Visit(
                trip_id=trip_id,
                enterprise_id=self._busy_enterprise(),
                direction=VisitDirection.OUTBOUND if on_trip else VisitDirection.INBOUND,
                visited_on=visited_on,
                slot=self.random.choice(list(DaySlot)),
                city=self.random.choice(CITIES)[0],
                purpose=f"Bench visit {number}: introduce the zone",
                discussed="Synthetic discussion text for the benchmark. " * self.random.randint(1, 6),
                commitments="Synthetic commitment." if number % 3 == 0 else None,
                interest_level=self.random.choice(list(InterestLevel)),
                owner_id=owner_id,
                created_at=self._moment(visited_on),
            )
            yield _columns(visit)

    def _busy_enterprise(self) -> int:
        """Visits cluster on some enterprises, as in life: a few are met dozens of times."""
        if self.random.random() < 0.1:
            return self.enterprise_ids[self.random.randrange(min(20, len(self.enterprise_ids)))]
        return self.random.choice(self.enterprise_ids)

    def _projects(self) -> Iterator[dict]:
        self.project_plans: list[tuple[list[Stage], datetime, timedelta]] = []
        span = (self.today - self.start).days
        for number in range(1, self.volume.projects + 1):
            opened = self._moment(self.start + timedelta(days=self.random.randrange(span)))
            path = STAGES[: self.random.choices(range(1, 8), weights=[30, 20, 20, 12, 8, 6, 4])[0]]
            # A move every 20 days along the path, quicker for a project opened lately: none after today.
            step = min(MOVE_EVERY, timedelta(seconds=(self.now - opened).total_seconds() // max(len(path) - 1, 1)))
            self.project_plans.append((path, opened, step))
            stage_entered = opened + step * (len(path) - 1)
            status = self.random.choices(list(ProjectStatus), weights=[80, 10, 10])[0]
            confidential = self.random.random() < 0.05
            project = InvestmentProject(
                name=f"Bench project {number:05d}",
                code_name=f"BENCH-{number:05d}",
                is_confidential=confidential,
                enterprise_id=self._busy_enterprise(),
                stage=path[-1],
                stage_entered_at=stage_entered,
                # As the stage changes below say.
                furthest_stage=path[-1],
                landed_at=opened + step * Stage.SIGNED.order if path[-1].is_landed else None,
                status=status,
                status_reason="Synthetic reason." if status is not ProjectStatus.ACTIVE else None,
                planned_investment=Decimal(self.random.randrange(1, 2000)) * Decimal(1_000_000),
                planned_jobs=self.random.randrange(10, 2000),
                probability=DEFAULT_PROBABILITY[path[-1]],
                owner_id=self.random.choice(self.officer_ids),
                source=self.random.choice(list(ProjectSource)),
                created_at=opened,
            )
            yield _columns(project)

    def _stage_changes(self) -> Iterator[dict]:
        project_ids = self._ids(InvestmentProject)
        for project_id, (path, opened, step) in zip(project_ids, self.project_plans, strict=True):
            moment = opened
            previous = None
            for stage in path:
                yield {
                    "project_id": project_id,
                    "from_stage": previous,
                    "to_stage": stage,
                    "changed_by_id": self.random.choice(self.officer_ids),
                    "changed_at": moment,
                    "seconds_in_from_stage": None if previous is None else int(step.total_seconds()),
                    "note": "Synthetic stage change.",
                }
                previous = stage
                moment += step

    def _visit_contact_links(self) -> Iterator[dict]:
        for visit_id, enterprise_id in db.session.execute(sa.select(Visit.id, Visit.enterprise_id)):
            contacts = self.contact_by_enterprise.get(enterprise_id, [])
            for contact_id in self.random.sample(contacts, min(len(contacts), 2)):
                yield {"visit_id": visit_id, "contact_id": contact_id}

    def _visit_project_links(self) -> Iterator[dict]:
        visits_by_enterprise: dict[int, list[int]] = {}
        for visit_id, enterprise_id in db.session.execute(sa.select(Visit.id, Visit.enterprise_id)):
            visits_by_enterprise.setdefault(enterprise_id, []).append(visit_id)
        rows = db.session.execute(sa.select(InvestmentProject.id, InvestmentProject.enterprise_id))
        for project_id, enterprise_id in rows:
            visits = visits_by_enterprise.get(enterprise_id)
            if visits:
                yield {"visit_id": self.random.choice(visits), "project_id": project_id}

    def _follow_ups(self) -> Iterator[dict]:
        """Half on a visit, half on a project; each agreed within 90 days of its visit or its project's opening
        (not after today) and due 3 to 60 days later (some still ahead); most of those due by now are done."""
        visits = db.session.execute(sa.select(Visit.id, Visit.visited_on)).all()
        projects = [
            (project_id, opened.date())
            for project_id, (_path, opened, _step) in zip(self._ids(InvestmentProject), self.project_plans, strict=True)
        ]
        for number in range(1, self.volume.follow_ups + 1):
            on_project = number % 2 == 0
            record_id, began = self.random.choice(projects if on_project else visits)
            agreed = began + timedelta(days=self.random.randint(0, min((self.today - began).days, 90)))
            due_on = agreed + timedelta(days=self.random.randint(3, 60))
            done = due_on < self.today and self.random.random() < 0.85
            follow_up = FollowUp(
                title=f"Bench follow-up {number}: send the zone's policy package",
                due_on=due_on,
                owner_id=self.random.choice(self.officer_ids),
                done_at=self._moment(due_on) if done else None,
                visit_id=None if on_project else record_id,
                project_id=record_id if on_project else None,
                created_at=self._moment(agreed),
            )
            yield _columns(follow_up)

    def _insert_search_keys(self) -> None:
        """The search keys (pinyin, initials, words) a flush would have kept, for every named record: the same
        rows_for() the app's listener writes, in bulk."""
        from sqlalchemy.orm import selectinload

        from crm.core.searchkeys import SearchKey, rows_for

        def rows():
            for model in (Enterprise, Contact, Trip, InvestmentProject, FollowUp):
                query = sa.select(model)
                if model is Trip:  # the report trip went through the ORM, whose listener keyed it already
                    query = query.where(Trip.id != self.report_trip_id)
                if model is Enterprise:
                    query = query.options(selectinload(Enterprise.aliases), selectinload(Enterprise.parent))
                for record in db.session.scalars(query.execution_options(yield_per=2000)):
                    for row in rows_for(record):
                        yield {"record_type": model.__tablename__, "record_id": record.id, **row}

        self._insert(SearchKey, rows())

    def _insert_words(self) -> None:
        """The word index of the list searches, as the app's listener keeps it (crm.core.words), in bulk."""
        from crm.core import words

        connection = db.session.connection()
        for records, model in words.MODELS.items():
            self.counts[words.table_name(records)] = words.fill(connection, records, model.__words__)

    def _report_trip(self, visits: int = 20, photos_per_visit: int = 2) -> int:
        """One trip of 20 visits with 40 phone-sized photos, the trip report's worst case, stored through the
        attachments service as an upload would be."""
        import io

        from PIL import Image, ImageDraw
        from werkzeug.datastructures import FileStorage

        from crm.attachments.services import store

        organiser = db.session.get(User, self.officer_ids[0])
        start_on = self.today - timedelta(days=40)
        trip = Trip(
            title="Bench report trip: 20 visits, 40 photos",
            start_on=start_on,
            end_on=start_on + timedelta(days=4),
            destination_cities="Suzhou",
            status=TripStatus.COMPLETED,
            planned_budget=Decimal(200_000),
            actual_cost=Decimal(180_000),
            organiser=organiser,
            created_at=self._moment(start_on - timedelta(days=30)),
        )
        db.session.add(trip)
        db.session.add(DelegationMember(trip=trip, name="Bench member", is_leader=True, user=organiser))
        stored = 0
        for number in range(visits):
            visited_on = start_on + timedelta(days=number % 5)
            visit = Visit(
                trip=trip,
                enterprise_id=self.enterprise_ids[number],
                visited_on=visited_on,
                slot=list(DaySlot)[number % 2],
                city="Suzhou",
                purpose=f"Bench report visit {number + 1}",
                discussed="Synthetic discussion for the report benchmark. " * 8,
                commitments="Synthetic commitment.",
                owner=organiser,
                created_at=self._moment(visited_on),
            )
            db.session.add(visit)
            db.session.flush()
            for photo in range(photos_per_visit):
                image = Image.new("RGB", (4000, 3000), (40 + number * 9, 90 + photo * 60, 140))
                ImageDraw.Draw(image).rectangle((400, 300, 3600, 2700), outline=(255, 255, 255), width=40)
                data = io.BytesIO()
                image.save(data, "JPEG", quality=85)
                upload = FileStorage(io.BytesIO(data.getvalue()), filename=f"bench-{number + 1}-{photo + 1}.jpg")
                store(upload, by=organiser, visit_id=visit.id, caption=f"Bench photo {number + 1}.{photo + 1}")
                stored += 1
        self.report_trip_id = trip.id
        return stored

    def _moment(self, day: date) -> datetime:
        """A moment of office hours in the zone (01:00 to 10:00 UTC), on `day`; not later than now."""
        return min(datetime.combine(day, time(1 + self.random.randrange(10)), tzinfo=UTC), self.now)


def _columns(record: object) -> dict:
    """The column values of a transient model object, with the model's defaults filled in.

    Building the object runs whatever the model layer derives on assignment (name keys, pinyin); the
    defaults a flush would apply are filled here, since a bulk INSERT of dicts bypasses the flush.
    """
    values = {}
    for column in record.__table__.columns:
        value = getattr(record, column.key, None)
        if value is None and column.default is not None and not column.primary_key:
            default = column.default
            value = default.arg(None) if default.is_callable else default.arg
        if value is not None or not column.primary_key:
            values[column.key] = value
    values.pop("id", None)
    return values


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def main(argv: list[str] | None = None) -> None:
    import argparse
    import time as clock

    from flask_migrate import upgrade

    from crm import create_app

    parser = argparse.ArgumentParser(description="Fill the configured database with synthetic benchmark data.")
    parser.add_argument("--scale", type=float, default=1.0, help="1 is one zone over five years")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--today", type=date.fromisoformat, help="the day the data ends (YYYY-MM-DD; the zone's today by default)"
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    app = create_app()
    with app.app_context():
        upgrade()
        if db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)):
            raise SystemExit("This database already holds enterprises: generate into an empty one.")
        began = clock.perf_counter()
        counts = Generator(args.scale, args.seed, today=args.today).run()
        elapsed = clock.perf_counter() - began
        db.session.remove()
        db.engine.dispose()
    if args.quiet:
        return
    for table, count in counts.items():
        print(f"{table:24} {count:>9,}")
    print(f"scale {args.scale:g}, seed {args.seed}: {sum(counts.values()):,} rows in {elapsed:.1f} s")
    print(f"sign in as bench1@bench.invalid (manager) or bench3@bench.invalid (officer), password {BENCH_PASSWORD!r}")


if __name__ == "__main__":
    main()
