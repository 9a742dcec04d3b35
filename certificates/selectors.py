"""Reads of certificates."""

import uuid

from django.core.cache import cache

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


def certificate_for_code(code: str) -> Certificate | None:
    """The certificate a verification code names, or None."""
    if not code or len(code) > 32:
        return None
    return Certificate.objects.select_related("institution").filter(code=code).first()


def certificate_for_number(number: str, name: str) -> Certificate | None:
    """A certificate found by its number and the holder's name (both typed: case and spaces forgiven)."""
    number, name = " ".join((number or "").split()), " ".join((name or "").split()).casefold()
    if not number or len(name) < 3:
        return None
    for certificate in Certificate.objects.select_related("institution").filter(number__iexact=number)[:5]:
        if name in certificate.holder_name.casefold():
            return certificate
    return None


def certificate_for_enrollment(enrollment) -> Certificate | None:
    """The participant's valid certificate whose file is made, or None."""
    return Certificate.objects.filter(enrollment=enrollment, status=CertificateStatus.VALID).exclude(file="").first()


def certificate_version(enrollment_id: int) -> str:
    """Changes whenever the participant's certificate does (made, revoked, re-issued): part of the cache key
    of their personal page, read without a database query."""
    key = f"certificate-version:e{enrollment_id}"
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(key, version, timeout=None)
    return version
