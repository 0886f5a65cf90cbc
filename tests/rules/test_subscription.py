import pytest

from catalog.models import Period
from rules import (
    BILLING_PERIODS_BY_TERM,
    RuleViolation,
    billing_periods_for,
    check_billing_period,
    check_quantity,
    check_term,
    check_term_change,
)

ALLOWED_PAIRS = [
    ("P1M", "P1M"),  # monthly term: monthly billing only
    ("P1Y", "P1M"),
    ("P1Y", "P1Y"),
    ("P3Y", "P1M"),
    ("P3Y", "P1Y"),
    ("P3Y", "P3Y"),
]
FORBIDDEN_PAIRS = [("P1M", "P1Y"), ("P1M", "P3Y"), ("P1Y", "P3Y")]


@pytest.mark.parametrize(("term", "billing"), ALLOWED_PAIRS)
def test_allowed_term_and_billing_pairs(term, billing):
    assert check_billing_period(billing, term=term) == billing
    assert billing in billing_periods_for(term)


@pytest.mark.parametrize(("term", "billing"), FORBIDDEN_PAIRS)
def test_forbidden_term_and_billing_pairs(term, billing):
    with pytest.raises(RuleViolation) as caught:
        check_billing_period(billing, term=term)
    assert caught.value.field == "billing_period"
    assert billing not in billing_periods_for(term)


def test_pairs_cover_every_combination():
    periods = [p.value for p in Period]
    every = {(t, b) for t in periods for b in periods}
    assert every == set(ALLOWED_PAIRS) | set(FORBIDDEN_PAIRS)
    assert set(BILLING_PERIODS_BY_TERM) == set(periods)


def test_billing_message_names_the_allowed_choices():
    with pytest.raises(RuleViolation, match="1-month term can only be billed monthly"):
        check_billing_period("P1Y", term="P1M")
    with pytest.raises(RuleViolation, match="billed monthly or annually: choose one of those"):
        check_billing_period("P3Y", term="P1Y")


def test_period_choices_are_accepted_as_they_are():
    assert check_term(Period.P3Y) == "P3Y"
    assert check_billing_period(Period.P1Y, term=Period.P3Y) == "P1Y"
    assert check_billing_period("p1m", term="p1y") == "P1M"


@pytest.mark.parametrize("raw", ["", "P2Y", "year", None])
def test_unknown_term(raw):
    assert billing_periods_for(raw) == ()
    with pytest.raises(RuleViolation, match="Choose a term") as caught:
        check_term(raw)
    assert caught.value.field == "term"


@pytest.mark.parametrize(("raw", "cleaned"), [(1, 1), (5, 5), (300, 300), ("12", 12), (" 7 ", 7)])
def test_quantity_within_the_products_limits(raw, cleaned):
    assert check_quantity(raw, minimum=1, maximum=300) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (0, "at least 1 licence:"),
        (-3, "at least 1 licence:"),
        (301, "at most 300 licences"),
        ("", "whole number from 1 to 300"),
        ("2.5", "whole number from 1 to 300"),
        ("ten", "whole number from 1 to 300"),
        (None, "whole number from 1 to 300"),
        (True, "whole number from 1 to 300"),
    ],
)
def test_quantity_outside_the_limits(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_quantity(raw, minimum=1, maximum=300)
    assert caught.value.field == "quantity"
    assert words in caught.value.message


def test_quantity_message_uses_the_products_own_minimum():
    with pytest.raises(RuleViolation, match="at least 5 licences: raise the quantity to 5"):
        check_quantity(4, minimum=5, maximum=10)


@pytest.mark.parametrize(
    ("current", "new"),
    [("P1M", "P1M"), ("P1M", "P1Y"), ("P1M", "P3Y"), ("P1Y", "P3Y"), ("P3Y", "P3Y")],
)
def test_term_may_only_get_longer_mid_term(current, new):
    assert check_term_change(current, new) == new


@pytest.mark.parametrize(("current", "new"), [("P1Y", "P1M"), ("P3Y", "P1Y"), ("P3Y", "P1M")])
def test_term_can_not_be_shortened_mid_term(current, new):
    with pytest.raises(RuleViolation, match="schedule the change for the renewal") as caught:
        check_term_change(current, new)
    assert caught.value.field == "term"


def test_triennial_billing_message_lists_all_three():
    with pytest.raises(RuleViolation, match="billed monthly, annually or every three years"):
        check_billing_period("P6M", term="P3Y")
