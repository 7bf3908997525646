"""Consistency checks of tables 二/三/四 of an annual report, driven by the rules in the format data.

The rules are data: each table of the packaged format (:mod:`gongkai.domain.report_format`)
carries its ``rules``, each with a ``scope`` and an ``expr`` written in a very small expression
language. :mod:`gongkai.domain.expressions` parses that language (no ``eval``); this module binds the
names to table cells by scope and runs every rule with one evaluator.

Expression language (see ``expression_language`` in the format data):

- integers, ``+``, ``-``, parentheses, ``==``, ``<=``, ``>=``, ``and``, ``is_integer(x)``;
- ``value``: the cell, in the ``each_cell`` scopes;
- bare identifiers: ROW keys in ``each_column`` (evaluated once per column), COLUMN keys in
  ``each_row`` (evaluated once per row; table 四's single row is ``cases``);
- dotted names: ``table_3.carry_forward`` or ``table_2.art20_1.in_force`` name a table / sub-table
  explicitly; a ``previous_report.`` or ``next_report.`` prefix reads the same position in the
  same agency's report of the year before / after.

Scopes: ``each_column``, ``each_row``, ``each_cell``, ``each_cell_except_<column>``, and any of
them restricted to table 二 sub-tables: ``art20_1.each_row``, ``art20_5,art20_6,art20_8 each_row``.

Input: ``tables = {"table_2": {sub_id: {row: {column: number|None}}},
"table_3": {row: {column: int|None}}, "table_4": {column: int|None}}``; ``previous`` and
``next_report`` have the same shape. Semantics:

- a table missing from ``tables`` is skipped: its rules are reported as not run, no findings;
- a check whose cells include a blank (``None`` or absent) or non-numeric cell is *not checkable*:
  it is recorded (:class:`Unchecked`) and neither passes nor fails; nothing is guessed. Published
  reports that leave zero cells blank in table 三 should go through :func:`normalise_table3` first;
- integers compare exactly; when a cell of a decimal column (``fee_amount``, ``procurement_amount``)
  takes part, comparisons allow a tolerance of 0.005;
- cross-year rules run only when ``previous`` / ``next_report`` is given (they are warnings).

Evaluation is planned once per format object: every rule compiled, every position bound to its
cells, the distinct cells listed. An audit reads each distinct cell once and checks positions on
integer cells as linear sums, all positions of a one-cell rule (``value >= 0``) at once from the
smallest and largest value; the Chinese messages are built only for failures and for positions
that cannot be checked. Nothing is kept between calls but the plan: results never carry over.

The parts, in the order a check passes through them:

- :mod:`.binding`: a rule compiled against the format and bound to its cells; how a cell reads;
- :mod:`.plan`: every rule of a format compiled and bound once, the distinct cells, linear forms;
- :mod:`.runner`: :func:`audit` (and :func:`evaluate`, :func:`passed_rules`), the fast path;
  :func:`row_breaks_error_rule`, the error rules on one row alone (a reader choosing a reading);
- :mod:`.full_check`: one position evaluated the straightforward way, and its Chinese message;
- :mod:`.labels`: the Chinese names of positions and cells used in the messages;
- :mod:`.results`: :class:`AuditResult`, :class:`RuleResult`, :class:`Finding`, :class:`Unchecked`;
- :mod:`.table3_blanks`: :func:`normalise_table3`, the blank-cell convention of published reports.

The fast path and the full check must say the same thing for every input: the hypothesis tests in
tests/unit/test_consistency.py compare :func:`audit` with a position-by-position run of the full
check.
"""

from gongkai.domain.consistency.binding import CROSS_YEAR, CompiledRule, compile_rule
from gongkai.domain.consistency.full_check import TOLERANCE
from gongkai.domain.consistency.results import (
    RULE_TITLES,
    AuditResult,
    Finding,
    Number,
    RuleResult,
    RuleStatus,
    Unchecked,
    rule_title,
)
from gongkai.domain.consistency.runner import audit, evaluate, passed_rules, row_breaks_error_rule
from gongkai.domain.consistency.table3_blanks import normalise_table3

__all__ = [
    "CROSS_YEAR",
    "RULE_TITLES",
    "TOLERANCE",
    "AuditResult",
    "CompiledRule",
    "Finding",
    "Number",
    "RuleResult",
    "RuleStatus",
    "Unchecked",
    "audit",
    "compile_rule",
    "evaluate",
    "normalise_table3",
    "passed_rules",
    "row_breaks_error_rule",
    "rule_title",
]
