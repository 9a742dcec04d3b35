import functools

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from retreat.enums import Role
from retreat.params import whole_number

from .enums import ACTIVE_STATUSES, EnrollmentStatus
from .grouping import Member, mixing_score
from .models import DiscussionGroup, Enrollment, Participant, Room


def enrollments_for_program(program) -> QuerySet[Enrollment]:
    """The program's active enrollments in protocol order, with what lists and documents show."""
    return (
        Enrollment.objects.filter(program=program, status__in=ACTIVE_STATUSES)
        .select_related("participant", "cohort", "group", "room")
        .order_by("order", "participant__name")
    )


def enrollments_filtered(
    program, *, q="", role="", unit="", group="", cohort="", status="", search_nip: bool = False
) -> QuerySet[Enrollment]:
    """The organizer's enrollment list: every status unless one is asked for, filtered and searched.
    Searching by NIP prefix is for those who may see NIPs: for others it would unmask them digit by digit."""
    qs = Enrollment.objects.filter(program=program).select_related(
        "participant", "cohort", "group", "room", "replaced_by__participant"
    )
    if q:
        search = (
            Q(participant__name__icontains=q)
            | Q(participant__position_title__icontains=q)
            | Q(participant__unit_name__icontains=q)
        )
        digits = q.replace(" ", "")
        if search_nip and digits.isdigit():
            search |= Q(participant__nip__startswith=digits)
        qs = qs.filter(search)
    if role:
        qs = qs.filter(role=role)
    if unit:
        qs = qs.filter(participant__unit_name=unit)
    if group == "none":
        qs = qs.filter(group__isnull=True)
    elif (number := whole_number(group)) is not None:
        qs = qs.filter(group__number=number)
    if cohort == "none":
        qs = qs.filter(cohort__isnull=True)
    elif (cohort_pk := whole_number(cohort)) is not None:
        qs = qs.filter(cohort_id=cohort_pk)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("order", "participant__name")


def units_for_program(program) -> list[str]:
    return list(
        Enrollment.objects.filter(program=program)
        .order_by("participant__unit_name")
        .values_list("participant__unit_name", flat=True)
        .distinct()
    )


def groups_for_program(program) -> QuerySet[DiscussionGroup]:
    return (
        DiscussionGroup.objects.filter(program=program)
        .annotate(size=Count("enrollments", filter=Q(enrollments__status__in=ACTIVE_STATUSES)))
        .prefetch_related("facilitators")
    )


