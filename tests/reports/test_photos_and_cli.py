"""Photos scaled for the report, and the export command."""

from __future__ import annotations

import io

import docx
import sqlalchemy as sa
from PIL import Image

from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.extensions import db
from crm.reports import photos
from tests import factories
from tests.reports.helpers import photo_attachment, textured_photo_bytes


def test_a_phone_photo_is_scaled_for_the_report_and_a_thumbnail_is_kept(app, make_user):
    from PIL import ImageDraw

    image = Image.new("RGB", (4000, 3000))
    ImageDraw.Draw(image).rectangle((0, 0, 2000, 1500), fill="red")  # some detail, so the JPEG is not trivial
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    photo = photo_attachment(make_user(Role.OFFICER), trip_=factories.trip(), data=buffer.getvalue())
    scaled = photos.report_image(photo.stored_name)
    with Image.open(scaled) as result:
        assert max(result.size) == photos.REPORT_SIZE
    with Image.open(photos.thumbnail(photo.stored_name)) as result:
        assert max(result.size) == photos.THUMBNAIL_SIZE
    assert scaled.stat().st_size < 200_000


def test_a_missing_or_broken_photo_file_gives_no_image(app, make_user):
    trip = factories.trip()
    missing = photo_attachment(make_user(Role.OFFICER), trip_=trip, on_disk=False)
    broken = photo_attachment(make_user(Role.OFFICER), trip_=trip, data=b"\xff\xd8\xff not really a jpeg")
    assert photos.report_image(missing.stored_name) is None
    assert photos.report_image(broken.stored_name) is None
    assert photos.report_image("../secret_key") is None


def test_the_export_command_writes_the_file_and_audits_it(app, report_trip, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "report.docx"
    result = runner.invoke(
        args=["export", "trip-report", str(report_trip.id), "--format", "docx", "--lang", "en", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(str(target))
    assert any(p.style.name == "Heading 1" and p.text == "Meetings" for p in document.paragraphs)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT))
    assert event.entity_id == report_trip.id and event.actor == "system (flask export trip-report)"


def test_the_export_command_explains_an_unknown_trip(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["export", "trip-report", "999", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "There is no trip 999." in result.output


def test_forty_photos_keep_the_report_to_a_few_megabytes(app, report_trip):
    from crm.reports import export, services

    owner = report_trip.organiser
    data = textured_photo_bytes((1400, 1050), seed=1)  # each copy is stored and scaled on its own
    for _index in range(40):
        photo_attachment(owner, trip_=report_trip, data=data)
    db.session.commit()
    data = export.render(services.content_for_export(report_trip, "en"), "docx", "en")
    assert len(docx.Document(io.BytesIO(data)).inline_shapes) == 41
    assert len(data) < 6_000_000
