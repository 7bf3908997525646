"""Reads of the supervisor's desk: the offices a user works for, the agencies below them on every
level, the annual-report board of a year and the work figures of each agency (counts and rates only:
nothing here reads an applicant's name, identity number or any other field of a person)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from gongkai.accounts.models import Agency, Membership, Role
from gongkai.annualreports.models import AnnualReport
from gongkai.audits.models import AuditedReport
from gongkai.domain import supervision as rules
from gongkai.domain.annual_report.workflow import State as ReportState
from gongkai.domain.clocks import DeadlineStatus
from gongkai.supervision.models import DisclosureColumn, FindingReview, Rectification, ReportFiling

# -- who oversees what --------------------------------------------------------------------------------


def offices_of(user) -> list[Agency]:
    """The supervising offices the user works for (a superuser: every office at the top)."""
    if user.is_superuser:
        return list(Agency.objects.filter(kind=Agency.Kind.SUPERVISOR, supervised_by__isnull=True).order_by("name"))
    ids = Membership.objects.filter(user=user, role=Role.SUPERVISOR).values_list("agency_id", flat=True)
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


def is_supervisor(user) -> bool:
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.SUPERVISOR).exists()


@dataclass(frozen=True)
class OverseenAgency:
    agency: Agency
    depth: int
    parent: Agency
    column_url: str

    @property
    def is_office(self) -> bool:
        return self.agency.kind == Agency.Kind.SUPERVISOR

    @property
    def indent(self) -> range:
        return range(self.depth - 1)


# what the supervision pages show of an agency (not its letters' settings and contact details)
AGENCY_FIELDS = ("id", "code", "name", "kind", "supervised_by_id", "deadline_convention")


def _nodes() -> list[rules.Node]:
    rows = Agency.objects.order_by("name").values_list("id", "supervised_by_id", "kind")
    return [rules.Node(i, p, k == Agency.Kind.SUPERVISOR) for i, p, k in rows]


def oversight(office: Agency) -> list[OverseenAgency]:
    """Every agency below ``office``, depth first (the offices in between included)."""
    tree = rules.oversight_tree(office.pk, _nodes())
    agencies = Agency.objects.only(*AGENCY_FIELDS).in_bulk([o.id for o in tree] + [office.pk])
    columns = dict(DisclosureColumn.objects.filter(agency_id__in=agencies).values_list("agency_id", "url"))
    return [OverseenAgency(agencies[o.id], o.depth, agencies[o.parent_id], columns.get(o.id, "")) for o in tree]


def overseen_ids(user) -> set[int]:
    """Every agency (and office) below the user's offices: what the supervision pages may show."""
    nodes = _nodes()
    out: set[int] = set()
    for office in offices_of(user):
        out.update(o.id for o in rules.oversight_tree(office.pk, nodes))
    return out


def overseen_agency(user, agency_id: int) -> Agency:
    if agency_id not in overseen_ids(user):
        get_object_or_404(Agency.objects.none(), pk=agency_id)
    return get_object_or_404(Agency, pk=agency_id)


def office_for(user, office_id: int | None) -> Agency | None:
    offices = offices_of(user)
    if office_id is not None:
        for office in offices:
            if office.pk == office_id:
                return office
        # an office below one of the user's (a city supervisor looking at one district)
        if office_id in overseen_ids(user):
            return Agency.objects.filter(pk=office_id, kind=Agency.Kind.SUPERVISOR).first()
        return None
    return offices[0] if offices else None


# -- the annual-report board -----------------------------------------------------------------------------


FILING_FIELDS = (
    "id",
    "agency_id",
    "year",
    "source",
    "status",
    "published_on",
    "url",
    "filename",
    "sha256",
    "fetched_at",
    "failure",
    "created_at",
    "audit_id",
    "annual_report_id",
)


@dataclass
class BoardRow:
    entry: OverseenAgency
    filing: ReportFiling | None = None
    report_state: str = ""  # the report made in gongkai: its state's label, when it has one
    published_on: date | None = None
    timeliness: rules.Timeliness = rules.Timeliness.NOT_DUE
    days_late: int = 0
    audit: AuditedReport | None = None
    follow_up: str = ""
    rectification: Rectification | None = None
    reviewed: bool = False
    # what the page prints, made once here: a board of hundreds of rows is rendered in one loop
    agency_url: str = ""
    filing_url: str = ""
    rectification_url: str = ""
    audit_label: str = ""
    errors_text: str = "—"
    warnings_text: str = "—"

    @property
    def agency(self) -> Agency:
        return self.entry.agency

    @property
    def received(self) -> bool:
        return self.published_on is not None

    @property
    def source_label(self) -> str:
        if self.filing is not None:
            return self.filing.get_source_display()
        return "在本系统公开" if self.published_on else ""