def facilitators_for_program(program) -> QuerySet:
    """Users with the facilitator role in one of the program's institutions: who may accompany its groups."""
    return (
        get_user_model()
        .objects.filter(memberships__institution__in=program.institution_ids, memberships__role=Role.FACILITATOR)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def enrollment_for_token(token: str) -> Enrollment | None:
    """The personal page: only a current token of an active enrollment opens it. With what the page shows
    of the participant, their group and cohort, and the program and its institutions."""
    if not token:
        return None
    return _with_page(Enrollment.objects.filter(access_token=token, status__in=ACTIVE_STATUSES)).first()


def enrollments_for_pages(pks) -> list[Enrollment]:
    """The active enrollments of ``pks`` with a link, as ``enrollment_for_token`` gives one, in one query."""
    return list(
        _with_page(Enrollment.objects.filter(pk__in=list(pks), status__in=ACTIVE_STATUSES, access_token__isnull=False))
    )


def _with_page(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return enrollments.select_related(
        "participant", "group", "room", "cohort", "program__organizer", "program__partner"
    ).order_by("pk")


# What the personal page's cache checks a link against: the enrollment and program it opens, and what of
# them the page shows that no version key covers.
PAGE_ROW_FIELDS = (
    "pk", "program_id", "status", "group_id", "room__building", "room__number", "cohort_id", "participant__front_title",
    "participant__name", "participant__back_title", "participant__position_title", "program__updated_at",
    "program__agenda_published_at",
)  # fmt: skip
# Where a request's values go in the SQL made once: values no request can have.
_STAND_INS = {"token": "\x00token", "program": -987654321, "first": -987654322, "last": -987654323}


def page_row_for_token(token: str) -> tuple | None:
    """``PAGE_ROW_FIELDS`` of the active enrollment ``token`` opens, as the database gives them, or None.

    Asked on every request of the page phones hit most, so the ORM makes the SQL once per database and each
    request only runs it: compiling it took 1 ms of the 1.2 ms the query cost (0.15 ms prepared)."""
    if not token:
        return None
    rows = _run_prepared("token", limit=1, token=token)
    return rows[0] if rows else None


def page_rows_between(program_pk: int, first_pk: int, last_pk: int) -> list[tuple]:
    """The ``PAGE_ROW_FIELDS`` rows, each followed by the link's token, of the program's active enrollments
    with a link whose pk is from ``first_pk`` to ``last_pk``, in the order of their pk."""
    return _run_prepared("between", limit=last_pk - first_pk + 1, program=program_pk, first=first_pk, last=last_pk)


def _run_prepared(shape: str, *, limit: int, **values) -> list[tuple]:
    alias = router.db_for_read(Enrollment)
    sql, params = _prepared(alias, shape)
    given = {_STAND_INS[name]: value for name, value in values.items()}
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [given.get(param, param) for param in params])
        return cursor.fetchmany(limit)


@functools.cache
def _prepared(alias: str, shape: str) -> tuple[str, tuple]:
    stand_in = _STAND_INS
    active = Enrollment.objects.filter(status__in=ACTIVE_STATUSES).order_by()
    if shape == "token":
        query = active.filter(access_token=stand_in["token"]).values_list(*PAGE_ROW_FIELDS)[:1]
    else:
        query = (
            active.filter(program_id=stand_in["program"], pk__gte=stand_in["first"], pk__lte=stand_in["last"])
            .exclude(access_token=None)
            .order_by("pk")
            .values_list(*PAGE_ROW_FIELDS, "access_token")
        )
    return query.query.get_compiler(alias).as_sql()


def group_mixing_score(enrollments: list[Enrollment], group_count: int) -> float:
    """The mixing score (0–100) of the groups as they stand, for the enrollments given."""
    placed = [e for e in enrollments if e.group_id]
    members = [Member(key=e.pk, unit=e.participant.unit_name, role=e.role) for e in placed]
    return mixing_score(members, {e.pk: e.group.number for e in placed}, group_count)


def registry_for(user, program) -> QuerySet[Participant]:
    """The people of the organizing institution's registry that ``user`` may see and change through
    ``program``: the whole registry for the organizer's managers; for a partner institution only the people
    enrolled in programs of that organizer it partners."""
    registry = Participant.objects.filter(institution_id=program.organizer_id)
    if user.has_perm("participants.use_registry", program):
        return registry
    if program.partner_id is None:
        return registry.none()
    partnered = Enrollment.objects.filter(
        program__organizer_id=program.organizer_id, program__partner_id=program.partner_id
    )
    return registry.filter(pk__in=partnered.values("participant_id"))


def import_plan(batch, *, user, mapping: dict | None = None):
    """The preview of an upload, from the rows kept when it was uploaded, with the batch's (or the given)
    mapping, as ``user`` may see it (``registry_for``)."""
    from .importing import plan_import, read_rows

    rows = batch.rows
    if rows is None:  # uploaded before the rows were kept
        with batch.file.open("rb") as handle:
            rows = read_rows(handle.read(), batch.original_name)
    chosen = mapping if mapping is not None else (batch.mapping or None)
    return plan_import(program=batch.program, rows=rows, mapping=chosen, registry=registry_for(user, batch.program))


REGISTRY_SEARCH_LIMIT = 20
REGISTRY_SEARCH_MIN_DIGITS = 4


def registry_search_for(user, program, q: str, *, limit: int = REGISTRY_SEARCH_LIMIT) -> list[Participant]:
    """People of the registry ``user`` may reach through ``program`` (``registry_for``: a partner never finds
    anyone outside the programs it partners) whose name holds every word of ``q``, or whose NIP starts with
    (or NIK is) the digits of ``q``; at most ``limit``, in one query. Each carries ``here_pk`` and
    ``here_status``, their enrollment in ``program`` (None when they are not enrolled), and ``here_label``."""
    from retreat.identity import clean_digits

    q = " ".join((q or "").split())
    digits = clean_digits(q)
    if digits.isdigit() and digits.isascii():
        if len(digits) < REGISTRY_SEARCH_MIN_DIGITS:
            return []
        search = Q(nip__startswith=digits) | Q(nik=digits)
    elif len(q) >= 2:
        search = Q()
        for word in q.split()[:6]:
            search &= Q(name__icontains=word)
    else:
        return []
    here = Enrollment.objects.filter(program=program, participant=OuterRef("pk"))
    people = (
        registry_for(user, program)
        .filter(search)
        .annotate(here_pk=Subquery(here.values("pk")[:1]), here_status=Subquery(here.values("status")[:1]))
        .order_by("name", "pk")[:limit]
    )
    found = list(people)
    for person in found:
        person.here_label = EnrollmentStatus(person.here_status).label if person.here_status else ""
    return found


def rooms_for_program(program) -> list[tuple[Room, list[Enrollment]]]:
    """The program's rooms in order, each with its active occupants (protocol order), in two queries."""
    rooms = list(Room.objects.filter(program=program).order_by("building", "number"))
    occupants = {room.pk: [] for room in rooms}
    for enrollment in enrollments_for_program(program).filter(room__isnull=False):
        occupants[enrollment.room_id].append(enrollment)
    return [(room, occupants[room.pk]) for room in rooms]
