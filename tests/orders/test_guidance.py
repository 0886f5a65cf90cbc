import pytest

from orders.guidance import GENERIC, PROVISIONING_FAILED, guidance_for

CONFLICT = (
    "Cannot Upgrade/Downgrade Resources for Subscription #123456: there is already an "
    "Upgrade/Downgrade Order #CH009999 in status Provisioning is in progress(LO). This order "
    "prohibits placing an order of the same order type (per subscription). Please either cancel "
    "conflicting order or wait until it is processed by the system."
)


@pytest.mark.parametrize(
    "message, key",
    [
        (
            "The partner id 123 has no commerce relationship with the customer id 456",
            "relationship",
        ),
        (
            "403 code 13605: Either a partner confirmation of the customer acceptance "
            "of the Microsoft Customer Agreement must be provided",
            "mca",
        ),
        ("800015: MPN Id is not found", "mpn_not_found"),
        ("800016 MPN Id is not a valid Indirect Reseller", "mpn_not_reseller"),
        (
            "900123 Microsoft Partner Agreement has not been accepted by the indirect reseller",
            "mpa",
        ),
        ("2002 Quantity is not within minimum and maximum allowed quantity", "quantity"),
        ("The domain contoso.onmicrosoft.com is already taken.", "domain_taken"),
        (CONFLICT, "conflicting_change"),
        ("900117 You have passed your 7-day cancellation window", "window"),
    ],
)
def test_known_marketplace_texts_get_plain_advice(message, key):
    assert guidance_for(message).key == key


def test_an_unknown_text_gets_the_generic_advice_and_no_text_the_provisioning_advice():
    assert guidance_for("Something odd happened") is GENERIC
    assert guidance_for("") is PROVISIONING_FAILED
