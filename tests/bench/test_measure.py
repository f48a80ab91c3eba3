"""The benchmark's verdicts: a page over its targets, or twice as slow as at the smaller scale, is flagged."""

from __future__ import annotations

from bench.measure import Page, Result, compare_with, problems_of


def result(name="visits", kind="list", p50=10.0, p95=20.0, size=30_000, queries=8) -> Result:
    return Result(name, "officer", "/visits/", kind, 200, p50, p95, p95, size, queries, 1.0, 1.5, 50)


def test_a_page_within_its_targets_has_no_problems():
    assert problems_of(result(), Page("visits", "/visits/", "list"), {8}) == []


def test_each_target_missed_is_named():
    slow = result(p50=16, p95=51, size=160_000, queries=16)
    problems = problems_of(slow, Page("visits", "/visits/", "list"), {16, 17})
    assert problems == [
        "p95 51 > 50 ms",
        "p50 16 > 15 ms",
        "156 kB > 146 kB",
        "16 queries > 15",
        "query count varies: [16, 17]",
    ]


def test_a_dashboard_may_take_its_sql_and_twenty_milliseconds_more():
    page = Page("dashboard", "/dashboards/", "dashboard")
    within = result(name="dashboard", kind="dashboard", p50=40.0, p95=45.0)
    within.sql_ms = 20.0
    over = result(name="dashboard", kind="dashboard", p50=41.0, p95=45.0)
    over.sql_ms = 20.0
    assert problems_of(within, page, {14}) == []
    assert problems_of(over, page, {14}) == ["p50 41.0 > sql 20.0 + 20 ms"]


def test_the_larger_scale_is_compared_with_the_smaller_one_page_by_page():
    baseline = [{"name": "visits", "role": "officer", "p50_ms": 10.0, "p95_ms": 20.0}]
    within, twice_and_more = result(p50=24.9, p95=45.0), result(p50=25.1, p95=30.0)
    compare_with([within, twice_and_more], baseline)
    assert within.problems == []  # twice 10 ms and 5 ms of slack
    assert twice_and_more.problems == ["p50 25.1 > 2x 10.0 at the smaller scale"]
    export = result(name="projects XLSX (all)", kind="file", p50=9000, p95=9000)
    compare_with([export], [{"name": "projects XLSX (all)", "role": "officer", "p50_ms": 900, "p95_ms": 900}])
    assert export.problems == []  # an export grows with what it holds


def test_the_readme_table_puts_both_scales_side_by_side():
    from bench.table import compared

    before = [{"name": "visits", "role": "officer", "p50_ms": 10.0, "p95_ms": 20.0}]
    after = [{"name": "visits", "role": "officer", "p50_ms": 12.0, "p95_ms": 30.0, "queries": 7, "sql_ms": 2.5}]
    assert compared(after, before)[2] == "| visits | officer | 10.0 | 12.0 | 20.0 | 30.0 | 1.5 | 7 | 2.5 |"


def test_each_run_says_how_fast_the_machine_was():
    from bench.measure import cpu_reference_ms
    from bench.table import machine_speed

    assert 1 < cpu_reference_ms() < 60_000
    speeds = (("officer", 140.2), ("manager", 151))
    logins = [{"name": "login (scrypt)", "role": role, "cpu_ms": ms} for role, ms in speeds]
    assert machine_speed(logins) == "Reference Python loop during the run: 140 ms (officer), 151 ms (manager)."
    assert machine_speed([{"name": "login (scrypt)", "role": "officer"}]) == ""  # results from before it was kept
