"""The dashboard pages: every linked count equals its list, confidential names stay hidden, fixed query counts."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from crm.dashboards.models import Target
from crm.extensions import db
from tests.conftest import text_of
from tests.dashboards.conftest import PERIOD
from tests.querycount import count_queries

LIST_PREFIXES = ("/projects/", "/visits/", "/enterprises/", "/follow-ups/", "/followups/")
# Links whose number counts the records listed (class drill-sum marks sums of jobs, which link to the same list).
COUNT_LINK = re.compile(r'<a (?![^>]*drill-sum)[^>]*href="([^"]+)"[^>]*>\s*(\d+)\s*</a>')
TOTAL = re.compile(r"(\d+) records?")


def dashboard_urls(dataset) -> list[str]:
    return [
        "/dashboards/?" + urlencode(PERIOD),
        "/dashboards/targets?year=2025",
        "/dashboards/trips?" + urlencode(PERIOD),
        "/dashboards/chains",
        "/dashboards/team?month=2025-03",
        f"/trips/{dataset.trips['t1'].id}",
    ]


def drill_links(html: str) -> list[tuple[str, int]]:
    links = [(unescape(href), int(number)) for href, number in COUNT_LINK.findall(html)]
    return [(href, number) for href, number in links if href.startswith(LIST_PREFIXES)]


@pytest.mark.parametrize("who", ["manager", "me"])
def test_every_linked_count_equals_the_list_behind_it(client, dataset, login_user, who):
    login_user(getattr(dataset, who))
    checked = 0
    for url in dashboard_urls(dataset):
        response = client.get(url)
        assert response.status_code == 200, url
        for href, number in drill_links(response.get_data(as_text=True)):
            listed = text_of(client.get(href))
            match = TOTAL.search(listed)
            assert match, href
            assert int(match.group(1)) == number, f"{url}: {href} shows {number}, the list {match.group(1)}"
            checked += 1
    assert checked > 60


def test_the_dashboard_shows_the_known_figures(client, dataset, login_user):
    login_user(dataset.manager)
    page = text_of(client.get("/dashboards/?" + urlencode(PERIOD)))
    assert "Active projects 3" in page
    assert "Projects landed 1" in page
    assert "Lead to signed 33%" in page
    assert "Overdue follow-ups 1" in page
    assert "Stale projects 4" in page
    assert "Response time 3.0 days" in page


def test_confidential_names_never_reach_an_officer(client, dataset, login_user):
    login_user(dataset.me)
    for url in dashboard_urls(dataset):
        html = client.get(url).get_data(as_text=True)
        assert "Secret Pharma Plant" not in html, url
        for href, _number in drill_links(html):
            assert "Secret Pharma Plant" not in client.get(href).get_data(as_text=True), href


def test_a_manager_sees_the_confidential_project_in_the_drill_down(client, dataset, login_user):
    login_user(dataset.manager)
    listed = text_of(client.get("/projects/?phase=open&sector=" + str(dataset.projects[6].sectors[0].id)))
    assert "Secret Pharma Plant" in listed


def test_chart_data_is_a_json_block_with_the_funnel_numbers(client, dataset, login_user):
    import json

    login_user(dataset.manager)
    html = client.get("/dashboards/?" + urlencode(PERIOD)).get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="dashboard-charts">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["charts"]["funnel"]["counts"] == [6, 5, 4, 2, 0, 0, 0]
    assert data["charts"]["funnel"]["values"][:4] == [300, 290, 250, 120]  # millions, in English
    assert data["unit"] == "million CNY"
    assert data["charts"]["months"]["counts"][4] == 1
    assert "<script>" not in html.replace('<script type="application/json"', "")


def test_chinese_charts_count_in_wan_yuan(client, dataset, login_user):
    import json

    dataset.manager.locale = "zh"
    db.session.commit()
    login_user(dataset.manager)
    html = client.get("/dashboards/?" + urlencode(PERIOD)).get_data(as_text=True)
    data = json.loads(re.search(r'id="dashboard-charts">(.*?)</script>', html, re.S).group(1))
    assert data["charts"]["funnel"]["values"][0] == 30000
    assert "万元" in data["unit"]


QUERY_COUNTS = {
    "/dashboards/?from=2025-01-01&to=2025-12-31": 14,
    "/dashboards/targets?year=2025": 6,  # the form holds the targets set now (one look-up)
    "/dashboards/trips?from=2025-01-01&to=2025-12-31": 9,
    "/dashboards/chains": 4,
    "/dashboards/team?month=2025-03": 7,
}


@pytest.mark.parametrize("url", QUERY_COUNTS)
def test_each_page_sends_a_fixed_number_of_queries(client, dataset, login_user, url):
    login_user(dataset.manager)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    assert len(statements) == QUERY_COUNTS[url], "\n".join(statements)


def test_a_manager_sets_targets(client, dataset, login_user):
    login_user(dataset.manager)
    response = client.post(
        "/dashboards/targets",
        data={"year": "2026", "officer": str(dataset.me.id), "projects_signed": "3", "investment_signed": "5000000"},
    )
    assert response.status_code == 302
    target = db.session.scalar(db.select(Target).where(Target.year == 2026, Target.officer_id == dataset.me.id))
    assert (target.projects_signed, target.investment_signed, target.jobs) == (3, 5000000, None)
    # Saving again replaces, never duplicates.
    client.post("/dashboards/targets", data={"year": "2026", "officer": str(dataset.me.id), "jobs": "10"})
    db.session.expire_all()
    rows = db.session.scalars(db.select(Target).where(Target.year == 2026)).all()
    assert [(row.projects_signed, row.jobs) for row in rows] == [(None, 10)]


def test_bad_targets_are_refused_beside_their_field(client, dataset, login_user):
    login_user(dataset.manager)
    response = client.post("/dashboards/targets", data={"year": "2026", "projects_signed": "-1", "jobs": "many"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Enter a number of 0 or more." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Target).where(Target.year == 2026)) == 0


def test_an_officer_may_not_set_targets_and_sees_only_their_month(client, dataset, login_user):
    login_user(dataset.me)
    assert client.post("/dashboards/targets", data={"year": "2026", "jobs": "1"}).status_code == 403
    page = text_of(client.get("/dashboards/team?month=2025-03"))
    assert "Officer A" in page and "Officer B" not in page


def test_bad_filters_fall_back_instead_of_failing(client, dataset, login_user):
    login_user(dataset.manager)
    assert client.get("/dashboards/?from=garbage&to=2025-13-45&sector=x&owner=-1&status=nope").status_code == 200
    assert client.get("/dashboards/?from=2025-12-31&to=2025-01-01").status_code == 200
    assert client.get("/dashboards/team?month=2025-99").status_code == 404
    assert client.get("/dashboards/targets?year=99999").status_code == 200


def test_a_manager_home_is_the_dashboard(client, dataset, login_user):
    login_user(dataset.manager)
    page = text_of(client.get("/"))
    assert "Pipeline dashboard" in page and "Hello, Manager M" in page


def test_the_target_form_opens_with_the_targets_set_now_and_the_log_reads_them(client, dataset, login_user):
    """Changing one target keeps the others: "Set targets" beside a row fills the form with that row's targets.
    The audit log names the targets and formats their amounts, with the record type in the reader's language."""
    login_user(dataset.manager)
    data = {"year": "2026", "officer": str(dataset.me.id), "projects_signed": "3", "investment_signed": "5亿"}
    assert client.post("/dashboards/targets", data=data).status_code == 302
    page = client.get(f"/dashboards/targets?year=2026&officer={dataset.me.id}").get_data(as_text=True)
    form = page[page.index('id="set-targets"') :]
    assert re.search(r'name="projects_signed"[^>]*value="3"', form)
    assert re.search(rf'<option selected value="{dataset.me.id}"|<option value="{dataset.me.id}" selected', form)
    assert f"/dashboards/targets?year=2026&amp;officer={dataset.me.id}#set-targets" in page
    bureau_form = client.get("/dashboards/targets?year=2026").get_data(as_text=True)
    assert not re.search(r'name="projects_signed"[^>]*value="3"', bureau_form)
    log = text_of(client.get("/audit/?entity_type=targets"))
    assert f"2026 targets for {dataset.me.display_name}" in log and "Projects signed" in log
    assert "investment_signed" not in log and "500000000.00" not in log and "targets #" not in log
    client.post("/language", data={"language": "zh"})
    assert '<option selected value="targets">年度目标</option>' in client.get("/audit/?entity_type=targets").get_data(
        as_text=True
    )


