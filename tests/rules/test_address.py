import pytest

from rules import (
    REGISTRATION_REQUIRED_COUNTRIES,
    RuleViolation,
    check_address_line,
    check_city,
    check_country,
    check_postal_code,
    check_registration_number,
    check_state,
    phone_required,
    registration_number_required,
)

# §2.7: both a registration number and a phone number are required here.
SECTION_2_7_COUNTRIES = ["AM", "AZ", "BY", "HU", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA"]


@pytest.mark.parametrize(("raw", "cleaned"), [("US", "US"), ("de", "DE"), (" hu ", "HU")])
def test_country_accepts_iso_alpha_2(raw, cleaned):
    assert check_country(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Choose the customer's country"),
        ("USA", "two-letter ISO code"),
        ("XX", "two-letter ISO code"),
        ("U", "two-letter ISO code"),
        ("840", "two-letter ISO code"),
    ],
)
def test_country_rejects_anything_but_a_known_alpha_2_code(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_country(raw)
    assert caught.value.field == "country"
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("raw", "country", "cleaned"),
    [
        ("NY", "US", "NY"),  # the API guide's example address
        ("ny", "US", "NY"),
        ("DC", "US", "DC"),
        ("PR", "US", "PR"),  # territories are addresses too
        ("GU", "US", "GU"),
        ("ON", "CA", "ON"),
        ("qc", "CA", "QC"),
        ("YT", "CA", "YT"),
        ("New South Wales", "AU", "New South Wales"),  # full names elsewhere
        ("", "DE", ""),  # optional outside the US and Canada
        ("Bayern", "de", "Bayern"),
        ("Jalisco", "MX", "Jalisco"),
        ("Guangdong", "CN", "Guangdong"),
    ],
)
def test_state_is_a_two_letter_code_for_us_and_canada(raw, country, cleaned):
    assert check_state(raw, country=country) == cleaned


@pytest.mark.parametrize(
    ("raw", "country", "words"),
    [
        ("", "US", "Choose the state"),
        ("", "CA", "Choose the province"),
        ("New York", "US", "two-letter code"),
        ("XX", "US", "not a state of United States of America"),
        ("ON", "US", "not a state"),  # a province is not a state
        ("NY", "CA", "not a province of Canada"),
        ("Q", "CA", "two-letter code, for example ON"),
        ("x" * 51, "DE", "50 characters or fewer"),
        ("", "MX", "Microsoft needs it for addresses in Mexico"),
        (" ", "CN", "Microsoft needs it for addresses in China"),
    ],
)
def test_state_rejects_unknown_codes(raw, country, words):
    with pytest.raises(RuleViolation) as caught:
        check_state(raw, country=country)
    assert caught.value.field == "state"
    assert words in caught.value.message


def test_state_lists_are_complete():
    us = [code for code in _all_codes() if _accepts(code, "US")]
    ca = [code for code in _all_codes() if _accepts(code, "CA")]
    assert len(us) == 50 + 1 + 5  # states, DC, inhabited territories
    assert len(ca) == 13  # provinces and territories


def _all_codes():
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [a + b for a in letters for b in letters]


def _accepts(code, country):
    try:
        check_state(code, country=country)
    except RuleViolation:
        return False
    return True


@pytest.mark.parametrize(
    ("raw", "country", "cleaned"),
    [
        ("14221", "US", "14221"),
        ("14221-1234", "US", "14221-1234"),
        ("k1a 0b1", "CA", "K1A 0B1"),
        ("K1A0B1", "CA", "K1A0B1"),
        ("10115", "DE", "10115"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("1051", "HU", "1051"),
    ],
)
def test_postal_code(raw, country, cleaned):
    assert check_postal_code(raw, country=country) == cleaned


@pytest.mark.parametrize(
    ("raw", "country", "words"),
    [
        ("", "DE", "Enter the postal code"),
        ("   ", None, "Enter the postal code"),
        ("1422", "US", "5-digit ZIP code"),
        ("ABCDE", "US", "5-digit ZIP code"),
        ("123456", "CA", "K1A 0B1"),
        ("1" * 21, "DE", "20 characters or fewer"),
    ],
)
def test_postal_code_rejects_empty_and_malformed(raw, country, words):
    with pytest.raises(RuleViolation) as caught:
        check_postal_code(raw, country=country)
    assert caught.value.field == "postal_code"
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("Williamsville", "Williamsville"), (" Saint  John's ", "Saint John's"), ("Zürich", "Zürich")],
)
def test_city(raw, cleaned):
    assert check_city(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [("", "Enter the city"), ("12345", "needs letters"), ("x" * 51, "50 characters or fewer")],
)
def test_city_rejects_empty_numeric_and_long(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_city(raw)
    assert caught.value.field == "city"
    assert words in caught.value.message


def test_address_line():
    assert check_address_line(" 1759  Wehrle Dr ") == "1759 Wehrle Dr"
    assert check_address_line("", required=False, field="address_extension") == ""
    with pytest.raises(RuleViolation, match="Enter the street address"):
        check_address_line("")
    with pytest.raises(RuleViolation, match="200 characters or fewer") as caught:
        check_address_line("x" * 201, required=False, field="address_extension")
    assert caught.value.field == "address_extension"


def test_registration_countries_are_exactly_those_of_section_2_7():
    assert sorted(REGISTRATION_REQUIRED_COUNTRIES) == sorted(SECTION_2_7_COUNTRIES)


@pytest.mark.parametrize("country", SECTION_2_7_COUNTRIES + ["hu", "ua"])
def test_registration_number_and_phone_required_in_section_2_7_countries(country):
    assert registration_number_required(country)
    assert phone_required(country)
    with pytest.raises(RuleViolation) as caught:
        check_registration_number("  ", country=country)
    assert caught.value.field == "registration_number"
    assert "registration (tax) number" in caught.value.message
    assert check_registration_number(" 01-09-123456 ", country=country) == "01-09-123456"


@pytest.mark.parametrize("country", ["US", "DE", "GB", "CA", "", None])
def test_registration_number_optional_elsewhere(country):
    assert not registration_number_required(country)
    assert not phone_required(country)
    assert check_registration_number("", country=country) == ""
    assert check_registration_number("HRB 12345", country=country) == "HRB 12345"


def test_registration_number_length():
    with pytest.raises(RuleViolation, match="64 characters or fewer"):
        check_registration_number("1" * 65, country="HU")
