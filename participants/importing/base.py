"""Limits and the whole-file error of the participant import."""

import math

from django.utils.formats import number_format

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 20


class ImportFileError(Exception):
    """A problem with the whole file. ``str(exc)`` says what is wrong and how to fix it, for a clerk."""


def fmt_int(value: int) -> str:
    """`5.000` in Indonesian, `5,000` in English: grouped the active language's way."""
    return number_format(value, force_grouping=True)


def fmt_megabytes(size: int) -> str:
    """`5 MB`, `6,2 MB`; a size just over the limit never reads as the limit itself (`5,1 MB`, not `5,0 MB`)."""
    megabytes = size / (1024 * 1024)
    if megabytes == int(megabytes):
        return f"{fmt_int(int(megabytes))} MB"
    shown = round(megabytes, 1)
    if shown <= MAX_FILE_BYTES / (1024 * 1024) < megabytes:
        shown = math.ceil(megabytes * 10) / 10
    return f"{number_format(shown, 1, force_grouping=True)} MB"
