"""NetBox-shaped serializers: every object carries id, url and display; relations are nested briefs."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from inventory import models as m


class BriefField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """Writes take a primary key; reads give a nested {id, display} brief, like NetBox's nested serializers."""

    def use_pk_only_optimization(self) -> bool:
        return False

    def to_representation(self, value: models.Model) -> dict[str, Any]:  # type: ignore[override]
        return {"id": value.pk, "display": str(value)}


class InventorySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    display = serializers.SerializerMethodField()
    serializer_related_field = BriefField

    def get_display(self, obj: models.Model) -> str:
        return str(obj)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Run the model's own rules (clean() + field validation), as NetBox does, so the API and the admin agree."""
        model: type[models.Model] = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


def serializer_for(model: type[models.Model], exclude: tuple[str, ...] = ()) -> type[InventorySerializer]:
    meta = type("Meta", (), {"model": model, "exclude": exclude} if exclude else {"model": model, "fields": "__all__"})
    return type(f"{model.__name__}Serializer", (InventorySerializer,), {"Meta": meta})


class CredentialProfileSerializer(InventorySerializer):
    """Secrets are write-only; reads say only whether one is set."""

    SECRET_FIELDS = ("snmp_community", "snmp_v3_auth_key", "snmp_v3_priv_key", "ssh_password")
    snmp_community = serializers.CharField(write_only=True, required=False, allow_blank=True)
    snmp_v3_auth_key = serializers.CharField(write_only=True, required=False, allow_blank=True)
    snmp_v3_priv_key = serializers.CharField(write_only=True, required=False, allow_blank=True)
    ssh_password = serializers.CharField(write_only=True, required=False, allow_blank=True)
    secrets_set = serializers.SerializerMethodField()

    class Meta:
        model = m.CredentialProfile
        fields = "__all__"

    def get_secrets_set(self, obj: m.CredentialProfile) -> list[str]:
        return [name for name in self.SECRET_FIELDS if getattr(obj, name)]
