"""The possessive filter: names ending in s take a bare apostrophe."""

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Contoso", "Contoso's"),
        ("Fabrikam Services", "Fabrikam Services'"),
        ("ACME SYSTEMS", "ACME SYSTEMS'"),
        ("", ""),
    ],
)
def test_possessive_of_names(name, expected):
    rendered = Template("{% load words %}{{ name|possessive }}").render(Context({"name": name}))
    assert rendered == expected.replace("'", "&#x27;")
