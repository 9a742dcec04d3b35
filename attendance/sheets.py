"""Many sessions' daftar hadir at once, with each audience's table laid out only once.

The table of a program's participants is the same on the sheet of every session with the same audience;
only the title block, the statuses (on filled sheets), the counts, the date above the signature and the
footer differ. So:

1. the sheet is laid out once per audience with those places left empty, each with an id (the *base*);
   WeasyPrint says where each id landed;
2. what differs is laid out for every session of that audience in one light document of boxes placed at
   those spots (the *layer*, one page per base page and session);
3. pikepdf copies the base pages for each session and draws the session's layer pages over them.

A session whose title block is taller than the room kept for it (a long title, many speakers) is laid out
on its own instead, exactly as the single sheet is. Measured in ``bench/attendance_set.py``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from retreat.formatting import tanggal
from retreat.pdf import Stamps, append_pages, open_pdf, pdf_bytes, pdf_renderer

from .enums import AttendanceStatus
from .selectors import roll_calls

SHEET_TEMPLATE = "attendance/pdf/attendance_sheet.html"
LAYER_TEMPLATE = "attendance/pdf/sheet_layer.html"
STAMPS_TEMPLATE = "attendance/pdf/status_stamps.html"
STATUSES = list(AttendanceStatus)  # one stamp each, in this order
TITLE_HEIGHT_MM = 38  # room for the title block: the heading and five lines, one of them wrapped
ORIGIN = "page-top"  # the id of the first (empty) element of the body, at the top left of the page's content


def sheets_for(program, sessions) -> list[dict]:
    """Each of the program's sessions' sheet (the session, its day, its audience with their records, the
    counts) for those that anyone is expected at, in the sessions' order."""
    sheets = []
    for call in roll_calls(sessions, program=program):
        if not call.rows:
            continue
        session = call.session
        sheets.append(
            {
                "session": session,
                "day": session.starts_at.astimezone(program.tzinfo).date(),
                "people": call.rows,
                "counts": call.counts,
                "count_cells": [
                    ("hadir", _("Present"), call.counts["hadir"]),
                    ("terlambat", _("Late"), call.counts["terlambat"]),
                    ("excused", _("Excused / sick / on duty"), call.counts["excused"]),
                    ("alpa", _("Absent"), call.counts["alpa"]),
                    ("not_yet", _("Not recorded"), call.counts["not_yet"]),
                ],
            }
        )
    return sheets


def sheet_context(context: dict, sheets: list[dict], **extra) -> dict:
    return {**context, "sheets": sheets, "title_height_mm": TITLE_HEIGHT_MM, **extra}


@dataclass
class Printed:
    """One session's sheet ready to combine: ``pdf``'s pages, with, for page n, ``layer``'s page
    ``pages[n]`` drawn over it (no layer: laid out on its own)."""

    sheet: dict
    pdf: object
    layer: object = None
    pages: list | None = None
    stamps: Stamps | None = None  # the status words of a filled set, placed as ``sheet["stamps"]`` says

    def append_to(self, into) -> None:
        append_pages(into, self.pdf, layer=self.layer, pages=self.pages, stamps=self.stamps,
                     stamped=self.sheet.get("stamps"))  # fmt: skip


