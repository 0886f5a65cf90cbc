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


#: Stored with the tenant step: the marketplace's answer on the tenant's MCA.
MCA_IN_PLACE = "mca_in_place"


def agreement_needed(wizard) -> bool:
    """Ask for the MCA unless the marketplace said the existing tenant's MCA is in place.

    A new tenant always needs it (seed 004, "mca_acceptance"). For an existing
    tenant the answer is the marketplace's, given when the tenant step was
    checked (seed 001 step 9: a valid MCA asks for nothing), never our own
    history of past orders. Until the tenant step is answered, the step is shown
    so the progress bar does not shrink by surprise.
    """
    if tenant_preference(wizard) != TENANT_EXISTING:
        return True
    return wizard.stored_value("tenant", MCA_IN_PLACE) != "yes"


def qualification_needed(wizard) -> bool:
    """Every order says whether the customer is a state-owned entity (seed 001 step 10,
    seed 003 step 11), a new tenant too: seed 004's new-tenant example carries
    ``special_qualifications``, and a government body (always a new tenant, seed 002)
    is the typical state-owned entity. Education offers ask for the segment instead.
    """
    return True


CONDITIONS = {
    "agreement": agreement_needed,
    "qualification": qualification_needed,
}
