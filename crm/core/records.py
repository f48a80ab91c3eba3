"""What every business record's pages share: finding it, checking who may change it, soft delete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from flask import abort, flash, redirect, render_template
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from crm.accounts.models import User
from crm.core.time import utcnow
from crm.extensions import db

Record = TypeVar("Record")


def get_record_or_404(model: type[Record], record_id: int, viewer: User, *, options: Sequence = ()) -> Record:
    """The record; a deleted one only for managers (who may restore it), 404 for anyone else.

    `options`: loader options (joinedload of what the page shows), to read it with the record.
    """
    record = db.session.get(model, record_id, options=options)
    if record is None or (record.deleted_at is not None and not viewer.is_manager):
        abort(404)
    return record


def require_edit(record, user: User) -> None:
    """The second permission layer: the record itself says who may change it."""
    if not record.can_edit(user):
        abort(403)


def require_manager(user: User) -> None:
    if not user.is_manager:
        abort(403)


def soft_delete(record) -> None:
    """Hide a record; a manager can restore it. The audit listener records the deletion."""
    record.deleted_at = utcnow()
    db.session.flush()


def restore(record) -> None:
    record.deleted_at = None
    db.session.flush()


def save_unless_stale(form, record, apply: Callable[[], object]) -> list | None:
    """Apply the form and commit, unless someone saved the record after the form was loaded.

    Returns None when saved, or the conflict (their values beside the user's) when nothing was written.
    Two saves racing past the first check are caught by SQLAlchemy's version counter at commit.
    """
    if form.is_stale(record):
        return form.conflict(record)
    try:
        apply()
        db.session.commit()
    except StaleDataError:
        db.session.rollback()  # the record reloads with the other person's values
        return form.conflict(record)
    return None


def delete_and_redirect(record, message: str, target: str):
    """The delete action of every record page: check, hide, commit, say so, go on."""
    require_edit(record, current_user)
    soft_delete(record)
    db.session.commit()
    flash(message, "info")
    return redirect(target)


def restore_and_redirect(record, message: str, target: str):
    """The restore action (managers only) of every record page."""
    require_manager(current_user)
    restore(record)
    db.session.commit()
    flash(message, "success")
    return redirect(target)


def edit_response(form, record, apply: Callable[[], object], *, saved: str, next_url: str, template: str, **context):
    """The edit page of every record: save unless stale, then go on; else the form again with its status.

    400 for input to correct, 409 when someone saved meanwhile (their values shown), 200 for a new form.
    """
    conflict = None
    if form.validate_on_submit():
        conflict = save_unless_stale(form, record, apply)
        if conflict is None:
            flash(saved, "success")
            return redirect(next_url)
    status = 409 if conflict is not None else (400 if form.errors else 200)
    return render_template(template, form=form, conflict=conflict, **context), status
