"""The supervisor's desk in the demo (called by ``manage.py seed_demo``; safe to run again).

A city office (示范市) oversees the district office of the demo, which oversees the two bureaus made
by ``accounts.demo`` and three more agencies (two bureaus and a town), each with the address of its
disclosure column. For the last three years, reports are filed as the supervisor would receive them: uploaded
files the demo generates (the agency's figures as counted by gongkai, or, for an agency that
keeps no registers here, figures of its own that vary by year; rendered to Markdown), one
published late, one with a table figure that does not add up, one in traditional characters; one agency has filed nothing, so every
state of the board can be seen. Their audits are queued like any upload (the worker of ``make run``
does them), except the town's, audited at once so that a follow-up is in progress: its errors confirmed
and a rectification notice sent as a Word letter. Nothing that exists is changed.
"""

from __future__ import annotations

import copy
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.markdown import as_markdown
from gongkai.supervision import selectors, services
from gongkai.supervision.models import DisclosureColumn, ReportFiling

DISTRICT_OFFICE = "demo-gov-office"
CITY_OFFICE = {"code": "demo-city-office", "name": "示范市人民政府办公室（政务公开办）", "kind": Agency.Kind.SUPERVISOR}
MORE_AGENCIES = (
    {"code": "demo-finance", "name": "示范区财政局", "kind": Agency.Kind.AGENCY},
    {"code": "demo-housing", "name": "示范区住房和城乡建设局", "kind": Agency.Kind.AGENCY},
    {"code": "demo-town", "name": "示范区示范镇人民政府", "kind": Agency.Kind.AGENCY},
)
COLUMNS = {
    "demo-edu": "https://edu.demo.example/xxgk/",
    "demo-health": "https://wjw.demo.example/xxgk/",
    "demo-finance": "https://czj.demo.example/zfxxgk/",
    "demo-housing": "https://zjj.demo.example/zfxxgk/",
    "demo-town": "https://sfz.demo.example/xxgk/",
    DISTRICT_OFFICE: "https://www.demo.example/zfxxgk/",
}
# agency code → (month, day of publication in the following year, a table figure wrong)
FILED = {
    "demo-edu": (1, 20, False),
    "demo-housing": (2, 10, False),  # late: after 31 January
    "demo-town": (1, 29, True),  # a total that is not the sum of its parts
}
# the two years before: every agency in time, the finance bureau's report of the year before last in
# traditional characters (as some sites publish; the audit converts it)
EARLIER = {"demo-edu": (1, 18), "demo-finance": (1, 25), "demo-housing": (1, 30), "demo-town": (1, 22)}
TRADITIONAL = {("demo-finance", 2)}  # (agency, years back)
# last year's report of the finance bureau is made in gongkai and published there on this day: its
# publication files and audits it for the supervisor (``supervision.receivers``), as any agency's would
MADE_IN_GONGKAI = {"demo-finance": (1, 26)}
FIGURES = {"licensing_decisions": 6, "penalty_decisions": 0, "coercion_decisions": 0, "fee_amount": "0"}
PROSE = {
    "overview": (
        "本局严格落实保密审查和发布审核制度，做好政府信息管理。依托政府门户网站政府信息公开专栏做好平台建设。"
        "加强组织领导和业务培训，将政府信息公开工作纳入年度考核，强化监督保障。"
    ),
    "problems": "本年度政府信息公开工作仍存在政策解读形式单一等问题。下一步，我局将进一步丰富解读形式，持续改进。",
    "other": "本年度未收取信息处理费。",
}
OVERVIEW = (
    "{name}认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作做好政府信息主动公开、依申请公开和"
    "政府信息管理工作，平台建设和监督保障进一步加强。"
)


def _report_bytes(agency: Agency, year: int, *, wrong_total: bool, traditional: bool = False) -> bytes:
    from gongkai.annualreports.selectors import live_tables

    live = live_tables(agency=agency, year=year)
    tables = copy.deepcopy(live.shown) if _counts_anything(live.shown) else _varied_tables(agency, year)
    if wrong_total:
        received = (tables.get("table_3") or {}).get("new_received") or {}
        received["total"] = (received.get("total") or 0) + 7
    content = ReportContent(
        agency_name=agency.name,
        year=year,
        tables=tables,
        sections={
            "overview": OVERVIEW.format(name=agency.name),
            "problems": "存在的主要问题是政策解读形式还不够丰富。下一步将加强培训，提高公开质量。",
            "other": "本年度未收取信息处理费。",
        },
    )
    text = as_markdown(content)
    if traditional:
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    return text.encode("utf-8")


def _counts_anything(tables: dict) -> bool:
    """Whether any figure of table 三 or 四 is above zero: an agency that keeps its registers in
    gongkai has counted something; one that does not (the bureaus and the town below) has not."""
    counted = [*(tables.get("table_3") or {}).values(), tables.get("table_4") or {}]
    return any(isinstance(v, int) and v > 0 for row in counted if isinstance(row, dict) for v in row.values())


def _varied_tables(agency: Agency, year: int) -> dict:
    """Figures for an agency whose work is not registered in gongkai, as it would have counted them
    itself: consistent with every rule of the year's format, different from year to year (so the
    supervisor's charts and comparisons have something to show), the same on every run. None of
    these agencies (district bureaus, a town) may make 规章."""
    import random
    import zlib

    from gongkai.demo.report_figures import consistent_tables
    from gongkai.domain.report_format import format_for_year
    from gongkai.domain.supervision import figures_of, outliers

    # random figures can say what no real office reports (fifty applications and none disclosed,
    # every review lost): the board would flag them as outliers. Draw again until none is, some
    # applications came in, and at least a third of those concluded were disclosed in whole or in
    # part, as is usual
    fmt = format_for_year(year)
    for attempt in range(200):
        rng = random.Random(zlib.crc32(f"{agency.code}:{year}:{attempt}".encode()))
        tables = consistent_tables(rng, fmt, makes_rules=False)
        figures = figures_of(tables)
        if figures.received and not outliers({year: figures}, year) and (figures.granted_rate or 0) >= 33:
            break
    return tables


