import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from retreat.identity import normalize_phone
from retreat.services import model_update
from retreat.tokens import new_access_token

from .enums import EnrollmentStatus, RetreatRole
from .grouping import Grouping, Member, form_groups
from .models import DiscussionGroup, Enrollment, Participant, ParticipantImport, Room, room_label
from .selectors import ACTIVE_STATUSES, facilitators_for_program, import_plan
from .signals import groups_removing

# What an organizer's edit may change of a person and of their enrollment (the forms show the same fields).
PARTICIPANT_UPDATE_FIELDS = (
    "participant_type", "nip", "nik", "front_title", "name", "back_title", "sex", "golongan", "pppk_grade",
    "eselon", "position_category", "position_title", "unit_name", "phone", "email", "uniform_size",
    "dietary_notes", "health_notes",
)  # fmt: skip
ENROLLMENT_UPDATE_FIELDS = ("role", "cohort", "group", "room", "status", "withdrawn_reason", "replaced_by")


class StaleEdit(ValidationError):
    """A save from a form read at an older version: someone else saved the row since, and nothing was written.
    ``rows`` holds those rows as they are stored now (the participant, the enrollment, or both)."""

    def __init__(self, rows: list[Model]):
        super().__init__(_("Someone else saved this while you were editing it; nothing was saved."))
        self.rows = rows


def _claim_version(instance: Model, version: int) -> Model | None:
    """Move the row on from the version its form was read at, in the caller's transaction: a conditional
    UPDATE, so the row stays locked until the transaction ends and of two saves read at the same version
    only the first finds it. Returns None, or the row as stored now when someone else saved it since."""
    model = type(instance)
    if model.objects.filter(pk=instance.pk, version=version).update(version=F("version") + 1):
        return None
    return model.objects.get(pk=instance.pk)


def _claim_versions(claims: list[tuple[Model, int]]) -> None:
    """Claim every row, or raise StaleEdit naming each that moved on (the transaction then writes nothing)."""
    stale = [row for instance, version in claims if (row := _claim_version(instance, version))]
    if stale:
        raise StaleEdit(stale)
    for instance, version in claims:
        instance.version = version + 1


def _participant_write(participant: Participant, data: dict) -> Participant:
    data = dict(data)
    if "phone" in data:
        try:
            data["phone"] = normalize_phone(data["phone"])
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    return model_update(instance=participant, fields=PARTICIPANT_UPDATE_FIELDS, data=data)


def participant_update(*, participant: Participant, data: dict, version: int) -> Participant:
    """Save an organizer's edit of a person, read at ``version``; refused with StaleEdit (nothing written) when
    someone else saved the person since."""
    with transaction.atomic():
        _claim_versions([(participant, version)])
        return _participant_write(participant, data)


def _enrollment_rules(enrollment: Enrollment) -> dict:
    errors = {}
    if enrollment.status == EnrollmentStatus.WITHDRAWN and not enrollment.withdrawn_reason.strip():
        errors["withdrawn_reason"] = _("Give the reason for the withdrawal.")
    if enrollment.status == EnrollmentStatus.REPLACED:
        if not enrollment.replaced_by_id:
            errors["replaced_by"] = _("Choose the participant who replaces this one.")
        elif enrollment.replaced_by.program_id != enrollment.program_id or enrollment.replaced_by_id == enrollment.pk:
            errors["replaced_by"] = _("The replacement must be another participant of this program.")
    if enrollment.group_id and enrollment.group.program_id != enrollment.program_id:
        errors["group"] = _("This group belongs to another program.")
    return errors


def enrollment_update(
    *, enrollment: Enrollment, participant_data: dict, data: dict, participant_version: int, version: int
) -> Enrollment:
    """Edit an enrollment and its participant together, from a form that read them at ``version`` and
    ``participant_version``; either both are saved or neither. StaleEdit when someone else saved either since."""
    with transaction.atomic():
        _claim_versions([(enrollment.participant, participant_version), (enrollment, version)])
        _participant_write(enrollment.participant, participant_data)
        for name, value in data.items():
            setattr(enrollment, name, value)
        errors = _enrollment_rules(enrollment) | _room_rules(enrollment)
        if errors:
            raise ValidationError(errors)
        return model_update(instance=enrollment, fields=ENROLLMENT_UPDATE_FIELDS, data=data)


