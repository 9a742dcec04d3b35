"""The public verification page of a certificate and the search by number and name."""

import pytest
from django.urls import reverse

from certificates import services
from evaluations.services.completion import completion_override_set
from participants.tests.factories import EnrollmentFactory


@pytest.fixture
def certificate(program, organizer):
    enrollment = EnrollmentFactory(
        program=program,
        participant__nip="197505152000031002",
        participant__phone="081234567890",
        participant__email="rahma@example.go.id",
    )
    completion_override_set(enrollment=enrollment, complete=True, reason="Lulus (uji)", user=organizer)
    return services.certificates_number(program=program, user=organizer)[0]


def test_valid_certificate_shows_what_it_certifies_with_the_nip_masked(client, certificate, program):
    page = client.get(reverse("portal:verify", args=[certificate.code])).content.decode()
    assert 'data-status="valid"' in page
    assert certificate.holder_name in page
    assert "1975**********1002" in page
    assert "197505152000031002" not in page
    for hidden in ("081234567890", "rahma@example.go.id"):
        assert hidden not in page
    assert certificate.number in page
    assert program.name in page
    assert program.organizer.name in page


def test_revoked_certificate_says_revoked_and_unknown_code_is_404(client, certificate, organizer):
    services.certificate_revoke(certificate=certificate, reason="Data tidak benar", user=organizer)
    page = client.get(reverse("portal:verify", args=[certificate.code])).content.decode()
    assert 'data-status="revoked"' in page
    assert "Data tidak benar" not in page  # the reason is the issuer's, not the public's
    assert client.get(reverse("portal:verify", args=["x" * 24])).status_code == 404
    assert client.get(reverse("portal:verify", args=[certificate.number.replace("/", "-")])).status_code == 404


def test_search_by_number_and_name_finds_it(client, certificate):
    url = reverse("portal:verify_lookup")
    from certificates.selectors import bare_name

    partial = client.post(url, {"number": certificate.number, "name": bare_name(certificate.holder_name)[:-1]})
    assert partial.status_code == 200  # part of a name finds nothing: no guessing holders from numbers
    found = client.post(url, {"number": f"  {certificate.number} ", "name": bare_name(certificate.holder_name).upper()})
    assert found.status_code == 302
    assert found.url == reverse("portal:verify", args=[certificate.code])
    missed = client.post(url, {"number": certificate.number, "name": "Nama Lain"})
    assert "Tidak ada sertifikat dengan nomor dan nama ini." in missed.content.decode()


def test_search_is_limited_per_address(client, certificate):
    import secrets

    address = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"  # its own: no count left from other runs
    url = reverse("portal:verify_lookup")
    answers = [
        client.post(url, {"number": "800.2.4/9999/BKPSDM/2025", "name": "Coba"}, REMOTE_ADDR=address).status_code
        for _ in range(11)
    ]
    assert answers[:10] == [200] * 10
    assert answers[10] == 429
    right = client.post(url, {"number": certificate.number, "name": certificate.holder_name}, REMOTE_ADDR=address)
    assert right.status_code == 429  # even the right answer waits: no guessing at speed
