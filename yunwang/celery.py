"""The Celery app for distributed polling: `celery -A yunwang worker -Q poll.<group>` (docs/celery.md).

Configured from Django settings with the CELERY_ prefix (CELERY_BROKER_URL, CELERY_RESULT_BACKEND, ...). Nothing
here runs unless Celery is asked for: `yunwang/__init__.py` imports this module lazily, so Django without a
broker (or without celery installed) works as before and `manage.py poll` polls in-process. Without
CELERY_BROKER_URL the settings make tasks run eagerly in-process (CELERY_TASK_ALWAYS_EAGER).
"""

from __future__ import annotations

import os

from celery import Celery
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunwang.settings")


def default_result_backend(broker_url: str, configured: str | None) -> str | None:
    """The dispatcher waits for each group's summary, so it needs a result backend; derive one from the broker."""
    if configured:
        return configured
    if broker_url.startswith(("redis://", "rediss://")):
        return broker_url
    if broker_url.startswith(("amqp://", "amqps://", "pyamqp://")):
        return "rpc://"  # results travel back to the sender over the broker itself
    return None


app = Celery("yunwang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    result_backend=default_result_backend(settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND),
    # STARTED tells the dispatcher, when a group times out, whether a worker took the task at all.
    task_track_started=True,
    # One poll task at a time per worker process: a task is already a whole bounded-concurrency cycle.
    worker_prefetch_multiplier=1,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
)
app.autodiscover_tasks()
