"""What every response shares: error pages, security headers, template helpers."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, abort, current_app, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from crm.core import i18n
from crm.core.forms import MAX_ID
from crm.core.i18n import template_gettext as _
from crm.core.listing import PAGE_SIZES
from crm.core.roles import Role
from crm.core.time import local_today
from crm.extensions import db

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


class RecordIdConverter(IntegerConverter):
    """<int:…> in routes: ids from 0 up to the largest an INTEGER column holds, so anything bigger is a 404."""

    def __init__(
        self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID, signed: bool = False
    ) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul_characters)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.context_processor(_template_globals)
    # Chinese names as UTF-8 in JSON (responses and |tojson), not six-byte \u escapes: half the bytes. |tojson
    # still escapes <, >, & and ' for a <script> element.
    app.json.ensure_ascii = False
    app.add_template_global(list_url)
    app.add_template_global(PAGE_SIZES, "page_sizes")
    app.add_template_global(record_url)
    for writer in (both_names, project_name, sample_badge, deleted_badge):
        app.add_template_global(writer)
    # The one way amounts and dates are written, in every template: value|money, value|date, value|datetime.
    app.add_template_filter(i18n.money, "money")
    app.add_template_filter(i18n.money_compact, "money_compact")
    app.add_template_filter(i18n.number, "number")
    app.add_template_filter(i18n.date, "date")
    app.add_template_filter(i18n.datetime, "datetime")


def _refuse_nul_characters() -> None:
    """No text anyone types contains NUL, and PostgreSQL refuses to store or compare it: answer 400 early."""
    values = list(request.args.values())
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        values += list(request.form.values())
    if any("\x00" in value for value in values):
        abort(400)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static" and current_user.is_authenticated:
        # A signed-in page may show confidential records: no browser or proxy may keep a copy (the back
        # button after sign-out, a shared computer).
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("HTTPS"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


# The top bar: (endpoint, label, who sees it). An entry shows once its area's blueprint exists.
NAVIGATION = [
    ("main.home", _l("Home"), None),
    ("dashboards.pipeline", _l("Dashboards"), None),
    ("trips.index", _l("Trips"), None),
    ("visits.index", _l("Visits"), None),
    ("enterprises.index", _l("Enterprises"), None),
    ("pipeline.board", _l("Pipeline"), None),
    ("pipeline.index", _l("Projects"), None),
    ("followups.index", _l("Follow-ups"), None),
    ("users.index", _l("Users"), Role.ADMIN),
    ("auditlog.index", _l("Audit log"), None),
]


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, str(label))
        for endpoint, label, role in NAVIGATION
        if endpoint in current_app.view_functions and (role is None or current_user.role is role)
    ]


# As werkzeug writes a URL's query (werkzeug.urls._urlencode): these characters stay as they are.
QUERY_SAFE = "!$'()*,/:;?@"


def list_url(endpoint: str, **arguments) -> str:
    """url_for(endpoint, **arguments) for a page without path arguments (a list, filtered by its query).

    The same URL, written at a fraction of the cost: the path is built once per request and endpoint, and only
    the query is encoded for each link. The dashboards link every figure of every row to the list behind it
    (six per trip on the trips dashboard), and url_for took a third of such a page's time.
    """
    paths = g.setdefault("list_url_paths", {})
    path = paths.get(endpoint)
    if path is None:
        path = paths[endpoint] = url_for(endpoint)
    query = urlencode([(name, value) for name, value in arguments.items() if value is not None], safe=QUERY_SAFE)
    return f"{path}?{query}" if query else path


# Stands for the record's id while a record page's URL is built once; any id the URL converter accepts will do.
_ID_MARK = "987654321"


def record_url(endpoint: str, record_id: int) -> str:
    """url_for(endpoint, <its one argument>=record_id) for a record's page: /visits/42, /projects/7/edit.

    The same URL at a fifth of the cost: the URL is built once per request and endpoint around a mark, and each
    link puts its id in place of the mark. A list row links its record and those it belongs to, and a follow-up
    list or the board writes a few hundred such links (url_for takes ~5 µs each).
    """
    parts = g.setdefault("record_url_parts", {})
    around = parts.get(endpoint)
    if around is None:
        (argument,) = next(current_app.url_map.iter_rules(endpoint)).arguments
        before, after = url_for(endpoint, **{argument: int(_ID_MARK)}).split(_ID_MARK)
        around = parts[endpoint] = (before, after)
    return f"{around[0]}{int(record_id)}{around[1]}"


def _template_globals() -> dict:
    locale = get_locale()
    return {
        "languages": i18n.LANGUAGE_NAMES,
        "current_language": locale.language if locale else "en",
        "today": local_today(),
        "navigation": navigation,
        # Links to areas still being built are shown only once the page exists.
        "url_endpoints": current_app.view_functions,
    }


def _error_page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _http_error(error: HTTPException):
    from flask_babel import gettext as _

    if error.code is None or error.code < 400:
        return error
    titles = {
        400: (_("Bad request"), _("The request could not be understood. Go back and try again.")),
        403: (_("Not allowed"), _("Your account may not open this page.")),
        404: (_("Not found"), _("There is no such page, or the record was removed.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What you sent is larger than this server accepts.")),
        429: (_("Too many attempts"), _("Please wait a while before trying again.")),
    }
    title, message = titles.get(error.code, (error.name, error.description or ""))
    return _error_page(error.code, title, message)


def _csrf_error(error: CSRFError):
    from flask_babel import gettext as _

    return _error_page(
        400, _("Form expired"), _("The form was open too long or came from elsewhere. Reload the page and try again.")
    )


def _unexpected_error(error: Exception):
    """Log the traceback; show the user a page in the layout, never the traceback itself."""
    from flask_babel import gettext as _

    if isinstance(error, HTTPException):
        return _http_error(error)
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    if current_app.debug or current_app.config.get("PROPAGATE_EXCEPTIONS"):
        raise error
    return _error_page(
        500,
        _("Something went wrong"),
        _("Nothing was saved. The error has been logged; please try again or tell your administrator."),
    )


def both_names(record) -> Markup:
    """A record's name in both scripts: the local (Chinese) one first when there is one, the other in grey.

    A function rather than a Jinja macro: a list or a trip's itinerary names dozens of records, and a macro call
    costs ten times as much (so does Markup.format, a formatter written in Python; "%" is not).
    """
    local_name, name = record.local_name, record.name
    if not local_name:
        return escape(name or "")
    if name and name != local_name:
        return _BOTH_NAMES % (local_name, name)
    return _LOCAL_NAME % local_name


_LOCAL_NAME = Markup('<span lang="zh-CN">%s</span>')
_BOTH_NAMES = Markup('<span lang="zh-CN">%s</span> <span class="text-body-secondary">%s</span>')


# The badges and a project's name are on every row of the lists and every card of the board: Python functions
# for the same reason as both_names. The texts go through `_` (so that extraction finds them), the catalog's
# remembered Markup (crm.core.i18n.template_gettext).


def sample_badge(record) -> Markup:
    if not record.is_sample:
        return Markup("")
    return _SAMPLE_BADGE % (_("Sample data, not a real record"), _("Sample"))


def deleted_badge(record) -> Markup:
    return _DELETED_BADGE % _("deleted") if record.deleted_at else Markup("")


def project_name(project) -> Markup:
    """The project's title; for those who may not see a confidential project, its code name only."""
    if not project.can_see(current_user):
        return _CODE_NAME % (project.code_name, _("Confidential"))
    if project.is_confidential:
        return _CONFIDENTIAL_TITLE % (
            project.display_title,
            _("Confidential: others see only the code name"),
            _("Confidential"),
        )
    return escape(project.display_title)


_SAMPLE_BADGE = Markup(' <span class="badge text-bg-warning ms-1" title="%s">%s</span>')
_DELETED_BADGE = Markup(' <span class="badge text-bg-danger ms-1">%s</span>')
_CODE_NAME = Markup('%s <span class="badge text-bg-dark">%s</span>')
_CONFIDENTIAL_TITLE = Markup('%s <span class="badge text-bg-dark" title="%s">%s</span>')