def access_link_issue(*, enrollment: Enrollment) -> Enrollment:
    """A new personal link; the previous one stops working at once."""
    with transaction.atomic():
        enrollment.access_token = new_access_token()
        enrollment.save(update_fields=["access_token"])
        return enrollment


def access_link_revoke(*, enrollment: Enrollment) -> Enrollment:
    with transaction.atomic():
        enrollment.access_token = None
        enrollment.save(update_fields=["access_token"])
        return enrollment


def access_links_ensure(*, program) -> int:
    """Give every active enrollment without a personal link one (for ID cards and bulk sending)."""
    with transaction.atomic():
        missing = list(
            Enrollment.objects.select_for_update().filter(
                program=program, status__in=ACTIVE_STATUSES, access_token__isnull=True
            )
        )
        for enrollment in missing:
            enrollment.access_token = new_access_token()
        Enrollment.objects.bulk_update(missing, ["access_token"])
        return len(missing)


def groups_form(*, program, group_count: int, seed: int = 0) -> Grouping:
    """Spread the program's active participants over ``group_count`` groups, keeping locked ones."""
    if not 1 <= group_count <= 200:
        raise ValidationError(_("The number of groups must be between 1 and 200."))
    with transaction.atomic():
        enrollments = list(
            Enrollment.objects.select_for_update(of=("self",))
            .filter(program=program, status__in=ACTIVE_STATUSES)
            .select_related("participant", "group")
            .order_by("pk")
        )
        # Apps above may still need the groups that would go (sessions planned for them): they refuse here.
        groups_removing.send(sender=DiscussionGroup, program=program, group_count=group_count)
        groups = {group.number: group for group in DiscussionGroup.objects.filter(program=program)}
        for number in range(1, group_count + 1):
            if number not in groups:
                with translation.override(settings.LANGUAGE_CODE):  # names are printed, in the documents' language
                    name = _("Group %(number)d") % {"number": number}
                groups[number] = DiscussionGroup.objects.create(program=program, number=number, name=name)
        members = []
        for enrollment in enrollments:
            locked = enrollment.group.number if enrollment.group_locked and enrollment.group else None
            if locked and locked > group_count:
                enrollment.group_locked, locked = False, None  # its group is going away
            members.append(Member(key=enrollment.pk, unit=enrollment.participant.unit_name, role=enrollment.role,
                                  locked_group=locked))  # fmt: skip
        grouping = form_groups(members, group_count=group_count, seed=seed)
        moved = []
        for enrollment in enrollments:
            group = groups[grouping.assignment[enrollment.pk]]
            if enrollment.group_id != group.pk:
                moved.append(enrollment.pk)
            enrollment.group = group
        Enrollment.objects.bulk_update(enrollments, ["group", "group_locked"])
        Enrollment.objects.filter(pk__in=moved).update(version=F("version") + 1)  # an open edit form is stale
        going = DiscussionGroup.objects.filter(program=program, number__gt=group_count)
        Enrollment.objects.filter(group__in=going).update(version=F("version") + 1)  # left without a group
        going.delete()
        return grouping


def enrollment_move(*, enrollment: Enrollment, group: DiscussionGroup | None, lock: bool = True) -> Enrollment:
    """The organizer's manual move; locked so that forming groups again keeps it."""
    if group is not None and group.program_id != enrollment.program_id:
        raise ValidationError(_("This group belongs to another program."))
    with transaction.atomic():
        enrollment.group = group
        enrollment.group_locked = lock and group is not None
        enrollment.version = F("version") + 1  # an edit form open on this enrollment is now stale
        enrollment.save(update_fields=["group", "group_locked", "version"])
        enrollment.refresh_from_db(fields=["version"])
        return enrollment


def group_facilitators_set(*, group: DiscussionGroup, users) -> DiscussionGroup:
    """Who facilitates the group, replacing the previous choice. Refused (nothing changed) if someone is not a
    facilitator of one of the program's institutions."""
    users = list(users)
    allowed = set(
        facilitators_for_program(group.program).filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True)
    )
    refused = [u for u in users if u.pk not in allowed]
    if refused:
        raise ValidationError(
            _("Not a facilitator of this program's institutions: %(names)s.")
            % {"names": ", ".join(u.get_full_name() or u.username for u in refused)}
        )
    with transaction.atomic():
        group.facilitators.set(users)
    return group


