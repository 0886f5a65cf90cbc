"""The Celery side: task durations, the worker's own metrics endpoint and the log context.

The worker serves its metrics itself, on WORKER_METRICS_PORT (see docs/operations.md for why
not through the web tier), behind the same METRICS_TOKEN as the web's /metrics.
"""

import logging
import os
import threading
import time
from datetime import datetime
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
TASK_WAIT_SECONDS = Histogram(
    "nce_task_wait_seconds",
    "Seconds a Celery task waited in its queue: from publish (or its ETA) to its start.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900),
)
#: The header the publisher stamps with the time it sent the task.
PUBLISHED_AT_HEADER = "nce_published_at"
_started: dict[str, float] = {}


def connect_signals():
    """Connect the worker's signal handlers (they fire only inside a Celery worker)."""
    signals.before_task_publish.connect(_stamp_published_at, weak=False)
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


def _stamp_published_at(headers=None, **kwargs):
    if headers is not None:
        headers[PUBLISHED_AT_HEADER] = time.time()


def _task_started(task_id=None, task=None, **kwargs):
    _started[task_id] = time.monotonic()
    published_at = getattr(task.request, PUBLISHED_AT_HEADER, None) if task else None
    if published_at is None:
        return  # sent by a publisher without this app (or before it stamped)
    ready_at = float(published_at)
    if task.request.eta:  # a countdown: waiting until then was the plan, not the queue
        ready_at = max(ready_at, datetime.fromisoformat(task.request.eta).timestamp())
    TASK_WAIT_SECONDS.labels(task=task.name).observe(max(time.time() - ready_at, 0.0))


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
