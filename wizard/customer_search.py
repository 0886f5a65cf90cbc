"""Finding one customer among thousands: a short list of matches, never a select of them all."""

from django.db.models import Q

from customers.models import Customer

SEARCH_LIMIT = 10


def customer_search_results(*, user, query, picked=None) -> dict:
    """Return up to SEARCH_LIMIT of ``user``'s customers matching ``query`` (newest when empty).

    The picked customer is always listed first, so it stays selectable whatever is searched.
    """
    # A NUL is no search term, and PostgreSQL refuses it in a query parameter.
    query = " ".join(str(query or "").replace("\x00", " ").split())[:100]
    customers = Customer.objects.visible_to(user)
    if query:
        customers = customers.filter(
            Q(company_name__icontains=query)
            | Q(tenant_domain__istartswith=query.lower())
            | Q(upstream_customer_id=query)
        ).order_by("company_name", "pk")
    else:
        customers = customers.order_by("-pk")
    results = list(customers[: SEARCH_LIMIT + 1])
    more = len(results) > SEARCH_LIMIT
    results = results[:SEARCH_LIMIT]
    if picked is not None and picked not in results:
        results.insert(0, picked)
    return {"query": query, "results": results, "more_results": more, "picked": picked}
