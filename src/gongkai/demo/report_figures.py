"""Random annual-report tables that satisfy every rule of their format, for the demo and the tests.

The demo's agencies that keep no registers in gongkai (the bureaus and the town the district office
supervises) still publish reports with figures; the supervisor's board, charts and ranking are only
worth looking at when those figures vary from year to year. The degradation harness of the report
reader (``tests/unit/audit/degrade.py``) renders the same tables and damages them. Both need figures
shaped like real ones: mostly zeros and small counts, a large one now and then.

Plain Python: no Django, so the unit tests can import it.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from gongkai.domain.report_format import ReportFormat


def _count(rng: random.Random, high: int = 40) -> int:
    """Mostly zeros and small counts, now and then a larger one, as real tables are."""
    r = rng.random()
    if r < 0.45:
        return 0
    if r < 0.85 or high < 10:
        return rng.randint(1, min(9, high))
    return rng.randint(10, high)


def consistent_tables(rng: random.Random, fmt: ReportFormat, *, makes_rules: bool) -> dict[str, Any]:
    """Tables 二/三/四 of ``fmt`` satisfying every rule of the format (the consistency module's
    rules: table 三's balance and totals, table 四's group totals). ``makes_rules``: whether the
    agency may make 规章 (立法法: only State Council departments and the governments of provinces,
    设区的市 and 自治州); when not, its 规章 row is all zeros, as a county organ's must be."""
    t2: dict[str, Any] = {}
    for sub in fmt.table_2.subtables:
        t2[sub.id] = {}
        for row in sub.rows:
            cells: dict[str, Any] = {}
            for col in sub.columns:
                if col.is_decimal:
                    cells[col.key] = Decimal(rng.randint(0, 99999)) / 100 if rng.random() < 0.5 else Decimal(0)
                elif col.type == "signed_integer":
                    cells[col.key] = rng.randint(-5, 5)
                elif row.key == "regulations" and not makes_rules:
                    cells[col.key] = 0
                else:
                    cells[col.key] = _count(rng, 300)
            if "total_published" in cells:
                cells["newly_published"] = rng.randint(0, cells["total_published"])
            t2[sub.id][row.key] = cells
    t3fmt = fmt.table_3
    applicant = [c.key for c in t3fmt.columns if c.key != "total"]
    outcomes = [r.key for r in t3fmt.outcome_rows()]
    t3: dict[str, dict[str, int]] = {r.key: {} for r in t3fmt.data_rows()}
    for col in applicant:
        busy = rng.random() < (0.8 if col == "natural_person" else 0.3)
        done = 0
        for row in outcomes:
            v = _count(rng, 25) if busy and rng.random() < 0.35 else 0
            t3[row][col] = v
            done += v
        t3["results_total"][col] = done
        t3["carry_forward"][col] = _count(rng, 6) if busy else 0
        t3["carried_over"][col] = rng.randint(0, done + t3["carry_forward"][col]) if rng.random() < 0.3 else 0
        t3["new_received"][col] = done + t3["carry_forward"][col] - t3["carried_over"][col]
    for row in t3.values():
        row["total"] = sum(row[c] for c in applicant)
    t4: dict[str, int] = {}
    columns = {c.key for c in fmt.table_4.columns}
    for group in fmt.table_4.column_groups:
        if not set(group.children) <= columns:
            continue
        parts = [c for c in group.children if not c.endswith("_total")]
        values = [_count(rng, 5) if rng.random() < 0.3 else 0 for _ in parts]
        t4.update(zip(parts, values))
        t4[f"{group.key}_total"] = sum(values)
    return {"table_2": t2, "table_3": t3, "table_4": t4}
