"""Photos for the report: scaled once with Pillow and kept beside the upload, so 40 phone photos stay small."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from crm.attachments.services import upload_folder

# Long side in pixels: sharp at the printed size (about 8 cm at 300 dpi), a fraction of a phone photo.
REPORT_SIZE = 1000
THUMBNAIL_SIZE = 240
# A photo is 10 MiB at most, but a small file can still claim billions of pixels.
Image.MAX_IMAGE_PIXELS = 80_000_000


def report_image(stored_name: str) -> Path | None:
    """The photo scaled for the report, made on first use; None when the file is missing or unreadable."""
    return _scaled(stored_name, REPORT_SIZE, "report")


def thumbnail(stored_name: str) -> Path | None:
    """A small copy for choosing photos on the report's page."""
    return _scaled(stored_name, THUMBNAIL_SIZE, "thumb")


def _scaled(stored_name: str, size: int, suffix: str) -> Path | None:
    if Path(stored_name).name != stored_name:  # names are ours and random, but never follow a path
        return None
    source = upload_folder() / stored_name
    target = upload_folder() / "scaled" / f"{Path(stored_name).stem}-{suffix}.jpg"
    if target.is_file():
        return target
    if not source.is_file():
        return None
    try:
        with Image.open(source) as image:
            image.draft("RGB", (size, size))  # a JPEG decodes straight at 1/2, 1/4 or 1/8 size: much faster
            image = ImageOps.exif_transpose(image)  # phones store portrait photos sideways with a rotation tag
            image.thumbnail((size, size))
            target.parent.mkdir(parents=True, exist_ok=True)
            image.convert("RGB").save(target, "JPEG", quality=80, optimize=True)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        return None
    return target
