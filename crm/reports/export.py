"""The report's three forms: a print-ready HTML page, a PDF (WeasyPrint) and an editable Word document.

Every form renders the same content (queries.report_content, or the approved version as signed). Record
text only ever reaches the HTML through Jinja's escaping, and the PDF renderer fetches only what
`ReportFetcher` serves, so nothing a user types can make the server read a file or call an address.
"""

from __future__ import annotations

import base64
import hashlib
import io
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from crm.core.i18n import in_language
from crm.reports import photos

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LANGUAGES = ("zh", "en")
PHOTO_SCHEME = "crm"  # crm://photo/<attachment id>, crm://static/<path>: the only addresses the PDF may use


class FetchRefused(ValueError):
    """The PDF asked for something other than the app's static files or the report's photos."""


class ReportFetcher(URLFetcher):
    """Serves the app's static files and the report's scaled photos from disk; refuses everything else.

    No file://, http(s)://, data: or redirect ever leaves this class: WeasyPrint skips what is refused.
    """

    def __init__(self, photo_files: dict[str, Path]) -> None:
        super().__init__(allowed_protocols=(PHOTO_SCHEME,), allow_redirects=False)
        self.photo_files = photo_files
        self.static_root = Path(current_app.static_folder).resolve()
        self.requested: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        self.requested.append(url)
        path = self._path_for(url)
        if path is None:
            raise FetchRefused(f"not served to the PDF renderer: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _path_for(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != PHOTO_SCHEME or parts.query or parts.fragment:
            return None
        if parts.netloc == "photo":
            return self.photo_files.get(parts.path.lstrip("/"))
        if parts.netloc == "static":
            path = (self.static_root / parts.path.lstrip("/")).resolve()
            return path if path.is_relative_to(self.static_root) and path.is_file() else None
        return None


def report_css() -> str:
    return (Path(current_app.static_folder) / "css" / "report.css").read_text(encoding="utf-8")


def css_hash(css: str) -> str:
    """The CSP source that allows exactly this style block and no other."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def _photo_files(content: dict) -> dict[str, Path]:
    """The report's photos scaled on disk, by attachment id; photos whose file is gone are left out."""
    files = {}
    for photo in content["photos"]:
        path = photos.report_image(photo["stored_name"])
        if path is not None:
            files[str(photo["id"])] = path
    return files


def _document(content: dict, language: str, photo_src: dict[str, str]) -> str:
    with in_language(language):
        return render_template(
            "reports/document.html", report=content, language=language, css=report_css(), photo_src=photo_src
        )


def render_html(content: dict, language: str) -> str:
    """One self-contained file: the style inline (allowed by its hash), photos as data: addresses."""
    sources = {
        key: "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode()
        for key, path in _photo_files(content).items()
    }
    return _document(content, language, sources)


def render_pdf(content: dict, language: str, fetcher: ReportFetcher | None = None) -> bytes:
    files = _photo_files(content)
    fetcher = fetcher or ReportFetcher(files)
    fetcher.photo_files = files
    html = _document(content, language, {key: f"{PHOTO_SCHEME}://photo/{key}" for key in files})
    return HTML(string=html, base_url=f"{PHOTO_SCHEME}://static/", url_fetcher=fetcher).write_pdf()


def render_docx(content: dict, language: str) -> bytes:
    from crm.reports.word import build_docx

    with in_language(language):
        document = build_docx(content, _photo_files(content))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


RENDERERS = {"html": render_html, "pdf": render_pdf, "docx": render_docx}


def render(content: dict, file_format: str, language: str) -> bytes:
    output = RENDERERS[file_format](content, language)
    return output.encode("utf-8") if isinstance(output, str) else output


def file_name(trip_id: int, file_format: str, language: str) -> str:
    return f"trip-report-{trip_id}-{language}.{file_format}"
