"""A non-ASN person listed without NIP, NIK or a sex column is imported with the sex unknown and shown as "to
complete" (preview warning, badge on the participant list); an ASN row still takes its sex from the NIP."""

import pytest
from django.urls import reverse

from participants.enums import Sex
from participants.models import Participant, ParticipantImport
from participants.tests.factories import valid_nip
from participants.tests.uploads import post_upload

NIP = valid_nip(41, Sex.FEMALE)
CSV = (
    "Nama;NIP;Jabatan;Unit Kerja\r\n"
    "Yoga Agung Sasongko;-;Direktur Utama;Perumda Air Minum Tugu Tirta\r\n"
    f"Sri Wahyuni;{NIP};Lurah Oro-oro Dowo;Kelurahan Oro-oro Dowo\r\n"
).encode()


pytestmark = pytest.mark.usefixtures("english")


def test_row_without_sex_is_previewed_with_a_warning_created_and_badged(
    organizer_client, program, django_capture_on_commit_callbacks
):
    response = post_upload(organizer_client, program, CSV)
    assert response.status_code == 302
    preview = organizer_client.get(response.url).content.decode()
    assert preview.count('class="text-warning-emphasis import-warning"') == 1
    assert "Sex unknown: complete it on the participant&#x27;s page." in preview

    batch = ParticipantImport.objects.latest("created_at")
    confirm = reverse("participants:import_confirm", kwargs={"program_pk": program.pk, "import_pk": batch.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert organizer_client.post(confirm).status_code == 302
    assert Participant.objects.get(name="Yoga Agung Sasongko").sex == ""
    assert Participant.objects.get(nip=NIP).sex == Sex.FEMALE  # the ASN row is unaffected

    listing = organizer_client.get(reverse("participants:enrollment_list", kwargs={"program_pk": program.pk}))
    page = listing.content.decode()
    assert page.count("badge-to-complete") == 1
    yoga = page.index("Yoga Agung Sasongko")
    assert "badge-to-complete" in page[yoga : page.index("</td>", yoga)]  # on Yoga's row, not Sri's
