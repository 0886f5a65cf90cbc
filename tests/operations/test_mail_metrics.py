"""E-mails sent and failed are counted by the backend every message goes through."""

import socket

from django.core import mail
from django.core.mail import send_mail

from operations.mail import EMAILS


def count(outcome: str) -> float:
    return EMAILS.labels(outcome=outcome)._value.get()


def counting_with(settings, inner, **more):
    settings.EMAIL_BACKEND = "operations.mail.CountingEmailBackend"
    settings.OPERATIONS = {**settings.OPERATIONS, "EMAIL_BACKEND": inner}
    for name, value in more.items():
        setattr(settings, name, value)


def test_a_sent_message_is_counted_and_delivered(settings):
    counting_with(settings, "django.core.mail.backends.locmem.EmailBackend")
    before = count("sent")
    send_mail("Order NCE-1 completed", "Done.", "orders@example.com", ["a@example.com"])
    assert count("sent") == before + 1
    assert mail.outbox[-1].subject == "Order NCE-1 completed"


def test_a_message_the_mail_server_refuses_is_counted_as_failed(settings):
    with socket.socket() as closed:  # a port nothing listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    counting_with(
        settings,
        "django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=2,
    )
    before = count("failed")
    sent = send_mail("Hello", "Body", "orders@example.com", ["a@example.com"], fail_silently=True)
    assert sent == 0
    assert count("failed") == before + 1
