from __future__ import annotations

from inventory import models as m
from inventory.demo import EXEMPTIONS, load_demo_organisations


def test_demo_organisations_are_valid_and_idempotent(db: None) -> None:
    departments, systems = load_demo_organisations()
    assert departments == 20 and systems > 40
    for system in m.BusinessSystem.objects.all():
        system.full_clean()  # every demo row passes the model's own rules
    exempt = m.BusinessSystem.objects.filter(cloud_status="exempt")
    assert exempt.count() == len(EXEMPTIONS) and all(s.exemption_note for s in exempt)
    records = m.ChangeRecord.objects.count()
    assert load_demo_organisations() == (departments, systems)
    assert m.ChangeRecord.objects.count() == records  # a second load changes nothing
