"""The product's own history sentences, stored in English and read in the reader's language.

An event's ``cause`` is a record: written once, in English (workers run in the default
language), never rewritten. The sentences the product writes are catalogue msgids, marked
with ``gettext_noop`` (``cause=PLACED_BY_RESELLER``,
``cause=SENDING % {"attempt": 2}``); when a page shows a cause, ``cause_in_language`` finds the
msgid it was written from, takes its values back out, and puts them into the reader's
translation. A cause written from no msgid (the marketplace's own words, a reason typed by a
person, a sentence worded differently in an older release) is shown as it was stored.

A cause may be several of these sentences one after another (" It waits for the reseller's
approval." after how it was placed): each sentence is looked up on its own.

Money in a cause is written in English by ``money_words`` ("1,234.50 USD"); a sentence
registered with ``money=`` names the values that are money, and they are read back and
written again for the reader's language ("1.234,50 USD").
"""

import functools
import re

from django.utils.translation import gettext, gettext_noop

from catalog.money import format_money, money_parse

_PLACEHOLDER = re.compile(r"%\((?P<name>\w+)\)[sd]")
_SENTENCE_END = re.compile(r"(?<=[.:;!?]) (?=[A-Z])")

#: Every sentence the product writes into an order's or a subscription's history. A new
#: sentence is one more gettext_noop() where it is written and one more line here.
CAUSES: list[str] = []
#: The language money is stored in, in every cause.
STORED_LOCALE = "en"
#: For each sentence with money in it, the names of its values that are money.
_MONEY: dict[str, tuple[str, ...]] = {}


def cause(msgid: str, *, money: tuple[str, ...] = ()) -> str:
    """Register ``msgid`` as a history sentence and return it (a ``gettext_noop``).

    ``money`` names its values written with ``money_words``: they are shown in the
    reader's language.
    """
    CAUSES.append(msgid)
    if money:
        _MONEY[msgid] = money
    _patterns.cache_clear()
    return msgid


def money_words(amount, currency: str) -> str:
    """Return money as a cause stores it, whatever the active language: "1,234.50 USD"."""
    return format_money(amount, currency, locale=STORED_LOCALE)


def _money_in_language(stored: str) -> str:
    money = money_parse(stored, locale=STORED_LOCALE)
    return stored if money is None else format_money(*money)


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    patterns = []
    for msgid in CAUSES:
        regex, at, names = "", 0, set()
        for match in _PLACEHOLDER.finditer(msgid):
            regex += re.escape(msgid[at : match.start()])
            name = match["name"]
            regex += f"(?P={name})" if name in names else f"(?P<{name}>.+?)"
            names.add(name)
            at = match.end()
        regex += re.escape(msgid[at:])
        patterns.append((msgid, re.compile(regex, re.DOTALL)))
    # The longest sentence first: one with more fixed words is the more precise match.
    return sorted(patterns, key=lambda pair: len(_PLACEHOLDER.sub("", pair[0])), reverse=True)


def _translated(sentence: str) -> str | None:
    for msgid, pattern in _patterns():
        match = pattern.fullmatch(sentence)
        if match:
            values = match.groupdict()
            for name in _MONEY.get(msgid, ()):
                values[name] = _money_in_language(values[name])
            return gettext(msgid) % values if values else gettext(msgid)
    return None


def cause_in_language(stored: str) -> str:
    """Return a stored cause in the active language, sentence by sentence where it can."""
    whole = _translated(stored)
    if whole is not None:
        return whole
    sentences = _SENTENCE_END.split(stored)
    if len(sentences) == 1:
        return stored
    return " ".join(_translated(sentence) or sentence for sentence in sentences)


PLACED_BY_RESELLER = cause(gettext_noop("Placed by reseller staff in the order wizard."))
PLACED_BY_CUSTOMER = cause(gettext_noop("Placed by the customer through self-service."))
PLACED_BY_API = cause(gettext_noop("Placed through the JSON API."))
PLACED_BY_ADMIN = cause(gettext_noop("Placed by an administrator."))
WAITS_FOR_APPROVAL = cause(gettext_noop("It waits for the reseller's approval."))

# Sending (orders.pipeline.submission).
SENDING = cause(gettext_noop("Attempt %(attempt)s: sending the order to the marketplace."))
ACCEPTED = cause(gettext_noop("The marketplace accepted the order as %(number)s."))
ACCEPTED_WHILE_DOWN = cause(
    gettext_noop(
        "The marketplace accepted the order as %(number)s; its answer was kept while our "
        "database was unreachable and recorded once it was back."
    )
)
SLOWED_DOWN = cause(
    gettext_noop(
        "The marketplace asked us to slow down (HTTP 429); nothing was created. Trying again "
        "in %(seconds)s s."
    )
)
CREDENTIALS_REFUSED = cause(
    gettext_noop(
        "The marketplace refused our credentials (HTTP 401); nothing was created. Trying again "
        "in %(seconds)s s."
    )
)
UNREACHABLE = cause(
    gettext_noop(
        "The marketplace could not be reached; nothing was created. Trying again in %(seconds)s s."
    )
)
NO_CLEAR_ANSWER = cause(
    gettext_noop(
        "The order was sent but no clear answer came back (%(message)s). Checking with the "
        "marketplace before anything is sent again."
    )
)
REFUSED = cause(gettext_noop("The marketplace refused the order: %(message)s"))

