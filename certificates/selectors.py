"""Reads of certificates."""

from django.db.models import F

from participants.enums import ACTIVE_STATUSES
from participants.selectors import enrollments_for_program
from sessions.models import Session
from sessions.selectors import jp_total

from .enums import CertificateStatus
from .models import Certificate, CertificateSettings


def settings_for(institution) -> CertificateSettings:
    """The institution's numbering; the default (unsaved) until one of its managers saves it."""
    return CertificateSettings.objects.filter(institution=institution).first() or CertificateSettings(
        institution=institution
    )


def program_jp(program) -> int:
    """The program's learning hours, as the agenda counts them."""
    return jp_total(Session.objects.filter(program=program))


def certificates_for_program(program) -> list:
    """Every active participant in protocol order, each with ``certificate`` (or None)."""
    enrollments = list(enrollments_for_program(program))
    found = {c.enrollment_id: c for c in Certificate.objects.filter(enrollment__program=program)}
    for enrollment in enrollments:
        enrollment.issued = found.get(enrollment.pk)
    return enrollments


def certificates_of_the_withdrawn(program) -> list[Certificate]:
    """Certificates of people who withdrew or were replaced after being numbered."""
    found = Certificate.objects.filter(enrollment__program=program).exclude(enrollment__status__in=ACTIVE_STATUSES)
    return list(found.select_related("enrollment").order_by("seq"))


def certificate_for_code(code: str) -> Certificate | None:
    """The certificate a verification code names, or None."""
    if not code or len(code) > 32:
        return None
    return Certificate.objects.select_related("institution").filter(code=code).first()


def _plain(name: str) -> str:
    return " ".join((name or "").replace(".", ". ").split()).casefold()


def bare_name(holder_name: str) -> str:
    """The name without its titles: "Dr. H. Ahmad Fauzi, M.Si." → "ahmad fauzi"."""
    words = _plain(holder_name.split(",")[0]).split()
    while len(words) > 1 and words[0].endswith("."):
        words.pop(0)
    return " ".join(words)


def certificate_for_number(number: str, name: str) -> Certificate | None:
    """A certificate found by its number and the holder's whole name, with or without titles (case and
    spaces forgiven; part of a name finds nothing)."""
    number, typed = " ".join((number or "").split()), _plain(name)
    if not number or not typed:
        return None
    for certificate in Certificate.objects.select_related("institution").filter(number__iexact=number)[:5]:
        if typed in (_plain(certificate.holder_name), bare_name(certificate.holder_name)):
            return certificate
    return None


def certificate_for_enrollment(enrollment) -> Certificate | None:
    """The participant's valid certificate whose file shows its latest revision, or None."""
    return certificates_for_enrollments([enrollment]).get(enrollment.pk)


def certificates_for_enrollments(enrollments) -> dict[int, Certificate]:
    """``certificate_for_enrollment`` of each of ``enrollments`` that has one, by enrollment pk, in one query."""
    found = Certificate.objects.filter(
        enrollment__in=[e.pk for e in enrollments], status=CertificateStatus.VALID, file_revision=F("revision")
    )
    certificates = {}
    for certificate in found.exclude(file="").order_by("pk"):
        certificates.setdefault(certificate.enrollment_id, certificate)
    return certificates


def certificate_version_key(enrollment_id: int) -> str:
    """The key of the version that changes whenever the participant's certificate does (made, revoked, re-issued): part
    of the cache key of their personal page, read without a database query."""
    return f"certificate-version:e{enrollment_id}"
