"""The /metrics endpoint, optionally behind a bearer token."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from dashboards.metrics import REGISTRY
from dashboards.metrics_text import render


def bearer_token_matches(request: HttpRequest, expected: str) -> bool:
    """Constant-time check of `Authorization: Bearer <token>`."""
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented:
        return False
    return hmac.compare_digest(presented.strip().encode(), expected.encode())


def unauthorized() -> HttpResponse:
    response = HttpResponse("authentication required\n", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Bearer realm="yunwang"'
    return response


@require_http_methods(["GET", "HEAD"])
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format 0.0.4 (Prometheus accepts it whatever it asks for first; the OpenMetrics encoder
    would be several times slower at city scale). Open unless YUNWANG_METRICS_TOKEN is set."""
    token = getattr(settings, "YUNWANG_METRICS_TOKEN", "")
    if token and not bearer_token_matches(request, token):
        return unauthorized()
    response = HttpResponse(render(REGISTRY), content_type=CONTENT_TYPE_PLAIN_0_0_4)
    response["Cache-Control"] = "no-store"
    return response
