"""Investment projects and the pipeline board."""

from tests import factories
from tests.security.matrix import managers, signed_in

ROWS = {
    ("pipeline.index", "GET"): ("/projects/", signed_in(200)),
    ("pipeline.board", "GET"): ("/projects/board", signed_in(200)),
    ("pipeline.detail", "GET"): ("/projects/{project}", signed_in(200)),
    ("pipeline.create", "GET"): ("/projects/new", signed_in(200)),
    ("pipeline.create", "POST"): ("/projects/new", signed_in(400)),
    ("pipeline.edit", "GET"): ("/projects/{project}/edit", managers(200)),
    ("pipeline.edit", "POST"): ("/projects/{project}/edit", managers(400)),
    ("pipeline.delete", "POST"): ("/projects/{project}/delete", managers(302)),
    ("pipeline.restore", "POST"): ("/projects/{project}/restore", managers(302)),
    ("pipeline.stage", "POST"): ("/projects/{project}/stage", managers(400)),
    ("pipeline.status", "POST"): ("/projects/{project}/status", managers(400)),
}


def records(owner) -> dict[str, int]:
    return {"project": factories.project(owner).id}
