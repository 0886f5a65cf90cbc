"""The main navigation, built for the signed-in user's role.

Links point at pages other apps own; a link whose URL name does not resolve
(yet) is left out instead of breaking every page.
"""

import functools
import re

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from customers.models import User

register = template.Library()

#: (label, URL name) per role, in display order; labels in the language of the page.
NAV_BY_ROLE = {
    User.Role.RESELLER_STAFF: [
        (_("Catalogue"), "catalog:list"),
        (_("Cart"), "catalog:cart"),
        (_("Orders"), "orders:list"),
        (_("Subscriptions"), "subscriptions:list"),
        (_("Customers"), "customers:list"),
        (_("Renewals"), "renewals:upcoming"),
        (_("Evidence"), "evidence:export"),
        (_("Bill"), "billing:checks"),
        (_("Estate"), "estate:runs"),
        (_("Prices"), "pricing:book"),
    ],
    User.Role.SUPPORT: [
        (_("Support search"), "support:search"),
        (_("Errors"), "errors:catalogue"),
        (_("Bills"), "billing:checks"),
    ],
    User.Role.CUSTOMER_USER: [
        (_("Orders"), "orders:list"),
        (_("Subscriptions"), "subscriptions:list"),
    ],
    User.Role.ADMIN: [
        (_("Admin"), "admin:index"),
        (_("Evidence"), "evidence:export"),
        (_("Estate"), "estate:runs"),
    ],
}

#: Links shown together under one disclosure in the menu, so that a role's menu stays one line
#: at 1280 px (a reseller has ten links, besides the language menu and its account).
NAV_GROUPS = {
    User.Role.RESELLER_STAFF: (
        _("Back office"),
        ["evidence:export", "billing:checks", "estate:runs", "pricing:book"],
    ),
}

#: Extra links for end customers whose reseller lets them order for themselves.
SELF_SERVICE_NAV = [(_("Catalogue"), "catalog:list"), (_("Cart"), "catalog:cart")]


def nav_links_for(user):
    """Return the (label, URL name) pairs of ``user``'s navigation."""
    role = User.Role.ADMIN if user.is_superuser else user.role
    links = list(NAV_BY_ROLE.get(role, []))
    if role == User.Role.CUSTOMER_USER and user.customer.reseller.self_service_enabled:
        links = SELF_SERVICE_NAV + links
    if role == User.Role.RESELLER_STAFF and user.reseller.self_service_approval_required:
        links.append((_("Approvals"), "approvals:queue"))
    return links


def url_or_none(name, *args, **kwargs):
    """Return the URL for ``name``, or None when it is not routed."""
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return None


@functools.lru_cache(maxsize=256)
def _nav_url(name, urlconf, script_prefix):
    # ``urlconf`` and ``script_prefix`` are only part of the key: reverse() reads them itself.
    return url_or_none(name)


def nav_url(name):
    """Return the URL of navigation link ``name`` (or None): reversed once per URL
    configuration and prefix, not on every page."""
    return _nav_url(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def nav_items_for(user, current_path=""):
    """Return the navigation links ``user`` should see, marking the current one."""
    if user is None or not user.is_authenticated:
        return []
    items = []
    for label, name in nav_links_for(user):
        url = nav_url(name)
        if url is None:
            continue
        is_current = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": label, "url": url, "current": is_current, "name": name})
    return _grouped(items, User.Role.ADMIN if user.is_superuser else user.role)


def _grouped(items, role):
    """Put the role's grouped links (NAV_GROUPS) into one item with ``children``, in the place
    of the first of them."""
    if role not in NAV_GROUPS:
        return items
    label, names = NAV_GROUPS[role]
    children = [item for item in items if item["name"] in names]
    if len(children) < 2:
        return items
    group = {"label": label, "children": children, "current": any(c["current"] for c in children)}
    grouped = []
    # By identity: comparing the items' dicts would translate their labels.
    child_ids = {id(child) for child in children}
    for item in items:
        if item is children[0]:
            grouped.append(group)
        elif id(item) not in child_ids:
            grouped.append(item)
    return grouped


#: A row's value the fast path below takes as it is: characters that every URL converter of
#: ours accepts (a digit-only value also an ``int``'s) and that quoting leaves alone.
_PLAIN_VALUE = re.compile(r"[-A-Za-z0-9_]+")


@functools.lru_cache(maxsize=64)
def _row_url_parts(name, argument, letters, urlconf, script_prefix):
    """Return the URL of ``name`` cut around its one ``argument``, or None."""
    marker = "rowurlmarker" if letters else "2718281828"
    try:
        url = reverse(name, kwargs={argument: marker})
    except NoReverseMatch:
        return None
    head, found, tail = url.partition(marker)
    return (head, tail) if found and marker not in tail else None


def row_url_of(name, **kwargs):
    """Return ``reverse(name, kwargs=kwargs)`` for a URL of one argument, as a table needs it
    on every row: reversed once per URL name, then the row's value put in its place."""
    ((argument, value),) = kwargs.items()
    text = str(value)
    if _PLAIN_VALUE.fullmatch(text):
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        letters = not text.isdigit()
        parts = _row_url_parts(name, argument, letters, urlconf, get_script_prefix())
        if parts is not None:
            return parts[0] + text + parts[1]
    return reverse(name, kwargs=kwargs)


@register.simple_tag
def row_url(name, **kwargs):
    """``{% row_url 'orders:detail' reference=order.reference %}``: ``{% url %}`` for a row."""
    return row_url_of(name, **kwargs)


@register.simple_tag
def optional_row_url(name, **kwargs):
    """``row_url``, or an empty string when ``name`` is not routed (as ``{% url ... as x %}``)."""
    try:
        return row_url_of(name, **kwargs)
    except NoReverseMatch:
        return ""


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    return {"items": nav_items_for(user, path)}


@register.simple_tag
def optional_url(name, *args, **kwargs):
    """Return the URL for ``name``, or an empty string when it is not routed."""
    return url_or_none(name, *args, **kwargs) or ""
