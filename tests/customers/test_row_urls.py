"""row_url: the URL {% url %} gives, for every value, reversed once per URL name."""

import pytest
from django.urls import NoReverseMatch, reverse

from customers.templatetags.navigation import optional_row_url, row_url_of

VALUES = ["NCE-7K2M9QXD", "nce-1", "0042", 42, "a_b", "Ünïcode", "with space", "50%", "?x=1", "a.b"]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize(
    ("name", "argument"),
    [
        ("orders:detail", "reference"),
        ("support:order", "reference"),
        ("subscriptions:detail", "pk"),
        ("catalog:cart_add", "product_id"),
    ],
)
def test_a_row_url_is_the_reversed_url_or_the_same_refusal(name, argument, value):
    try:
        expected = reverse(name, kwargs={argument: value})
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            row_url_of(name, **{argument: value})
        assert optional_row_url(name, **{argument: value}) == ""
    else:
        assert row_url_of(name, **{argument: value}) == expected


@pytest.mark.parametrize("value", ["", "a/b"])
def test_a_value_the_route_refuses_is_refused(value):
    with pytest.raises(NoReverseMatch):
        row_url_of("orders:detail", reference=value)
    with pytest.raises(NoReverseMatch):
        reverse("orders:detail", kwargs={"reference": value})


def test_an_unrouted_name_is_an_empty_optional_url():
    assert optional_row_url("no:such_page", reference="NCE-1") == ""
