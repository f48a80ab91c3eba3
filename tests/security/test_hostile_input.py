"""Hostile or malformed query strings and ids never produce a server error on any page."""

from __future__ import annotations

import pytest

from crm.core.roles import Role
from crm.enterprises.models import Enterprise
from crm.extensions import db
from tests.security import matrix

NASTY_VALUES = [
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "<script>alert(1)</script>",
    "😀" * 50,
    "x" * 5000,
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "\x00",
    "2026-02-30",
    "../../etc/passwd",
]
NASTY_KEYS = [
    "q",
    "page",
    "per_page",
    "sort",
    "dir",
    "deleted",
    "status",
    "stage",
    "kind",
    "ownership",
    "sector",
    "owner",
    "city",
    "since",
    "until",
    "scope",
    "trip",
    "interest",
    "direction",
    "user",
    "action",
    "entity_type",
    "entity_id",
    "decision_from",
    "decision_to",
    "due_from",
    "due_to",
    "overdue",
]


def _get_pages():
    return sorted(
        {path for (endpoint, method), (path, _) in matrix.rows().items() if method == "GET" and endpoint != "static"}
    )


@pytest.mark.parametrize("path", _get_pages())
def test_get_pages_survive_hostile_query_strings(client, login_as, make_user, path):
    placeholders = matrix.make_records(make_user(Role.OFFICER))
    db.session.commit()
    login_as(Role.MANAGER)
    url = path.format(**placeholders).split("?")[0]
    for value in NASTY_VALUES:
        response = client.get(url, query_string={key: value for key in NASTY_KEYS})
        response.close()
        assert response.status_code < 500, (url, value)


@pytest.mark.parametrize(
    "path",
    [
        "/trips/{id}",
        "/visits/{id}",
        "/enterprises/{id}",
        "/contacts/{id}",
        "/projects/{id}",
        "/follow-ups/{id}",
        "/attachments/{id}",
    ],
)
def test_unknown_ids_are_not_found(client, login_as, path):
    login_as(Role.ADMIN)
    for record_id in ("999999", "0"):
        assert client.get(path.format(id=record_id)).status_code == 404
    assert client.get(path.format(id="99999999999999999999999")).status_code == 404


def test_an_enterprise_picker_with_an_impossible_id_is_refused(client, login_as):
    login_as(Role.OFFICER)
    response = client.post("/contacts/new", data={"enterprise": "Anything #99999999999999999999", "name": "A"})
    assert response.status_code == 400 and "No enterprise by this name" in response.get_data(as_text=True)


def test_nul_characters_are_refused_before_they_reach_the_database(client, login_as):
    login_as(Role.OFFICER)
    assert client.get("/enterprises/", query_string={"q": "a\x00b"}).status_code == 400
    response = client.post("/enterprises/new", data={"name": "Evil\x00Co", "kind": "company"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Enterprise)) == 0
