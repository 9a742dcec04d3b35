from django.db.models import Count, Q, QuerySet

from retreat.params import whole_number

from .enums import ACTIVE_STATUSES
from .grouping import Member, mixing_score
from .models import DiscussionGroup, Enrollment, Participant


def enrollments_for_program(program) -> QuerySet[Enrollment]:
    """The program's active enrollments in protocol order, with what lists and documents show."""
    return (
        Enrollment.objects.filter(program=program, status__in=ACTIVE_STATUSES)
        .select_related("participant", "cohort", "group")
        .order_by("order", "participant__name")
    )


def enrollments_filtered(
    program, *, q="", role="", unit="", group="", status="", search_nip: bool = False
) -> QuerySet[Enrollment]:
    """The organizer's enrollment list: every status unless one is asked for, filtered and searched.
    Searching by NIP prefix is for those who may see NIPs: for others it would unmask them digit by digit."""
    qs = Enrollment.objects.filter(program=program).select_related(
        "participant", "cohort", "group", "replaced_by__participant"
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
    return DiscussionGroup.objects.filter(program=program).annotate(
        size=Count("enrollments", filter=Q(enrollments__status__in=ACTIVE_STATUSES))
    )


def enrollment_for_token(token: str) -> Enrollment | None:
    """The personal page: only a current token of an active enrollment opens it. Joins only what the
    page cache key needs: on the page phones hit most, PostgreSQL spent longer planning extra joins than
    running the query."""
    if not token:
        return None
    return (
        Enrollment.objects.filter(access_token=token, status__in=ACTIVE_STATUSES)
        .select_related("participant", "program")
        .order_by()
        .first()
    )


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
