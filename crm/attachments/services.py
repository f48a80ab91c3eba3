"""Storing uploads: the type is read from the file's first bytes, never from its name or the browser."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from crm.accounts.models import User
from crm.attachments.models import Attachment, AttachmentKind
from crm.extensions import db


class UploadError(ValueError):
    """Why an upload was refused, in words for the user."""


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    kind: AttachmentKind


JPEG = FileType("image/jpeg", "jpg", AttachmentKind.PHOTO)
PNG = FileType("image/png", "png", AttachmentKind.PHOTO)
GIF = FileType("image/gif", "gif", AttachmentKind.PHOTO)
WEBP = FileType("image/webp", "webp", AttachmentKind.PHOTO)
PDF = FileType("application/pdf", "pdf", AttachmentKind.DOCUMENT)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", AttachmentKind.DOCUMENT
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", AttachmentKind.DOCUMENT)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", AttachmentKind.DOCUMENT
)
LEGACY_OFFICE = FileType("application/x-ole-storage", "doc", AttachmentKind.DOCUMENT)
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
EXTENSION_OF = {
    kind.content_type: kind.extension for kind in (JPEG, PNG, GIF, WEBP, PDF, DOCX, XLSX, PPTX, LEGACY_OFFICE)
}
# Other names the same type goes by: a legacy Office file may be a document, a workbook or a slide deck.
SAME_TYPE = {"jpg": {"jpg", "jpeg"}, "doc": {"doc", "xls", "ppt"}}


def download_name(attachment: Attachment) -> str:
    """The name a download is saved under: the uploaded name, ending in the extension of the type read
    from the content, so that "report.exe" holding a PDF is saved as "report.exe.pdf" and opens as one."""
    extension = EXTENSION_OF.get(attachment.content_type)
    if extension is None:
        return attachment.filename
    _, dot, current = attachment.filename.rpartition(".")
    if dot and current.lower() in SAME_TYPE.get(extension, {extension}):
        return attachment.filename
    return f"{attachment.filename}.{extension}"


def sniff(head: bytes, data: bytes) -> FileType | None:
    """The file's type from its content: photos, PDF and Office documents; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return LEGACY_OFFICE
    if head.startswith(b"PK\x03\x04"):
        return _office_zip(data)
    return None


def _office_zip(data: bytes) -> FileType | None:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for prefix, kind in OOXML_PARTS.items() if any(n.startswith(prefix) for n in names)), None)


def upload_folder() -> Path:
    return Path(current_app.instance_path) / "uploads"


def store(
    upload: FileStorage,
    *,
    by: User,
    trip_id: int | None = None,
    visit_id: int | None = None,
    caption: str | None = None,
) -> Attachment:
    """Check and keep an uploaded file under instance/uploads with a random name; record it."""
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = upload.stream.read(limit + 1)
    if not data:
        raise UploadError("empty")
    if len(data) > limit:
        raise UploadError("too_large")
    file_type = sniff(data[:16], data)
    if file_type is None:
        raise UploadError("type")
    stored_name = f"{secrets.token_hex(16)}.{file_type.extension}"
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored_name).write_bytes(data)
    attachment = Attachment(
        trip_id=trip_id,
        visit_id=visit_id,
        kind=file_type.kind,
        content_type=file_type.content_type,
        filename=display_name(upload.filename) or stored_name,
        stored_name=stored_name,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        caption=caption,
        uploaded_by_id=by.id,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def display_name(filename: str | None) -> str:
    """The name the user gave the file, without any folder or control characters.

    Only shown (escaped) and offered as the download name; the file on disk has a random name, so
    a Chinese name is kept as it is rather than stripped to nothing by secure_filename.
    """
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in base if char.isprintable()).strip()[:255]


def path_of(attachment: Attachment) -> Path:
    return upload_folder() / attachment.stored_name
