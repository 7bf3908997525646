"""The office head opens the statistics of the demo year: the chart, table 三, and the Excel export."""

import io
import re
from datetime import date

import openpyxl
from playwright.sync_api import expect

from gongkai.accounts.models import Agency
from gongkai.applications import statistics
from gongkai.demo.applications import seed_applications


def test_the_office_head_sees_the_monthly_chart_and_table_three_and_downloads_the_excel(demo, page, live_server, login):
    seed_applications(date(2026, 11, 23), with_letters=False)
    expected = statistics.table3_for_year_sql(Agency.objects.get(code="demo-edu"), 2026)
    login("zhuren")
    expect(page).to_have_url(re.compile(r"/work/$"))
    page.goto(f"{live_server.url}/work/statistics/?year=2026")
    expect(page.locator("h1")).to_contain_text("政府信息公开申请统计")

    chart = page.get_by_test_id("monthly-chart").locator("svg")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("月份")
    expect(chart).to_contain_text("件数")
    assert chart.locator("rect").count() >= 12
    assert page.locator("script").count() == 0  # server-drawn, no chart library

    expect(page.get_by_test_id("new-received")).to_have_text(str(expected["new_received"]["total"]))
    expect(page.get_by_test_id("carried-over")).to_have_text(str(expected["carried_over"]["total"]))
    table = page.get_by_test_id("table3")
    row = table.locator("tr[data-row=results_total] td")
    expect(row.last).to_have_text(str(expected["results_total"]["total"]))
    expect(table.locator("tr[data-row=carry_forward] td").last).to_have_text(str(expected["carry_forward"]["total"]))
    expect(page.get_by_test_id("on-time-rate")).to_have_text(re.compile(r"^\d+\.\d%$"))

    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    assert info.value.suggested_filename == "statistics-demo-edu-2026.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    rows = {r[0].strip("　"): r[1:] for r in workbook["表三"].iter_rows(min_row=2, values_only=True)}
    assert rows["（七）总计"][-1] == expected["results_total"]["total"]
    assert workbook["案件清单"].max_row - 1 == expected["new_received"]["total"] + expected["carried_over"]["total"]