def import_start(*, program, user, name: str, data: bytes) -> ParticipantImport:
    """Read the upload within the import's limits and keep its rows (for the preview) and the file until the
    organizer confirms or cancels. Raises ImportFileError, naming the limit or the problem, and keeps nothing."""
    from .importing import read_rows

    rows = read_rows(data, name)
    with transaction.atomic():
        batch = ParticipantImport(program=program, uploaded_by=user, original_name=name[:255], rows=rows)
        batch.file.save(name, ContentFile(data), save=False)
        batch.save()
        return batch


def import_set_mapping(*, batch: ParticipantImport, mapping: dict[int, str]) -> ParticipantImport:
    with transaction.atomic():
        batch.mapping = {str(index): field for index, field in mapping.items()}
        batch.save(update_fields=["mapping"])
        return batch


IMPORT_PREVIEW_HOURS = 24  # an import neither confirmed nor cancelled is deleted after this (the purge task)


def _import_locked(batch: ParticipantImport) -> ParticipantImport:
    """The batch as stored now, its row locked until the transaction ends: a confirm and a cancel of one import
    (or two confirms) run one after the other, and the second sees what the first did."""
    return ParticipantImport.objects.select_for_update(of=("self",)).select_related("program").get(pk=batch.pk)


def _import_close(batch: ParticipantImport, status: str, summary: dict | None = None) -> None:
    """Finish the batch; its kept rows go now and its file once the transaction is committed (a rolled back
    confirm keeps both, so the preview can still be confirmed or cancelled)."""
    name = batch.file.name
    batch.status = status
    batch.summary = summary or {}
    batch.finished_at = timezone.now()
    batch.rows = None
    batch.file = ""
    batch.save(update_fields=["status", "summary", "finished_at", "rows", "file"])
    if name:
        storage = batch.file.storage
        transaction.on_commit(lambda: storage.delete(name))


def import_confirm(*, batch: ParticipantImport, user) -> dict[str, int]:
    """Write the accepted rows of the batch, as ``user`` may import them, and close the batch, in one
    transaction. A second confirmation (a double click, a parallel request) or a confirmation of a cancelled
    import writes nothing and raises ValidationError saying why."""
    from .importing import ImportFileError, import_commit
    from .importing.results import import_summary

    with transaction.atomic():
        batch = _import_locked(batch)
        if batch.status == ParticipantImport.Status.COMMITTED:
            raise ValidationError(_("This import was already confirmed; nothing was imported a second time."))
        if batch.status == ParticipantImport.Status.CANCELLED:
            raise ValidationError(_("This import was cancelled, so nothing was imported. Upload the file again."))
        try:
            plan = import_plan(batch, user=user)
            counts = import_commit(program=batch.program, plan=plan)
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        # Kept: the counts, who confirmed, and the refused rows as the file had them (to send back to the agency).
        _import_close(batch, ParticipantImport.Status.COMMITTED,
                      {**counts, **import_summary(plan, kept_rows=batch.rows, user=user)})  # fmt: skip
        return counts


def import_cancel(*, batch: ParticipantImport) -> ParticipantImport:
    """Drop the upload: nothing is imported, the kept rows and the file are deleted. Refused with a
    ValidationError once the import was confirmed (also when the confirmation was still running)."""
    with transaction.atomic():
        batch = _import_locked(batch)
        if batch.status == ParticipantImport.Status.COMMITTED:
            raise ValidationError(
                _("This import was already confirmed, so it can no longer be cancelled; its rows are in the list.")
            )
        if batch.status == ParticipantImport.Status.PREVIEW:
            _import_close(batch, ParticipantImport.Status.CANCELLED)
        return batch


def import_previews_purge(*, older_than_hours: int = IMPORT_PREVIEW_HOURS) -> int:
    """Delete the imports left in preview for longer than ``older_than_hours``, with their kept rows and files
    (names, NIPs, phones and health notes of people who may never be imported); one being confirmed right now
    is left alone. Files that finished imports still hold (those finished before files were deleted at the end)
    go too. Returns how many previews were deleted."""
    cutoff = timezone.now() - dt.timedelta(hours=older_than_hours)
    with transaction.atomic():
        stale = list(
            ParticipantImport.objects.select_for_update(skip_locked=True).filter(
                status=ParticipantImport.Status.PREVIEW, created_at__lt=cutoff
            )
        )
        ParticipantImport.objects.filter(pk__in=[batch.pk for batch in stale]).delete()
        finished = ParticipantImport.objects.exclude(status=ParticipantImport.Status.PREVIEW).exclude(file="")
        names = [batch.file.name for batch in stale if batch.file] + list(finished.values_list("file", flat=True))
        finished.update(file="", rows=None)
        storage = ParticipantImport._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    from .importing.results import refused_rows_purge

    refused_rows_purge()  # the refused rows kept for the agency go after REFUSED_ROWS_DAYS
    return len(stale)