@dataclass
class Board:
    year: int
    due: date
    rows: list[BoardRow]
    counts: dict[str, int] = field(default_factory=dict)


def _latest_filings(agency_ids: list[int], year: int) -> tuple[dict[int, ReportFiling], dict[int, date]]:
    """The newest filing of each agency (its audit is the one shown) and the earliest publication
    date among its stored copies (a revised report does not make a report published in time late)."""
    out: dict[int, ReportFiling] = {}
    first: dict[int, date] = {}
    qs = (
        ReportFiling.objects.filter(agency_id__in=agency_ids, year=year)
        .only(*FILING_FIELDS)
        .order_by("agency_id", "-created_at", "-id")
    )
    for f in qs:
        out.setdefault(f.agency_id, f)
        if f.status == ReportFiling.Status.STORED:
            day = f.published_on or (f.fetched_at.date() if f.fetched_at else None)
            if day and (f.agency_id not in first or day < first[f.agency_id]):
                first[f.agency_id] = day
    return out, first


def board(office: Agency, year: int, *, today: date) -> Board:
    entries = [e for e in oversight(office) if not e.is_office]
    ids = [e.agency.pk for e in entries]
    filings, first_published = _latest_filings(ids, year)
    rectifications: dict[int, Rectification] = {}
    for r in Rectification.objects.filter(agency_id__in=ids, year=year).order_by("-created_at", "-id"):
        rectifications.setdefault(r.agency_id, r)
    reviewed = set(
        FindingReview.objects.filter(filing_id__in=[f.pk for f in filings.values()]).values_list("filing_id", flat=True)
    )
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(agency_id__in=ids, year=year).only(
            "id", "agency_id", "state", "published_on", "published_version_id"
        )
    }
    audits = AuditedReport.objects.only("id", "status", "errors", "warnings", "failure").in_bulk(
        [f.audit_id for f in filings.values() if f.audit_id]
    )
    urls = {
        name: url_pattern(name, *lead)
        for name, lead in (("agency_year", (year,)), ("filing", ()), ("rectification", ()))
    }
    rows = []
    for e in entries:
        row = BoardRow(e)
        row.filing = filings.get(e.agency.pk)
        report = reports.get(e.agency.pk)
        if report is not None:
            row.report_state = ReportState(report.state).label
        if e.agency.pk in first_published:
            row.published_on = first_published[e.agency.pk]
        elif report is not None and report.published_version_id:
            row.published_on = report.published_on
        if row.filing is not None and row.filing.status == ReportFiling.Status.STORED:
            row.audit = audits.get(row.filing.audit_id)
        row.rectification = rectifications.get(e.agency.pk)
        row.reviewed = row.filing is not None and row.filing.pk in reviewed
        row.timeliness = rules.timeliness(year, row.published_on, today=today)
        row.days_late = rules.days_late(year, row.published_on, today=today)
        row.follow_up = _follow_up(row)
        _display(row, year, urls)
        rows.append(row)
    counts = {t.value: sum(1 for r in rows if r.timeliness is t) for t in rules.Timeliness}
    counts["with_errors"] = sum(1 for r in rows if r.audit and r.audit.errors)
    counts["total"] = len(rows)
    return Board(year=year, due=rules.report_due(year), rows=rows, counts=counts)


_SENTINEL = 987654321


def url_pattern(name: str, *lead) -> str:
    """The page's URL with ``{}`` for the last number: reversed once, not once per row."""
    from django.urls import reverse

    return reverse(f"supervision:{name}", args=[*lead, _SENTINEL]).replace(str(_SENTINEL), "{}")


def _display(row: BoardRow, year: int, urls: dict[str, str]) -> None:
    row.agency_url = urls["agency_year"].format(row.agency.pk)
    if row.filing is not None:
        row.filing_url = urls["filing"].format(row.filing.pk)
        row.audit_label = row.audit.get_status_display() if row.audit else row.filing.get_status_display()
    if row.rectification is not None:
        row.rectification_url = urls["rectification"].format(row.rectification.pk)
    if row.audit is not None and row.audit.status == AuditedReport.Status.DONE:
        row.errors_text, row.warnings_text = str(row.audit.errors), str(row.audit.warnings)


