"""The estate pages: who may start an import, who sees which run, and the live progress."""

import pytest
from django.urls import reverse

from estate.models import ImportRun
from tests.factories import ResellerFactory

pytestmark = pytest.mark.django_db


def test_a_reseller_starts_its_own_import_and_watches_it(client, reseller_user):
    client.force_login(reseller_user)
    response = client.post(reverse("estate:start"))
    run = ImportRun.objects.get()
    assert run.reseller == reseller_user.reseller and run.started_by == reseller_user
    assert response.url == reverse("estate:run", kwargs={"pk": run.pk})
    # Starting again while it runs returns the same run: nothing is imported twice.
    assert client.post(reverse("estate:start")).url == response.url
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Refresh the progress" in page
    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="import-progress"')


def test_a_reseller_never_sees_another_resellers_import(client, reseller_user, other_reseller_user):
    theirs = ImportRun.objects.create(reseller=other_reseller_user.reseller)
    client.force_login(reseller_user)
    assert client.get(reverse("estate:run", kwargs={"pk": theirs.pk})).status_code == 404
    listing = client.get(reverse("estate:runs"))
    assert list(listing.context["runs"]) == []


def test_an_admin_imports_for_any_reseller_and_support_only_reads(client, admin_user, support_user):
    reseller = ResellerFactory(name="Contoso Partners")
    client.force_login(admin_user)
    assert "Contoso Partners" in client.get(reverse("estate:runs")).content.decode()
    response = client.post(reverse("estate:start"), {"reseller": str(reseller.pk)})
    run = ImportRun.objects.get(reseller=reseller)
    assert response.url == reverse("estate:run", kwargs={"pk": run.pk})
    missing = client.post(reverse("estate:start"), {"reseller": ""}, follow=True)
    assert "Choose the reseller" in missing.content.decode()

    client.force_login(support_user)
    assert client.get(reverse("estate:run", kwargs={"pk": run.pk})).status_code == 200
    assert client.post(reverse("estate:start")).status_code == 403
