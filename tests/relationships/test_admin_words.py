"""The admin index names the tracker's records in plain English."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_index_says_relationship_watches(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert "Relationship watches" in page and "watchs" not in page