def _follow_up(row: BoardRow) -> str:
    if row.rectification is not None:
        r = row.rectification
        if r.state == Rectification.State.SENT:
            return f"已发整改通知，期限{r.due_on:%Y-%m-%d}"
        if r.state == Rectification.State.ANSWERED:
            return "机关已答复，待核查"
        if row.filing is not None and row.filing.pk == r.filing_id:
            return "整改已办结"
    if not row.received:
        return "催报" if row.timeliness is rules.Timeliness.MISSING else ""
    if row.audit is None:
        return "待审计"
    if row.audit.status in (AuditedReport.Status.QUEUED, AuditedReport.Status.RUNNING):
        return "审计中"
    if row.audit.status == AuditedReport.Status.FAILED:
        return "审计失败，需人工审阅"
    if row.reviewed:
        return "已审阅，待发整改通知"
    return "待审阅发现的问题" if row.audit.errors else "无需整改"


def filings_of(agency: Agency, year: int) -> QuerySet[ReportFiling]:
    return (
        ReportFiling.objects.filter(agency=agency, year=year)
        .select_related("audit", "created_by")
        .defer("content", "audit__content", "audit__text", "audit__original", "audit__result")
    )


def filing_for(user, filing_id: int) -> ReportFiling:
    filing = get_object_or_404(
        ReportFiling.objects.select_related("agency").defer("content"),
        pk=filing_id,
    )
    if filing.agency_id not in overseen_ids(user):
        get_object_or_404(ReportFiling.objects.none(), pk=filing_id)
    return filing


def filing_content(filing: ReportFiling) -> bytes:
    return bytes(ReportFiling.objects.values_list("content", flat=True).get(pk=filing.pk) or b"")


def audit_page(filing: ReportFiling):
    """The audit of a filing: the report (without its bytes and texts), its summary and its first
    page of findings."""
    from gongkai.audits.selectors import findings_page, report_page_data

    if not filing.audit_id:
        return None, {}, []
    report = AuditedReport.objects.defer("content", "text", "original", "result").get(pk=filing.audit_id)
    if report.status != AuditedReport.Status.DONE:
        return report, {}, []
    summary = report_page_data(report)
    return report, summary, findings_page(report, 1) if summary.get("count") else []


@dataclass(frozen=True)
class Progress:
    stage: str  # Chinese
    percent: int
    complete: bool


def progress_of(filing: ReportFiling) -> Progress:
    """Fetch then audit: half the bar each."""
    if filing.status == ReportFiling.Status.FAILED:
        return Progress("获取失败", 100, True)
    if filing.status == ReportFiling.Status.QUEUED:
        return Progress("排队等待获取", 5, False)
    if filing.status == ReportFiling.Status.FETCHING:
        return Progress("正在获取", 25, False)
    status = AuditedReport.objects.filter(pk=filing.audit_id).values_list("status", flat=True).first()
    if status in (AuditedReport.Status.DONE, AuditedReport.Status.FAILED):
        return Progress("审计完成" if status == AuditedReport.Status.DONE else "审计失败", 100, True)
    if status == AuditedReport.Status.RUNNING:
        return Progress("正在审计", 75, False)
    return Progress("已收到，排队等待审计", 50, status is None)


# -- the work of each agency, in figures ----------------------------------------------------------------


@dataclass(frozen=True)
class WorkFigures:
    entry: OverseenAgency
    open: int
    overdue: int
    concluded: int  # concluded in the year, with a reply deadline
    on_time: int
    documents_overdue: int

    @property
    def on_time_rate(self) -> float | None:
        return rules.rate(self.on_time, self.concluded)


def _overdue_documents(entries: list[OverseenAgency], *, today: date, calendar) -> dict[int, int]:
    """Per agency, the documents past their publication deadline: ``disclosure.selectors.
    overdue_documents``' rule, in one query for every agency instead of one per agency."""
    from datetime import timedelta

    from gongkai.disclosure.models import Document
    from gongkai.disclosure.selectors import LIST_FIELDS, PRE_PUBLICATION_STATES, publication_clock

    agencies = {e.agency.pk: e.agency for e in entries}
    docs = Document.objects.filter(
        agency_id__in=agencies,
        public_version__isnull=True,
        state__in=[s.value for s in PRE_PUBLICATION_STATES],
        formed_on__lt=today - timedelta(days=20),
    ).only(*LIST_FIELDS)
    out: dict[int, int] = {}
    for doc in docs:
        doc.agency = agencies[doc.agency_id]
        clock = publication_clock(doc, today=today, calendar=calendar)
        if clock is not None and clock.status is DeadlineStatus.MISSED:
            out[doc.agency_id] = out.get(doc.agency_id, 0) + 1
    return out


