"""Imports of enterprises, contacts and projects: read, check every row, find duplicates, then write all or none.

Each row goes through the same form as the screen (so the same rules and messages apply), after its
cells are turned into what the form expects: labels in either language into choices, three date formats
into one, amounts with 万/亿 or separators into yuan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from crm.accounts.models import User
from crm.core.audit import AuditAction, record
from crm.exchange.reading import cell_text, parse_amount, parse_date
from crm.exchange.tables import CONTACTS, ENTERPRISES, PROJECTS, Table
from crm.extensions import db

SKIP, UPDATE, CREATE = "skip", "update", "create"


@dataclass(frozen=True)
class Field:
    """A column an import reads: its key (as in the export), its kind and the form field it feeds."""

    key: str
    kind: str = "text"  # text, enum, sectors, boolean, date, money, integer, enterprise
    required: bool = False
    form_field: str | None = None  # defaults to the key
    choices: Any = None  # the enumeration of an enum field
    default: str = ""  # what a blank cell means
    aliases: tuple[str, ...] = ()  # other headers people give this column


@dataclass(frozen=True)
class Kind:
    """One kind of record that can be imported."""

    table: Table
    fields: list[Field]
    make_form: Callable[[MultiDict], Any]
    find_existing: Callable[[dict, User], list]
    same_key: Callable[[dict], set]
    write: Callable[[dict, Any, User], Any]

    @property
    def name(self) -> str:
        return self.table.name

    def column(self, key: str):
        return next(column for column in self.table.columns if column.key == key)


@dataclass
class Row:
    line: int  # the row's number in the file, the header being row 1
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    values: dict | None = None
    shown: dict[str, str] = field(default_factory=dict)
    matches: list = field(default_factory=list)  # records in the database that look like this one
    same_as_line: int | None = None  # an earlier row of the file that looks like this one

    @property
    def is_duplicate(self) -> bool:
        return bool(self.matches) or self.same_as_line is not None


@dataclass
class Analysis:
    kind: Kind
    rows: list[Row]
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def duplicates(self) -> list[Row]:
        return [row for row in self.rows if row.is_duplicate and not row.errors]


class ImportRefused(ValueError):
    """Nothing can be imported; the message says why."""


# ----- headers


def _normal(text: str) -> str:
    return re.sub(r"[\s()（）:：*]+", "", str(text)).casefold()


def _in_both_languages(text_of: Callable[[], Any]) -> set[str]:
    names = set()
    for locale in ("en", "zh"):
        with force_locale(locale):
            names.add(_normal(str(text_of())))
    return names


def header_names(kind: Kind, spec: Field) -> set[str]:
    column = kind.column(spec.key)
    names = {_normal(spec.key)} | {_normal(alias) for alias in spec.aliases}
    return names | _in_both_languages(lambda: column.label) | _in_both_languages(lambda: column.title)


def map_header(kind: Kind, header: list) -> tuple[dict[int, str], list[str]]:
    """Which column of the file holds which field (headers in English or Chinese), and the headers ignored."""
    names = {name: spec.key for spec in kind.fields for name in header_names(kind, spec)}
    found: dict[int, str] = {}
    ignored = []
    for position, cell in enumerate(header):
        text = cell_text(cell)
        key = names.get(_normal(text))
        if key is not None and key not in found.values():
            found[position] = key
        elif text:
            ignored.append(text)
    missing = [spec for spec in kind.fields if spec.required and spec.key not in found.values()]
    # Either name may be the only one (a Chinese list has 中文名称 alone): one of the two columns is enough.
    named = {"name", "local_name"} & set(found.values()) or not any(spec.key == "local_name" for spec in kind.fields)
    if not named:
        missing.append(next(spec for spec in kind.fields if spec.key == "name"))
    if not found or missing:
        needed = [str(kind.column(spec.key).label) for spec in kind.fields if spec.required]
        if any(spec.key == "local_name" for spec in kind.fields):  # enterprises need one of their two names
            either = _(
                "%(english)s or %(chinese)s", english=kind.column("name").label, chinese=kind.column("local_name").label
            )
            needed.insert(0, either)
        expected = ", ".join(needed)
        raise ImportRefused(
            _("The first row is not a header this import recognises. It needs at least: %(columns)s.", columns=expected)
        )
    return found, ignored


def cells_of(rows: list[list], kind: Kind) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Each data row as {field key: text}, with its line number in the file."""
    header, *data = rows
    columns, ignored = map_header(kind, header)
    result = []
    for line, row in enumerate(data, start=2):
        cells = {key: cell_text(row[position]) if position < len(row) else "" for position, key in columns.items()}
        if any(cells.values()):
            result.append((line, cells))
    if not result:
        raise ImportRefused(_("The file has a header but no rows under it."))
    return result, ignored