def test_two_managers_saving_the_same_targets_the_second_is_shown_the_first_s_and_keeps_what_they_typed(
    client, dataset, login_user
):
    login_user(dataset.manager)
    path = f"/dashboards/targets?year=2026&officer={dataset.me.id}"

    def opened_form() -> dict:
        html = client.get(path).get_data(as_text=True)
        return {"year": "2026", "officer": str(dataset.me.id), "opened": _opened(html)}

    first, second = opened_form(), opened_form()  # two managers open the same form
    assert client.post("/dashboards/targets", data={**first, "projects_signed": "8"}).status_code == 302
    refused = client.post("/dashboards/targets", data={**second, "jobs": "900"})
    assert refused.status_code == 409
    page = text_of(refused)
    assert "Someone saved these targets after you opened the form. Now set: Projects signed: 8;" in page
    assert re.search(r'name="jobs"[^>]*value="900"', refused.get_data(as_text=True))  # what they typed stays
    target = db.session.scalar(db.select(Target).where(Target.year == 2026, Target.officer_id == dataset.me.id))
    assert (target.projects_signed, target.jobs) == (8, None)
    # Saving again from that page replaces them, as the message says; a fresh form saves at once.
    stamp = _opened(refused.get_data(as_text=True))
    assert client.post("/dashboards/targets", data={**second, "opened": stamp, "jobs": "900"}).status_code == 302
    assert client.post("/dashboards/targets", data={**opened_form(), "jobs": "950"}).status_code == 302


def _opened(html: str) -> str:
    """The target form's hidden "opened" stamp."""
    field = re.search(r'<input[^>]*name="opened"[^>]*>', html).group(0)
    return unescape(re.search(r'value="([^"]*)"', field).group(1))
