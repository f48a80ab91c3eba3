"""Writes for accounts. Services flush; the caller commits."""

from __future__ import annotations

import secrets
from functools import cache

import sqlalchemy as sa

from crm.accounts.models import User, new_session_token
from crm.accounts.passwords import hash_password, password_problem, verify_password
from crm.core import audit
from crm.core.audit import AuditAction
from crm.core.roles import Role
from crm.core.time import utcnow
from crm.extensions import db


class AccountError(ValueError):
    """A user-facing reason why an account could not be created or changed."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def any_user_exists() -> bool:
    return db.session.scalar(sa.select(sa.exists().select_from(User))) or False


def create_user(*, email: str, name: str, password: str, role: Role = Role.OFFICER, locale: str | None = None) -> User:
    """Create an account after checking the email is free and the password acceptable."""
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise AccountError(f"An account with the email {email} already exists.")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user = User(email=email, name=name.strip(), role=role, locale=locale, password_hash=hash_password(password))
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
