import pytest

from rules import RuleViolation, check_mpn_id, check_reseller_domain

GUID = "a27ac673-9a4c-446c-bd28-280c0bf7cf71"  # the GUID shape used in the guide's links


@pytest.mark.parametrize(
    ("raw", "cleaned"), [("1234567", "1234567"), (" 6543210 ", "6543210"), ("12345", "12345")]
)
def test_mpn_id_accepts_numeric_ids(raw, cleaned):
    assert check_mpn_id(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Enter your MPN ID"),
        (None, "Enter your MPN ID"),
        ("abc1234", "digits only"),  # PC: "MPN Id must be numeric."
        ("123-4567", "digits only"),
        ("１２３４５６７", "digits only"),  # full-width digits are not what PC accepts
        ("1234", "5 to 10 digits"),
        ("12345678901", "5 to 10 digits"),
    ],
)
def test_mpn_id_rejects_non_numeric_or_odd_lengths(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_mpn_id(raw)
    assert caught.value.field == "mpn_id"
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("northwind.onmicrosoft.com", "northwind.onmicrosoft.com"),
        ("Northwind.OnMicrosoft.com", "northwind.onmicrosoft.com"),
        (GUID.upper(), GUID),
    ],
)
def test_reseller_domain_is_an_onmicrosoft_domain_or_a_guid(raw, cleaned):
    assert check_reseller_domain(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Enter your own tenant"),
        ("northwind.com", "always ends in .onmicrosoft.com"),
        ("northwind", "always ends in .onmicrosoft.com"),
    ],
)
def test_reseller_domain_rejects_other_domains(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_reseller_domain(raw)
    assert caught.value.field == "indirect_reseller_domain"
    assert words in caught.value.message
