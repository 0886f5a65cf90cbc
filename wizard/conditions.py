"""Which optional steps the reseller meets, decided from what earlier steps hold.

Each predicate takes the wizard view (django-formtools' ``condition_dict``
contract) and reads only the raw stored step data, never a form: a condition
is evaluated on every request and must not call the marketplace. Stored data
is validated again, in full, before the order is placed.
"""

TENANT_NEW = "new"
TENANT_EXISTING = "existing"


def tenant_preference(wizard) -> str:
    return wizard.stored_value("tenant", "tenant_preference") or ""


def agreement_needed(wizard) -> bool:
    """Ask for the MCA unless an existing tenant's customer already has a valid one.

    A new tenant always needs it (README §2.1). Until the tenant step is
    answered, the step is shown so the progress bar does not shrink by surprise.
    """
    if tenant_preference(wizard) != TENANT_EXISTING:
        return True
    customer = wizard.selected_customer()
    return customer is None or not customer.has_valid_mca


def qualification_needed(wizard) -> bool:
    """Ask for a special qualification only for an existing tenant.

    A qualification belongs to a tenant Microsoft already knows; a new tenant
    is ordered with "None". Education offers always go to an existing tenant
    (Microsoft creates education tenants itself), so their segment is asked here.
    """
    return tenant_preference(wizard) == TENANT_EXISTING


CONDITIONS = {
    "agreement": agreement_needed,
    "qualification": qualification_needed,
}
