"""Build hook: compile the translation catalogs (.po → .mo) into the package as it is built.

Everything else about the package is in pyproject.toml. Without this, a non-editable install (`pip install .`,
a wheel) would carry only the .po sources, and Flask-Babel would serve English to everyone.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for source in sorted(Path("crm/translations").glob("*/LC_MESSAGES/*.po")):
            target = Path(self.build_lib) / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as po_file:
                catalog = read_po(po_file)
            with target.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=True)  # as `make translations` does


setup(cmdclass={"build_py": BuildPyWithCatalogs})
