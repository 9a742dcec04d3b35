"""Turning an uploaded CSV or XLSX file into numbered rows of cells.

XLSX cells keep their types (str/int/float/datetime/None) so that a NIP Excel stored as a number can be
recognised later; CSV cells are text. Empty rows are dropped but every kept row carries the row number the
clerk sees in the spreadsheet, so messages can point at it.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

from .base import HEADER_SEARCH_ROWS, MAX_FILE_BYTES, MAX_ROWS, ImportFileError, fmt_int, fmt_megabytes

XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
CSV_EXTENSIONS = {".csv", ".txt", ".tsv", ""}
SEPARATORS = (";", ",", "\t")
SNIFF_LINES = 60
# Rows kept in memory: enough for the header search plus one row over the limit, so a huge file is
# counted (for the message) without being held whole.
STORE_CAP = MAX_ROWS + HEADER_SEARCH_ROWS + 1


@dataclass
class Table:
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, cells) of non-empty rows
    total: int = 0  # non-empty rows in the file, also those past STORE_CAP


def unreadable_error() -> ImportFileError:
    return ImportFileError(
        _(
            "This file cannot be read as an Excel workbook (.xlsx) or a CSV file. Open it in Excel, save it again "
            "as “Excel Workbook (.xlsx)” or “CSV”, then upload the saved file."
        )
    )


def empty_error() -> ImportFileError:
    return ImportFileError(
        _(
            "The file is empty. Choose the file that holds the participant list, with a header row and one row "
            "per person."
        )
    )


def read_numbered(data: bytes, filename: str) -> Table:
    """Every non-empty row with its spreadsheet row number. Raises ImportFileError for whole-file problems."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _(
                "The file is %(size)s; at most %(limit)s can be imported. Split the list into smaller files, or "
                "delete pictures and other sheets from it, then upload again."
            )
            % {"size": fmt_megabytes(len(data)), "limit": fmt_megabytes(MAX_FILE_BYTES)}
        )
    if not data.strip():
        raise empty_error()
    table = Table()
    rows = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(data)
    try:
        for number, cells in rows:
            cells = _trim(cells)
            if not cells:
                continue
            table.total += 1
            if len(table.rows) < STORE_CAP:
                table.rows.append((number, cells))
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged file can fail in many ways inside openpyxl or csv
        raise unreadable_error() from exc
    if not table.total:
        raise empty_error()
    return table


def check_row_limit(table: Table, header_index: int | None) -> None:
    """More than MAX_ROWS rows below the header (or in the file, when no header was found) is refused."""
    above = header_index + 1 if header_index is not None else 0
    count = table.total - above
    if count > MAX_ROWS:
        raise ImportFileError(
            _(
                "The file has %(count)s data rows; at most %(limit)s rows can be imported at once. Split the list "
                "into several files and import them one after the other."
            )
            % {"count": fmt_int(count), "limit": fmt_int(MAX_ROWS)}
        )


def _is_xlsx(data: bytes, filename: str) -> bool:
    extension = PurePath(filename or "").suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        return True
    if data.startswith(b"\xd0\xcf\x11\xe0") or extension == ".xls":
        # OLE container: an old .xls workbook, or an .xlsx protected with a password.
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a workbook protected with a password; it cannot be read. "
                "Open it in Excel, remove the password if there is one, save it as “Excel Workbook (.xlsx)”, "
                "then upload the saved file."
            )
        )
    if extension in XLSX_EXTENSIONS or extension not in CSV_EXTENSIONS:
        raise unreadable_error()
    return False


def _trim(cells) -> list:
    """Strings stripped, blank strings to None, trailing empty cells dropped; [] for an empty row."""
    result = [value.strip() or None if isinstance(value, str) else value for value in cells]
    while result and result[-1] is None:
        result.pop()
    return result


def _xlsx_rows(data: bytes):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise unreadable_error() from exc
    try:
        if not workbook.worksheets:
            raise empty_error()
        sheet = workbook.worksheets[0]
        # Some programs write a wrong "used range"; without it read-only mode reads every stored row.
        sheet.reset_dimensions()
        # Read-only mode yields an empty row for every missing one, so the count is the sheet's row number.
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    controls = sum(1 for char in text[:20000] if ord(char) < 32 and char not in "\t\r\n")
    if "\x00" in text or controls > 10:
        raise unreadable_error()
    return text


def detect_separator(text: str) -> str:
    """The separator that gives the most rows with the same number (≥ 2) of fields; `;` wins ties."""
    sample = "\n".join(text.splitlines()[:SNIFF_LINES])
    best, best_score = SEPARATORS[0], (0, 0)
    for separator in SEPARATORS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=separator) if len(row) >= 2]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=lambda width: (widths.count(width), width))
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = separator, score
    return best


def _csv_rows(data: bytes):
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text), delimiter=detect_separator(text))
    # csv yields one record per spreadsheet row (a quoted cell may span lines) and [] for a blank line.
    yield from enumerate(reader, start=1)
