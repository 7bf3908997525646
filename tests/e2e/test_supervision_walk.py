"""The supervisor's desk in the browser: the supervisor opens the board, files an agency's report,
reads its findings, confirms one and sends a rectification notice; the agency's office head answers
it with a revised report; the supervisor sees the new audit and closes the item."""

from playwright.sync_api import expect

REPORT = "示范区教育局2025年政府信息公开工作年度报告\n一、总体情况\n本局认真贯彻落实条例。\n"


def _logout(page):
    page.get_by_role("button", name="退出").click()


def test_a_finding_goes_back_to_the_agency_and_the_item_is_closed(demo, page, live_server, login, tmp_path):
    report = tmp_path / "教育局年报.txt"
    report.write_text(REPORT, encoding="utf-8")
    revised = tmp_path / "教育局年报（修改后）.txt"
    revised.write_text(REPORT + "二、主动公开政府信息情况\n", encoding="utf-8")

    login("jiandu")
    expect(page.locator("nav.usernav")).not_to_contain_text("主动公开")
    page.locator("nav.usernav").get_by_role("link", name="政务公开监督").click()
    expect(page.locator("h1")).to_contain_text("年度政府信息公开工作年度报告报送情况")
    row = page.get_by_test_id("board-row").filter(has_text="示范区教育局")
    row.get_by_role("link", name="示范区教育局").click()

    page.set_input_files("#id_file", str(report))
    page.fill("#id_published_on", "2026-01-20")
    page.get_by_role("button", name="上传并审计").click()
    expect(page.get_by_test_id("progress-text")).to_contain_text("审计完成")
    expect(page.get_by_test_id("sha256")).to_have_text(__import__("re").compile(r"^[0-9a-f]{64}$"))
    first = page.get_by_test_id("finding").first
    expect(first).to_contain_text("错误")
    first.get_by_placeholder("理由").fill("缺少表格，属实")
    first.get_by_role("button", name="确认").click()
    expect(page.get_by_test_id("verdict").first).to_contain_text("确认：缺少表格，属实")

    form = page.get_by_test_id("rectify-form")
    expect(form.locator("#id_notice")).to_contain_text("缺少表格，属实")
    form.get_by_role("button", name="发出整改通知").click()
    expect(page.get_by_test_id("rectification-state")).to_have_text("已发整改通知，待机关答复")
    _logout(page)

    login("zhuren")
    page.get_by_role("link", name="上级整改通知").click()
    page.get_by_test_id("notice-row").get_by_role("link").click()
    expect(page.get_by_test_id("notice")).to_contain_text("缺少表格，属实")
    page.fill("#id_answer", "已补充表格并重新公开。")
    page.set_input_files("#id_file", str(revised))
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_test_id("rectification-state")).to_have_text("机关已答复，待核查")
    _logout(page)

    login("jiandu")
    page.goto(f"{live_server.url}/work/supervision/board/")
    row = page.get_by_test_id("board-row").filter(has_text="示范区教育局")
    expect(row.get_by_test_id("follow-up")).to_have_text("机关已答复，待核查")
    expect(row.get_by_test_id("timeliness")).to_have_text("按时公开")
    row.get_by_role("link", name="示范区教育局").click()
    page.get_by_test_id("filing").filter(has_text="上传文件").get_by_role("link").click()
    page.get_by_test_id("rectifications").get_by_role("link").click()
    expect(page.get_by_test_id("revised-audit")).to_contain_text("错误")
    expect(page.get_by_test_id("answer")).to_contain_text("已补充表格并重新公开")
    page.fill("#id_comment", "已核查，整改到位。")
    page.get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("rectification-state")).to_have_text("已办结")
    expect(page.get_by_test_id("steps").locator("tbody tr")).to_have_count(3)

    # the year's circular and the comparison, downloaded
    import io

    import openpyxl
    from docx import Document

    page.locator("nav.usernav").get_by_role("link", name="政务公开监督").click()
    with page.expect_download() as info:
        page.get_by_test_id("circular-docx").click()
    text = "\n".join(p.text for p in Document(info.value.path()).paragraphs)
    assert "年度报告审查情况的通报" in text and "示范区教育局" in text
    page.get_by_test_id("supervision-nav").get_by_role("link", name="各机关对比").click()
    # the revised report has no tables yet (the walk's file is a stub): the figure is shown as missing
    edu = page.get_by_test_id("compare-row").filter(has_text="示范区教育局")
    expect(edu.get_by_test_id("received")).to_have_text("—")
    with page.expect_download() as info:
        page.get_by_test_id("compare-xlsx").click()
    book = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    assert any(r[0] == "示范区教育局" for r in book.active.iter_rows(values_only=True))

    # one agency across the years: charts drawn on the server, each with its title, the figures in a table
    page.get_by_test_id("compare-row").filter(has_text="示范区教育局").get_by_role("link").click()
    charts = page.locator("svg[role=img]")
    expect(charts).to_have_count(6)
    expect(page.get_by_role("img", name="新收政府信息公开申请（件）")).to_be_visible()
    expect(page.get_by_test_id("history-row")).to_have_count(10)
