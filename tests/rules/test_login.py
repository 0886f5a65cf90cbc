import pytest

from rules import RuleViolation, check_login, suggest_login


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("contoso", "contoso"),
        (" contoso-admin ", "contoso-admin"),
        ("27rings", "27rings"),
        ("jane.doe_1", "jane.doe_1"),
        ("admin@contoso.com", "admin@contoso.com"),
        ("jane+it@contoso.com", "jane+it@contoso.com"),  # an e-mail, though "+" is not allowed
        ("a" * 256, "a" * 256),
    ],
)
def test_login_accepts_names_and_emails(raw, cleaned):
    assert check_login(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Enter a login"),
        ("abcd", "at least 5 characters"),
        ("-contoso", "starting with a letter or digit"),
        ("_contoso", "starting with a letter or digit"),
        ("contoso admin", "Use only Latin letters"),
        ("contoso+admin", "Use only Latin letters"),
        ("müller-gmbh", "Use only Latin letters"),
        ("a" * 257, "256 characters or fewer"),
        ("a" * 250 + "@contoso.com", "256 characters or fewer"),
    ],
)
def test_login_rejects_short_or_odd_logins(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_login(raw)
    assert caught.value.field == "login"
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("company", "login"),
    [
        ("Contoso", "contoso"),
        ("Contoso Ltd.", "contoso"),  # legal forms are dropped
        ("27 Rings Jewelers", "27-rings-jewelers"),
        ("Café Müller GmbH", "cafe-muller"),
        ("Fabrikam, Inc.", "fabrikam"),
        ("IBM", "ibm-admin"),  # padded to the minimum length
        ("A&B Corp", "a-b-admin"),
        ("北京科技有限公司", "customer-admin"),  # nothing Latin to build from
        ("", "customer-admin"),
    ],
)
def test_suggest_login_follows_the_company_name(company, login):
    assert suggest_login(company) == login
    assert check_login(login) == login


def test_suggest_login_skips_logins_already_taken():
    assert suggest_login("Contoso", taken={"contoso"}) == "contoso2"
    assert suggest_login("Contoso", taken={"Contoso", "contoso2"}) == "contoso3"


def test_suggested_login_is_never_too_long():
    login = suggest_login("Contoso " * 100)
    assert check_login(login) == login
