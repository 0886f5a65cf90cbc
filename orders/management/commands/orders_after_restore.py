"""Run once on a restored database, before any worker starts (docs/operations.md)."""

from django.core.management.base import BaseCommand

from orders.pipeline.restoring import orders_doubt_after_restore


class Command(BaseCommand):
    help = (
        "After restoring a backup: turn every placed or submitting order unknown, so the "
        "workers look for it at the marketplace before sending it."
    )

    def handle(self, *args, **options):
        counts = orders_doubt_after_restore()
        self.stdout.write(
            f"{counts['placed']} placed and {counts['submitting']} submitting orders will be "
            "looked up at the marketplace before anything is sent. Start the workers now."
        )
