"""Every form, as every role, against generated input (issue 8): no 5xx, a 400 that says what is wrong or a
success, and no change to any row the form does not own.

The forms are discovered, not listed: every page of the permission matrix (tests/security/matrix/) is opened,
and every POST form on it is read as a browser would submit it; POST routes with no form on any page are
posted with generated fields too. `make fuzz` runs many more examples (CRM_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.core.roles import Role
from crm.extensions import db
from tests.conftest import login
from tests.hardening.html_forms import Form, forms_of
from tests.security import matrix

EXAMPLES = int(os.environ.get("CRM_FUZZ_EXAMPLES", "30"))

# What people (and attackers) type: blanks, huge, CJK, emoji, NUL, edge numbers and dates, markup.
EDGE_VALUES = [
    "",
    " ",
    "   \t  ",
    "x" * 20_000,
    "投资促进局苏州工业园区",
    "😀🏭💰" * 30,
    "a\x00b",
    "\u200b",
    "0",
    "-1",
    "1" + "0" * 309,
    "2147483648",
    "-9223372036854775809",
    "9223372036854775808",
    "1e309",
    "NaN",
    "Infinity",
    "12.345",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "1-01-01",
    "2026-03-23",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "javascript:alert(1)",
    "x #99999999999",
    "on",
    "true",
]
STALE_VERSIONS = ["0", "1", "2", "999999999999", "-1", "abc", ""]

# The tables each area's forms may write, besides the audit log.
AREA_TABLES = {
    "trips": {"trips", "trip_sectors", "delegation_members"},
    "visits": {"visits", "visit_sectors", "visit_contacts", "visit_members", "visit_projects", "enterprises"},
    # Merging moves every child record of the merged enterprise to the one kept.
    "enterprises": {
        "enterprises",
        "enterprise_sectors",
        "enterprise_aliases",
        "contacts",
        "visits",
        "investment_projects",
        "follow_ups",
        "attachments",
    },
    "contacts": {"contacts"},
    "pipeline": {"investment_projects", "project_sectors", "stage_changes", "visit_projects"},
    "followups": {"follow_ups"},
    "attachments": {"attachments"},
    "users": {"users"},
    "accounts": {"users", "rate_limit_hits"},
    "main": {"users"},
    "auditlog": set(),
    "reports": {"trip_reports", "trips"},  # approval marks the trip reported; submission dates it
    "dashboards": {"targets"},
    "search": set(),
    "exchange": {
        "enterprises",
        "enterprise_sectors",
        "enterprise_aliases",
        "contacts",
        "investment_projects",
        "project_sectors",
        "stage_changes",
    },
}
# The audit log, and the search keys every write of a named record keeps in step (derived, never edited).
ALWAYS_WRITABLE = {"audit_events", "search_keys"}
# The record a URL names, by placeholder: no other row of its table may change.
PLACEHOLDER_TABLES = {
    "trip": "trips",
    "visit": "visits",
    "project": "investment_projects",
    "enterprise": "enterprises",
    "contact": "contacts",
    "follow_up": "follow_ups",
    "attachment": "attachments",
    "target": "users",
}
# Posting these would end the session under test, which tells nothing about the forms.
SKIPPED = {"accounts.logout", "accounts.login", "accounts.setup"}


def _routes(app, placeholders: dict) -> list[tuple[str, str, str]]:
    """(endpoint, path, first placeholder's table) for every POST route in the matrix."""
    routes = []
    for (endpoint, method), (template, _expected) in sorted(matrix.rows().items()):
        if method != "POST" or endpoint in SKIPPED:
            continue
        names = re.findall(r"{(\w+)}", template)
        table = PLACEHOLDER_TABLES.get(names[0]) if names else None
        record_id = placeholders.get(names[0]) if names else None
        routes.append((endpoint, template.format(**placeholders), (table, record_id)))
    return routes


def _discovered_forms(client, placeholders: dict) -> dict[str, Form]:
    """Every POST form on every page the matrix lists, by the path it posts to."""
    found: dict[str, Form] = {}
    for (endpoint, method), (template, _expected) in sorted(matrix.rows().items()):
        if method != "GET" or endpoint == "static":
            continue
        path = template.format(**placeholders)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.content_type:
            response.close()
            continue
        for form in forms_of(response.get_data(as_text=True), path):
            found.setdefault(urlsplit(form.action).path, form)
    return found


def _snapshot() -> dict[str, dict]:
    rows = {}
    for table in db.metadata.sorted_tables:
        key = [column.name for column in table.primary_key.columns]
        result = db.session.execute(sa.select(table)).mappings().all()
        rows[table.name] = {tuple(row[name] for name in key): dict(row) for row in result}
    return rows


def _changes(before: dict, after: dict) -> dict[str, set]:
    """{table: primary keys inserted, updated or deleted}."""
    changed = {}
    for table, rows in after.items():
        keys = {key for key in rows.keys() | before[table].keys() if rows.get(key) != before[table].get(key)}
        if keys:
            changed[table] = keys
    return changed


PLAUSIBLE = {"date": "2026-03-24", "number": "5", "email": "someone@zone.test", "checkbox": "y"}


def _plausible(form: Form, name: str) -> list[str]:
    """What a user would leave or type: the value the page offered, else something sensible for the input."""
    offered = form.data().get(name) or []
    if any(offered):
        return offered
    if name in form.selects:
        options = [value for value in form.selects[name] if value]
        return options[:1]
    return [PLAUSIBLE.get(form.kinds.get(name, ""), "Sample text")]


def _mutation(draw, form: Form, name: str) -> list[str] | None:
    """One kind of bad input for a field; None means the field is left out of the request."""
    kind = draw(st.sampled_from(["blank", "blank", "edge", "edge", "edge", "odd", "text", "missing", "repeated"]))
    if kind == "blank":
        return [draw(st.sampled_from(["", " ", "   \t  ", "\u3000", "\u200b"]))]
    if kind == "odd" and name == "version":
        return [draw(st.sampled_from(STALE_VERSIONS))]
    if kind == "odd" and name in form.selects:  # a value outside the select's options
        return [draw(st.sampled_from(["999999", "-1", "not-an-option", "0", "1" + "0" * 309]))]
    if kind == "text":
        return [draw(st.text(max_size=40))]
    if kind == "missing":
        return None
    if kind == "repeated":
        return [draw(st.sampled_from(EDGE_VALUES)), draw(st.sampled_from(EDGE_VALUES))]
    return [draw(st.sampled_from(EDGE_VALUES))]


@st.composite
def submissions(draw, routes, forms):
    """A route's form filled in as a user would, with one to three fields given bad input."""
    endpoint, path, owner = draw(st.sampled_from(routes))
    form = forms.get(path) or Form(action=path)
    names = list(form.kinds) or ["name", "title", "version"]
    count = draw(st.sampled_from([1, 1, 1, 2, 3]))
    mutated = set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=count, unique=True)))
    data: dict[str, list[str]] = {}
    for name in names:
        values = _mutation(draw, form, name) if name in mutated else _plausible(form, name)
        if values is not None:
            data[name] = values
    return endpoint, path, owner, data


