"""The Celery side: task durations, the worker's own metrics endpoint and the log context.

The worker serves its metrics itself, on WORKER_METRICS_PORT (see docs/operations.md for why
not through the web tier), behind the same METRICS_TOKEN as the web's /metrics.
"""

import logging
import os
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

from celery import signals
from prometheus_client import Histogram, make_wsgi_app

logger = logging.getLogger(__name__)

TASK_SECONDS = Histogram(
    "nce_task_seconds",
    "Seconds a Celery task ran, by task name.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
_started: dict[str, float] = {}


def connect_signals():
    """Connect the worker's signal handlers (they fire only inside a Celery worker)."""
    signals.task_prerun.connect(_task_started, weak=False)
    signals.task_postrun.connect(_task_finished, weak=False)
    signals.worker_process_shutdown.connect(_pool_process_stopped, weak=False)
    signals.worker_ready.connect(_worker_ready, weak=False)
    from django_structlog.celery.receivers import CeleryReceiver

    # django-structlog's app binds the request id into published tasks; these bind it
    # (and the task's name and id) on the worker's side.
    receiver = CeleryReceiver()
    signals.task_prerun.connect(receiver.receiver_task_prerun, weak=False)
    signals.task_failure.connect(receiver.receiver_task_failure, weak=False)


def _task_started(task_id=None, **kwargs):
    _started[task_id] = time.monotonic()


def _task_finished(task_id=None, task=None, **kwargs):
    started = _started.pop(task_id, None)
    if started is not None and task is not None:
        TASK_SECONDS.labels(task=task.name).observe(time.monotonic() - started)


def _pool_process_stopped(pid=None, **kwargs):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())


def _worker_ready(**kwargs):
    port = os.environ.get("WORKER_METRICS_PORT")
    if port:
        metrics_server_start(int(port), os.environ.get("WORKER_METRICS_ADDRESS", "0.0.0.0"))


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # one line per scrape would drown the worker's log
        pass


def metrics_server_start(port: int, address: str):
    """Serve this host's worker metrics on ``address:port`` in a thread, behind METRICS_TOKEN."""
    from .metrics import process_registry
    from .views import metrics_token_matches

    exposition = make_wsgi_app(process_registry())

    def app(environ, start_response):
        if not metrics_token_matches(environ.get("HTTP_AUTHORIZATION", "")):
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"Metrics need 'Authorization: Bearer <METRICS_TOKEN>'.\n"]
        return exposition(environ, start_response)

    server = make_server(address, port, app, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    logger.info("Worker metrics on http://%s:%s/metrics", address, port)
    return server
