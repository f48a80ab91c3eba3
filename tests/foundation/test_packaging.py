"""A non-editable install (`pip install .`, a wheel) serves the Chinese interface: the compiled catalogs are
committed, current with their sources, and the wheel carries them."""

from __future__ import annotations

import gettext
import shutil
import subprocess  # nosec B404 - runs pip on our own source tree
import sys
import zipfile

from crm.config import ROOT


def test_the_wheel_carries_compiled_catalogs(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT / "crm", source / "crm", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
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


def test_the_committed_catalogs_are_compiled_from_their_sources():
    """A translation added to a .po but not compiled would reach no one: each .mo says what its .po says."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    for source in sorted((ROOT / "crm" / "translations").glob("*/LC_MESSAGES/messages.po")):
        with source.open("rb") as handle:
            written = {_plain(m.id): _plain(m.string) for m in read_po(handle) if m.id and m.string}
        with source.with_suffix(".mo").open("rb") as handle:
            compiled = {_plain(m.id): _plain(m.string) for m in read_mo(handle) if m.id}
        assert compiled == written, f"run `make translations`: {source.with_suffix('.mo')} is out of date"


def _plain(text):
    """A message or its plural forms, comparable between a .po and a .mo (lists and tuples alike)."""
    return text if isinstance(text, str) else tuple(text)