# ----- cells into form data


def _aliases(enum_class) -> dict[str, str]:
    aliases = {}
    for member in enum_class:
        aliases[_normal(member.value)] = member.value
        for name in _in_both_languages(lambda member=member: member.label):
            aliases[name] = member.value
    return aliases


def _sector_aliases() -> dict[str, int]:
    from crm.sectors.queries import active_sectors

    aliases = {}
    for sector in active_sectors():
        for node in (sector, *sector.children):
            for name in (node.code, node.name_en, node.name_zh):
                aliases.setdefault(_normal(name), node.id)
            if node is not sector:
                for parent_name, node_name in ((sector.name_en, node.name_en), (sector.name_zh, node.name_zh)):
                    aliases[_normal(f"{parent_name} › {node_name}")] = node.id
    return aliases


_YES = {"yes", "y", "true", "1", "是", "√", "✓"}
_NO = {"no", "n", "false", "0", "否", ""}


class Converter:
    """Turns a row's cells into form data, collecting an error for each cell that cannot be read."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.enum_aliases = {spec.key: _aliases(spec.choices) for spec in kind.fields if spec.kind == "enum"}
        self.sectors = _sector_aliases() if any(spec.kind == "sectors" for spec in kind.fields) else {}

    def form_data(self, cells: dict[str, str], errors: list[str]) -> tuple[MultiDict, set[str]]:
        """The form's data, and the form fields whose cells could not be read (their errors are given)."""
        data = MultiDict()
        unread = set()
        for spec in self.kind.fields:
            text = cells.get(spec.key, "")
            name = spec.form_field or spec.key
            label = self.kind.column(spec.key).label
            problem = self._add(data, spec, name, text)
            if problem:
                errors.append(_("%(label)s: %(message)s", label=label, message=problem))
                unread.add(name)
        return data, unread

    def _add(self, data: MultiDict, spec: Field, name: str, text: str) -> str | None:
        if spec.kind == "enum":
            text = text or spec.default
            if not text:
                return None
            value = self.enum_aliases[spec.key].get(_normal(text))
            if value is None:
                options = " / ".join(str(member.label) for member in spec.choices)
                return _("“%(text)s” is not one of: %(options)s.", text=text, options=options)
            data[name] = value
        elif spec.kind == "sectors":
            for part in filter(None, (piece.strip() for piece in re.split(r"[;；]", text))):
                sector_id = self.sectors.get(_normal(part))
                if sector_id is None:
                    return _("No sector is named “%(text)s”.", text=part)
                data.add(name, str(sector_id))
        elif spec.kind == "boolean":
            if _normal(text) in _YES:
                data[name] = "y"
            elif _normal(text) not in _NO:
                return _("Write yes or no (是 or 否).")
        elif spec.kind == "date" and text:
            parsed = parse_date(text)
            if parsed is None:
                return _("“%(text)s” is not a date: write 2026-11-28, 2026/11/28 or 2026年11月28日.", text=text)
            data[name] = parsed.isoformat()
        elif spec.kind == "money" and text:
            amount = parse_amount(text)
            if amount is None:
                return _("“%(text)s” is not an amount: write 1500000, 1,500,000 or 150万.", text=text)
            data[name] = str(amount)
        elif spec.kind == "integer" and text:
            data[name] = text[:-2] if text.endswith(".0") else text
        elif text:
            data[name] = text
        return None


# ----- checking rows


