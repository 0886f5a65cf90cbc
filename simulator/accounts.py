"""Reseller accounts the distributor opens after the seed, and tenants Microsoft already has.

A real distributor onboards resellers all the time: each gets an account, API
credentials and an APIM subscription key of its own (so a quota of its own), and
a partner profile (MPN ID and indirect-reseller tenant) that Partner Center
knows. A customer's tenant may exist before any order, made by the customer
itself. The control endpoints `/_simulator/resellers` and `/_simulator/tenants`
play both, for tests and for the load test's many resellers.
"""

from __future__ import annotations

import secrets
import uuid

from . import seed
from .config import Credentials
from .state import State

DOMAIN_SUFFIX = ".onmicrosoft.com"


class AccountError(ValueError):
    """The request cannot be played as asked; the message says why."""


def all_credentials(state: State) -> tuple[Credentials, ...]:
    """Return the API users the gateway accepts: the configured ones and those onboarded since."""
    return state.config.credentials + tuple(Credentials(**a) for a in state.accounts)


def reseller_onboard(state: State, *, name: str, mpn_id: str, reseller_domain: str) -> dict:
    """Open a reseller account with its own API user and key, its partner profile known."""
    name, mpn_id, reseller_domain = name.strip(), mpn_id.strip(), reseller_domain.strip().lower()
    if not name:
        raise AccountError("name is required.")
    if not (mpn_id.isdigit() and len(mpn_id) == 7):
        raise AccountError("mpnId must be 7 digits.")
    if not reseller_domain.endswith(DOMAIN_SUFFIX):
        raise AccountError(f"resellerDomain must end with {DOMAIN_SUFFIX}.")
    taken = {domain for domains in state.partners.values() for domain in domains}
    scripted = seed.MPN_NOT_FOUND | seed.MPN_NOT_INDIRECT_RESELLER | seed.MPN_AGREEMENT_UNSIGNED
    if mpn_id in state.partners or mpn_id in scripted or reseller_domain in taken:
        raise AccountError("That MPN ID or reseller tenant already belongs to a partner.")
    with state.lock:
        reseller_id = state.next_id("reseller")
        state.resellers[reseller_id] = {
            "id": reseller_id,
            "name": name,
            "currency": state.config.currency,
            "attributes": {"tier1_mpn": mpn_id, "indirect_reseller_domain": reseller_domain},
            "language": "en_US",
            "status": "active",
            "address": {},
            "contactPersons": [],
        }
        account = {
            "username": f"reseller-{reseller_id}",
            "password": secrets.token_urlsafe(18),
            "subscription_key": secrets.token_hex(16),
            "reseller_id": reseller_id,
        }
        state.accounts.append(account)
        state.partners[mpn_id] = [reseller_domain]
        for name_changed in ("resellers", "accounts", "partners"):
            state.touch_singleton(name_changed)
        state.save()
    return {
        "resellerId": reseller_id,
        "username": account["username"],
        "password": account["password"],
        "subscriptionKey": account["subscription_key"],
        "mpnId": mpn_id,
        "resellerDomain": reseller_domain,
    }


def tenant_add(state: State, *, domain: str, relationship: bool, mca_accepted: bool) -> dict:
    """Record a tenant the customer made itself (not through an order)."""
    domain = domain.strip().lower()
    prefix = domain.removesuffix(DOMAIN_SUFFIX)
    if not domain.endswith(DOMAIN_SUFFIX) or not prefix.isalnum():
        raise AccountError(f"domain must be letters and digits followed by {DOMAIN_SUFFIX}.")
    with state.lock:
        if state.prefix_taken(prefix):
            raise AccountError(f"The tenant {domain} already exists.")
        tenant = {
            "domain": domain,
            "tenantId": str(uuid.uuid4()),
            "relationship": relationship,
            "mcaAccepted": mca_accepted,
        }
        state.tenants[domain] = tenant
        state.save()
    return tenant
