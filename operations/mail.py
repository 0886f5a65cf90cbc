"""An e-mail backend that counts what the real one sent and failed to send (Prometheus)."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from prometheus_client import Counter

EMAILS = Counter("nce_emails", "E-mails handed to the mail server, by outcome.", ["outcome"])


class CountingEmailBackend(BaseEmailBackend):
    """Send through OPERATIONS["EMAIL_BACKEND"] and count each message sent or failed."""

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.inner = get_connection(
            settings.OPERATIONS["EMAIL_BACKEND"], fail_silently=fail_silently, **kwargs
        )

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, email_messages):
        messages = list(email_messages)
        try:
            sent = self.inner.send_messages(messages) or 0
        except Exception:
            EMAILS.labels(outcome="failed").inc(len(messages))
            raise
        EMAILS.labels(outcome="sent").inc(sent)
        if len(messages) > sent:  # a backend failing silently returns fewer
            EMAILS.labels(outcome="failed").inc(len(messages) - sent)
        return sent
