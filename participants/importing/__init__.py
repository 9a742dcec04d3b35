"""Importing participants from the spreadsheets organizers really have (CSV from Excel, XLSX).

    rows = read_rows(upload.read(), upload.name)         # limits checked while reading; rows kept until confirmed
    plan = plan_import(program=program, rows=rows)       # preview, writes nothing
    counts = import_commit(program=program, plan=plan)   # one transaction

``read_table`` reads a file into rows of cells; ``ImportFileError`` is a whole-file problem whose message a
clerk can act on; each ``RowResult`` of a plan says what happens to one spreadsheet row and why it is refused.
"""

from .base import MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, ImportFileError
from .columns import IMPORT_FIELDS, find_header
from .commit import import_commit
from .planning import ImportPlan, RowResult, plan_import, read_rows
from .reading import check_row_limit, read_numbered


def read_table(data: bytes, filename: str) -> list[list[object]]:
    """The file's non-empty rows as lists of cells (XLSX cells keep their types; CSV cells are text).

    Raises ImportFileError when the file is too big, has too many rows, is empty or cannot be read."""
    table = read_numbered(data, filename)
    check_row_limit(table, find_header(table.rows))
    return [cells for _number, cells in table.rows]


__all__ = [
    "IMPORT_FIELDS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportFileError",
    "ImportPlan",
    "RowResult",
    "import_commit",
    "plan_import",
    "read_rows",
    "read_table",
]
