import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from retreat.identity import (
    check_nik_matches_nip,
    clean_digits,
    format_nip,
    mask_number,
    normalize_phone,
    parse_asn_number,
    parse_nik,
)

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


def nik_code(value):
    with pytest.raises(ValidationError) as info:
        parse_nik(value, today=TODAY)
    return info.value.code


def test_valid_nik_for_a_man_and_a_woman():
    man = parse_nik("3573011705680003", today=TODAY)  # Kota Malang, 17-05-1968
    assert (man.birth_date, man.sex) == (dt.date(1968, 5, 17), "L")
    woman = parse_nik("3573015702900001", today=TODAY)  # day 57 = 17 + 40
    assert (woman.birth_date, woman.sex) == (dt.date(1990, 2, 17), "P")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("357301170568000", "nik_length"),
        ("0573011705680003", "nik_province"),
        ("3573013102680003", "nik_birth_date"),  # 31 February
        ("3573017205680003", "nik_birth_date"),  # day 72 - 40 = 32
        ("3573011705680000", "nik_sequence"),
    ],
)
def test_invalid_niks_say_what_is_wrong(value, code):
    assert nik_code(value) == code


def test_nik_is_cross_checked_with_the_nip():
    nip = parse_asn_number("196805171994031005", today=TODAY)
    check_nik_matches_nip(parse_nik("3573011705680003", today=TODAY), nip)
    with pytest.raises(ValidationError) as info:
        check_nik_matches_nip(parse_nik("3573011805680003", today=TODAY), nip)
    assert info.value.code == "nik_nip_birth_date"
    with pytest.raises(ValidationError) as info:
        check_nik_matches_nip(parse_nik("3573015705680003", today=TODAY), nip)
    assert info.value.code == "nik_nip_sex"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0812-3456-7890", "+6281234567890"), ("62 812 3456 7890", "+6281234567890"),
     ("+62 (812) 3456.7890", "+6281234567890"), ("8123456789", "+628123456789"), ("", "")],
)  # fmt: skip
def test_phone_numbers_are_normalised(value, expected):
    assert normalize_phone(value) == expected


@pytest.mark.parametrize("value", ["0812-345", "08abc", "+1 202 555 0100"])
def test_bad_phone_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        normalize_phone(value)
