"""flask export and flask import: the same rules as the pages, a non-zero exit when anything is refused."""

from __future__ import annotations

import csv

import openpyxl
import sqlalchemy as sa

from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.enterprises.models import Enterprise
from crm.extensions import db
from tests import factories
from tests.conftest import count_rows


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_export_writes_the_file_and_audits_it(app, make_user, tmp_path):
    admin = make_user(Role.ADMIN)
    factories.enterprise(admin, name="Bosch", local_name="博世", city="Wuxi")
    factories.enterprise(admin, name="Huawei", local_name="华为", city="Suzhou")
    db.session.commit()
    target = tmp_path / "out.xlsx"
    result = _run(app, "export", "enterprises", "--format", "xlsx", "-o", str(target), "--filter", "city=Wuxi")
    assert result.exit_code == 0, result.output
    assert "Exported 1 rows" in result.output
    rows = list(openpyxl.load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == ("Bosch", "博世")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT)).one()
    assert event.user_id == admin.id and event.changes["rows"] == 1


def test_an_officers_export_masks_what_the_officer_may_not_see(app, make_user, tmp_path):
    owner = make_user(Role.OFFICER)
    factories.project(owner, name="Gigafactory", code_name="Falcon", is_confidential=True)
    officer = make_user(Role.OFFICER)
    db.session.commit()
    target = tmp_path / "projects.csv"
    assert _run(app, "export", "projects", "--format", "csv", "-o", str(target), "--as", officer.email).exit_code == 0
    text = target.read_text(encoding="utf-8-sig")
    assert "Falcon" in text and "Gigafactory" not in text
    refused = _run(app, "export", "audit", "--format", "csv", "-o", str(tmp_path / "a.csv"), "--as", officer.email)
    assert refused.exit_code != 0 and "may not export" in refused.output


def test_import_dry_run_writes_nothing_then_the_import_writes_every_row(app, make_user, tmp_path):
    make_user(Role.ADMIN)
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows([["Name", "City"], ["Bosch", "Wuxi"], ["Huawei", "Suzhou"]])
    before = count_rows()
    dry = _run(app, "import", "enterprises", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Nothing was written" in dry.output
    assert count_rows() == before
    done = _run(app, "import", "enterprises", str(path))
    assert done.exit_code == 0, done.output
    assert sorted(db.session.scalars(sa.select(Enterprise.name))) == ["Bosch", "Huawei"]


def test_import_refuses_a_bad_row_an_unreadable_file_and_an_officer(app, make_user, tmp_path):
    make_user(Role.ADMIN)
    officer = make_user(Role.OFFICER)
    bad = tmp_path / "bad.csv"
    bad.write_text("Name,Kind\nGood,Company\nBad,Spaceship\nAlso good,School\n", encoding="utf-8")
    before = count_rows()
    result = _run(app, "import", "enterprises", str(bad))
    assert result.exit_code != 0
    assert "row 3" in result.output and "Spaceship" in result.output
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _run(app, "import", "enterprises", str(empty)).exit_code != 0
    good = tmp_path / "good.csv"
    good.write_text("Name\nFine\n", encoding="utf-8")
    refused = _run(app, "import", "enterprises", str(good), "--as", officer.email)
    assert refused.exit_code != 0 and "managers and administrators only" in refused.output
    assert count_rows() == before


def test_the_command_line_exports_lists_longer_than_a_pages_limit(app, make_user, tmp_path):
    app.config["EXPORT_MAX_ROWS"] = 1
    admin = make_user(Role.ADMIN)
    for name in ("Bosch", "Huawei", "Siemens"):
        factories.enterprise(admin, name=name)
    db.session.commit()
    target = tmp_path / "all.csv"
    result = _run(app, "export", "enterprises", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Exported 3 rows" in result.output
