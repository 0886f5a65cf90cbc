"""The outbox both kinds of history share: event rows told to listeners after commit.

An event row (``OrderEvent``, ``SubscriptionEvent``) is written in the transaction that made
the change, so it is the outbox. Once that transaction commits, each listener registered for
one of the event's kinds is called with it in a transaction of its own, together with its
receipt; a listener that fails leaves no receipt and its work is rolled back, and the beat's
``orders.redeliver_events`` hands the event to it again. A listener may thus see an event
twice, and tells repeats apart by ``event.pk``. ``orders.events`` and
``orders.subscription_events`` each hold one ``Outbox``; they differ only in what makes an
event of a kind.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q

logger = logging.getLogger(__name__)

#: The beat leaves an event to its first delivery this long before handing it out again.
REDELIVER_GRACE = timedelta(minutes=2)
#: Events older than this are not handed out again (their listeners were told, or gave up).
REDELIVER_WINDOW = timedelta(days=1)
REDELIVER_BATCH = 500


@dataclass(frozen=True)
class Listener:
    kind: str
    name: str
    handle: Callable[[models.Model], None]


class Outbox:
    """The listeners of one kind of event row, and their deliveries with receipts."""

    def __init__(
        self,
        *,
        log_name: str,
        receipts: type[models.Model],
        kinds_of: Callable[[models.Model], list[str]],
        rows_of: Callable[[str], Q],
        subject: str,
    ):
        self.log_name = log_name  # "Order event": how the log names one
        self.receipts = receipts  # its receipt model: (event, listener) unique
        self.kinds_of = kinds_of  # the kinds one event is of
        self.rows_of = rows_of  # the same, as a filter on the event rows
        self.subject = subject  # the event's foreign key to what it happened to
        self.listeners: dict[tuple[str, str], Listener] = {}

    def listen(self, kind: str, name: str, handle: Callable[[models.Model], None]) -> None:
        """Call ``handle(event)`` after commit for every event of ``kind``; ``name`` keys
        receipts."""
        self.listeners[(kind, name)] = Listener(kind=kind, name=name, handle=handle)

    def publish(self, event: models.Model) -> None:
        """Tell the event's listeners once the transaction that recorded it commits."""
        kinds = self.kinds_of(event)
        wanted = [listener for listener in self.listeners.values() if listener.kind in kinds]
        if wanted:
            transaction.on_commit(lambda: self._deliver_all(event, wanted), robust=True)

    def _deliver_all(self, event: models.Model, wanted: list[Listener]) -> None:
        for listener in wanted:
            self.deliver(event, listener)

    def deliver(self, event: models.Model, listener: Listener) -> bool:
        """Hand ``event`` to ``listener`` with its receipt in one transaction; return True if done.

        A failure rolls back what the listener did and is logged; the event keeps no receipt
        and the beat hands it out again. A receipt already there (another worker was first)
        rolls this delivery back too, so a listener's database work happens once.
        """
        try:
            with transaction.atomic():
                listener.handle(event)
                self.receipts.objects.create(event_id=event.pk, listener=listener.name)
        except IntegrityError:
            logger.info("%s %s: %s was told already", self.log_name, event.pk, listener.name)
            return False
        except Exception:
            logger.exception(
                "%s %s (%s): listener %s failed; the beat tries again",
                self.log_name,
                event.pk,
                listener.kind,
                listener.name,
            )
            return False
        return True

    def redeliver(self, recent: models.QuerySet) -> int:
        """Hand each of the ``recent`` events still without its listener's receipt to it again;
        return how many were delivered."""
        count = 0
        for listener in list(self.listeners.values()):
            receipt = self.receipts.objects.filter(event=OuterRef("pk"), listener=listener.name)
            missed = (
                recent.filter(self.rows_of(listener.kind))
                .filter(~Exists(receipt))
                .select_related(self.subject)
                .order_by("pk")[:REDELIVER_BATCH]
            )
            for event in missed:
                count += self.deliver(event, listener)
        return count


def redeliverable(events: models.QuerySet, *, now, window: timedelta = REDELIVER_WINDOW):
    """Return the events old enough to have missed their first delivery, young enough to
    still be handed out."""
    return events.filter(created_at__gte=now - window, created_at__lt=now - REDELIVER_GRACE)
