"""The permission matrix of DESIGN.md, as data: one module per area.

Each module has ROWS: {(endpoint, method): (path, {role: status})}, and may have
records(owner) -> {placeholder: id}, which makes that area's records owned by `owner` (another officer
than the one signed in), so that the officer column checks the ownership layer too.
POSTs send an empty form: 400 means the request got past both permission layers to validation.
"""

from __future__ import annotations

import importlib
import pkgutil

from crm.core.roles import Role

ANON, OFFICER, MANAGER, ADMIN = None, Role.OFFICER, Role.MANAGER, Role.ADMIN
ROLES = [ANON, OFFICER, MANAGER, ADMIN]


def everyone(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int) -> dict:
    """Anonymous visitors are sent to the sign-in page; every role gets `status`."""
    return {ANON: 302, OFFICER: status, MANAGER: status, ADMIN: status}


def managers(status: int) -> dict:
    """Managers and admins get `status`; an officer who does not own the record gets 403."""
    return {ANON: 302, OFFICER: 403, MANAGER: status, ADMIN: status}


def admins_only(status: int) -> dict:
    return {ANON: 302, OFFICER: 403, MANAGER: 403, ADMIN: status}


def _modules():
    for info in pkgutil.iter_modules(__path__):
        yield importlib.import_module(f"{__name__}.{info.name}")


def rows() -> dict:
    merged: dict = {}
    for module in _modules():
        overlap = set(merged) & set(module.ROWS)
        assert not overlap, f"{module.__name__} repeats {overlap}"
        merged.update(module.ROWS)
    return merged


def make_records(owner) -> dict[str, int]:
    placeholders = {"target": owner.id}
    for module in _modules():
        if hasattr(module, "records"):
            placeholders.update(module.records(owner))
    return placeholders
