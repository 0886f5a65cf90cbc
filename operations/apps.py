from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from . import mail, tracing, worker  # noqa: F401 (mail: its counter serves 0 from the start)

        worker.connect_signals()
        # Every process that loads Django (web, worker, beat). The SDK's batch exporter starts
        # its thread again in a forked child (gunicorn workers, Celery's prefork pool).
        tracing.tracing_start()
