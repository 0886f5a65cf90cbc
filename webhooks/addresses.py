"""Which receiver URLs are allowed: http(s) on public addresses only, unless a setting says so."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class AddressRefused(ValueError):
    """The URL may not receive webhooks; the message is for the reseller."""


def url_check(url: str) -> None:
    """Raise ``AddressRefused`` unless ``url`` is http(s) on public addresses only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused("Use an http:// or https:// URL with a host name.")
    if getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False):
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(f"The host {parts.hostname} cannot be resolved.") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise AddressRefused(
                f"{parts.hostname} resolves to {address}, a private or reserved address: "
                "webhooks are only sent to public addresses."
            )
