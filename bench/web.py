"""What the benchmark, the load test and the crash test share: a gunicorn of the app, and a client
that behaves like a browser tab (cookies, keep-alive, filling in the forms the app serves)."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from bench.generate import BENCH_PASSWORD

ROOT = Path(__file__).resolve().parent.parent


class Client:
    """One keep-alive connection with cookies: what a browser tab does."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: dict | list | None = None) -> tuple[int, bytes, dict]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Language": "en"}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, payload, {k.lower(): v for k, v in response.getheaders()}

    def login(self, email: str) -> None:
        _status, page, _headers = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        form = {"email": email, "password": BENCH_PASSWORD}
        if token:
            form["csrf_token"] = unescape(token.group(1).decode())
        status, _page, _headers = self.request("POST", "/login", form)
        if status != 302:
            raise SystemExit(f"Could not sign in as {email} (HTTP {status}): is the database generated?")


class FormReader(HTMLParser):
    """The fields of the forms on a page, with the values a browser would submit unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": []})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((name, a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
            self._select_first = None
            self._select_any = "multiple" in a  # a multiple select with nothing chosen sends nothing
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                fields.append((self._select, value))
                self._select_any = True
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if not self._select_any and self._select_first is not None and self.forms:
                self.forms[-1]["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data.lstrip("\n") if not value else value + data)


def form_fields(page: bytes, action_contains: str = "", page_path: str = "") -> list[tuple[str, str]]:
    """The fields of the first POST form on the page whose action (a form without one posts to the page
    itself, `page_path`) contains `action_contains`."""
    reader = FormReader()
    reader.feed(page.decode("utf-8", "replace"))
    for form in reader.forms:
        if form["method"] == "post" and action_contains in (form["action"] or page_path):
            return form["fields"]
    raise LookupError(f"no POST form with {action_contains!r} in its action")


def with_values(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The form's fields with some values replaced (or added)."""
    kept = [(name, value) for name, value in fields if name not in values]
    return kept + list(values.items())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    port: int, workers: int, *, server_timing: bool = False, env: dict | None = None, log: Path | None = None
) -> subprocess.Popen:
    """gunicorn with the app's own settings (crm/gunicorn_conf.py), in a process group of its own."""
    environment = {**os.environ, **(env or {}), "CRM_BIND": f"127.0.0.1:{port}", "CRM_WORKERS": str(workers)}
    if server_timing:
        environment["CRM_SERVER_TIMING"] = "true"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log_file = log.open("ab") if log else None
    try:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, on loopback
            [str(gunicorn), "-c", "python:crm.gunicorn_conf", "--log-level", "warning", "crm:create_app()"],
            cwd=ROOT,
            env=environment,
            stderr=log_file,
            start_new_session=True,
        )
    finally:
        if log_file:
            log_file.close()  # gunicorn has its own copy
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    stop_server(server)
    raise SystemExit("gunicorn did not start")


def stop_server(server: subprocess.Popen, *, kill: bool = False) -> None:
    """Stop gunicorn and its workers: politely, or with SIGKILL to the whole group (the crash test)."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGKILL if kill else signal.SIGTERM)
    server.wait(timeout=30)
