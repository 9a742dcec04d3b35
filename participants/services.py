import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from retreat.identity import normalize_phone
from retreat.services import model_update
from retreat.tokens import new_access_token

from .enums import EnrollmentStatus
from .grouping import Grouping, Member, form_groups
from .models import DiscussionGroup, Enrollment, Participant, ParticipantImport
from .selectors import ACTIVE_STATUSES, import_plan
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
        errors = _enrollment_rules(enrollment)
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

    with transaction.atomic():
        batch = _import_locked(batch)
        if batch.status == ParticipantImport.Status.COMMITTED:
            raise ValidationError(_("This import was already confirmed; nothing was imported a second time."))
        if batch.status == ParticipantImport.Status.CANCELLED:
            raise ValidationError(_("This import was cancelled, so nothing was imported. Upload the file again."))
        try:
            counts = import_commit(program=batch.program, plan=import_plan(batch, user=user))
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        _import_close(batch, ParticipantImport.Status.COMMITTED, counts)
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
    return len(stale)