# --- One participant at a time ------------------------------------------------------------------------------

# What the "new person" form sends, in the order of an import row's columns: each value is checked as the import
# checks that cell (one place for each rule: ``importing``), and the name may carry the titles.
NEW_PERSON_KEYS = (
    "name", "nip", "nik", "participant_type", "sex", "golongan", "eselon", "position_title", "unit_name", "phone",
    "email", "retreat_role",
)  # fmt: skip


class AlreadyInRegistry(ValidationError):
    """The new person's NIP, NIK (or, without them, name and work unit) is someone the user can already see in
    the registry: ``participant``, to be enrolled from the search rather than created twice."""

    def __init__(self, participant: Participant, *, enrolled: bool):
        if enrolled:
            message = _("%(name)s is already in the registry and enrolled in this program.")
        else:
            message = _("%(name)s is already in the registry: enroll them from the search instead.")
        super().__init__(message % {"name": participant.display_name})
        self.participant = participant
        self.enrolled = enrolled


def _replaced_locked(replaces: Enrollment) -> Enrollment:
    """The enrollment being replaced, locked until the transaction ends; refused unless it is still active."""
    replaced = Enrollment.objects.select_for_update(of=("self",)).select_related("participant").get(pk=replaces.pk)
    if replaced.status not in ACTIVE_STATUSES:
        raise ValidationError(
            _("%(name)s is no longer an active participant of this program (%(status)s); nothing was changed.")
            % {"name": replaced.participant.display_name, "status": replaced.get_status_display()}
        )
    return replaced


def _mark_replaced(replaced: Enrollment, replacement: Enrollment) -> None:
    if replaced.program_id != replacement.program_id or replaced.pk == replacement.pk:
        raise ValidationError(_("The replacement must be another participant of this program."))
    replaced.status = EnrollmentStatus.REPLACED
    replaced.replaced_by = replacement
    replaced.version = F("version") + 1  # an edit form open on it is now stale
    replaced.save(update_fields=["status", "replaced_by", "version"])


def _take_the_seat(enrollment: Enrollment, replaced: Enrollment) -> None:
    """A newly enrolled replacement takes the place of the one replaced: protocol order, cohort and group (not
    locked), and their role when the new person's position implies none."""
    from .importing.values import infer_role

    enrollment.order = replaced.order
    enrollment.cohort_id = replaced.cohort_id
    enrollment.group_id = replaced.group_id
    if infer_role(enrollment.participant.position_title) == RetreatRole.OTHER:
        enrollment.role = replaced.role
    enrollment.save(update_fields=["order", "cohort", "group", "role"])


def enrollment_add(*, program, participant: Participant, replaces: Enrollment | None = None) -> Enrollment:
    """Enroll one person of the organizer's registry (the caller found them through ``registry_for``). Refused
    when they are already enrolled, unless they replace ``replaces`` (an active enrollment of the program): then
    their own active enrollment becomes the replacement, or a new one takes the replaced person's place."""
    from .importing.values import infer_role

    if participant.institution_id != program.organizer_id:
        message = _("This person is not in the registry of %(organizer)s.")
        raise ValidationError(message % {"organizer": program.organizer})
    with transaction.atomic():
        replaced = _replaced_locked(replaces) if replaces is not None else None
        existing = Enrollment.objects.filter(program=program, participant=participant).first()
        if existing is not None and (replaced is None or existing.status not in ACTIVE_STATUSES):
            raise ValidationError(
                _("%(name)s is already enrolled in this program (%(status)s).")
                % {"name": participant.display_name, "status": existing.get_status_display()}
            )
        enrollment = existing
        if enrollment is None:
            order = (Enrollment.objects.filter(program=program).aggregate(m=Max("order"))["m"] or 0) + 1
            role = infer_role(participant.position_title)
            enrollment = Enrollment(program=program, participant=participant, order=order, role=role)
            try:
                with transaction.atomic():
                    enrollment.save()
            except IntegrityError:  # enrolled by someone else a moment ago
                raise ValidationError(
                    _("%(name)s was enrolled in this program by someone else a moment ago.")
                    % {"name": participant.display_name}
                ) from None
            if replaced is not None:
                _take_the_seat(enrollment, replaced)
        if replaced is not None:
            _mark_replaced(replaced, enrollment)
        return enrollment