def analyse(kind: Kind, rows: list[tuple[int, dict[str, str]]], viewer: User) -> Analysis:
    """Check each row with the screen's form and find what it may duplicate, writing nothing."""
    converter = Converter(kind)
    results = []
    seen: dict[Any, int] = {}
    for line, cells in rows:
        row = Row(line, cells)
        data, unread = converter.form_data(cells, row.errors)
        form = kind.make_form(data)
        if not form.validate():
            for name, messages in form.errors.items():
                if name in unread:
                    continue  # already explained in the cell's own words
                if name is None or name not in form:
                    row.errors.extend(str(message) for message in messages)
                    continue
                label = form[name].label.text
                row.errors.extend(_("%(label)s: %(message)s", label=label, message=message) for message in messages)
        if not row.errors:
            row.values = form.values()
            row.shown = {spec.key: _shown(form, spec, row.values) for spec in kind.fields}
            row.matches = kind.find_existing(row.values, viewer)
            for key in kind.same_key(row.values):
                if key in seen:
                    row.same_as_line = seen[key]
                    break
            for key in kind.same_key(row.values):
                seen.setdefault(key, line)
        results.append(row)
    return Analysis(kind, results)


def _shown(form, spec: Field, values: dict) -> str:
    """A value as it will be stored, in words."""
    name = spec.form_field or spec.key
    value = values.get(name)
    if spec.kind == "enum" and value:
        return str(value.label) if hasattr(value, "label") else str(value)
    if spec.kind == "sectors":
        labels = {str(choice.value): str(choice.label) for choice in form[name].choices}
        return "; ".join(labels.get(str(item), str(item)) for item in value or [])
    if spec.kind == "boolean":
        return _("Yes") if value else _("No")
    if spec.kind == "enterprise":
        return value.display_name if value is not None else ""
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


# ----- writing


def choice_for(row: Row, choices: dict[int, str]) -> str:
    """What to do with a row: create it, or for a duplicate what the user chose (skip unless told)."""
    if not row.is_duplicate:
        return CREATE
    chosen = choices.get(row.line, SKIP)
    if chosen == UPDATE and not row.matches:
        return SKIP
    return chosen if chosen in (SKIP, UPDATE, CREATE) else SKIP


def apply(analysis: Analysis, choices: dict[int, str], *, by: User, filename: str) -> dict[str, int]:
    """Write every row (or refuse before writing any): the caller commits once, or rolls back."""
    if analysis.bad_rows:
        raise ImportRefused(_("Some rows have errors: correct the file and upload it again."))
    counts = {CREATE: 0, UPDATE: 0, SKIP: 0}
    for row in analysis.rows:
        action = choice_for(row, choices)
        if action == SKIP:
            counts[SKIP] += 1
            continue
        existing = row.matches[0] if action == UPDATE else None
        analysis.kind.write(row.values, existing, by)
        counts[action] += 1
    db.session.flush()
    record(
        AuditAction.IMPORT,
        entity_type=analysis.kind.name,
        details={
            "kind": analysis.kind.name,
            "file": filename,
            "rows": len(analysis.rows),
            "created": counts[CREATE],
            "updated": counts[UPDATE],
            "skipped": counts[SKIP],
        },
        user=by,
    )
    return {"created": counts[CREATE], "updated": counts[UPDATE], "skipped": counts[SKIP]}


def _given(values: dict) -> dict:
    """The values the file gives: a blank cell leaves the existing record's value alone on update."""
    return {key: value for key, value in values.items() if value not in (None, "", [])}


def _keeping_names(existing, values: dict) -> dict:
    """An update fills in and corrects the other fields; the names it was matched by stay as they are."""
    return {
        key: value for key, value in values.items() if key not in ("name", "local_name") or not getattr(existing, key)
    }


# ----- the three kinds


def _no_csrf(form_class):
    def make(data: MultiDict):
        form = form_class(formdata=data, meta={"csrf": False})
        for name in ("owner_id", "confirm_duplicate"):
            if name in form:
                del form[name]
        return form

    return make


def _enterprise_matches(values: dict, viewer: User) -> list:
    from crm.enterprises.duplicates import find_duplicates

    # The same matching as the duplicate warning of the enterprise form (names, aliases, pinyin, core names).
    return [match.enterprise for match in find_duplicates(values.get("name"), values.get("local_name"))]


def _enterprise_keys(values: dict) -> set:
    from crm.enterprises.names import name_key

    return {key for key in (name_key(values.get("name")), name_key(values.get("local_name"))) if key}


def _write_enterprise(values: dict, existing, by: User):
    from crm.enterprises import services

    if existing is not None:
        return services.update_enterprise(existing, _keeping_names(existing, _given(values)))
    return services.create_enterprise(values, by=by)


def _person_key(name: str | None) -> str:
    return re.sub(r"\s+", "", name or "").casefold()


