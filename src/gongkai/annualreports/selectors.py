"""Reads of the annual reports app: who sees which agency's reports, the year's tables computed live,
last year's tables for the cross-year rules, a version's content, the workspace, the countdown.

Tables 二, 三 and 四 come from the three registers, each in one aggregation:
``disclosure.selectors.table2_figures`` (documents and the year's figures),
``applications.statistics.table3_for_year_sql`` (applications) and
``litigation.selectors.table4_figures`` (reviews and suits); the domain assembles and checks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import agencies_visible_to
from gongkai.annualreports.models import AnnualReport, PreviousReport, ReportDecision, ReportVersion
from gongkai.domain.annual_report import assemble
from gongkai.domain.annual_report.channel_prose import RULE as CHANNEL_RULE
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.workflow import (
    FROZEN_STATES,
    SNAPSHOT_STATES,
    WORKFLOW,
    Action,
    Readiness,
    State,
    available_actions,
    check_edit,
    transition_for,
)
from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import FIRST_STANDARD_YEAR, ReportFormat, format_for_year

WORKFLOW_ROLES = frozenset({"clerk", "office_head", "leader"})
OPENING_ROLES = frozenset({"clerk", "office_head"})


# -- access ---------------------------------------------------------------------------------------


def agency_for(user, code: str | None = None) -> Agency:
    """The agency whose reports ``user`` asked for (``?agency=code``), else their own; 404 when the
    user may not read it or has none (another agency's report is "not found", never "forbidden")."""
    visible = agencies_visible_to(user).order_by("name")
    if code:
        found = visible.filter(code=code).first()
        if found is None:
            raise Http404("机构不存在")
        return found
    own = (
        Agency.objects.filter(
            kind=Agency.Kind.AGENCY, memberships__user=user, memberships__role__in=list(WORKFLOW_ROLES)
        )
        .distinct()
        .order_by("name")
        .first()
    )
    found = own or visible.first()
    if found is None:
        raise Http404("您的账号没有可查看年度报告的机构")
    return found


# -- tables as stored ---------------------------------------------------------------------------------


def tables_to_json(tables: Any) -> Any:
    """Decimals (万元 amounts) as strings, so the exact figure survives JSON."""
    if isinstance(tables, Mapping):
        return {str(k): tables_to_json(v) for k, v in tables.items()}
    if isinstance(tables, Decimal):
        return format(tables, "f")
    if isinstance(tables, float):
        return format(Decimal(repr(tables)), "f")
    return tables


def tables_from_json(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {k: tables_from_json(v) for k, v in data.items()}
    if isinstance(data, str):
        try:
            return Decimal(data)
        except InvalidOperation:
            return None
    return data


# -- the year's tables, live --------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveTables:
    """The year's tables as counted now. ``tables`` is the assembled, complete set (None when a cell
    is blank, e.g. table 二's yearly figures not yet entered; ``raw`` then holds what was counted and
    ``problem`` says what is missing, in Chinese)."""

    year: int
    raw: dict[str, Any]
    tables: dict[str, Any] | None
    problem: str = ""

    @property
    def shown(self) -> dict[str, Any]:
        return self.tables if self.tables is not None else self.raw


def live_tables(*, agency: Agency, year: int) -> LiveTables:
    from gongkai.applications.statistics import table3_for_year_sql
    from gongkai.disclosure.selectors import table2_figures
    from gongkai.litigation.selectors import table4_figures

    raw = {
        "table_2": table2_figures(agency=agency, year=year),
        "table_3": table3_for_year_sql(agency, year),
        "table_4": table4_figures(agency=agency, year=year),
    }
    try:
        tables = assemble.assemble_tables(year, table2=raw["table_2"], table3=raw["table_3"], table4=raw["table_4"])
    except DomainError as err:
        return LiveTables(year, raw, None, err.message)
    return LiveTables(year, raw, tables)


@dataclass(frozen=True)
class FeesCollected:
    yuan: Decimal
    cases: int


def fees_collected(*, agency: Agency, year: int) -> FeesCollected:
    """信息处理费 collected in ``year``: the amounts of the fee notices whose payment (``fee_paid``,
    its ``paid_on``) falls in the year, and the number of applications charged."""
    from gongkai.applications.selectors import fee_notices_paid_in

    amounts = fee_notices_paid_in(agency=agency, year=year)
    return FeesCollected(sum(amounts.values(), Decimal(0)), len(amounts))


# -- last year ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Previous:
    """The report of the year before, as the cross-year rules read it."""

    year: int
    tables: dict[str, Any]
    source: str  # "gongkai" (published here), "entered", "file"
    label: str  # Chinese: where the figures come from
    record: PreviousReport | None = None


def previous_for(*, agency: Agency, year: int) -> Previous | None:
    """Last year's report for the report on ``year``: the version published in gongkai if there is
    one, else a report made outside gongkai that was entered or imported; None when neither exists."""
    last = year - 1
    if last < FIRST_STANDARD_YEAR:
        return None
    published = (
        AnnualReport.objects.filter(agency=agency, year=last, published_version__isnull=False)
        .select_related("published_version")
        .first()
    )
    if published is not None and published.published_version.tables:
        return Previous(
            last,
            tables_from_json(published.published_version.tables),
            "gongkai",
            f"本系统中已公开的{last}年度报告（第{published.published_version.number}版）",
        )
    record = PreviousReport.objects.filter(agency=agency, year=last).first()
    if record is None:
        return None
    how = (
        "导入的文件" + (f"“{record.original_name}”" if record.original_name else "")
        if record.source == "file"
        else ("录入的全部数字" if record.complete else "录入的关键数字")
    )
    return Previous(
        last, tables_from_json(record.tables), record.source, f"系统外编制的{last}年度报告（{how}）", record
    )


@dataclass(frozen=True)
class KeyCell:
    """A cell of last year's report that this year's cross-year rules read."""

    table: str
    sub: str | None
    row: str
    col: str
    label: str  # Chinese, with the printed labels
    decimal: bool = False

    @property
    def name(self) -> str:
        return ".".join(p for p in (self.table, self.sub, self.row, self.col) if p)


def all_cells(year: int) -> list[KeyCell]:
    """Every value cell of ``year``'s tables, in printed order."""
    fmt = format_for_year(year)
    cells: list[KeyCell] = []
    for s in fmt.table_2.subtables:
        for r in s.rows:
            for c in s.columns:
                cells.append(
                    KeyCell("table_2", s.id, r.key, c.key, f"表二{s.caption}“{r.label}”行“{c.label}”", c.is_decimal)
                )
    for r in fmt.table_3.data_rows():
        for c in fmt.table_3.columns:
            cells.append(KeyCell("table_3", None, r.key, c.key, f"表三“{r.label}”行“{c.label}”列"))
    for c in fmt.table_4.columns:
        cells.append(KeyCell("table_4", None, "", c.key, f"表四{fmt.table_4.column_heading(c.key)}"))
    return cells


def key_cells(year: int) -> list[KeyCell]:
    """The cells of the report on ``year`` that the next year's cross-year rules compare with: table
    三 四、结转下年度继续办理 (every column), table 二 第二十条第（一）项 现行有效件数 (2021 format) and,
    in the 2019 trial format, the item counts the next report continues."""
    fmt, nxt = format_for_year(year), format_for_year(year + 1)
    wanted: list[KeyCell] = []
    next_rules = {r.id for r in nxt.rules} | {r.id for r in fmt.rules if "next_report." in r.expr}
    for cell in all_cells(year):
        if cell.table == "table_3" and cell.row == "carry_forward" and "t3_carry_continuity" in next_rules:
            wanted.append(cell)
        elif (
            cell.table == "table_2"
            and cell.sub == "art20_1"
            and cell.col == "in_force"
            and "t2_in_force_continuity" in next_rules
        ):
            wanted.append(cell)
        elif (
            cell.table == "table_2"
            and cell.col in ("items_last_year", "change_this_year")
            and "t2_item_continuity" in next_rules
            and fmt.version == nxt.version
        ):
            wanted.append(cell)
    return wanted


def tables_from_cells(year: int, values: Mapping[str, Any]) -> dict[str, Any]:
    """Nested tables (consistency shape) from ``{cell name: value}``; cells not given are left out."""
    out: dict[str, Any] = {}
    for cell in all_cells(year):
        if cell.name not in values:
            continue
        v = values[cell.name]
        if cell.table == "table_2":
            out.setdefault("table_2", {}).setdefault(cell.sub, {}).setdefault(cell.row, {})[cell.col] = v
        elif cell.table == "table_3":
            out.setdefault("table_3", {}).setdefault(cell.row, {})[cell.col] = v
        else:
            out.setdefault("table_4", {})[cell.col] = v
    return out


def cell_value(tables: Mapping[str, Any], cell: KeyCell) -> Any:
    node: Any = tables.get(cell.table)
    for k in (cell.sub, cell.row or None, cell.col):
        if k is None:
            continue
        if not isinstance(node, Mapping):
            return None
        node = node.get(k)
    return node


# -- a version's content ------------------------------------------------------------------------------


def version_content(report: AnnualReport, version: ReportVersion, *, live: LiveTables | None = None) -> ReportContent:
    """What the version says: its snapshot once submitted, the live tables while it is drafted."""
    if version.tables is not None:
        tables = tables_from_json(version.tables)
    else:
        live = live or live_tables(agency=report.agency, year=report.year)
        tables = live.shown
    name = (version.check_summary or {}).get("agency_name") or report.agency.name
    dated = version.approved_on  # the leader's sign-off date, printed under the signature
    return ReportContent(
        agency_name=name, year=report.year, tables=tables, sections=dict(version.sections or {}), dated=dated
    )


def current_content(report: AnnualReport) -> ReportContent:
    return version_content(report, report.current_version)


def check_summary(check: assemble.TableCheck, previous: Previous | None, agency_name: str) -> dict[str, Any]:
    """The check as kept with a submitted version (what the reviewers approved)."""
    return {
        "agency_name": agency_name,
        "ok": check.ok,
        "rules": [list(line) for line in check.rules],
        "cross_year": [
            {
                "rule": n.rule,
                "title": n.title,
                "status": n.status,
                "message": n.message,
                "mismatches": [m.explanation for m in n.mismatches],
            }
            for n in check.cross_year
        ],
        "previous": previous.label if previous else "",
    }


# -- readiness ----------------------------------------------------------------------------------------


def register_facts(*, agency: Agency, year: int):
    """What the register shows for ``year``, for the checks beside the 勾稽 rules."""
    from gongkai.applications.selectors import concluded_with_step
    from gongkai.domain.annual_report.register_checks import RegisterFacts

    def with_step(action: str) -> int:
        return concluded_with_step(agency=agency, year=year, action=action)

    return RegisterFacts(
        corrections_answered=with_step("receive_correction"),
        fee_notices=with_step("notify_fee"),
        fees_paid_yuan=fees_collected(agency=agency, year=year).yuan,
    )


def readiness(
    content: ReportContent, check: assemble.TableCheck, *, incomplete: str = "", register=None, channels=None
) -> tuple[Readiness, list]:
    """What stands in the way of submitting, and the prose problems found (for display).
    ``register`` (:func:`register_facts`) adds the checks against the register; ``channels``
    (:func:`channel_figures.channel_figures`) the figures of the other channels quoted in the prose,
    as warnings that do not block."""
    from gongkai.domain.annual_report.channel_prose import channel_problems
    from gongkai.domain.annual_report.checklist import empty_sections, missing_required
    from gongkai.domain.annual_report.prose_check import check_prose
    from gongkai.domain.annual_report.register_checks import register_problems

    errors: list[str] = [incomplete] if incomplete else []
    errors += [
        f"{r.title}：{r.summary}"
        for r in check.result.rules
        if r.rule.severity == "error" and r.status != "passed" and not (incomplete and r.status != "failed")
    ]
    empty = empty_sections(content)
    empty_keys = {k for k, _t in empty}
    missing = [f"{title}：{point}" for key, title, point in missing_required(content) if key not in empty_keys]
    problems = check_prose(content) if not incomplete else []
    warnings = channel_problems(content, channels)
    facts = Readiness(
        consistency_errors=tuple(errors),
        missing_points=tuple(missing),
        empty_sections=tuple(t for _k, t in empty),
        prose_problems=tuple(p.message for p in problems),
        register_problems=tuple(register_problems(content.tables, content.sections, register)) if register else (),
        register_warnings=tuple(p.message for p in warnings),
    )
    return facts, problems + warnings


# -- the workspace ------------------------------------------------------------------------------------


@dataclass
class SectionEditor:
    key: str
    title: str
    text: str
    checklist: list[Any]
    suggestions: list[tuple[int, Any]]  # (index, Suggestion)
    problems: list[Any]

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass
class ActionInfo:
    action: Action
    label: str
    irreversible: bool
    needs_comment: bool
    comment_label: str
    returns: bool = False


@dataclass
class Workspace:
    report: AnnualReport
    version: ReportVersion
    content: ReportContent
    fmt: ReportFormat
    live: bool  # the tables are computed now (drafting), not a snapshot
    incomplete: str
    check: assemble.TableCheck
    previous: Previous | None
    sections: list[SectionEditor]
    readiness: Readiness
    prose_problems: list[Any]  # figures quoted in the prose that differ from the tables
    editable: bool
    edit_refusal: str
    actions: list[ActionInfo]
    roles: set[str]
    versions: list[ReportVersion] = field(default_factory=list)
    decisions: list[ReportDecision] = field(default_factory=list)
    due: date | None = None
    days_left: int | None = None
    register_warnings: list[Any] = field(default_factory=list)  # channel figures the registers contradict

    @property
    def table_rules(self) -> list[assemble.RuleLine]:
        """The rules within this year's tables (the cross-year ones are shown with their notes)."""
        cross = {n.rule for n in self.check.cross_year}
        return [r for r in self.check.rules if r.rule not in cross]

    @property
    def failed_rules(self) -> int:
        return sum(1 for r in self.table_rules if r.status != "passed")

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def frozen(self) -> bool:
        return State(self.report.state) in FROZEN_STATES


def publication_sentence(*, agency: Agency, year: int) -> str:
    """The 主动公开 sentence of 总体情况, from the register (one grouped query)."""
    from gongkai.disclosure.selectors import publication_summary

    return publication_summary(agency=agency, year=year)


def report_facts(*, agency: Agency, year: int, tables: Mapping[str, Any]):
    from gongkai.domain.annual_report.suggestions import ReportFacts

    fees = fees_collected(agency=agency, year=year)
    return ReportFacts(
        year=year,
        tables=tables,
        publication_sentence=publication_sentence(agency=agency, year=year),
        fees_collected_yuan=fees.yuan,
        fee_cases=fees.cases,
    )


def report_suggestions(report: AnnualReport, tables: Mapping[str, Any] | None, channels) -> list[Any]:
    """The suggested sentences: those from the tables (when they are complete) and those from the
    other channels' registers (which need no table). The workspace and the no-script 插入 make the
    list the same way, so an index names the same sentence in both."""
    from gongkai.domain.annual_report.channels import channel_suggestions
    from gongkai.domain.annual_report.suggestions import suggested_sentences

    out = (
        list(suggested_sentences(report_facts(agency=report.agency, year=report.year, tables=tables))) if tables else []
    )
    return out + channel_suggestions(channels)


def workspace(report: AnnualReport, *, roles: set[str], today: date) -> Workspace:
    from gongkai.annualreports.channel_figures import channel_figures
    from gongkai.domain.annual_report.checklist import checklist

    version = report.current_version
    state = State(report.state)
    live_now = state not in SNAPSHOT_STATES or version.tables is None
    live = live_tables(agency=report.agency, year=report.year) if live_now else None
    content = version_content(report, version, live=live)
    incomplete = live.problem if live is not None else ""
    previous = previous_for(agency=report.agency, year=report.year)
    check = assemble.check_tables(report.year, content.tables, previous_tables=previous.tables if previous else None)
    # the registers of the other channels: their sentences, checklist points and the check of the
    # figures the prose quotes, while the report can still change (not once frozen or published)
    channels = None if state in FROZEN_STATES else channel_figures(agency=report.agency, year=report.year)
    facts, problems = readiness(
        content,
        check,
        incomplete=incomplete,
        register=register_facts(agency=report.agency, year=report.year) if live_now else None,
        channels=channels,
    )

    try:
        check_edit(state, roles)
        editable, refusal = True, ""
    except DomainError as err:
        editable, refusal = False, err.message
    suggestions: list[Any] = []
    if editable:
        suggestions = report_suggestions(report, None if incomplete else content.tables, channels)
    items = checklist(content, channels)
    sections = []
    for s in content.fmt.sections:
        if s.kind != "narrative":
            continue
        sections.append(
            SectionEditor(
                key=s.key,
                title=s.title,
                text=content.sections.get(s.key, "") or "",
                checklist=items.get(s.key, []),
                suggestions=[(i, sg) for i, sg in enumerate(suggestions) if sg.section_key == s.key],
                problems=[p for p in problems if p.section_key == s.key],
            )
        )
    actions = []
    for a in available_actions(state, roles):
        row = transition_for(state, a)
        actions.append(
            ActionInfo(
                a,
                a.label,
                row.irreversible,
                "comment" in row.required,
                WORKFLOW.field_label(row, "comment"),
                row.returns,
            )
        )
    due = date(report.year + 1, 1, 31)
    return Workspace(
        report=report,
        version=version,
        content=content,
        fmt=content.fmt,
        live=live_now,
        incomplete=incomplete,
        check=check,
        previous=previous,
        sections=sections,
        readiness=facts,
        prose_problems=[p for p in problems if p.rule != CHANNEL_RULE],
        register_warnings=[p for p in problems if p.rule == CHANNEL_RULE],
        editable=editable,
        edit_refusal=refusal,
        actions=actions,
        roles=roles,
        versions=list(report.versions.select_related("created_by", "office_approved_by", "leader_approved_by")),
        decisions=list(report.decisions.select_related("actor")),
        due=due,
        days_left=(due - today).days if not report.is_public else None,
    )


def suggestion_text(report: AnnualReport, index: int) -> tuple[str, str] | None:
    """(section key, sentence) of the ``index``-th suggestion for the live data (the no-script 插入)."""
    from gongkai.annualreports.channel_figures import channel_figures

    live = live_tables(agency=report.agency, year=report.year)
    found = report_suggestions(report, live.tables, channel_figures(agency=report.agency, year=report.year))
    if not 0 <= index < len(found):
        return None
    return found[index].section_key, found[index].text


# -- lists --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    year: int
    report: AnnualReport | None
    previous: PreviousReport | None
    due: date
    days_left: int | None  # None once published (or made outside gongkai)
    can_open: bool


def year_rows(agency: Agency, *, today: date, roles: set[str]) -> list[YearRow]:
    """The years the agency reports on, newest first: this year and every year with a report or an
    imported one, back to the earliest of those (the standard tables start with 2019)."""
    reports = {r.year: r for r in AnnualReport.objects.filter(agency=agency).select_related("published_version")}
    previous = {p.year: p for p in PreviousReport.objects.filter(agency=agency)}
    years = set(reports) | set(previous) | {today.year, today.year - 1}
    first = max(FIRST_STANDARD_YEAR, min(years))
    rows = []
    for y in range(today.year, first - 1, -1):
        r, p = reports.get(y), previous.get(y)
        due = date(y + 1, 1, 31)
        done = (r is not None and r.is_public) or (r is None and p is not None)
        rows.append(
            YearRow(
                y,
                r,
                p,
                due,
                None if done else (due - today).days,
                can_open=r is None and p is None and bool(roles & OPENING_ROLES),
            )
        )
    return rows


def report_for(agency: Agency, year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(agency=agency, year=year)
        .select_related("agency", "current_version", "published_version")
        .first()
    )


def public_reports(agency: Agency) -> QuerySet[AnnualReport]:
    return (
        AnnualReport.objects.filter(agency=agency, published_version__isnull=False)
        .select_related("agency", "published_version")
        .order_by("-year")
    )


def public_report(agency: Agency, year: int) -> AnnualReport | None:
    return public_reports(agency).filter(year=year).first()


def public_previous_reports(agency: Agency) -> QuerySet[PreviousReport]:
    """Earlier years' reports made outside gongkai that the office published in the 年报 section."""
    return (
        PreviousReport.objects.filter(agency=agency, published_on__isnull=False)
        .select_related("agency")
        .order_by("-year")
    )


@dataclass(frozen=True)
class PublicEntry:
    """One line of the public 年报 list: a report made in gongkai or one entered or imported."""

    year: int
    agency_name: str
    published_on: date | None
    made_here: bool


def public_entries(agency: Agency) -> list[PublicEntry]:
    here = {r.year: r for r in public_reports(agency)}
    entries = [PublicEntry(r.year, r.agency.name, r.published_on, True) for r in here.values()]
    entries += [
        PublicEntry(p.year, p.agency.name, p.published_on, False)
        for p in public_previous_reports(agency)
        if p.year not in here
    ]
    return sorted(entries, key=lambda e: -e.year)


def previous_content(record: PreviousReport) -> ReportContent | None:
    """The tables of a published earlier report as content the renderers take (None when not whole)."""
    if not record.complete and record.source != PreviousReport.Source.FILE:
        return None
    tables = tables_from_json(record.tables)
    if not all(tables.get(t) for t in ("table_2", "table_3", "table_4")):
        return None
    return ReportContent(record.agency.name, record.year, tables, {})


def public_content(report: AnnualReport) -> ReportContent:
    return version_content(report, report.published_version)


# -- the dashboard ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Countdown:
    """The report the agency owes next and the days left to 31 January (第四十九条)."""

    year: int  # the report year
    due: date
    days_left: int  # negative when overdue
    state_label: str  # 未开始, 编写中, …
    report: AnnualReport | None
    empty_sections: list[str]  # titles of required prose sections still empty
    urgent: bool  # within the reporting season (from 1 December) or overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def _done(agency: Agency, year: int) -> bool:
    return (
        AnnualReport.objects.filter(agency=agency, year=year, published_version__isnull=False).exists()
        or PreviousReport.objects.filter(agency=agency, year=year).exists()
    )


def report_countdown(agency: Agency, today: date) -> Countdown | None:
    """Last year's report while it is not published (days to this 31 January, negative once past),
    else the coming one (this year's, due next 31 January; ``urgent`` from 1 December)."""
    year = today.year - 1
    if year < FIRST_STANDARD_YEAR:
        return None
    if _done(agency, year):
        year = today.year
        if _done(agency, year):
            return None
    due = date(year + 1, 1, 31)
    days = (due - today).days
    report = report_for(agency, year)
    empty: list[str] = []
    if report is not None:
        from gongkai.domain.annual_report.checklist import empty_sections

        content = ReportContent(
            agency_name=agency.name, year=year, tables={}, sections=dict(report.current_version.sections or {})
        )
        empty = [t for _k, t in empty_sections(content)]
    else:
        empty = [s.title for s in format_for_year(year).sections if s.kind == "narrative"]
    urgent = days < 0 or year < today.year or today >= date(today.year, 12, 1)
    return Countdown(year, due, days, report.state_label if report else "未开始", report, empty, urgent)
