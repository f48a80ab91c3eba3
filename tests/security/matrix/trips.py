"""Trips, their delegations, visits and attachments."""

from tests import factories
from tests.security.matrix import managers, signed_in

ROWS = {
    ("trips.index", "GET"): ("/trips/", signed_in(200)),
    ("trips.detail", "GET"): ("/trips/{trip}", signed_in(200)),
    ("trips.members_json", "GET"): ("/trips/{trip}/members.json", signed_in(200)),
    ("trips.create", "GET"): ("/trips/new", signed_in(200)),
    ("trips.create", "POST"): ("/trips/new", signed_in(400)),
    ("trips.edit", "GET"): ("/trips/{trip}/edit", managers(200)),
    ("trips.edit", "POST"): ("/trips/{trip}/edit", managers(400)),
    ("trips.delete", "POST"): ("/trips/{trip}/delete", managers(302)),
    ("trips.restore", "POST"): ("/trips/{trip}/restore", managers(302)),
    ("trips.add_member", "POST"): ("/trips/{trip}/members", managers(400)),
    ("trips.edit_member", "GET"): ("/trips/{trip}/members/{member}/edit", managers(200)),
    ("trips.edit_member", "POST"): ("/trips/{trip}/members/{member}/edit", managers(400)),
    ("trips.remove_member", "POST"): ("/trips/{trip}/members/{member}/delete", managers(302)),
    # Managers restore removed members; this one is on the delegation, so there is nothing to restore.
    ("trips.restore_member", "POST"): ("/trips/{trip}/members/{member}/restore", managers(404)),
    ("visits.index", "GET"): ("/visits/", signed_in(200)),
    ("visits.detail", "GET"): ("/visits/{visit}", signed_in(200)),
    ("visits.create", "GET"): ("/visits/new", signed_in(200)),
    ("visits.create", "POST"): ("/visits/new", signed_in(400)),
    ("visits.edit", "GET"): ("/visits/{visit}/edit", managers(200)),
    ("visits.edit", "POST"): ("/visits/{visit}/edit", managers(400)),
    ("visits.delete", "POST"): ("/visits/{visit}/delete", managers(302)),
    ("visits.restore", "POST"): ("/visits/{visit}/restore", managers(302)),
    ("visits.link_project", "POST"): ("/visits/{visit}/projects", managers(404)),  # no project chosen
    ("visits.unlink_project", "POST"): ("/visits/{visit}/projects/{project}/unlink", managers(302)),
    ("attachments.upload_to_trip", "POST"): ("/attachments/trips/{trip}", managers(302)),
    ("attachments.upload_to_visit", "POST"): ("/attachments/visits/{visit}", managers(302)),
    ("attachments.download", "GET"): ("/attachments/{attachment}", signed_in(200)),
    ("attachments.delete", "POST"): ("/attachments/{attachment}/delete", managers(302)),
}


def records(owner) -> dict[str, int]:
    from crm.attachments.models import Attachment, AttachmentKind
    from crm.attachments.services import upload_folder
    from crm.extensions import db

    trip = factories.trip(owner)
    member = factories.member(trip)
    visit = factories.visit(owner, trip_=trip)
    project = factories.project(owner, visit.enterprise)
    visit.projects.append(project)
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "matrix.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    attachment = Attachment(
        trip=trip,
        kind=AttachmentKind.PHOTO,
        filename="photo.png",
        stored_name="matrix.png",
        content_type="image/png",
        size_bytes=40,
        sha256="0" * 64,
        uploaded_by_id=owner.id,
    )
    db.session.add(attachment)
    db.session.flush()
    return {"trip": trip.id, "member": member.id, "visit": visit.id, "project": project.id, "attachment": attachment.id}