def work_figures(office: Agency, year: int, *, today: date) -> list[WorkFigures]:
    """Per overseen agency: open and overdue applications, the share of the year's concluded ones
    answered by their deadline, documents past their publication deadline. Aggregates only."""
    from gongkai.applications.models import Application
    from gongkai.applications.selectors import OPEN_STATES
    from gongkai.workcalendar.selectors import working_calendar

    entries = [e for e in oversight(office) if not e.is_office]
    ids = [e.agency.pk for e in entries]
    live = Q(reply_status__in=(DeadlineStatus.RUNNING.value, DeadlineStatus.MISSED.value))
    open_counts = {
        r["agency_id"]: r
        for r in Application.objects.filter(agency_id__in=ids, state__in=OPEN_STATES)
        .values("agency_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=live & Q(reply_due__lt=today)))
    }
    concluded = {
        r["agency_id"]: r
        for r in Application.objects.filter(agency_id__in=ids, concluded_on__year=year, reply_due__isnull=False)
        .values("agency_id")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(concluded_on__lte=F("reply_due"))))
    }
    calendar = working_calendar()
    documents_overdue = _overdue_documents(entries, today=today, calendar=calendar)
    out = []
    for e in entries:
        o = open_counts.get(e.agency.pk, {})
        c = concluded.get(e.agency.pk, {})
        out.append(
            WorkFigures(
                entry=e,
                open=o.get("open", 0),
                overdue=o.get("overdue", 0),
                concluded=c.get("n", 0),
                on_time=c.get("on_time", 0),
                documents_overdue=documents_overdue.get(e.agency.pk, 0),
            )
        )
    return out


# -- findings that go back ------------------------------------------------------------------------------


def verdicts_of(filing: ReportFiling) -> dict[int, FindingReview]:
    """The newest verdict on each finding of the filing, by finding number."""
    out: dict[int, FindingReview] = {}
    for r in FindingReview.objects.filter(filing=filing).select_related("reviewer").order_by("-reviewed_at", "-id"):
        out.setdefault(r.number, r)
    return out


def confirmed_findings(filing: ReportFiling) -> list[FindingReview]:
    return sorted(
        (r for r in verdicts_of(filing).values() if r.verdict == FindingReview.Verdict.CONFIRMED),
        key=lambda r: r.number,
    )


def default_notice(filing: ReportFiling, confirmed: list[FindingReview], due: date) -> str:
    lines = [f"经审查，你单位{filing.year}年政府信息公开工作年度报告存在以下问题："]
    lines += [f"{i}. {r.message}（{r.reason}）" for i, r in enumerate(confirmed, start=1)]
    lines.append(f"请于{due:%Y年%m月%d日}前修改并重新公开，同时将整改情况说明和修改后的报告报送我办。")
    return "\n".join(lines)


def open_rectification(agency: Agency, year: int) -> Rectification | None:
    return (
        Rectification.objects.filter(agency=agency, year=year)
        .exclude(state=Rectification.State.CLOSED)
        .order_by("-created_at")
        .first()
    )


def rectifications_of(agency: Agency, year: int) -> QuerySet[Rectification]:
    return Rectification.objects.filter(agency=agency, year=year).order_by("-created_at", "-id")


def _office_head_agencies(user) -> list[int]:
    return list(Membership.objects.filter(user=user, role=Role.OFFICE_HEAD).values_list("agency_id", flat=True))


def notices_for(user) -> QuerySet[Rectification]:
    """The rectification notices sent in gongkai to the agencies where the user is office head."""
    return (
        Rectification.objects.filter(agency_id__in=_office_head_agencies(user), channel=Rectification.Channel.SYSTEM)
        .select_related("agency")
        .order_by("state", "-created_at")
    )


