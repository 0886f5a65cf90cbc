"""The data every simulator starts with and returns to on reset (see docs/upstream.md)."""

from __future__ import annotations

# --- Reseller accounts (the API users of config.DEMO_CREDENTIALS act for these) -------------
RESELLERS = [
    {
        "id": "1000001",
        "name": "Northwind IT",
        "currency": "USD",
        # Tier configuration kept on the reseller account (CBO365: reseller-level parameters).
        "attributes": {
            "tier1_mpn": "1234567",
            "indirect_reseller_domain": "northwindit.onmicrosoft.com",
        },
        "language": "en_US",
        "status": "active",
        "address": {
            "streetAddress": "400 Pine Street",
            "postalCode": "98101",
            "city": "Seattle",
            "state": "WA",
            "countryCode": "US",
        },
        "contactPersons": [
            {
                "type": "admin",
                "firstName": "Nora",
                "lastName": "Whitfield",
                "email": "nora@northwind-it.example",
                "phoneNumber": "+12065550100",
            }
        ],
    },
    {
        "id": "1000002",
        "name": "Fabrikam Cloud Partners",
        "currency": "USD",
        "attributes": {
            "tier1_mpn": "7654321",
            "indirect_reseller_domain": "fabrikampartners.onmicrosoft.com",
        },
        "language": "en_US",
        "status": "active",
        "address": {
            "streetAddress": "12 Harbour Road",
            "postalCode": "10001",
            "city": "New York",
            "state": "NY",
            "countryCode": "US",
        },
        "contactPersons": [
            {
                "type": "admin",
                "firstName": "Felix",
                "lastName": "Brandt",
                "email": "felix@fabrikam-partners.example",
                "phoneNumber": "+12125550111",
            }
        ],
    },
]

# --- Tier configuration: MPN IDs (PLA location IDs) and indirect-reseller tenants ------------
# An MPN ID is READY with one of its own reseller tenants (domain or tenant GUID).
VALID_PARTNERS = {
    "1234567": {
        "northwindit.onmicrosoft.com",
        "5f0c3a0e-6a43-4b8e-9a57-3f4b2f0d1c11",
    },
    "7654321": {"fabrikampartners.onmicrosoft.com"},
}
MPN_NOT_FOUND = {"9999999", "1111111"}  # 800015
MPN_NOT_INDIRECT_RESELLER = {"2222222"}  # 800016
MPN_AGREEMENT_UNSIGNED = {"3333333"}  # 900123
# Any other numeric MPN ID is "not found" too; a non-numeric one gets code 2000.

# --- Tenants (.onmicrosoft.com prefixes) ------------------------------------------------------
# Prefixes that are taken but belong to no customer of ours (a new tenant cannot use them).
TAKEN_PREFIXES = {"contoso", "fabrikam", "microsoft", "northwind", "adventureworks", "taken"}

# Existing tenants an order may use with tenant_preference=existing.
EXISTING_TENANTS = [
    {  # relationship with our resellers and an accepted MCA: ready to buy
        "domain": "woodgrovebank.onmicrosoft.com",
        "tenantId": "0c6e1f2a-3b4d-4c5e-8f90-a1b2c3d4e5f6",
        "relationship": True,
        "mcaAccepted": True,
    },
    {  # relationship, but the MCA was never accepted: needs the MCA parameters (13605)
        "domain": "tailspintoys.onmicrosoft.com",
        "tenantId": "1d7f2a3b-4c5e-4d6f-9a01-b2c3d4e5f6a7",
        "relationship": True,
        "mcaAccepted": False,
    },
    {  # no reseller relationship (20002)
        "domain": "litware.onmicrosoft.com",
        "tenantId": "2e8a3b4c-5d6f-4e7a-8b12-c3d4e5f6a7b8",
        "relationship": False,
        "mcaAccepted": True,
    },
    {  # neither
        "domain": "wingtiptoys.onmicrosoft.com",
        "tenantId": "3f9b4c5d-6e7a-4f8b-9c23-d4e5f6a7b8c9",
        "relationship": False,
        "mcaAccepted": False,
    },
    {  # a school Microsoft has verified (education tenants are never created by resellers)
        "domain": "fourthcoffeeacademy.onmicrosoft.com",
        "tenantId": "4a0c5d6e-7f8b-4a9c-8d34-e5f6a7b8c9d0",
        "relationship": True,
        "mcaAccepted": True,
    },
    {  # a verified nonprofit, related to our resellers, whose MCA is still to be accepted
        "domain": "lamnafoundation.onmicrosoft.com",
        "tenantId": "5b1d6e7f-8a9c-4bad-9e45-f6a7b8c9d0e1",
        "relationship": True,
        "mcaAccepted": False,
    },
]


def _customer(cid, reseller_id, name, city, state, postal, street, first, last, email, phone):
    return {
        "id": cid,
        "resellerId": reseller_id,
        "externalId": f"EXT-{cid}",
        "name": name,
        "status": "active",
        "language": "en_US",
        "attributes": {},
        "address": {
            "streetAddress": street,
            "postalCode": postal,
            "city": city,
            "state": state,
            "countryCode": "US",
        },
        "contactPersons": [
            {
                "type": "admin",
                "firstName": first,
                "lastName": last,
                "email": email,
                "phoneNumber": phone,
            }
        ],
    }


CUSTOMERS = [
    _customer(
        "1000101",
        "1000001",
        "Woodgrove Bank",
        "Seattle",
        "WA",
        "98104",
        "200 Madison Street",
        "Ava",
        "Reyes",
        "ava.reyes@woodgrove.example",
        "+12065550142",
    ),
    _customer(
        "1000102",
        "1000001",
        "Tailspin Toys",
        "Portland",
        "OR",
        "97204",
        "77 Alder Avenue",
        "Liam",
        "Okafor",
        "liam@tailspintoys.example",
        "+15035550187",
    ),
    _customer(
        "1000103",
        "1000001",
        "Litware Inc.",
        "Boise",
        "ID",
        "83702",
        "9 Capitol Way",
        "Mia",
        "Schultz",
        "mia.schultz@litware.example",
        "+12085550133",
    ),
    _customer(
        "1000104",
        "1000002",
        "Wingtip Toys",
        "Boston",
        "MA",
        "02110",
        "1 Federal Street",
        "Noah",
        "Lindqvist",
        "noah@wingtiptoys.example",
        "+16175550166",
    ),
]

# Which seeded customer owns which existing tenant (the tenant a wizard would find for it).
CUSTOMER_TENANTS = {
    "1000101": "woodgrovebank.onmicrosoft.com",
    "1000102": "tailspintoys.onmicrosoft.com",
    "1000103": "litware.onmicrosoft.com",
    "1000104": "wingtiptoys.onmicrosoft.com",
}

FIRST_IDS = {"reseller": 1000002, "customer": 1000200, "order": 1005000, "subscription": 1008000}
FIRST_ORDER_NUMBER = 12
