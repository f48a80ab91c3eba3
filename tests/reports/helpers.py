"""Records the report tests share: real photos on disk, a trip with everything a report shows."""

from __future__ import annotations

import hashlib
import io
import secrets

from PIL import Image, ImageFilter

from crm.attachments.models import Attachment, AttachmentKind
from crm.attachments.services import upload_folder
from crm.extensions import db


def photo_bytes(size: tuple[int, int] = (1600, 1200), colour: str = "steelblue") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def textured_photo_bytes(size: tuple[int, int], seed: int) -> bytes:
    """A photo with grain and shading, which compresses about as badly as a real one."""
    noise = Image.effect_noise(size, 40 + seed % 20).filter(ImageFilter.GaussianBlur(1.2)).convert("RGB")
    shading = Image.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(noise, shading, 0.5).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def photo_attachment(owner, *, trip_=None, visit_=None, caption=None, data: bytes | None = None, on_disk=True):
    """A photo attached to a trip or a visit, its file written under instance/uploads (unless on_disk=False)."""
    data = data or photo_bytes()
    stored_name = f"{secrets.token_hex(16)}.jpg"
    if on_disk:
        folder = upload_folder()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / stored_name).write_bytes(data)
    attachment = Attachment(
        trip_id=trip_.id if trip_ else (visit_.trip_id if visit_ else None),
        visit_id=visit_.id if visit_ else None,
        kind=AttachmentKind.PHOTO,
        filename="photo.jpg",
        stored_name=stored_name,
        content_type="image/jpeg",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        caption=caption,
        uploaded_by_id=owner.id,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment
