"""Random registers for the annual-report properties, and plain independent counts to compare with.

The independent counts are written from the definitions, one cell at a time, sharing no code with
the counting modules (only the format's row and column keys, and the outcome → row map, which is
data)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from gongkai.domain.annual_report.litigation import ReviewCaseForCount
from gongkai.domain.applications.counting import CaseForCount
from gongkai.domain.disclosure.counting import RegisterEntry
from gongkai.domain.outcomes import APPLICANT_TYPES, OUTCOME_CODES, table3_row
from gongkai.domain.report_format import format_for_year

TYPES = list(APPLICANT_TYPES)
EARLIEST = date(2017, 6, 1)
days = st.dates(min_value=EARLIEST, max_value=date(2027, 6, 30))


# -- strategies -----------------------------------------------------------------------------------


@st.composite
def applications(draw):
    received = draw(st.none() | days)
    kind = draw(st.sampled_from(TYPES))
    if not draw(st.booleans()):
        return CaseForCount(kind, received, None, None)
    concluded = (received or EARLIEST) + timedelta(days=draw(st.integers(0, 800)))
    return CaseForCount(kind, received, concluded, draw(st.sampled_from(OUTCOME_CODES)))


@st.composite
def documents(draw, lapses: bool = True):
    kind = draw(st.sampled_from(["regulation", "normative", "other"]))
    signed = date(2018, 1, 1) + timedelta(days=draw(st.integers(0, 9 * 365)))
    published = draw(st.none() | st.just(signed) | st.builds(lambda n: signed + timedelta(days=n), st.integers(0, 60)))
    states = ["in_force", "amended", "repealed"] + (["lapsed"] if lapses else [])
    validity = draw(st.sampled_from(states)) if kind != "other" else None
    changed = signed + timedelta(days=draw(st.integers(0, 4 * 365))) if validity not in (None, "in_force") else None
    unpublished = draw(st.none() | st.builds(lambda n: (published or signed) + timedelta(days=n), st.integers(0, 900)))
    return RegisterEntry(kind, published, signed, validity, changed, unpublished if published else None)


@st.composite
def review_cases(draw):
    kind = draw(st.sampled_from(["review", "litigation"]))
    stage = draw(st.sampled_from(["direct", "after_review"])) if kind == "litigation" else None
    filed = draw(days)
    result = draw(st.sampled_from(["maintained", "corrected", "other", "pending"]))
    concluded = None if result == "pending" else filed + timedelta(days=draw(st.integers(0, 500)))
    return ReviewCaseForCount(kind, filed, stage, result, concluded)


def other_table2_cells(fmt):
    """Strategy: the table 二 cells that do not come from the register (entered once a year)."""
    cells = {}
    for sub in fmt.table_2.subtables:
        if sub.id == "art20_1":
            continue
        for r in sub.rows:
            for c in sub.columns:
                if c.is_decimal:
                    cells[(sub.id, r.key, c.key)] = st.decimals(min_value=0, max_value=10_000, places=2)
                elif c.type == "signed_integer":
                    cells[(sub.id, r.key, c.key)] = st.integers(-50, 50)
                else:
                    cells[(sub.id, r.key, c.key)] = st.integers(0, 500)
    return st.fixed_dictionaries(cells)


# -- independent counts ---------------------------------------------------------------------------


def count_table3(cases, year):
    start, end = date(year, 1, 1), date(year, 12, 31)
    t3 = format_for_year(year).table_3
    received = [c for c in cases if c.received_on is not None and c.received_on <= end]

    def belongs(c, row):
        concluded_in_year = c.concluded_on is not None and start <= c.concluded_on <= end
        if row == "new_received":
            return c.received_on >= start
        if row == "carried_over":
            return c.received_on < start and (c.concluded_on is None or c.concluded_on >= start)
        if row == "results_total":
            return concluded_in_year
        if row == "carry_forward":
            return c.concluded_on is None or c.concluded_on > end
        return concluded_in_year and table3_row(c.outcome_code, year) == row

    out = {}
    for r in t3.data_rows():
        out[r.key] = {}
        for col in TYPES:
            out[r.key][col] = len([c for c in received if c.applicant_type == col and belongs(c, r.key)])
        out[r.key]["total"] = len([c for c in received if belongs(c, r.key)])
    return out


def count_art20_1(entries, year):
    end = date(year, 12, 31)
    out = {}
    for kind, row in (("regulation", "regulations"), ("normative", "normative_documents")):
        docs = [e for e in entries if e.kind == kind and e.published_on is not None]
        if year >= 2021:
            out[row] = {
                "made": len([e for e in docs if e.signed_on.year == year]),
                "repealed": len([e for e in docs if e.validity == "repealed" and e.validity_changed_on.year == year]),
                "in_force": len(
                    [
                        e
                        for e in docs
                        if e.signed_on <= end
                        and not (e.validity in ("repealed", "lapsed") and e.validity_changed_on <= end)
                    ]
                ),
            }
        else:
            out[row] = {
                "newly_made": len([e for e in docs if e.signed_on.year == year]),
                "newly_published": len([e for e in docs if e.published_on.year == year]),
                "total_published": len(
                    [e for e in docs if e.published_on <= end and (e.unpublished_on is None or e.unpublished_on > end)]
                ),
            }
    return out


def count_table4(cases, year):
    end = date(year, 12, 31)
    out = {}
    for group in ("review", "litigation_direct", "litigation_after_review"):
        mine = [
            c
            for c in cases
            if c.filed_on.year == year
            and (
                group == "review" and c.kind == "review" or group == f"litigation_{c.stage}" and c.kind == "litigation"
            )
        ]
        concluded = [c for c in mine if c.concluded_on is not None and c.concluded_on <= end]
        for result in ("maintained", "corrected", "other"):
            out[f"{group}_{result}"] = len([c for c in concluded if c.result == result])
        out[f"{group}_pending"] = len(mine) - len(concluded)
        out[f"{group}_total"] = len(mine)
    return out


def zero_table2(year, value=0):
    fmt = format_for_year(year)
    return {
        s.id: {r.key: {c.key: (Decimal(value) if c.is_decimal else value) for c in s.columns} for r in s.rows}
        for s in fmt.table_2.subtables
    }


def as_numbers(node):
    """Read-back values compared as numbers: the reader gives floats for decimals."""
    if isinstance(node, dict):
        return {k: as_numbers(v) for k, v in node.items()}
    if isinstance(node, float):
        return Decimal(repr(node))
    if isinstance(node, Decimal):
        return node.normalize()
    return node
