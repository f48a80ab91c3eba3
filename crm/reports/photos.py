"""Photos for the report: scaled once with Pillow and kept beside the upload, so 40 phone photos stay small.

Both sizes are made from one decoding, so the thumbnails shown while writing the report leave the
report's images ready for the export.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from crm.attachments.services import upload_folder

# Long side in pixels: sharp at the printed size (about 8 cm at 300 dpi), a fraction of a phone photo.
REPORT_SIZE = 1000
THUMBNAIL_SIZE = 240
SIZES = {"report": REPORT_SIZE, "thumb": THUMBNAIL_SIZE}  # largest first: each is made from the one before
# A photo is 10 MiB at most, but a small file can still claim billions of pixels.
Image.MAX_IMAGE_PIXELS = 80_000_000


def report_image(stored_name: str) -> Path | None:
    """The photo scaled for the report, made on first use; None when the file is missing or unreadable."""
    return _scaled(stored_name, "report")


def thumbnail(stored_name: str) -> Path | None:
    """A small copy for choosing photos on the report's page."""
    return _scaled(stored_name, "thumb")


def _target(stored_name: str, suffix: str) -> Path:
    return upload_folder() / "scaled" / f"{Path(stored_name).stem}-{suffix}.jpg"


def _scaled(stored_name: str, suffix: str) -> Path | None:
    if Path(stored_name).name != stored_name:  # names are ours and random, but never follow a path
        return None
    target = _target(stored_name, suffix)
    if target.is_file():
        return target
    source = upload_folder() / stored_name
    if not source.is_file():
        return None
    try:
        _make_sizes(source, stored_name)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        return None
    return target


def _make_sizes(source: Path, stored_name: str) -> None:
    with Image.open(source) as image:
        image.draft("RGB", (REPORT_SIZE, REPORT_SIZE))  # a JPEG decodes straight at 1/2, 1/4 or 1/8 size
        image = ImageOps.exif_transpose(image).convert("RGB")  # phones store portraits sideways plus a tag
    _target(stored_name, "report").parent.mkdir(parents=True, exist_ok=True)
    for suffix, size in SIZES.items():
        image.thumbnail((size, size))
        image.save(_target(stored_name, suffix), "JPEG", quality=80, optimize=True)
