"""Login rate limiting, per account and per client address, counted in the database.

The counters live in a table rather than in process memory so that every worker and every machine
serving the same database sees the same count (a per-process limiter would let an attacker multiply
their attempts by the number of workers). Flask-Limiter was considered: its storages are memory,
Redis, Memcached and MongoDB, none of which an embedded SQLite installation has.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
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


def login_buckets(email: str, address: str | None) -> list[tuple[str, int]]:
    """The buckets a sign-in attempt counts against, each with its limit."""
    config = current_app.config
    return [
        (f"login:account:{normalise_email(email)[:254]}", config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        (f"login:address:{address or 'unknown'}", config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
    ]


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
    """A successful sign-in forgets the account's failures (not the address's)."""
    db.session.execute(sa.delete(RateLimitHit).where(RateLimitHit.bucket == bucket))
