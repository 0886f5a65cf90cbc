"""Receivers are resolved once and connected to at the checked address (no DNS rebinding);
addresses that carry a private IPv4 address inside IPv6 are refused."""

import ipaddress
import socket
import ssl
import tempfile
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import timezone

from tests.factories import OrderFactory, UserFactory
from webhooks import addresses
from webhooks.addresses import AddressRefused, receiver_resolve
from webhooks.models import Endpoint, Event, Message
from webhooks.services import message_deliver, payload_build

REBINDING_NAME = "rebind.attacker.test"
#: No public address can be reached from the test machine, so 127.0.0.2 stands in for one:
#: the check is told it is public (and only it). Everything else is real: the resolver is
#: the process's getaddrinfo, the listeners real sockets.
STAND_IN_PUBLIC = "127.0.0.2"


class Listener:
    """An HTTP server on ``host``, port 0, that counts every TCP connection it accepts."""

    def __init__(self, host, port=0):
        self.connections = 0
        self.requests = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self):
                listener.connections += 1
                super().setup()

            def do_POST(self):
                self.rfile.read(int(self.headers["content-length"]))
                listener.requests.append(dict(self.headers))
                self.send_response(200)
                body = b"INTERNAL-ONLY: admin console, token=abc"
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def rebinding_resolver(monkeypatch):
    """A DNS answer that changes on every lookup of REBINDING_NAME: first the stand-in public
    address, then loopback. httpx asks with the name as bytes, so both spellings count."""
    real = socket.getaddrinfo
    lookups = []
    answers = [STAND_IN_PUBLIC, "127.0.0.1"]

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name != REBINDING_NAME:
            return real(host, port, *args, **kwargs)
        address = answers[min(len(lookups), len(answers) - 1)]
        lookups.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    real_refusal = addresses.address_refusal
    monkeypatch.setattr(
        addresses,
        "address_refusal",
        lambda a: None if str(a) == STAND_IN_PUBLIC else real_refusal(a),
    )
    return lookups


def _message(url):
    order = OrderFactory()
    endpoint = Endpoint.objects.create(reseller=order.reseller, url=url, events=[Event.COMPLETED])
    return Message.objects.create(
        endpoint=endpoint,
        message_id="msg_rebind",
        event_type=Event.COMPLETED,
        order=order,
        payload=payload_build(order=order, event_type=Event.COMPLETED, occurred_at=timezone.now()),
        next_attempt_at=timezone.now(),
    )


@pytest.mark.django_db
def test_a_rebinding_name_reaches_the_checked_address_never_loopback(rebinding_resolver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    public = Listener(STAND_IN_PUBLIC)
    loopback = Listener("127.0.0.1", public.port)  # the same port on the address rebound to
    try:
        message = _message(f"http://{REBINDING_NAME}:{public.port}/hook")
        attempt = message_deliver(message=message)
    finally:
        public.close()
        loopback.close()
    assert loopback.connections == 0
    assert attempt.succeeded, attempt.error
    assert rebinding_resolver == [STAND_IN_PUBLIC]  # resolved once
    assert public.requests[0]["Host"] == f"{REBINDING_NAME}:{public.port}"


@pytest.mark.django_db
def test_the_receivers_body_is_never_kept_or_shown(rebinding_resolver, settings, client):
    public = Listener(STAND_IN_PUBLIC)
    try:
        message = _message(f"http://{REBINDING_NAME}:{public.port}/hook")
        message_deliver(message=message)
    finally:
        public.close()
    client.force_login(UserFactory(reseller=message.endpoint.reseller))
    page = client.get(f"/settings/webhooks/{message.endpoint.pk}/").content.decode()
    assert "200" in page
    assert "INTERNAL-ONLY" not in page
    assert "INTERNAL-ONLY" not in str(message.attempts.values())


def _self_signed_context(host):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert = certificate.public_bytes(serialization.Encoding.PEM)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with tempfile.NamedTemporaryFile("wb", suffix=".pem") as handle:
        handle.write(cert + pem)
        handle.flush()
        context.load_cert_chain(handle.name)
    return context


@pytest.mark.django_db
def test_tls_keeps_the_receivers_name_for_sni(rebinding_resolver, settings):
    """The pinned connection still says the receiver's name in the TLS handshake."""
    server_names = []
    context = _self_signed_context(REBINDING_NAME)
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    plain = socket.create_server((STAND_IN_PUBLIC, 0))
    port = plain.getsockname()[1]

    def accept():
        connection, _ = plain.accept()
        try:
            context.wrap_socket(connection, server_side=True).close()
        except (ssl.SSLError, OSError):
            pass  # the client refuses our self-signed certificate: expected

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        attempt = message_deliver(message=_message(f"https://{REBINDING_NAME}:{port}/hook"))
        thread.join(5)
    finally:
        plain.close()
    assert server_names == [REBINDING_NAME]
    assert not attempt.succeeded  # the certificate is checked against the name, and fails


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.5",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::127.0.0.1",  # IPv4-compatible
        "::10.0.0.1",
        "64:ff9b::7f00:1",  # NAT64 well-known prefix → 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 → 10.0.0.1
        "64:ff9b:1::7f00:1",  # local-use NAT64: cannot be classified
        "64:ff9b:1:ffff::808:808",
        "2002:7f00:1::1",  # 6to4 → 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 → 169.254.169.254
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "224.0.1.1",
        "ff0e::1",
    ],
)
def test_private_addresses_inside_ipv6_are_refused(address):
    assert addresses.address_refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8"],
)
def test_public_addresses_pass(address):
    assert addresses.address_refusal(ipaddress.ip_address(address)) is None


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["[64:ff9b::7f00:1]", "[2002:7f00:1::1]", "[::127.0.0.1]"])
def test_urls_naming_such_addresses_are_refused(host, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(AddressRefused, match="private or reserved"):
        receiver_resolve(f"https://{host}/hook")
