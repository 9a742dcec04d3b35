from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
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


def participant_update(*, participant: Participant, data: dict) -> Participant:
    data = dict(data)
    if "phone" in data:
        try:
            data["phone"] = normalize_phone(data["phone"])
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    with transaction.atomic():
        return model_update(instance=participant, fields=PARTICIPANT_UPDATE_FIELDS, data=data)


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


def enrollment_update(*, enrollment: Enrollment, participant_data: dict, data: dict) -> Enrollment:
    """Edit an enrollment and its participant together; either both are saved or neither."""
    with transaction.atomic():
        participant_update(participant=enrollment.participant, data=participant_data)
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
        for enrollment in enrollments:
            enrollment.group = groups[grouping.assignment[enrollment.pk]]
        Enrollment.objects.bulk_update(enrollments, ["group", "group_locked"])
        DiscussionGroup.objects.filter(program=program, number__gt=group_count).delete()
        return grouping


def enrollment_move(*, enrollment: Enrollment, group: DiscussionGroup | None, lock: bool = True) -> Enrollment:
    """The organizer's manual move; locked so that forming groups again keeps it."""
    if group is not None and group.program_id != enrollment.program_id:
        raise ValidationError(_("This group belongs to another program."))
    with transaction.atomic():
        enrollment.group = group
        enrollment.group_locked = lock and group is not None
        enrollment.save(update_fields=["group", "group_locked"])
        return enrollment


def import_start(*, program, user, name: str, data: bytes) -> ParticipantImport:
    """Keep the uploaded file until the organizer confirms or cancels; the preview is read from it."""
    with transaction.atomic():
        batch = ParticipantImport(program=program, uploaded_by=user, original_name=name[:255])
        batch.file.save(name, ContentFile(data), save=False)
        batch.save()
        return batch


def import_set_mapping(*, batch: ParticipantImport, mapping: dict[int, str]) -> ParticipantImport:
    with transaction.atomic():
        batch.mapping = {str(index): field for index, field in mapping.items()}
        batch.save(update_fields=["mapping"])
        return batch


def import_confirm(*, batch: ParticipantImport) -> dict[str, int]:
    """Write the accepted rows of the batch's file and close the batch, in one transaction. A second
    confirmation (a double click) finds the batch closed and writes nothing."""
    from .importing import import_commit

    with transaction.atomic():
        batch = ParticipantImport.objects.select_for_update(of=("self",)).select_related("program").get(pk=batch.pk)
        if batch.status != ParticipantImport.Status.PREVIEW:
            raise ValidationError(_("This import was already confirmed or cancelled."))
        counts = import_commit(program=batch.program, plan=import_plan(batch))
        batch.status = ParticipantImport.Status.COMMITTED
        batch.summary = counts
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "summary", "finished_at"])
        return counts


def import_cancel(*, batch: ParticipantImport) -> ParticipantImport:
    with transaction.atomic():
        batch.status = ParticipantImport.Status.CANCELLED
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        batch.file.delete(save=False)
        return batch
