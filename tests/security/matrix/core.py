"""Sign-in, the home page, accounts, users and the audit log."""

from tests.security.matrix import ADMIN, ANON, MANAGER, OFFICER, admins_only, everyone, signed_in

ROWS = {
    ("static", "GET"): ("/static/css/app.css", everyone(200)),
    ("main.healthz", "GET"): ("/healthz", everyone(200)),
    ("main.home", "GET"): ("/", signed_in(200)),
    ("main.set_language", "POST"): ("/language", everyone(302)),
    ("accounts.login", "GET"): ("/login", {ANON: 200, OFFICER: 302, MANAGER: 302, ADMIN: 302}),
    ("accounts.login", "POST"): ("/login", {ANON: 400, OFFICER: 302, MANAGER: 302, ADMIN: 302}),
    ("accounts.logout", "POST"): ("/logout", everyone(302)),
    ("accounts.setup", "GET"): ("/setup", everyone(404)),  # accounts exist: the page is gone
    ("accounts.setup", "POST"): ("/setup", everyone(404)),
    ("accounts.profile", "GET"): ("/account", signed_in(200)),
    ("accounts.profile", "POST"): ("/account", signed_in(400)),
    ("accounts.change_password", "GET"): ("/account/password", signed_in(200)),
    ("accounts.change_password", "POST"): ("/account/password", signed_in(400)),
    ("users.index", "GET"): ("/admin/users/", admins_only(200)),
    ("users.create", "GET"): ("/admin/users/new", admins_only(200)),
    ("users.create", "POST"): ("/admin/users/new", admins_only(400)),
    ("users.edit", "GET"): ("/admin/users/{target}/edit", admins_only(200)),
    ("users.edit", "POST"): ("/admin/users/{target}/edit", admins_only(400)),
    ("users.reset_password", "GET"): ("/admin/users/{target}/password", admins_only(200)),
    ("users.reset_password", "POST"): ("/admin/users/{target}/password", admins_only(400)),
    ("users.deactivate", "POST"): ("/admin/users/{target}/deactivate", admins_only(302)),
    ("users.reactivate", "POST"): ("/admin/users/{target}/reactivate", admins_only(302)),
    ("auditlog.index", "GET"): ("/audit/", signed_in(200)),
}
