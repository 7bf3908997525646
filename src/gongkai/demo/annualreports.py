"""The demo of the annual report for 示范区教育局, made through the services.

:func:`seed_annual_reports` (``manage.py seed_annual_reports``; safe to run again):

- the 2025 report as if it had been made outside gongkai (``PreviousReport``, entered): every cell
  counted from the demo data of 2025 (applications, the document register and the 2025 figures,
  the review register), so the 2026 cross-year rules compare with honest figures and pass;
- the 2026 figures of table 二 that do not come from the register (行政许可 / 行政处罚 / 行政强制,
  行政事业性收费), when none were entered, so every cell of the 2026 tables has a value;
- the 2026 workspace opened by the clerk, with no prose: writing it is the demo's task.

Nothing that exists is changed: a 2025 entry, the 2026 figures or the 2026 report found are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.annualreports import selectors, services
from gongkai.annualreports.models import AnnualReport, PreviousReport
from gongkai.domain.errors import DomainError

DEMO_AGENCY_CODE = "demo-edu"
PREVIOUS_YEAR = 2025
DEMO_YEAR = 2026
# 2026 decisions of the bureau (made up, in the range of a district education bureau)
DEMO_FIGURES = {"licensing_decisions": 18, "penalty_decisions": 1, "coercion_decisions": 0, "fee_amount": "0"}


@dataclass
class SeedResult:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


@transaction.atomic
def seed_annual_reports(today: date | None = None) -> SeedResult:
    today = today or timezone.localdate()
    result = SeedResult()
    agency = Agency.objects.filter(code=DEMO_AGENCY_CODE).first()
    if agency is None:
        raise DomainError("尚未创建演示机关“示范区教育局”，请先运行 manage.py seed_demo")
    clerk = get_user_model().objects.get(username="jingban")

    if (
        PreviousReport.objects.filter(agency=agency, year=PREVIOUS_YEAR).exists()
        or AnnualReport.objects.filter(agency=agency, year=PREVIOUS_YEAR).exists()
    ):
        result.kept.append(f"{PREVIOUS_YEAR}年度报告")
    else:
        live = selectors.live_tables(agency=agency, year=PREVIOUS_YEAR)
        complete = live.tables is not None
        cells = selectors.all_cells(PREVIOUS_YEAR) if complete else selectors.key_cells(PREVIOUS_YEAR)
        values = {c.name: selectors.cell_value(live.shown, c) for c in cells}
        services.previous_report_enter(agency=agency, year=PREVIOUS_YEAR, values=values, complete=complete, actor=clerk)
        result.created.append(f"{PREVIOUS_YEAR}年度报告（系统外编制，录入{'全部' if complete else '关键'}数字）")

    from gongkai.disclosure.models import AnnualFigures
    from gongkai.disclosure.services import annual_figures_save

    if AnnualFigures.objects.filter(agency=agency, year=DEMO_YEAR).exists():
        result.kept.append(f"{DEMO_YEAR}年度统计数据（表二）")
    else:
        annual_figures_save(agency=agency, year=DEMO_YEAR, actor=None, figures=DEMO_FIGURES)
        result.created.append(f"{DEMO_YEAR}年度统计数据（表二）")

    if AnnualReport.objects.filter(agency=agency, year=DEMO_YEAR).exists():
        result.kept.append(f"{DEMO_YEAR}年度报告")
    elif today.year >= DEMO_YEAR:
        services.report_open(agency=agency, year=DEMO_YEAR, actor=clerk, actor_roles={"clerk"}, today=today)
        result.created.append(f"{DEMO_YEAR}年度报告（编写中，正文待经办人填写）")
    return result
