"""Roles and the view-level permission check (the first of the two layers in DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from crm.core.models import LabelledEnum


class Role(LabelledEnum):
    OFFICER = "officer"
    MANAGER = "manager"
    ADMIN = "admin"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.OFFICER: _l("Investment officer"), cls.MANAGER: _l("Manager"), cls.ADMIN: _l("Administrator")}

    @property
    def manages(self) -> bool:
        """Managers and admins review everyone's work and may edit others' records."""
        return self in (Role.MANAGER, Role.ADMIN)


def role_required(*roles: Role) -> Callable:
    """Let in only logged-in users holding one of `roles`; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
