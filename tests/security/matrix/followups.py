"""Follow-ups."""

from tests import factories
from tests.security.matrix import managers, signed_in

ROWS = {
    ("followups.index", "GET"): ("/follow-ups/", signed_in(200)),
    ("followups.detail", "GET"): ("/follow-ups/{follow_up}", signed_in(200)),
    ("followups.create", "GET"): ("/follow-ups/new", signed_in(200)),
    ("followups.create", "POST"): ("/follow-ups/new", signed_in(400)),
    ("followups.edit", "GET"): ("/follow-ups/{follow_up}/edit", managers(200)),
    ("followups.edit", "POST"): ("/follow-ups/{follow_up}/edit", managers(400)),
    ("followups.done", "POST"): ("/follow-ups/{follow_up}/done", managers(302)),
    ("followups.reassign", "POST"): ("/follow-ups/{follow_up}/reassign", managers(400)),
    ("followups.delete", "POST"): ("/follow-ups/{follow_up}/delete", managers(302)),
    ("followups.restore", "POST"): ("/follow-ups/{follow_up}/restore", managers(302)),
}


def records(owner) -> dict[str, int]:
    return {"follow_up": factories.follow_up(owner).id}
