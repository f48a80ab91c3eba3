"""The sign-in lockout cannot be turned against the account's owner (issue 8, point 5): a browser that has
signed in to the account before carries a signed device cookie and is not subject to the account's lockout."""

from __future__ import annotations

import sqlalchemy as sa

from crm.accounts import throttle
from crm.core.audit import AuditAction, AuditEvent
from crm.extensions import db
from tests.conftest import PASSWORD, login

WRONG = "definitely the wrong password"
OFFICE = {"REMOTE_ADDR": "10.8.0.1"}  # one address for the whole office (NAT)


def _known_device(app, user):
    """A browser the user has signed in with before (and signed out of)."""
    device = app.test_client()
    assert (
        device.post("/login", data={"email": user.email, "password": PASSWORD}, environ_base=OFFICE).status_code == 302
    )
    assert device.get_cookie(throttle.DEVICE_COOKIE) is not None
    device.post("/logout")
    return device


def _attempt(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password}, environ_base=OFFICE)


def test_a_stranger_guessing_does_not_lock_the_owner_out_of_a_known_browser(app, make_user):
    owner = make_user()
    browser = _known_device(app, owner)
    stranger = app.test_client()
    for _ in range(5):
        login(stranger, owner.email, WRONG)
    assert login(stranger, owner.email, PASSWORD).status_code == 429  # unknown devices are still limited
    assert _attempt(browser, owner.email).status_code == 302


def test_a_known_browser_is_limited_on_its_own_and_then_counts_as_unknown(app, make_user):
    owner = make_user()
    browser = _known_device(app, owner)
    for _ in range(5):
        assert _attempt(browser, owner.email, WRONG).status_code == 200
    # Locked as a device, it is an unknown device again: the account's own limit still has room.
    for _ in range(5):
        assert _attempt(browser, owner.email, WRONG).status_code == 200
    assert _attempt(browser, owner.email).status_code == 429


def test_an_office_behind_one_address_is_not_locked_out_of_the_accounts_its_browsers_know(app, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 8
    colleague, others = make_user(), [make_user() for _ in range(3)]
    browser = _known_device(app, colleague)
    guesser = app.test_client()
    for attempt in range(8):
        _attempt(guesser, others[attempt % 3].email, WRONG)
    assert _attempt(app.test_client(), colleague.email).status_code == 429  # unknown device, busy address
    assert _attempt(browser, colleague.email).status_code == 302


def test_a_forged_or_foreign_device_cookie_counts_for_nothing(app, make_user):
    owner, other = make_user(), make_user()
    other_browser = _known_device(app, other)  # knows `other`, not `owner`
    forged = app.test_client()
    forged.set_cookie(throttle.DEVICE_COOKIE, "eyJ4IjoieSJ9.forged.signature")
    for _ in range(5):
        login(app.test_client(), owner.email, WRONG)
    assert login(forged, owner.email).status_code == 429
    assert login(other_browser, owner.email).status_code == 429


def test_a_refused_attempt_is_audited(app, client, make_user):
    owner = make_user()
    for _ in range(5):
        login(client, owner.email, WRONG)
    assert login(client, owner.email.upper()).status_code == 429
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action is AuditAction.LOGIN_FAILED
    assert event.entity_id == owner.id
    assert event.changes == {"email": owner.email, "refused": "too many failed sign-ins"}
