"""One form per wizard step, in the order the reseller meets them."""

from .agreement import AgreementStepForm
from .attestation import AttestationStepForm
from .cart import CartStepForm
from .customer import CustomerStepForm
from .partner import PartnerStepForm
from .qualification import QualificationStepForm
from .review import ReviewStepForm
from .tenant import TenantStepForm

STEP_FORMS = [
    ("cart", CartStepForm),
    ("customer", CustomerStepForm),
    ("partner", PartnerStepForm),
    ("tenant", TenantStepForm),
    ("attestation", AttestationStepForm),
    ("agreement", AgreementStepForm),
    ("qualification", QualificationStepForm),
    ("review", ReviewStepForm),
]

__all__ = [
    "STEP_FORMS",
    "AgreementStepForm",
    "AttestationStepForm",
    "CartStepForm",
    "CustomerStepForm",
    "PartnerStepForm",
    "QualificationStepForm",
    "ReviewStepForm",
    "TenantStepForm",
]
