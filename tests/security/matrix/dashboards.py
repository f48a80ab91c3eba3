"""The dashboards: everyone signed in reads them; only managers and admins set targets."""

from tests.security.matrix import managers, signed_in

ROWS = {
    ("dashboards.pipeline", "GET"): ("/dashboards/", signed_in(200)),
    ("dashboards.targets", "GET"): ("/dashboards/targets", signed_in(200)),
    ("dashboards.set_targets", "POST"): ("/dashboards/targets", managers(400)),
    ("dashboards.trips", "GET"): ("/dashboards/trips", signed_in(200)),
    ("dashboards.chains", "GET"): ("/dashboards/chains", signed_in(200)),
    ("dashboards.team", "GET"): ("/dashboards/team", signed_in(200)),
}
