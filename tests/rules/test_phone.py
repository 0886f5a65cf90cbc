import phonenumbers
import pytest

from rules import RuleViolation, check_phone


@pytest.mark.parametrize(
    ("raw", "country", "e164"),
    [
        ("(716) 633-3600", "US", "+17166333600"),  # the API guide's example, national format
        ("716-633-3600", "us", "+17166333600"),
        ("+1 716 633 3600", None, "+17166333600"),
        ("+1 716 633 3600", "DE", "+17166333600"),  # an international number wins
        ("030 12345678", "DE", "+493012345678"),
        ("06 1 234 5678", "HU", "+3612345678"),
        ("+36 1 234 5678", "HU", "+3612345678"),
        ("020 7946 0958", "GB", "+442079460958"),
    ],
)
def test_phone_returns_e164(raw, country, e164):
    assert check_phone(raw, country=country) == e164


def test_phone_accepts_a_parsed_number():
    number = phonenumbers.parse("+17166333600")
    assert check_phone(number) == "+17166333600"


@pytest.mark.parametrize(
    ("raw", "country", "words"),
    [
        ("hello", "US", "is not a phone number"),
        ("633-3600", None, "with the country code"),  # national without a country
        ("+1 123 456 7890", None, "does not exist"),  # no US area code starts with 1
        ("(716) 633-36", "US", "does not exist"),
        ("", "HU", "Microsoft needs a phone number for customers in Hungary"),
        ("", "UA", "Microsoft needs a phone number"),
    ],
)
def test_phone_rejects_invalid_or_missing_where_required(raw, country, words):
    with pytest.raises(RuleViolation) as caught:
        check_phone(raw, country=country)
    assert caught.value.field == "phone"
    assert words in caught.value.message


@pytest.mark.parametrize("country", ["US", "DE", None])
def test_phone_optional_outside_section_2_7_countries(country):
    assert check_phone("", country=country) == ""
    assert check_phone(None, country=country) == ""


def test_phone_required_can_be_forced():
    with pytest.raises(RuleViolation, match="Microsoft needs a phone number") as caught:
        check_phone("", country="US", required=True, field="effective_phonenumber")
    assert caught.value.field == "effective_phonenumber"
    assert check_phone("", country="HU", required=False) == ""
