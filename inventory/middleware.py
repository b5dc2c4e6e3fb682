"""Attribute writes made during a web request to the signed-in user (for the change log)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from inventory.changelog import acting_as


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with acting_as(f"user:{user.get_username()}"):
                return self.get_response(request)
        return self.get_response(request)
