"""The search box: every signed-in role searches what it may see."""

from tests.security.matrix import signed_in

ROWS = {
    ("search.index", "GET"): ("/search/?q=test", signed_in(200)),
    ("search.json", "GET"): ("/search/results.json?q=test", signed_in(200)),
}
