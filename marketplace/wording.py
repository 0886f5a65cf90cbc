"""What a person reads when a marketplace call failed: busy (a 429) or out of reach.

One function builds every such sentence, so a rate limit never reads like an
outage: it says the marketplace is busy and when to try again (its
Retry-After when it sent one).
"""

import math

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .exceptions import MarketplaceError, RateLimitError

#: When the marketplace said it was busy but not for how long.
BUSY_RETRY_UNKNOWN = _("Try again in a minute.")


def is_busy(error: MarketplaceError) -> bool:
    """Tell whether the call failed because the marketplace limits our requests (429)."""
    return isinstance(error, RateLimitError)


def try_again_in(seconds: float | None) -> str:
    """Return "Try again in …" for a Retry-After of ``seconds`` (or a minute when unknown)."""
    if seconds is None or seconds < 0:
        return BUSY_RETRY_UNKNOWN
    if seconds < 90:
        whole = max(1, math.ceil(seconds))
        return ngettext(
            "Try again in %(count)s second.", "Try again in %(count)s seconds.", whole
        ) % {"count": whole}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Try again in %(count)s minute.", "Try again in %(count)s minutes.", minutes
    ) % {"count": minutes}


def marketplace_failure_message(error: MarketplaceError, *, outcome: str, next_step: str) -> str:
    """Return the sentence for a failed call: busy with when to retry, else out of reach.

    ``outcome`` says what did not happen ("nothing was changed"); ``next_step``
    what to do after an outage ("Wait a minute and press Next again."). A rate
    limit replaces ``next_step`` with when to try again.
    """
    if is_busy(error):
        return _(
            "The marketplace is busy just now (too many requests), so %(outcome)s. %(retry)s"
        ) % {"outcome": outcome, "retry": try_again_in(error.retry_after)}
    sentence = _("The marketplace could not be reached just now, so %(outcome)s. %(next_step)s")
    return (sentence % {"outcome": outcome, "next_step": next_step}).strip()
