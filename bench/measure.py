"""Latency of every page over HTTP, as a user's browser sees it, under gunicorn on this machine.

For each page: p50, p95 and max over N requests, the HTML's size, the SQL statements the request sent
and the time they took (from the app's Server-Timing header), a bare Flask response on the same server
for comparison, the page's target and the ratio to it. Printed as a table and written as JSON.

    python -m bench.measure --requests 30 --json bench/results.json

The database is the configured one (CRM_DATABASE_URL / CRM_INSTANCE_PATH), filled by bench.generate.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.web import Client, free_port, start_server, stop_server

LIST_P50_MS = 15
# A dashboard may take its SQL's time and this much more (the "raw SQL + 20 ms"), at p50.
DASHBOARD_OVER_SQL_MS = 20
PAGE_P95_MS = 50
MAX_PAGE_BYTES = 150_000
MAX_QUERIES = 15


@dataclass
class Page:
    name: str
    path: str
    kind: str = "page"  # page | list | detail | dashboard | search | file
    method: str = "GET"
    limit_ms: float = PAGE_P95_MS  # the p95 target
    max_bytes: int | None = MAX_PAGE_BYTES


@dataclass
class Result:
    name: str
    role: str
    path: str
    kind: str
    status: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    bytes: int
    queries: int
    sql_ms: float
    bare_ms: float
    limit_ms: float
    problems: list[str] = field(default_factory=list)
    cpu_ms: float = 0.0  # the machine's speed during the run (cpu_reference_ms)

    @property
    def ratio(self) -> float:
        return self.p95_ms / self.limit_ms if self.limit_ms else 0.0


def server_timing(headers: dict) -> tuple[int, float]:
    value = headers.get("server-timing", "")
    match = re.search(r'sql;dur=([\d.]+);desc="(\d+) queries"', value)
    return (int(match.group(2)), float(match.group(1))) if match else (0, 0.0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(client: Client, page: Page, role: str, requests: int, bare_ms: float) -> Result:
    timings, statuses, sizes, queries, sql = [], set(), 0, [], []
    if page.kind == "file":  # seconds each: a handful tells the story
        requests = min(requests, 5)
    for number in range(requests + 2):
        began = time.perf_counter()
        status, payload, headers = client.request(page.method, page.path)
        elapsed = (time.perf_counter() - began) * 1000
        if number < 2:  # warm-up: the first request of a page compiles its templates
            continue
        timings.append(elapsed)
        statuses.add(status)
        sizes = len(payload)
        count, sql_ms = server_timing(headers)
        queries.append(count)
        sql.append(sql_ms)
    result = Result(
        name=page.name,
        role=role,
        path=page.path,
        kind=page.kind,
        status=max(statuses),
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(percentile(timings, 0.95), 1),
        max_ms=round(max(timings), 1),
        bytes=sizes,
        queries=max(queries),
        sql_ms=round(statistics.median(sql), 1),
        bare_ms=round(bare_ms, 2),
        limit_ms=page.limit_ms,
    )
    result.problems = problems_of(result, page, set(queries))
    return result


def problems_of(result: Result, page: Page, query_counts: set[int]) -> list[str]:
    problems = []
    if result.status >= 400:
        problems.append(f"HTTP {result.status}")
    if result.p95_ms > page.limit_ms:
        problems.append(f"p95 {result.p95_ms} > {page.limit_ms} ms")
    if page.kind in ("list", "detail") and result.p50_ms > LIST_P50_MS:
        problems.append(f"p50 {result.p50_ms} > {LIST_P50_MS} ms")
    if page.kind == "dashboard" and result.p50_ms > result.sql_ms + DASHBOARD_OVER_SQL_MS:
        problems.append(f"p50 {result.p50_ms} > sql {result.sql_ms} + {DASHBOARD_OVER_SQL_MS} ms")
    if page.max_bytes and result.bytes > page.max_bytes:
        problems.append(f"{result.bytes // 1024} kB > {page.max_bytes // 1024} kB")
    if page.kind != "file" and result.queries > MAX_QUERIES:
        problems.append(f"{result.queries} queries > {MAX_QUERIES}")
    if len(query_counts) > 1:
        problems.append(f"query count varies: {sorted(query_counts)}")
    return problems


def busiest(app) -> dict[str, int]:
    """The ids of the heaviest records: the pages most likely to grow with the data."""
    import sqlalchemy as sa

    from crm.enterprises.models import Enterprise
    from crm.extensions import db
    from crm.followups.models import FollowUp
    from crm.pipeline.models import InvestmentProject
    from crm.trips.models import Trip
    from crm.visits.models import Visit

    def top(column):
        return db.session.execute(
            sa.select(column, sa.func.count())
            .where(column.is_not(None))
            .group_by(column)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).first()[0]

    with app.app_context():
        return {
            "enterprise": top(Visit.enterprise_id),
            "trip": top(Visit.trip_id),
            "officer": top(FollowUp.owner_id),
            "visit": db.session.scalar(sa.select(sa.func.max(Visit.id))),
            "project": top(FollowUp.project_id),
            "contact_enterprise": db.session.scalar(sa.select(sa.func.min(Enterprise.id))),
            "follow_up": db.session.scalar(sa.select(sa.func.max(FollowUp.id))),
            "report_trip": db.session.scalar(
                sa.select(sa.func.max(Trip.id)).where(Trip.title.like("Bench report trip%"))
            ),
            "confidential": db.session.scalar(
                sa.select(sa.func.min(InvestmentProject.id)).where(InvestmentProject.is_confidential)
            ),
        }


def pages_for(ids: dict[str, int], rules: set[str]) -> list[Page]:
    """Every page a user meets, with the heaviest record of each kind; pages of areas not built are skipped."""
    candidates = [
        Page("home", "/"),
        Page("trips", "/trips/", "list"),
        Page("trips: search", "/trips/?q=Suzhou", "list"),
        Page("trips: page 20", "/trips/?page=20", "list"),
        Page("visits", "/visits/", "list"),
        Page("visits: search", "/visits/?q=Bench+Suzhou", "list"),
        Page("visits: Chinese search", "/visits/?q=%E8%8B%8F%E5%B7%9E", "list"),
        Page("visits: page 50", "/visits/?page=50", "list"),
        Page("enterprises", "/enterprises/", "list"),
        Page("enterprises: search", "/enterprises/?q=Robotics", "list"),
        Page("enterprises: Chinese search", "/enterprises/?q=%E6%9D%AD%E5%B7%9E%E6%9C%BA%E5%99%A8%E4%BA%BA", "list"),
        Page("enterprises: page 50", "/enterprises/?page=50", "list"),
        Page("contacts", "/contacts/", "list"),
        Page("contacts: search", "/contacts/?q=Wang", "list"),
        Page("contacts: page 50", "/contacts/?page=50", "list"),
        Page("projects", "/projects/", "list"),
        Page("projects: search", "/projects/?q=Bench+project+0004", "list"),
        Page("projects: page 50", "/projects/?page=50", "list"),
        Page("board", "/projects/board", "list"),
        Page("follow-ups: mine", "/follow-ups/", "list"),
        Page("follow-ups: all", "/follow-ups/?scope=all", "list"),
        Page("follow-ups: all, page 50", "/follow-ups/?scope=all&page=50", "list"),
        Page("audit log", "/audit/", "list"),
        Page("busiest enterprise", f"/enterprises/{ids['enterprise']}", "detail"),
        Page("busiest trip", f"/trips/{ids['trip']}", "detail"),
        Page("a visit", f"/visits/{ids['visit']}", "detail"),
        Page("busiest project", f"/projects/{ids['project']}", "detail"),
        Page("confidential project", f"/projects/{ids['confidential']}", "detail"),
        Page("a follow-up", f"/follow-ups/{ids['follow_up']}", "detail"),
        Page("dashboard", "/dashboards/", "dashboard"),
        Page("dashboard: targets", "/dashboards/targets", "dashboard"),
        Page("dashboard: trips", "/dashboards/trips", "dashboard"),
        Page("dashboard: chains", "/dashboards/chains", "dashboard"),
        Page("dashboard: team month", "/dashboards/team", "dashboard"),
        Page("search: suzhou", "/search/?q=suzhou", "search"),
        Page("search: Chinese", "/search/?q=%E8%8B%8F%E5%B7%9E", "search"),
        Page("search: pinyin initials", "/search/?q=sz", "search"),
        Page("search: JSON (as one types)", "/search/results.json?q=su", "search"),
        Page(
            "trip report PDF (20 visits, 40 photos)",
            f"/trips/{ids['report_trip']}/report/export?format=pdf&language=zh",
            "file",
            limit_ms=3000,
            max_bytes=None,
        ),
        Page("projects XLSX (all)", "/exchange/export/projects.xlsx", "file", limit_ms=3000, max_bytes=None),
    ]
    return [page for page in candidates if _route_exists(page.path, rules)]


def _route_exists(path: str, rules: set[str]) -> bool:
    bare = re.sub(r"\d+", "<id>", path.split("?")[0])
    return bare in rules or path.startswith("/exchange/export/")


def route_patterns(app) -> set[str]:
    return {re.sub(r"<[^>]+>", "<id>", rule.rule) for rule in app.url_map.iter_rules()}


def cpu_reference_ms() -> float:
    """How long a fixed piece of pure Python (3 million multiply-adds) takes here, median of five.

    A shared machine's speed changes from hour to hour (the same SQL was seen taking 45 ms and 80 ms on the
    same day); printed and kept with the results, it says how fast the machine was during the run.
    """
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        total = 0
        for number in range(3_000_000):
            total += number * number
        timings.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(timings), 1)


def bare_response_ms(client: Client, requests: int) -> float:
    timings = []
    for _ in range(requests + 2):
        began = time.perf_counter()
        client.request("GET", "/_timing/bare")
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings[2:])


# At a larger scale a page may take twice its time at the smaller one, and a few milliseconds more (twice 3 ms
# is within the noise of one request); files (exports) grow with the data they hold and are not compared.
SCALE_FACTOR = 2.0
SCALE_SLACK_MS = 5.0


def compare_with(results: list[Result], baseline: list[dict]) -> None:
    """Flag each page whose p50 or p95 is more than twice (plus slack) its time in `baseline`."""
    before = {(row["name"], row["role"]): row for row in baseline}
    for result in results:
        row = before.get((result.name, result.role))
        if row is None or result.kind == "file" or result.name.startswith("login"):
            continue
        for measure in ("p50_ms", "p95_ms"):
            allowed = row[measure] * SCALE_FACTOR + SCALE_SLACK_MS
            if getattr(result, measure) > allowed:
                result.problems.append(
                    f"{measure[:3]} {getattr(result, measure)} > 2x {row[measure]} at the smaller scale"
                )


def table(results: list[Result]) -> str:
    lines = [
        f"{'page':34} {'role':8} {'p50':>7} {'p95':>7} {'max':>7} {'kB':>6} {'q':>3} {'sql':>6} {'bare':>5} "
        f"{'limit':>6} {'ratio':>5}  problems",
    ]
    for r in results:
        lines.append(
            f"{r.name[:34]:34} {r.role:8} {r.p50_ms:7.1f} {r.p95_ms:7.1f} {r.max_ms:7.1f} {r.bytes / 1024:6.1f} "
            f"{r.queries:3d} {r.sql_ms:6.1f} {r.bare_ms:5.1f} {r.limit_ms:6.0f} {r.ratio:5.2f}  {'; '.join(r.problems)}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="requests per page (after 2 warm-ups)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument(
        "--baseline", type=Path, help="results of a smaller scale (JSON): flag pages more than twice as slow"
    )
    args = parser.parse_args(argv)

    from crm import create_app

    app = create_app()
    ids = busiest(app)
    rules = route_patterns(app)
    port = free_port()
    server = start_server(port, args.workers, server_timing=True)
    results: list[Result] = []
    try:
        for role, email in (("officer", "bench3@bench.invalid"), ("manager", "bench1@bench.invalid")):
            client = Client(port)
            began = time.perf_counter()
            client.login(email)
            login_ms = (time.perf_counter() - began) * 1000
            bare = bare_response_ms(client, args.requests)
            results.append(
                Result("login (scrypt)", role, "/login", "page", 302, login_ms, login_ms, login_ms, 0, 0, 0, bare, 1000)
            )
            cpu = cpu_reference_ms()
            print(f"{role}: the reference Python loop took {cpu} ms", flush=True)
            results[-1].cpu_ms = cpu
            for page in pages_for(ids, rules):
                if args.only and args.only not in page.name:
                    continue
                results.append(measure(client, page, role, args.requests, bare))
                results[-1].cpu_ms = cpu
                print(table(results[-1:]).splitlines()[1], flush=True)
    finally:
        stop_server(server)
    if args.baseline:
        compare_with(results, json.loads(args.baseline.read_text()))
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) | {"ratio": round(r.ratio, 2)} for r in results], indent=1))
    failing = [r for r in results if r.problems]
    print(f"\n{len(results)} pages measured, {len(failing)} with problems")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
