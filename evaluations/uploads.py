"""Files people send as evidence of their action plans' progress and as photos of monitoring visits, and how
stored ones are sent back. The checks and the re-encoding live in ``retreat/images.py`` (one rule for every
upload, institutions' logos included); they are named here too for the apps that import them from here.
"""

from pathlib import PurePath

from django.http import FileResponse

from retreat.images import (
    IMAGE_FORMATS,
    JPEG_QUALITY,
    LONGEST_SIDE,
    MAX_BYTES,
    MAX_PIXELS,
    image_prepare,
    upload_prepare,
)

__all__ = [
    "IMAGE_FORMATS",
    "JPEG_QUALITY",
    "LONGEST_SIDE",
    "MAX_BYTES",
    "MAX_PIXELS",
    "file_response",
    "image_prepare",
    "upload_prepare",
]


def file_response(field, name: str, *, fallback: str = "file") -> FileResponse:
    """A stored file (a ``FieldFile``) sent as a download named ``name`` (the name it was sent with; its
    stem, with the stored file's extension), never cached or sniffed, its address never passed on."""
    stored = PurePath(field.name)
    response = FileResponse(field.open("rb"), filename=f"{PurePath(name or '').stem or fallback}{stored.suffix}")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response
