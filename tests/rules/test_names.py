import pytest

from rules import RuleViolation, check_company_name, check_contact_name


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Contoso", "Contoso"),
        ("27 Rings Jewelers", "27 Rings Jewelers"),  # the marketplace guide's own example
        ("  Northwind   Traders\tLtd ", "Northwind Traders Ltd"),
        ("Contoso LLC", "Contoso LLC"),
        ("A1", "A1"),
        ("3M", "3M"),
        ("AAA Plumbing", "AAA Plumbing"),
        ("A&B", "A&B"),
        ("Fabrikam, Inc.", "Fabrikam, Inc."),
        ("Société Générale", "Société Générale"),
        ("株式会社", "株式会社"),
        ("Contoso " + "x" * 247, "Contoso " + "x" * 247),  # 255 characters
    ],
)
def test_company_name_accepts_real_names(raw, cleaned):
    assert check_company_name(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Enter the company"),
        (None, "Enter the company"),
        ("   ", "Enter the company"),  # only spaces
        ("\t\t", "Enter the company"),  # only tabs
        ("A", "more than one character"),  # one character
        ("7", "more than one character"),
        ("---", "only of symbols"),  # only special characters
        ("!@#$%", "only of symbols"),
        ("1 2 3", "single characters separated by spaces"),
        ("a b c", "single characters separated by spaces"),
        ("c p a", "single characters separated by spaces"),  # the guide's example
        ("999", "repeats one character"),  # one character repeated 3+ times
        ("aaaa", "repeats one character"),
        ("aa", "repeats one character"),  # "more than one unique character"
        ("9 9 9", "single characters"),
        ("LLC", "only a legal form"),  # standalone restricted abbreviations
        ("INC", "only a legal form"),
        ("Inc.", "only a legal form"),
        ("Ltd", "only a legal form"),
        ("GmbH", "only a legal form"),
        ("Corp", "only a legal form"),
        ("corp.", "only a legal form"),
        ("CO", "only a legal form"),
        ("c.p.a", "only a legal form"),
        ("L.L.C.", "only a legal form"),
        ("Pty Ltd", "only a legal form"),
        ("AB", "only a legal form"),
        ("x" * 256, "255 characters or fewer"),
    ],
)
def test_company_name_rejects_what_microsoft_rejects(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_company_name(raw)
    assert caught.value.field == "company_name"
    assert words in caught.value.message


def test_company_name_legal_form_message_shows_a_fix():
    with pytest.raises(RuleViolation, match='"Contoso GmbH"'):
        check_company_name("GmbH")


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Jane", "Jane"),
        ("Doe", "Doe"),
        ("  Mary  Ann ", "Mary Ann"),
        ("O'Brien", "O'Brien"),
        ("Jean-Luc", "Jean-Luc"),
        ("Zoë", "Zoë"),
        ("Li", "Li"),
        ("Na", "Na"),  # a real surname, unlike "n/a"
        ("Root", "Root"),
        ("李", "李"),  # Chinese names may be one character
        ("Testa", "Testa"),
        ("Adminah", "Adminah"),
        ("J" + "a" * 39, "J" + "a" * 39),
    ],
)
def test_contact_name_accepts_real_names(raw, cleaned):
    assert check_contact_name(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Enter the contact"),
        ("  ", "Enter the contact"),
        ("J", "not an initial"),
        ("J.", "not an initial"),
        ("12345", "only digits or symbols"),
        ("---", "only digits or symbols"),
        ("test", "placeholder"),
        ("Test", "placeholder"),
        ("TEST1", "placeholder"),
        ("admin", "placeholder"),
        ("Administrator", "placeholder"),
        ("asdf", "placeholder"),
        ("n/a", "placeholder"),
        ("N/A", "placeholder"),
        ("Test User", "placeholder"),
        ("xxx", "repeats one character"),
        ("Foobar", "placeholder"),
        ("aaa", "repeats one character"),
        ("J" + "a" * 40, "40 characters or fewer"),
    ],
)
def test_contact_name_rejects_placeholders_and_initials(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_contact_name(raw, field="last_name")
    assert caught.value.field == "last_name"
    assert words in caught.value.message
