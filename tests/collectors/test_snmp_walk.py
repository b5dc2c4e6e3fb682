"""Multi-column GETBULK bookkeeping (pysnmp transport): each column stops at its own end, loops are cut."""

from __future__ import annotations

from collectors.snmp.pysnmp_transport import _advance
from collectors.snmp.values import Missing, Varbind

A, B = "1.3.6.1.2.1.2.2.1.7", "1.3.6.1.2.1.2.2.1.8"


def test_row_major_reply_moves_each_cursor() -> None:
    cursors = {A: A, B: B}
    reply = [Varbind(f"{A}.1", 1), Varbind(f"{B}.1", 1), Varbind(f"{A}.2", 2), Varbind(f"{B}.2", 2)]
    assert _advance(cursors, [A, B], reply) == reply
    assert cursors == {A: f"{A}.2", B: f"{B}.2"}


def test_column_closes_at_its_end_and_the_other_goes_on() -> None:
    cursors = {A: f"{A}.2", B: f"{B}.2"}
    # Row 2: A's successor is B's first row (A ended); B goes on to .4.
    reply = [Varbind(f"{A}.3", 1), Varbind(f"{B}.3", 1), Varbind(f"{B}.1", 7), Varbind(f"{B}.4", 1)]
    taken = _advance(cursors, [A, B], reply)
    assert taken == [Varbind(f"{A}.3", 1), Varbind(f"{B}.3", 1), Varbind(f"{B}.4", 1)]
    assert cursors == {B: f"{B}.4"}


def test_past_the_table_end_of_mib_view_and_loops_close_columns() -> None:
    cursors = {A: f"{A}.5", B: f"{B}.5"}
    reply = [Varbind("1.3.6.1.2.1.2.2.1.9.1", 0), Varbind(f"{B}.5", 1)]  # A walked past; B did not advance
    assert _advance(cursors, [A, B], reply) == []
    assert cursors == {}
    cursors = {A: A}
    assert _advance(cursors, [A], [Varbind("1.3.6.1.6", Missing.END_OF_MIB_VIEW)]) == []
    assert cursors == {}
