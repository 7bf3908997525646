"""A visitor, without an account, reads the demo bureau's 政府信息公开 column in the browser: the
guide, a section and its sub-column, a policy and its interpretation, a file, and the search."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from gongkai.demo.disclosure import seed_documents
from gongkai.disclosure.models import Document

TODAY = date(2026, 11, 23)  # the demo year as of a fixed day: the same documents on every run


@pytest.fixture
def column_site(demo):
    result = seed_documents(TODAY)
    assert result.skipped == []
    return result


def test_a_visitor_reads_the_guide_a_policy_with_its_interpretation_and_downloads_its_file(
    column_site, page, live_server
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/xxgk/$"))
    expect(page.locator("h1#content")).to_have_text("法定主动公开内容")
    expect(page.locator(".xxgk-nav a.active")).to_have_text("首页")

    # the guide: written from the agency's data, with the office address as published (the move to
    # 文华路 is a revision still under review, so the public still reads 人民路)
    page.click(".xxgk-nav >> text=政府信息公开指南")
    expect(page.locator("h1")).to_have_text("示范区教育局政府信息公开指南")
    expect(page.locator("#guide-contact")).to_contain_text("示范区人民路88号")
    expect(page.locator("#guide")).not_to_contain_text("文华路")
    expect(page.locator(".guide-fees")).to_contain_text("10件以下（含10件）的，不收费")

    # the 法定主动公开内容 menu opens on hover and leads to a section
    page.goto(f"{live_server.url}/xxgk/")
    page.hover(".xxgk-nav .has-menu >> text=法定主动公开内容")
    page.click(".xxgk-nav .menu >> text=政策文件")
    expect(page.locator("h1")).to_have_text("政策文件")
    expect(page.locator(".xxgk-nav a.active")).to_have_text("法定主动公开内容")
    page.click(".xxgk-side >> text=行政规范性文件")
    expect(page.locator("h1")).to_have_text("行政规范性文件")
    page.click("text=示范区义务教育阶段学校招生入学工作实施办法")

    # the document page: metadata block, body, file, interpretation
    expect(page.locator("h1.doc-title")).to_have_text("示范区义务教育阶段学校招生入学工作实施办法")
    expect(page.locator("#meta-number")).to_have_text("示教发〔2026〕3号")
    expect(page.locator("#meta-validity")).to_contain_text("现行有效")
    expect(page.locator("#meta-index")).to_contain_text("11110199MB0000015X/2026-")
    expect(page.locator("#doc-body")).to_contain_text("免试就近入学")
    with page.expect_download() as info:
        page.click(".doc-files a")
    assert info.value.suggested_filename == "示范区义务教育阶段学校招生入学工作实施办法.docx"
    page.click("#interp-h + ul a")
    expect(page.locator("h1.doc-title")).to_contain_text("政策解读")
    expect(page.locator("#policy-h + ul a")).to_have_text("示范区义务教育阶段学校招生入学工作实施办法")

    # a repealed document carries its date and the repealing document
    repealed = Document.objects.get(doc_number="示教发〔2021〕4号")
    page.goto(f"{live_server.url}/xxgk/documents/{repealed.pk}/")
    expect(page.locator("#meta-validity")).to_contain_text("已废止")
    expect(page.locator("#meta-validity")).to_contain_text("示教发〔2026〕3号")

    # a draft is not there, for anybody
    draft = Document.objects.filter(state="draft", public_version__isnull=True).first()
    response = page.goto(f"{live_server.url}/xxgk/documents/{draft.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")


def test_a_visitor_searches_sees_the_words_marked_narrows_to_a_column_and_is_told_about_an_empty_query(
    column_site, page, live_server
):
    page.goto(f"{live_server.url}/xxgk/")
    page.fill("#xxgk-q", "招生 办法")
    page.press("#xxgk-q", "Enter")
    expect(page).to_have_url(re.compile(r"/xxgk/search/\?q="))
    results = page.locator(".search-results > li")
    expect(results.first).to_be_visible()
    expect(page.locator(".result-title mark").first).to_have_text(re.compile("招生|办法"))
    # every result holds both words in its title, 文号 or body, and shows at least one of them marked
    hrefs = page.locator(".result-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs
    for i, href in enumerate(hrefs):
        doc = Document.objects.get(pk=int(href.strip("/").split("/")[-1]))
        assert doc.is_public and all(w in doc.title + doc.doc_number + doc.body for w in ("招生", "办法")), doc.title
        assert results.nth(i).locator("mark").count() >= 1
    # narrowed to 政策解读
    page.select_option("#search-column", "zcjd")
    page.click(".search-button")
    expect(page.locator("#search-summary")).to_contain_text("政策解读")
    assert page.locator(".search-results > li").count() >= 1
    assert all("解读" in t for t in page.locator(".result-title").all_inner_texts())
    # a 文号 finds its document
    page.fill("#search-q", "示教规〔2026〕2号")
    page.select_option("#search-column", "")
    page.click(".search-button")
    expect(page.locator(".result-title").first).to_have_text("示范区中小学校课后服务管理办法")
    # an empty query: a clear message beside the box
    page.fill("#search-q", "  ")
    page.click(".search-button")
    expect(page.locator("#search-problem")).to_have_text(re.compile("请输入要查找的词语"))
    expect(page.locator(".search-results")).to_have_count(0)
