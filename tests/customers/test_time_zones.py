"""The reseller's time zone is chosen from IANA's canonical zones, not ~600 names with aliases."""

import zoneinfo

import pytest
from django.urls import reverse

from customers.models import Reseller

pytestmark = pytest.mark.django_db


def offered_zones(client):
    form = client.get(reverse("customers:partner")).context["preferences_form"]
    return [value for value, _ in form.fields["time_zone"].choices]


def test_the_list_holds_canonical_zones_and_no_aliases(client, reseller_user):
    client.force_login(reseller_user)

    zones = offered_zones(client)

    assert {"UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney"} <= set(zones)
    assert not {"Factory", "localtime", "GB-Eire", "GB", "US/Pacific", "Etc/GMT+5"} & set(zones)
    assert len(zones) < len(zoneinfo.available_timezones()) * 3 // 4
    assert zones == sorted(zones)


def test_a_zone_saved_before_stays_offered_and_valid(client, reseller_user):
    Reseller.objects.filter(pk=reseller_user.reseller_id).update(time_zone="GB")
    client.force_login(reseller_user)

    assert offered_zones(client)[0] == "GB"
    saved = client.post(reverse("customers:preferences"), {"time_zone": "GB"})
    assert saved.status_code == 302