def _new_person_row(values: dict[str, str]) -> list[list]:
    """The form's values as the rows ``read_rows`` gives for a file: a header row (the keys), then one row."""
    return [[1, list(NEW_PERSON_KEYS)], [2, [values.get(key) or None for key in NEW_PERSON_KEYS]]]


def _created_participant(program, values: dict) -> Participant:
    people = Participant.objects.filter(institution_id=program.organizer_id)
    if values.get("nip"):
        return people.get(nip=values["nip"])
    if values.get("nik"):
        return people.get(nik=values["nik"])
    same = people.filter(nip="", name=values["name"], unit_name=values.get("unit_name", ""))
    return same.latest("pk")


def enrollment_add_new(*, program, registry, values: dict[str, str], replaces: Enrollment | None = None) -> Enrollment:
    """Create a person in the organizer's registry from ``values`` (``NEW_PERSON_KEYS``, as typed) and enroll
    them, checked exactly as one row of an import is (``importing.plan_import``, as the user may see the
    registry: ``registry``). Raises ValidationError keyed by those keys, naming nobody the user may not see;
    AlreadyInRegistry when the person is one the user can enroll from the search. With ``replaces`` the new
    person replaces that active enrollment."""
    from .importing import ImportFileError, import_commit, plan_import
    from .importing.planning import REFUSED

    with transaction.atomic():
        replaced = _replaced_locked(replaces) if replaces is not None else None
        plan = plan_import(program=program, rows=_new_person_row(values),
                           mapping=dict(enumerate(NEW_PERSON_KEYS)), registry=registry)  # fmt: skip
        if not plan.rows:
            raise ValidationError({"name": _("The name is empty.")})
        row = plan.rows[0]
        if row.action == REFUSED:
            errors: dict[str, list[str]] = {}
            for key, reason in row.errors:
                errors.setdefault(key if key in NEW_PERSON_KEYS else "name", []).append(reason)
            raise ValidationError(errors)
        if row.participant_id:
            person = registry.get(pk=row.participant_id)
            raise AlreadyInRegistry(person, enrolled=bool(row.enrollment_id))
        try:
            import_commit(program=program, plan=plan)
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        participant = _created_participant(program, row.values)
        enrollment = Enrollment.objects.select_related("participant").get(program=program, participant=participant)
        if replaced is not None:
            _take_the_seat(enrollment, replaced)
            _mark_replaced(replaced, enrollment)
        return enrollment


# --- Rooms ----------------------------------------------------------------------------------------

ROOM_FIELDS = ("building", "number", "capacity", "sex", "notes")


def room_refusal(*, enrollment: Enrollment, room, occupants: int) -> str | None:
    """Why ``enrollment`` may not sleep in ``room`` (holding ``occupants`` others), or None: the one rule of a
    manual placement, for the rooms page and the enrollment form alike."""
    if room.program_id != enrollment.program_id:
        return _("This room belongs to another program.")
    label = room_label(room.building, room.number)
    if occupants >= room.capacity:
        return _("Room %(room)s is full (%(capacity)d beds).") % {"room": label, "capacity": room.capacity}
    sex = enrollment.participant.sex
    if room.sex and sex and room.sex != sex:
        return _("Room %(room)s is for %(sex)s; %(name)s cannot be placed there.") % {
            "room": label, "sex": room.get_sex_display().lower(), "name": enrollment.participant.display_name
        }  # fmt: skip
    return None


def _room_rules(enrollment: Enrollment) -> dict:
    """The enrollment form's room, checked as a manual move is (its occupants other than this person)."""
    if not enrollment.room_id:
        return {}
    room = enrollment.room
    others = Enrollment.objects.filter(room=room, status__in=ACTIVE_STATUSES).exclude(pk=enrollment.pk).count()
    refusal = room_refusal(enrollment=enrollment, room=room, occupants=others)
    return {"room": refusal} if refusal else {}