# Following the order (orders.pipeline.polling, .completion).
PROVISIONING = cause(gettext_noop("The marketplace is provisioning the order (%(code)s)."))
UPSTREAM_STATUS = cause(gettext_noop("Upstream status %(status)s (%(code)s)."))
NOTHING_CHANGED = cause(gettext_noop("Asked the marketplace again; nothing changed."))
CANCELLATION_FAILED = cause(
    gettext_noop("The cancellation %(reference)s failed; the subscriptions stay active.")
)
COMPLETED = cause(gettext_noop("The marketplace completed the order (%(code)s)."))
DETAILS_PENDING = cause(
    gettext_noop("Seen in the list of the customer's orders; its detail is read next.")
)
DETAILS_READ = cause(gettext_noop("Read the completed order's detail from the marketplace."))
DETAILS_READ_ONE = cause(
    gettext_noop("Read the completed order's detail from the marketplace: 1 subscription recorded.")
)
DETAILS_READ_MANY = cause(
    gettext_noop(
        "Read the completed order's detail from the marketplace: %(count)s subscriptions recorded."
    )
)
ALL_CANCELLED_UPSTREAM = cause(
    gettext_noop("Every subscription of the order was cancelled upstream.")
)

# The marketplace's refund figure (orders.refunds). "our estimate" is ours, in the order's
# currency.
REFUND_ESTIMATED = cause(
    gettext_noop("Refund estimated by the marketplace: %(amount)s."), money=("amount",)
)
REFUND_ESTIMATED_BESIDE_OURS = cause(
    gettext_noop("Refund estimated by the marketplace: %(amount)s (our estimate was %(ours)s)."),
    money=("amount", "ours"),
)
REFUND_CONFIRMED = cause(
    gettext_noop("Refund confirmed by the marketplace: %(amount)s."), money=("amount",)
)
REFUND_CONFIRMED_BESIDE_OURS = cause(
    gettext_noop("Refund confirmed by the marketplace: %(amount)s (our estimate was %(ours)s)."),
    money=("amount", "ours"),
)

# People acting on an order (orders.services).
APPROVED_BY = cause(gettext_noop("Approved by %(user)s."))
DECLINED_BY = cause(gettext_noop("Declined by %(user)s: %(reason)s"))
CANCELLATION_REQUESTED_ONE = cause(gettext_noop("Cancellation requested for 1 subscription."))
CANCELLATION_REQUESTED_MANY = cause(
    gettext_noop("Cancellation requested for %(count)s subscriptions.")
)
CORRECTED = cause(gettext_noop("Corrected before sending again: %(summary)s."))
RESUBMITTED = cause(
    gettext_noop("Resubmitted after correcting what the marketplace refused (%(summary)s).")
)

# A subscription's history (estate.recording writes these with the same msgids).
cause(
    gettext_noop(
        "%(name)s (%(id)s), %(seats)s seats, was bought outside this product for %(customer)s."
    )
)
cause(gettext_noop("%(name)s (%(id)s), %(seats)s seats, adopted from the marketplace."))
cause(gettext_noop("%(name)s (%(id)s) changed outside this product: %(changes)s."))

# Renewals and changes scheduled for them (orders.services.renewal_changes, renewals.services).
RENEWAL_SEATS_SCHEDULED = cause(
    gettext_noop(
        "At the renewal on %(day)s: set subscription %(id)s to %(seats)s seats (from %(before)s)."
    )
)
SCHEDULED_CHANGE_CANCELLED = cause(
    gettext_noop("The change scheduled for the renewal was cancelled before it.")
)
MARKETPLACE_CANCELLED_SCHEDULED = cause(
    gettext_noop("The marketplace cancelled the scheduled change.")
)
SCHEDULED_CHANGE_APPLIED = cause(
    gettext_noop(
        "The renewal on %(day)s applied the change scheduled by order %(reference)s: "
        "%(before)s → %(after)s seats, %(product)s."
    )
)
RENEWED_ON = cause(gettext_noop("Renewed on %(day)s: %(seats)s seats of %(product)s."))
AUTO_RENEW_ON = cause(gettext_noop("Auto-renew turned on for %(product)s (%(id)s)."))
AUTO_RENEW_OFF = cause(gettext_noop("Auto-renew turned off for %(product)s (%(id)s)."))

# People and the product looking after an order (orders.stuck, orders.pipeline.restoring).
ADMIN_ASKED_POLL = cause(gettext_noop("An admin asked for the order to be polled now."))
RESTORED_FROM_BACKUP = cause(
    gettext_noop(
        "The database was restored from a backup, which may be older than this order's send: "
        "looking for it at the marketplace before anything is sent."
    )
)
