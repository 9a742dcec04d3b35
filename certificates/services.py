"""Writes of certificates: numbers assigned once, in protocol order, in one transaction with the sequence
row locked (gap-free and unique: the database's constraints say so too); revoking, with a reason, keeps
the number; a re-issue after a correction keeps the number and raises the revision."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from evaluations.selectors.completion import complete_enrollments
from retreat.services import written_reason
from retreat.versions import version_bump

from .enums import CertificateStatus, NumberingScope
from .models import Certificate, CertificateSettings, NumberSequence
from .numbering import number_format, pattern_check
from .selectors import certificate_version_key, program_jp, settings_for


def certificate_changed(enrollment_id: int) -> None:
    """The participant's personal page shows their certificate: a new version shows the change at once."""
    transaction.on_commit(lambda: version_bump(certificate_version_key(enrollment_id)))


def numbering_update(*, institution, number_pattern: str, scope: str, user) -> CertificateSettings:
    pattern_check(number_pattern, per_program=scope == NumberingScope.PROGRAM)
    with transaction.atomic():
        found = CertificateSettings.objects.select_for_update().filter(institution=institution).first()
        found = found or CertificateSettings(institution=institution)
        found.number_pattern, found.scope = number_pattern.strip(), scope
        found.full_clean()
        found._history_user = user
        found.save()
    return found


def _sequence(institution, *, year: int | None, program) -> NumberSequence:
    """The sequence row, created the first time (two first issues at once: one creates, both then lock it)."""
    keys = {"institution": institution, "year": None, "program": program} if program else {
        "institution": institution, "year": year, "program": None}  # fmt: skip
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(**keys)
    except IntegrityError:
        pass
    return NumberSequence.objects.select_for_update().get(**keys)


def certificate_snapshot(enrollment, program, jp: int) -> dict:
    participant = enrollment.participant
    return {
        "holder_name": participant.display_name,
        "nip": participant.nip,
        "program_name": program.name,
        "start_date": program.start_date,
        "end_date": program.end_date,
        "place": program.venue_name,
        "jp": jp,
    }


def certificates_number(*, program, enrollments=None, user=None, now: dt.datetime | None = None) -> list[Certificate]:
    """Give a number to every complete participant (or those of ``enrollments`` who are complete) who has
    none yet, in protocol order, all in one transaction. Numbers come from the organizing institution's
    sequence (per year of issue, or per program as it chose); running it again numbers nobody twice."""
    now = now or timezone.now()
    # The year of issue by the institution's clock: its yearly sequence is its own.
    local = timezone.localtime(now, ZoneInfo(program.organizer.timezone))
    complete = complete_enrollments(program, now=now)
    if enrollments is not None:
        wanted = {getattr(e, "pk", e) for e in enrollments}  # enrollments or their ids
        complete = [e for e in complete if e.pk in wanted]
    institution = program.organizer
    numbering = settings_for(institution)
    jp = program_jp(program)
    with transaction.atomic():
        sequence = _sequence(institution, year=local.year,
                             program=program if numbering.scope == NumberingScope.PROGRAM else None)  # fmt: skip
        have = set(Certificate.objects.filter(enrollment__in=complete).values_list("enrollment_id", flat=True))
        created = []
        for enrollment in complete:
            if enrollment.pk in have:
                continue
            sequence.last += 1
            number = number_format(numbering.number_pattern, seq=sequence.last, year=local.year, month=local.month,
                                   program=program.pk)  # fmt: skip
            created.append(Certificate(enrollment=enrollment, institution=institution, sequence=sequence,
                                       seq=sequence.last, number=number, issued_at=now, issued_by=user,
                                       **certificate_snapshot(enrollment, program, jp)))  # fmt: skip
        if created:
            try:
                with transaction.atomic():
                    bulk_create_with_history(created, Certificate, default_user=user)
            except IntegrityError:  # the pattern gives a number already given (it was changed meanwhile)
                raise ValidationError(
                    _(
                        "The numbering pattern gives numbers that were already given: change the "
                        "pattern (for instance add {year} or {program}) and number again."
                    )
                ) from None
            sequence.save(update_fields=["last"])
    return created


