"""The upstream's error texts, written out from /work/shared/upstream/README.md (§2.3-2.5).

Tests compare the simulator's answers with these, never with simulator.errors:
an expectation read from the constant under test cannot notice the constant
being wrong.
"""

MPN_NOT_FOUND = "MPN Id is not found"  # 800015
MPN_NOT_INDIRECT_RESELLER = "MPN Id is not a valid Indirect Reseller"  # 800016
MPA_NOT_ACCEPTED = "Microsoft Partner Agreement has not been accepted by the indirect reseller"
MCA_MISSING = (  # 13605
    "Either a partner confirmation of the customer acceptance of the Microsoft Customer "
    "Agreement must be provided or the customer must accept the Microsoft Customer Agreement "
    "in the Microsoft Admin Center before you can complete this purchase"
)
