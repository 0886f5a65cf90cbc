"""``{% customer_credentials customer %}``: the View password block on any page of a customer."""

from django import template

from customers.credentials import credentials_context

register = template.Library()


@register.inclusion_tag("customers/_credentials.html", takes_context=True)
def customer_credentials(context, customer):
    """Render the customer's kept sign-ins for the signed-in user (nothing revealed yet)."""
    user = context["request"].user
    return {
        "customer": customer,
        "csrf_token": context.get("csrf_token"),
        **credentials_context(customer=customer, user=user),
    }
