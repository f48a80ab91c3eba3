"""Exports of every list, and imports (managers and admins)."""

from tests.security.matrix import managers, signed_in

PENDING = "/exchange/import/enterprises/NoSuchUploadTokenAtAll123"

ROWS = {
    ("exchange.export", "GET"): ("/exchange/export/trips.csv", signed_in(200)),
    ("exchange.template", "GET"): ("/exchange/import/contacts/template.xlsx", managers(200)),
    ("exchange.upload", "GET"): ("/exchange/import/enterprises", managers(200)),
    ("exchange.upload", "POST"): ("/exchange/import/enterprises", managers(400)),
    # An unknown or expired upload sends its uploader back to the upload page.
    ("exchange.preview", "GET"): (PENDING, managers(302)),
    ("exchange.preview", "POST"): (PENDING, managers(302)),
}
