"""Serving the app on a local port for a browser, shared by the browser tests and the screenshot tool."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from crm.extensions import db
from crm.sectors.taxonomy import insert_default_sectors
from tests.conftest import build_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_app(tmp_path: Path, **overrides):
    """An app on a fresh SQLite file with CSRF on, as a browser meets it."""
    app = build_app(tmp_path, DATABASE_URL="sqlite:///e2e.sqlite", WTF_CSRF_ENABLED=True, **overrides)
    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            insert_default_sectors(connection)
    return app


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve `app` on a free port of 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()
