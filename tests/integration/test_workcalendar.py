"""Holiday notices entered through the admin: validated as a whole, then used by the calendar."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.workcalendar.models import HolidayNotice
from gongkai.workcalendar.selectors import missing_notice_year, working_calendar
from tests.factories import HOLIDAY_NOTICE_PERMS, bureau, grant

pytestmark = pytest.mark.django_db


def _post_data(periods, makeup, year="2027"):
    data = {
        "year": year,
        "title": "国务院办公厅关于2027年部分节假日安排的通知",
        "doc_no": "",
        "published_on": "",
        "note": "",
        "periods-TOTAL_FORMS": str(len(periods)),
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "1000",
        "makeup_workdays-TOTAL_FORMS": str(len(makeup)),
        "makeup_workdays-INITIAL_FORMS": "0",
        "makeup_workdays-MIN_NUM_FORMS": "0",
        "makeup_workdays-MAX_NUM_FORMS": "1000",
    }
    for i, (name, start, end) in enumerate(periods):
        data.update({f"periods-{i}-name": name, f"periods-{i}-start": start, f"periods-{i}-end": end})
    for i, d in enumerate(makeup):
        data.update({f"makeup_workdays-{i}-date": d, f"makeup_workdays-{i}-name": ""})
    return data


@pytest.fixture
def office_head_client(client):
    client.force_login(grant(bureau().people["zhuren"], *HOLIDAY_NOTICE_PERMS))
    return client


ADD_URL = reverse("admin:workcalendar_holidaynotice_add")


def test_the_office_head_enters_a_valid_notice_and_the_calendar_counts_into_2027(office_head_client):
    before = working_calendar().due_date(date(2026, 12, 10), 20)
    assert before.provisional and before.due <= date(2027, 1, 8)
    response = office_head_client.post(
        ADD_URL,
        _post_data([("元旦", "2027-01-01", "2027-01-03"), ("春节", "2027-02-06", "2027-02-14")], ["2027-02-20"]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = HolidayNotice.objects.get(year=2027)
    assert notice.entered_by.username == "zhuren"
    cal = working_calendar()
    assert cal.add_working_days(date(2026, 12, 10), 20) == date(2027, 1, 8)
    assert cal.is_working_day(date(2027, 2, 20))


@pytest.mark.parametrize(
    "periods, makeup, message",
    [
        ([("春节", "2027-02-06", "2027-02-14")], ["2027-02-22"], "应为周六或周日"),
        ([("春节", "2027-02-06", "2027-02-14")], ["2027-02-13"], "既被录入为放假日又被录入为调休上班日"),
        ([("国庆节", "2026-10-01", "2026-10-07")], [], "前后一个月"),
        ([("春节", "2027-02-14", "2027-02-06")], [], "早于开始日期"),
        ([], [], "请至少录入一个放假时段"),
    ],
)
def test_an_inconsistent_notice_is_refused_in_chinese_and_nothing_is_saved(
    office_head_client, periods, makeup, message
):
    response = office_head_client.post(ADD_URL, _post_data(periods, makeup))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HolidayNotice.objects.exists()


def test_a_clerk_cannot_enter_holiday_notices(client):
    client.force_login(bureau().people["jingban"])
    response = client.get(ADD_URL)
    assert response.status_code == 302  # not staff: sent to the admin login


def test_the_missing_notice_is_flagged_from_october_of_the_year_before():
    cal = working_calendar()
    assert missing_notice_year(cal, date(2026, 9, 30)) is None
    assert missing_notice_year(cal, date(2026, 11, 23)) == 2027
    assert missing_notice_year(cal, date(2027, 1, 5)) == 2027
