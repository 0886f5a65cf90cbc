import pytest

from rules import RuleViolation, check_email, email_domain


@pytest.mark.parametrize(
    ("raw", "reseller_domain", "cleaned"),
    [
        ("jane@contoso.com", None, "jane@contoso.com"),
        ("  Jane.Doe@Contoso.COM ", "northwind.com", "Jane.Doe@contoso.com"),
        ("john@doe.com", "northwind.com", "john@doe.com"),  # the API guide's example
        ("it@contoso.onmicrosoft.com", "northwind.com", "it@contoso.onmicrosoft.com"),
        ("jane@northwind.co.uk", "northwind.com", "jane@northwind.co.uk"),
        ("jane@notnorthwind.com", "northwind.com", "jane@notnorthwind.com"),
        ("jane@microsoft.com.contoso.com", None, "jane@microsoft.com.contoso.com"),
        ("jane@contoso.com", "", "jane@contoso.com"),
    ],
)
def test_email_accepts_the_customers_own_address(raw, reseller_domain, cleaned):
    assert check_email(raw, reseller_domain=reseller_domain) == cleaned


@pytest.mark.parametrize(
    ("raw", "reseller_domain", "words"),
    [
        ("", None, "Enter an e-mail"),
        ("jane", None, "not an e-mail address"),
        ("jane@", None, "not an e-mail address"),
        ("jane@contoso", None, "not an e-mail address"),
        ("jane doe@contoso.com", None, "not an e-mail address"),
        ("jane@microsoft.com", None, "@microsoft.com"),
        ("Jane@MICROSOFT.COM", None, "@microsoft.com"),
        ("jane@europe.microsoft.com", None, "@microsoft.com"),
        ("jane@northwind.com", "northwind.com", "your own company's domain (northwind.com)"),
        ("jane@NorthWind.com", "@Northwind.COM ", "your own company's domain"),
        ("jane@mail.northwind.com", "northwind.com", "your own company's domain"),
    ],
)
def test_email_rejects_microsoft_and_the_resellers_own_domain(raw, reseller_domain, words):
    with pytest.raises(RuleViolation) as caught:
        check_email(raw, reseller_domain=reseller_domain, field="email_address_agreement")
    assert caught.value.field == "email_address_agreement"
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("address", "domain"),
    [("jane@Contoso.com", "contoso.com"), ("nothing", ""), ("a@b@c.org", "c.org")],
)
def test_email_domain(address, domain):
    assert email_domain(address) == domain