def _contact_matches(values: dict, viewer: User) -> list:
    from crm.enterprises.queries import live_contacts_of

    names = {_person_key(values.get("name")), _person_key(values.get("local_name"))} - {""}
    return [
        contact
        for contact in live_contacts_of(values["enterprise"].id)
        if names & ({_person_key(contact.name), _person_key(contact.local_name)} - {""})
    ]


def _contact_keys(values: dict) -> set:
    enterprise_id = values["enterprise"].id
    return {
        (enterprise_id, key) for key in (_person_key(values.get("name")), _person_key(values.get("local_name"))) if key
    }


def _write_contact(values: dict, existing, by: User):
    from crm.enterprises import services

    enterprise = values["enterprise"]
    values = {key: value for key, value in values.items() if key != "enterprise"}
    if existing is not None:
        return services.update_contact(existing, _keeping_names(existing, _given(values)))
    return services.create_contact(enterprise, values, by=by)


def _contact_form(data: MultiDict):
    from crm.enterprises.forms import ContactCreateForm

    form = _no_csrf(ContactCreateForm)(data)
    form.values = lambda: (
        {name: form[name].data for name in form._fields if name not in ("csrf_token", "version", "enterprise")}
        | {"enterprise": form.enterprise.enterprise}
    )
    return form


def _project_form(data: MultiDict):
    """The project form, plus the stage, status and reason that the screen sets with their own actions."""
    from crm.pipeline.forms import ProjectForm
    from crm.pipeline.models import ProjectStatus, Stage

    form = _no_csrf(ProjectForm)(data)
    extra = {
        "stage": Stage(data["stage"]) if data.get("stage") else Stage.LEAD,
        "status": ProjectStatus(data["status"]) if data.get("status") else ProjectStatus.ACTIVE,
        "status_reason": (data.get("status_reason") or "").strip() or None,
    }
    plain_values = form.values

    def validate() -> bool:
        valid = ProjectForm.validate(form)
        from crm.pipeline.services import STATUSES_NEEDING_A_REASON

        if extra["status"] in STATUSES_NEEDING_A_REASON and not extra["status_reason"]:
            form.form_errors.append(_("A project on hold or lost needs a reason."))
            return False
        return valid

    form.validate = validate
    form.values = lambda: plain_values() | extra
    return form


def _project_matches(values: dict, viewer: User) -> list:
    from crm.pipeline.queries import enterprise_projects

    name = _person_key(values.get("name"))
    projects = db.session.scalars(enterprise_projects(values["enterprise"].id, viewer))
    return [project for project in projects if _person_key(project.name) == name]


def _project_keys(values: dict) -> set:
    return {(values["enterprise"].id, _person_key(values.get("name")))}


def _write_project(values: dict, existing, by: User):
    from crm.pipeline import services

    stage, status, reason = values["stage"], values["status"], values["status_reason"]
    plain = {key: value for key, value in values.items() if key not in ("stage", "status", "status_reason")}
    if existing is not None:
        project = services.update_project(existing, _given(plain))
    else:
        project = services.create_project(plain, by=by)
    if project.stage != stage:
        services.advance_stage(project, stage, by=by, note=_("Imported"), probability=plain.get("probability"))
    if project.status != status or (reason and reason != project.status_reason):
        services.change_status(project, status, reason)
    return project


def _enterprise_kinds():
    from crm.enterprises.models import EnterpriseKind, EnterpriseSize, Ownership

    return EnterpriseKind, EnterpriseSize, Ownership


