"""The annual report in the browser, as the demo shows it: the clerk opens the 2026 workspace of the
demo, sees every rule pass, inserts the suggested sentences, writes the rest of the prose and submits;
the office head approves; the leader approves and publishes; the Word and PDF files are downloaded
and read back; the public 年报 page shows the report.

"Today" is frozen for the live server through ``gongkai.localtime.local_today``: 18 December 2026 while
the clerk drafts (submitting is refused before the year has ended, 条例第四十九条、第五十条), then
12 January 2027 for submitting, approving and publishing.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.annualreports import selectors
from gongkai.annualreports.models import AnnualReport
from gongkai.domain.audit import audit_bytes

TODAY = date(2026, 12, 18)
AFTER_YEAR_END = date(2027, 1, 12)
SEEDED = date(2026, 11, 23)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "annual-report"
MORE_PROSE = {
    "overview": (
        "我局严格落实公开属性源头认定和保密审查制度，规范政府信息管理。依托政府门户网站政府信息公开专栏和政务新媒体做好平台建设。"
        "加强组织领导和业务培训，将政府信息公开工作纳入年度绩效考核，强化监督保障。"
    ),
    "problems": (
        "本年度政府信息公开工作仍存在政策解读形式较为单一、基层学校公开内容更新不够及时等问题。"
        "下一步，我局将进一步丰富政策解读形式，加强对基层学校的指导和检查，持续改进。"
    ),
    "other": "本年度无其他需要报告的事项。",
}


@pytest.fixture
def demo_year(demo, monkeypatch):
    from gongkai.demo.annualreports import seed_annual_reports
    from gongkai.demo.applications import seed_applications
    from gongkai.demo.disclosure import seed_documents
    from gongkai.demo.litigation import seed_reviews

    seed_applications(SEEDED, with_letters=False)
    seed_documents(SEEDED)
    seed_reviews(SEEDED)
    seed_annual_reports(SEEDED)
    monkeypatch.setattr(localtime, "local_today", lambda: CLOCK["today"])
    CLOCK["today"] = TODAY
    return AnnualReport.objects.get(agency__code="demo-edu", year=2026)


CLOCK = {"today": TODAY}  # the live server's "today", moved on by the test


def _switch(page, login, username):
    page.context.clear_cookies()
    login(username)


def _workspace(page, live_server):
    page.goto(f"{live_server.url}/work/annual-reports/2026/")
    expect(page.locator("[data-testid=report-title]")).to_have_text("示范区教育局2026年政府信息公开工作年度报告")


def _act(page, action, *, confirm=False, comment=""):
    form = page.locator(f"form[data-testid=action-form][data-action={action}]")
    if comment:
        form.locator("textarea").fill(comment)
    if confirm:
        form.locator("input[type=checkbox]").check()
    form.locator("[data-testid=action-submit]").click()


def _download(page, testid) -> bytes:
    with page.expect_download() as info:
        page.click(f"[data-testid={testid}]")
    return Path(info.value.path()).read_bytes()


def test_the_demo_year_is_written_approved_published_and_downloaded(demo_year, page, live_server, login):
    # 1. the clerk opens the demo year from the list and sees every rule pass
    login("jingban")
    page.goto(f"{live_server.url}/work/annual-reports/")
    row = page.locator("tr[data-testid=year-row][data-year='2026']")
    expect(row).to_contain_text("编写中")
    row.locator("[data-testid=open-link]").click()
    expect(page.locator("[data-testid=report-state]")).to_have_attribute("data-state", "drafting")
    expect(page.locator("[data-testid=rules-summary]")).to_have_attribute("data-failed", "0")
    rules = page.locator("tr[data-testid=rule]")
    assert rules.count() == 9
    for i in range(rules.count()):
        expect(rules.nth(i)).to_have_attribute("data-status", "passed")
    notes = page.locator("[data-testid=cross-year-note]")
    assert notes.count() == 2
    for i in range(notes.count()):
        expect(notes.nth(i)).to_have_attribute("data-status", "passed")
    expect(page.locator("[data-testid=empty-warning]")).to_be_visible()
    expect(page.locator("[data-testid=section-empty]")).to_have_count(3)

    # 2. inserts every suggested sentence (in the page, by the script) and writes the rest
    buttons = page.locator("button[data-testid=insert]")
    count = buttons.count()
    assert count >= 4
    for i in range(count):
        buttons.nth(i).click()
    expect(page.locator("[data-testid=unsaved]")).to_be_visible()
    overview = page.locator("textarea[data-section=overview]")
    assert "本年度共收到政府信息公开申请" in overview.input_value()
    assert "信息处理费" in page.locator("textarea[data-section=other]").input_value()
    for key, text in MORE_PROSE.items():
        area = page.locator(f"textarea[data-section={key}]")
        area.fill((area.input_value() + "\n" + text).strip())
    page.click("[data-testid=save-prose]")
    expect(page.locator(".messages")).to_contain_text("正文已保存")
    expect(page.locator("[data-testid=section-empty]")).to_have_count(0)
    required = page.locator("[data-testid=checklist-item]:has(.ar-req)")
    for i in range(required.count()):
        expect(required.nth(i)).to_have_attribute("data-covered", "yes")
    expect(page.locator("[data-testid=ready]")).to_be_visible()

    # 3. submitting on 18 December is refused: the year has not ended; the prose stays as written
    _act(page, "submit")
    expect(page.locator("form[data-testid=action-form][data-action=submit]")).to_contain_text(
        "年度结束前不能“提交审核”"
    )
    expect(page.locator("[data-testid=report-state]")).to_have_attribute("data-state", "drafting")
    # on 12 January 2027 it is submitted
    CLOCK["today"] = AFTER_YEAR_END
    _workspace(page, live_server)
    _act(page, "submit")
    expect(page.locator(".messages")).to_contain_text("已提交办公室主任审核")
    expect(page.locator("[data-testid=report-state]")).to_have_attribute("data-state", "office_review")
    expect(page.locator("textarea[data-section=overview]")).to_have_count(0)

    # 4. the office head approves
    _switch(page, login, "zhuren")
    _workspace(page, live_server)
    _act(page, "office_approve", comment="数字已核对，同意。")
    expect(page.locator("[data-testid=report-state]")).to_have_attribute("data-state", "leader_review")

    # 5. the leader approves (confirmed) and publishes (confirmed)
    _switch(page, login, "lingdao")
    _workspace(page, live_server)
    _act(page, "leader_approve")  # without the confirmation box: refused, nothing changes
    expect(page.locator("[data-testid=error-leader_approve-confirm]")).to_be_visible()
    _act(page, "leader_approve", confirm=True, comment="同意公开。")
    expect(page.locator(".messages")).to_contain_text("本版本已冻结")
    expect(page.locator("[data-testid=version][data-number='1']")).to_have_attribute("data-frozen", "yes")
    _act(page, "publish", confirm=True)
    expect(page.locator(".messages")).to_contain_text("已在政府信息公开专栏")
    expect(page.locator("[data-testid=report-state]")).to_have_attribute("data-state", "published")
    expect(page.locator("tr[data-testid=decision]")).to_have_count(5)

    # 6. Word and PDF downloads carry the tables of the approved version
    report = AnnualReport.objects.get(pk=demo_year.pk)
    expected = _numbers(selectors.public_content(report).tables)
    # the demo's reviews and suits are in table 四
    assert (
        expected["table_4.review_total"],
        expected["table_4.litigation_direct_total"],
        expected["table_4.litigation_after_review_total"],
    ) == (2, 1, 1)
    docx = _download(page, "download-docx")
    pdf = _download(page, "download-pdf")
    assert docx[:2] == b"PK" and pdf[:4] == b"%PDF"
    for data, name in ((docx, "report.docx"), (pdf, "report.pdf")):
        audited = audit_bytes(data, name)
        assert audited.year == 2026 and audited.agency == "示范区教育局"
        assert _numbers(audited.tables) == expected, name
    _pages_as_png(pdf)

    # 7. the public column shows the report, no login
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/xxgk/nianbao/")
    expect(page.locator("[data-testid=public-report][data-year='2026']")).to_be_visible()
    page.click("[data-testid=public-report][data-year='2026'] a")
    body = page.locator("[data-testid=report-body]")
    expect(body).to_contain_text("示范区教育局2026年政府信息公开工作年度报告")
    expect(body).to_contain_text("本年度共收到政府信息公开申请")
    expect(body).to_contain_text("下一步，我局将进一步丰富政策解读形式")
    expect(page.locator("[data-testid=public-pdf]")).to_be_visible()
    public_pdf = _download(page, "public-pdf")
    assert audit_bytes(public_pdf, "public.pdf").tables == audit_bytes(pdf, "report.pdf").tables


def _numbers(tables) -> dict[str, Decimal]:
    """Every cell as a number by its path (0.0000 万元 and 0.0 are the same figure)."""
    out: dict[str, Decimal] = {}

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else k)
        else:
            out[path] = Decimal(str(node)) if node is not None else None

    walk({k: tables[k] for k in ("table_2", "table_3", "table_4")}, "")
    return out


def _pages_as_png(pdf: bytes) -> None:
    """Each page of the PDF as a PNG under test-artifacts/, to be looked at; none is blank."""
    import pypdfium2

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    doc = pypdfium2.PdfDocument(pdf)
    assert len(doc) >= 2
    for i in range(len(doc)):
        image = doc[i].render(scale=1.5).to_pil()
        image.save(ARTIFACTS / f"page-{i + 1}.png")
        assert image.convert("L").getextrema()[0] < 100, f"page {i + 1} is blank"
