"""The participant model applies the identity rules of retreat/identity.py."""

import pytest
from django.core.exceptions import ValidationError

from participants.enums import ParticipantType
from participants.tests.factories import ParticipantFactory


def test_participant_model_rules(db):
    pns = ParticipantFactory.build(nip="199001152023212004", participant_type=ParticipantType.PNS, sex="P")
    with pytest.raises(ValidationError) as info:
        pns.full_clean(exclude=["institution"])
    assert "nip" in info.value.message_dict  # a PPPK number on a PNS
    non_asn = ParticipantFactory.build(nip="", participant_type=ParticipantType.NON_ASN, golongan="IV/a")
    with pytest.raises(ValidationError) as info:
        non_asn.full_clean(exclude=["institution"])
    assert "golongan" in info.value.message_dict


def test_unit_line_only_where_the_position_does_not_say_it():
    from participants.models import Participant

    def line(position, unit):
        return Participant(position_title=position, unit_name=unit).unit_line

    assert line("Asisten Pemerintahan Sekretariat Daerah", "Sekretariat Daerah (Asisten Pemerintahan)") == ""
    assert line("Kepala Dinas Kesehatan", "Dinas Kesehatan") == ""
    assert line("Camat", "Kecamatan Klojen") == "Kecamatan Klojen"
    staf_ahli = "Staf Ahli Wali Kota Bidang Hukum, Politik dan Pemerintahan"
    assert (
        line(staf_ahli, "Sekretariat Daerah (Staf Ahli Bidang Hukum, Politik dan Pemerintahan)") == "Sekretariat Daerah"
    )
    assert line("Kepala Bagian", "Sekretariat Daerah (Bagian Hukum)") == "Sekretariat Daerah (Bagian Hukum)"
    assert line("Kepala Bidang", "") == ""
