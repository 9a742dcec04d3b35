import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from participants.identity import clean_digits, format_nip, mask_number, parse_asn_number

TODAY = dt.date(2026, 11, 23)


def codes(value):
    with pytest.raises(ValidationError) as info:
        parse_asn_number(value, today=TODAY)
    return info.value.code


def test_valid_pns_nip():
    number = parse_asn_number("19680517 199403 1 005", today=TODAY)
    assert number.kind == "pns"
    assert number.birth_date == dt.date(1968, 5, 17)
    assert number.sex == "L"
    assert number.digits == "196805171994031005"


def test_valid_pppk_number():
    number = parse_asn_number("199001152023212004", today=TODAY)
    assert number.kind == "pppk"
    assert number.sex == "P"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("19680517199403100", "nip_length"),
        ("1.96805E+17", "nip_length"),
        ("196802301994031005", "nip_birth_date"),  # 30 February
        ("196805171994131005", "nip_marker"),  # month 13
        ("196805171980031005", "nip_tmt_too_early"),  # appointed at 11
        ("196805172027031005", "nip_tmt_future"),
        ("196805171994033005", "nip_sex"),
        ("196805171994031000", "nip_sequence"),
        ("199001152007212004", "nip_pppk_year"),  # PPPK appointed at 17
    ],
)
def test_invalid_numbers_say_what_is_wrong(value, code):
    assert codes(value) == code


def test_format_and_mask():
    assert clean_digits("19680517.199403-1 005") == "196805171994031005"
    assert format_nip("196805171994031005") == "19680517 199403 1 005"
    assert mask_number("197501012000121002") == "1975**********1002"
