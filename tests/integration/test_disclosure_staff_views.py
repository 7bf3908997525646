"""The staff pages of proactive disclosure (/work/documents/): register list, queues, overdue list,
register and edit forms with attachments, the document page and its move forms, attachments,
validity, the year's table 二 figures, access control and the dashboard counts.

Documents are built with the services at chosen dates; the views read "today" from
``gongkai.localtime.local_today``, frozen here with monkeypatch.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai import localtime
from gongkai.accounts.models import Role
from gongkai.disclosure import selectors, services, views_staff
from gongkai.disclosure.models import AnnualFigures, Document, DocumentAttachment
from gongkai.domain.disclosure.workflow import available_actions
from tests.factories import EDU, UserFactory, bureau, disclosure_ready, person

pytestmark = pytest.mark.django_db

ORG = "11110199MB0000015X"
CLERK, HEAD, LEADER, REVIEWER = {"clerk"}, {"office_head"}, {"leader"}, {"confidentiality_reviewer"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
XSS = "<script>alert('x')</script>"
TODAY = date(2026, 3, 10)


# -- helpers ---------------------------------------------------------------------------------------


@pytest.fixture
def env(monkeypatch):
    cast = bureau()
    cols = disclosure_ready(cast.agency, organisation_code=ORG)
    users = cast.people
    # a clerk of the other agency under the same supervising office, and a login with no role
    users["weijian"] = person(cast.neighbour, Role.CLERK, "weijian", last_name="周", first_name="芳")
    users["nobody"] = UserFactory(username="nobody")
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    return {"agency": cast.agency, "users": users, "cols": cols}


def create(env, column="gggs", formed_on=date(2026, 3, 2), today=TODAY, **kw):
    defaults = {"title": "关于2026年春季学期开学工作的通知", "body": "各中小学：现将春季学期开学有关事项通知如下。"}
    return services.document_create(
        agency=env["agency"],
        actor=env["users"]["jingban"],
        actor_roles=CLERK,
        column=env["cols"][column],
        formed_on=formed_on,
        today=today,
        **{**defaults, **kw},
    )


def normative(env, **kw):
    defaults = dict(
        column="gfxwj",
        kind="normative",
        signed_on=date(2026, 3, 2),
        doc_number="示教发〔2026〕3号",
        title="示范区中小学校课后服务管理办法",
    )
    return create(env, **{**defaults, **kw})


WHO = {
    "clerk": ("jingban", CLERK),
    "head": ("zhuren", HEAD),
    "leader": ("lingdao", LEADER),
    "reviewer": ("baomi", REVIEWER),
}


def move(env, doc, action, who, today=TODAY, **fields):
    user, roles = WHO[who]
    services.document_transition(
        document=doc, action=action, actor=env["users"][user], actor_roles=roles, fields=fields, today=today
    )
    doc.refresh_from_db()
    return doc


def walk(env, doc, until="approved", today=TODAY):
    steps = [
        ("submit", "clerk"),
        ("office_approve", "head"),
        ("confidentiality_pass", "reviewer"),
        ("leader_approve", "leader"),
    ]
    stop = {"office_review": 1, "confidentiality_review": 2, "leader_approval": 3, "approved": 4}[until]
    for action, who in steps[:stop]:
        move(env, doc, action, who, today)
    return doc


def publish(env, doc, today=TODAY):
    walk(env, doc, "approved", today)
    return move(env, doc, "publish", "head", today, published_on=today)


def attach(env, doc, name="附件.pdf", data=PDF):
    return services.attachment_add(document=doc, name=name, data=data, actor=env["users"]["jingban"], actor_roles=CLERK)


def as_user(client, env, username):
    client.force_login(env["users"][username])
    return client


def html(response) -> str:
    return response.content.decode()


def attrs(response, testid: str, attr: str) -> list[str]:
    """The values of ``attr`` on the elements with ``data-testid=testid``, in page order."""
    pattern = re.compile(r"<[^>]*data-testid=\"" + re.escape(testid) + r"\"[^>]*>")
    out = []
    for tag in pattern.findall(html(response)):
        m = re.search(attr + r"=\"([^\"]*)\"", tag)
        if m:
            out.append(m.group(1))
    return out


def error_of(response, field: str) -> str:
    m = re.search(r'data-testid="error-' + field + r'">([^<]*)<', html(response))
    return m.group(1) if m else ""


def detail_url(doc) -> str:
    return reverse("disclosure:staff_detail", kwargs={"pk": doc.pk})


def act_url(doc, action) -> str:
    return reverse("disclosure:staff_act", kwargs={"pk": doc.pk, "action": action})


def form_data(env, **kw):
    data = {
        "title": "关于做好2026年清明节假期学校安全工作的通知",
        "doc_number": "",
        "index_number": "",
        "issuing_office": "",
        "formed_on": "2026-03-09",
        "signed_on": "",
        "column": str(env["cols"]["gggs"].pk),
        "topic": "",
        "article20_item": "",
        "kind": "other",
        "interprets": "",
        "body": "各中小学、幼儿园：清明节假期将至，现就做好假期安全工作通知如下。",
        "channels": ["website", "new_media"],
    }
    data.update(kw)
    return data


# -- access ------------------------------------------------------------------------------------------


def _every_url(doc, att) -> list[str]:
    return [
        reverse("disclosure:staff_list"),
        reverse("disclosure:staff_queue"),
        reverse("disclosure:staff_overdue"),
        reverse("disclosure:staff_create"),
        reverse("disclosure:staff_figures_current"),
        reverse("disclosure:staff_figures", kwargs={"year": 2026}),
        detail_url(doc),
        reverse("disclosure:staff_edit", kwargs={"pk": doc.pk}),
        act_url(doc, "submit"),
        reverse("disclosure:staff_validity", kwargs={"pk": doc.pk}),
        reverse("disclosure:staff_attachment", kwargs={"pk": doc.pk, "att_pk": att.pk}),
    ]


def test_every_staff_url_sends_an_anonymous_visitor_to_the_login_page(client, env):
    doc = create(env)
    att = attach(env, doc)
    login = reverse("accounts:login")
    for url in _every_url(doc, att):
        for response in (client.get(url), client.post(url, {"comment": "x"})):
            assert response.status_code == 302, url
            assert response["Location"].startswith(login), url
    assert doc.decisions.count() == 2  # create and attach; the anonymous posts wrote nothing


def test_another_agencys_documents_are_not_found(client, env):
    doc = publish(env, normative(env))
    att = attach(env, create(env, title="另一份草稿"))
    as_user(client, env, "weijian")
    urls = [
        detail_url(doc),
        reverse("disclosure:staff_edit", kwargs={"pk": doc.pk}),
        act_url(doc, "unpublish"),
        reverse("disclosure:staff_validity", kwargs={"pk": doc.pk}),
        reverse("disclosure:staff_attachment", kwargs={"pk": att.document_id, "att_pk": att.pk}),
        reverse("disclosure:staff_create") + f"?interprets={doc.pk}",
        reverse("disclosure:staff_list") + "?agency=" + EDU,
        reverse("disclosure:staff_queue") + "?agency=" + EDU,
        reverse("disclosure:staff_overdue") + "?agency=" + EDU,
        reverse("disclosure:staff_figures", kwargs={"year": 2026}) + "?agency=" + EDU,
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            act_url(doc, "unpublish"), {"reason": "x", "unpublished_on": "2026-03-10", "confirm_irreversible": "on"}
        ).status_code
        == 404
    )
    doc.refresh_from_db()
    assert doc.state == "published"
    # their own register does not show the other agency's documents
    own = client.get(reverse("disclosure:staff_list"))
    assert own.status_code == 200 and doc.title not in html(own) and "示范区卫生健康局" in html(own)


def test_the_supervising_office_is_not_a_member_of_the_agency(client, env):
    doc = create(env)
    as_user(client, env, "jiandu")
    assert client.get(detail_url(doc)).status_code == 404
    refused = client.get(reverse("disclosure:staff_list"))
    assert refused.status_code == 403 and "不是任何行政机关的工作人员" in html(refused)


def test_a_user_without_any_post_is_refused_the_lists(client, env):
    as_user(client, env, "nobody")
    for name in ("staff_list", "staff_queue", "staff_overdue", "staff_create"):
        response = client.get(reverse(f"disclosure:{name}"))
        assert response.status_code == 403, name
        assert "不是任何行政机关的工作人员" in html(response)


def test_titles_and_bodies_are_escaped(client, env):
    doc = create(env, title=f"{XSS}关于开学的通知", body=f"正文{XSS}")
    as_user(client, env, "jingban")
    for url in (reverse("disclosure:staff_list"), detail_url(doc), reverse("disclosure:staff_queue")):
        page = html(client.get(url))
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page, url
        assert XSS not in page, url


# -- the register list -------------------------------------------------------------------------------


def test_the_list_filters_by_state_column_kind_and_text(client, env):
    notice = create(env, title="关于春季开学的通知")
    policy = publish(env, normative(env))
    other = create(env, column="qtwj", title="关于印发学校食堂管理规定的通知")
    as_user(client, env, "zhuren")
    url = reverse("disclosure:staff_list")

    def ids(**query):
        return [int(i) for i in attrs(client.get(url, query), "document-row", "data-id")]

    assert set(ids()) == {notice.pk, policy.pk, other.pk}
    assert ids(state="published") == [policy.pk]
    assert set(ids(column=env["cols"]["zcwj"].pk)) == {policy.pk, other.pk}  # a section holds its children
    assert ids(column=env["cols"]["gfxwj"].pk) == [policy.pk]
    assert ids(kind="normative") == [policy.pk]
    assert ids(q="食堂") == [other.pk]
    assert ids(q="示教发〔2026〕3号") == [policy.pk]
    assert ids(q=ORG + "/2026-00001") == [notice.pk]
    assert set(ids(state="bogus")) == {notice.pk, policy.pk, other.pk}  # a bad filter shows everything, and says so
    assert "筛选条件无效" in html(client.get(url, {"state": "bogus"}))


def test_the_list_shows_every_documents_publication_clock_and_pages(client, env, monkeypatch):
    late = create(env, title="寒假安全工作通知", formed_on=date(2026, 1, 5), today=date(2026, 1, 5))
    fresh = create(env, title="开学工作通知", formed_on=date(2026, 3, 9))
    done = publish(env, create(env, title="校园开放日通知", formed_on=date(2026, 3, 2)), today=date(2026, 3, 4))
    as_user(client, env, "jingban")
    response = client.get(reverse("disclosure:staff_list"))
    rows = dict(zip(attrs(response, "document-row", "data-id"), attrs(response, "document-row", "class")))
    assert rows[str(late.pk)] == "clock-overdue"
    assert rows[str(done.pk)] == "clock-met"
    page = html(response)
    # 2026-01-05 + 20 working days (the Spring Festival holiday in between) is long past on 2026-03-10
    assert re.search(rf'data-id="{late.pk}".*?已逾期\d+个工作日', page, re.S)
    assert re.search(rf'data-id="{fresh.pk}".*?剩\d+个工作日', page, re.S)
    assert re.search(rf'data-id="{done.pk}".*?按期公开', page, re.S)
    monkeypatch.setattr(views_staff, "PAGE_SIZE", 2)
    first = client.get(reverse("disclosure:staff_list"))
    second = client.get(reverse("disclosure:staff_list"), {"page": 2})
    assert len(attrs(first, "document-row", "data-id")) == 2
    assert attrs(second, "document-row", "data-id") == [str(late.pk)]  # oldest formation last
    assert "第2页，共2页" in html(second)


# -- queues and the overdue list ---------------------------------------------------------------------


def test_each_reviewer_sees_the_documents_awaiting_their_role(client, env):
    office = walk(env, create(env, title="待办公室审核的通知"), "office_review")
    secret = walk(env, create(env, title="待保密审查的通知"), "confidentiality_review")
    leader = walk(env, create(env, title="待领导审批的通知"), "leader_approval")
    approved = walk(env, create(env, title="待发布的通知"), "approved")
    draft = create(env, title="草稿通知")
    expected = {
        "zhuren": {"office_review": [office], "approved": [approved], "draft": [draft]},
        "baomi": {"confidentiality_review": [secret]},
        "lingdao": {"leader_approval": [leader]},
        "jingban": {"approved": [approved], "draft": [draft]},
    }
    for username, sections in expected.items():
        as_user(client, env, username)
        response = client.get(reverse("disclosure:staff_queue"))
        shown = set(attrs(response, "queue-section", "data-state"))
        assert set(sections) <= shown, username
        ids = {int(i) for i in attrs(response, "document-row", "data-id")}
        assert ids == {d.pk for docs in sections.values() for d in docs}, username
    as_user(client, env, "baomi")
    assert attrs(client.get(reverse("disclosure:staff_queue")), "queue-section", "data-state") == [
        "confidentiality_review"
    ]


def test_the_overdue_list_holds_only_documents_past_twenty_working_days(client, env):
    late = walk(
        env, create(env, title="寒假安全工作通知", formed_on=date(2026, 1, 5), today=date(2026, 1, 5)), "office_review"
    )
    create(env, title="开学工作通知", formed_on=date(2026, 3, 9))
    publish(
        env,
        create(env, title="早已公开的通知", formed_on=date(2026, 1, 5), today=date(2026, 1, 5)),
        today=date(2026, 1, 7),
    )
    as_user(client, env, "baomi")
    response = client.get(reverse("disclosure:staff_overdue"))
    assert attrs(response, "document-row", "data-id") == [str(late.pk)]
    assert "已逾期" in html(response) and "第二十六条" in html(response)


# -- registering -----------------------------------------------------------------------------------------


def test_the_clerk_registers_a_document_with_attachments(client, env):
    as_user(client, env, "jingban")
    data = form_data(
        env,
        attachments=[
            SimpleUploadedFile("安全提示.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("示意图.png", PNG, "image/png"),
        ],
    )
    response = client.post(reverse("disclosure:staff_create"), data)
    doc = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(doc)
    assert doc.index_number == f"{ORG}/2026-00001" and doc.state == "draft"
    assert doc.topic == "general_affairs" and doc.article20_item == 15  # the column's defaults
    assert doc.channels == ["website", "new_media"] and doc.issuing_office == "示范区教育局"
    files = list(doc.attachments.order_by("id").values_list("original_name", "content_type"))
    assert files == [("安全提示.pdf", "application/pdf"), ("示意图.png", "image/png")]
    assert [d.action for d in doc.decisions.order_by("seq")] == ["create", "attach", "attach"]
    page = html(client.get(response["Location"]))
    assert "安全提示.pdf" in page and f"{ORG}/2026-00001" in page


def test_a_normative_document_without_its_number_is_refused_next_to_the_field_and_nothing_is_lost(client, env):
    as_user(client, env, "jingban")
    data = form_data(
        env,
        kind="normative",
        column=str(env["cols"]["gfxwj"].pk),
        signed_on="2026-03-09",
        title="示范区中小学校课后服务管理办法",
        body="第一条 为规范课后服务，制定本办法。",
    )
    response = client.post(reverse("disclosure:staff_create"), data)
    assert response.status_code == 200 and Document.objects.count() == 0
    assert error_of(response, "doc_number") == "行政规范性文件须填写文号"
    page = html(response)
    assert 'value="示范区中小学校课后服务管理办法"' in page and "第一条 为规范课后服务，制定本办法。" in page
    assert 'value="2026-03-09"' in page  # the dates typed
    assert 'value="normative" selected' in page


def test_a_failed_upload_keeps_the_form_and_asks_for_the_files_again(client, env):
    as_user(client, env, "jingban")
    fake = SimpleUploadedFile("名单.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    good = SimpleUploadedFile("通知.pdf", PDF, "application/pdf")
    response = client.post(reverse("disclosure:staff_create"), form_data(env, attachments=[good, fake]))
    assert response.status_code == 200
    assert Document.objects.count() == 0 and DocumentAttachment.objects.count() == 0
    assert error_of(response, "attachments") == "附件“名单.pdf”的内容与扩展名不符，不是有效的PDF文件"
    page = html(response)
    assert "请重新选择附件" in page and 'data-testid="files-again"' in page
    assert 'value="关于做好2026年清明节假期学校安全工作的通知"' in page
    assert "清明节假期将至" in page
    assert re.search(r'value="new_media"[^>]*checked', page)


def test_an_unsupported_file_type_is_refused_in_chinese(client, env):
    as_user(client, env, "jingban")
    script = SimpleUploadedFile("说明.html", b"<html><script>x</script></html>", "text/html")
    response = client.post(reverse("disclosure:staff_create"), form_data(env, attachments=[script]))
    assert "类型不支持" in error_of(response, "attachments") and Document.objects.count() == 0


def test_a_rule_broken_after_the_files_were_checked_writes_nothing_and_keeps_the_form(client, env):
    as_user(client, env, "jingban")
    data = form_data(env, formed_on="2026-03-11", attachments=[SimpleUploadedFile("通知.pdf", PDF, "application/pdf")])
    response = client.post(reverse("disclosure:staff_create"), data)
    assert response.status_code == 200
    assert error_of(response, "formed_on") == "成文日期2026-03-11晚于今天（2026-03-10）"
    assert Document.objects.count() == 0 and DocumentAttachment.objects.count() == 0
    assert 'data-testid="files-again"' in html(response)


def test_a_manual_index_number_is_checked(client, env):
    create(env, index_number=f"{ORG}/2026-00100")
    as_user(client, env, "jingban")
    taken = client.post(reverse("disclosure:staff_create"), form_data(env, index_number=f"{ORG}/2026-00100"))
    assert error_of(taken, "index_number") == f"索引号“{ORG}/2026-00100”已被使用"
    wrong = client.post(reverse("disclosure:staff_create"), form_data(env, index_number="2026-5"))
    assert "不符合本机关的索引号规则" in error_of(wrong, "index_number")
    ok = client.post(reverse("disclosure:staff_create"), form_data(env, index_number=f"{ORG}/2026-00200"))
    assert ok.status_code == 302 and Document.objects.filter(index_number=f"{ORG}/2026-00200").exists()


def test_required_fields_are_named_in_chinese(client, env):
    as_user(client, env, "jingban")
    response = client.post(reverse("disclosure:staff_create"), form_data(env, title="", formed_on="昨天", column=""))
    assert error_of(response, "title") == "请填写“标题”"
    assert error_of(response, "formed_on") == "“成文日期”应为日期，格式如2026-03-02"
    assert error_of(response, "column") == "请填写“栏目”"
    none = client.post(reverse("disclosure:staff_create"), form_data(env, channels=[]))
    assert error_of(none, "channels") == "请至少选择一个公开渠道"


def test_only_drafters_register(client, env):
    for username in ("baomi", "lingdao"):
        as_user(client, env, username)
        response = client.get(reverse("disclosure:staff_create"))
        assert response.status_code == 403 and "只有经办人或办公室主任可以登记" in html(response)
        assert client.post(reverse("disclosure:staff_create"), form_data(env)).status_code == 403
    assert Document.objects.count() == 0


def test_registering_an_interpretation_starts_from_its_policy(client, env):
    policy = normative(env, needs_interpretation=True)
    as_user(client, env, "jingban")
    page = html(client.get(detail_url(policy)))
    link = reverse("disclosure:staff_create") + f"?interprets={policy.pk}"
    assert f'href="{link}"' in page
    form = html(client.get(link))
    assert f'<option value="{policy.pk}" selected>' in form
    assert f'<option value="{env["cols"]["zcjd"].pk}" selected>' in form  # the 政策解读 column
    data = form_data(
        env,
        title="《示范区中小学校课后服务管理办法》政策解读",
        column=str(env["cols"]["zcjd"].pk),
        interprets=str(policy.pk),
    )
    response = client.post(link, data)
    interpretation = Document.objects.get(interprets=policy)
    assert response["Location"] == detail_url(interpretation)
    # both pages link to each other
    assert f'href="{detail_url(policy)}"' in html(client.get(detail_url(interpretation)))
    policy_page = client.get(detail_url(policy))
    assert attrs(policy_page, "interpretation-link", "data-id") == [str(interpretation.pk)]
    assert attrs(policy_page, "interpretation-ready", "data-ready") == ["no"]


# -- editing -------------------------------------------------------------------------------------------------


def test_a_draft_is_edited_in_place(client, env):
    doc = create(env)
    as_user(client, env, "jingban")
    url = reverse("disclosure:staff_edit", kwargs={"pk": doc.pk})
    form = html(client.get(url))
    assert 'value="关于2026年春季学期开学工作的通知"' in form and "reason" not in re.findall(r'name="(\w+)"', form)
    response = client.post(url, form_data(env, title="关于2026年春季学期开学工作的补充通知", formed_on="2026-03-02"))
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.title == "关于2026年春季学期开学工作的补充通知" and doc.current_version == 1
    assert doc.decisions.order_by("-seq").first().action == "edit"


def test_editing_a_published_document_asks_for_a_reason_and_makes_a_new_version(client, env):
    doc = publish(env, create(env))
    as_user(client, env, "jingban")
    url = reverse("disclosure:staff_edit", kwargs={"pk": doc.pk})
    assert 'data-testid="revision-notice"' in html(client.get(url))
    changed = form_data(
        env,
        title="关于2026年春季学期开学工作的通知（修订）",
        formed_on="2026-03-02",
        body="各中小学：开学时间调整为3月2日。",
    )
    refused = client.post(url, changed)
    assert refused.status_code == 200 and error_of(refused, "reason") == "修改已公开的文件须填写修订理由"
    assert 'value="关于2026年春季学期开学工作的通知（修订）"' in html(refused)
    response = client.post(url, {**changed, "reason": "开学时间调整"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.state, doc.current_version, doc.public_version) == ("draft", 2, 1)
    assert doc.title == "关于2026年春季学期开学工作的通知"  # the public version is untouched
    page = client.get(detail_url(doc))
    assert attrs(page, "version", "data-number") == ["1", "2"]
    assert "开学时间调整" in html(page) and 'data-testid="pending-revision"' in html(page)
    assert "关于2026年春季学期开学工作的通知（修订）" in html(page)  # the working content is shown


def test_files_alone_revise_a_published_document(client, env):
    doc = publish(env, create(env))
    as_user(client, env, "jingban")
    url = reverse("disclosure:staff_edit", kwargs={"pk": doc.pk})
    data = form_data(
        env,
        title=doc.title,
        formed_on="2026-03-02",
        body=doc.body,
        channels=["website"],
        topic="general_affairs",
        article20_item="15",
        attachments=[SimpleUploadedFile("补充材料.pdf", PDF, "application/pdf")],
    )
    refused = client.post(url, data)
    assert error_of(refused, "reason") == "修改已公开的文件须填写修订理由" and doc.attachments.count() == 0
    doc.refresh_from_db()
    assert doc.current_version == 1
    data["attachments"] = [SimpleUploadedFile("补充材料.pdf", PDF, "application/pdf")]
    response = client.post(url, {**data, "reason": "补充附件"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.current_version == 2 and doc.attachments.get().version == 2


def test_a_file_is_removed_from_a_draft(client, env):
    doc = create(env)
    keep, drop = attach(env, doc, "保留.pdf"), attach(env, doc, "删除.pdf")
    as_user(client, env, "jingban")
    url = reverse("disclosure:staff_edit", kwargs={"pk": doc.pk})
    data = form_data(
        env,
        title=doc.title,
        formed_on="2026-03-02",
        body=doc.body,
        channels=["website"],
        remove_attachments=[str(drop.pk)],
    )
    assert client.post(url, data).status_code == 302
    assert list(doc.attachments.values_list("pk", flat=True)) == [keep.pk]


def test_a_document_under_review_cannot_be_edited(client, env):
    doc = walk(env, create(env), "office_review")
    as_user(client, env, "jingban")
    response = client.get(reverse("disclosure:staff_edit", kwargs={"pk": doc.pk}))
    assert response.status_code == 403
    assert "不能修改内容" in html(response)


def test_kind_and_interpretation_links_are_fixed_after_publication(client, env):
    doc = publish(env, normative(env))
    as_user(client, env, "jingban")
    form = html(client.get(reverse("disclosure:staff_edit", kwargs={"pk": doc.pk})))
    assert re.search(r'<select name="kind"[^>]*disabled', form)
    assert re.search(r'<select name="interprets"[^>]*disabled', form)


# -- the document page and its moves ------------------------------------------------------------------------


def test_the_page_offers_one_form_per_available_move(client, env):
    doc = walk(env, create(env), "office_review")
    as_user(client, env, "zhuren")
    page = client.get(detail_url(doc))
    expected = [a.value for a in available_actions("office_review", HEAD, selectors.document_facts(doc))]
    assert attrs(page, "action-form", "data-action") == expected
    assert "office_return" in expected and "office_approve" in expected
    for action in expected:
        assert f'action="{act_url(doc, action)}"' in html(page)
    as_user(client, env, "baomi")
    assert attrs(client.get(detail_url(doc)), "action-form", "data-action") == []


def test_a_return_needs_a_comment_and_is_logged_with_who_when_and_role(client, env):
    doc = walk(env, create(env), "office_review")
    as_user(client, env, "zhuren")
    refused = client.post(act_url(doc, "office_return"), {"comment": "  "})
    assert refused.status_code == 200 and error_of(refused, "comment") == "请填写“审核意见”"
    doc.refresh_from_db()
    assert doc.state == "office_review"
    response = client.post(act_url(doc, "office_return"), {"comment": "请补充联系电话"})
    assert response.status_code == 302
    doc.refresh_from_db()
    decision = doc.decisions.order_by("-seq").first()
    assert (doc.state, decision.action, decision.comment, decision.actor_label, decision.role, decision.result) == (
        "returned",
        "office_return",
        "请补充联系电话",
        "李华",
        "office_head",
        "returned",
    )
    page = html(client.get(detail_url(doc)))
    assert re.search(r"李华</td><td>办公室主任</td>\s*<td[^>]*>办公室主任退回修改</td>", page)
    assert "请补充联系电话" in page


def test_a_confidentiality_failure_needs_a_reason(client, env):
    doc = walk(env, create(env), "confidentiality_review")
    as_user(client, env, "baomi")
    refused = client.post(act_url(doc, "confidentiality_fail"), {"concern": "third_party"})
    assert error_of(refused, "reason") == "请填写“理由”"
    ok = client.post(act_url(doc, "confidentiality_fail"), {"reason": "含学生身份证号码", "concern": "third_party"})
    assert ok.status_code == 302
    page = html(client.get(detail_url(doc)))
    assert "含学生身份证号码" in page and "涉及商业秘密、个人隐私" in page


def test_publishing_asks_for_confirmation(client, env):
    doc = walk(env, create(env), "approved")
    as_user(client, env, "zhuren")
    refused = client.post(act_url(doc, "publish"), {"published_on": "2026-03-10"})
    assert error_of(refused, "confirm_irreversible").startswith("此操作不可撤销")
    doc.refresh_from_db()
    assert doc.state == "approved"
    future = client.post(act_url(doc, "publish"), {"published_on": "2026-03-11", "confirm_irreversible": "on"})
    assert error_of(future, "published_on") == "公开日期2026-03-11晚于今天（2026-03-10）"
    ok = client.post(act_url(doc, "publish"), {"published_on": "2026-03-10", "confirm_irreversible": "on"})
    assert ok.status_code == 302
    doc.refresh_from_db()
    assert doc.state == "published" and doc.is_public and doc.published_on == TODAY


def test_a_policy_waits_for_its_interpretation(client, env):
    policy = walk(env, normative(env, needs_interpretation=True), "approved")
    interpretation = walk(
        env, create(env, column="zcjd", title="《课后服务管理办法》政策解读", interprets=policy), "leader_approval"
    )
    as_user(client, env, "zhuren")
    page = client.get(detail_url(policy))
    assert "关联的解读材料尚未经领导审批" in html(page)
    assert attrs(page, "interpretation-ready", "data-ready") == ["no"]
    refused = client.post(act_url(policy, "publish"), {"published_on": "2026-03-10", "confirm_irreversible": "on"})
    assert refused.status_code == 200
    assert "本政策文件须与政策解读同步发布" in html(refused) and 'data-testid="form-errors"' in html(refused)
    policy.refresh_from_db()
    assert policy.state == "approved"
    move(env, interpretation, "leader_approve", "leader")
    assert attrs(client.get(detail_url(policy)), "interpretation-ready", "data-ready") == ["yes"]
    ok = client.post(act_url(policy, "publish"), {"published_on": "2026-03-10", "confirm_irreversible": "on"})
    assert ok.status_code == 302
    policy.refresh_from_db()
    assert policy.is_public


def test_a_move_not_open_to_the_user_is_refused_in_chinese(client, env):
    doc = walk(env, create(env), "office_review")
    as_user(client, env, "baomi")
    response = client.post(act_url(doc, "office_approve"), {})
    assert response.status_code == 403 and "应由办公室主任操作" in html(response)
    as_user(client, env, "zhuren")
    wrong_state = client.get(act_url(doc, "publish"))
    assert wrong_state.status_code == 403 and "不能“发布公开”" in html(wrong_state)
    assert client.get(act_url(doc, "fly")).status_code == 404
    doc.refresh_from_db()
    assert doc.state == "office_review"


def test_a_published_document_is_taken_down_with_a_reason(client, env):
    doc = publish(env, create(env))
    as_user(client, env, "zhuren")
    page = client.get(act_url(doc, "unpublish"))
    assert page.status_code == 200 and 'name="confirm_irreversible"' in html(page)
    refused = client.post(act_url(doc, "unpublish"), {"unpublished_on": "2026-03-10", "confirm_irreversible": "on"})
    assert error_of(refused, "reason") == "请填写“理由”"
    ok = client.post(
        act_url(doc, "unpublish"),
        {"reason": "内容已过时", "unpublished_on": "2026-03-10", "confirm_irreversible": "on"},
    )
    assert ok.status_code == 302
    doc.refresh_from_db()
    assert (doc.state, doc.is_public, doc.unpublish_reason) == ("unpublished", False, "内容已过时")


def test_the_page_shows_metadata_clock_attachments_and_blockers(client, env):
    doc = normative(env)
    attach(env, doc, "课后服务管理办法.pdf")
    as_user(client, env, "jingban")
    page = html(client.get(detail_url(doc)))
    for text in (
        f"{ORG}/2026-00001",
        "示教发〔2026〕3号",
        "行政规范性文件",
        "现行有效",
        "（一）行政法规、规章和规范性文件",
        "课后服务管理办法.pdf",
        "本文件尚未通过保密审查，不得公开",
    ):
        assert text in page, text
    # formed 2026-03-02: 20 working days → 2026-03-30
    assert 'data-due="2026-03-30"' in page and "剩" in page


def test_staff_download_their_attachments_safely(client, env):
    doc = create(env)
    att = attach(env, doc, "通知<原件>.pdf")
    as_user(client, env, "baomi")
    response = client.get(reverse("disclosure:staff_attachment", kwargs={"pk": doc.pk, "att_pk": att.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    other = create(env, title="另一份")
    assert (
        client.get(reverse("disclosure:staff_attachment", kwargs={"pk": other.pk, "att_pk": att.pk})).status_code == 404
    )


# -- validity ------------------------------------------------------------------------------------------------


def test_a_published_normative_document_is_repealed_with_date_and_document(client, env):
    doc = publish(env, normative(env))
    url = reverse("disclosure:staff_validity", kwargs={"pk": doc.pk})
    as_user(client, env, "jingban")
    assert 'data-testid="validity-form"' in html(client.get(detail_url(doc)))
    unconfirmed = client.post(
        url, {"validity": "repealed", "changed_on": "2026-03-10", "changed_by": "示教发〔2026〕9号"}
    )
    assert "请勾选确认" in error_of(unconfirmed, "confirm_irreversible")
    missing = client.post(url, {"validity": "repealed", "changed_on": "2026-03-10", "confirm_irreversible": "on"})
    assert error_of(missing, "changed_by") == "请填写废止本文件的文件名称或文号"
    early = client.post(url, {"validity": "amended", "changed_on": "2026-03-01", "changed_by": "示教发〔2026〕9号"})
    assert error_of(early, "changed_on") == "修改日期2026-03-01早于文件签发日期2026-03-02"
    ok = client.post(
        url,
        {
            "validity": "repealed",
            "changed_on": "2026-03-10",
            "changed_by": "示教发〔2026〕9号",
            "confirm_irreversible": "on",
        },
    )
    assert ok.status_code == 302
    doc.refresh_from_db()
    assert (doc.validity, doc.validity_changed_on, doc.repealed_by) == ("repealed", TODAY, "示教发〔2026〕9号")
    page = html(client.get(detail_url(doc)))
    assert "已废止（2026-03-10，示教发〔2026〕9号）" in page and 'data-testid="validity-form"' not in page


def test_validity_is_only_for_published_regulations_and_normative_documents(client, env):
    as_user(client, env, "jingban")
    other = publish(env, create(env))
    draft = normative(env)
    for doc, message in ((other, "只有规章和行政规范性文件标注有效性"), (draft, "文件尚未公开")):
        response = client.post(
            reverse("disclosure:staff_validity", kwargs={"pk": doc.pk}),
            {"validity": "lapsed", "changed_on": "2026-03-10", "confirm_irreversible": "on"},
        )
        assert response.status_code == 403 and message in html(response)
    assert 'data-testid="validity-form"' not in html(client.get(detail_url(other)))


# -- table 二 figures --------------------------------------------------------------------------------------------


def test_the_years_figures_are_entered_and_table_two_is_shown(client, env):
    publish(env, normative(env))
    publish(env, create(env))
    as_user(client, env, "jingban")
    url = reverse("disclosure:staff_figures", kwargs={"year": 2026})
    page = client.get(url)
    names = re.findall(r'<input[^>]*name="(\w+)"', html(page))
    assert [n for n in names if n != "csrfmiddlewaretoken"] == [
        "licensing_decisions",
        "penalty_decisions",
        "coercion_decisions",
        "fee_amount",
    ]
    assert "本年度主动公开政府信息2条" in html(page)
    assert re.search(
        r'data-row="normative_documents"><th>行政规范性文件</th>'
        r'<td class="num" data-testid="cell">1</td><td class="num" data-testid="cell">0</td>'
        r'<td class="num" data-testid="cell">1</td>',
        html(page),
    )
    bad = client.post(
        url, {"licensing_decisions": "-1", "penalty_decisions": "两", "coercion_decisions": "", "fee_amount": "1.23456"}
    )
    assert error_of(bad, "licensing_decisions") == "“行政许可本年处理决定数量”不能小于0"
    assert error_of(bad, "penalty_decisions") == "“行政处罚本年处理决定数量”应为整数"
    assert error_of(bad, "coercion_decisions") == "请填写“行政强制本年处理决定数量”"
    assert error_of(bad, "fee_amount") == "“行政事业性收费本年收费金额（万元）”最多保留4位小数"
    assert 'value="两"' in html(bad) and not AnnualFigures.objects.filter(year=2026).exists()
    ok = client.post(
        url, {"licensing_decisions": "12", "penalty_decisions": "3", "coercion_decisions": "0", "fee_amount": "1.5"}
    )
    assert ok.status_code == 302
    figures = AnnualFigures.objects.get(agency=env["agency"], year=2026)
    assert (figures.licensing_decisions, figures.penalty_decisions, figures.fee_amount) == (12, 3, Decimal("1.5"))
    again = html(client.get(url))
    assert 'value="12"' in again
    assert 'data-row="administrative_licensing"><th>行政许可</th><td class="num" data-testid="cell">12</td>' in again


def test_the_2019_format_years_ask_for_the_extra_items(client, env):
    as_user(client, env, "zhuren")
    page = html(client.get(reverse("disclosure:staff_figures", kwargs={"year": 2020})))
    for name in ("licensing_items_last_year", "other_services_decisions", "procurement_amount", "fee_items_change"):
        assert f'name="{name}"' in page, name
    response = client.post(
        reverse("disclosure:staff_figures", kwargs={"year": 2020}),
        {
            "licensing_decisions": "5",
            "penalty_decisions": "1",
            "coercion_decisions": "0",
            "fee_amount": "0",
            "licensing_items_last_year": "8",
            "licensing_items_change": "-2",
            "procurement_amount": "120.5",
        },
    )
    assert response.status_code == 302
    saved = AnnualFigures.objects.get(year=2020)
    assert (saved.licensing_items_change, saved.procurement_amount, saved.fee_items_change) == (
        -2,
        Decimal("120.5"),
        None,
    )
    assert 'name="licensing_items_last_year"' not in html(
        client.get(reverse("disclosure:staff_figures", kwargs={"year": 2021}))
    )


def test_figures_are_read_only_for_reviewers_and_years_are_bounded(client, env):
    as_user(client, env, "lingdao")
    url = reverse("disclosure:staff_figures", kwargs={"year": 2026})
    assert 'data-testid="figures-form"' not in html(client.get(url))
    refused = client.post(
        url, {"licensing_decisions": "1", "penalty_decisions": "0", "coercion_decisions": "0", "fee_amount": "0"}
    )
    assert refused.status_code == 403 and not AnnualFigures.objects.exists()
    assert client.get(reverse("disclosure:staff_figures", kwargs={"year": 2018})).status_code == 404
    assert client.get(reverse("disclosure:staff_figures", kwargs={"year": 2027})).status_code == 404
    current = client.get(reverse("disclosure:staff_figures_current"))
    assert current["Location"] == url


# -- the dashboard -----------------------------------------------------------------------------------------------


def test_the_dashboard_counts_what_awaits_each_role_and_what_is_overdue(client, env):
    walk(
        env, create(env, title="寒假安全工作通知", formed_on=date(2026, 1, 5), today=date(2026, 1, 5)), "office_review"
    )
    walk(env, create(env), "confidentiality_review")
    walk(env, create(env), "leader_approval")
    create(env)
    expected = {"zhuren": 2, "baomi": 1, "lingdao": 1, "jingban": 1}  # zhuren: office review + a draft
    for username, waiting in expected.items():
        as_user(client, env, username)
        response = client.get(reverse("accounts:dashboard"))
        counts = dict(
            zip(attrs(response, "document-count", "data-count"), attrs(response, "document-count", "data-value"))
        )
        assert counts == {"documents_queue": str(waiting), "documents_overdue": "1"}, username
        assert reverse("disclosure:staff_queue") in html(response)
        assert reverse("disclosure:staff_overdue") in html(response)
    as_user(client, env, "jiandu")
    assert attrs(client.get(reverse("accounts:dashboard")), "document-count", "data-count") == []
