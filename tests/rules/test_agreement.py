import datetime

import pytest
import time_machine

from rules import RuleViolation, check_agreement_date, format_agreement_date

TODAY = datetime.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("01-31-2022", datetime.date(2022, 1, 31)),  # the upstream README's example
        ("04-09-2022", datetime.date(2022, 4, 9)),  # the API guide's example: 9 April
        (" 03-15-2026 ", TODAY),  # today is not the future
        ("02-29-2024", datetime.date(2024, 2, 29)),
        (datetime.date(2025, 12, 1), datetime.date(2025, 12, 1)),
        (datetime.datetime(2025, 12, 1, 9, 30), datetime.date(2025, 12, 1)),
    ],
)
def test_agreement_date_accepts_past_dates_in_mm_dd_yyyy(raw, cleaned):
    assert check_agreement_date(raw, today=TODAY) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Enter the date"),
        ("2022-01-31", "MM-DD-YYYY"),  # ISO order
        ("31/01/2022", "MM-DD-YYYY"),
        ("1-31-2022", "MM-DD-YYYY"),  # two digits for the month
        ("01-31-22", "MM-DD-YYYY"),
        ("31-01-2022", "not a real date"),  # day first
        ("02-30-2022", "not a real date"),
        ("02-29-2023", "not a real date"),
        ("13-01-2022", "not a real date"),
        ("03-16-2026", "in the future"),
        (datetime.date(2027, 1, 1), "in the future"),
    ],
)
def test_agreement_date_rejects_other_formats_impossible_and_future_dates(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_agreement_date(raw, today=TODAY)
    assert caught.value.field == "agreement_date"
    assert words in caught.value.message


def test_today_in_the_latest_time_zone_is_not_the_future():
    # 11:00 UTC on 15 March is already 01:00 on 16 March in Kiribati (UTC+14).
    with time_machine.travel(datetime.datetime(2026, 3, 15, 11, tzinfo=datetime.UTC), tick=False):
        assert check_agreement_date("03-15-2026") == TODAY
        assert check_agreement_date("03-16-2026") == datetime.date(2026, 3, 16)
        with pytest.raises(RuleViolation, match="in the future"):
            check_agreement_date("03-17-2026")


def test_tomorrow_everywhere_is_the_future():
    # 09:00 UTC on 15 March is 23:00 on 15 March at UTC+14: 16 March has begun nowhere.
    with time_machine.travel(datetime.datetime(2026, 3, 15, 9, tzinfo=datetime.UTC), tick=False):
        assert check_agreement_date("03-15-2026") == TODAY
        with pytest.raises(RuleViolation, match="in the future"):
            check_agreement_date("03-16-2026")


def test_future_message_names_the_date_in_words_not_in_an_ambiguous_form():
    # "12-01-2027" is 12 January outside the US; the wizard's reader picked a date, not a format.
    with pytest.raises(RuleViolation, match="1 December 2027"):
        check_agreement_date(datetime.date(2027, 12, 1), today=TODAY)


@pytest.mark.parametrize(
    ("value", "text"),
    [(datetime.date(2022, 1, 31), "01-31-2022"), (datetime.date(2022, 4, 9), "04-09-2022")],
)
def test_format_agreement_date_is_month_day_year(value, text):
    assert format_agreement_date(value) == text
    assert check_agreement_date(text, today=TODAY) == value
