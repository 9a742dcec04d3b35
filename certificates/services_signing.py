"""Writes of an institution's electronic signature: its PKCS#12 file (checked with the typed password, which
is not kept), replaced or removed with the old file deleted from storage, and signing switched on or off."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CertificateSettings
from .signing import signing_file_check


def _locked_settings(institution) -> CertificateSettings:
    found = CertificateSettings.objects.select_for_update().filter(institution=institution).first()
    return found or CertificateSettings(institution=institution)


def _delete_after_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def signing_file_save(*, institution, upload, password: str, user) -> CertificateSettings:
    """Keep the institution's PKCS#12 file (a new one replaces the old, which is deleted) with the signer's
    name and the certificate's end of validity read from it. The password only opens the file here: it is
    not stored. A file that can't sign raises ValidationError and changes nothing."""
    found = signing_file_check(upload, password)
    with transaction.atomic():
        row = _locked_settings(institution)
        old_storage, old_name = row.signing_file.storage, row.signing_file.name
        row.signing_file.save("signing.p12", upload, save=False)  # the name is random (``signing_upload_to``)
        new_name = row.signing_file.name
        try:  # a failed write leaves no file behind
            row.signing_subject = found["subject"][:300]
            row.signing_valid_until = found["valid_until"]
            row._history_user = user
            row.save()
        except Exception:
            row.signing_file.storage.delete(new_name)
            raise
        _delete_after_commit(old_storage, old_name)
    return row


def signing_file_remove(*, institution, user) -> CertificateSettings:
    """Remove the institution's PKCS#12 file (deleted from storage) and switch signing off."""
    with transaction.atomic():
        row = _locked_settings(institution)
        if row.pk is None:
            return row
        storage, name = row.signing_file.storage, row.signing_file.name
        row.signing_file = ""
        row.signing_subject, row.signing_valid_until, row.signing_enabled = "", None, False
        row._history_user = user
        row.save()
        _delete_after_commit(storage, name)
    return row


def signing_switch(*, institution, enabled: bool, user) -> CertificateSettings:
    """Switch electronic signing on (only with a signing file whose certificate is still valid) or off."""
    with transaction.atomic():
        row = _locked_settings(institution)
        if enabled:
            if not row.signing_file or not row.signing_file.storage.exists(row.signing_file.name):
                raise ValidationError(_("Upload the signing file (.p12 or .pfx) before switching signing on."))
            if row.signing_valid_until and row.signing_valid_until < timezone.now():
                raise ValidationError(
                    _("The signing certificate of %(signer)s has expired: upload a valid one first.")
                    % {"signer": row.signing_subject}
                )
        if row.signing_enabled == enabled and row.pk is not None:
            return row
        row.signing_enabled = enabled
        row._history_user = user
        row.save()
    return row
