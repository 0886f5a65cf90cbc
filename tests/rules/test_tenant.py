import uuid

import pytest

from catalog.models import Segment
from rules import (
    RuleViolation,
    can_create_new_tenant,
    check_existing_tenant,
    check_new_tenant_allowed,
    check_tenant_domain,
    check_tenant_id,
    check_tenant_preference,
    check_tenant_prefix,
    is_tenant_id,
    new_tenant_domain,
    tenant_prefix_max_length,
)

GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("contoso2026", "contoso2026"),
        ("Contoso2026", "contoso2026"),
        ("  CONTOSO ", "contoso"),
        ("27rings", "27rings"),
        ("a", "a"),
        ("contoso1.onmicrosoft.com", "contoso1"),  # the upstream README's example, typed in full
        ("Contoso.OnMicrosoft.com", "contoso"),
    ],
)
def test_tenant_prefix_accepts_latin_letters_and_digits(raw, cleaned):
    assert check_tenant_prefix(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Enter a name for the new tenant"),
        (".onmicrosoft.com", "Enter a name for the new tenant"),
        ("contoso-2026", "only Latin letters and digits"),
        ("contoso 2026", "only Latin letters and digits"),
        ("contoso.com", "only Latin letters and digits"),
        ("contoso_it", "only Latin letters and digits"),
        ("café", "only Latin letters and digits"),
        ("контосо", "only Latin letters and digits"),  # Cyrillic letters are not Latin
        ("ｃｏｎｔｏｓｏ", "only Latin letters and digits"),  # full-width letters
        ("contoso!", "only Latin letters and digits"),
    ],
)
def test_tenant_prefix_rejects_anything_but_latin_letters_and_digits(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_tenant_prefix(raw)
    assert caught.value.field == "tenant_prefix"
    assert words in caught.value.message
    assert "contoso2026" in caught.value.message


def test_tenant_prefix_length_follows_the_setting(settings):
    settings.TENANT_PREFIX_MAX_LENGTH = 10
    assert check_tenant_prefix("a" * 10) == "a" * 10
    with pytest.raises(RuleViolation, match="10 characters or fewer"):
        check_tenant_prefix("a" * 11)


def test_tenant_prefix_length_never_exceeds_the_dns_label_limit(settings):
    settings.TENANT_PREFIX_MAX_LENGTH = 200
    assert tenant_prefix_max_length() == 63
    assert check_tenant_prefix("a" * 63) == "a" * 63
    with pytest.raises(RuleViolation, match="63 characters or fewer"):
        check_tenant_prefix("a" * 64)


def test_new_tenant_domain_is_prefix_dot_onmicrosoft():
    assert new_tenant_domain("Contoso2026") == "contoso2026.onmicrosoft.com"
    with pytest.raises(RuleViolation):
        new_tenant_domain("contoso-2026")


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("contoso.onmicrosoft.com", "contoso.onmicrosoft.com"),
        ("Contoso.OnMicrosoft.com.", "contoso.onmicrosoft.com"),
        ("mytenantdomain.onmicrosoft.com", "mytenantdomain.onmicrosoft.com"),
        ("old-tenant.onmicrosoft.com", "old-tenant.onmicrosoft.com"),
    ],
)
def test_tenant_domain_accepts_onmicrosoft_domains(raw, cleaned):
    assert check_tenant_domain(raw) == cleaned


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "contoso.com",
        "onmicrosoft.com",
        ".onmicrosoft.com",
        "a.b.onmicrosoft.com",
        "-contoso.onmicrosoft.com",
        "contoso.onmicrosoft.com.evil.com",
        "contoso onmicrosoft com",
    ],
)
def test_tenant_domain_rejects_other_domains(raw):
    with pytest.raises(RuleViolation) as caught:
        check_tenant_domain(raw)
    assert caught.value.field == "microsoft_domain"
    assert "onmicrosoft.com" in caught.value.message


@pytest.mark.parametrize("raw", [GUID, GUID.upper(), "{" + GUID + "}", f"  {GUID}  "])
def test_tenant_id_accepts_guids_in_canonical_form(raw):
    assert is_tenant_id(raw)
    assert check_tenant_id(raw) == GUID


@pytest.mark.parametrize(
    "raw", ["", "3f2504e04f8911d39a0c0305e82c3301", GUID[:-1], GUID + "0", "contoso", None]
)
def test_tenant_id_rejects_other_text(raw):
    assert not is_tenant_id(raw)
    with pytest.raises(RuleViolation) as caught:
        check_tenant_id(raw)
    assert caught.value.field == "microsoft_tenant_id"
    assert "GUID" in caught.value.message


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Contoso.onmicrosoft.com", "contoso.onmicrosoft.com"),
        (GUID.upper(), GUID),
        (str(uuid.UUID(GUID)), GUID),
    ],
)
def test_existing_tenant_is_a_domain_or_a_guid(raw, cleaned):
    assert check_existing_tenant(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "its .onmicrosoft.com domain"),
        ("contoso.com", "neither a .onmicrosoft.com domain nor a tenant ID"),
        ("contoso", "neither a .onmicrosoft.com domain nor a tenant ID"),
    ],
)
def test_existing_tenant_rejects_anything_else(raw, words):
    with pytest.raises(RuleViolation) as caught:
        check_existing_tenant(raw)
    assert caught.value.field == "microsoft_domain"
    assert words in caught.value.message


@pytest.mark.parametrize(("raw", "cleaned"), [("new", "new"), (" Existing ", "existing")])
def test_tenant_preference(raw, cleaned):
    assert check_tenant_preference(raw) == cleaned


@pytest.mark.parametrize("raw", ["", "old", None])
def test_tenant_preference_rejects_other_values(raw):
    with pytest.raises(RuleViolation, match="new tenant or use the customer's existing one"):
        check_tenant_preference(raw)


@pytest.mark.parametrize(
    ("segment", "allowed"),
    [
        (Segment.COMMERCIAL, True),
        (Segment.GOVERNMENT, True),  # government follows the commercial path
        (Segment.EDUCATION, False),
        (Segment.NONPROFIT, False),
        ("commercial", True),
        ("education", False),
    ],
)
def test_which_segments_may_create_a_new_tenant(segment, allowed):
    assert can_create_new_tenant(segment) is allowed
    if allowed:
        assert check_new_tenant_allowed(segment) == str(segment)
    else:
        with pytest.raises(RuleViolation) as caught:
            check_new_tenant_allowed(segment)
        assert caught.value.field == "tenant_preference"
        assert "existing tenant" in caught.value.message
        assert "https://" in caught.value.message


def test_unknown_segment_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown segment"):
        can_create_new_tenant("retail")
