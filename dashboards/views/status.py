"""Operator status board (with an auto-refreshing fragment) and the home redirect."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dashboards.roles import OPERATOR, PLANNER, STATUS_ROLES, has_role, role_required
from dashboards.views.board import BoardFilters, build_board, filter_choices
from dashboards.views.common import page

REFRESH_SECONDS = 30


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send people to their own page: operators to the board, planners to coverage."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if has_role(request.user, OPERATOR):
        return redirect("dashboards:status")
    if has_role(request.user, PLANNER):
        return redirect("dashboards:coverage")
    return page(request, "dashboards/no_role.html", {})


@require_GET
@role_required(*STATUS_ROLES)
def status_board(request: HttpRequest) -> HttpResponse:
    filters = BoardFilters.from_query(request.GET)
    context = {
        "board": build_board(filters),
        "choices": filter_choices(),
        "refresh_seconds": REFRESH_SECONDS,
    }
    return page(request, "dashboards/status.html", context, section="status")


@require_GET
@role_required(*STATUS_ROLES)
def status_fragment(request: HttpRequest) -> HttpResponse:
    """The counts and the table only: what the page's script swaps in every REFRESH_SECONDS."""
    board = build_board(BoardFilters.from_query(request.GET))
    response = render(request, "dashboards/_board.html", {"board": board})
    response["Cache-Control"] = "no-store"
    return response
