"""Writes of the annual reports app. Each is one transaction; the domain decides before anything is written.

- ``report_open``: the year's workspace (a report in 编写中 with an empty version 1).
- ``report_save_sections``: the clerk's prose of sections 一、五、六 (only while drafting).
- ``report_transition``: submit / approve / return / publish / revise. Submitting copies the tables
  and the prose into the version (the reviewers approve that snapshot); the leader's approval
  freezes it; publishing puts it on the public 年报 page; revising opens a new version with a reason
  while the published one stays public.
- ``previous_report_enter`` / ``previous_report_import``: last year's report made outside gongkai,
  typed in (its key cells or all of them) or read from its file by the audit reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import actor_label
from gongkai.annualreports import selectors
from gongkai.annualreports.models import AnnualReport, PreviousReport, ReportDecision, ReportVersion
from gongkai.annualreports.signals import annual_report_published
from gongkai.domain.annual_report import assemble
from gongkai.domain.annual_report.workflow import WORKFLOW, Action, State, check_edit, check_transition
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.report_format import format_for_year

MAX_SECTION_CHARS = 30_000
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _log(
    report: AnnualReport,
    *,
    version: int,
    action: str,
    from_state: str,
    actor,
    role: str = "",
    comment: str = "",
    result: str = "",
) -> ReportDecision:
    seq = (report.decisions.aggregate(m=Max("seq"))["m"] or 0) + 1
    return ReportDecision.objects.create(
        report=report,
        seq=seq,
        version=version,
        action=action,
        from_state=from_state,
        to_state=report.state,
        actor=actor,
        actor_label=actor_label(actor),
        role=role,
        comment=comment,
        result=result,
    )


def _check_year(agency: Agency, year: int, today: date) -> None:
    format_for_year(year)  # ReportYearNotCovered before 2019
    if year > today.year:
        raise DomainError(f"{year}年尚未开始，不能编写{year}年度报告")


@transaction.atomic
def report_open(*, agency: Agency, year: int, actor, actor_roles: set[str], today: date) -> AnnualReport:
    """The report on ``year``, created in 编写中 with version 1 the first time (idempotent)."""
    existing = AnnualReport.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        return existing
    if not set(actor_roles) & selectors.OPENING_ROLES:
        raise TransitionNotAllowed("年度报告由经办人或办公室主任开始编写")
    _check_year(agency, year, today)
    if PreviousReport.objects.filter(agency=agency, year=year).exists():
        raise DomainError(f"{year}年度报告已在系统外编制并录入本系统，不能再在系统中编写")
    report, created = AnnualReport.objects.get_or_create(agency=agency, year=year, defaults={"created_by": actor})
    if not created:
        return report
    version = ReportVersion.objects.create(report=report, number=1, sections={}, created_by=actor)
    report.current_version = version
    report._change_reason = f"{actor_label(actor)}：开始编写"
    report.save(update_fields=["current_version", "updated_at"])
    _log(report, version=1, action="open", from_state="", actor=actor, role=_role(actor_roles))
    return report


def _role(roles: set[str]) -> str:
    for r in ("clerk", "office_head", "leader"):
        if r in roles:
            return r
    return ""


def _locked(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("agency", "current_version")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_save_sections(
    *, report: AnnualReport, sections: Mapping[str, str], actor, actor_roles: set[str]
) -> ReportVersion:
    """Replace the prose of the narrative sections given (others keep their text)."""
    report = _locked(report)
    check_edit(report.state, actor_roles)
    fmt = format_for_year(report.year)
    narrative = {s.key: s.title for s in fmt.sections if s.kind == "narrative"}
    unknown = set(sections) - set(narrative)
    if unknown:
        raise DomainError(f"{report.year}年度报告格式中没有这些正文部分：{'、'.join(sorted(unknown))}")
    clean = {}
    for key, text in sections.items():
        text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(text) > MAX_SECTION_CHARS:
            raise DomainError(f"“{narrative[key]}”过长（{len(text)}字），每部分不超过{MAX_SECTION_CHARS}字")
        clean[key] = text
    version = ReportVersion.objects.get(pk=report.current_version_id)
    version.sections = {**(version.sections or {}), **clean}
    version.save(update_fields=["sections", "updated_at"])
    return version


@transaction.atomic
def report_transition(
    *, report: AnnualReport, action: Action | str, actor, actor_roles: set[str], comment: str = "", today: date
) -> AnnualReport:
    report = _locked(report)
    state = State(report.state)
    action = Action(action) if action in {a.value for a in Action} else action
    version = ReportVersion.objects.get(pk=report.current_version_id)
    comment = (comment or "").strip()

    facts = selectors.Readiness()
    live = None
    if action == Action.SUBMIT and state is State.DRAFT:
        live = selectors.live_tables(agency=report.agency, year=report.year)
        content = selectors.version_content(report, version, live=live)
        previous = selectors.previous_for(agency=report.agency, year=report.year)
        check = assemble.check_tables(
            report.year, content.tables, previous_tables=previous.tables if previous else None
        )
        facts, _problems = selectors.readiness(
            content,
            check,
            incomplete=live.problem,
            register=selectors.register_facts(agency=report.agency, year=report.year),
        )
    row = check_transition(
        state, action, actor_roles=actor_roles, fields={"comment": comment}, facts=facts, year=report.year, today=today
    )
    move = WORKFLOW.move(row, from_state=state, actor_roles=actor_roles, fields={"comment": comment})
    now = timezone.now()

    if row.action is Action.SUBMIT:
        version.tables = selectors.tables_to_json(live.tables)
        version.check_summary = selectors.check_summary(check, previous, report.agency.name)
        version.submitted_at = now
        version.office_approved_by = version.leader_approved_by = None
        version.office_approved_at = version.leader_approved_at = None
        version.save(
            update_fields=[
                "tables",
                "check_summary",
                "submitted_at",
                "office_approved_by",
                "office_approved_at",
                "leader_approved_by",
                "leader_approved_at",
                "updated_at",
            ]
        )
    elif row.action is Action.OFFICE_APPROVE:
        version.office_approved_by, version.office_approved_at = actor, now
        version.save(update_fields=["office_approved_by", "office_approved_at", "updated_at"])
    elif row.action is Action.LEADER_APPROVE:
        version.leader_approved_by, version.leader_approved_at, version.frozen = actor, now, True
        version.approved_on = today
        version.save(update_fields=["leader_approved_by", "leader_approved_at", "approved_on", "frozen", "updated_at"])
    elif row.returns:
        # back to the live tables: the snapshot was of the version as submitted
        version.tables, version.check_summary, version.submitted_at = None, {}, None
        version.office_approved_by, version.office_approved_at = None, None
        version.save(
            update_fields=[
                "tables",
                "check_summary",
                "submitted_at",
                "office_approved_by",
                "office_approved_at",
                "updated_at",
            ]
        )

    report.current_version = version  # the instance saved above, not the stale one loaded with the report
    fields = ["state", "updated_at"]
    if row.action is Action.PUBLISH:
        report.published_version, report.published_on = version, today
        fields += ["published_version", "published_on"]
    elif row.action is Action.REVISE:
        number = (report.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        new = ReportVersion.objects.create(
            report=report, number=number, sections=dict(version.sections or {}), reason=comment, created_by=actor
        )
        report.current_version = new
        fields.append("current_version")
    report.state = move.to_state
    report._change_reason = move.change_reason(actor_label(actor))
    report.save(update_fields=fields)
    _log(
        report,
        version=report.current_version.number,
        action=move.action,
        from_state=move.from_state,
        actor=actor,
        role=move.role,
        comment=move.comment,
        result=move.result,
    )
    if row.action is Action.PUBLISH:
        annual_report_published.send(sender=AnnualReport, report=report, actor=actor)
    return report


# -- reports made outside gongkai ---------------------------------------------------------------------


class CellErrors(DomainError):
    """Some typed cells are missing or not numbers; ``errors`` maps each cell name to its message."""

    code = "cell_errors"

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(f"有{len(errors)}处数字未填写或填写有误，请按提示修改")


def _previous_year_allowed(agency: Agency, year: int, *, for_year: int | None = None) -> None:
    format_for_year(year)
    if for_year is not None and year != for_year - 1:
        raise DomainError(f"这里录入的是{for_year - 1}年度报告（{for_year}年度报告的上一年度），不是{year}年度报告")
    if AnnualReport.objects.filter(agency=agency, year=year).exists():
        raise DomainError(f"{year}年度报告在本系统中编写，跨年度核对直接使用其已公开的版本，无需录入或导入")


def _parse_cell(cell: selectors.KeyCell, raw: Any) -> int | Decimal:
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if text == "":
        raise ValueError("请填写（没有的填0）")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("请填写数字") from None
    if not value.is_finite() or value < 0:
        raise ValueError("不能为负数")
    if cell.decimal:
        return value
    if value != value.to_integral_value():
        raise ValueError("请填写整数")
    return int(value)


@transaction.atomic
def previous_report_enter(
    *, agency: Agency, year: int, values: Mapping[str, Any], complete: bool, actor, for_year: int | None = None
) -> PreviousReport:
    """Last year's figures typed in: the key cells the cross-year rules read (``complete`` False) or
    every cell of the year's tables. Replaces an earlier entry or import of the same year."""
    _previous_year_allowed(agency, year, for_year=for_year)
    cells = selectors.all_cells(year) if complete else selectors.key_cells(year)
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for cell in cells:
        try:
            parsed[cell.name] = _parse_cell(cell, values.get(cell.name))
        except ValueError as err:
            errors[cell.name] = f"{cell.label}：{err}"
    if errors:
        raise CellErrors(errors)
    tables = selectors.tables_from_cells(year, parsed)
    findings: list[dict[str, str]] = []
    if complete:
        tables = assemble.assemble_tables(
            year, table2=tables["table_2"], table3=tables["table_3"], table4=tables["table_4"]
        )
        check = assemble.check_tables(year, tables)
        findings = [{"rule": f.rule, "severity": f.severity, "message": f.message} for f in check.errors]
    record, _ = PreviousReport.objects.select_for_update().get_or_create(
        agency=agency, year=year, defaults={"source": PreviousReport.Source.ENTERED}
    )
    record.tables = selectors.tables_to_json(tables)
    record.source = PreviousReport.Source.ENTERED
    record.original_name, record.data, record.findings, record.complete = "", None, findings, complete
    record.imported_by = actor
    record._change_reason = f"{actor_label(actor)}：录入{year}年度报告数字"
    record.save()
    return record


