"""Limits and the whole-file error of the participant import."""

import math

from django.utils.formats import number_format

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 20
# Checked while the file is read, before any work is done per row or per column. A real list of 5,000 people
# with 30 columns is 150,000 cells; its sheet unpacks to about 7 MB and its shared strings to about 3 MB.
MAX_COLUMNS = 100
MAX_CELLS = 200_000
# An XLSX is a zip file: what its parts unpack to is read from the zip directory before openpyxl opens it
# (zipfile never unpacks a part past the size its directory declares). openpyxl reads about 5 MB of sheet
# XML a second, and loads the shared strings whole.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 10 * 1024 * 1024


class ImportFileError(Exception):
    """A problem with the whole file. ``str(exc)`` says what is wrong and how to fix it, for a clerk."""


def fmt_int(value: int) -> str:
    """`5.000` in Indonesian, `5,000` in English: grouped the active language's way."""
    return number_format(value, force_grouping=True)


def column_letter(number: int) -> str:
    """Spreadsheet column name of a 1-based column number: 1 → `A`, 100 → `CV`, 16384 → `XFD`."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def fmt_megabytes(size: int) -> str:
    """`5 MB`, `6,2 MB`; a size just over the limit never reads as the limit itself (`5,1 MB`, not `5,0 MB`)."""
    megabytes = size / (1024 * 1024)
    if megabytes >= 10:  # what a zip part unpacks to: whole megabytes, rounded up (30,2 MB reads 31 MB)
        return f"{fmt_int(math.ceil(megabytes))} MB"
    if megabytes == int(megabytes):
        return f"{fmt_int(int(megabytes))} MB"
    shown = round(megabytes, 1)
    if shown <= MAX_FILE_BYTES / (1024 * 1024) < megabytes:
        shown = math.ceil(megabytes * 10) / 10
    return f"{number_format(shown, 1, force_grouping=True)} MB"
