"""A non-editable install (`pip install .`, a wheel) serves the Chinese interface: the build compiles the
catalogs (setup.py), so the wheel carries the .mo files even when the source tree has none."""

from __future__ import annotations

import gettext
import shutil
import subprocess  # nosec B404 - runs pip on our own source tree
import sys
import zipfile

from crm.config import ROOT


def test_the_wheel_carries_compiled_catalogs(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT / "crm", source / "crm", ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    assert not list(source.rglob("*.mo"))
    subprocess.run(  # noqa: S603 - a fixed command on our own files
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("crm-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        compiled = archive.read("crm/translations/zh/LC_MESSAGES/messages.mo")
    (tmp_path / "messages.mo").write_bytes(compiled)
    with (tmp_path / "messages.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Trips") == "出访"