@transaction.atomic
def seed_supervision(today: date | None = None) -> list[tuple[str, str, str]]:
    today = today or localtime.local_today()
    district = Agency.objects.filter(code=DISTRICT_OFFICE).first()
    if district is None:
        return []
    city, _ = Agency.objects.get_or_create(code=CITY_OFFICE["code"], defaults=CITY_OFFICE)
    if district.supervised_by_id is None:
        district.supervised_by = city
        district.save(update_fields=["supervised_by"])
    for spec in MORE_AGENCIES:
        Agency.objects.get_or_create(code=spec["code"], defaults={**spec, "supervised_by": district})
    for code, url in COLUMNS.items():
        agency = Agency.objects.filter(code=code).first()
        if agency is not None:
            DisclosureColumn.objects.get_or_create(agency=agency, defaults={"url": url})
    supervisor = get_user_model().objects.filter(username="jiandu").first()
    year = today.year - 1
    if supervisor is None or ReportFiling.objects.filter(year=year).exists():
        return []
    for back in (2, 1):
        for code, (month, day) in EARLIER.items():
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                continue
            services.filing_upload(
                user=supervisor,
                agency=agency,
                year=year - back,
                filename=f"{agency.name}{year - back}年政府信息公开工作年度报告.md",
                data=_report_bytes(agency, year - back, wrong_total=False, traditional=(code, back) in TRADITIONAL),
                published_on=date(year - back + 1, month, day),
                today=today,
            )
    for code, (month, day, wrong) in FILED.items():
        agency = Agency.objects.filter(code=code).first()
        published = date(year + 1, month, day)
        if agency is None or published > today:
            continue
        filing = services.filing_upload(
            user=supervisor,
            agency=agency,
            year=year,
            filename=f"{agency.name}{year}年政府信息公开工作年度报告.md",
            data=_report_bytes(agency, year, wrong_total=wrong),
            published_on=published,
            today=today,
        )
        if wrong:
            _follow_up(filing, supervisor, today)
    for code, (month, day) in MADE_IN_GONGKAI.items():
        agency = Agency.objects.filter(code=code).first()
        published = date(year + 1, month, day)
        if agency is not None and published <= today:
            _publish_in_gongkai(agency, year, published)
    return []


def _publish_in_gongkai(agency: Agency, year: int, published: date) -> None:
    """The agency's report of ``year`` made in gongkai the way its staff would: opened, written with the
    sentences gongkai suggests from its figures, submitted, approved by the office head and the leader,
    published on ``published``. Its publication files it for the supervisor after commit."""
    from gongkai.annualreports import selectors as reports
    from gongkai.annualreports import services as writing
    from gongkai.annualreports.models import AnnualReport
    from gongkai.disclosure.models import AnnualFigures
    from gongkai.disclosure.services import annual_figures_save
    from gongkai.domain.annual_report.suggestions import suggested_sentences

    if AnnualReport.objects.filter(agency=agency, year=year).exists():
        return
    if not AnnualFigures.objects.filter(agency=agency, year=year).exists():
        annual_figures_save(agency=agency, year=year, actor=None, figures=FIGURES)
    users = get_user_model().objects.in_bulk(["jingban", "zhuren", "lingdao"], field_name="username")
    if len(users) < 3:
        return
    clerk, head, leader = users["jingban"], users["zhuren"], users["lingdao"]
    report = writing.report_open(agency=agency, year=year, actor=clerk, actor_roles={"clerk"}, today=published)
    live = reports.live_tables(agency=agency, year=year)
    facts = reports.report_facts(agency=agency, year=year, tables=live.tables)
    texts: dict[str, list[str]] = {k: [] for k in PROSE}
    for sentence in suggested_sentences(facts):
        texts.setdefault(sentence.section_key, []).append(sentence.text)
    sections = {k: "\n".join([*texts.get(k, []), PROSE.get(k, "")]).strip() for k in texts}
    writing.report_save_sections(report=report, sections=sections, actor=clerk, actor_roles={"clerk"})
    for action, user, roles in (
        ("submit", clerk, {"clerk"}),
        ("office_approve", head, {"office_head"}),
        ("leader_approve", leader, {"leader"}),
        ("publish", leader, {"leader"}),
    ):
        report = writing.report_transition(report=report, action=action, actor=user, actor_roles=roles, today=published)


def _follow_up(filing: ReportFiling, supervisor, today: date) -> None:
    """A follow-up in progress: the report with the wrong total is audited now (not by the worker),
    its error findings confirmed and a notice sent as a Word letter (the town works outside gongkai)."""
    from datetime import timedelta

    from gongkai.audits.services import audit_report_run

    audit = audit_report_run(report_id=filing.audit_id)
    if audit is None or audit.status != audit.Status.DONE:
        return
    filing.refresh_from_db()
    errors = [
        n for n, f in enumerate(services.audit_findings_first_page(filing), start=1) if f.get("severity") == "error"
    ]
    for n in errors[:3]:
        services.finding_review(
            user=supervisor, filing=filing, number=n, verdict="confirmed", reason="经核对原表，问题属实"
        )
    if errors:
        confirmed = selectors.confirmed_findings(filing)
        due = today + timedelta(days=15)
        services.rectification_send(
            user=supervisor,
            filing=filing,
            notice=selectors.default_notice(filing, confirmed, due),
            due_on=due,
            channel="letter",
            today=today,
        )
