"""Statistics: table 三 by one SQL aggregation equal to the domain count for any cases, on-time
rate and working days from the domain clock, the monthly SVG chart and the Excel export."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gongkai.accounts.models import Agency
from gongkai.applications import statistics
from gongkai.applications.models import Application
from gongkai.applications.services import application_submit, application_transition
from gongkai.domain.applications.counting import CaseForCount, table3_for_year
from gongkai.domain.consistency import audit
from gongkai.domain.outcomes import APPLICANT_TYPES, OUTCOME_CODES
from gongkai.domain.report_format import format_for_year
from gongkai.workcalendar.selectors import working_calendar
from tests.factories import EDU, bureau
from tests.integration.signing import sign_and_issue

pytestmark = pytest.mark.django_db

TYPES = list(APPLICANT_TYPES)


def _agency(code=EDU):
    return Agency.objects.get_or_create(code=code, defaults={"name": f"机关{code}"})[0]


_seq = iter(range(1, 10**6))


def _bulk(agency, cases):
    """Application rows straight into the table (the aggregation reads nothing else)."""
    rows = []
    for applicant_type, received, concluded, code in cases:
        n = next(_seq)
        rows.append(
            Application(
                agency=agency,
                tracking_number=f"T-{n}",
                submission_year=2000,
                sequence=n,
                query_code_hash="x",
                channel="in_person",
                applicant_type=applicant_type,
                applicant_name="某",
                id_document_type="resident_id",
                id_document_number="110101199001011237",
                phone="1",
                description="d",
                delivery_form="paper",
                delivery_channel="post",
                received_on=received,
                concluded_on=concluded,
                outcome_code=code or "",
                state="replied" if concluded else "in_progress",
            )
        )
    Application.objects.bulk_create(rows)


@st.composite
def case_sets(draw):
    cases = []
    for _ in range(draw(st.integers(0, 14))):
        applicant_type = draw(st.sampled_from(TYPES))
        received = (
            None if draw(st.integers(0, 9)) == 0 else date(2019, 6, 1) + timedelta(days=draw(st.integers(0, 2700)))
        )
        concluded = code = None
        if draw(st.booleans()) or received is None:
            start = received or date(2019, 6, 1) + timedelta(days=draw(st.integers(0, 2700)))
            concluded = start + timedelta(days=draw(st.integers(0, 500)))
            code = "withdrawn" if received is None else draw(st.sampled_from(OUTCOME_CODES))
        cases.append((applicant_type, received, concluded, code))
    return cases


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(cases=case_sets(), others=case_sets())
def test_table3_by_sql_equals_the_domain_count_and_passes_every_consistency_rule(cases, others):
    Application.objects.all().delete()
    agency, neighbour = _agency(), _agency("neighbour")
    _bulk(agency, cases)
    _bulk(neighbour, others)  # another agency's cases never count
    domain_cases = [CaseForCount(t, r, c, code) for t, r, c, code in cases]
    years = sorted({d.year for _, r, c, _ in cases for d in (r, c) if d and 2019 <= d.year <= 2026} | {2020, 2021})
    for year in years[:5]:
        with CaptureQueriesContext(connection) as queries:
            t = statistics.table3_for_year_sql(agency, year)
        assert len(queries) == 1
        assert t == table3_for_year(domain_cases, year), year
        result = audit(format_for_year(year), {"table_3": t})
        assert result.errors == (), [f.message for f in result.errors]
        if year < 2026:
            assert t["carry_forward"] == statistics.table3_for_year_sql(agency, year + 1)["carried_over"]


def test_the_table_is_counted_in_exactly_one_query(django_assert_num_queries):
    agency = _agency()
    _bulk(
        agency,
        [
            ("natural_person", date(2025, 3, 1), date(2025, 3, 20), "disclosed"),
            ("legal_service_org", date(2024, 12, 30), None, None),
        ],
    )
    with django_assert_num_queries(1):
        t = statistics.table3_for_year_sql(agency, 2025)
    assert t["granted"]["natural_person"] == 1 and t["carried_over"]["legal_service_org"] == 1
    assert t["carry_forward"]["total"] == 1 and t["new_received"]["total"] == 1


def test_the_2020_table_uses_the_trial_format_with_one_other_handling_row():
    agency = _agency()
    _bulk(
        agency,
        [
            ("natural_person", date(2020, 3, 1), date(2020, 3, 9), "withdrawn"),
            ("natural_person", date(2020, 3, 1), date(2020, 4, 9), "abandoned_fee_unpaid"),
        ],
    )
    t = statistics.table3_for_year_sql(agency, 2020)
    assert t["other_handling"]["natural_person"] == 2 and "other_no_correction" not in t


# -- through the services: on time, working days ------------------------------------------------


@pytest.fixture
def people():
    return bureau().people


APPLICANT = {
    "applicant_type": "commercial_enterprise",
    "applicant_name": "示范区启航教育咨询有限公司",
    "id_document_type": "credit_code",
    "id_document_number": "91110199MA01ABC2X7",
    "phone": "010-62001234",
    "description": "课后服务收费标准",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}


def _case(people, received, reply_at, *, extension=False):
    clerk = people["jingban"]
    app = application_submit(
        agency=Agency.objects.get(code=EDU),
        channel="in_person",
        applicant=APPLICANT,
        submitted_on=received,
        handed_in_on=received,
        registered_by=clerk,
        today=received,
    ).application
    cal = working_calendar()

    def move(action, user, roles, today, **fields):
        application_transition(
            application=app, action=action, actor=user, actor_roles=roles, fields=fields, today=today
        )

    move("start_processing", clerk, {"clerk"}, cal.add_working_days(received, 1))
    if extension:
        move("request_extension", clerk, {"clerk"}, cal.add_working_days(received, 15), reason="量大", working_days=10)
        day = cal.add_working_days(received, 16)
        move("approve_extension", people["zhuren"], {"office_head"}, day, working_days=10, approved_on=day)
    replied = cal.add_working_days(received, reply_at)
    move(
        "submit_reply_for_sign_off", clerk, {"clerk"}, replied, outcome_code="disclosed", legal_basis="第三十六条（二）"
    )
    app.refresh_from_db()
    sign_and_issue(app, head=people["zhuren"], leader=people["lingdao"], clerk=clerk, on=replied)
    return app


def test_on_time_rate_and_working_days_come_from_the_domain_clock(people):
    on_time = _case(people, date(2026, 3, 2), 12)
    late = _case(people, date(2026, 4, 1), 23)
    extended = _case(people, date(2026, 5, 6), 27, extension=True)  # late without, on time with the extension
    stats = statistics.year_statistics(
        Agency.objects.get(code=EDU), 2026, calendar=working_calendar(), today=date(2026, 11, 23)
    )
    assert (stats.replied, stats.on_time) == (3, 2) and stats.on_time_percent == "66.7%"
    assert {t.tracking_number: (t.working_days, t.on_time) for t in stats.timings.values()} == {
        on_time.tracking_number: (12, True),
        late.tracking_number: (23, False),
        extended.tracking_number: (27, True),
    }
    assert stats.median_working_days == 23 and stats.worst.tracking_number == extended.tracking_number
    assert stats.timings == statistics.reply_timings_from_log(stats.agency, 2026, calendar=working_calendar())
    assert [m.received for m in stats.months][2:5] == [1, 1, 1]
    assert sum(m.replied for m in stats.months) == 3 and sum(m.on_time for m in stats.months) == 2
    assert stats.per_outcome == [("disclosed", "予以公开", 3)]
    assert ("commercial_enterprise", "商业企业", 3, 3) in stats.per_applicant_type


def test_the_monthly_chart_scales_its_bars_and_labels_its_axes_in_chinese():
    months = [statistics.MonthRow(m, received=m, concluded=12 - m) for m in range(1, 13)]
    chart = statistics.monthly_chart(months, year=2026)
    assert [label for _, label in chart.x_labels] == [f"{m}月" for m in range(1, 13)]
    tallest = max(chart.bars, key=lambda b: b.height)
    top_tick = chart.y_ticks[-1][1]
    assert tallest.value == 12 and top_tick == 15  # ticks of 5: 0, 5, 10, 15
    assert (
        abs(tallest.height - 12 / 15 * chart.plot_height) < 0.2 and abs(tallest.y + tallest.height - chart.bottom) < 0.2
    )
    zero = [b for b in chart.bars if b.value == 0]
    assert zero and all(b.height == 0 for b in zero)
    assert chart.y_ticks[0][1] == 0 and chart.y_ticks[-1][1] >= 12


# -- the page and the export ---------------------------------------------------------------------


@pytest.fixture
def demo_year(people):
    from gongkai.demo.applications import seed_applications

    seed_applications(date(2026, 11, 23), with_letters=False)
    return Agency.objects.get(code=EDU)


def test_the_office_head_sees_the_chart_the_rates_and_table_three_of_the_year(demo_year, people, client):
    client.force_login(people["zhuren"])
    response = client.get(reverse("applications:statistics"), {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "月份" in html and "件数" in html and "<script" not in html
    t = statistics.table3_for_year_sql(demo_year, 2026)
    assert f'data-testid="new-received">{t["new_received"]["total"]}<' in html
    assert f'data-testid="carried-over">{t["carried_over"]["total"]}<' in html and t["carried_over"]["total"] > 0
    assert "一、本年新收政府信息公开申请数量" in html and "四、结转下年度继续办理" in html
    assert "按期答复率" in html and "答复用时中位数" in html


def test_the_excel_export_has_the_tables_and_masks_identity_numbers(demo_year, people, client):
    client.force_login(people["zhuren"])
    response = client.get(reverse("applications:statistics_export"), {"year": 2026})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["汇总", "表三", "按月", "按办理结果", "按申请人类型", "案件清单"]
    cases = list(wb["案件清单"].iter_rows(values_only=True))
    assert cases[0][0] == "申请编号"
    numbers = set(Application.objects.values_list("id_document_number", flat=True))
    cells = {str(c) for row in cases for c in row if c is not None}
    assert not numbers & cells  # no identity number appears in full
    masked = [row[5] for row in cases[1:]]
    assert all("*" in m for m in masked)
    counted = statistics.table3_for_year_sql(demo_year, 2026)
    assert len(cases) - 1 == counted["new_received"]["total"] + counted["carried_over"]["total"]
    t3 = {row[0].strip("　"): row[1:] for row in wb["表三"].iter_rows(min_row=2, values_only=True)}
    assert t3["一、本年新收政府信息公开申请数量"][-1] == counted["new_received"]["total"]


def test_statistics_are_for_the_office_the_leader_and_the_supervisor_only(demo_year, people, client):
    url = reverse("applications:statistics")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(people["baomi"])
    assert client.get(url).status_code == 403
    client.force_login(people["jiandu"])  # the supervising office reads the agencies it oversees
    response = client.get(url, {"year": 2026, "agency": EDU})
    assert response.status_code == 200 and "示范区教育局" in response.content.decode()


def test_a_year_outside_the_choices_is_refused_next_to_the_field(demo_year, people, client):
    client.force_login(people["lingdao"])
    html = client.get(reverse("applications:statistics"), {"year": "1999"}).content.decode()
    assert 'class="field-error"' in html and "请选择" in html


def test_without_a_year_the_page_shows_this_year_without_an_error(demo_year, people, client):
    from django.utils import timezone

    client.force_login(people["zhuren"])
    html = client.get(reverse("applications:statistics"), {"agency": EDU}).content.decode()
    assert 'class="field-error"' not in html and f"{timezone.localdate().year}年" in html
