"""The preview: what importing a file would do to each of its rows, without writing anything."""

import math
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from participants.enums import ParticipantType, RetreatRole
from participants.models import Enrollment, Participant
from retreat.identity import clean_digits, normalize_phone, parse_asn_number, parse_nik

from .base import HEADER_SEARCH_ROWS, ImportFileError
from .columns import (
    ENROLLMENT_KEYS,
    EXTRA_LABELS,
    IMPORT_FIELDS,
    apply_user_mapping,
    automatic_mapping,
    find_header,
    header_key,
    header_text,
    unmapped_columns,
)
from .reading import check_row_limit, read_numbered
from .values import (
    CellError,
    cell_text,
    excel_number_reason,
    infer_role,
    is_number_cell,
    lost_digits,
    parse_eselon,
    parse_golongan,
    parse_participant_type,
    parse_role,
    parse_sex,
    parse_uniform_size,
    same_value,
    scientific,
    shown_number,
    split_name,
)

NEW, UPDATE, UNCHANGED, REFUSED = "new", "update", "unchanged", "refused"
ACTIONS = (NEW, UPDATE, UNCHANGED, REFUSED)
TEXT_KEYS = ("position_title", "unit_name", "dietary_notes", "health_notes", "front_title", "back_title")
# Where a model error is shown when its own field has no column.
ERROR_COLUMN_FALLBACK = {"pppk_grade": "golongan", "participant_type": "nip", "sex": "nip", NON_FIELD_ERRORS: "name"}


@dataclass
class RowResult:
    row_number: int  # the spreadsheet's own row number (1-based, counting title rows)
    action: str  # "new" | "update" | "unchanged" | "refused"
    name: str = ""
    nip: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header as in the file, reason)
    changes: list[str] = field(default_factory=list)  # labels of fields that change
    values: dict = field(default_factory=dict)  # cleaned values to write: participant + enrollment fields
    participant_id: int | None = None  # the existing participant this row updates
    enrollment_id: int | None = None  # its existing enrollment in the program
    role: str = ""  # the role in the retreat the row will have (a RetreatRole value; "" for a refused row)
    cohort: str = ""  # the cohort it will be in ("" for none)
    warnings: list[str] = field(default_factory=list)  # what to complete later; the row is still written

    @property
    def role_label(self) -> str:
        return str(RetreatRole(self.role).label) if self.role in RetreatRole.values else ""

    @property
    def messages(self) -> list[str]:
        """Why the row is refused, one sentence per problem, each naming its column once: the place every
        reason is shown from (preview, command, the refused-rows file)."""
        return [error_text(column, reason) for column, reason in self.errors]


def error_text(column: str, reason: str) -> str:
    """`NIP: The NIP has 18 digits`, but a reason that already begins with the column's name (`NIP 1990…: …`)
    is not prefixed again (never `NIP: NIP 1990…: …`)."""
    if not column or reason.casefold().startswith(column.casefold()):
        return reason
    return f"{column}: {reason}"


@dataclass
class ImportPlan:
    header_row_number: int
    headers: list[str]
    mapping: dict[int, str]
    unmapped: list[tuple[int, str]]
    rows: list[RowResult]
    columns: list[tuple[int, str]] = field(default_factory=list)  # (index, header) of columns with a header or data

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def refused(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == REFUSED]


def no_header_error() -> ImportFileError:
    return ImportFileError(
        _(
            "No header row was found in the first %(count)d rows. The list needs a row of column titles above "
            "the data, with at least a name column (Nama) and one more known column such as NIP, Jabatan or "
            "Unit Kerja. Add that row, then upload again."
        )
        % {"count": HEADER_SEARCH_ROWS}
    )


