"""Every page that shows a secret or a password is Cache-Control: no-store."""

import pytest

from api.models import ApiToken
from tests.factories import ResellerFactory

pytestmark = pytest.mark.django_db


def test_the_admin_page_showing_a_new_api_token_is_not_stored(client, admin_user):
    reseller = ResellerFactory()
    client.force_login(admin_user)
    response = client.post("/admin/api/apitoken/add/", {"reseller": reseller.pk, "name": "ERP"})
    token = ApiToken.objects.get()
    assert response.status_code == 200 and token.prefix in response.content.decode()
    assert "no-store" in response["Cache-Control"]
