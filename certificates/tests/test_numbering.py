"""Certificate numbers: the institution's pattern, gap-free and unique, given once, in protocol order, to
complete participants only; revoking and re-issuing keep the number."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from certificates import services
from certificates.enums import CertificateStatus, NumberingScope
from certificates.models import Certificate
from certificates.numbering import number_format, pattern_check
from evaluations.services.completion import completion_override_set
from participants.tests.factories import EnrollmentFactory
from retreat.tests.factories import ProgramFactory

MAY_2025 = dt.datetime(2025, 5, 20, 10, 0, tzinfo=dt.UTC)


def test_number_format_pads_the_sequence_and_writes_the_month_in_roman():
    assert number_format("800.2.4/{seq:04}/BKPSDM/{year}", seq=123, year=2025, month=5) == "800.2.4/0123/BKPSDM/2025"
    assert number_format("{seq}/BKPSDM/{month}/{year}", seq=7, year=2025, month=11) == "7/BKPSDM/XI/2025"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("800.2.4/BKPSDM/{year}", "{seq}"),
        ("{seq}/{seq}", "{seq}"),
        ("{seq}/{program.organizer}", "brace"),
        ("{seq}/{unit}/{year}", "Unknown placeholder"),
        ("{seq.__class__}", "brace"),
        ("{seq}/{year", "brace"),
        ("{seq:04}/{year}/" + "X" * 80, "longer than 80"),
        ("800.2.4/{seq:04}/BKPSDM", "{year}"),  # next year's numbers would repeat this year's
        ("800/{program}{seq}/{year}", "separator"),  # program 1 seq 12 and program 11 seq 2 would both read 112
    ],
)
def test_a_pattern_that_cannot_number_says_why(pattern, message):
    with translation.override("en"), pytest.raises(ValidationError, match=message.replace(".", r"\.")):
        pattern_check(pattern)


def _complete(program, organizer, count):
    enrollments = EnrollmentFactory.create_batch(count, program=program)
    for enrollment in enrollments:
        completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (uji)", user=organizer)
    return enrollments


def test_only_complete_participants_numbered_in_protocol_order_once(program, organizer):
    complete = _complete(program, organizer, 3)
    refused = EnrollmentFactory(program=program)
    completion_override_set(enrollment=refused, complete=False, reason="Tidak hadir", user=organizer)
    for order, enrollment in zip([3, 1, 2], complete, strict=True):
        enrollment.order = order
        enrollment.save()
    created = services.certificates_number(program=program, user=organizer, now=MAY_2025)
    assert [c.enrollment for c in created] == [complete[1], complete[2], complete[0]]
    assert [c.number for c in created] == [f"800.2.4/{n:04}/BKPSDM/2025" for n in (1, 2, 3)]
    assert services.certificates_number(program=program, user=organizer, now=MAY_2025) == []
    assert Certificate.objects.count() == 3


def test_the_year_sequence_runs_across_programs_and_restarts_with_the_year(institution, program, organizer):
    _complete(program, organizer, 2)
    services.certificates_number(program=program, user=organizer, now=MAY_2025)
    second = ProgramFactory(organizer=institution)
    _complete(second, organizer, 2)
    numbers = [c.number for c in services.certificates_number(program=second, user=organizer, now=MAY_2025)]
    assert numbers == ["800.2.4/0003/BKPSDM/2025", "800.2.4/0004/BKPSDM/2025"]
    third = ProgramFactory(organizer=institution)
    _complete(third, organizer, 1)
    january = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
    assert [c.number for c in services.certificates_number(program=third, user=organizer, now=january)] == [
        "800.2.4/0001/BKPSDM/2026"
    ]


def test_a_sequence_per_program_when_the_institution_chooses_it(institution, program, organizer):
    with pytest.raises(ValidationError, match="program"):  # the same numbers in two programs otherwise
        services.numbering_update(institution=institution, number_pattern="{seq:03}/DIKLAT/{month}/{year}",
                                  scope=NumberingScope.PROGRAM, user=organizer)  # fmt: skip
    services.numbering_update(institution=institution, number_pattern="{seq:03}/DIKLAT-{program}/{month}/{year}",
                              scope=NumberingScope.PROGRAM, user=organizer)  # fmt: skip
    second = ProgramFactory(organizer=institution)
    for each in (program, second):
        _complete(each, organizer, 2)
        numbers = [c.number for c in services.certificates_number(program=each, user=organizer, now=MAY_2025)]
        assert numbers == [f"001/DIKLAT-{each.pk}/V/2025", f"002/DIKLAT-{each.pk}/V/2025"]


def test_revoking_keeps_the_number_and_needs_a_reason(program, organizer):
    _complete(program, organizer, 2)
    first, second = services.certificates_number(program=program, user=organizer, now=MAY_2025)
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=first, reason=" ", user=organizer)
    services.certificate_revoke(certificate=first, reason="Data peserta keliru", user=organizer)
    first.refresh_from_db()
    assert (first.status, first.number, first.revoked_reason) == (
        CertificateStatus.REVOKED,
        second.number[:8] + "0001/BKPSDM/2025",
        "Data peserta keliru",
    )
    late = _complete(program, organizer, 1)[0]
    (third,) = services.certificates_number(program=program, user=organizer, now=MAY_2025)
    assert third.enrollment == late
    assert third.seq == 3  # the revoked number is never given again


def test_a_reissue_after_a_correction_keeps_number_and_code_with_a_revision_mark(program, organizer):
    (enrollment,) = _complete(program, organizer, 1)
    (certificate,) = services.certificates_number(program=program, user=organizer, now=MAY_2025)
    participant = enrollment.participant
    participant.name = "Ahmad Fauzi Rahman"
    participant.save()
    again = services.certificate_reissue(certificate=certificate, reason="Nama dibetulkan", user=organizer)
    assert (again.number, again.code, again.revision) == (certificate.number, certificate.code, 1)
    assert again.number_shown == f"{certificate.number} (Rev. 1)"
    assert "Ahmad Fauzi Rahman" in again.holder_name
    assert again.history.count() == 2  # numbered, then re-issued


@pytest.mark.django_db(transaction=True)
def test_two_organizers_numbering_at_once_never_share_a_number(institution, organizer):
    """Two programs of one institution numbered at the same moment from two connections (PostgreSQL: the
    sequence row is locked, the other waits): one gap-free run of unique numbers."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks between connections)")
    programs = [ProgramFactory(organizer=institution) for _ in range(2)]
    for each in programs:
        _complete(each, organizer, 25)
    barrier, errors = threading.Barrier(2), []

    def number(each):
        try:
            barrier.wait()
            services.certificates_number(program=each, user=organizer, now=MAY_2025)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=number, args=(each,)) for each in programs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(Certificate.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 51))
    assert Certificate.objects.values("number").distinct().count() == 50


