"""Everything that would stop an order, found before Buy and listed all at once.

``order_readiness`` is the one entry point (the wizard's review step and the
API's validate-only call use it). It runs our own rules (``orders.checks``),
then sends the order's complete parameter set, built by the same builder Buy
uses, to the marketplace's ``POST /validation/parameters`` and, when every
parameter passed, to ``POST /orders/estimate``. Each refusal comes back as a
problem at the request field and wizard step it concerns, with what to do. An
empty list means the marketplace itself agreed; when it cannot be asked, that
is a problem too. Nothing is written.
"""

import dataclasses
import logging

from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import APIStatusError, MarketplaceError, RateLimitError
from marketplace.types import ParameterValue
from marketplace.wording import marketplace_failure_message

from . import parameters as names
from .checks import COMPANY_FIX, Problem, RequestRows, request_problems
from .requests import OrderRequest
from .upstream_mapping import NotMappable, request_to_input

logger = logging.getLogger(__name__)

__all__ = ["Problem", "order_readiness"]

UNCONFIRMED = _(
    "The marketplace could not check this order just now, so it is not confirmed ready."
)
UNCONFIRMED_FIX = _("Wait a minute and open this page again; nothing has been sent.")
AGREEMENT_FIX = _(
    "Give the name, e-mail and date of the person at the customer who accepted the "
    "Microsoft Customer Agreement."
)
RELATIONSHIP_FIX = _(
    "Send the customer the relationship link; once its Global Admin has accepted it, check again."
)

#: Where each order-level parameter's refusal is shown: (request field, step, fix).
PARAMETER_PLACES = {
    names.TENANT_PREFERENCE: (
        "tenant_preference",
        "tenant",
        _("Choose a new tenant or the customer's existing one."),
    ),
    names.MICROSOFT_DOMAIN: (
        "microsoft_domain",
        "tenant",
        _("Check the tenant with the customer."),
    ),
    names.MICROSOFT_TENANT_ID: (
        "microsoft_tenant_id",
        "tenant",
        _("Check the tenant ID with the customer."),
    ),
    names.PARTNER_OF_RECORD: (
        "partner_of_record_accepted",
        "attestation",
        _("Read and accept the Partner of Record attestation."),
    ),
    names.MCA_ACCEPTANCE: ("agreement", "agreement", AGREEMENT_FIX),
    names.AGREEMENT_DATE: ("agreement.accepted_on", "agreement", AGREEMENT_FIX),
    names.AGREEMENT_FIRST_NAME: ("agreement.first_name", "agreement", AGREEMENT_FIX),
    names.AGREEMENT_LAST_NAME: ("agreement.last_name", "agreement", AGREEMENT_FIX),
    names.AGREEMENT_EMAIL: ("agreement.email", "agreement", AGREEMENT_FIX),
    names.SPECIAL_QUALIFICATIONS: (
        "special_qualification",
        "qualification",
        _("Choose the qualification that applies to the customer."),
    ),
    names.EDUCATION_SEGMENT: (
        "education_segment",
        "qualification",
        _("Choose the school's segment: K-12 or higher education."),
    ),
    **{
        name: (f"company.{field}", "company", COMPANY_FIX)
        for name, field in names.COMPANY_PARAMETERS.items()
    },
    "tier1_mpn": ("partner", "partner", "Check your MPN ID."),
    "indirect_reseller_domain": ("partner", "partner", "Check your indirect-reseller tenant."),
}


def order_readiness(
    *, request: OrderRequest, reseller, rows=None, ask_marketplace: bool = True
) -> list[Problem]:
    """Return every known blocker of ``request``; an empty list means it can be bought.

    ``rows`` (a ``RequestRows``) shares the rows read with the caller's other checks.
    ``ask_marketplace=False`` runs our own rules only, for a caller that holds the
    marketplace's verdict on this very request from a moment ago.
    """
    rows = rows or RequestRows(reseller)
    problems = request_problems(request=request, reseller=reseller, rows=rows)
    if reseller.tier_status == reseller.TierStatus.UNCHECKED:
        problems.append(
            Problem(
                "partner",
                _("Your partner details have not been confirmed READY yet."),
                _("Check your MPN ID and indirect-reseller tenant domain."),
                "partner",
            )
        )
    customer = rows.customer(request)
    if customer is None or any(p.step == "cart" for p in problems) or not ask_marketplace:
        return problems
    return problems + _upstream_problems(request, reseller, rows, known=problems)


