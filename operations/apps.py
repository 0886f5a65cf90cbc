from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        from . import mail, tracing, worker  # noqa: F401 (mail: its counter serves 0 from the start)

        worker.connect_signals()
        # The web process traces from here; a Celery worker's pool processes start their own
        # tracer after the fork (operations.worker), so no exporter thread is forked.
        tracing.tracing_start()
