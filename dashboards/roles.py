"""Roles: Django auth groups `operator`, `planner`, `admin`, and the checks every page makes.

- operator: status board, devices, config history, compliance (the device page's and the fleet page), link
  availability per county.
- planner: coverage map, cloud-migration report, read-only inventory (view permissions in the admin), and the
  one write planners need: uploading area boundaries (change_area) in the admin.
- admin: everything (superusers count as admins).
The groups and their model permissions are (re)created after every `migrate` (post_migrate), so a fresh database
always has them; `manage.py create_demo_users` puts people in them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

OPERATOR = "operator"
PLANNER = "planner"
ADMIN = "admin"
ROLES = (OPERATOR, PLANNER, ADMIN)

# Which roles may open which page family. Admins pass every check.
STATUS_ROLES = (OPERATOR, PLANNER)  # planners read the inventory, without configs/compliance
CONFIG_ROLES = (OPERATOR,)
COVERAGE_ROLES = (PLANNER,)
MIGRATION_ROLES = (PLANNER,)
COMPLIANCE_ROLES = (OPERATOR,)  # configs are evidence: the same people who read configs
AVAILABILITY_ROLES = (OPERATOR,)

_CACHE_ATTR = "_yunwang_roles"

View = TypeVar("View", bound=Callable[..., HttpResponse])


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The roles of a user (one query, cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cast(frozenset[str], cached)
    if getattr(user, "is_superuser", False):
        roles = frozenset(ROLES)
    else:
        names = set(Group.objects.filter(user__pk=user.pk, name__in=ROLES).values_list("name", flat=True))
        roles = frozenset(ROLES) if ADMIN in names else frozenset(names)
    setattr(user, _CACHE_ATTR, roles)
    return roles


def has_role(user: AbstractBaseUser | AnonymousUser, *allowed: str) -> bool:
    roles = roles_of(user)
    return ADMIN in roles or bool(roles.intersection(allowed))


def role_required(*allowed: str) -> Callable[[View], View]:
    """Anonymous users go to the sign-in page; signed-in users without one of the roles get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *allowed):
                raise PermissionDenied("This page needs one of the roles: " + ", ".join(allowed))
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


def _inventory_permissions(*actions: str) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label="inventory", codename__regex=rf"^({'|'.join(actions)})_")
    )


def sync_groups(app_config: Any = None, **_kwargs: Any) -> None:
    """Create the role groups and give them their admin permissions (idempotent; a post_migrate receiver).

    As a receiver it acts once per migrate, after the inventory app's permissions exist.
    """
    if app_config is not None and app_config.label != "inventory":
        return
    operator, _ = Group.objects.get_or_create(name=OPERATOR)
    planner, _ = Group.objects.get_or_create(name=PLANNER)
    admin, _ = Group.objects.get_or_create(name=ADMIN)
    view = _inventory_permissions("view")
    operator.permissions.set(view)
    boundary = Permission.objects.filter(content_type__app_label="inventory", codename="change_area")
    planner.permissions.set([*view, *boundary])
    admin.permissions.set(_inventory_permissions("view", "add", "change", "delete"))
