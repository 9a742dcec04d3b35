"""Turning an uploaded CSV or XLSX file into numbered rows of cells.

XLSX cells keep their types (str/int/float/datetime/None) so that a NIP Excel stored as a number can be
recognised later; CSV cells are text. Empty rows are dropped but every kept row carries the row number the
clerk sees in the spreadsheet, so messages can point at it.
"""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

from .base import (
    HEADER_SEARCH_ROWS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNPACKED_BYTES,
    ImportFileError,
    column_letter,
    fmt_int,
    fmt_megabytes,
)

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
    cells: int = 0  # filled cells in the file


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


def too_wide_error(row_number: int, width: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Row %(row)s has values up to column %(column)s; at most %(limit)s columns (A to %(last)s) can be read. "
            "Delete what is right of column %(last)s, then upload again."
        )
        % {
            "row": fmt_int(row_number),
            "column": column_letter(width),
            "limit": fmt_int(MAX_COLUMNS),
            "last": column_letter(MAX_COLUMNS),
        }
    )


def too_many_cells_error() -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(limit)s filled cells; at most %(limit)s cells can be read at once. Delete the "
            "columns the import does not need, or split the list into several files, then upload again."
        )
        % {"limit": fmt_int(MAX_CELLS)}
    )


def read_numbered(data: bytes, filename: str) -> Table:
    """Every non-empty row with its spreadsheet row number. Raises ImportFileError for whole-file problems.

    The limits are checked as the file is read, before anything is done per row or per column: the file size,
    what an XLSX unpacks to (from its zip directory, before it is opened), the columns of each row and the
    filled cells of the file."""
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
            if len(cells) > MAX_COLUMNS:
                raise too_wide_error(number, len(cells))
            table.cells += sum(1 for cell in cells if cell is not None)
            if table.cells > MAX_CELLS:
                raise too_many_cells_error()
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


def _check_unpacked_sizes(archive: zipfile.ZipFile) -> None:
    """What the workbook's parts unpack to, from the zip directory: openpyxl loads the shared strings whole and
    reads the sheet at about 5 MB a second, so a small file that unpacks to hundreds of megabytes is refused
    before it is opened."""
    advice = _("Delete pictures, other sheets and unused rows and columns, save the workbook again, then upload it.")
    parts = archive.infolist()
    shared = sum(part.file_size for part in parts if part.filename.lower().endswith("sharedstrings.xml"))
    if shared > MAX_SHARED_STRINGS_BYTES:
        raise ImportFileError(
            _("The workbook's table of texts (shared strings) unpacks to %(size)s; at most %(limit)s can be read.")
            % {"size": fmt_megabytes(shared), "limit": fmt_megabytes(MAX_SHARED_STRINGS_BYTES)}
            + " "
            + advice
        )
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The workbook unpacks to %(size)s; at most %(limit)s can be read.")
            % {"size": fmt_megabytes(total), "limit": fmt_megabytes(MAX_UNPACKED_BYTES)}
            + " "
            + advice
        )


def _xlsx_rows(data: bytes):
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_unpacked_sizes(archive)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as exc:
        raise unreadable_error() from exc
    try:
        if not workbook.worksheets:
            raise empty_error()
        sheet = workbook.worksheets[0]
        # The sheet's own parser, not iter_rows(): iter_rows() pads every row to its last cell, so one value in
        # column XFD makes 16,384 cells of each row before a row can be looked at. Here a row is only as wide as
        # its last filled cell, and a row wider than the limit is refused before it is built.
        with sheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for number, cells in parser.parse():
                yield number, _filled_row(number, cells)
    finally:
        workbook.close()


def _filled_row(number: int, cells: list[dict]) -> list:
    """The values of a parsed sheet row up to its last filled cell (blank text counts as empty)."""
    filled = {}
    for cell in cells:
        value = cell["value"]
        if isinstance(value, str) and not value.strip():
            continue
        if value is not None:
            filled[cell["column"]] = value
    if not filled:
        return []
    width = max(filled)
    if width > MAX_COLUMNS:
        raise too_wide_error(number, width)
    return [filled.get(column) for column in range(1, width + 1)]


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