def rectification_for(user, rectification_id: int) -> tuple[Rectification, bool, bool]:
    """The rectification with (as supervisor, as the agency's office head); 404 for anyone else."""
    r = get_object_or_404(
        Rectification.objects.select_related("agency", "filing", "revised", "created_by"), pk=rectification_id
    )
    as_supervisor = r.agency_id in overseen_ids(user)
    as_agency = r.channel == Rectification.Channel.SYSTEM and r.agency_id in _office_head_agencies(user)
    if not (as_supervisor or as_agency):
        get_object_or_404(Rectification.objects.none(), pk=rectification_id)
    return r, as_supervisor, as_agency


def audit_counts(filing: ReportFiling | None) -> AuditedReport | None:
    if filing is None or not filing.audit_id:
        return None
    return (
        AuditedReport.objects.only("id", "status", "errors", "warnings", "failure").filter(pk=filing.audit_id).first()
    )


# -- comparison across agencies and years --------------------------------------------------------------


def report_figures(agency_ids: list[int], years: list[int]) -> dict[tuple[int, int], rules.Figures]:
    """The figures of each agency's newest audited copy per year. Read the first time from the
    audit's tables and from its prose (the stored normalised text, read by the audit's own prose
    reader) and kept on the filing (``ReportFiling.figures``): a copy's audit never changes. Figures
    kept by an older version of this reading (``rules.FIGURES_VERSION``) are read again."""
    from dataclasses import asdict

    rows = (
        ReportFiling.objects.filter(
            agency_id__in=agency_ids, year__in=years, status=ReportFiling.Status.STORED, audit__status="done"
        )
        .order_by("agency_id", "year", "-created_at", "-id")
        .values_list("id", "agency_id", "year", "audit_id", "figures")
    )
    newest: dict[tuple[int, int], tuple[int, int, dict | None]] = {}
    for pk, agency_id, year, audit_id, figures in rows:
        newest.setdefault((agency_id, year), (pk, audit_id, figures))
    missing = {
        audit_id: pk
        for pk, audit_id, figures in newest.values()
        if not figures or figures.get("v") != rules.FIGURES_VERSION
    }
    computed: dict[int, dict] = {}
    if missing:
        audits = AuditedReport.objects.filter(pk__in=missing).values_list("pk", "summary", "text")
        for audit_id, summary, text in audits.iterator(chunk_size=200):
            summary = summary or {}
            f = rules.figures_of(
                summary.get("tables") or {},
                prose=rules.prose_statements(text or ""),
                old_stats=summary.get("old_stats"),
            )
            computed[missing[audit_id]] = {**asdict(f), "v": rules.FIGURES_VERSION}
        ReportFiling.objects.bulk_update(
            [ReportFiling(pk=pk, figures=f) for pk, f in computed.items()], ["figures"], batch_size=500
        )
    out = {}
    for key, (pk, _audit, figures) in newest.items():
        kept = computed.get(pk) or figures
        out[key] = rules.Figures(**{k: v for k, v in kept.items() if k != "v"})
    return out


@dataclass(frozen=True)
class ComparisonRow:
    agency: Agency
    figures: rules.Figures | None
    outliers: list[str]


SORT_KEYS = {
    "received": lambda f: f.received,
    "granted_rate": lambda f: f.granted_rate,
    "reviews": lambda f: f.reviews,
    "lawsuits": lambda f: f.lawsuits,
    "corrected_rate": lambda f: f.corrected_rate,
}


def comparison(office: Agency, year: int, *, sort: str = "") -> list[ComparisonRow]:
    entries = [e for e in oversight(office) if not e.is_office]
    ids = [e.agency.pk for e in entries]
    years = list(range(year - rules.QUIET_YEARS + 1, year + 1))
    figures = report_figures(ids, years)
    rows = []
    for e in entries:
        history = {y: figures[(e.agency.pk, y)] for y in years if (e.agency.pk, y) in figures}
        rows.append(ComparisonRow(e.agency, history.get(year), rules.outliers(history, year)))
    key = SORT_KEYS.get(sort.lstrip("-"))
    if key is not None:
        present = [r for r in rows if r.figures is not None and key(r.figures) is not None]
        absent = [r for r in rows if r.figures is None or key(r.figures) is None]
        present.sort(key=lambda r: key(r.figures), reverse=sort.startswith("-"))
        rows = present + absent  # a report without the figure sorts last either way
    return rows


def agency_history(agency: Agency, years: list[int]) -> list[tuple[int, rules.Figures | None, list[str]]]:
    figures = report_figures([agency.pk], years)
    history = {y: figures[(agency.pk, y)] for y in years if (agency.pk, y) in figures}
    return [(y, history.get(y), rules.outliers(history, y)) for y in years]
