"""Uploaded images and files checked and re-encoded before they are stored: institutions' logos (here), and in
the apps above, certificate designs, evidence of action plans' progress and photos of monitoring visits
(``evaluations/uploads.py`` takes them from here).

Only an image (JPEG, PNG or WebP) or a PDF of at most 5 MB is taken; the type is read from the content,
never from the name or the browser's word for it. An image of more than 40 megapixels is refused from its
header, before it is decoded: a small file can hold a huge picture, and decoding it would take gigabytes.
Images are shrunk to at most 1600 px on their longest side (a JPEG is decoded at a reduced scale to begin
with), turned the right way up (EXIF orientation) and stored as JPEG (quality 80) without their metadata:
phone photos arrive at 4–12 MB and are looked at on phones. A refused file raises ValidationError naming
the file and the reason, before anything is written.
"""

import io
import warnings
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 1600
JPEG_QUALITY = 80
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
PDF_MAGIC = b"%PDF-"
ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})
WIDE_GREY_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})
ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _safe_name(name: str) -> str:
    base = PurePath((name or "").replace("\\", "/")).name
    try:
        return get_valid_filename(base)[:120]
    except Exception:  # nothing usable left of the name (SuspiciousFileOperation)
        return "file"


def _refuse(name: str, *, images_only: bool, max_bytes: int = MAX_BYTES):
    if images_only:
        message = _("%(name)s: only an image (JPEG, PNG or WebP), at most %(size)s MB") % {
            "name": name, "size": max_bytes // (1024 * 1024)}  # fmt: skip
    else:
        message = _("%(name)s: only an image (JPEG, PNG or WebP) or a PDF, at most 5 MB") % {"name": name}
    return ValidationError(message, code="file_refused")


def _too_large(name: str, size) -> ValidationError:
    message = _("%(name)s: the picture is too large (%(width)s × %(height)s pixels); at most 40 megapixels") % {
        "name": name, "width": size[0], "height": size[1]
    }  # fmt: skip
    return ValidationError(message, code="too_many_pixels")


def _for_the_web(image: Image.Image, longest: int = LONGEST_SIDE, keep_alpha: bool = False) -> Image.Image:
    """``image`` (opened, not decoded yet) shrunk first, then turned to RGB or grey (RGBA when its
    transparency is kept), then turned upright."""
    orientation = image.getexif().get(ExifTags.Base.Orientation)
    if image.format == "JPEG":
        image.draft("RGB", (longest, longest))  # decoded at 1/2, 1/4 or 1/8 of its size when it can
    if image.mode == "1":
        image = image.convert("L")  # one byte a pixel; resampled smoothly from here on
    elif image.mode == "P":  # a palette resamples only to the nearest pixel: halfway there, then in colour
        image.thumbnail((2 * longest, 2 * longest))
        image = image.convert("RGBA")
    image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    if image.mode in WIDE_GREY_MODES:  # 16-bit grey: scaled to 8 bits, not cut off at 255
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    transparent = image.mode in ALPHA_MODES or (image.mode not in ("RGB", "L") and "transparency" in image.info)
    if transparent and keep_alpha:
        image = image.convert("RGBA")
    elif transparent:
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if orientation in ORIENTATION:
        image = image.transpose(ORIENTATION[orientation])
    return image


def _image(data: bytes, name: str, shown: str, *, longest: int = LONGEST_SIDE, keep_alpha: bool = False,
           quality: int = JPEG_QUALITY) -> ContentFile | None:  # fmt: skip
    """The image re-encoded (JPEG; PNG when its transparency is kept), or None when ``data`` is not an image
    Pillow reads. Raises ValidationError for a picture of too many pixels, read from its header before
    anything is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_FORMATS:
                    return None
                if probe.size[0] * probe.size[1] > MAX_PIXELS:
                    raise _too_large(shown, probe.size)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:  # verify() leaves the image unusable: open it again
                out = io.BytesIO()
                prepared = _for_the_web(image, longest, keep_alpha)
                if prepared.mode == "RGBA":
                    prepared.save(out, "PNG", optimize=True)
                else:
                    prepared.save(out, "JPEG", quality=quality, optimize=True)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError):  # fmt: skip
        return None
    stem = PurePath(name).stem or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{'png' if prepared.mode == 'RGBA' else 'jpg'}")


def _read(upload, *, max_bytes: int, images_only: bool) -> tuple[bytes, str, str]:
    """An upload's bytes, its safe name and the name it was sent with; ValidationError naming the file when it
    is larger than ``max_bytes`` (read no further than that)."""
    name = _safe_name(getattr(upload, "name", ""))
    shown = PurePath((getattr(upload, "name", "") or "").replace("\\", "/")).name or name
    data = b""
    if upload.size is not None and upload.size <= max_bytes:
        upload.seek(0)
        data = upload.read(max_bytes + 1)
    if not data or len(data) > max_bytes:
        raise _refuse(shown, images_only=images_only, max_bytes=max_bytes)
    return data, name, shown


def image_prepare(upload, *, longest: int, keep_alpha: bool = False, quality: int = JPEG_QUALITY,
                  max_bytes: int = MAX_BYTES) -> ContentFile:  # fmt: skip
    """An uploaded image for print (a certificate's background, emblem or signature): at most ``longest``
    pixels on its longest side, upright, without its metadata; a transparent one stays a PNG when
    ``keep_alpha``. Raises ValidationError naming the file for anything that is not an image, larger than
    ``max_bytes`` or of more than 40 megapixels; nothing is written."""
    data, name, shown = _read(upload, max_bytes=max_bytes, images_only=True)
    prepared = _image(data, name, shown, longest=longest, keep_alpha=keep_alpha, quality=quality)
    if prepared is None:
        raise _refuse(shown, images_only=True, max_bytes=max_bytes)
    return prepared


def upload_prepare(upload, *, images_only: bool = False) -> ContentFile:
    """The file to store for an upload (an ``UploadedFile``): a PDF as sent, an image re-encoded. Raises
    ValidationError (naming the file) for anything else, anything larger than 5 MB or a picture of more than
    40 megapixels; nothing is written."""
    data, name, shown = _read(upload, max_bytes=MAX_BYTES, images_only=images_only)
    if data.startswith(PDF_MAGIC) and not images_only:
        stem = PurePath(name).stem or "document"
        return ContentFile(data, name=f"{stem}.pdf")
    prepared = _image(data, name, shown)
    if prepared is None:
        raise _refuse(shown, images_only=images_only)
    return prepared
