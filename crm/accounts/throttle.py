"""Login rate limiting, per account and per client address, counted in the database.

Limits must stop guessing without locking the real user out (OWASP's "device cookie" scheme): a browser
that has signed in to an account carries a signed cookie saying so, and its attempts on that account are
counted against that device alone. Only attempts from unknown devices count against the account and the
client address, so neither a stranger's wrong passwords nor a busy office behind one NAT address can lock
anyone out of an account their own browser knows.

The counters live in a table rather than in process memory so that every worker and every machine
serving the same database sees the same count (a per-process limiter would let an attacker multiply
their attempts by the number of workers). Flask-Limiter was considered: its storages are memory,
Redis, Memcached and MongoDB, none of which an embedded SQLite installation has.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Response, current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.emails import normalise_email
from crm.core.time import UTCDateTime, utcnow
from crm.extensions import db


class RateLimitHit(db.Model):
    """One counted event (a failed sign-in) in a bucket such as "login:account:li@zone.test"."""

    __tablename__ = "rate_limit_hits"
    __audited__ = False  # the failed sign-in itself is audited; its counter is bookkeeping
    __table_args__ = (sa.Index("ix_rate_limit_hits_bucket_hit_at", "bucket", "hit_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(sa.String(300))
    hit_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


DEVICE_COOKIE = "crm_device"
DEVICE_COOKIE_MAX_AGE = timedelta(days=180)
ACCOUNTS_PER_DEVICE = 10  # a shared office computer knows a few accounts; the oldest is forgotten first


def login_buckets(email: str, address: str | None, device_cookie: str | None) -> list[tuple[str, int]]:
    """The buckets a sign-in attempt counts against, each with its limit.

    A device that signed in to this account before counts against itself only, unless it is locked out
    itself (then it is an unknown device again); any other attempt counts against the account and the address.
    """
    config = current_app.config
    nonce = _devices(device_cookie).get(_account_key(email))
    if nonce:
        device = [(f"login:device:{nonce}", config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])]
        if retry_after(device) is None:
            return device
    return [
        (f"login:account:{normalise_email(email)[:254]}", config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        (f"login:address:{address or 'unknown'}", config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
    ]


def remember_device(response: Response, device_cookie: str | None, email: str) -> None:
    """After a successful sign-in: this browser now knows the account, under a fresh nonce."""
    devices = _devices(device_cookie)
    key = _account_key(email)
    devices.pop(key, None)
    devices[key] = secrets.token_urlsafe(16)
    kept = dict(list(devices.items())[-ACCOUNTS_PER_DEVICE:])
    response.set_cookie(
        DEVICE_COOKIE,
        _signer().dumps(kept),
        max_age=int(DEVICE_COOKIE_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("HTTPS")),
    )


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="crm-device-cookie")


def _account_key(email: str) -> str:
    """The account as the cookie names it: a digest, so the cookie does not list who uses the computer."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:24]


def _devices(device_cookie: str | None) -> dict[str, str]:
    """{account key: nonce} from a genuine, unexpired device cookie; {} for anything else."""
    if not device_cookie:
        return {}
    try:
        devices = _signer().loads(device_cookie, max_age=DEVICE_COOKIE_MAX_AGE.total_seconds())
    except BadData:
        return {}
    if not isinstance(devices, dict):
        return {}
    return {str(key): str(nonce) for key, nonce in devices.items()}


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def retry_after(buckets: list[tuple[str, int]]) -> timedelta | None:
    """How long until another attempt is allowed, or None if no bucket is full."""
    now = utcnow()
    window = _window()
    longest: timedelta | None = None
    for bucket, limit in buckets:
        recent = db.session.scalars(
            sa.select(RateLimitHit.hit_at)
            .where(RateLimitHit.bucket == bucket, RateLimitHit.hit_at > now - window)
            .order_by(RateLimitHit.hit_at.desc())
            .limit(limit)
        ).all()
        if len(recent) >= limit:
            wait = recent[-1] + window - now
            longest = wait if longest is None else max(longest, wait)
    return longest


def record_failure(buckets: list[tuple[str, int]]) -> None:
    """Count a failure in every bucket, and forget hits that have left the window."""
    now = utcnow()
    names = [bucket for bucket, _ in buckets]
    db.session.execute(
        sa.delete(RateLimitHit).where(RateLimitHit.bucket.in_(names), RateLimitHit.hit_at <= now - _window())
    )
    db.session.add_all(RateLimitHit(bucket=bucket, hit_at=now) for bucket in names)
    db.session.flush()


def clear(bucket: str) -> None:
    """A successful sign-in forgets the failures of the account or the device (not the address's)."""
    db.session.execute(sa.delete(RateLimitHit).where(RateLimitHit.bucket == bucket))
