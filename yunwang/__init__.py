"""The yunwang Django project. `yunwang.celery_app` (the Celery app) is imported only when asked for."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy: plain Django (no broker, or celery not installed) never imports celery. `celery -A yunwang` finds
    # the app through yunwang.celery by itself.
    if name == "celery_app":
        from yunwang.celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
