import pytest
from django.core.exceptions import ValidationError

from service_center.validators import normalize_phone, validate_identity_number, validate_phone


@pytest.mark.parametrize("number", ["031190123456", "001099000001", "075204123456", "096302999999"])
def test_valid_identity_numbers_pass(number):
    validate_identity_number(number)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("03119012345", "12"),
        ("03119012345a", "12"),
        ("003190123456", "mã tỉnh"),  # 003 is not a province code
        ("097190123456", "mã tỉnh"),
        ("031999123456", "tương lai"),  # 9 -> 24th century
        ("031399123456", "tương lai"),  # 3 -> born 2099
    ],
)
def test_invalid_identity_numbers_are_refused_with_the_reason(number, reason):
    with pytest.raises(ValidationError, match=reason):
        validate_identity_number(number)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [("0912 345 678", "0912345678"), ("+84 912.345.678", "0912345678"), ("84912345678", "0912345678")],
)
def test_phone_numbers_are_normalized(raw, normalized):
    assert normalize_phone(raw) == normalized
    validate_phone(normalized)


@pytest.mark.parametrize("phone", ["0212345678", "091234567", "01234567890", "0412345678"])
def test_invalid_phone_numbers_are_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)
