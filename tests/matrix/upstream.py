"""The simulator's seeded customers and tenants the matrix orders for (simulator/seed.py)."""

#: Relationship with the distributor, MCA accepted: no agreement is asked.
WOODGROVE = {
    "id": "1000101",
    "company": "Woodgrove Bank",
    "domain": "woodgrovebank.onmicrosoft.com",
    "tenant_id": "0c6e1f2a-3b4d-4c5e-8f90-a1b2c3d4e5f6",
    "tenant_of_ours": "woodgrovebank.onmicrosoft.com",
    "mca_valid": True,
}
#: Relationship, but no MCA yet: the order must carry the agreement (13605 otherwise).
TAILSPIN = {
    "id": "1000102",
    "company": "Tailspin Toys",
    "domain": "tailspintoys.onmicrosoft.com",
    "tenant_id": "1d7f2a3b-4c5e-4d6f-9a01-b2c3d4e5f6a7",
    "tenant_of_ours": "tailspintoys.onmicrosoft.com",
    "mca_valid": False,
}
#: A customer without a tenant of ours: it orders a new tenant.
LITWARE = {
    "id": "1000103",
    "company": "Litware Inc.",
    "domain": "",
    "tenant_id": "",
    "tenant_of_ours": "",
    "mca_valid": False,
}
SEEDED = {"woodgrove": WOODGROVE, "tailspin": TAILSPIN, "litware": LITWARE}