def _has_message(response) -> bool:
    html = response.get_data(as_text=True)
    return any(marker in html for marker in ("invalid-feedback", "alert-danger", 'class="lead"', "alert-"))


ROLES = [Role.OFFICER, Role.MANAGER, Role.ADMIN]


def test_generated_input_on_every_form_as_every_role(app, make_user):
    officer = make_user(Role.OFFICER)
    placeholders = matrix.make_records(officer)  # the officer's own records: every form is theirs to post
    db.session.commit()
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        email = officer.email if role is Role.OFFICER else make_user(role).email
        assert login(clients[role], email).status_code == 302
    forms = _discovered_forms(clients[Role.ADMIN], placeholders)  # the admin sees every form there is
    routes = _routes(app, placeholders)
    assert len(forms) >= 10, sorted(forms)  # the discovery found the app's forms

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.sampled_from(ROLES), submissions(routes, forms))
    def post_generated(role, submission):
        endpoint, path, (table, record_id), data = submission
        before = _snapshot()
        response = clients[role].post(path, data=data)
        response.close()
        status = response.status_code
        assert status < 500, (role, endpoint, data)
        assert status in (200, 302, 400, 403, 404, 409, 413, 429), (role, endpoint, status)
        if status == 400:
            assert _has_message(response), (role, endpoint, data)
        changed = _changes(before, _snapshot())
        area = endpoint.split(".")[0]
        foreign = set(changed) - AREA_TABLES[area] - ALWAYS_WRITABLE
        assert not foreign, (role, endpoint, data, {name: changed[name] for name in foreign})
        if table and table in changed:
            others = {key for key in changed[table] if key in before[table] and key != (record_id,)}
            assert not others, (role, endpoint, data, table, others)
        if status >= 400:
            assert set(changed) <= ALWAYS_WRITABLE | {"rate_limit_hits"}, (role, endpoint, status, data, changed)

    post_generated()
