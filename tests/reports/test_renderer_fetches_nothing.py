"""The PDF renderer fetches nothing a user controls: only the app's static files and the report's photos."""

from __future__ import annotations

import http.server
import io
import re
import threading
from pathlib import Path

import pypdf
import pytest

from crm.reports import export, services
from crm.reports.export import ReportFetcher


@pytest.fixture
def loopback_server():
    """An HTTP server on 127.0.0.1 that counts every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_hostile_record_text_fetches_nothing_and_prints_literally(app, report_trip, loopback_server):
    base, hits = loopback_server
    visit = services.queries.trip_visits(report_trip.id)[0]
    visit.discussed = (
        '<img src="file:///etc/passwd">'
        f'<link rel="stylesheet" href="{base}/evil.css">'
        f'<div style="background: url({base}/css-url.png)">x</div>'
    )
    visit.commitments = f"<style>@import url({base}/import.css);</style>"
    report_trip.objectives = f'<iframe src="{base}/frame"></iframe><object data="file:///etc/shadow"></object>'
    fetcher = ReportFetcher({})
    data = export.render_pdf(services.content_for_export(report_trip, "en"), "en", fetcher)

    assert hits == []
    assert all(url.startswith("crm://photo/") for url in fetcher.requested), fetcher.requested
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))
    assert '<imgsrc="file:///etc/passwd">' in text
    assert f'href="{base}/evil.css">'.replace(" ", "") in text
    assert f"url({base}/css-url.png)" in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:5000/",
        "https://example.com/logo.png",
        "data:text/css,body{}",
        "crm://static/../../../../etc/passwd",
        "crm://static/css/../../crm/config.py",
        "crm://photo/999",
        "crm://elsewhere/etc/passwd",
        "crm://static/css/report.css?x=1",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files_and_the_report_photos(app, url):
    fetcher = ReportFetcher({"7": Path(app.static_folder) / "css" / "report.css"})
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_the_fetcher_serves_static_files_and_the_report_photos(app):
    fetcher = ReportFetcher({"7": Path(app.static_folder) / "css" / "app.css"})
    assert b"@page" in fetcher.fetch("crm://static/css/report.css").read()
    assert fetcher.fetch("crm://photo/7").read()
