"""A supervisor audits the five sample reports in the browser: upload, list, one report, export."""

import io
import re
import zipfile

import openpyxl
from playwright.sync_api import expect


def _zip_of_samples(shared_dir, tmp_path):
    path = tmp_path / "年报抽查.zip"
    with zipfile.ZipFile(path, "w") as z:
        for sample in sorted((shared_dir / "samples").glob("sample-*.txt")):
            z.write(sample, sample.name)
    return path


def test_a_supervisor_uploads_a_zip_and_reads_the_findings(demo, page, live_server, login, shared_dir, tmp_path):
    login("jiandu")
    page.get_by_role("link", name="年报审计").click()
    expect(page.locator("h1")).to_have_text("年度报告审计")

    page.set_input_files("#id_files", str(_zip_of_samples(shared_dir, tmp_path)))
    page.fill("#id_title", "2021年度教育局年报抽查")
    page.get_by_role("button", name="开始审计").click()

    expect(page.locator("h1")).to_have_text("2021年度教育局年报抽查")
    expect(page.get_by_test_id("progress-text")).to_contain_text("已完成 5 / 5 份")
    rows = page.get_by_test_id("reports").locator("tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("无锡市梁溪区教育局")
    expect(rows.nth(1)).to_contain_text("乐清市教育局")

    rows.nth(1).get_by_role("link").click()
    expect(page.get_by_test_id("agency")).to_have_text("乐清市教育局")
    expect(page.get_by_test_id("year")).to_have_text("2021")
    expect(page.get_by_test_id("findings")).to_contain_text("永嘉县发展和改革局")
    expect(page.get_by_test_id("original").locator("mark").first).to_be_visible()

    page.go_back()
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    workbook = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    summary = [row for row in workbook["汇总"].iter_rows(min_row=2, values_only=True)]
    assert len(summary) == 5
    assert any(re.search("梁溪区", str(r[3])) for r in summary)


def test_an_unsupported_file_is_refused_in_chinese_and_the_form_stays(demo, page, live_server, login, tmp_path):
    bad = tmp_path / "setup.exe"
    bad.write_bytes(b"MZ\x90\x00")
    login("jiandu")
    page.goto(f"{live_server.url}/audit/")
    page.set_input_files("#id_files", str(bad))
    page.fill("#id_title", "试一试")
    page.get_by_role("button", name="开始审计").click()
    expect(page.locator(".messages")).to_contain_text("不支持的文件类型")
    expect(page.locator("[role=alert]").first).to_contain_text("没有可审计的文件")
    expect(page.locator("#id_title")).to_have_value("试一试")
