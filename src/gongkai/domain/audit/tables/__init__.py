"""Tables 二, 三 and 四 read cell by cell from the lines of the normalised text.

Every marked-up table of the source (HTML, PDF, Word, Markdown) reaches the text as one line per
row with tab-separated cells; plain-text copies keep tabs or spaces, or lose the separators
altogether. So tables are read from lines:

- a line is cut into cells (tabs; else whitespace, with neighbouring words merged into one label);
  the *label* is the last text cell, the *values* are the cells after it; labels are matched to
  the format's rows/columns by :mod:`gongkai.domain.audit.labels`, with the numbering under the
  current group (（六） … ``2.``) as a fallback for labels too damaged to score, and a following
  number-less line joined when it completes a label split over two lines;
- a row whose values line up with the columns is read as written. Otherwise its *readings* are
  enumerated: where the blank cells can be (tab layout: the values shifted as a block; space
  layout: any positions), and how digit runs glued together by a crawler split into cells
  (``640020470`` → 64, 0, 0, 2, 0, 4, 70; runs are never split across a separator that is there).
  Among several readings only those satisfying the row's own total (table 三: 总计 = the six
  applicant columns; table 四: each group's 总计) are kept, then, for table 三, those satisfying
  the column rules with the other rows (t3_balance, t3_results_total). A reading is taken only
  when it is the only one left; otherwise the row's cells are None and the audit says why
  (``ambiguous_cells`` with the candidate readings, or ``unreadable_cells``). Never a guess.
- two reading rules keep the enumeration finite and honest: a run of digits with a leading zero
  or more than ``MAX_CELL_DIGITS`` digits is never one cell (it was glued); a glued run with at
  least as many digits as the row has columns fills every column (were blanks allowed too, any
  split with a blank 总计 would pass its computed total and no reading could ever be unique);
- table 三 follows the spec's blank-cell convention (:func:`consistency.normalise_table3`: a blank
  applicant cell is 0, a blank 总计 is computed); tables 二 and 四 keep blanks as None.

- an ambiguous row whose readings all agree on some cells reads those cells (the readings are
  every way the damage could have happened: a figure they all give is the figure written) and
  names the others with their candidate values; done where the enumeration is complete (tab rows
  that lost a cell, glued runs of table 二), never for a glued run that may itself have lost a
  figure;
- where the author wrote several headings of a table's kind (a prose section 主动公开工作情况
  before the table section), the table is read under each and placed where it reads best (cells
  read, then fewer problems, then the tightest section), not under the first heading;
- table 四 may be written as three five-column sub-tables (行政复议 / 未经复议直接起诉 / 复议后
  起诉) or turned on its side (a row per result, a column per group); table 三 may carry an extra
  法人或其他组织 小计 column (eight figures a row, read against both totals).

Output, keys exactly as the spec JSON for the detected format (a table not found is omitted; a
cell not found or not readable is None)::

    {"table_2": {subtable_id: {row_key: {column_key: number|None}}},
     "table_3": {row_key: {column_key: int|None}},
     "table_4": {column_key: int|None}}

``old_stats`` (reports under the old regulation, before 2019, which had no national table
format): a flat dict, every key always present, None when the report does not state it::

    proactive_published            主动公开政府信息数（条）, exact figures only
    proactive_published_at_least   the same when stated approximately (1000余条 -> 1000)
    normative_documents_published  其中主动公开规范性文件数（件）
    applications_received          收到申请数（件）
    applications_completed         申请办结数（件）
    review_cases                   政府信息公开行政复议数（件）
    litigation_cases               政府信息公开行政诉讼数（件）
    complaints                     政府信息公开举报投诉数（件）
    fees_collected                 依申请提供政府信息收取的费用（元）

read from an old statistics table when the report has one, else from the figures the prose states.
"""

from __future__ import annotations

from gongkai.domain.audit.limits import DEFAULT_LIMITS
from gongkai.domain.audit.normalise import Document
from gongkai.domain.audit.recognise import Recognition
from gongkai.domain.audit.tables.old_stats import OLD_STATS_KEYS, OLD_STATS_LABELS, extract_old_stats
from gongkai.domain.audit.tables.results import TABLE_NAMES, Extraction, TableIssue
from gongkai.domain.audit.tables.rows import read_row, split_digits, split_line
from gongkai.domain.audit.tables.table2 import extract_table2
from gongkai.domain.audit.tables.table3 import extract_table3
from gongkai.domain.audit.tables.table4 import extract_table4
from gongkai.domain.consistency import audit as run_rules
from gongkai.domain.report_format import ReportFormat, load_formats

__all__ = [
    "OLD_STATS_KEYS",
    "OLD_STATS_LABELS",
    "TABLE_NAMES",
    "Extraction",
    "TableIssue",
    "extract_old_stats",
    "extract_tables",
    "read_row",
    "split_digits",
    "split_line",
]


def extract_tables(doc: Document, rec: Recognition, *, max_rows: int = DEFAULT_LIMITS.max_table_rows) -> Extraction:
    ex = Extraction()
    if rec.format in ("2019", "2021"):
        fmt = load_formats()[rec.format]
        for table, key, extract in (
            ("table_2", "proactive", extract_table2),
            ("table_3", "applications", extract_table3),
            ("table_4", "review_litigation", extract_table4),
        ):
            options = rec.alternatives.get(key)
            if not options:
                extract(doc, fmt, rec.sections.get(key), ex, max_rows)
                continue
            # several headings of the table's kind: the table is read under each, and the place
            # that reads it best is taken (cells read, then fewest problems, then the tightest)
            tried = []
            for n, hit in enumerate(options):
                scratch = Extraction()
                extract(doc, fmt, hit, scratch, max_rows)
                tried.append((_score(scratch, table, fmt), -(hit.end - hit.start), -n, hit, scratch))
            *_, hit, best = max(tried, key=lambda t: t[:3])
            _merge(ex, best)
            ex.sections[key] = hit
        for t in ("table_2", "table_3", "table_4"):
            ex.status.setdefault(t, "absent")
    return ex


def _score(ex: Extraction, table: str, fmt: ReportFormat) -> tuple[int, int, int]:
    """How well a table was read from a place: its cells read, then the fewer of the format's
    rules (sums) broken, then the fewer problems said."""
    cells = 0
    stack = [ex.tables.get(table)]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif node is not None:
            cells += 1
    broken = 0
    if table in ex.tables:
        result = run_rules(fmt, {table: ex.tables[table]})
        broken = sum(1 for r in result.rules if r.status == "failed")
    return cells, -broken, -len(ex.issues)


def _merge(ex: Extraction, part: Extraction) -> None:
    ex.tables.update(part.tables)
    ex.cell_spans.update(part.cell_spans)
    ex.status.update(part.status)
    ex.issues.extend(part.issues)
    ex.label_uses.extend(part.label_uses)
    ex.markers.update(part.markers)
