"""The Celery app. Configuration lives in Django settings under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("nce")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def check_database_connections(task=None, **kwargs):
    """Treat each task as Django treats a request: drop a connection that broke or aged.

    Workers keep their connection across tasks (CELERY_DB_REUSE_MAX), so nothing else
    would notice a restarted PostgreSQL: every task on the dead connection would fail.
    Here a connection that saw an error and no longer answers is closed, one past
    CONN_MAX_AGE too, and with CONN_HEALTH_CHECKS the next query checks it first.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return  # run in the caller's process (tests): its connection is the caller's
    from django.db import close_old_connections

    close_old_connections()
