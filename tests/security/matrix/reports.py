"""The trip report: everyone signed in reads and exports it; the trip's people and managers write and submit
it; managers approve or return it."""

from tests import factories
from tests.security.matrix import managers, signed_in

ROWS = {
    ("reports.detail", "GET"): ("/trips/{trip}/report", signed_in(200)),
    ("reports.edit", "GET"): ("/trips/{trip}/report/edit", managers(200)),
    ("reports.edit", "POST"): ("/trips/{trip}/report/edit", managers(400)),  # no version: reload and retry
    ("reports.submit", "POST"): ("/trips/{trip}/report/submit", managers(302)),
    ("reports.approve", "POST"): ("/trips/{submitted_trip}/report/approve", managers(302)),
    ("reports.return_report", "POST"): ("/trips/{submitted_trip}/report/return", managers(302)),
    ("reports.export_report", "GET"): (
        "/trips/{submitted_trip}/report/export?format=html&language=zh",
        signed_in(200),
    ),
    ("reports.thumbnail", "GET"): ("/trips/{submitted_trip}/report/photos/{report_photo}/thumbnail", signed_in(200)),
}


def records(owner) -> dict[str, int]:
    from crm.extensions import db
    from crm.reports.models import ReportStatus, TripReport
    from tests.reports.helpers import photo_attachment

    trip = factories.trip(owner)
    report = TripReport(trip=trip, status=ReportStatus.SUBMITTED, summary="Sample summary")
    db.session.add(report)
    photo = photo_attachment(owner, trip_=trip)
    return {"submitted_trip": trip.id, "report_photo": photo.id}