def test_organizer_numbers_revokes_and_reissues_from_the_page(organizer_client, program, organizer):
    _complete(program, organizer, 2)
    home = reverse("certificates:home", args=[program.pk])
    assert "2 peserta yang lulus belum memiliki nomor sertifikat." in organizer_client.get(home).content.decode()
    organizer_client.post(reverse("certificates:number", args=[program.pk]))
    certificate = Certificate.objects.order_by("seq").first()
    page = organizer_client.get(home).content.decode()
    assert certificate.number in page
    revoke = reverse("certificates:revoke", args=[program.pk, certificate.pk])
    organizer_client.post(revoke, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.valid  # no reason: nothing changed
    organizer_client.post(revoke, {"reason": "Tidak mengikuti seluruh kegiatan"})
    certificate.refresh_from_db()
    assert not certificate.valid


@pytest.mark.parametrize("count", [1, 20])
def test_certificates_page_queries_do_not_grow(organizer_client, program, organizer, count,
                                               django_assert_max_num_queries):  # fmt: skip
    _complete(program, organizer, count)
    services.certificates_number(program=program, user=organizer, now=timezone.now())
    with django_assert_max_num_queries(30):
        page = organizer_client.get(reverse("certificates:home", args=[program.pk]))
    assert page.content.decode().count("certificate-row") == count


def test_siasn_spreadsheet_has_one_row_per_valid_certificate_and_is_recorded(organizer_client, program, organizer):
    import io

    from openpyxl import load_workbook

    from certificates.exports import COLUMNS
    from retreat.models import ExportRecord

    people = _complete(program, organizer, 2)
    first, second = services.certificates_number(program=program, user=organizer, now=MAY_2025)
    services.certificate_revoke(certificate=second, reason="Data keliru", user=organizer)
    response = organizer_client.get(reverse("certificates:siasn", args=[program.pk]))
    rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0] == COLUMNS
    assert len(rows) == 2  # the revoked certificate is not reported
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["nip"] == first.nip
    assert first.nip in {e.participant.nip for e in people}
    assert (row["nomorSertipikat"], row["jumlahJam"], row["tahunKursus"]) == (first.number, first.jp, 2025)
    assert row["tanggalKursus"] == program.start_date.strftime("%d-%m-%Y")
    assert row["tanggalSertipikat"] == "20-05-2025"
    assert ExportRecord.objects.get().rows == 1


def test_a_pattern_switch_that_would_repeat_numbers_is_a_message_not_a_crash(institution, program, organizer):
    services.numbering_update(institution=institution, number_pattern="800/{seq}/P{program}/{year}",
                              scope=NumberingScope.YEAR, user=organizer)  # fmt: skip
    _complete(program, organizer, 1)
    services.certificates_number(program=program, user=organizer, now=MAY_2025)
    services.numbering_update(institution=institution, number_pattern="800/{seq}/P{program}/{year}",
                              scope=NumberingScope.PROGRAM, user=organizer)  # fmt: skip
    _complete(program, organizer, 1)
    with translation.override("en"), pytest.raises(ValidationError, match="already given"):
        services.certificates_number(program=program, user=organizer, now=MAY_2025)
    assert Certificate.objects.count() == 1


def test_a_revoked_certificate_is_issued_again_only_to_a_complete_participant(program, organizer):
    (enrollment,) = _complete(program, organizer, 1)
    (certificate,) = services.certificates_number(program=program, user=organizer, now=MAY_2025)
    services.certificate_revoke(certificate=certificate, reason="Tidak lulus ternyata", user=organizer)
    completion_override_set(enrollment=enrollment, complete=False, reason="Tidak lulus ternyata", user=organizer)
    with pytest.raises(ValidationError):
        services.certificate_reissue(certificate=certificate, reason="Salah klik", user=organizer)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