def kinds() -> dict[str, Kind]:
    from crm.enterprises.forms import EnterpriseForm
    from crm.pipeline.models import ProjectSource, ProjectStatus, Stage

    enterprise_kind, size, ownership = _enterprise_kinds()
    enterprise = Kind(
        ENTERPRISES,
        [
            Field("name", aliases=("Name", "名称", "企业名称", "单位名称", "公司名称", "英文名称")),
            Field("local_name", aliases=("Chinese name", "中文名", "中文名称")),
            Field("kind", "enum", choices=enterprise_kind, default="company"),
            Field("ownership", "enum", choices=ownership),
            Field("parent", aliases=("Parent group", "所属集团", "上级单位")),
            Field("country"),
            Field("province"),
            Field("city"),
            Field("address"),
            Field("website"),
            Field("size", "enum", choices=size),
            Field("sectors", "sectors", form_field="sector_ids"),
            Field("description"),
        ],
        _no_csrf(EnterpriseForm),
        _enterprise_matches,
        _enterprise_keys,
        _write_enterprise,
    )
    contact = Kind(
        CONTACTS,
        [
            Field("name", aliases=("联系人", "英文姓名")),
            Field("local_name", aliases=("Chinese name", "中文名", "中文姓名")),
            Field("enterprise", "enterprise", required=True, aliases=("Company", "公司", "单位", "企业名称")),
            Field("title"),
            Field("department"),
            Field("phone"),
            Field("mobile"),
            Field("email"),
            Field("wechat"),
            Field("notes"),
        ],
        _contact_form,
        _contact_matches,
        _contact_keys,
        _write_contact,
    )
    project = Kind(
        PROJECTS,
        [
            Field("name", required=True, aliases=("Name", "名称", "项目")),
            Field("code_name", required=True),
            Field("is_confidential", "boolean"),
            Field("enterprise", "enterprise", required=True, aliases=("Company", "公司", "企业名称")),
            Field("stage", "enum", choices=Stage),
            Field("status", "enum", choices=ProjectStatus),
            Field("status_reason"),
            Field("sectors", "sectors", form_field="sector_ids"),
            *(
                Field(key, "money")
                for key in (
                    "planned_investment",
                    "actual_investment",
                    "planned_fixed_assets",
                    "actual_fixed_assets",
                    "planned_paid_in_capital",
                    "actual_paid_in_capital",
                )
            ),
            Field("planned_jobs", "integer"),
            Field("actual_jobs", "integer"),
            Field("expected_decision_on", "date"),
            Field("probability", "integer"),
            Field("referrer"),
            Field("source", "enum", choices=ProjectSource),
            Field("description"),
        ],
        _project_form,
        _project_matches,
        _project_keys,
        _write_project,
    )
    return {kind.name: kind for kind in (enterprise, contact, project)}


def may_import(user: User) -> bool:
    return user.is_manager


IMPORT_HELP = {
    "text": _l("Text."),
    "enum": _l("One of: %(options)s."),
    "sectors": _l("Sector names from the taxonomy, separated by semicolons (;)."),
    "boolean": _l("Yes or no (是 or 否)."),
    "date": _l("A date: 2026-11-28, 2026/11/28 or 2026年11月28日."),
    "money": _l("An amount in yuan: 1500000, 1,500,000, 150万 or 1.5亿."),
    "integer": _l("A whole number."),
    "enterprise": _l(
        "The name of an enterprise already in crm, in English or Chinese, exactly as it is written there."
    ),
}


def explain(spec: Field) -> str:
    text = IMPORT_HELP[spec.kind]
    if spec.kind == "enum":
        return str(text) % {"options": " / ".join(str(member.label) for member in spec.choices)}
    return str(text)


def template_workbook(kind: Kind) -> bytes:
    """An empty sheet with the import's headers, and a second sheet explaining each column in both languages."""
    import io

    import xlsxwriter

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    data = workbook.add_worksheet(str(kind.table.label)[:31])
    for position, spec in enumerate(kind.fields):
        column = kind.column(spec.key)
        data.write_string(0, position, column.title, bold)
        data.set_column(position, position, column.width)
    data.freeze_panes(1, 0)
    guide = workbook.add_worksheet("Columns 列说明")
    headings = ("Column", "列名", "Required 必填", "What to write", "填写说明")
    for position, heading in enumerate(headings):
        guide.write_string(0, position, heading, bold)
    guide.set_column(0, 1, 24)
    guide.set_column(2, 2, 12)
    guide.set_column(3, 4, 60, wrap)
    for line, spec in enumerate(kind.fields, start=1):
        column = kind.column(spec.key)
        with force_locale("en"):
            english, english_help = column.title, explain(spec)
        with force_locale("zh"):
            chinese, chinese_help = column.title, explain(spec)
        guide.write_string(line, 0, english)
        guide.write_string(line, 1, chinese)
        guide.write_string(line, 2, "yes 是" if spec.required else "")
        guide.write_string(line, 3, english_help)
        guide.write_string(line, 4, chinese_help)
    guide.freeze_panes(1, 0)
    workbook.close()
    return output.getvalue()