@transaction.atomic
def previous_report_import(
    *, agency: Agency, year: int, data: bytes, name: str, actor, for_year: int | None = None
) -> PreviousReport:
    """Last year's published report read from its file (PDF, Word, HTML, text) by the audit reader.
    Its extracted tables are kept with the reader's findings; a file whose year is not ``year``, or
    whose tables could not be read, is refused."""
    from gongkai.domain.audit import audit_bytes

    _previous_year_allowed(agency, year, for_year=for_year)
    if not data:
        raise DomainError("文件是空的，请重新选择")
    if len(data) > MAX_IMPORT_BYTES:
        raise DomainError(f"文件过大（{len(data) // 1024 // 1024}MB），不超过{MAX_IMPORT_BYTES // 1024 // 1024}MB")
    audited = audit_bytes(data, name)
    if audited.year is None:
        raise DomainError(f"未能从文件“{name}”识别出报告年度，请确认这是{year}年度政府信息公开工作年度报告")
    if audited.year != year:
        raise DomainError(f"文件“{name}”是{audited.year}年度报告，这里需要的是{year}年度报告")
    tables = audited.tables or {}
    if not tables.get("table_3") or not _has_numbers(tables.get("table_3")):
        problems = "；".join(f.message for f in audited.findings if f.severity == "error")[:500]
        raise DomainError(
            f"未能从文件“{name}”中读出表格数字，无法用于跨年度核对。"
            f"{('审计发现：' + problems) if problems else ''}请改为手工录入。"
        )
    findings = [{"rule": f.rule, "severity": f.severity, "message": f.message} for f in audited.findings]
    if audited.agency and audited.agency != agency.name:
        findings.insert(
            0,
            {
                "rule": "agency_name",
                "severity": "warning",
                "message": f"文件中的机关名称为“{audited.agency}”，与本机关“{agency.name}”不同，请核实是否选错文件",
            },
        )
    record, _ = PreviousReport.objects.select_for_update().get_or_create(
        agency=agency, year=year, defaults={"source": PreviousReport.Source.FILE}
    )
    record.tables = selectors.tables_to_json(tables)
    record.source = PreviousReport.Source.FILE
    record.original_name, record.data, record.findings = name[:255], data, findings
    record.complete = False
    record.imported_by = actor
    record._change_reason = f"{actor_label(actor)}：导入{year}年度报告文件"
    record.save()
    return record