def print_sheets(sheets: list[dict], context: dict, *, also=(), processes: int | None = None):
    """Every sheet printed, in the order given, and the PDF of each ``(template, context)`` in ``also`` (laid
    out beside the tables: the recap of the whole set, say). ``context`` is the document's (program,
    letterhead, settings, filled, show_personal_data, printed_at)."""
    groups: dict[tuple, list[dict]] = {}
    for sheet in sheets:
        groups.setdefault(tuple(enrollment.pk for enrollment, _record in sheet["people"]), []).append(sheet)
    shared = [group for group in groups.values() if len(group) > 1]
    single = [group[0] for group in groups.values() if len(group) == 1]
    with pdf_renderer(processes) as render:
        # 1. each audience's table (and the sheets whose audience is theirs alone), and the other documents
        laid = render(
            [(SHEET_TEMPLATE, sheet_context(context, group[:1], layer=True)) for group in shared]
            + [(SHEET_TEMPLATE, _alone_context(context, sheet)) for sheet in single]
            + list(also)
        )
        bases, lone, others = (
            laid[: len(shared)],
            laid[len(shared) : len(shared) + len(single)],
            laid[len(shared) + len(single) :],
        )
        printed = {id(sheet): Printed(sheet, open_pdf(pdf)) for sheet, (pdf, _a) in zip(single, lone, strict=True)}
        others = [pdf for pdf, _anchors in others]
        # 2. what differs between the sessions of each audience, in as many parts as there are processes;
        #    the statuses of filled sheets are words laid out once and stamped where they belong
        parts, stamp_box = [], None
        for group, (base_pdf, anchors) in zip(shared, bases, strict=True):
            base = open_pdf(base_pdf)
            places = {name: (n, box) for n, page in enumerate(anchors) for name, box in page.items()}
            for sheet in group:
                _plan_layer(sheet, places, anchors[0][ORIGIN], len(anchors), filled=context.get("filled"))
            size = -(-len(group) // max(1, processes or settings.PDF_PROCESSES))
            parts += [(base, places, group[i : i + size]) for i in range(0, len(group), size)]
            if context.get("filled") and "s0" in places:
                x0, y0, x1, y1 = places["s0"][1]
                stamp_box = (x1 - x0, y1 - y0)
        stamps = [(STAMPS_TEMPLATE, sheet_context(context, [], box=stamp_box, statuses=STATUSES))] if stamp_box else []
        layers = render([(LAYER_TEMPLATE, sheet_context(context, part)) for _b, _p, part in parts] + stamps)
        statuses = Stamps(open_pdf(layers.pop()[0])) if stamps else None
        too_tall = []
        for (base, places, part), (layer_pdf, layer_anchors) in zip(parts, layers, strict=True):
            layer = open_pdf(layer_pdf)
            ends = {name: box[1] for page in layer_anchors for name, box in page.items() if name.startswith("end")}
            first = 0
            for sheet in part:
                if ends[f"end{id(sheet)}"] > places["title"][1][3] + 0.5:
                    too_tall.append(sheet)  # its title block needs more room than the table left for it
                else:
                    printed[id(sheet)] = Printed(sheet, base, layer, [first + n for n in sheet["layer_map"]], statuses)
                first += len(sheet["layer"])
        # 3. a session whose title block is taller than the room kept for it, laid out on its own
        for sheet, (pdf, _anchors) in zip(too_tall, render([(SHEET_TEMPLATE, _alone_context(context, s))
                                                           for s in too_tall]), strict=True):  # fmt: skip
            printed[id(sheet)] = Printed(sheet, open_pdf(pdf))
    return [printed[id(sheet)] for sheet in sheets], others


def _alone_context(context: dict, sheet: dict) -> dict:
    return sheet_context(context, [sheet], title=sheet["session"].title)


def _plan_layer(sheet: dict, places: dict, origin, pages: int, *, filled) -> None:
    """The session's texts, ``sheet["layer"]``: a list of pages, each of (kind, CSS position, text); and
    ``sheet["layer_map"]``, which of them goes over each page of the table. Pages with nothing but the
    footer (the middle of a sheet) share one. On a filled sheet, ``sheet["stamps"]``: page -> [(status
    stamp, place)]."""
    on_page = [[] for _page in range(pages)]

    def put(kind, place, text=""):
        page, (x0, y0, x1, y1) = places[place]
        box = f"left:{x0 - origin[0]:.2f}px;top:{y0 - origin[1]:.2f}px;width:{x1 - x0:.2f}px;height:{y1 - y0:.2f}px"
        on_page[page].append((kind, box, text))

    put("title", "title")
    sheet["stamps"] = {}
    if filled:
        for number, (_enrollment, record) in enumerate(sheet["people"]):
            if record is not None:
                page, box = places[f"s{number}"]
                sheet["stamps"].setdefault(page, []).append((STATUSES.index(record.status), box))
        for key, _label, value in sheet["count_cells"]:
            put("count", f"c-{key}", value)
    put("date", "date", tanggal(sheet["day"]))
    layer, layer_map, footer_only = [], [], None
    for items in on_page:
        if not items and footer_only is not None:
            layer_map.append(footer_only)
            continue
        layer_map.append(len(layer))
        if not items:
            footer_only = len(layer)
        layer.append(items)
    sheet["key"] = id(sheet)
    sheet["layer"], sheet["layer_map"] = layer, layer_map


def alone(sheet: Printed) -> bytes:
    """One sheet as its own PDF."""
    return joined([sheet], [])


def joined(printed: list[Printed], others: list[bytes]) -> bytes:
    """The sheets one after another, then the other documents, in one PDF."""
    import pikepdf

    out = pikepdf.new()
    for sheet in printed:
        sheet.append_to(out)
    for pdf in others:
        append_pages(out, open_pdf(pdf))
    return pdf_bytes(out)
