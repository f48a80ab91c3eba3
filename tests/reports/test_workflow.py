"""Writing, submitting and signing off the report: who may do what, the deadline, the frozen approved version."""

from __future__ import annotations

import io
import re
from datetime import date

import docx
import pytest
import sqlalchemy as sa

from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.extensions import db
from crm.reports import queries
from crm.reports.models import ReportStatus
from crm.trips.models import TripStatus
from tests import factories
from tests.conftest import login, text_of


def member_login(client, trip):
    """Sign in as the trip's organiser (an officer on its delegation)."""
    login(client, trip.organiser.email)


def version_of(client, trip) -> str:
    page = client.get(f"/trips/{trip.id}/report/edit").get_data(as_text=True)
    return re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page).group(1)


def write(client, trip, **fields):
    data = {"version": version_of(client, trip), "summary": "A productive trip.", **fields}
    return client.post(f"/trips/{trip.id}/report/edit", data=data)


def test_the_organiser_writes_reorders_and_leaves_out_meetings(client, report_trip):
    member_login(client, report_trip)
    bosch, huawei = queries.trip_visits(report_trip.id)
    response = write(
        client,
        report_trip,
        assessment="Bosch is close to a decision.",
        **{
            "meetings-0-item_id": bosch.id,
            "meetings-0-position": "2",
            "meetings-0-include": "y",
            "meetings-1-item_id": huawei.id,
            "meetings-1-position": "1",
            "meetings-1-include": "y",
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(f"/trips/{report_trip.id}/report"))
    assert "A productive trip." in page and "Bosch is close to a decision." in page
    assert page.index("华为苏州研究所") < page.index("博世汽车柴油系统有限公司")
    # Leaving Bosch out: unticked.
    write(
        client,
        report_trip,
        **{"meetings-0-item_id": huawei.id, "meetings-1-item_id": bosch.id, "meetings-0-include": "y"},
    )
    content = queries.report_content(report_trip, queries.report_of(report_trip.id))
    assert [meeting["enterprise"] for meeting in content["meetings"]] == ["华为苏州研究所"]
    assert all("博世" not in " ".join(slot["entries"]) for day in content["itinerary"] for slot in day["slots"])


def test_a_bad_order_number_is_shown_beside_the_field_and_the_text_kept(client, report_trip):
    member_login(client, report_trip)
    (visit, _other) = queries.trip_visits(report_trip.id)
    response = write(
        client, report_trip, summary="Keep me", **{"meetings-0-item_id": visit.id, "meetings-0-position": "x"}
    )
    assert response.status_code == 400
    assert "Enter a number from 1 to 999." in text_of(response) and "Keep me" in response.get_data(as_text=True)
    assert queries.report_of(report_trip.id) is None  # nothing written, not even the draft


def test_two_people_saving_at_once_the_second_sees_the_first_one_s_text(client, report_trip):
    member_login(client, report_trip)
    stale = version_of(client, report_trip)
    write(client, report_trip, summary="First")
    response = client.post(f"/trips/{report_trip.id}/report/edit", data={"version": stale, "summary": "Second"})
    assert response.status_code == 409
    assert "First" in text_of(response)
    assert queries.report_of(report_trip.id).summary == "First"


def test_a_stranger_officer_may_read_and_export_but_not_write_or_submit(client, login_as, report_trip):
    login_as(Role.OFFICER)
    assert client.get(f"/trips/{report_trip.id}/report").status_code == 200
    assert client.get(f"/trips/{report_trip.id}/report/edit").status_code == 403
    assert client.post(f"/trips/{report_trip.id}/report/submit").status_code == 403
    assert queries.report_of(report_trip.id) is None


def test_submit_then_approve_freezes_the_report_and_marks_the_trip_reported(client, login_as, report_trip, monkeypatch):
    member_login(client, report_trip)
    write(client, report_trip)
    monkeypatch.setattr("crm.reports.services.local_today", lambda: date(2026, 4, 10))
    assert client.post(f"/trips/{report_trip.id}/report/submit").status_code == 302
    report = queries.report_of(report_trip.id)
    assert report.status is ReportStatus.SUBMITTED and report_trip.report_submitted_on == date(2026, 4, 10)
    # Due 16 April (15 working days after 26 March): on time.
    assert "on time" in text_of(client.get(f"/trips/{report_trip.id}/report"))
    # The members cannot approve their own report, nor change it once submitted.
    assert client.post(f"/trips/{report_trip.id}/report/approve").status_code == 403
    assert client.get(f"/trips/{report_trip.id}/report/edit").status_code == 302

    client.post("/logout")
    login_as(Role.MANAGER)
    assert client.post(f"/trips/{report_trip.id}/report/approve").status_code == 302
    db.session.expire_all()
    report = queries.report_of(report_trip.id)
    assert report.status is ReportStatus.APPROVED and report.trip.status is TripStatus.REPORTED
    assert set(report.approved_content) == {"zh", "en"}

    # A visit edited afterwards changes the live records, not what leadership signed.
    bosch = queries.trip_visits(report_trip.id)[0]
    bosch.commitments = "Changed after approval"
    bosch.enterprise.local_name = "改名后的企业"
    db.session.commit()
    exported = client.get(f"/trips/{report_trip.id}/report/export?format=html&language=zh").get_data(as_text=True)
    assert "博世汽车柴油系统有限公司" in exported and "Changed after approval" not in exported
    word = docx.Document(io.BytesIO(client.get(f"/trips/{report_trip.id}/report/export?format=docx&language=en").data))
    cover = " ".join(cell.text for row in word.tables[0].rows for cell in row.cells)
    assert "approved by" in cover and "Approved" in cover
    assert client.post(f"/trips/{report_trip.id}/report/submit").status_code == 302  # refused, explained
    assert queries.report_of(report_trip.id).status is ReportStatus.APPROVED


def test_a_late_submission_is_marked_late(client, report_trip, monkeypatch):
    member_login(client, report_trip)
    # Due 17 April (Qingming on 6 April pushes it a day): the 20th is late.
    monkeypatch.setattr("crm.reports.services.local_today", lambda: date(2026, 4, 20))
    client.post(f"/trips/{report_trip.id}/report/submit")
    assert "late" in text_of(client.get(f"/trips/{report_trip.id}/report"))


def test_a_manager_returns_with_a_comment_and_the_delegation_resubmits(client, login_as, report_trip):
    member_login(client, report_trip)
    client.post(f"/trips/{report_trip.id}/report/submit")
    client.post("/logout")
    login_as(Role.MANAGER)
    client.post(f"/trips/{report_trip.id}/report/return", data={"comment": ""})
    assert queries.report_of(report_trip.id).status is ReportStatus.SUBMITTED  # a return needs a reason
    client.post(f"/trips/{report_trip.id}/report/return", data={"comment": "Add the budget explanation."})
    db.session.expire_all()
    assert queries.report_of(report_trip.id).status is ReportStatus.RETURNED
    client.post("/logout")
    member_login(client, report_trip)
    assert "Add the budget explanation." in text_of(client.get(f"/trips/{report_trip.id}/report"))
    assert write(client, report_trip, summary="With the budget").status_code == 302
    assert client.post(f"/trips/{report_trip.id}/report/submit").status_code == 302
    db.session.expire_all()
    assert queries.report_of(report_trip.id).status is ReportStatus.SUBMITTED


def test_every_step_and_every_export_is_audited(client, login_as, report_trip):
    member_login(client, report_trip)
    write(client, report_trip)
    client.post(f"/trips/{report_trip.id}/report/submit")
    client.post("/logout")
    login_as(Role.MANAGER)
    client.post(f"/trips/{report_trip.id}/report/approve")
    client.get(f"/trips/{report_trip.id}/report/export?format=docx&language=en")
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    statuses = [
        event.changes["status"][1]
        for event in events
        if event.entity_type == "trip_reports" and event.changes and "status" in event.changes
    ]
    assert statuses == ["draft", "submitted", "approved"]
    (exported,) = [event for event in events if event.action is AuditAction.EXPORT]
    assert exported.entity_type == "trips" and exported.changes["format"] == "docx"


@pytest.mark.parametrize("path", ["", "/edit"])
def test_the_report_pages_answer_for_a_trip_with_nothing_in_it(client, login_as, path):
    manager = login_as(Role.MANAGER)
    trip = factories.trip(manager)
    db.session.commit()
    assert client.get(f"/trips/{trip.id}/report{path}").status_code == 200


def test_the_export_page_says_how_to_install_a_cjk_font_when_there_is_none(client, login_as, report_trip, monkeypatch):
    login_as(Role.OFFICER)
    monkeypatch.setattr("crm.reports.fonts.cjk_families", lambda: set())
    assert "apt-get install fonts-noto-cjk" in text_of(client.get(f"/trips/{report_trip.id}/report"))
    monkeypatch.setattr("crm.reports.fonts.cjk_families", lambda: {"Noto Serif CJK SC"})
    assert "apt-get install" not in text_of(client.get(f"/trips/{report_trip.id}/report"))


def test_an_unknown_format_or_language_is_a_bad_request(client, login_as, report_trip):
    login_as(Role.OFFICER)
    assert client.get(f"/trips/{report_trip.id}/report/export?format=exe&language=zh").status_code == 400
    assert client.get(f"/trips/{report_trip.id}/report/export?format=pdf&language=fr").status_code == 400


def test_the_trip_page_links_to_its_report(client, login_as, report_trip):
    login_as(Role.OFFICER)
    page = client.get(f"/trips/{report_trip.id}").get_data(as_text=True)
    assert f'href="/trips/{report_trip.id}/report"' in page


def test_a_deleted_trip_s_report_can_be_read_but_not_changed(client, login_as, report_trip):
    login_as(Role.MANAGER)
    client.post(f"/trips/{report_trip.id}/delete")
    assert client.get(f"/trips/{report_trip.id}/report").status_code == 200
    assert client.post(f"/trips/{report_trip.id}/report/submit").status_code == 404
    assert queries.report_of(report_trip.id) is None


def test_the_report_s_history_reads_like_a_log_and_its_sign_off_is_one_event(client, login_as, report_trip):
    """The sign-off is one "Updated" event naming its fields in the reader's language, with the approver by name
    and the moment as a date and time; the frozen copy and the meeting order are not dumped into it."""
    member_login(client, report_trip)
    write(client, report_trip)
    client.post(f"/trips/{report_trip.id}/report/submit")
    client.post("/logout")
    manager = login_as(Role.MANAGER, name="Zhou Hui")
    client.post(f"/trips/{report_trip.id}/report/approve")
    updates = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity_type == "trip_reports", AuditEvent.action == AuditAction.UPDATE)
    ).all()
    sign_off = [event for event in updates if "approved_content" in event.changes]
    assert len(sign_off) == 1 and {"status", "decided_by_id", "decided_at"} <= set(sign_off[0].changes)
    page = text_of(client.get(f"/trips/{report_trip.id}/report"))
    history = page[page.index("History") :]
    for raw in ("approved_content", "decided_at", "decided_by_id", "meeting_choice", "'cover'", "+00:00"):
        assert raw not in history, raw
    assert "Status Submitted → Approved" in history and f"Approved or returned by {manager.display_name}" in history
    client.post("/language", data={"language": "zh"})
    history = text_of(client.get(f"/trips/{report_trip.id}/report")).split("历史记录")[-1]
    assert "状态 已提交 → 已审核" in history and "审核人" in history
