"""The per-device, per-link and per-interface families, written as exposition text by the database.

At city scale these are ~95 % of a scrape (10,000 devices and 20,000 links: ~380,000 series). Built in Python,
each series costs a few microseconds (a row value per column through the driver, a label dict, a float format);
here one query per group lets PostgreSQL (or SQLite) concatenate each line and aggregate each family into one
string, so Python receives a handful of values instead of ~3 million. The lines are valid text format 0.0.4:
label values escaped (backslash, double quote, newline), label names sorted, numbers as the database prints them
(Prometheus parses `1`, `1.5e+20` and `1763792400.123456` alike). A NULL value concatenates to NULL and the
aggregate skips it: an unknown value gives no sample, as everywhere in the exporter.

`TextFamily.samples` parses the text back (prometheus_client's parser), so tests and `generate_latest` see
ordinary samples.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from dashboards.metrics import SPECS, TextFamily

IF_ADMIN_DOWN = 2


@dataclass(frozen=True)
class Dialect:
    aggregate: str  # joins the non-NULL lines of a group with newlines
    newline: str
    epoch: str  # seconds since 1970 of a timestamp column
    fence: str  # keeps a subquery from being inlined: its label texts are built once per row, not once per use


POSTGRESQL = Dialect("string_agg({}, chr(10))", "chr(10)", "extract(epoch from {})", "OFFSET 0")
# Django stores SQLite datetimes as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]': whole seconds from strftime, then the
# fraction as written (exact, unlike julianday arithmetic).
SQLITE = Dialect(
    "group_concat({}, char(10))", "char(10)", "(strftime('%s', {0}) || substr({0}, 20))", "LIMIT -1 OFFSET 0"
)


def dialect() -> Dialect:
    return POSTGRESQL if connection.vendor == "postgresql" else SQLITE


@dataclass(frozen=True)
class Safe:
    """A label value that cannot hold a backslash, quote or newline (a division code, a choice, a slug)."""

    expr: str


def escaped(expr: str | Safe, d: Dialect) -> str:
    """A label value as the text format wants it: backslash, double quote and newline escaped."""
    if isinstance(expr, Safe):
        return expr.expr
    return f"replace(replace(replace({expr}, '\\', '\\\\'), '\"', '\\\"'), {d.newline}, '\\n')"


def labels_open(labels: dict[str, str | Safe], d: Dialect) -> str:
    """SQL for `{name="value",...` (names sorted, as prometheus_client writes them), left open so that families
    can share a prefix and add labels that sort after it."""
    parts = [f"'{name}=\"' || {escaped(labels[name], d)} || '\"'" for name in sorted(labels)]
    return "'{' || " + " || ',' || ".join(parts)


def labels_more(labels: dict[str, str | Safe], d: Dialect) -> str:
    """SQL for the rest of an open label prefix: `labels` (sorted) and the closing `} ` (the space before the value
    is included: one concatenation less per sample line)."""
    parts = "".join(f"',{name}=\"' || {escaped(labels[name], d)} || '\"' || " for name in sorted(labels))
    return f"{parts}'}} '"


def label_text(labels: dict[str, str | Safe], d: Dialect) -> str:
    """SQL for a whole `{name="value",...} `."""
    return f"{labels_open(labels, d)} || {labels_more({}, d)}"


def county_of(code: str) -> str:
    """SQL for the county code of a division code ('' above county level or when NULL), as metrics_queries.Counties."""
    return f"COALESCE(CASE WHEN substr({code}, 5, 8) <> '00000000' THEN substr({code}, 1, 6) || '000000' END, '')"


def flag(expr: str) -> str:
    """A nullable boolean as '1'/'0' (NULL stays NULL: no sample)."""
    return f"CASE WHEN {expr} THEN '1' WHEN NOT {expr} THEN '0' END"


def aggregate_families(select: str, families: dict[str, tuple[str, str]]) -> list[TextFamily]:
    """One query over `select` (one row per label set). Each family (name → (label-text expression over the
    select's columns, value expression)) is aggregated from those rows into one string of sample lines."""
    d = dialect()
    aggregates = [d.aggregate.format(f"'{name}' || {labels} || {value}") for name, (labels, value) in families.items()]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(aggregates)} FROM ({select} {d.fence}) per_row")
        texts = cursor.fetchone() or [None] * len(families)
    return [TextFamily(SPECS[name], text + "\n" if text else "") for name, text in zip(families, texts, strict=True)]


def device_families() -> list[TextFamily]:
    d = dialect()
    device: dict[str, str | Safe] = {
        "device": "d.name",
        "role": Safe("r.slug"),
        "vendor": "COALESCE(NULLIF(m.slug, ''), lower(d.vendor))",
        "area_code": Safe("s.area_id"),
        "county": Safe(county_of("s.area_id")),
    }
    info: dict[str, str | Safe] = {
        "model": "COALESCE(NULLIF(t.model, ''), d.model)",
        "platform": Safe("COALESCE(p.slug, '')"),
        "status": Safe("d.status"),
        "poller_group": "d.poller_group",
        "site_kind": Safe("s.kind"),
        "access_mode": Safe("s.access_mode"),
    }
    upstream: dict[str, str | Safe] = {"upstream": "CASE WHEN d.isolated THEN COALESCE(u.name, '') ELSE '' END"}
    select = f"""
        SELECT {labels_open(device, d)} AS device_labels, {label_text({**device, **info}, d)} AS info_labels,
               {labels_more(upstream, d)} AS isolated_more, {label_text({"device": "d.name"}, d)} AS name_label,
               {flag("d.reachable")} AS up, CASE WHEN d.isolated THEN '1' ELSE '0' END AS isolated,
               d.uptime_seconds AS uptime, {d.epoch.format("d.last_seen")} AS last_seen,
               {d.epoch.format("d.last_polled")} AS last_polled
        FROM inventory_device d
        JOIN inventory_devicerole r ON r.id = d.role_id
        JOIN inventory_site s ON s.id = d.site_id
        LEFT JOIN inventory_devicetype t ON t.id = d.device_type_id
        LEFT JOIN inventory_manufacturer m ON m.id = t.manufacturer_id
        LEFT JOIN inventory_platform p ON p.id = d.platform_id
        LEFT JOIN inventory_device u ON u.id = d.isolated_by_id
    """
    # device_labels is left open: the up and isolated families close it (`upstream` sorts after the device labels).
    return aggregate_families(
        select,
        {
            "yunwang_device_info": ("info_labels", "'1'"),
            "yunwang_device_up": ("device_labels || '} '", "up"),
            "yunwang_device_isolated": ("device_labels || isolated_more", "isolated"),
            "yunwang_device_uptime_seconds": ("name_label", "uptime"),
            "yunwang_device_last_poll_success_timestamp_seconds": ("name_label", "last_seen"),
            "yunwang_device_last_poll_timestamp_seconds": ("name_label", "last_polled"),
        },
    )


def link_families() -> list[TextFamily]:
    d = dialect()
    # A link belongs to the county of its downstream end (where the outage is felt), else its upstream's.
    link: dict[str, str | Safe] = {
        "a_device": "ad.name",
        "a_interface": "ai.name",
        "b_device": "bd.name",
        "b_interface": "bi.name",
        "kind": Safe("l.kind"),
        "county": Safe(f"COALESCE(NULLIF({county_of('bs.area_id')}, ''), {county_of('as_.area_id')})"),
    }
    select = f"""
        SELECT {labels_open(link, d)} AS link_labels,
               CASE WHEN l.monitored THEN ',monitored="true"}} ' ELSE ',monitored="false"}} ' END AS monitored_more,
               {flag("l.oper_up")} AS up,
               CASE WHEN ai.admin_status IS NULL AND bi.admin_status IS NULL THEN NULL
                    WHEN ai.admin_status = {IF_ADMIN_DOWN} OR bi.admin_status = {IF_ADMIN_DOWN} THEN '0'
                    ELSE '1' END AS admin_up
        FROM inventory_link l
        JOIN inventory_interface ai ON ai.id = l.a_interface_id
        JOIN inventory_device ad ON ad.id = ai.device_id
        JOIN inventory_site as_ ON as_.id = ad.site_id
        JOIN inventory_interface bi ON bi.id = l.b_interface_id
        JOIN inventory_device bd ON bd.id = bi.device_id
        JOIN inventory_site bs ON bs.id = bd.site_id
    """
    return aggregate_families(
        select,
        {
            "yunwang_link_up": ("link_labels || monitored_more", "up"),
            "yunwang_link_admin_up": ("link_labels || '} '", "admin_up"),
        },
    )


def interface_families() -> list[TextFamily]:
    """Monitored interfaces only (links and uplinks, not every access port)."""
    d = dialect()
    select = f"""
        SELECT {label_text({"device": "d.name", "interface": "i.name"}, d)} AS labels,
               i.admin_status, i.oper_status, i.speed_bps,
               c.in_octets, c.out_octets, c.in_errors, c.out_errors
        FROM inventory_interface i
        JOIN inventory_device d ON d.id = i.device_id
        LEFT JOIN inventory_interfacecounters c ON c.interface_id = i.id
        WHERE i.monitored
    """
    return aggregate_families(
        select,
        {
            "yunwang_interface_admin_status": ("labels", "admin_status"),
            "yunwang_interface_oper_status": ("labels", "oper_status"),
            "yunwang_interface_speed_bps": ("labels", "speed_bps"),
            "yunwang_interface_receive_bytes_total": ("labels", "in_octets"),
            "yunwang_interface_transmit_bytes_total": ("labels", "out_octets"),
            "yunwang_interface_receive_errors_total": ("labels", "in_errors"),
            "yunwang_interface_transmit_errors_total": ("labels", "out_errors"),
        },
    )
