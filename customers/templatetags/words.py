"""Plain-English helpers for templates."""

from django import template

register = template.Library()


@register.filter
def possessive(name) -> str:
    """Return ``name`` in the possessive: "Contoso's", but "Fabrikam Services'" (ends in s)."""
    name = str(name or "").rstrip()
    if not name:
        return ""
    return f"{name}'" if name[-1] in "sS" else f"{name}'s"
