"""What an import found and did: bad rows (all of them, not just the first) and the creates/updates per kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from inventory.coverage.report import table


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (column "" when the row as a whole is wrong)."""

    sheet: str
    row: int
    column: str
    value: str
    reason: str


@dataclass
class KindSummary:
    """Counts for one kind; `changes` lists (natural key, changed fields) of updates for the dry-run report."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


class ImportFailed(Exception):
    """The file has bad rows: nothing was written. `errors` lists every one."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} bad row(s); nothing was written")
        self.errors = list(errors)


def render_errors(errors: Sequence[RowError]) -> str:
    rows = [[e.sheet, e.row, e.column, _short(e.value), e.reason] for e in errors]
    return table(["sheet", "row", "column", "value", "reason"], rows)


def render_summary(summaries: Sequence[KindSummary], *, dry_run: bool, show_changes: int = 50) -> str:
    verb = ("would create", "would update") if dry_run else ("created", "updated")
    rows = [[s.kind, s.created, s.updated, s.unchanged] for s in summaries]
    out = [table(["kind", verb[0], verb[1], "unchanged"], rows)]
    changes = [(s.kind, key, fields) for s in summaries for key, fields in s.changes]
    if changes:
        out += ["", f"updates ({'planned' if dry_run else 'written'}):"]
        shown = [[kind, key, ", ".join(fields)] for kind, key, fields in changes[:show_changes]]
        out.append(table(["kind", "record", "fields"], shown))
        if len(changes) > show_changes:
            out.append(f"... and {len(changes) - show_changes} more")
    return "\n".join(out)


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