def certificate_revoke(*, certificate, reason: str, user, now=None) -> Certificate:
    """Mark the certificate revoked, with the reason; it keeps its number (never given again)."""
    reason = written_reason(reason)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status == CertificateStatus.REVOKED:
            raise ValidationError(_("This certificate is already revoked."))
        certificate.status, certificate.revoked_reason = CertificateStatus.REVOKED, reason
        certificate.revoked_at = now or timezone.now()
        certificate._history_user, certificate._change_reason = user, reason[:100]
        certificate.save()
        certificate_changed(certificate.enrollment_id)
    return certificate


def certificate_reissue(*, certificate, reason: str, user) -> Certificate:
    """After a correction (a name, a NIP, the program's dates): the same number and code, the next
    revision, what it certifies read again; its file is made again when certificates are next issued. A
    revoked certificate becomes valid again only for a participant who completed the program."""
    reason = written_reason(reason)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().select_related(
            "enrollment__participant", "enrollment__program").get(pk=certificate.pk)  # fmt: skip
        program = certificate.enrollment.program
        if certificate.status == CertificateStatus.REVOKED and certificate.enrollment_id not in {
                e.pk for e in complete_enrollments(program)}:  # fmt: skip
            raise ValidationError(_("A revoked certificate is issued again only to a participant who completed "
                                    "the program."))  # fmt: skip
        for field, value in certificate_snapshot(certificate.enrollment, program, program_jp(program)).items():
            setattr(certificate, field, value)
        certificate.revision += 1
        certificate.status, certificate.revoked_reason, certificate.revoked_at = CertificateStatus.VALID, "", None
        certificate._history_user, certificate._change_reason = user, reason[:100]
        certificate.save()
        certificate_changed(certificate.enrollment_id)
    return certificate


# How each uploaded image is kept: the background for print at 120 dpi on A4 landscape (about 80 KB as
# JPEG, in every certificate file), the emblem and signatures small, their transparency kept.
DESIGN_IMAGES = {
    "background": {"longest": 1400, "quality": 72, "max_bytes": 10 * 1024 * 1024},
    "emblem": {"longest": 600, "keep_alpha": True},
    "signature": {"longest": 500, "keep_alpha": True},
    "second_signature": {"longest": 500, "keep_alpha": True},
}


def certificate_design_update(*, program, data: dict, user):
    """Save what the program's certificates say beyond the participant. An uploaded image (a file in
    ``data``) is checked and resized for print first; ``False`` removes one. Nothing is saved, and no file
    written, if anything is refused."""
    from evaluations.uploads import image_prepare

    from .models import CertificateDesign
    from .texts import body_check

    images, texts = {}, {}
    for field, value in data.items():
        if field not in DESIGN_IMAGES:
            texts[field] = value
        elif value is False:
            images[field] = None
        elif value and not isinstance(value, FieldFile):  # a new upload (the stored file is a FieldFile)
            try:
                images[field] = image_prepare(value, **DESIGN_IMAGES[field])
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from None
    if "body" in texts:
        try:
            body_check(texts["body"])
        except ValidationError as error:
            raise ValidationError({"body": error.messages}) from None
    replaced = []
    with transaction.atomic():
        design = CertificateDesign.objects.select_for_update().filter(program=program).first()
        design = design or CertificateDesign(program=program)
        for field, value in texts.items():
            setattr(design, field, value)
        design.full_clean(exclude=list(DESIGN_IMAGES))
        for field, prepared in images.items():
            old = getattr(design, field)
            if old:
                replaced.append(old.name)
            if prepared is None:
                setattr(design, field, "")
            else:
                getattr(design, field).save(prepared.name, prepared, save=False)
        design._history_user = user
        design.save()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in replaced])
    return design
