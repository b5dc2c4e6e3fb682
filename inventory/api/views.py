"""REST API under /api/, shaped like NetBox's: limit/offset pagination, nested briefs, token auth, /api/status/."""

from __future__ import annotations

from typing import Any

import django
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inventory import models as m
from inventory.api.serializers import CredentialProfileSerializer, serializer_for
from inventory.changelog import acting_as


class RolePermissions(permissions.DjangoModelPermissions):
    """Reads need the model's view permission (operators, planners and admins have it; a user without a role does
    not); writes need the admin role as well as the model permission: a planner's one write permission
    (area boundaries) is for the admin site, where it is limited to the boundary field."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request: Request, view: APIView) -> bool:
        from dashboards.roles import ADMIN, has_role

        if request.method not in permissions.SAFE_METHODS and not has_role(request.user, ADMIN):
            return False
        return super().has_permission(request, view)


class InventoryViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Writes through the API are attributed to the token's user in the change log."""

    permission_classes = [RolePermissions]

    def _actor(self) -> str:
        return f"api:{self.request.user.get_username()}"

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        with acting_as(self._actor()):
            serializer.save()

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        with acting_as(self._actor()):
            serializer.save()

    def perform_destroy(self, instance: models.Model) -> None:
        with acting_as(self._actor()):
            instance.delete()


def viewset_for(
    model: type[models.Model], filters: tuple[str, ...] = (), related: tuple[str, ...] = ()
) -> type[InventoryViewSet]:
    attrs = {
        "queryset": model._default_manager.select_related(*related).order_by("pk"),
        "serializer_class": serializer_for(model),
        "filterset_fields": filters,
    }
    return type(f"{model.__name__}ViewSet", (InventoryViewSet,), attrs)


class CredentialProfileViewSet(InventoryViewSet):
    queryset = m.CredentialProfile.objects.order_by("pk")
    serializer_class = CredentialProfileSerializer


# (NetBox-like path, model, filter fields, select_related)
ENDPOINTS: list[tuple[str, type[models.Model], tuple[str, ...], tuple[str, ...]]] = [
    ("dcim/regions", m.Area, ("level", "kind", "parent"), ("parent",)),
    ("dcim/sites", m.Site, ("area", "kind", "access_mode", "status", "department"), ("area", "department")),
    ("dcim/manufacturers", m.Manufacturer, ("slug",), ()),
    ("dcim/device-types", m.DeviceType, ("manufacturer", "slug"), ("manufacturer",)),
    ("dcim/device-roles", m.DeviceRole, ("slug",), ()),
    ("dcim/platforms", m.Platform, ("slug",), ("manufacturer",)),
    (
        "dcim/devices",
        m.Device,
        ("name", "site", "role", "platform", "status", "reachable", "isolated"),
        ("site", "role", "device_type", "platform", "credentials", "isolated_by"),
    ),
    ("dcim/interfaces", m.Interface, ("device", "name", "monitored", "oper_status"), ("device",)),
    ("dcim/cables", m.Link, ("kind", "origin", "oper_up"), ("a_interface", "b_interface")),
    ("ipam/prefixes", m.Prefix, ("zone", "area"), ("area",)),
    ("ipam/ip-addresses", m.IPAddress, ("interface",), ("interface",)),
    ("tenancy/tenants", m.Department, ("must_connect",), ()),
    ("cloud/business-systems", m.BusinessSystem, ("department", "cloud_status"), ("department",)),
    ("vpn/accounts", m.VpnAccount, ("site", "gateway", "online"), ("site", "gateway")),
    ("extras/object-changes", m.ChangeRecord, ("actor", "action", "object_type"), ()),
    ("extras/status-events", m.StatusEvent, ("device", "kind"), ("device", "interface", "link", "cause")),
]


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def status(request: Request) -> Response:
    """Like NetBox's /api/status/: versions and a few counts (used by clients to check the connection)."""
    return Response(
        {
            "yunwang-version": "1.0",
            "django-version": django.get_version(),
            "devices": m.Device.objects.count(),
            "sites": m.Site.objects.count(),
        }
    )