def storable(value):
    """A cell as JSON keeps it: text, numbers (a NIP Excel stored as a number must stay one) and booleans as
    they are; dates and times as the text the preview shows them as."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return cell_text(value) or str(value)


def read_rows(data: bytes, filename: str) -> list[list]:
    """The file's non-empty rows as [row number, cells], ready to be kept (JSON) until the import is confirmed.
    Raises ImportFileError for a file over a limit, unreadable, empty, without a header or with too many rows."""
    table = read_numbered(data, filename)
    header_index = find_header(table.rows)
    check_row_limit(table, header_index)
    if header_index is None:
        raise no_header_error()
    return [[number, [storable(cell) for cell in cells]] for number, cells in table.rows]


def plan_import(
    *,
    program,
    data: bytes | None = None,
    filename: str = "",
    rows: list[list] | None = None,
    mapping: dict[int, str] | None = None,
    registry=None,
) -> ImportPlan:
    """Say, row by row, what an import into ``program`` would do. Writes nothing.

    Reads ``data`` (a file called ``filename``), or takes the ``rows`` ``read_rows`` gave for it. ``registry`` is
    the part of the organizing institution's registry the importer may see and change (a queryset of
    participants; by default the whole registry): a row that finds someone outside it is refused without a word
    about that person."""
    if rows is None:
        rows = read_rows(data, filename)
    header_index = find_header(rows)
    if header_index is None:
        raise no_header_error()
    header_number, header_cells = rows[header_index]
    data_rows = rows[header_index + 1 :]
    width = max(len(cells) for _number, cells in rows[header_index:])
    headers = [header_text(header_cells[i]) if i < len(header_cells) else "" for i in range(width)]
    final = automatic_mapping(headers)
    if mapping:
        final = apply_user_mapping(final, mapping, width)
    if data_rows and _is_column_numbering(data_rows[0][1]):
        data_rows = data_rows[1:]
    unmapped = unmapped_columns(headers, final, [cells for _number, cells in data_rows])
    filled = {index for _number, cells in data_rows for index, cell in enumerate(cells) if cell is not None}
    columns = [(index, text) for index, text in enumerate(headers) if text or index in filled]
    planned = _Planner(program, headers, final, registry).plan(data_rows)
    return ImportPlan(
        header_row_number=header_number,
        headers=headers,
        mapping=final,
        unmapped=unmapped,
        rows=planned,
        columns=columns,
    )


def _is_column_numbering(cells: list) -> bool:
    """The `1 | 2 | 3 | …` row government templates put under the header."""
    texts = [cell_text(cell).strip("()") for cell in cells if cell is not None]
    return len(texts) >= 3 and texts == [str(n) for n in range(1, len(texts) + 1)]


class _Draft:
    """One row read and cleaned, before it is matched to the database."""

    def __init__(self, number: int):
        self.number = number
        self.values: dict[str, str] = {}
        self.errors: list[tuple[str, str]] = []
        self.texts: dict[str, str] = {}
        self.raw_name = ""
        self.nip_text = ""
        self.nik_key = "nik"  # the column the NIK came from


class _Planner:
    def __init__(self, program, headers: list[str], mapping: dict[int, str], registry=None):
        self.program = program
        self.registry = registry
        self.headers = headers
        self.columns = {key: index for index, key in mapping.items()}
        nip_index = self.columns.get("nip")
        self.nip_holds_nik = nip_index is not None and "nik" in header_key(headers[nip_index])

    def header(self, key: str) -> str:
        index = self.columns.get(key)
        return self.headers[index] if index is not None else ""

    def error_header(self, key: str) -> str:
        if key in self.columns:
            return self.header(key)
        fallback = ERROR_COLUMN_FALLBACK.get(key, "name")
        return self.header(fallback) or self.header("name")

    # Reading one row ------------------------------------------------------------------------------------
    def read(self, number: int, cells: list) -> _Draft | None:
        raw = {key: cells[index] if index < len(cells) else None for key, index in self.columns.items()}
        texts = {key: cell_text(value) for key, value in raw.items()}
        if not any(texts.values()):
            return None  # nothing in the columns we read: a pre-numbered empty row, a stray note
        draft = _Draft(number)
        draft.texts = texts
        values = draft.values

        def fail(key: str, reason: str):
            draft.errors.append((self.error_header(key), reason))

        def cell(key: str, parser, *args):
            if texts.get(key):
                try:
                    return parser(texts[key], *args)
                except CellError as exc:
                    fail(key, str(exc))
            return None

        draft.raw_name = texts.get("name", "")
        if not draft.raw_name:
            fail("name", _("The name is empty."))
        else:
            front, name, back = split_name(
                draft.raw_name, front="front_title" not in self.columns, back="back_title" not in self.columns
            )
            values.update({key: v for key, v in (("front_title", front), ("name", name), ("back_title", back)) if v})
        for key in TEXT_KEYS:
            if texts.get(key):
                values[key] = texts[key]

        number_obj, nik_obj = self._identity(draft, raw, fail)
        if texts.get("participant_type"):
            if kind := cell("participant_type", parse_participant_type):
                values["participant_type"] = kind
        elif number_obj:
            values["participant_type"] = number_obj.kind
        kind = values.get("participant_type") or ("pns" if draft.nip_text else "non_asn")

        if sex := cell("sex", parse_sex):
            values["sex"] = sex
        elif not texts.get("sex") and (number_obj or nik_obj):
            values["sex"] = (number_obj or nik_obj).sex
        if rank := cell("golongan", parse_golongan, kind):
            values[rank[0]] = rank[1]
        if texts.get("eselon") and (eselon := cell("eselon", parse_eselon)):
            values["eselon"] = eselon
        if texts.get("phone"):
            try:
                values["phone"] = normalize_phone(texts["phone"])
            except ValidationError as exc:
                fail("phone", exc.messages[0])
        if texts.get("email"):
            values["email"] = texts["email"]
        if size := cell("uniform_size", parse_uniform_size):
            values["uniform_size"] = size
        if role := cell("retreat_role", parse_role):
            values["retreat_role"] = role
        for key in ("cohort", "room"):
            if texts.get(key):
                values[key] = texts[key]
        return draft

    def _identity(self, draft: _Draft, raw: dict, fail):
        """NIP and NIK cells: numbers Excel damaged are refused with the fix, never repaired."""
        texts, values = draft.texts, draft.values
        number = nik = None
        nik_text, nik_raw = texts.get("nik", ""), raw.get("nik")
        nip_text = texts.get("nip", "").lstrip("'")
        if nip_text:
            digits = clean_digits(nip_text)
            if self.nip_holds_nik and len(digits) == 16 and digits.isdigit() and not nik_text:
                nik_text, nik_raw, draft.nik_key = nip_text, raw.get("nip"), "nip"
            elif is_number_cell(raw.get("nip")):
                draft.nip_text = shown_number(raw["nip"])
                fail("nip", excel_number_reason("NIP", shown_number(raw["nip"])))
            else:
                draft.nip_text = nip_text
                try:
                    if scientific(nip_text):
                        raise ValidationError("lost digits")
                    number = parse_asn_number(nip_text)
                    values["nip"] = number.digits
                except ValidationError as exc:
                    reason = (
                        excel_number_reason("NIP", nip_text)
                        if lost_digits(nip_text)
                        else f"NIP {nip_text}: {exc.messages[0]}"
                    )
                    fail("nip", reason)
        nik_text = nik_text.lstrip("'")
        if nik_text:
            if is_number_cell(nik_raw):
                fail(draft.nik_key, excel_number_reason("NIK", shown_number(nik_raw)))
            elif scientific(nik_text):
                fail(draft.nik_key, excel_number_reason("NIK", nik_text))
            else:
                try:
                    nik = parse_nik(nik_text)
                    values["nik"] = nik.digits
                except ValidationError as exc:
                    reason = f"NIK {nik_text}: {exc.messages[0]}"
                    if lost_digits(nik_text):
                        reason = excel_number_reason("NIK", nik_text)
                    fail(draft.nik_key, reason)
        return number, nik

    # The whole file ------------------------------------------------------------------------------------
    def plan(self, data_rows: list[tuple[int, list]]) -> list[RowResult]:
        drafts = [draft for number, cells in data_rows if (draft := self.read(number, cells))]
        self._refuse_duplicates(drafts)
        self._load(drafts)
        return [self.resolve(draft) for draft in drafts]

    def _refuse_duplicates(self, drafts: list[_Draft]) -> None:
        """The second and later rows with the same NIP, NIK or (without both) name and unit are refused."""
        seen: dict[tuple, int] = {}
        for draft in drafts:
            v = draft.values
            checks = []
            if v.get("nip"):
                checks.append((("nip", v["nip"]), "nip", _("Same NIP as row %(row)d.")))
            if v.get("nik"):
                checks.append((("nik", v["nik"]), draft.nik_key, _("Same NIK as row %(row)d.")))
            if not draft.nip_text and not v.get("nik") and v.get("name"):
                person = ("person", v["name"].casefold(), v.get("unit_name", "").casefold())
                message = _("Same name and work unit as row %(row)d, and neither has a NIP or NIK.")
                checks.append((person, "name", message))
            for key, column, message in checks:
                if key in seen:
                    draft.errors.append((self.error_header(column), message % {"row": seen[key]}))
                else:
                    seen[key] = draft.number

    def _load(self, drafts: list[_Draft]) -> None:
        institution_id = self.program.organizer_id
        nips = {d.values["nip"] for d in drafts if d.values.get("nip")}
        niks = {d.values["nik"] for d in drafts if d.values.get("nik")}
        people = Participant.objects.filter(institution_id=institution_id)
        self.by_nip = {p.nip: p for p in people.filter(nip__in=nips)} if nips else {}
        self.by_nik = {p.nik: p for p in people.filter(nik__in=niks)} if niks else {}
        for p in self.by_nip.values():  # one object per person, whichever way it was found
            if p.nik in self.by_nik:
                self.by_nik[p.nik] = p
        wants_name = any(not d.nip_text for d in drafts)
        self.by_name = {}
        if wants_name:
            for p in people.filter(nip=""):
                self.by_name.setdefault((p.name.casefold(), p.unit_name.casefold()), p)
        ids = {p.pk for p in [*self.by_nip.values(), *self.by_nik.values(), *self.by_name.values()]}
        # Who the importer may see among the people found; the others are never matched, shown or named.
        reachable = self.registry.filter(pk__in=ids) if self.registry is not None and ids else None
        self.hidden = ids - set(reachable.values_list("pk", flat=True)) if reachable is not None else set()
        self.by_name = {key: p for key, p in self.by_name.items() if p.pk not in self.hidden}
        enrollments = Enrollment.objects.filter(program=self.program, participant_id__in=ids)
        enrollments = enrollments.select_related("cohort", "room")
        self.enrollments = {e.participant_id: e for e in enrollments}
        self.matched: dict[int, int] = {}  # participant pk → the row that matched it first

    def refuse_hidden(self, draft: _Draft, key: str, column: str) -> None:
        """A NIP or NIK of someone outside what the importer may see: refused without saying who, or that
        anyone holds it."""
        draft.errors.append(
            (
                self.error_header(column),
                _(
                    "%(label)s %(number)s: only %(organizer)s, the organizing institution, can add this person to "
                    "the program. Leave the row out, or ask them to enroll the person."
                )
                % {"label": key.upper(), "number": draft.values[key], "organizer": self.program.organizer},
            )
        )

    def match(self, draft: _Draft) -> Participant | None:
        v = draft.values
        person = self.by_nip.get(v.get("nip")) if v.get("nip") else None
        if person is not None and person.pk in self.hidden:
            self.refuse_hidden(draft, "nip", "nip")
            return None
        if v.get("nik"):
            other = self.by_nik.get(v["nik"])
            if other and other.pk in self.hidden:
                self.refuse_hidden(draft, "nik", draft.nik_key)
                return None
            if other and person and other.pk != person.pk:
                draft.errors.append(
                    (self.error_header(draft.nik_key), _("NIK %(nik)s already belongs to %(name)s, NIP %(nip)s.")
                     % {"nik": v["nik"], "name": other.display_name, "nip": other.nip or "-"})
                )  # fmt: skip
            elif other and not person:
                if other.nip and v.get("nip") and other.nip != v["nip"]:
                    draft.errors.append(
                        (self.error_header(draft.nik_key), _("NIK %(nik)s already belongs to %(name)s, NIP %(nip)s.")
                         % {"nik": v["nik"], "name": other.display_name, "nip": other.nip})
                    )  # fmt: skip
                else:
                    person = other
        if person is None and not draft.nip_text:
            candidate = self.by_name.get((v.get("name", "").casefold(), v.get("unit_name", "").casefold()))
            if candidate and (not candidate.nik or not v.get("nik") or candidate.nik == v.get("nik")):
                person = candidate
        if person is not None and not draft.errors:
            if person.pk in self.matched:  # e.g. one row by NIK, a later one by name and unit
                message = _("This is the same person as row %(row)d.") % {"row": self.matched[person.pk]}
                draft.errors.append((self.header("name"), message))
            else:
                self.matched[person.pk] = draft.number
        return person

    # Matching and comparing ----------------------------------------------------------------------------
    def resolve(self, draft: _Draft) -> RowResult:
        existing = self.match(draft) if not draft.errors else None
        values = draft.values
        result = RowResult(
            row_number=draft.number,
            action=REFUSED,
            name=draft.raw_name,
            nip=values.get("nip") or draft.nip_text,
            values=values,
        )
        if draft.errors:
            result.errors = draft.errors
            return result

        if existing:
            participant = Participant(
                **{f.attname: getattr(existing, f.attname) for f in Participant._meta.concrete_fields}
            )
            result.participant_id = existing.pk
        else:
            participant = Participant(institution_id=self.program.organizer_id)
            if not draft.nip_text:
                values.setdefault("participant_type", ParticipantType.NON_ASN.value)
            if not values.get("sex") and not draft.nip_text and not values.get("nik") and not self.header("sex"):
                # A non-ASN person listed without NIP, NIK or a sex column: created with the sex unknown
                result.warnings.append(_("Sex unknown: complete it on the participant's page."))
            elif not values.get("sex"):
                result.errors.append(
                    (
                        self.header("sex") or self.header("name"),
                        _("The sex is missing: fill in L or P (a NIP or NIK also tells it)."),
                    )
                )
                return result
        changes = []
        for key, value in values.items():
            if key in ENROLLMENT_KEYS or not value:
                continue
            if not same_value(key, getattr(participant, key), value):
                setattr(participant, key, value)
                if existing:
                    changes.append(str(IMPORT_FIELDS.get(key) or EXTRA_LABELS[key]))
        try:
            participant.full_clean(exclude=["institution"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                column = key if key in self.columns else ERROR_COLUMN_FALLBACK.get(key, "name")
                shown = draft.texts.get(column, "")
                for message in messages:
                    result.errors.append((self.error_header(key), f"{shown}: {message}" if shown else message))
            return result
        result.name = participant.display_name

        enrollment = self.enrollments.get(existing.pk) if existing else None
        if enrollment is None:
            values.setdefault("retreat_role", infer_role(participant.position_title))
            result.action = NEW
            result.role, result.cohort = values["retreat_role"], values.get("cohort", "")
        else:
            result.enrollment_id = enrollment.pk
            if values.get("retreat_role") and values["retreat_role"] != enrollment.role:
                changes.append(str(IMPORT_FIELDS["retreat_role"]))
            cohort = enrollment.cohort.name if enrollment.cohort else ""
            if values.get("cohort") and values["cohort"].casefold() != cohort.casefold():
                changes.append(str(IMPORT_FIELDS["cohort"]))
            room = enrollment.room.label if enrollment.room else ""
            if values.get("room") and values["room"].casefold() != room.casefold():
                changes.append(str(IMPORT_FIELDS["room"]))
            result.action = UPDATE if changes else UNCHANGED
            result.role = values.get("retreat_role") or enrollment.role
            result.cohort = values.get("cohort") or cohort
        result.changes = changes
        return result
