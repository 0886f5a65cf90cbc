"""Which receivers may get webhooks, resolved once: the addresses checked are the ones connected to.

A receiver's host name is resolved once per delivery; every address it
resolves to must be public, and the connection is then pinned to those
addresses (``webhooks.transport``), so a name that answers differently the
second time (DNS rebinding) cannot steer the POST anywhere else.

"Public" means globally routable and not multicast, for the address itself
and for any IPv4 address carried inside an IPv6 one (IPv4-mapped,
IPv4-compatible, NAT64, 6to4, Teredo): Python calls ``64:ff9b::7f00:1``
global, yet it reaches 127.0.0.1 through a NAT64 gateway.
"""

import ipaddress
import socket
from dataclasses import dataclass

import httpx
from django.conf import settings

DEFAULT_PORTS = {"http": 80, "https": 443}
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
#: RFC 8215's local-use NAT64 prefix: where the IPv4 address sits depends on a prefix
#: length we cannot know, so what it reaches cannot be classified.
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(ValueError):
    """The URL may not receive webhooks; the message is for the reseller."""


@dataclass(frozen=True)
class Receiver:
    """A receiver URL's host and port, and the addresses checked for it."""

    host: str
    port: int
    addresses: tuple[str, ...]


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Return the IPv4 addresses an IPv6 address carries (none for a plain IPv6 address)."""
    if address.ipv4_mapped:
        return [address.ipv4_mapped]
    if address.sixtofour:
        return [address.sixtofour]
    if address.teredo:
        return list(address.teredo)  # the Teredo server and the client behind it
    last_32_bits = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in NAT64_WELL_KNOWN:
        return [last_32_bits]
    if address in IPV4_COMPATIBLE and int(address) > 1:  # not :: nor ::1
        return [last_32_bits]
    return []


def address_refusal(address: IPAddress) -> str | None:
    """Return why ``address`` may not receive webhooks, or None when it is public."""
    if address.version == 6 and address in NAT64_LOCAL_USE:
        return "an address whose destination cannot be determined"
    if not address.is_global or address.is_multicast:
        return "a private or reserved address"
    if address.version == 6:
        for inner in embedded_ipv4(address):
            if not inner.is_global or inner.is_multicast:
                return f"an address that carries {inner}, a private or reserved address"
    return None


def _resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise AddressRefused(f"The host {host} cannot be resolved.") from exc
    return tuple(dict.fromkeys(info[4][0] for info in infos))


def receiver_resolve(url: str) -> Receiver:
    """Resolve ``url``'s host once; raise ``AddressRefused`` unless every address is allowed."""
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise AddressRefused("Use an http:// or https:// URL with a host name.") from exc
    if parsed.scheme not in DEFAULT_PORTS or not host:
        raise AddressRefused("Use an http:// or https:// URL with a host name.")
    port = parsed.port or DEFAULT_PORTS[parsed.scheme]
    addresses = _resolve(host, port)
    if not getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False):
        for text in addresses:
            try:
                address = ipaddress.ip_address(text)
            except ValueError as exc:  # a scoped or otherwise odd answer: not classifiable
                raise AddressRefused(
                    f"{host} resolves to {text}, an address that cannot be checked: "
                    "webhooks are only sent to public addresses."
                ) from exc
            reason = address_refusal(address)
            if reason:
                raise AddressRefused(
                    f"{host} resolves to {address}, {reason}: "
                    "webhooks are only sent to public addresses."
                )
    return Receiver(host=host, port=port, addresses=addresses)


def url_check(url: str) -> None:
    """Raise ``AddressRefused`` unless ``url`` is http(s) on public addresses only."""
    receiver_resolve(url)