def _upstream_problems(request, reseller, rows, *, known) -> list[Problem]:
    from customers.upstream import client_for

    customer, products = rows.customer(request), rows.products(request)
    try:
        order = request_to_input(request, customer, products)
    except NotMappable as refusal:
        return [Problem("customer_id", refusal.message, _("Choose another customer."), "customer")]
    try:
        with client_for(reseller) as client:
            results = client.validate_parameters(
                customer_id=order.customer_id,
                products=_with_agreement_question(request, order.lines),
                type=order.type,
            )
            problems = _verdict_problems(request, results)
            if problems or known:
                return _new_fields_only(problems, known)
            client.estimate_order(order=order)
    except RateLimitError as busy:
        logger.warning("Readiness check rate-limited by the marketplace", exc_info=True)
        message = marketplace_failure_message(
            busy, outcome=_("this order is not confirmed ready"), next_step=UNCONFIRMED_FIX
        )
        return [Problem("marketplace", message, _("Nothing has been sent."), "review")]
    except APIStatusError as refusal:
        if refusal.status_code >= 500:
            logger.warning("Readiness check refused by a server error", exc_info=True)
            return [Problem("marketplace", UNCONFIRMED, UNCONFIRMED_FIX, "review")]
        return [
            Problem(
                "order",
                _("The marketplace refused this order: %(reason)s") % {"reason": refusal.message},
                _("Correct what it names, then check again."),
                "review",
            )
        ]
    except MarketplaceError:
        logger.warning("Readiness check could not reach the marketplace", exc_info=True)
        return [Problem("marketplace", UNCONFIRMED, UNCONFIRMED_FIX, "review")]
    return []


def _with_agreement_question(request, lines):
    """Without an agreement, also ask whether the tenant needs one (seed 004, "mca_acceptance").

    ``mca_acceptance`` sent without a value gets an error exactly when the
    marketplace wants the agreement (Partner Center's 13605): its answer, not
    our history, decides (seed 001 step 9). Only the question is added; what Buy
    sends is unchanged.
    """
    if request.agreement is not None:
        return lines
    question = ParameterValue(names.MCA_ACCEPTANCE)
    return [dataclasses.replace(line, parameters=(*line.parameters, question)) for line in lines]


def _verdict_problems(request, results) -> list[Problem]:
    """Turn each refused parameter of each line into a problem, once per field."""
    problems: dict[tuple[str, str], Problem] = {}
    for index, result in enumerate(results):
        for verdict in result.parameters:
            if verdict.ok:
                continue
            problem = _problem_for(request, index, verdict)
            problems.setdefault((problem.field, problem.message), problem)
    return list(problems.values())


def _problem_for(request, index, verdict) -> Problem:
    message = verdict.explanation or _("The marketplace refused %(parameter)s.") % {
        "parameter": verdict.name
    }
    if verdict.name == names.OFFER_ATTESTATION:
        return Problem(
            f"lines[{index}].offer_attestation_accepted",
            message,
            _("Read and accept the offer attestation."),
            "attestation",
        )
    field, step, fix = PARAMETER_PLACES.get(
        verdict.name, ("order", "review", _("Correct the order, then check again."))
    )
    if verdict.name in (names.MICROSOFT_DOMAIN, names.MICROSOFT_TENANT_ID):
        if "relationship" in message.lower():
            fix = RELATIONSHIP_FIX
        elif request.tenant_preference == "new":
            free = [c.value.split(".")[0] for c in verdict.value_choices if c.value]
            fix = (
                _("Choose another name for the new tenant. Free names: %(names)s.")
                % {"names": ", ".join(free)}
                if free
                else _("Choose another name for the new tenant.")
            )
    return Problem(field, message, fix, step)


def _new_fields_only(problems, known) -> list[Problem]:
    """Drop the marketplace's verdicts on fields our own rules already refused."""
    taken = {p.field.split(".")[0].split("[")[0] for p in known}
    return [p for p in problems if p.field.split(".")[0].split("[")[0] not in taken]
