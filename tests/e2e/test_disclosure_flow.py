"""A policy document and its interpretation, registered and reviewed in the browser by the demo
users, then found on the public column.

The clerk (jingban) registers a 行政规范性文件 flagged "needs interpretation" with a PDF, then its
interpretation from the policy's page; both go through 办公室主任审核 (zhuren), 保密审查 (baomi) and
局领导审批 (lingdao). Publishing the policy is refused while its interpretation waits for the
leader; once approved, both are published, their public pages link to each other and the public
search finds the policy. "Today" is frozen for the live server through ``gongkai.localtime.local_today``.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.disclosure import services
from gongkai.disclosure.models import Document

TODAY = date(2026, 3, 10)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
POLICY = "示范区中小学校园体育场馆开放管理办法"
INTERPRETATION = f"《{POLICY}》政策解读"


@pytest.fixture
def register(demo, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    agency = Agency.objects.get(code="demo-edu")
    services.column_tree_install(agency=agency)
    services.index_scheme_save(
        agency=agency, organisation_code="11110199MB0000015X", pattern="{agency_code}/{year}-{seq:05d}"
    )
    return agency


def _switch_user(page, login, username: str):
    page.context.clear_cookies()
    login(username)


def _act(page, live_server, doc: Document, action: str, **fields):
    """Open the document page and send the form of one move (confirming it when it asks)."""
    page.goto(f"{live_server.url}/work/documents/{doc.pk}/")
    form = page.locator(f"form[data-testid=action-form][data-action={action}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    box = form.locator("input[name=confirm_irreversible]")
    if box.count():
        box.check()
    form.locator("[data-testid=action-submit]").click()


def _walk(page, live_server, login, docs, who: str, action: str, comment: str):
    _switch_user(page, login, who)
    for doc in docs:
        _act(page, live_server, doc, action, comment=comment)
        expect(page.locator(".messages")).to_contain_text("已")
        doc.refresh_from_db()


def test_a_policy_and_its_interpretation_go_from_registration_to_the_public_column(
    register, page, live_server, login, tmp_path
):
    pdf = tmp_path / "管理办法.pdf"
    pdf.write_bytes(PDF)

    # 1. the clerk registers the policy with its PDF, flagged as needing an interpretation
    login("jingban")
    page.goto(f"{live_server.url}/work/documents/new/")
    page.fill("#id_title", POLICY)
    page.fill("#id_doc_number", "示教规〔2026〕2号")
    page.fill("#id_formed_on", "2026-03-09")
    page.fill("#id_signed_on", "2026-03-09")
    page.select_option("#id_column", label="行政规范性文件")
    page.select_option("#id_kind", "normative")
    expect(page.locator("[data-testid=validity-note]")).to_be_visible()
    page.check("#id_needs_interpretation")
    page.fill("#id_body", "第一条 为推动中小学校体育场馆在课余时间和节假日向社会开放，制定本办法。")
    page.set_input_files("#id_attachments", str(pdf))
    page.click("[data-testid=document-submit]")
    expect(page.locator("[data-testid=document-title]")).to_have_text(POLICY)
    expect(page.locator("[data-testid=attachment]")).to_contain_text("管理办法.pdf")
    expect(page.locator("[data-testid=interpretation-ready]")).to_have_attribute("data-ready", "no")
    policy = Document.objects.get(title=POLICY)
    assert policy.needs_interpretation and policy.attachments.count() == 1

    # 2. …then its interpretation, from the policy's page (the link is filled in)
    page.click("[data-testid=register-interpretation]")
    expect(page.locator("#id_interprets")).to_have_value(str(policy.pk))
    expect(page.locator("#id_title")).to_have_value(INTERPRETATION)
    page.fill("#id_body", "一、制定背景。二、主要内容：开放时间、开放项目、安全管理。三、解读机关及联系方式。")
    page.click("[data-testid=document-submit]")
    expect(page.locator("[data-testid=policy-link]")).to_contain_text(POLICY)
    interpretation = Document.objects.get(interprets=policy)

    # 3. both walk the three levels of review with the confidentiality review in between
    _walk(page, live_server, login, [policy, interpretation], "jingban", "submit", "")
    _walk(page, live_server, login, [policy, interpretation], "zhuren", "office_approve", "格式规范，同意报送。")
    _walk(page, live_server, login, [policy, interpretation], "baomi", "confidentiality_pass", "不涉密，同意公开。")
    _walk(page, live_server, login, [policy], "lingdao", "leader_approve", "同意。")
    assert (policy.state, interpretation.state) == ("approved", "leader_approval")

    # 4. publishing the policy is refused while its interpretation waits for the leader
    _switch_user(page, login, "zhuren")
    page.goto(f"{live_server.url}/work/documents/{policy.pk}/")
    expect(page.locator("[data-testid=blockers]")).to_contain_text("政策解读")
    _act(page, live_server, policy, "publish")
    expect(page.locator("[data-testid=form-errors]")).to_contain_text("本政策文件须与政策解读同步发布")
    policy.refresh_from_db()
    assert policy.state == "approved" and not policy.is_public

    # 5. the leader approves the interpretation; it waits for its policy, and publishing the policy
    #    publishes both (同步发布)
    _walk(page, live_server, login, [interpretation], "lingdao", "leader_approve", "同意。")
    _switch_user(page, login, "zhuren")
    _act(page, live_server, interpretation, "publish")
    expect(page.locator("[data-testid=form-errors]")).to_contain_text("同步发布")
    _act(page, live_server, policy, "publish")
    expect(page.locator(".messages")).to_contain_text("已发布公开")
    for doc in (interpretation, policy):
        doc.refresh_from_db()
        assert doc.is_public and doc.published_on == TODAY
    page.goto(f"{live_server.url}/work/documents/{policy.pk}/")
    # create, attach, submit, three reviews, publish: the refused publication wrote nothing
    expect(page.locator("[data-testid=decision]")).to_have_count(7)
    expect(page.locator("[data-testid=decisions]")).to_contain_text("保密审查员")

    # 6. the public column: each page links to the other, and the search finds the policy
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/xxgk/documents/{policy.pk}/")
    expect(page.locator("h1")).to_contain_text(POLICY)
    expect(page.locator(f"a[href='/xxgk/documents/{interpretation.pk}/']")).to_contain_text(INTERPRETATION)
    page.goto(f"{live_server.url}/xxgk/documents/{interpretation.pk}/")
    expect(page.locator(f"a[href='/xxgk/documents/{policy.pk}/']").first).to_contain_text(POLICY)
    page.goto(f"{live_server.url}/xxgk/search/?q=体育场馆")
    expect(page.locator(f"a[href='/xxgk/documents/{policy.pk}/']").first).to_be_visible()
