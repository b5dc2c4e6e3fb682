"""Demo departments and business systems for the Kaifu district (deterministic; for `manage.py demo`).

The figures are illustrative, shaped like a district report: most systems migrated, a few migrating or planned,
and an explicit, auditable exemption list (classified, vertically managed, approved retained data centre).
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from inventory import models as m
from inventory.changelog import acting_as

DEPARTMENTS = [
    ("区委办公室", "区委办"), ("区政府办公室", "区府办"), ("区发展和改革局", "发改局"), ("区教育局", "教育局"),
    ("区公安分局", "公安分局"), ("区民政局", "民政局"), ("区财政局", "财政局"), ("区人力资源和社会保障局", "人社局"),
    ("区住房和城乡建设局", "住建局"), ("区卫生健康局", "卫健局"), ("区应急管理局", "应急局"),
    ("区市场监督管理局", "市场监管局"), ("区医疗保障局", "医保局"), ("区数据资源局", "数据局"), ("区司法局", "司法局"),
    ("区城市管理和综合执法局", "城管局"), ("区统计局", "统计局"), ("区审计局", "审计局"),
    ("区退役军人事务局", "退役军人局"), ("区政务服务中心", "政务中心"),
]  # fmt: skip
SYSTEM_KINDS = ["办公自动化系统", "业务审批系统", "数据共享交换平台", "门户网站", "档案管理系统", "视频会议系统"]
EXEMPTIONS = {
    ("区公安分局", "警务综合平台"): ("classified", "classified", "涉密系统，按保密规定不上云"),
    ("区统计局", "联网直报系统"): ("internal", "vertical", "国家统计局垂直管理，自有数据中心（统计发〔2019〕12号）"),
    ("区医疗保障局", "医保结算系统"): ("internal", "vertical", "省医保局垂直管理，省级集中部署"),
    ("区数据资源局", "灾备系统"): ("internal", "retained_dc", "经区政府批准保留的同城灾备机房（开政函〔2022〕35号）"),
}
STATUS_WEIGHTS = [("migrated", 80), ("migrating", 8), ("planned", 7), ("not_started", 5)]


@transaction.atomic
def load_demo_organisations(seed: int = 430105) -> tuple[int, int]:
    """Create (or leave as they are) the demo departments and systems. Returns (departments, systems)."""
    rng = random.Random(seed)
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    with acting_as("demo:load"):
        for name, short in DEPARTMENTS:
            dept, _ = m.Department.objects.get_or_create(name=name, defaults={"short_name": short})
            for kind in rng.sample(SYSTEM_KINDS, rng.randint(2, 5)):
                _system(dept, f"{short}{kind}", rng.choice(statuses), rng)
        for (dept_name, system), (classification, reason, note) in EXEMPTIONS.items():
            dept = m.Department.objects.get(name=dept_name)
            m.BusinessSystem.objects.get_or_create(
                department=dept,
                name=system,
                defaults={
                    "classification": classification,
                    "cloud_status": "exempt",
                    "exemption_reason": reason,
                    "exemption_note": note,
                    "mlps_level": 3,
                },
            )
    return m.Department.objects.count(), m.BusinessSystem.objects.count()


def _system(dept: m.Department, name: str, status: str, rng: random.Random) -> None:
    vcpu = rng.choice([4, 8, 16, 32])
    m.BusinessSystem.objects.get_or_create(
        department=dept,
        name=name,
        defaults={
            "cloud_status": status,
            "mlps_level": rng.choice([2, 2, 3]),
            "migrated_on": date(2021 + rng.randint(0, 4), rng.randint(1, 12), 1) if status == "migrated" else None,
            "is_new": rng.random() < 0.25,
            "vcpu_allocated": vcpu if status == "migrated" else None,
            "vcpu_used": rng.randint(1, vcpu) if status == "migrated" else None,
            "ram_gb_allocated": vcpu * 4 if status == "migrated" else None,
            "ram_gb_used": rng.randint(2, vcpu * 4) if status == "migrated" else None,
            "storage_gb_allocated": vcpu * 100 if status == "migrated" else None,
            "storage_gb_used": rng.randint(50, vcpu * 100) if status == "migrated" else None,
        },
    )
