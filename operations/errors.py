"""What goes to Sentry passes through the same redaction as the logs."""

from marketplace.redaction import redacted

#: An event is never cut: redacted() bounds bodies for storage, not here.
NO_LIMIT = 10**9


def sentry_before_send(event, hint):
    """Return the event with every secret replaced (local variables, messages, request data)."""
    return redacted(event, limit=NO_LIMIT)
