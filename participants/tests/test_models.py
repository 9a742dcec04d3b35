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
