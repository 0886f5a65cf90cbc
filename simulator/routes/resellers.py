"""Resellers: the caller's own account (a shared connection reads its id and tier config)."""

from __future__ import annotations

from ..views import public
from .api import api
from .common import not_found, paginate, session, state


@api.get("/resellers")
def resellers_list():
    own = state().resellers[session()["resellerId"]]
    return paginate([own], public)


@api.get("/resellers/<reseller_id>")
def resellers_get(reseller_id):
    if reseller_id != session()["resellerId"]:
        raise not_found("Reseller", reseller_id)
    return public(state().resellers[reseller_id])
