"""The Chinese catalog is complete: every user-visible string in the code has a translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "crm/translations/zh/LC_MESSAGES/messages.po"


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_string_in_the_code_is_translated_to_chinese(tmp_path):
    template = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(  # noqa: S603 - our own extraction command, fixed arguments
        [
            str(pybabel),
            "-q",
            "extract",
            "-F",
            "crm/translations/babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".*",
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    with template.open("rb") as handle:
        in_code = {_key(message) for message in read_po(handle) if message.id}
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    translated = {
        _key(message)
        for message in catalog
        if message.id
        and "fuzzy" not in message.flags
        and (all(message.string) if isinstance(message.string, tuple) else message.string)
    }
    missing = sorted(in_code - translated)
    assert missing == [], "run `make extract-messages` and translate these in messages.po"
