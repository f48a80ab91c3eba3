"""Writes for accounts. Services flush; the caller commits."""

from __future__ import annotations

import secrets
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.accounts.models import User, new_session_token
from crm.accounts.passwords import hash_password, password_problem, verify_password
from crm.core import audit
from crm.core.audit import AuditAction
from crm.core.emails import normalise_email
from crm.core.roles import Role
from crm.core.time import utcnow
from crm.extensions import db


class AccountError(ValueError):
    """A user-facing reason why an account could not be created or changed, and the field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def any_user_exists() -> bool:
    return db.session.scalar(sa.select(sa.exists().select_from(User))) or False


def create_user(
    *,
    email: str,
    name: str,
    password: str,
    role: Role = Role.OFFICER,
    locale: str | None = None,
    local_name: str | None = None,
    title: str | None = None,
) -> User:
    """Create an account after checking the email is free and the password acceptable."""
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise AccountError(_("An account with this email already exists."), "email")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, "password")
    user = User(
        email=email,
        name=name.strip(),
        local_name=(local_name or "").strip() or None,
        title=(title or "").strip() or None,
        role=role,
        locale=locale,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None; failures are audited the same way."""
    user = find_by_email(email)
    # An unknown email costs the same hash check as a known one, so timing does not tell them apart.
    known_hash = user.password_hash if user is not None else _dummy_hash()
    password_ok = verify_password(known_hash, password)
    if user is None or not user.active or not password_ok:
        audit.record(
            AuditAction.LOGIN_FAILED, user, entity_type="users", details={"email": normalise_email(email)[:254]}
        )
        return None
    return user


def record_refused_login(email: str) -> None:
    """A sign-in refused for too many failures is audited too: it shows who is being guessed at."""
    audit.record(
        AuditAction.LOGIN_FAILED,
        find_by_email(email),
        entity_type="users",
        details={"email": normalise_email(email)[:254], "refused": "too many failed sign-ins"},
    )


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit.record(AuditAction.LOGIN, user, user=user)


def end_all_sessions(user: User) -> None:
    """A new session token: every cookie issued before, on any device, stops working."""
    user.session_token = new_session_token()
    db.session.flush()


def _active_admins() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.role == Role.ADMIN, User.active))


def update_user(user: User, *, by: User, **fields) -> User:
    """Change an account's details; an admin cannot take the last admin role away."""
    if "email" in fields:
        fields["email"] = normalise_email(fields["email"])
        other = find_by_email(fields["email"])
        if other is not None and other.id != user.id:
            raise AccountError(_("An account with this email already exists."), "email")
    new_role = fields.get("role", user.role)
    if user.role is Role.ADMIN and new_role is not Role.ADMIN and user.active and _active_admins() <= 1:
        raise AccountError(_("This is the only active administrator; make someone else administrator first."), "role")
    for name, value in fields.items():
        setattr(user, name, value)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Store a new password and end every session of the account."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = hash_password(password)
    end_all_sessions(user)


def set_active(user: User, active: bool, *, by: User) -> None:
    """Deactivate (ending every session) or reactivate an account."""
    if not active:
        if user.id == by.id:
            raise AccountError(_("You cannot deactivate your own account."))
        if user.role is Role.ADMIN and user.active and _active_admins() <= 1:
            raise AccountError(_("This is the only active administrator."))
        end_all_sessions(user)
    user.active = active
    db.session.flush()