def _has_numbers(node: Any) -> bool:
    if isinstance(node, Mapping):
        return any(_has_numbers(v) for v in node.values())
    return isinstance(node, (int, Decimal)) and not isinstance(node, bool)


PUBLISHING_ROLES = frozenset({"office_head", "leader"})


@transaction.atomic
def previous_report_publish(
    *, record: PreviousReport, publish: bool, actor, actor_roles: set[str], today: date
) -> PreviousReport:
    """Show an earlier year's report made outside gongkai in the public 年报 section (or take it down).

    Only what can be shown whole is published: the imported file, or every cell entered; the year
    must have ended (条例第四十九条), and a year whose report was published in gongkai keeps that one."""
    if not actor_roles & PUBLISHING_ROLES:
        raise TransitionNotAllowed("往年年度报告由办公室主任或局领导在年报栏目公开")
    record = PreviousReport.objects.select_for_update().get(pk=record.pk)
    if publish:
        if record.year >= today.year:
            raise DomainError(f"{record.year}年度尚未结束，不能公开该年度报告")
        if record.source != PreviousReport.Source.FILE and not record.complete:
            raise DomainError("只录入了跨年度核对所需的单元格，不能公开；请导入原报告文件或录入全部单元格")
        if AnnualReport.objects.filter(
            agency=record.agency, year=record.year, published_version__isnull=False
        ).exists():
            raise DomainError(f"{record.year}年度报告已在本系统编写并公开，不能再公开系统外的版本")
        record.published_on = record.published_on or today
    else:
        record.published_on = None
    record._history_user = actor
    record.save(update_fields=["published_on"])
    return record
