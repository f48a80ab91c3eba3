"""An uploaded import waiting for its confirmation, kept on the server between the preview and the confirm.

The confirm page never sends the rows back: it names the upload by a random token, which only the user
who uploaded it can use, and only for a while.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

EXPIRES_SECONDS = 2 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class PendingImport:
    token: str
    user_id: int
    kind: str
    filename: str
    rows: list[tuple[int, dict[str, str]]]
    ignored_headers: list[str]


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    """Forget uploads nobody confirmed in time."""
    cutoff = time.time() - EXPIRES_SECONDS
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # another worker removed it first


def save(user_id: int, kind: str, filename: str, rows: list, ignored_headers: list[str]) -> str:
    folder = _folder()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    content = {
        "user_id": user_id,
        "kind": kind,
        "filename": filename,
        "rows": rows,
        "ignored_headers": ignored_headers,
    }
    (folder / f"{token}.json").write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return token


def load(token: str, *, user_id: int, kind: str) -> PendingImport | None:
    """The user's pending upload of this kind, or None when unknown, expired or someone else's."""
    if not _TOKEN.match(token or ""):
        return None
    path = _folder() / f"{token}.json"
    try:
        if path.stat().st_mtime < time.time() - EXPIRES_SECONDS:
            path.unlink(missing_ok=True)
            return None
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if content.get("user_id") != user_id or content.get("kind") != kind:
        return None
    rows = [(int(line), dict(cells)) for line, cells in content["rows"]]
    return PendingImport(token, user_id, kind, content["filename"], rows, content.get("ignored_headers", []))


def discard(token: str) -> None:
    if _TOKEN.match(token or ""):
        (_folder() / f"{token}.json").unlink(missing_ok=True)
