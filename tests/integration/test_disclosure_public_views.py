"""The public 政府信息公开 column through Django's test client: home, 指南, 制度, columns with page
numbers and cursor, document pages with their metadata and files, search with highlights, feeds;
escaping everywhere; drafts, documents under review, withdrawn or taken down, other agencies'
documents and revisions under review never reach the public, logged in or not."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Agency
from gongkai.disclosure import selectors, services, views_public
from gongkai.disclosure.models import Column, DocumentAttachment
from tests.factories import HEALTH, bureau, disclosure_ready

pytestmark = pytest.mark.django_db

CLERK, HEAD, LEADER, REVIEWER = {"clerk"}, {"office_head"}, {"leader"}, {"confidentiality_reviewer"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
ATOM = "{http://www.w3.org/2005/Atom}"
EVIL_TITLE = "<script>alert(\"t\")</script> 招生 & '引号' 通知"
EVIL_NUMBER = '示教发〔2026〕<b>7</b>号 & "x"'
EVIL_BODY = '第一条 <script>alert("b")</script> 招生 & <img src=x onerror=alert(1)> "引号"'


@pytest.fixture
def env():
    cast = bureau(admin=True)
    cols = disclosure_ready(cast.agency, organisation_code="11110199MB0000015X")
    return {"agency": cast.agency, "users": cast.people, "cols": cols}


def create(env, column="gggs", formed_on=date(2026, 3, 2), today=date(2026, 3, 2), agency=None, **kw):
    defaults = {"title": "关于2026年春季学期开学工作的通知", "body": "各中小学：现将春季学期开学有关事项通知如下。"}
    agency = agency or env["agency"]
    col = env["cols"][column] if agency == env["agency"] else Column.objects.get(agency=agency, slug=column)
    return services.document_create(
        agency=agency,
        actor=env["users"]["jingban"],
        actor_roles=CLERK,
        column=col,
        formed_on=formed_on,
        today=today,
        **{**defaults, **kw},
    )


def move(env, doc, action, who, today, **fields):
    user, roles = {
        "clerk": ("jingban", CLERK),
        "head": ("zhuren", HEAD),
        "leader": ("lingdao", LEADER),
        "reviewer": ("baomi", REVIEWER),
    }[who]
    services.document_transition(
        document=doc, action=action, actor=env["users"][user], actor_roles=roles, fields=fields, today=today
    )
    doc.refresh_from_db()
    return doc


def approve(env, doc, today):
    for action, who in (
        ("submit", "clerk"),
        ("office_approve", "head"),
        ("confidentiality_pass", "reviewer"),
        ("leader_approve", "leader"),
    ):
        move(env, doc, action, who, today)
    return doc


def publish(env, doc, today, on=None):
    approve(env, doc, today)
    return move(env, doc, "publish", "head", today, published_on=on or today)


def attach(env, doc, name="附件.pdf", data=PDF):
    return services.attachment_add(document=doc, name=name, data=data, actor=env["users"]["jingban"], actor_roles=CLERK)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def client():
    return Client()


# -- home, guide, rules --------------------------------------------------------------------------------


def test_the_home_page_shows_each_sections_newest_documents_and_links_every_part(env, client):
    old = publish(env, create(env, title="较早的公告", formed_on=date(2026, 3, 2)), date(2026, 3, 2))
    new = publish(
        env, create(env, title="最新的公告", formed_on=date(2026, 3, 9), today=date(2026, 3, 9)), date(2026, 3, 9)
    )
    publish(env, create(env, column="bmys", title="2026年部门预算"), date(2026, 3, 3))
    create(env, title="尚在起草的公告")
    html = text(client.get("/xxgk/"))
    assert html.index("最新的公告") < html.index("较早的公告")
    assert "2026年部门预算" in html and "尚在起草的公告" not in html
    for c, _kids in selectors.column_tree(env["agency"]):
        assert f'href="/xxgk/columns/{c.slug}/"' in html
    assert 'action="/xxgk/search/"' in html
    for href in (
        "/xxgk/guide/",
        "/xxgk/rules/",
        "/xxgk/nianbao/",
        "/apply/",
        "/apply/status/",
        "/accounts/login/",
        f"/xxgk/documents/{new.pk}/",
        f"/xxgk/documents/{old.pk}/",
    ):
        assert f'href="{href}' in html, href
    assert re.search(r'<a href="/xxgk/" class="active" aria-current="page">首页</a>', html)
    assert 'type="application/rss+xml"' in html
    assert client.head("/xxgk/").status_code == 200 and client.post("/xxgk/").status_code == 405


@pytest.mark.parametrize(
    "url, active",
    [
        ("/xxgk/guide/", "政府信息公开指南"),
        ("/xxgk/rules/", "政府信息公开制度"),
        ("/xxgk/search/", None),
        ("/xxgk/columns/gggs/", "法定主动公开内容"),
    ],
)
def test_the_nav_marks_the_page_being_read(env, client, url, active):
    html = text(client.get(url))
    marked = re.findall(r'class="active" aria-current="page">([^<]+)</a>', html)
    assert marked == ([active] if active else [])


def test_the_guide_is_written_from_the_agencys_data_and_the_rules(env, client):
    contact = publish(
        env,
        create(
            env,
            column="jgzn",
            title="示范区教育局办公地址、办公时间及联系方式",
            body="办公地址：示范区人民路88号。\n受理电话：010-62000001。",
        ),
        date(2026, 3, 2),
    )
    html = text(client.get(reverse("disclosure:public_guide")))
    assert "示范区教育局政府信息公开指南" in html
    assert "示范区人民路88号" in html and f'href="/xxgk/documents/{contact.pk}/"' in html
    assert "示范区人民政府办公室（政务公开办）" in html  # the supervising office, from the Agency row
    assert "10件以下（含10件）的，不收费" in html and "31—100页的部分10元/页" in html  # from domain.fees
    assert "20个工作日内予以答复" in html and "最长不超过20个工作日" in html  # from domain.clocks
    assert "六十日内" in html and "六个月内" in html and 'href="/apply/"' in html
    assert "机构职能" in html and "招生入学" in html  # the agency's own columns


def test_the_guide_of_another_agency_names_that_agency_and_invents_no_address(env, client, settings):
    settings.GONGKAI_AGENCY_CODE = HEALTH
    html = text(client.get("/xxgk/guide/"))
    assert "示范区卫生健康局政府信息公开指南" in html
    assert "教育局" not in html and "人民路88号" not in html
    assert "本机关尚未设置公开栏目" in html


def test_no_agency_configured_means_no_column(env, client, settings):
    settings.GONGKAI_AGENCY_CODE = "nobody"
    assert client.get("/xxgk/").status_code == 404
    assert client.get("/xxgk/rss/").status_code == 404


def test_the_rules_page_lists_a_rules_column_or_states_the_systems_rules(env, client):
    html = text(client.get("/xxgk/rules/"))
    assert "保密审查" in html and "涉密信息不公开、公开信息不涉密" in html
    assert "拟文科室、办公室、局领导" in html and "20个工作日" in html
    rules = Column.objects.create(agency=env["agency"], slug="gkzd", name="政府信息公开制度", order=99)
    env["cols"]["gkzd"] = rules
    doc = publish(env, create(env, column="gkzd", title="示范区教育局政府信息公开保密审查办法"), date(2026, 3, 2))
    html = text(client.get("/xxgk/rules/"))
    assert f'href="/xxgk/documents/{doc.pk}/"' in html and "示范区教育局政府信息公开保密审查办法" in html
    assert "拟文科室、办公室、局领导" not in html


# -- column pages --------------------------------------------------------------------------------------


def test_a_section_lists_its_sub_columns_documents_newest_first_and_a_sub_column_only_its_own(env, client):
    budget = publish(env, create(env, column="bmys", title="部门预算公开"), date(2026, 3, 2))
    accounts = publish(
        env,
        create(env, column="bmjs", title="部门决算公开", formed_on=date(2026, 3, 3), today=date(2026, 3, 3)),
        date(2026, 3, 3),
    )
    other = Agency.objects.get(code=HEALTH)
    services.column_tree_install(agency=other)
    publish(env, create(env, column="bmys", title="卫健局部门预算", agency=other), date(2026, 3, 4))
    html = text(client.get("/xxgk/columns/czyjs/"))
    assert html.index("部门决算公开") < html.index("部门预算公开")
    assert "卫健局部门预算" not in html and "共2条" in html
    for sub in ("bmys", "bmjs", "sgjf"):
        assert f'href="/xxgk/columns/{sub}/"' in html  # sub-column navigation
    html = text(client.get("/xxgk/columns/bmys/"))
    assert f"/xxgk/documents/{budget.pk}/" in html and f"/xxgk/documents/{accounts.pk}/" not in html
    assert '<a href="/xxgk/columns/bmys/" aria-current="page">部门预算</a>' in html
    assert '<link rel="alternate" type="application/rss+xml"' in html and 'href="/xxgk/columns/bmys/rss/"' in html
    assert 'type="application/atom+xml"' in html and 'href="/xxgk/columns/bmys/atom/"' in html
    assert client.get("/xxgk/columns/no-such-column/").status_code == 404


def test_page_numbers_lead_on_to_cursor_pages_that_walk_the_whole_column_in_order(env, client, monkeypatch):
    from gongkai.demo.generate_documents import generate

    monkeypatch.setattr(views_public, "PER_PAGE", 4)
    monkeypatch.setattr(views_public, "NUMBERED_PAGES", 3)
    generate(160, agency=env["agency"], today=date(2026, 11, 23), seed=3)
    expected = list(
        selectors.public_documents(agency=env["agency"], column=env["cols"]["gzdt"]).values_list("id", flat=True)
    )
    assert len(expected) > 4 * 3 + 4  # enough for cursor pages
    seen, url, pages = [], "/xxgk/columns/gzdt/", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = text(response)
        seen += [int(x) for x in re.findall(r'<li><a href="/xxgk/documents/(\d+)/">', html)]
        pages += 1
        if pages <= 3:
            assert f'aria-current="page">{pages}</span>' in html
            assert "?after=" not in url
        else:
            assert "?after=" in url and "« 第一页" in html and '<meta name="robots" content="noindex' in html
        m = re.search(r'<a href="([^"]+)" rel="next"', html)
        url = m.group(1).replace("&amp;", "&") if m else None
    assert seen == expected
    assert pages == -(-len(expected) // 4)
    # page numbers stop at NUMBERED_PAGES (deeper pages go by cursor)
    response = client.get("/xxgk/columns/gzdt/?page=999")
    assert response.status_code == 302 and response["Location"] == "/xxgk/columns/gzdt/?page=3"
    assert client.get("/xxgk/columns/gzdt/?page=abc").status_code == 200
    for bad in ("yesterday", "2026-13-01.5", "2026-01-01", "2026-01-01.x", "<script>"):
        assert client.get("/xxgk/columns/gzdt/", {"after": bad}).status_code == 404


# -- one document ----------------------------------------------------------------------------------------


def test_the_document_page_shows_the_metadata_block_body_files_and_interpretation(env, client):
    policy = create(
        env,
        column="gfxwj",
        kind="normative",
        signed_on=date(2026, 4, 1),
        doc_number="示教发〔2026〕5号",
        title="示范区义务教育阶段学校招生入学工作实施办法",
        needs_interpretation=True,
        formed_on=date(2026, 4, 1),
        today=date(2026, 4, 1),
        body="第一条 为规范招生入学工作，制定本办法。\n第二条 ……",
    )
    attach(env, policy, name="实施办法全文.pdf")
    reading = create(
        env,
        column="zcjd",
        title="《实施办法》政策解读",
        interprets=policy,
        formed_on=date(2026, 4, 1),
        today=date(2026, 4, 1),
    )
    approve(env, reading, date(2026, 4, 2))
    publish(env, policy, date(2026, 4, 3))  # the approved interpretation goes public with it (同步发布)
    html = text(client.get(f"/xxgk/documents/{policy.pk}/"))
    for label, value in (
        ("索引号", policy.index_number),
        ("发布机构", "示范区教育局"),
        ("成文日期", "2026年4月1日"),
        ("发布日期", "2026年4月3日"),
        ("文号", "示教发〔2026〕5号"),
        ("有效性", "现行有效"),
        ("主题分类", "教育"),
    ):
        assert re.search(rf"<th scope=\"row\">{label}</th><td[^>]*>(<span[^>]*>)?{re.escape(value)}", html), label
    assert "修订日期" not in html
    assert "<p>第一条 为规范招生入学工作，制定本办法。</p><p>第二条 ……</p>" in html  # one paragraph a line
    att = policy.attachments.get()
    assert f'href="/xxgk/documents/{policy.pk}/files/{att.pk}/"' in html and ">实施办法全文</a>" in html
    assert f'href="/xxgk/documents/{reading.pk}/"' in html and "政策解读" in html
    html = text(client.get(f"/xxgk/documents/{reading.pk}/"))
    assert f'href="/xxgk/documents/{policy.pk}/"' in html and "相关政策文件" in html


def test_a_repealed_document_shows_the_date_and_the_repealing_document(env, client):
    old = create(
        env,
        column="gfxwj",
        kind="normative",
        signed_on=date(2022, 3, 1),
        doc_number="示教发〔2022〕2号",
        formed_on=date(2022, 3, 1),
        today=date(2022, 3, 1),
        title="示范区中小学学籍管理办法",
    )
    publish(env, old, date(2022, 3, 4))
    services.document_change_validity(
        document=old,
        actor=None,
        actor_roles=CLERK,
        validity="repealed",
        changed_on=date(2026, 5, 1),
        changed_by="示教发〔2026〕9号",
        today=date(2026, 5, 6),
    )
    html = text(client.get(f"/xxgk/documents/{old.pk}/"))
    assert re.search(r"已废止</span>（2026年5月1日废止，依据示教发〔2026〕9号）", html)
    assert "已废止" in text(client.get("/xxgk/columns/gfxwj/"))


def test_a_revision_under_review_never_shows_and_the_published_one_carries_its_revision_date(env, client):
    doc = publish(env, create(env, title="开学通知", body="3月2日开学。"), date(2026, 3, 2))
    services.document_update(
        document=doc,
        actor=env["users"]["jingban"],
        actor_roles=CLERK,
        reason="时间调整",
        changes={"title": "开学补充通知", "body": "改为3月9日开学（尚未审核）。"},
        today=date(2026, 3, 5),
    )
    pending_file = attach(env, doc, name="待审附件.pdf")
    doc.refresh_from_db()
    assert doc.state == "draft" and doc.is_public and doc.has_pending_revision
    pending = selectors.pending_revision(doc)
    anonymous, staff = Client(), Client()
    staff.force_login(env["users"]["admin"])
    for c in (anonymous, staff):
        html = text(c.get(f"/xxgk/documents/{doc.pk}/"))
        assert "3月2日开学。" in html and "尚未审核" not in html and "开学补充通知" not in html
        assert "待审附件" not in html and "修订日期" not in html
        assert c.get(f"/xxgk/documents/{doc.pk}/files/{pending_file.pk}/").status_code == 404
        r = c.get(f"/xxgk/documents/{pending.pk}/")
        assert r.status_code == 404 or "尚未审核" not in text(r)
        for url in ("/xxgk/", "/xxgk/columns/gggs/", "/xxgk/rss/", "/xxgk/columns/gggs/atom/"):
            assert "尚未审核" not in text(c.get(url)) and "开学补充通知" not in text(c.get(url))
        assert "开学补充通知" not in text(c.get("/xxgk/search/", {"q": "补充通知"}))
    approve(env, doc, date(2026, 3, 9))
    move(env, doc, "publish", "head", date(2026, 3, 9), published_on=date(2026, 3, 9))
    html = text(anonymous.get(f"/xxgk/documents/{doc.pk}/"))
    assert "改为3月9日开学（尚未审核）。" in html and "3月2日开学。" not in html
    assert (
        re.search(r"修订日期</th><td[^>]*>2026年3月9日", html)
        and '发布日期</th><td id="meta-published">2026年3月2日' in html
    )
    assert anonymous.get(f"/xxgk/documents/{doc.pk}/files/{pending_file.pk}/").status_code == 200


# -- files -----------------------------------------------------------------------------------------------


def test_a_public_file_is_served_as_its_checked_kind_with_a_safe_download_header(env, client):
    doc = create(env)
    pdf = attach(env, doc, name="2026年部门预算表.pdf")
    png = attach(env, doc, name="学区示意图.png", data=PNG)
    publish(env, doc, date(2026, 3, 2))
    r = client.get(f"/xxgk/documents/{doc.pk}/files/{pdf.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf"
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "2026年部门预算表.pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r["Content-Security-Policy"] and "default-src 'none'" in r["Content-Security-Policy"]
    assert client.get(f"/xxgk/documents/{doc.pk}/files/{png.pk}/")["Content-Type"] == "image/png"
    # a file of another document, or under another document's number: 404
    other = publish(env, create(env, title="另一份通知"), date(2026, 3, 2))
    assert client.get(f"/xxgk/documents/{other.pk}/files/{pdf.pk}/").status_code == 404
    assert client.get(f"/xxgk/documents/{doc.pk}/files/999999/").status_code == 404


def test_a_stored_file_of_an_unchecked_kind_is_never_served(env, client):
    doc = publish(env, create(env), date(2026, 3, 2))
    att = DocumentAttachment(document=doc, original_name="页面.html", content_type="text/html", size=20, version=1)
    att.file.save("x.html", ContentFile(b"<script>alert(1)</script>"), save=False)
    att.save()
    r = client.get(f"/xxgk/documents/{doc.pk}/files/{att.pk}/")
    assert r.status_code == 404 and b"alert(1)" not in r.content


def test_a_file_removed_by_a_published_revision_is_gone_from_the_public(env, client):
    doc = create(env)
    old = attach(env, doc, name="旧版.pdf")
    publish(env, doc, date(2026, 3, 2))
    assert client.get(f"/xxgk/documents/{doc.pk}/files/{old.pk}/").status_code == 200
    services.document_update(
        document=doc,
        actor=env["users"]["jingban"],
        actor_roles=CLERK,
        reason="更换附件",
        changes={"body": "附件已更新。"},
        today=date(2026, 3, 5),
    )
    services.attachment_remove(attachment=old, actor=env["users"]["jingban"], actor_roles=CLERK)
    assert client.get(f"/xxgk/documents/{doc.pk}/files/{old.pk}/").status_code == 200  # still public until published
    approve(env, doc, date(2026, 3, 6))
    move(env, doc, "publish", "head", date(2026, 3, 6), published_on=date(2026, 3, 6))
    assert client.get(f"/xxgk/documents/{doc.pk}/files/{old.pk}/").status_code == 404
    assert "旧版.pdf" not in text(client.get(f"/xxgk/documents/{doc.pk}/"))


# -- nothing unpublished reaches the public ----------------------------------------------------------------


def _unpublished_documents(env):
    """One document in every state that is not on the public column, each with a file and a marker word."""
    day = date(2026, 3, 2)
    docs = {}

    def make(name):
        doc = create(env, title=f"不应公开的{name}", body=f"秘密标记{name}")
        attach(env, doc)
        return doc

    docs["draft"] = make("草稿")
    docs["office_review"] = move(env, make("办公室审核"), "submit", "clerk", day)
    d = move(env, make("保密审查"), "submit", "clerk", day)
    docs["confidentiality_review"] = move(env, d, "office_approve", "head", day)
    d = move(env, make("领导审批"), "submit", "clerk", day)
    docs["leader_approval"] = move(
        env, move(env, d, "office_approve", "head", day), "confidentiality_pass", "reviewer", day
    )
    docs["approved"] = approve(env, make("已批准"), day)
    d = move(env, make("退回"), "submit", "clerk", day)
    docs["returned"] = move(env, d, "office_return", "head", day, comment="请修改")
    d = move(env, make("撤回"), "submit", "clerk", day)
    docs["withdrawn"] = move(env, d, "withdraw", "clerk", day, reason="不再发布")
    d = publish(env, make("下架"), day)
    docs["unpublished"] = move(
        env, d, "unpublish", "head", date(2026, 3, 3), reason="已过时效", unpublished_on=date(2026, 3, 3)
    )
    other = Agency.objects.get(code=HEALTH)
    services.column_tree_install(agency=other)
    d = create(env, title="不应公开的其他机关文件", body="秘密标记其他机关", agency=other)
    attach(env, d)
    docs["other_agency"] = publish(env, d, day)
    return docs


@pytest.mark.parametrize("who", [None, "jingban", "zhuren", "admin"])
def test_documents_not_on_the_public_column_are_404_on_every_public_url_for_everyone(env, who):
    docs = _unpublished_documents(env)
    assert {d.state for d in docs.values()} >= {
        "draft",
        "office_review",
        "confidentiality_review",
        "leader_approval",
        "approved",
        "returned",
        "withdrawn",
        "unpublished",
        "published",
    }
    client = Client()
    if who:
        client.force_login(env["users"][who])
    for state, doc in docs.items():
        att = doc.attachments.get()
        assert client.get(f"/xxgk/documents/{doc.pk}/").status_code == 404, state
        assert client.get(f"/xxgk/documents/{doc.pk}/files/{att.pk}/").status_code == 404, state
    for url in (
        "/xxgk/",
        "/xxgk/columns/gggs/",
        "/xxgk/rules/",
        "/xxgk/rss/",
        "/xxgk/atom/",
        "/xxgk/columns/gggs/rss/",
        "/xxgk/search/?q=秘密标记",
        "/xxgk/search/?q=不应公开",
        "/xxgk/search/?q=秘密",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        for doc in docs.values():
            assert doc.title not in text(r) and doc.body not in text(r), url
            assert f"/xxgk/documents/{doc.pk}/" not in text(r), url


# -- search ----------------------------------------------------------------------------------------------


def test_search_finds_title_number_and_body_highlights_them_and_filters_by_column(env, client):
    a = publish(env, create(env, title="关于课后服务收费的公告", body="课后服务每生每学期400元。"), date(2026, 3, 2))
    b = publish(
        env,
        create(
            env,
            column="gfxwj",
            kind="normative",
            signed_on=date(2026, 3, 2),
            doc_number="示教规〔2026〕12号",
            title="示范区学生资助办法",
            body="资助标准如下。",
        ),
        date(2026, 3, 3),
    )
    c = publish(
        env, create(env, column="gzdt", title="区教育局召开工作会议", body="会议部署了课后服务工作。"), date(2026, 3, 4)
    )
    html = text(client.get("/xxgk/search/", {"q": "课后服务"}))
    found = [int(x) for x in re.findall(r'class="result-title" href="/xxgk/documents/(\d+)/"', html)]
    assert found == [c.pk, a.pk]  # newest first
    assert "关于<mark>课后服务</mark>收费的公告" in html and "会议部署了<mark>课后服务</mark>工作。" in html
    html = text(client.get("/xxgk/search/", {"q": "示教规〔2026〕12号"}))
    assert re.findall(r'/xxgk/documents/(\d+)/"', html).count(str(b.pk)) == 1
    assert "<mark>示教规〔2026〕12号</mark>" in html
    html = text(client.get("/xxgk/search/", {"q": "课后服务", "column": "gzdt"}))
    found = [int(x) for x in re.findall(r'class="result-title" href="/xxgk/documents/(\d+)/"', html)]
    assert found == [c.pk] and '<option value="gzdt" selected>' in html
    html = text(client.get("/xxgk/search/", {"q": "课后服务 收费"}))  # every word must be there
    assert re.findall(r'class="result-title" href="/xxgk/documents/(\d+)/"', html) == [str(a.pk)]
    html = text(client.get("/xxgk/search/", {"q": "不存在的词语"}))
    assert 'id="search-none"' in html and "没有找到" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "请输入要查找的词语"),
        ("   ", "请输入要查找的词语"),
        ("长" * 101, "搜索内容过长（101个字符）"),
        ("一 二 三 四 五 六", "最多可输入5个词语"),
        ("字" * 51, "单个词语不能超过50个字符"),
    ],
)
def test_empty_and_too_long_queries_get_a_clear_message_and_keep_what_was_typed(env, client, query, message):
    html = text(client.get("/xxgk/search/", {"q": query}))
    assert message in html and 'role="alert"' in html and 'aria-invalid="true"' in html
    assert f'value="{query.strip()}"' in html and "search-results" not in html


def test_the_search_page_without_a_query_is_just_the_form(env, client):
    html = text(client.get("/xxgk/search/"))
    assert 'id="search-form"' in html and 'role="alert"' not in html


def test_an_unknown_search_column_is_said_so(env, client):
    html = text(client.get("/xxgk/search/", {"q": "通知", "column": "nope"}))
    assert "所选栏目不存在" in html


def test_search_pages_go_on_and_stop_at_the_cap(env, client, monkeypatch):
    monkeypatch.setattr(views_public, "PER_PAGE", 2)
    monkeypatch.setattr(views_public, "MAX_SEARCH_PAGES", 2)
    for i in range(6):
        publish(
            env,
            create(env, title=f"第{i}号通知", formed_on=date(2026, 3, 2 + i), today=date(2026, 3, 2 + i)),
            date(2026, 3, 2 + i),
        )
    html = text(client.get("/xxgk/search/", {"q": "通知"}))
    assert len(re.findall(r'class="result-title"', html)) == 2
    nxt = re.search(r'<a href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    html = text(client.get(nxt))
    assert "第3号<mark>通知</mark>" in html and 'start="3"' in html and 'rel="prev"' in html
    assert 'rel="next"' not in html and "只显示前2页" in html


def test_every_search_strategy_finds_the_same_documents_in_the_same_order(env, monkeypatch):
    from gongkai.demo.generate_documents import generate

    generate(300, agency=env["agency"], today=date(2026, 11, 23), seed=11)
    column = env["cols"]["gzdt"]
    queries = [
        "课后服务",
        "工作 通知",
        "示范区 工作",
        "校园安全 通知",
        "区教育局召开",
        "近视防控 防溺水",
        "不会出现的词语",
    ]

    def results():
        found = {
            (q, p): [
                d.pk
                for d in selectors.search_public_documents(agency=env["agency"], query=q, page=p, per_page=7).documents
            ]
            for q in queries
            for p in (1, 2)
        }
        found["column"] = [
            d.pk
            for d in selectors.search_public_documents(agency=env["agency"], query="课后服务", column=column).documents
        ]
        return found

    expected = results()  # few matches: the trigram matches are sorted
    assert expected[("课后服务", 2)] and not expected[("不会出现的词语", 1)] and expected["column"]
    # many matches: checked against the newest-first index
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 1)
    assert results() == expected
    # frequent words: the newest-first index read with LIKE (SQLite; PostgreSQL has its own plan)
    monkeypatch.setattr(selectors, "FREQUENT_MATCHES", 3)
    assert results() == expected


def test_highlighting_escapes_every_piece_and_never_marks_inside_an_entity():
    out = views_public.highlight('A&B <b>amp</b> "AMP"', ("amp",))
    assert out == "A&amp;B &lt;b&gt;<mark>amp</mark>&lt;/b&gt; &quot;<mark>AMP</mark>&quot;"
    assert views_public.highlight("<i>x</i>", ()) == "&lt;i&gt;x&lt;/i&gt;"
    assert views_public.highlight("招生入学招生", ("招生", "招生入学")) == "<mark>招生入学</mark><mark>招生</mark>"
    snip = views_public.snippet("甲" * 100 + "<关键词>" + "乙" * 300, ("关键词",))
    assert snip.startswith("…") and snip.endswith("…") and "&lt;<mark>关键词</mark>&gt;" in snip


# -- feeds -----------------------------------------------------------------------------------------------


def test_feeds_per_column_and_for_everything_in_rss_and_atom(env, client):
    first = publish(env, create(env, column="bmys", title="部门预算公开"), date(2026, 3, 2))
    second = publish(
        env,
        create(
            env,
            column="bmjs",
            title="部门决算公开",
            doc_number="示教发〔2026〕8号",
            formed_on=date(2026, 3, 3),
            today=date(2026, 3, 3),
        ),
        date(2026, 3, 3),
    )
    publish(env, create(env, column="gzdt", title="工作动态一则"), date(2026, 3, 4))
    r = client.get("/xxgk/columns/czyjs/rss/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(r.content).find("channel")
    assert "财政预决算" in channel.findtext("title")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["部门决算公开（示教发〔2026〕8号）", "部门预算公开"]
    assert items[0].findtext("link").endswith(f"/xxgk/documents/{second.pk}/")
    assert items[1].findtext("guid") == first.index_number
    r = client.get("/xxgk/columns/bmys/atom/")
    feed = ET.fromstring(r.content)
    assert r["Content-Type"].startswith("application/atom+xml")
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["部门预算公开"]
    everything = ET.fromstring(client.get("/xxgk/rss/").content).find("channel").findall("item")
    assert len(everything) == 3 and everything[0].findtext("title") == "工作动态一则"
    assert len(ET.fromstring(client.get("/xxgk/atom/").content).findall(f"{ATOM}entry")) == 3
    assert client.get("/xxgk/columns/nope/rss/").status_code == 404
    assert client.get("/xxgk/columns/nope/atom/").status_code == 404


# -- escaping on every page and feed -----------------------------------------------------------------------


def test_markup_in_a_title_number_and_body_is_escaped_on_every_public_page_and_feed(env, client):
    evil = create(
        env,
        column="gfxwj",
        kind="normative",
        signed_on=date(2026, 3, 2),
        doc_number=EVIL_NUMBER,
        title=EVIL_TITLE,
        body=EVIL_BODY,
        needs_interpretation=True,
    )
    reading = create(env, column="zcjd", title="解读：" + EVIL_TITLE, interprets=evil, body=EVIL_BODY)
    contact = create(env, column="jgzn", title="办公地址<script>x</script>", body="地址：<script>alert('c')</script>")
    attach(env, evil, name='<img src=x onerror=alert(1)>".pdf')
    approve(env, reading, date(2026, 3, 2))
    publish(env, evil, date(2026, 3, 2))  # and its approved interpretation with it
    publish(env, contact, date(2026, 3, 2))
    rules = Column.objects.create(agency=env["agency"], slug="gkzd", name="公开制度", order=99)
    env["cols"]["gkzd"] = rules
    publish(env, create(env, column="gkzd", title=EVIL_TITLE, doc_number=EVIL_NUMBER), date(2026, 3, 2))
    pages = [
        "/xxgk/",
        "/xxgk/guide/",
        "/xxgk/rules/",
        "/xxgk/columns/zcwj/",
        "/xxgk/columns/gfxwj/",
        "/xxgk/columns/zcjd/",
        f"/xxgk/documents/{evil.pk}/",
        f"/xxgk/documents/{reading.pk}/",
        "/xxgk/search/?q=招生",
        "/xxgk/search/?q=alert",
        "/xxgk/search/?q=" + "<script>",
        "/xxgk/search/?q=%22%3E%3Cscript%3E",
    ]
    for url in pages:
        html = text(client.get(url))
        assert "<script>" not in html and "<b>7</b>" not in html and "<img src=x" not in html, url
        assert "onerror=alert" not in html or "&lt;img src=x onerror=alert(1)&gt;" in html, url
    doc_page = text(client.get(f"/xxgk/documents/{evil.pk}/"))
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; 招生 &amp; &#x27;引号&#x27; 通知" in doc_page
    assert "示教发〔2026〕&lt;b&gt;7&lt;/b&gt;号 &amp; &quot;x&quot;" in doc_page
    assert "&lt;script&gt;alert(&quot;b&quot;)&lt;/script&gt;" in doc_page
    assert "&lt;img src=x onerror=alert(1)&gt;&quot;</a>" in doc_page  # shown without its extension
    search = text(client.get("/xxgk/search/", {"q": "招生"}))
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; <mark>招生</mark> &amp;" in search
    assert "示教发〔2026〕&lt;b&gt;7&lt;/b&gt;号 &amp; &quot;x&quot;" in search
    # feeds: the XML carries the title HTML-escaped, so a reader shows it as text
    for url in ("/xxgk/rss/", "/xxgk/columns/zcwj/rss/"):
        raw = client.get(url).content
        assert b"<script>" not in raw and b"<b>7</b>" not in raw
        titles = [i.findtext("title") for i in ET.fromstring(raw).find("channel").findall("item")]
        assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; 招生 &amp; &#x27;引号&#x27; 通知" in " ".join(titles)
        descriptions = " ".join(i.findtext("description") for i in ET.fromstring(raw).find("channel").findall("item"))
        assert "<script>" not in descriptions and "&lt;script&gt;alert(&quot;b&quot;)" in descriptions
    for url in ("/xxgk/atom/", "/xxgk/columns/gfxwj/atom/"):
        raw = client.get(url).content
        assert b"<script>" not in raw and b"<b>7</b>" not in raw
        entries = ET.fromstring(raw).findall(f"{ATOM}entry")
        assert all("<script>" not in (e.findtext(f"{ATOM}summary") or "") for e in entries)
        assert any("&lt;script&gt;" in e.findtext(f"{ATOM}title") for e in entries)
