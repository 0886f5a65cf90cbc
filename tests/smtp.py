"""A mail server that is not there: Django's SMTP backend pointed at a closed local port.

Delivery then fails as it does when the real server is down (ConnectionRefusedError),
through the product's own sending code; nothing is faked.
"""

import socket


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refuse_mail(settings) -> None:
    """Make every e-mail sent under ``settings`` (pytest-django's fixture) fail to connect."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
