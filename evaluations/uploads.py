"""Files people send as evidence of their action plans' progress and as photos of monitoring visits.

Only an image (JPEG, PNG, WebP) or a PDF of at most 5 MB is taken; the type is read from the content, never
from the name or the browser's word for it. Images are turned the right way up (EXIF orientation), shrunk
to at most 1600 px on their longest side and stored as JPEG (quality 80): phone photos arrive at 4–12 MB and
are looked at on phones. A refused file raises ValidationError naming the file and the reason, before
anything is written.
"""

import io
import warnings
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
LONGEST_SIDE = 1600
JPEG_QUALITY = 80
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
PDF_MAGIC = b"%PDF-"


def _safe_name(name: str) -> str:
    base = PurePath((name or "").replace("\\", "/")).name
    try:
        return get_valid_filename(base)[:120]
    except Exception:  # nothing usable left of the name (SuspiciousFileOperation)
        return "file"


def _refuse(name: str, *, images_only: bool):
    if images_only:
        message = _("%(name)s: only an image (JPEG, PNG), at most 5 MB") % {"name": name}
    else:
        message = _("%(name)s: only an image (JPEG, PNG) or a PDF, at most 5 MB") % {"name": name}
    return ValidationError(message, code="file_refused")


def _image(data: bytes, name: str) -> ContentFile | None:
    """The image re-encoded for the web, or None when ``data`` is not an image Pillow reads."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_FORMATS:
                    return None
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:  # verify() leaves the image unusable: open it again
                image = ImageOps.exif_transpose(image)
                if image.mode not in ("RGB", "L"):
                    background = Image.new("RGB", image.size, "white")
                    rgba = image.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    image = background
                image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError):  # fmt: skip
        return None
    stem = PurePath(name).stem or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.jpg")


def upload_prepare(upload, *, images_only: bool = False) -> ContentFile:
    """The file to store for an upload (an ``UploadedFile``): a PDF as sent, an image re-encoded. Raises
    ValidationError (naming the file) for anything else or anything larger than 5 MB; nothing is written."""
    name = _safe_name(getattr(upload, "name", ""))
    shown = PurePath((getattr(upload, "name", "") or "").replace("\\", "/")).name or name
    if upload.size is None or upload.size > MAX_BYTES:
        raise _refuse(shown, images_only=images_only)
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(shown, images_only=images_only)
    if data.startswith(PDF_MAGIC) and not images_only:
        stem = PurePath(name).stem or "document"
        return ContentFile(data, name=f"{stem}.pdf")
    prepared = _image(data, name)
    if prepared is None:
        raise _refuse(shown, images_only=images_only)
    return prepared
