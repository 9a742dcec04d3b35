"""Writing a previewed import: every accepted row in one transaction, or nothing."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from participants.enums import EnrollmentStatus
from participants.models import Enrollment, Participant, Room
from retreat.models import Cohort

from .base import ImportFileError
from .columns import ENROLLMENT_KEYS
from .planning import ACTIONS, NEW, UPDATE, ImportPlan
from .values import same_value


class _StalePlan(Exception):
    pass


def import_commit(*, program, plan: ImportPlan) -> dict[str, int]:
    """Create and update the participants and enrollments of the plan's accepted rows, in one transaction.

    Nothing is parsed again: the plan's cleaned values are written, each participant through ``full_clean()``.
    Refused and unchanged rows are skipped. If anything fails, nothing is written. Returns the counts."""
    counts = dict.fromkeys(ACTIONS, 0)
    counts.update({action: n for action, n in plan.counts.items() if action not in (NEW, UPDATE)})
    rows = [row for row in plan.rows if row.action in (NEW, UPDATE)]
    if not rows:
        return counts
    try:
        with transaction.atomic():
            _write(program, rows, counts)
    except (ValidationError, IntegrityError, _StalePlan) as exc:
        raise ImportFileError(
            _(
                "The participant data changed after the preview was made (someone else may have imported or "
                "edited participants). Nothing was imported; upload the file again to see a fresh preview."
            )
        ) from exc
    return counts


def _check_identities_still_free(institution, rows) -> None:
    """No NIP or NIK the rows will write belongs to anyone else now (someone may have added them since)."""
    owners = {}
    for row in rows:
        for key in ("nip", "nik"):
            if value := row.values.get(key):
                owners[key, value] = row.participant_id
    nips = [value for key, value in owners if key == "nip"]
    niks = [value for key, value in owners if key == "nik"]
    holders = Participant.objects.filter(institution=institution).filter(Q(nip__in=nips) | Q(nik__in=niks))
    for pk, nip, nik in holders.values_list("pk", "nip", "nik"):
        for key, value in (("nip", nip), ("nik", nik)):
            if value and (key, value) in owners and owners[key, value] != pk:
                raise _StalePlan(f"{key} {value}")


def _write(program, rows, counts) -> None:
    institution = program.organizer
    participants = Participant.objects.filter(institution=institution).in_bulk(
        [row.participant_id for row in rows if row.participant_id]
    )
    enrollments = (
        Enrollment.objects.filter(program=program)
        .select_related("cohort", "room")
        .in_bulk([row.enrollment_id for row in rows if row.enrollment_id])
    )
    _check_identities_still_free(institution, rows)
    cohorts = {cohort.name.casefold(): cohort for cohort in Cohort.objects.filter(program=program)}
    order = (Enrollment.objects.filter(program=program).aggregate(m=Max("order"))["m"] or 0) + 1
    created = []
    rewritten = {Participant: [], Enrollment: []}  # rows changed here: an edit form open on them is now stale

    rooms = {room.label.casefold(): room for room in Room.objects.filter(program=program)}

    def room_named(label: str) -> Room:
        """The program's room written so, or a new one (its beds grown to fit, its sex left for the organizer)."""
        if label.casefold() not in rooms:
            rooms[label.casefold()] = Room.objects.create(program=program, number=label[:100], capacity=1)
        return rooms[label.casefold()]

    def cohort_named(name: str) -> Cohort:
        if name.casefold() not in cohorts:
            cohort = Cohort(program=program, name=name)
            cohort.full_clean()
            cohort.save()
            cohorts[name.casefold()] = cohort
        return cohorts[name.casefold()]

    for row in rows:
        values = row.values
        if row.participant_id:
            participant = participants.get(row.participant_id)
            if participant is None:
                raise _StalePlan(row.row_number)
        else:
            participant = Participant(institution=institution)
        changed = []
        for key, value in values.items():
            if key not in ENROLLMENT_KEYS and value and not same_value(key, getattr(participant, key), value):
                setattr(participant, key, value)
                changed.append(key)
        if participant.pk is None or changed:
            # Field rules and clean() for every row. The institution is the program's own, and the unique
            # NIP/NIK constraints were checked for all rows at once above (and the database enforces them);
            # validating them row by row builds two conditional queries each and was 90 % of the commit time.
            participant.full_clean(exclude=["institution"], validate_constraints=False)
            # An update writes only the columns the file changed, never the rest of the row.
            if participant.pk:
                rewritten[Participant].append(participant.pk)
            participant.save(update_fields=changed if participant.pk else None)

        cohort = cohort_named(values["cohort"]) if values.get("cohort") else None
        if row.enrollment_id:
            enrollment = enrollments.get(row.enrollment_id)
            if enrollment is None or enrollment.participant_id != participant.pk:
                raise _StalePlan(row.row_number)
            room = room_named(values["room"]) if values.get("room") else None
            fields = {"role": values.get("retreat_role"), "cohort": cohort, "room": room}
            changed = [name for name, value in fields.items() if value and getattr(enrollment, name) != value]
            for name in changed:
                setattr(enrollment, name, fields[name])
            if changed:
                enrollment.save(update_fields=changed)
                rewritten[Enrollment].append(enrollment.pk)
        else:
            created.append(
                Enrollment(
                    program=program,
                    participant=participant,
                    role=values["retreat_role"],
                    status=EnrollmentStatus.INVITED,
                    order=order,
                    cohort=cohort,
                    room=room_named(values["room"]) if values.get("room") else None,
                )
            )
            order += 1
        counts[row.action] += 1
    Enrollment.objects.bulk_create(created)
    for room in rooms.values():  # the file may put more people in a room than it has beds: the beds follow
        occupants = room.enrollments.count()
        if occupants > room.capacity:
            Room.objects.filter(pk=room.pk).update(capacity=occupants)
    for model, pks in rewritten.items():
        model.objects.filter(pk__in=pks).update(version=F("version") + 1)
