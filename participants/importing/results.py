"""What is kept of a confirmed import: its counts, who confirmed it, and the refused rows as the file had them
(with the reason), so that they can go back to the agency that sent the list."""

import csv
import io

from django.utils.translation import gettext as _

from .planning import REFUSED, ImportPlan

REASON_HEADER = "Alasan"  # the column the agency reads the reasons in (the file goes back as it came, in Indonesian)


def import_summary(plan: ImportPlan, *, kept_rows: list[list] | None, user) -> dict:
    """The batch's summary besides its counts: who confirmed it, the header row and each refused row's own cells
    with its reasons (``[row number, cells, reason]``), in the order of the file."""
    cells_by_number = dict(kept_rows or [])
    refused = [
        [row.row_number, cells_by_number.get(row.row_number, []), "; ".join(row.messages)]
        for row in plan.rows
        if row.action == REFUSED
    ]
    return {
        "confirmed_by": (user.get_full_name() or user.get_username()) if user is not None else "",
        "headers": list(plan.headers),
        "refused_rows": refused,
    }


def refused_table(summary: dict) -> list[list]:
    """The refused rows as a table: the file's header row plus the reason column, then each row's cells."""
    headers = list(summary.get("headers") or [])
    rows = summary.get("refused_rows") or []
    width = max([len(headers), *(len(cells) for _number, cells, _reason in rows)])
    table = [[*headers, *[""] * (width - len(headers)), REASON_HEADER]]
    for _number, cells, reason in rows:
        table.append([*("" if cell is None else cell for cell in cells), *[""] * (width - len(cells)), reason])
    return table


def refused_file(summary: dict, *, original_name: str, title: str) -> tuple[bytes, str, str]:
    """(data, file name, content type) of the refused rows: a CSV for a CSV upload (`;`, UTF-8 with BOM, as
    Excel in Indonesia reads it), an XLSX otherwise; cells that could run as formulas are neutralised."""
    from participants.exports import neutralize, text_workbook

    stem = original_name.rpartition(".")[0] or original_name or "impor"
    table = refused_table(summary)
    if original_name.lower().endswith((".csv", ".txt", ".tsv")):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        for row in table:
            writer.writerow([neutralize(value) for value in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8"), f"{stem}-ditolak.csv", "text/csv; charset=utf-8"
    rows = ([neutralize(value) for value in row] for row in table)
    data = text_workbook(rows, sheet_title=_("Refused rows"), title=title)
    return data, f"{stem}-ditolak.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def imports_for_program(program, *, limit: int = 10):
    """The program's confirmed imports, newest first, with who uploaded them (the import page's history)."""
    from participants.models import ParticipantImport

    return (
        ParticipantImport.objects.filter(program=program, status=ParticipantImport.Status.COMMITTED)
        .select_related("uploaded_by")
        .defer("rows", "mapping")
        .order_by("-finished_at")[:limit]
    )


REFUSED_ROWS_DAYS = 30  # the refused rows (names, NIPs, phones of people not imported) are kept this long


def refused_rows_purge(*, older_than_days: int = REFUSED_ROWS_DAYS) -> int:
    """Drop the refused rows of imports confirmed more than ``older_than_days`` ago (their counts stay); run with
    the purge of unfinished previews. Returns how many imports lost them."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from participants.models import ParticipantImport

    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    with transaction.atomic():
        batches = list(
            ParticipantImport.objects.select_for_update(skip_locked=True)
            .filter(status=ParticipantImport.Status.COMMITTED, finished_at__lt=cutoff, summary__has_key="refused_rows")
            .only("pk", "summary")
        )
        for batch in batches:
            batch.summary = {key: value for key, value in batch.summary.items() if key != "refused_rows"}
            batch.save(update_fields=["summary"])
    return len(batches)
