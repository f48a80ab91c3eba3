"""Merging two enterprises: every child row moves, nothing is lost, one audit event, and undo restores both."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.enterprises.merge import MergeRefused, can_undo, merge_enterprises, undo_merge
from crm.enterprises.models import Enterprise, EnterpriseAlias
from crm.extensions import db
from crm.search.queries import search_everything
from crm.sectors.models import Sector
from tests import factories
from tests.conftest import count_rows, text_of
from tests.hardening.html_forms import edit_form


@pytest.fixture
def twins(app, make_user):
    """Haier entered twice, once in English and once in Chinese, each with its own history."""
    officer = make_user(Role.OFFICER)
    english = factories.enterprise(officer, name="Haier Group", local_name=None, city="Qingdao")
    chinese = factories.enterprise(officer, name=None, local_name="海尔集团", website="https://www.haier.com")
    sectors = db.session.scalars(sa.select(Sector).order_by(Sector.id).limit(2)).all()
    english.sectors, chinese.sectors = [sectors[0]], [sectors[1]]
    chinese.aliases.append(EnterpriseAlias(name="海尔"))
    member = factories.enterprise(officer, name="Haier Biomedical", local_name=None, parent=chinese)
    for enterprise in (english, chinese):
        factories.contact(enterprise, officer)
        factories.visit(officer, enterprise)
        factories.project(officer, enterprise)
        factories.follow_up(officer, enterprise=enterprise)
    db.session.commit()
    return english, chinese, member


def children_of(enterprise_id: int) -> dict[str, set[int]]:
    from crm.enterprises.merge import CHILDREN

    return {
        table: set(db.session.scalars(sa.select(column.class_.id).where(column == enterprise_id)))
        for table, column in CHILDREN.items()
    }


def test_a_merge_moves_every_child_and_undo_restores_both(twins, make_user):
    english, chinese, member = twins
    manager = make_user(Role.MANAGER)
    english_before, chinese_before = children_of(english.id), children_of(chinese.id)
    rows_before = count_rows()
    events_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))

    event = merge_enterprises(english, chinese, {"local_name", "website"}, by=manager)
    db.session.commit()
    db.session.expire_all()
    survivor, merged = db.session.get(Enterprise, english.id), db.session.get(Enterprise, chinese.id)
    assert (survivor.name, survivor.local_name, survivor.city, survivor.website) == (
        "Haier Group", "海尔集团", "Qingdao", "https://www.haier.com"
    )  # fmt: skip
    assert merged.deleted_at is not None
    after = children_of(survivor.id)
    for table, ids in english_before.items():
        assert after[table] >= ids | chinese_before[table] - {survivor.id}, table
    assert children_of(merged.id) == {table: set() for table in after}
    assert member.parent_id == survivor.id
    assert {alias.name for alias in survivor.aliases} == {"海尔", "海尔集团"}
    assert len(survivor.sectors) == 2
    # One audit event, and nothing deleted: the merged record is only hidden.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events_before + 1
    assert event.action == AuditAction.MERGE
    assert survivor in search_everything("haier group", manager).enterprises
    assert survivor in search_everything("海尔", manager).enterprises
    assert merged not in search_everything("海尔", manager).enterprises

    assert can_undo(event)
    undo_merge(event, by=manager)
    db.session.commit()
    db.session.expire_all()
    assert (children_of(english.id), children_of(chinese.id)) == (english_before, chinese_before)
    english, chinese = db.session.get(Enterprise, english.id), db.session.get(Enterprise, chinese.id)
    assert (english.local_name, english.website, english.deleted_at) == (None, None, None)
    assert (chinese.local_name, chinese.deleted_at) == ("海尔集团", None)
    assert [alias.name for alias in chinese.aliases] == ["海尔"] and english.aliases == []
    assert len(english.sectors) == 1 and len(chinese.sectors) == 1
    counts = count_rows()
    assert {t: n for t, n in counts.items() if t not in ("audit_events", "search_keys")} == {
        t: n for t, n in rows_before.items() if t not in ("audit_events", "search_keys")
    }
    assert counts["search_keys"] == rows_before["search_keys"]
    assert not can_undo(event)  # once undone, or once anything moved has changed


def test_undo_is_refused_once_something_has_changed(twins, make_user):
    english, chinese, _member = twins
    manager = make_user(Role.MANAGER)
    event = merge_enterprises(english, chinese, set(), by=manager)
    db.session.commit()
    visit = factories.visit(manager, db.session.get(Enterprise, english.id))  # a new visit does not block
    db.session.commit()
    assert can_undo(event)
    contact = db.session.get(Enterprise, english.id).contacts[-1]
    contact.title = "Changed after the merge"
    db.session.commit()
    assert not can_undo(event)
    with pytest.raises(MergeRefused):
        undo_merge(event, by=manager)
    assert visit.enterprise_id == english.id


def test_a_merge_needs_two_live_enterprises(twins, make_user):
    english, _chinese, _member = twins
    with pytest.raises(MergeRefused):
        merge_enterprises(english, english, set(), by=make_user(Role.MANAGER))


def test_managers_merge_from_the_duplicates_page_and_undo_from_the_audit_log(twins, client, login_as):
    english, chinese, _member = twins
    login_as(Role.MANAGER)
    page = text_of(client.get("/enterprises/duplicates"))
    assert "Haier Group" in page and "海尔集团" in page
    form = client.get(f"/enterprises/{english.id}/merge/{chinese.id}")
    assert form.status_code == 200 and "https://www.haier.com" in text_of(form)
    path = f"/enterprises/{english.id}/merge/{chinese.id}"
    response = client.post(path, data={**edit_form(client, path), "local_name": "other", "website": "other"})
    assert response.status_code == 302
    assert db.session.get(Enterprise, chinese.id).deleted_at is not None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == AuditAction.MERGE))
    assert "Undo" in text_of(client.get("/audit/"))
    assert client.post(f"/enterprises/merges/{event.id}/undo").status_code == 302
    db.session.expire_all()
    assert db.session.get(Enterprise, chinese.id).deleted_at is None
    again = client.post(f"/enterprises/merges/{event.id}/undo", follow_redirects=True)
    assert "can no longer be undone" in text_of(again)


def test_a_choice_that_is_neither_side_is_refused_beside_its_row_and_nothing_merges(twins, client, login_as):
    english, chinese, _member = twins
    login_as(Role.MANAGER)
    path = f"/enterprises/{english.id}/merge/{chinese.id}"
    response = client.post(path, data={**edit_form(client, path), "name": "", "city": "both"})
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True) and "Not a valid choice" in text_of(response)
    assert db.session.get(Enterprise, chinese.id).deleted_at is None


def test_a_merge_over_a_change_made_since_the_page_opened_is_refused_with_the_values_now(twins, client, login_as):
    """An officer saves the other enterprise while a manager looks at the merge page: the merge shows what it
    holds now instead of hiding the officer's note on a merged-away record."""
    english, chinese, _member = twins
    login_as(Role.MANAGER)
    path = f"/enterprises/{english.id}/merge/{chinese.id}"
    opened = edit_form(client, path)
    chinese.description = "Officer note on Haier"
    chinese.version += 1
    db.session.commit()
    response = client.post(path, data=opened)
    assert response.status_code == 409
    page = text_of(response)
    assert "changed since this page was opened" in page and "Officer note on Haier" in page
    assert db.session.get(Enterprise, chinese.id).deleted_at is None
    assert client.post(path, data=edit_form(client, path)).status_code == 302