def _room_write(room, data: dict):
    existed = room.pk is not None
    for name in ROOM_FIELDS:
        if name in data:
            setattr(room, name, data[name])
    room.full_clean()
    occupants = room.enrollments.filter(status__in=ACTIVE_STATUSES) if existed else Enrollment.objects.none()
    if existed and occupants.count() > room.capacity:
        raise ValidationError(
            {"capacity": _("%(count)d people sleep in this room: move some out before lowering its beds.")
             % {"count": occupants.count()}}
        )  # fmt: skip
    if room.sex and occupants.exclude(participant__sex=room.sex).exclude(participant__sex="").exists():
        raise ValidationError({"sex": _("Someone of the other sex sleeps in this room: move them out first.")})
    room.save()
    if existed:  # a rename changes the room on every occupant's open edit form
        room.enrollments.update(version=F("version") + 1)
    return room


def room_create(*, program, data: dict):
    with transaction.atomic():
        return _room_write(Room(program=program), data)


def room_update(*, room, data: dict):
    with transaction.atomic():
        return _room_write(room, data)


def room_delete(*, room) -> None:
    """Delete an empty room; one somebody sleeps in is refused (withdrawn people only are let go)."""
    with transaction.atomic():
        if room.enrollments.filter(status__in=ACTIVE_STATUSES).exists():
            raise ValidationError(_("People sleep in this room: move them out before deleting it."))
        room.enrollments.update(room=None, room_locked=False, version=F("version") + 1)
        room.delete()


def rooms_assign(*, program) -> dict[int, str]:
    """Place the program's active participants in its rooms (participants.rooms), keeping locked ones.
    Returns who could not be placed (enrollment id -> NO_SEX, NO_ROOM or NO_BED); they are left without a
    room."""
    from .rooms import Bed, Sleeper, assign_rooms

    with transaction.atomic():
        rooms = list(Room.objects.select_for_update().filter(program=program).order_by("building", "number"))
        enrollments = list(
            Enrollment.objects.select_for_update(of=("self",))
            .filter(program=program, status__in=ACTIVE_STATUSES)
            .select_related("participant")
            .order_by("pk")
        )
        beds = [Bed(key=r.pk, sex=r.sex, capacity=r.capacity, order=n) for n, r in enumerate(rooms)]
        sleepers = [
            Sleeper(key=e.pk, sex=e.participant.sex, unit=e.participant.unit_name,
                    locked_room=e.room_id if e.room_locked else None)
            for e in enrollments
        ]  # fmt: skip
        placement = assign_rooms(beds, sleepers)
        moved = []
        for enrollment in enrollments:
            room_id = placement.assignment.get(enrollment.pk)
            if enrollment.room_id != room_id:
                moved.append(enrollment.pk)
            enrollment.room_id = room_id
            enrollment.room_locked = enrollment.room_locked and room_id is not None
        Enrollment.objects.bulk_update(enrollments, ["room", "room_locked"])
        Enrollment.objects.filter(pk__in=moved).update(version=F("version") + 1)  # an open edit form is stale
        return placement.unplaced


def enrollment_room_move(*, enrollment: Enrollment, room, lock: bool = True) -> Enrollment:
    """The organizer's manual move (``room`` None takes the person out); locked so that assigning again
    keeps it. Refused over capacity or into a room of the other sex."""
    with transaction.atomic():
        if room is not None:
            room = Room.objects.select_for_update().get(pk=room.pk)
            others = room.enrollments.filter(status__in=ACTIVE_STATUSES).exclude(pk=enrollment.pk).count()
            if refusal := room_refusal(enrollment=enrollment, room=room, occupants=others):
                raise ValidationError(refusal)
        enrollment.room = room
        enrollment.room_locked = lock and room is not None
        enrollment.version = F("version") + 1  # an edit form open on this enrollment is now stale
        enrollment.save(update_fields=["room", "room_locked", "version"])
        enrollment.refresh_from_db(fields=["version"])
        return enrollment


def enrollment_room_lock(*, enrollment: Enrollment, locked: bool) -> Enrollment:
    """Lock a placement (assigning again keeps it) or unlock it; a person without a room is not locked."""
    with transaction.atomic():
        enrollment.room_locked = locked and enrollment.room_id is not None
        enrollment.save(update_fields=["room_locked"])
        return enrollment
