"""Spreadsheets built to exhaust an importer: a row of 20,000 cells, a value in the last column (XFD) of 5,000
rows, a sheet that unpacks to 600 MB and a shared-strings table that unpacks to 300 MB.

The workbooks are written part by part with ``zipfile`` (no openpyxl): the big parts are streamed through
``ZipFile.open(name, "w")`` from a repeated chunk, so hundreds of megabytes are compressed without ever being held
in memory. Used by the import tests and by ``bench/import_hostile.py``.
"""

import io
import zipfile

MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_TYPE}.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
    '<sheets><sheet name="Peserta" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_START = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Nama</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>NIP</t></is></c><c r="C1" t="inlineStr"><is><t>Jabatan</t></is></c></row>'
)


def _inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook(sheet_parts, shared_parts=("<sst/>",)) -> bytes:
    """An XLSX whose sheet and shared-strings parts are written from the given chunks (str or bytes) as they
    come."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, parts in (("xl/sharedStrings.xml", shared_parts), ("xl/worksheets/sheet1.xml", sheet_parts)):
            with archive.open(name, "w", force_zip64=True) as member:
                for part in parts:
                    member.write(part.encode() if isinstance(part, str) else part)
    return buffer.getvalue()


def _repeated(chunk: str, total_bytes: int):
    """``chunk`` over and over, up to ``total_bytes`` (a few kilobytes short, so that the part with its start and
    end tags is at most that size)."""
    data = chunk.encode()
    for _ in range(total_bytes // len(data) - 1):
        yield data


def wide_csv_row(cells: int = 20_000) -> bytes:
    """A CSV with a usual header and one row of ``cells`` `;`-separated cells."""
    header = "Nama;NIP;Jabatan"
    row = ";".join(["x"] * cells)
    return f"{header}\r\n{row}\r\n".encode()


def xfd_column_xlsx(rows: int = 5000) -> bytes:
    """``rows`` participants, each with a value in XFD, the sheet's last column (16,384)."""

    def sheet():
        yield SHEET_START + HEADER_ROW
        for number in range(2, rows + 2):
            yield f'<row r="{number}">{_inline(f"A{number}", f"Peserta {number}")}{_inline(f"XFD{number}", "x")}</row>'
        yield SHEET_END

    return _workbook(sheet())


def sheet_bomb_xlsx(unpacked_bytes: int = 600 * MB) -> bytes:
    """A small file whose only sheet unpacks to ``unpacked_bytes`` of identical rows."""
    row = "<row>" + _inline("", "Budi Santoso").replace(' r=""', "") + "</row>"

    def sheet():
        yield SHEET_START + HEADER_ROW
        yield from _repeated(row * 400, unpacked_bytes)
        yield SHEET_END

    return _workbook(sheet())


def shared_strings_bomb_xlsx(unpacked_bytes: int = 300 * MB) -> bytes:
    """A small file with a two-row sheet whose shared-strings table unpacks to ``unpacked_bytes``."""

    def strings():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
        yield from _repeated("<si><t>Budi Santoso</t></si>" * 400, unpacked_bytes)
        yield "</sst>"

    sheet = [SHEET_START, HEADER_ROW, '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', SHEET_END]
    return _workbook(sheet, strings())


HOSTILE_FILES = {
    "wide_row.csv": wide_csv_row,
    "xfd_column.xlsx": xfd_column_xlsx,
    "sheet_bomb.xlsx": sheet_bomb_xlsx,
    "shared_strings_bomb.xlsx": shared_strings_bomb_xlsx,
}
