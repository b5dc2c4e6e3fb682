"""ComplianceResult.current: True on each device's latest set of results, so the current state is read without
scanning the history (the /metrics compliance families, the device page)."""

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def mark_current(apps: Any, schema_editor: Any) -> None:
    """Existing rows all got the default (True): keep it only on each device's latest set."""
    result = apps.get_model("inventory", "ComplianceResult")
    latest = result.objects.filter(device_id=OuterRef("device_id")).order_by("-checked_at").values("checked_at")[:1]
    result.objects.exclude(checked_at=Subquery(latest)).update(current=False)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="complianceresult",
            name="current",
            field=models.BooleanField(default=True, verbose_name="current"),
        ),
        migrations.RunPython(mark_current, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="complianceresult",
            index=models.Index(condition=models.Q(("current", True)), fields=["device"], name="compliance_current"),
        ),
    ]
