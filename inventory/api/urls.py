from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from inventory.api.views import ENDPOINTS, CredentialProfileViewSet, status, viewset_for

router = DefaultRouter()
for prefix, model, filters, related in ENDPOINTS:
    router.register(prefix, viewset_for(model, filters, related), basename=model._meta.model_name)
router.register("secrets/credential-profiles", CredentialProfileViewSet, basename="credentialprofile")

urlpatterns = [
    path("status/", status, name="api-status"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
]
