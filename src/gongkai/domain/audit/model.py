"""What the audit reads and what it says: the shared shapes of the report reader.

Flow: bytes --sources.read_source--> RawDocument --normalise--> Document --audit--> AuditReport.
``RawDocument`` is the input as its format laid it out (text and marked-up tables); ``Document``
is the same after normalisation (simplified characters, half-width digits...) with a map from
every normalised character back to the original, so a finding can point into both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

SourceKind = Literal["text", "html", "markdown", "pdf", "docx", "unknown"]
FormatVersion = Literal["2021", "2019", "pre2019"]
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class SourceTable:
    """A table the source marked up (HTML, PDF, Word, Markdown), cell texts as laid out.

    Spanning cells are expanded: a cell with colspan=3 fills three positions (the text in the
    first, empty strings after), a rowspan repeats nothing. ``start``/``end`` are offsets into
    ``RawDocument.text`` where the table was rendered as tab-separated lines.
    """

    rows: tuple[tuple[str, ...], ...]
    start: int
    end: int


@dataclass(frozen=True)
class RawDocument:
    """One input as read from its format, before any normalisation.

    ``text`` is the readable text in reading order; every marked-up table is rendered into it as
    one line per row with cells separated by a tab, so the rest of the audit can work on lines.
    """

    name: str
    kind: SourceKind
    text: str
    tables: tuple[SourceTable, ...] = ()
    encoding: str | None = None
    problems: tuple[str, ...] = ()  # what could not be read, in Chinese


@dataclass(frozen=True)
class Span:
    """A stretch of text: offsets into the normalised text and into the original text."""

    start: int
    end: int
    original_start: int
    original_end: int
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "original_start": self.original_start,
            "original_end": self.original_end,
            "text": self.text,
        }


Certainty = Literal["certain", "likely", "unsure"]
CERTAINTY_LABELS = {"certain": "确定", "likely": "较可能", "unsure": "待核实"}

# How sure each kind of finding is (the rule decides it, the reader never guesses a value):
# certain  the report's own text proves it (a rule of the format broken by figures read as
#          written, a part that is not there, a placeholder left in, a figure against the law);
# likely   what a careful reader would conclude, but the author may have meant it (a word
#          written twice, another agency's name, an empty section, an implausible 规章 figure);
# unsure   the reader could not settle it: cells ambiguous or unreadable, its candidates named,
#          or a conclusion drawn from a damaged copy (say what to check, not what is wrong).
_CERTAINTY: dict[str, Certainty] = {
    "ambiguous_cells": "unsure",
    "unreadable_cells": "unsure",
    "unmatched_row": "unsure",
    "partial_table": "unsure",
    "source_problem": "unsure",
    "reader_error": "unsure",
    "findings_limit": "certain",
    "label_deviation": "certain",
    "other_agency": "likely",
    "machine_conversion": "likely",
    "doubled_word": "likely",
    "empty_section": "likely",
    "implausible_regulations": "likely",
    "previous_report_mismatch": "likely",
    "agency_unknown": "likely",
    "year_unknown": "likely",
    "format_mismatch": "likely",
}


def certainty_of(rule: str, severity: str = "") -> Certainty:
    """How sure a finding of ``rule`` is (see ``_CERTAINTY``); a shortfall of parts against their
    whole is a note only (parts may be unlisted): likely, an excess is proof: certain."""
    if rule == "parts_sum_mismatch":
        return "certain" if severity == "error" else "likely"
    return _CERTAINTY.get(rule, "certain")


@dataclass(frozen=True)
class AuditFinding:
    rule: str
    severity: Severity
    message: str  # Chinese
    cells: tuple[str, ...] = ()  # "table_3.results_total.total", "table_2.art20_1.regulations.made"
    spans: tuple[Span, ...] = ()
    expected: Any = None
    actual: Any = None

    @property
    def certainty(self) -> Certainty:
        return certainty_of(self.rule, self.severity)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "certainty": self.certainty,
            "message": self.message,
            "where": {
                "cells": list(self.cells),
                "spans": [s.to_json() for s in self.spans],
                "expected": _jsonable(self.expected),
                "actual": _jsonable(self.actual),
            },
        }


@dataclass(frozen=True)
class ProseFigure:
    """A figure stated in the prose, e.g. 收到申请5件: what it counts, its value and where."""

    key: str  # e.g. "applications_received", "proactive_total", "carry_forward"
    value: int | float
    span: Span
    label: str = ""  # the words it was read from
    approximate: bool = False  # 1000余条, 近/约/逾/超过 …, 左右: never compared as exact
    unit: str = ""  # 条, 件, 元, 万元 … ("" for a statement of nothing: 无行政复议)
    start: int = 0  # the number (approximation words included) and its unit, in the normalised text
    end: int = 0


@dataclass
class AuditReport:
    """Everything the audit says about one report; ``to_json`` is the CLI's --json object."""

    file: str
    format: FormatVersion | None
    year: int | None
    agency: str | None
    tables: dict[str, Any] = field(default_factory=dict)
    findings: list[AuditFinding] = field(default_factory=list)
    old_stats: dict[str, Any] | None = None
    year_is_template: bool = False
    sections: dict[str, Span | None] = field(default_factory=dict)
    prose_figures: list[ProseFigure] = field(default_factory=list)
    source_kind: SourceKind = "unknown"
    text: str = ""  # normalised text the spans point into
    original: str = ""  # original text
    markers: dict[str, str] = field(default_factory=dict)  # cell path -> the mark written (/, —, 无 …)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "format": self.format,
            "year": self.year,
            "agency": self.agency,
            "tables": _finite(self.tables),
            "findings": [f.to_json() for f in self.findings],
        }
        if self.old_stats is not None:
            out["old_stats"] = _finite(self.old_stats)
        if self.markers:
            out["markers"] = dict(self.markers)
        return out


def _jsonable(value: Any) -> Any:
    """A value JSON can hold: Decimals as numbers, never NaN or ±Infinity (``None`` instead: the
    readers never produce one, this is the last guard), containers walked."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dict, list, tuple)):
        return _finite(value)
    return value


_PLAIN = frozenset({int, str, bool, type(None)})  # values _finite returns as they are


def _finite(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None (the same object when there is none)."""
    if isinstance(value, dict):
        if all(type(v) in _PLAIN for v in value.values()):  # a row of cells: nothing to replace
            return value
        items = {k: _finite(v) for k, v in value.items()}
        return value if all(items[k] is value[k] for k in value) else items
    if isinstance(value, (list, tuple)):
        items_l = [_finite(v) for v in value]
        return value if all(a is b for a, b in zip(items_l, value)) else type(value)(items_l)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return _jsonable(value) if not isinstance(value, (str, int, bool, type(None))) else value
