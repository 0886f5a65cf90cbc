"""The crawl's list of pages comes from the URL resolver: a new page is in it, or fails it."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from .crawl_pages import UnfilledPattern, filled, url_patterns


def view(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path("", include("config.urls")),
    path("gadgets/<int:gadget_id>/", view, name="gadget"),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_added_later_is_crawled_or_fails_naming_where_to_teach_the_crawl():
    (gadget,) = [p for p in url_patterns() if p.name == "gadget"]

    assert gadget.is_page
    with pytest.raises(UnfilledPattern, match="teach it this pattern's ids in tests/e2e/"):
        filled(gadget, objects=None)


def test_every_pattern_of_the_site_is_listed_with_its_parameters():
    patterns = {p.name: p for p in url_patterns()}

    assert patterns["orders:detail"].parameters == ("reference",)
    assert patterns["admin:orders_order_change"].parameters == ("object_id",)
    assert patterns["orders:detail"].url({"reference": "NCE-1"}) == "/orders/NCE-1/"
    assert patterns["admin:app_list"].url({"app_label": "orders"}) == "/admin/orders/"
