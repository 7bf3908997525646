"""The disclosure services: one transaction per write, checked by the domain, logged forever;
versions after publication; queues, clocks, the public column, search, and table 二 figures."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Agency
from gongkai.disclosure import selectors, services
from gongkai.disclosure.models import (
    AnnualFigures,
    Column,
    Document,
    DocumentAttachment,
    DocumentVersion,
    ReviewDecision,
)
from gongkai.domain.clocks import DeadlineStatus
from gongkai.domain.consistency import audit
from gongkai.domain.disclosure.attachments import AttachmentError
from gongkai.domain.disclosure.catalogue import RegistrationError
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.report_format import format_for_year
from tests.factories import EDU, HEALTH, bureau, disclosure_ready

pytestmark = pytest.mark.django_db

ORG = "11110199MB0000015X"
CLERK, HEAD, LEADER, REVIEWER = {"clerk"}, {"office_head"}, {"leader"}, {"confidentiality_reviewer"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def env():
    cast = bureau()
    cols = disclosure_ready(cast.agency, organisation_code=ORG)
    return {"agency": cast.agency, "users": cast.people, "cols": cols}


def create(env, column="gggs", formed_on=date(2026, 3, 2), today=date(2026, 3, 2), **kw):
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


def move(env, doc, action, who, today, **fields):
    user, roles = {
        "clerk": ("jingban", CLERK),
        "head": ("zhuren", HEAD),
        "leader": ("lingdao", LEADER),
        "reviewer": ("baomi", REVIEWER),
    }[who]
    return services.document_transition(
        document=doc, action=action, actor=env["users"][user], actor_roles=roles, fields=fields, today=today
    )


def approve(env, doc, today):
    """Walk a draft through the three levels of review to 已批准待公开."""
    move(env, doc, "submit", "clerk", today)
    move(env, doc, "office_approve", "head", today)
    move(env, doc, "confidentiality_pass", "reviewer", today)
    move(env, doc, "leader_approve", "leader", today)
    doc.refresh_from_db()
    return doc


def publish(env, doc, today, on=None):
    if doc.state in ("draft", "returned"):
        approve(env, doc, today)
    move(env, doc, "publish", "head", today, published_on=on or today)
    doc.refresh_from_db()
    return doc


# -- configuration and registration ------------------------------------------------------------------


def test_the_default_column_tree_is_installed_once(env):
    assert services.column_tree_install(agency=env["agency"]) == 0
    tree = selectors.column_tree(env["agency"])
    names = [c.name for c, _children in tree]
    assert names[:4] == ["机构职能", "政策文件", "政策解读", "规划计划"]
    finance = dict((c.slug, kids) for c, kids in tree)["czyjs"]
    assert [c.name for c in finance] == ["部门预算", "部门决算", "三公经费"]


def test_registration_numbers_documents_by_the_pattern_and_logs_it(env):
    a = create(env)
    b = create(env, title="关于2026年清明节假期安全工作的通知")
    old = create(env, formed_on=date(2025, 12, 30), title="2025年教育工作总结")
    assert a.index_number == f"{ORG}/2026-00001" and b.index_number == f"{ORG}/2026-00002"
    assert old.index_number == f"{ORG}/2025-00001"
    assert a.state == "draft" and a.current_version == 1 and not a.is_public
    assert a.topic == "general_affairs" and a.article20_item == 15  # defaults of 公告公示
    assert a.issuing_office == "示范区教育局" and a.top_column == env["cols"]["gggs"]
    entry = a.decisions.get()
    assert (entry.action, entry.to_state, entry.actor_label, entry.role) == ("create", "draft", "张敏", "clerk")
    assert a.history.count() == 1


def test_a_normative_document_is_item_one_and_in_force(env):
    doc = create(env, column="gfxwj", kind="normative", signed_on=date(2026, 3, 2), doc_number="示教发〔2026〕3号")
    assert doc.article20_item == 1 and doc.validity == "in_force" and doc.top_column == env["cols"]["zcwj"]


def test_a_given_index_number_is_checked_and_unique(env):
    doc = create(env, index_number=f"{ORG}/2026-00100")
    assert (doc.index_year, doc.index_seq) == (2026, 100)
    assert create(env).index_seq == 101  # numbering continues after the highest
    with pytest.raises(RegistrationError, match="已被使用"):
        create(env, index_number=f"{ORG}/2026-00100")
    with pytest.raises(RegistrationError, match="机构代码应为"):
        create(env, index_number="11110000000000000X/2026-00005")
    with pytest.raises(RegistrationError, match="不符合"):
        create(env, index_number="2026-5")
    assert Document.objects.count() == 2


def test_bad_registrations_write_nothing(env):
    with pytest.raises(RegistrationError, match="签发日期"):
        create(env, column="gfxwj", kind="normative", doc_number="示教发〔2026〕3号")
    with pytest.raises(RegistrationError, match="晚于今天"):
        create(env, formed_on=date(2026, 3, 3))
    with pytest.raises(TransitionNotAllowed, match="经办人或办公室主任"):
        services.document_create(
            agency=env["agency"],
            actor=env["users"]["lingdao"],
            actor_roles=LEADER,
            column=env["cols"]["gggs"],
            title="x",
            formed_on=date(2026, 3, 2),
            today=date(2026, 3, 2),
        )
    other = Agency.objects.get(code=HEALTH)
    foreign = Column.objects.create(agency=other, slug="gggs", name="公告公示")
    with pytest.raises(RegistrationError, match="不属于"):
        services.document_create(
            agency=env["agency"],
            actor=None,
            actor_roles=CLERK,
            column=foreign,
            title="x",
            formed_on=date(2026, 3, 2),
            today=date(2026, 3, 2),
        )
    assert Document.objects.count() == 0 and ReviewDecision.objects.count() == 0


# -- the review ----------------------------------------------------------------------------------------


def test_the_full_walk_logs_every_decision(env):
    doc = create(env)
    move(env, doc, "submit", "clerk", date(2026, 3, 2))
    move(env, doc, "office_return", "head", date(2026, 3, 3), comment="请补充联系电话")
    move(env, doc, "resubmit", "clerk", date(2026, 3, 3), comment="已补充")
    move(env, doc, "office_approve", "head", date(2026, 3, 4))
    move(
        env,
        doc,
        "confidentiality_fail",
        "reviewer",
        date(2026, 3, 4),
        reason="附件含学生身份证号",
        concern="third_party",
    )
    move(env, doc, "resubmit", "clerk", date(2026, 3, 5))
    move(env, doc, "office_approve", "head", date(2026, 3, 5))
    move(env, doc, "confidentiality_pass", "reviewer", date(2026, 3, 6), comment="不涉密")
    move(env, doc, "leader_approve", "leader", date(2026, 3, 6))
    move(env, doc, "publish", "head", date(2026, 3, 9), published_on=date(2026, 3, 9))
    doc.refresh_from_db()
    assert doc.state == "published" and doc.is_public and doc.public_version == 1
    assert doc.published_on == date(2026, 3, 9) and doc.confidentiality_passed_version == 1
    log = list(selectors.decisions_of(doc))
    assert [e.action for e in log] == [
        "create",
        "submit",
        "office_return",
        "resubmit",
        "office_approve",
        "confidentiality_fail",
        "resubmit",
        "office_approve",
        "confidentiality_pass",
        "leader_approve",
        "publish",
    ]
    fail = log[5]
    assert (fail.role, fail.result, fail.comment, fail.fields) == (
        "confidentiality_reviewer",
        "failed",
        "附件含学生身份证号",
        {"concern": "third_party"},
    )
    assert (fail.from_state, fail.to_state, fail.actor_label) == ("confidentiality_review", "returned", "赵静")
    assert log[2].comment == "请补充联系电话" and log[2].result == "returned"
    assert log[8].result == "passed" and log[9].result == "approved" and log[9].role == "leader"
    assert log[10].fields == {"published_on": "2026-03-09"}
    assert [e.seq for e in log] == list(range(1, 12)) and {e.version for e in log} == {1}
    assert doc.history.count() == 11


def test_a_refused_move_writes_nothing(env):
    doc = create(env)
    with pytest.raises(TransitionNotAllowed, match="不能“办公室主任审核通过”"):
        move(env, doc, "office_approve", "head", date(2026, 3, 2))
    move(env, doc, "submit", "clerk", date(2026, 3, 2))
    with pytest.raises(TransitionNotAllowed, match="应由办公室主任操作"):
        move(env, doc, "office_approve", "clerk", date(2026, 3, 2))
    with pytest.raises(DomainError, match="审核意见"):
        move(env, doc, "office_return", "head", date(2026, 3, 2))
    doc.refresh_from_db()
    assert doc.state == "office_review" and doc.decisions.count() == 2


def test_the_service_refuses_to_publish_without_a_confidentiality_pass_for_the_current_version(env):
    doc = approve(env, create(env), date(2026, 3, 2))
    # whatever happened to the data (an admin edit, a bug), the domain rule holds at publication
    Document.objects.filter(pk=doc.pk).update(confidentiality_passed_version=None)
    with pytest.raises(TransitionNotAllowed, match="尚未通过保密审查"):
        move(env, doc, "publish", "head", date(2026, 3, 2), published_on=date(2026, 3, 2))
    Document.objects.filter(pk=doc.pk).update(confidentiality_passed_version=1, current_version=2)
    with pytest.raises(TransitionNotAllowed, match="第1版，当前为第2版"):
        move(env, doc, "publish", "head", date(2026, 3, 2), published_on=date(2026, 3, 2))
    doc.refresh_from_db()
    assert doc.state == "approved" and not doc.is_public and doc.decisions.filter(action="publish").count() == 0


def test_an_edit_after_the_confidentiality_pass_voids_it(env):
    doc = create(env)
    move(env, doc, "submit", "clerk", date(2026, 3, 2))
    move(env, doc, "office_approve", "head", date(2026, 3, 2))
    move(env, doc, "confidentiality_pass", "reviewer", date(2026, 3, 2))
    move(env, doc, "leader_return", "leader", date(2026, 3, 3), comment="标题再斟酌")
    doc.refresh_from_db()
    assert doc.confidentiality_passed_version == 1
    services.document_update(
        document=doc,
        actor=env["users"]["jingban"],
        actor_roles=CLERK,
        changes={"title": "关于做好2026年春季学期开学工作的通知"},
        today=date(2026, 3, 3),
    )
    doc.refresh_from_db()
    assert doc.confidentiality_passed_version is None and doc.current_version == 1
    assert doc.title == "关于做好2026年春季学期开学工作的通知" and not doc.versions.exists()  # a draft: in place
    assert doc.history.first().title == doc.title and doc.history.count() >= 2
    assert doc.decisions.order_by("-seq").first().fields == {"changed": ["title"]}


def test_nothing_is_edited_under_review(env):
    doc = create(env)
    move(env, doc, "submit", "clerk", date(2026, 3, 2))
    with pytest.raises(TransitionNotAllowed, match="不能修改内容"):
        services.document_update(
            document=doc, actor=None, actor_roles=CLERK, changes={"title": "新标题"}, today=date(2026, 3, 2)
        )
    with pytest.raises(DomainError, match="不能修改的字段"):
        services.document_update(
            document=doc, actor=None, actor_roles=CLERK, changes={"state": "published"}, today=date(2026, 3, 2)
        )


def test_withdrawal_and_unpublishing(env):
    dropped = create(env, title="拟撤回的通知")
    move(env, dropped, "submit", "clerk", date(2026, 3, 2))
    move(env, dropped, "withdraw", "clerk", date(2026, 3, 2), reason="活动取消，不再发布")
    dropped.refresh_from_db()
    assert dropped.state == "withdrawn" and not dropped.is_public
    doc = publish(env, create(env), date(2026, 3, 3))
    with pytest.raises(TransitionNotAllowed, match="下架（停止公开）"):
        move(env, doc, "withdraw", "clerk", date(2026, 3, 4), reason="x")
    move(env, doc, "unpublish", "head", date(2026, 3, 10), reason="通知内容已过时效", unpublished_on=date(2026, 3, 10))
    doc.refresh_from_db()
    assert doc.state == "unpublished" and not doc.is_public
    assert (doc.unpublished_on, doc.unpublish_reason) == (date(2026, 3, 10), "通知内容已过时效")
    assert selectors.public_document(agency=env["agency"], pk=doc.pk) is None
    assert list(selectors.public_documents(agency=env["agency"])) == []
    with pytest.raises(TransitionNotAllowed, match="已下架"):
        move(env, doc, "revise", "clerk", date(2026, 3, 11), reason="x")


# -- versions after publication --------------------------------------------------------------------------


def test_editing_a_published_document_makes_a_new_version_reviewed_before_it_replaces_the_public_one(env):
    clerk = env["users"]["jingban"]
    doc = publish(env, create(env), date(2026, 3, 2))
    first_title = doc.title
    with pytest.raises(RegistrationError, match="修订理由"):
        services.document_update(
            document=doc, actor=clerk, actor_roles=CLERK, changes={"title": "新"}, today=date(2026, 3, 5)
        )
    services.document_update(
        document=doc,
        actor=clerk,
        actor_roles=CLERK,
        reason="开学时间调整",
        changes={"title": "关于2026年春季学期开学工作的补充通知", "body": "开学时间调整为3月9日。"},
        today=date(2026, 3, 5),
    )
    doc.refresh_from_db()
    # the public still sees version 1, unchanged
    assert doc.state == "draft" and doc.is_public and doc.public_version == 1 and doc.current_version == 2
    public = selectors.public_document(agency=env["agency"], pk=doc.pk)
    assert public.title == first_title and public.revised_on is None
    assert selectors.search_public_documents(agency=env["agency"], query="补充通知").documents == []
    pending = selectors.pending_revision(doc)
    assert (pending.number, pending.title, pending.reason, pending.published_on) == (
        2,
        "关于2026年春季学期开学工作的补充通知",
        "开学时间调整",
        None,
    )
    assert selectors.working_content(doc)["body"] == "开学时间调整为3月9日。"
    v1 = doc.versions.get(number=1)
    assert v1.title == first_title and v1.published_on == date(2026, 3, 2) and v1.is_frozen
    # the new version needs its own confidentiality review
    assert selectors.document_facts(doc).confidentiality_passed_version == 1
    approve(env, doc, date(2026, 3, 6))
    move(env, doc, "publish", "head", date(2026, 3, 9), published_on=date(2026, 3, 9))
    doc.refresh_from_db()
    assert doc.title == "关于2026年春季学期开学工作的补充通知" and doc.body == "开学时间调整为3月9日。"
    assert (doc.public_version, doc.current_version, doc.revised_on, doc.published_on) == (
        2,
        2,
        date(2026, 3, 9),
        date(2026, 3, 2),
    )
    assert [(v.number, v.published_on) for v in selectors.versions_of(doc)] == [
        (1, date(2026, 3, 2)),
        (2, date(2026, 3, 9)),
    ]
    assert [d.version for d in doc.decisions.filter(action__in=["revise", "publish"]).order_by("seq")] == [1, 2, 2]
    # published versions are frozen
    v2 = doc.versions.get(number=2)
    v2.title = "悄悄改动"
    with pytest.raises(ValidationError):
        v2.save()
    with pytest.raises(ValidationError):
        v1.delete()
    # a second revision keeps numbering
    services.document_update(
        document=doc,
        actor=clerk,
        actor_roles=CLERK,
        reason="更正错字",
        changes={"body": "开学时间调整为2026年3月9日。"},
        today=date(2026, 3, 10),
    )
    doc.refresh_from_db()
    assert doc.current_version == 3 and doc.versions.count() == 3


def test_the_kind_is_fixed_once_published(env):
    doc = publish(env, create(env), date(2026, 3, 2))
    with pytest.raises(DomainError, match="文件类别"):
        services.document_update(
            document=doc,
            actor=None,
            actor_roles=CLERK,
            changes={"kind": "normative"},
            reason="x",
            today=date(2026, 3, 3),
        )


def test_a_discarded_revision_leaves_the_public_version_and_its_files(env):
    clerk = env["users"]["jingban"]
    doc = create(env)
    kept = services.attachment_add(document=doc, name="开学安排.pdf", data=PDF, actor=clerk, actor_roles=CLERK)
    publish(env, doc, date(2026, 3, 2))
    services.document_transition(
        document=doc,
        action="revise",
        actor=clerk,
        actor_roles=CLERK,
        fields={"reason": "更换附件"},
        today=date(2026, 3, 3),
    )
    doc.refresh_from_db()
    new = services.attachment_add(document=doc, name="新安排.pdf", data=PDF, actor=clerk, actor_roles=CLERK)
    services.attachment_remove(attachment=kept, actor=clerk, actor_roles=CLERK)
    assert [a.original_name for a in selectors.working_attachments(doc)] == ["新安排.pdf"]
    assert [a.original_name for a in selectors.public_attachments(doc)] == ["开学安排.pdf"]
    move(env, doc, "discard_revision", "clerk", date(2026, 3, 4), reason="维持原安排")
    doc.refresh_from_db()
    assert doc.state == "published" and doc.current_version == doc.public_version == 1
    assert doc.confidentiality_passed_version == 1
    assert [a.original_name for a in selectors.public_attachments(doc)] == ["开学安排.pdf"]
    assert doc.versions.get(number=2).discarded_on == date(2026, 3, 4)
    # the next revision gets a new number, and the dropped file stays out
    services.document_transition(
        document=doc,
        action="revise",
        actor=clerk,
        actor_roles=CLERK,
        fields={"reason": "再次修订"},
        today=date(2026, 3, 5),
    )
    doc.refresh_from_db()
    assert doc.current_version == 3
    publish(env, doc, date(2026, 3, 6))
    assert [a.original_name for a in selectors.public_attachments(doc)] == ["开学安排.pdf"]
    assert DocumentAttachment.objects.get(pk=new.pk).in_version(3) is False


# -- attachments -------------------------------------------------------------------------------------------


def docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_attachments_are_checked_and_stored_under_a_random_name(env):
    doc = create(env)
    att = services.attachment_add(
        document=doc, name="C:\\temp\\实施办法.docx", data=docx(), actor=None, actor_roles=CLERK
    )
    assert att.original_name == "实施办法.docx" and att.size == len(docx()) and att.version == 1
    assert att.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "实施办法" not in att.file.name and att.file.name.endswith(".docx")
    assert att.file.read() == docx()
    for name, data, words in (
        ("a.exe", b"MZ", "类型不支持"),
        ("a.pdf", b"<html>", "内容与扩展名不符"),
        ("a.pdf", b"", "空文件"),
    ):
        with pytest.raises(AttachmentError, match=words):
            services.attachment_add(document=doc, name=name, data=data, actor=None, actor_roles=CLERK)
    assert doc.attachments.count() == 1
    publish(env, doc, date(2026, 3, 2))
    with pytest.raises(TransitionNotAllowed, match="修订"):
        services.attachment_add(document=doc, name="b.pdf", data=PDF, actor=None, actor_roles=CLERK)
    assert [a.pk for a in selectors.public_attachments(doc)] == [att.pk]


def test_removing_a_draft_file_deletes_it(env, django_capture_on_commit_callbacks):
    doc = create(env)
    att = services.attachment_add(document=doc, name="a.pdf", data=PDF, actor=None, actor_roles=CLERK)
    storage, name = att.file.storage, att.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=att, actor=None, actor_roles=CLERK)
    assert not doc.attachments.exists() and not storage.exists(name)
    assert list(doc.decisions.values_list("action", flat=True)) == ["create", "attach", "detach"]


# -- the interpretation rule -------------------------------------------------------------------------------


def test_a_policy_waits_for_its_interpretation_and_both_show_each_other(env):
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
    )
    approve(env, policy, date(2026, 4, 2))
    with pytest.raises(TransitionNotAllowed, match="政策解读"):
        move(env, policy, "publish", "head", date(2026, 4, 3), published_on=date(2026, 4, 3))
    reading = create(
        env,
        column="zcjd",
        title="《示范区义务教育阶段学校招生入学工作实施办法》政策解读",
        interprets=policy,
        formed_on=date(2026, 4, 1),
        today=date(2026, 4, 1),
    )
    move(env, reading, "submit", "clerk", date(2026, 4, 2))
    move(env, reading, "office_approve", "head", date(2026, 4, 2))
    move(env, reading, "confidentiality_pass", "reviewer", date(2026, 4, 2))
    with pytest.raises(TransitionNotAllowed, match="政策解读"):  # in leader approval: not yet approved
        move(env, policy, "publish", "head", date(2026, 4, 3), published_on=date(2026, 4, 3))
    move(env, reading, "leader_approve", "leader", date(2026, 4, 3))
    with pytest.raises(TransitionNotAllowed, match="同步发布"):  # not before its policy
        move(env, reading, "publish", "head", date(2026, 4, 3), published_on=date(2026, 4, 3))
    move(env, policy, "publish", "head", date(2026, 4, 3), published_on=date(2026, 4, 3))
    policy.refresh_from_db()
    assert policy.is_public
    # 同步发布: the approved interpretation went public with it, the same day, with its own decision
    reading.refresh_from_db()
    assert (reading.state, reading.is_public, reading.published_on) == ("published", True, date(2026, 4, 3))
    assert [d.pk for d in selectors.public_interpretations(policy)] == [reading.pk]
    last = reading.decisions.order_by("-seq").first()
    assert last.action == "publish" and "同步发布" in last.comment and last.actor == env["users"]["zhuren"]
    assert selectors.public_policy_of(Document.objects.get(pk=reading.pk)).pk == policy.pk
    with pytest.raises(RegistrationError, match="本身是政策解读"):
        create(env, column="zcjd", title="解读的解读", interprets=reading)


# -- validity ----------------------------------------------------------------------------------------------


def test_repealing_a_published_normative_document(env):
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
    with pytest.raises(DomainError, match="尚未公开"):
        services.document_change_validity(
            document=old,
            actor=None,
            actor_roles=CLERK,
            validity="repealed",
            changed_on=date(2022, 3, 2),
            changed_by="x",
            today=date(2022, 3, 2),
        )
    publish(env, old, date(2022, 3, 4))
    with pytest.raises(DomainError, match="废止本文件"):
        services.document_change_validity(
            document=old,
            actor=None,
            actor_roles=CLERK,
            validity="repealed",
            changed_on=date(2026, 5, 1),
            changed_by="",
            today=date(2026, 5, 6),
        )
    services.document_change_validity(
        document=old,
        actor=env["users"]["jingban"],
        actor_roles=CLERK,
        validity="repealed",
        changed_on=date(2026, 5, 1),
        changed_by="示教发〔2026〕9号",
        today=date(2026, 5, 6),
    )
    old.refresh_from_db()
    assert (old.validity, old.validity_changed_on, old.repealed_by, old.validity_label) == (
        "repealed",
        date(2026, 5, 1),
        "示教发〔2026〕9号",
        "已废止",
    )
    assert old.is_public  # repealed documents stay on the column, marked 已废止
    entry = old.decisions.order_by("-seq").first()
    assert (entry.action, entry.comment, entry.fields["validity"]) == (
        "change_validity",
        "示教发〔2026〕9号",
        "repealed",
    )


# -- queues and clocks -------------------------------------------------------------------------------------


def test_each_role_sees_its_queue(env):
    draft = create(env, title="草稿")
    office = create(env, title="待办公室审核")
    move(env, office, "submit", "clerk", date(2026, 3, 2))
    secret = create(env, title="待保密审查")
    move(env, secret, "submit", "clerk", date(2026, 3, 2))
    move(env, secret, "office_approve", "head", date(2026, 3, 2))
    lead = create(env, title="待领导审批")
    for action, who in (("submit", "clerk"), ("office_approve", "head"), ("confidentiality_pass", "reviewer")):
        move(env, lead, action, who, date(2026, 3, 2))
    ready = approve(env, create(env, title="待发布"), date(2026, 3, 2))
    publish(env, create(env, title="已公开"), date(2026, 3, 2))
    agency = env["agency"]

    def titles(roles):
        return {d.title for d in selectors.review_queue(agency=agency, roles=roles)}

    assert titles(CLERK) == {"草稿", "待发布"}
    assert titles(HEAD) == {"草稿", "待办公室审核", "待发布"}
    assert titles(REVIEWER) == {"待保密审查"}
    assert titles(LEADER) == {"待领导审批"}
    assert titles({"supervisor"}) == set()
    assert selectors.queue_counts(agency=agency, roles=REVIEWER) == {"confidentiality_review": 1}
    assert selectors.queue_counts(agency=agency, roles=CLERK) == {"draft": 1, "returned": 0, "approved": 1}
    assert draft.pk and ready.pk


def test_the_publication_clock_and_the_overdue_list(env):
    late = create(env, title="超期未公开", formed_on=date(2026, 1, 5), today=date(2026, 1, 5))
    move(env, late, "submit", "clerk", date(2026, 1, 6))
    fresh = create(env, title="新近形成", formed_on=date(2026, 3, 2), today=date(2026, 3, 2))
    on_time = publish(
        env, create(env, title="按时公开", formed_on=date(2026, 1, 5), today=date(2026, 1, 5)), date(2026, 1, 9)
    )
    too_late = publish(
        env, create(env, title="逾期公开", formed_on=date(2025, 12, 1), today=date(2025, 12, 1)), date(2026, 2, 2)
    )
    today = date(2026, 3, 9)
    overdue = selectors.overdue_documents(agency=env["agency"], today=today)
    assert [c.document.title for c in overdue] == ["超期未公开"]
    clock = overdue[0].deadline
    assert clock.status is DeadlineStatus.MISSED and clock.days_left < 0 and clock.basis == "第二十六条"
    assert clock.due == date(2026, 2, 2)  # 20 working days after 2026-01-05
    assert selectors.publication_clock(on_time, today=today).status is DeadlineStatus.MET
    assert selectors.publication_clock(too_late, today=today).status is DeadlineStatus.MISSED
    running = selectors.publication_clock(fresh, today=today)
    assert running.status is DeadlineStatus.RUNNING and running.days_left > 0
    assert [c.document.title for c in selectors.unpublished_clocks(agency=env["agency"], today=today)] == [
        "超期未公开",
        "新近形成",
    ]


# -- the public column and search --------------------------------------------------------------------------


def test_column_pages_list_published_documents_newest_first(env):
    for i in range(1, 26):
        doc = create(
            env,
            column="bmys" if i % 2 else "sgjf",
            title=f"预算文件{i:02d}",
            formed_on=date(2026, 1, 5),
            today=date(2026, 1, 5),
        )
        publish(env, doc, date(2026, 2, 2), on=date(2026, 1, 5) + (date(2026, 1, 6) - date(2026, 1, 5)) * i)
    create(env, column="bmys", title="未公开的预算草稿")
    section = env["cols"]["czyjs"]
    page = selectors.public_documents_page(agency=env["agency"], column=section, page=1, per_page=10)
    assert page.paginator.count == 25 and page.has_next()
    assert [d.title for d in page][:3] == ["预算文件25", "预算文件24", "预算文件23"]
    leaf = selectors.public_documents_page(agency=env["agency"], column=env["cols"]["sgjf"], page=2, per_page=10)
    assert leaf.paginator.count == 12 and [d.title for d in leaf] == ["预算文件04", "预算文件02"]
    assert "body" in page[0].get_deferred_fields()  # lists never load the body
    assert selectors.public_documents_page(agency=env["agency"], column=section, page="x").number == 1
    # keyset pages walk the same order, to the end
    seen, key = [], None
    while True:
        rows, key = selectors.public_documents_after(agency=env["agency"], column=section, after=key, per_page=7)
        seen += [d.title for d in rows]
        if key is None:
            break
    assert seen == [f"预算文件{i:02d}" for i in range(25, 0, -1)]
    other = Agency.objects.get(code=HEALTH)
    assert list(selectors.public_documents(agency=other, column=section)) == []


def test_search_over_title_number_and_body(env):
    policy = create(
        env,
        column="gfxwj",
        kind="normative",
        signed_on=date(2026, 3, 2),
        doc_number="示教发〔2026〕3号",
        title="示范区义务教育阶段学校招生入学工作实施办法",
        body="第一条 为规范义务教育招生入学工作，保障适龄儿童少年平等接受义务教育……",
    )
    notice = create(env, title="关于公布2026年小学学区划分的公告", body="各学校学区范围见附件。入学登记时间为5月。")
    budget = create(env, column="sgjf", title="2026年部门预算“三公”经费说明", body="因公出国（境）费0万元。100%_完成")
    hidden = create(env, title="学区划分调整方案（草稿）", body="尚未公开")
    for doc in (policy, notice, budget):
        publish(env, doc, date(2026, 3, 2))
    agency = env["agency"]

    def titles(q, **kw):
        return [d.title for d in selectors.search_public_documents(agency=agency, query=q, **kw).documents]

    assert titles("学区划分") == ["关于公布2026年小学学区划分的公告"]  # the draft is never found
    assert titles("示教发〔2026〕3号") == [policy.title]  # 文号
    assert titles("适龄儿童") == [policy.title]  # body
    assert set(titles("入学")) == {policy.title, notice.title}
    assert titles("入学　登记") == [notice.title]  # full-width space: every word must match
    assert titles("三公") == [budget.title]
    assert titles("100%_") == [budget.title] and titles("%") == [budget.title] and titles("_") == [budget.title]
    assert titles("") == [] and titles("   ") == []
    assert titles("不存在的词") == []
    assert titles("入学", column=env["cols"]["gggs"]) == [notice.title]
    first = selectors.search_public_documents(agency=agency, query="2026", per_page=2)
    second = selectors.search_public_documents(agency=agency, query="2026", per_page=2, page=2)
    assert first.has_next and not second.has_next and len(first.documents) == 2 and len(second.documents) == 1
    assert hidden.pk not in {d.pk for d in first.documents + second.documents}
    assert selectors.search_terms("a b a c d e f g") == ("a", "b", "c", "d", "e")


def test_search_follows_revisions_and_take_downs(env):
    clerk = env["users"]["jingban"]
    doc = publish(
        env, create(env, title="关于开展校园足球联赛的通知", body="比赛地点：示范区体育中心。"), date(2026, 3, 2)
    )
    agency = env["agency"]

    def found(q):
        return [d.pk for d in selectors.search_public_documents(agency=agency, query=q).documents]

    assert found("校园足球联赛") == [doc.pk] and found("体育中心") == [doc.pk]
    services.document_update(
        document=doc,
        actor=clerk,
        actor_roles=CLERK,
        reason="更正比赛地点",
        changes={"body": "比赛地点：示范区第一中学田径场。"},
        today=date(2026, 3, 3),
    )
    assert found("体育中心") == [doc.pk] and found("田径场") == []  # the revision is not public yet
    doc.refresh_from_db()
    publish(env, doc, date(2026, 3, 4))
    assert found("体育中心") == [] and found("第一中学田径场") == [doc.pk]
    move(env, doc, "unpublish", "head", date(2026, 3, 5), reason="联赛取消", unpublished_on=date(2026, 3, 5))
    assert found("校园足球联赛") == []


def test_every_search_strategy_finds_the_same_documents(env, monkeypatch):
    from django.db import connection

    from gongkai.disclosure import search

    docs = [
        publish(env, create(env, title=f"第{i}届校园读书节活动方案", body="阅读推广"), date(2026, 3, 2 + i))
        for i in range(3)
    ]
    create(env, title="第9届校园读书节活动方案（草稿）")
    agency = env["agency"]
    expected = [d.pk for d in reversed(docs)]

    def found(q, **kw):
        return [d.pk for d in selectors.search_public_documents(agency=agency, query=q, **kw).documents]

    assert found("校园读书节") == expected and found("校园读书节 推广") == expected
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 1)  # SQLite: many matches, read the index in order
    monkeypatch.setattr(selectors, "PG_SORT_ROWS", -1)  # PostgreSQL: read newest first within the budget
    assert found("校园读书节") == expected and found("校园读书节 推广", per_page=2) == expected[:2]
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SHOW statement_timeout")
            assert c.fetchone()[0] == "0"  # the budget does not outlive the search
    monkeypatch.setattr(search, "_available", {"default": False})  # no trigram table: LIKE everywhere
    assert found("校园读书节") == expected


def test_the_sqlite_trigram_index_stays_in_step_and_repairs_itself(env):
    from django.db import connection

    from gongkai.disclosure import search

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 trigram index exists on SQLite only (PostgreSQL uses pg_trgm)")
    assert search.trigram_index_available()
    doc = publish(env, create(env, title="示范区中小学生合唱比赛获奖名单"), date(2026, 3, 2))
    with connection.cursor() as c:
        c.execute("DROP TRIGGER disclosure_document_fts_au")
        doc.title = "示范区中小学生舞蹈比赛获奖名单"
        doc.save(update_fields=["title"])  # the search text changes with it; missed by the index
        assert search.ensure_sqlite_search_index() is True  # trigger back, index rebuilt
        c.execute(
            f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH ?", [search.fts_phrase("舞蹈比赛")]
        )
        assert [r[0] for r in c.fetchall()] == [doc.pk]
    titles = [d.title for d in selectors.search_public_documents(agency=env["agency"], query="合唱比赛").documents]
    assert titles == []
    assert search.fts_phrase('a"b') == '"a""b"'


# -- table 二 and the year's publications ----------------------------------------------------------------


def _normative(env, title, signed, number, published):
    doc = create(
        env,
        column="gfxwj",
        kind="normative",
        signed_on=signed,
        doc_number=number,
        title=title,
        formed_on=signed,
        today=signed,
    )
    return publish(env, doc, published)


def test_table_two_from_the_register_and_the_annual_figures(env):
    head = env["users"]["zhuren"]
    old = _normative(env, "示范区中小学学籍管理办法", date(2024, 3, 1), "示教发〔2024〕2号", date(2024, 3, 5))
    _normative(env, "示范区学生资助管理办法", date(2025, 6, 2), "示教发〔2025〕7号", date(2025, 6, 6))
    _normative(env, "示范区中小学学籍管理办法（修订）", date(2026, 4, 1), "示教发〔2026〕9号", date(2026, 4, 3))
    create(
        env,
        column="gfxwj",
        kind="normative",
        signed_on=date(2026, 5, 6),
        doc_number="示教发〔2026〕11号",
        title="未公开的规范性文件",
        formed_on=date(2026, 5, 6),
        today=date(2026, 5, 6),
    )
    services.document_change_validity(
        document=old,
        actor=head,
        actor_roles=HEAD,
        validity="repealed",
        changed_on=date(2026, 4, 1),
        changed_by="示教发〔2026〕9号",
        today=date(2026, 4, 3),
    )
    publish(
        env, create(env, title="工作动态一则", formed_on=date(2026, 4, 1), today=date(2026, 4, 1)), date(2026, 4, 3)
    )
    figures = selectors.table2_figures(agency=env["agency"], year=2026)
    assert figures["art20_1"] == {
        "regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"made": 1, "repealed": 1, "in_force": 2},
    }
    assert figures["art20_5"] == {"administrative_licensing": {"decisions": None}}  # not entered yet
    services.annual_figures_save(
        agency=env["agency"],
        year=2026,
        actor=head,
        actor_roles=HEAD,
        figures={"licensing_decisions": 12, "penalty_decisions": 0, "coercion_decisions": 0, "fee_amount": "1.2345"},
    )
    figures = selectors.table2_figures(agency=env["agency"], year=2026)
    assert figures["art20_5"]["administrative_licensing"]["decisions"] == 12
    assert figures["art20_8"]["administrative_fees"]["fee_amount"] == Decimal("1.2345")
    services.annual_figures_save(
        agency=env["agency"],
        year=2026,
        actor=head,
        actor_roles=HEAD,
        figures={"licensing_decisions": 12, "penalty_decisions": 0, "coercion_decisions": 0, "fee_amount": "314.58"},
    )
    # as a report prints it: not the column's four decimal places
    with pytest.raises(DomainError, match="只有经办人或办公室主任"):
        services.annual_figures_save(
            agency=env["agency"],
            year=2026,
            actor=env["users"]["lingdao"],
            actor_roles=LEADER,
            figures={"licensing_decisions": 99},
        )
    assert (
        str(selectors.table2_figures(agency=env["agency"], year=2026)["art20_8"]["administrative_fees"]["fee_amount"])
        == "314.58"
    )
    previous = {"table_2": selectors.table2_figures(agency=env["agency"], year=2025)}
    result = audit(format_for_year(2026), {"table_2": figures}, previous=previous)
    assert not result.findings and "t2_in_force_continuity" in result.passed_rule_ids()
    counts = selectors.publication_counts(agency=env["agency"], year=2026)
    assert counts.total == 2 and counts.by_column == {"zcwj": 1, "gggs": 1} and counts.by_channel == {"website": 2}
    assert selectors.publication_summary(agency=env["agency"], year=2026).startswith(
        "本年度主动公开政府信息2条，其中公告公示1条、政策文件1条"
    )


def test_table_two_in_the_2019_format(env):
    _normative(env, "示范区校外培训机构管理办法", date(2020, 3, 2), "示教发〔2020〕1号", date(2020, 3, 4))
    services.annual_figures_save(
        agency=env["agency"],
        year=2020,
        actor=None,
        figures={
            "licensing_decisions": 3,
            "penalty_decisions": 0,
            "coercion_decisions": 0,
            "fee_amount": 0,
            "licensing_items_last_year": 5,
            "licensing_items_change": -1,
            "procurement_items": 2,
            "procurement_amount": "35.5",
        },
    )
    figures = selectors.table2_figures(agency=env["agency"], year=2020)
    assert figures["art20_1"]["normative_documents"] == {"newly_made": 1, "newly_published": 1, "total_published": 1}
    assert figures["art20_5"]["administrative_licensing"] == {
        "items_last_year": 5,
        "change_this_year": -1,
        "decisions": 3,
    }
    assert figures["art20_9"]["government_centralized_procurement"]["procurement_amount"] == Decimal("35.5")
    assert not audit(format_for_year(2020), {"table_2": figures}).errors


@pytest.mark.parametrize(
    ("figures", "words"),
    [
        ({"licensing_decisions": -1}, "不能为负数"),
        ({"fee_amount": "1.23456"}, "四位小数"),
        ({"fee_amount": "abc"}, "应为数字"),
        ({"penalty_decisions": None}, "没有的填0"),
        ({"licensing_decisions": "十二"}, "应为整数"),
        ({"profit": 1}, "未知的统计项"),
    ],
)
def test_bad_annual_figures_are_refused(env, figures, words):
    with pytest.raises(DomainError, match=words):
        services.annual_figures_save(agency=env["agency"], year=2026, actor=None, figures=figures)
    assert not AnnualFigures.objects.exists()


def test_annual_figures_are_updated_and_keep_their_history(env):
    services.annual_figures_save(agency=env["agency"], year=2026, actor=None, figures={"licensing_decisions": 3})
    obj = services.annual_figures_save(agency=env["agency"], year=2026, actor=None, figures={"fee_amount": 2})
    assert (obj.licensing_decisions, obj.fee_amount) == (3, Decimal("2"))
    assert AnnualFigures.objects.count() == 1 and obj.history.count() == 3
    with pytest.raises(DomainError, match="2018"):
        services.annual_figures_save(agency=env["agency"], year=2018, actor=None, figures={})


# -- the log -----------------------------------------------------------------------------------------------


def test_the_decision_log_is_append_only(env):
    entry = create(env).decisions.get()
    entry.comment = "改写历史"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert DocumentVersion.objects.count() == 0


# -- the demo year and the generator -----------------------------------------------------------------


def test_the_demo_year_is_made_through_the_rules_and_counts_cleanly():
    from django.core.management import call_command

    from gongkai.demo.accounts import seed_demo
    from gongkai.demo.disclosure import DOCS, seed_documents
    from gongkai.domain.disclosure.workflow import Action, State, transition_for

    seed_demo()
    today = date(2026, 11, 23)
    result = seed_documents(today)
    assert result.skipped == [] and result.created == len(DOCS) >= 80
    agency = Agency.objects.get(code=EDU)
    docs = list(Document.objects.filter(agency=agency))
    assert {d.state for d in docs} == {s.value for s in State}
    published = [d for d in docs if d.is_public]
    assert len(published) >= 70 and all(d.confidentiality_passed_version == d.public_version for d in published)
    assert {d.top_column.slug for d in published} >= {
        "jgzn",
        "zcwj",
        "zcjd",
        "ghjh",
        "czyjs",
        "zsrx",
        "gggs",
        "gzdt",
        "rsxx",
    }
    assert max(d.formed_on for d in docs) <= today
    # every logged move follows the table, and the log ends in the document's state
    for doc in docs:
        log = list(doc.decisions.order_by("seq"))
        assert log[0].action == "create"
        for e in log:
            if e.action in {a.value for a in Action}:
                row = transition_for(e.from_state, e.action)
                assert row is not None and row.to.value == e.to_state, (doc.title, e.action)
            else:
                assert e.action in services.LOG_LABELS and e.from_state in ("", e.to_state)
        assert log[-1].to_state == doc.state and log[-1].at.date() <= today
    # policies and their interpretations, validity, revisions, files, clocks
    for policy in (d for d in published if d.needs_interpretation):
        assert selectors.public_interpretations(policy), policy.title
    assert {d.validity for d in docs if d.kind == "normative"} == {"in_force", "amended", "repealed", "lapsed"}
    assert any(d.revised_on for d in published) and any(d.has_pending_revision for d in docs)
    assert {a.original_name.rsplit(".", 1)[1] for a in DocumentAttachment.objects.all()} >= {
        "pdf",
        "docx",
        "xlsx",
        "png",
    }
    assert len(selectors.overdue_documents(agency=agency, today=today)) >= 2
    assert [d.title for d in docs if d.state == "unpublished"][0] and all(
        d.unpublish_reason for d in docs if d.state == "unpublished"
    )
    figures = selectors.table2_figures(agency=agency, year=2026)
    previous = {"table_2": selectors.table2_figures(agency=agency, year=2025)}
    assert figures["art20_1"]["normative_documents"]["repealed"] == 2
    outcome = audit(format_for_year(2026), {"table_2": figures}, previous=previous)
    assert not outcome.errors and "t2_in_force_continuity" in outcome.passed_rule_ids()
    assert selectors.publication_summary(agency=agency, year=2026).startswith("本年度主动公开政府信息")
    # the queues all hold something
    for roles in (CLERK, HEAD, REVIEWER, LEADER):
        assert selectors.review_queue(agency=agency, roles=roles).exists(), roles
    # a second run adds nothing
    assert seed_documents(today).created == 0
    out = io.StringIO()
    call_command("seed_documents", stdout=out)
    assert "未重复创建" in out.getvalue() and Document.objects.count() == len(DOCS)


def test_an_early_day_skips_what_has_not_happened_yet():
    from gongkai.demo.accounts import seed_demo
    from gongkai.demo.disclosure import seed_documents

    seed_demo()
    result = seed_documents(date(2026, 2, 1))
    assert result.skipped == []
    assert max(Document.objects.values_list("formed_on", flat=True)) <= date(2026, 2, 1)
    assert Document.objects.filter(formed_on__year=2026).exists()


def test_generated_documents_hold_together():
    from gongkai.demo.generate_documents import generate
    from gongkai.domain.disclosure.index_numbers import IndexPattern

    agency = bureau().agency
    assert generate(400, agency=agency, today=date(2026, 11, 23), seed=7) == 400
    docs = list(Document.objects.filter(agency=agency))
    assert len(docs) == 400 and len({d.index_number for d in docs}) == 400
    pattern, org = selectors.index_scheme_for(agency)
    for d in docs:
        parts = pattern.parse(d.index_number)
        assert (parts.agency_code, parts.year, parts.seq) == (org, d.index_year, d.index_seq)
        assert d.top_column_id == d.column.top_id
        if d.is_public:
            assert d.state == "published" and d.confidentiality_passed_version == d.public_version == 1
            assert date(2019, 1, 2) <= d.published_on <= date(2026, 11, 23)
        if d.kind == "normative":
            assert d.doc_number and d.signed_on and d.validity
    assert isinstance(pattern, IndexPattern)
    assert selectors.search_public_documents(agency=agency, query="示范区").documents
    # more can be added later: numbering continues
    generate(10, agency=agency, today=date(2026, 11, 23), seed=8)
    assert Document.objects.count() == 410


def test_publication_counts_grouped_in_the_database_equal_the_domain_count_of_the_register(env):
    from gongkai.demo.generate_documents import generate
    from gongkai.domain.disclosure.counting import publications_for_year

    generate(400, agency=env["agency"], today=date(2026, 11, 23), seed=5)
    # a withdrawn document still counts in the year it was first published
    withdrawn = Document.objects.filter(agency=env["agency"], is_public=True).first()
    Document.objects.filter(pk=withdrawn.pk).update(is_public=False, unpublished_on=date(2026, 11, 1))
    years = sorted(
        {d.year for d in Document.objects.filter(agency=env["agency"]).values_list("published_on", flat=True) if d}
    )
    assert len(years) >= 2
    for year in [years[0] - 1, *years]:
        expected = publications_for_year(selectors.register_entries(agency=env["agency"], year=year), year)
        assert selectors.publication_counts(agency=env["agency"], year=year) == expected, year
    assert sum(selectors.publication_counts(agency=env["agency"], year=y).total for y in years) == (
        Document.objects.filter(agency=env["agency"], published_on__isnull=False).count()
    )


def test_the_review_decisions_of_a_document_are_append_only(env):
    doc = create(env, title="关于开展校园安全检查的通知", formed_on=date(2026, 4, 1), today=date(2026, 4, 1))
    decision = doc.decisions.get()
    decision.comment = "改写"
    with pytest.raises(ValidationError, match="审核记录只能追加，不能修改"):
        decision.save()
    with pytest.raises(ValidationError, match="审核记录只能追加，不能删除"):
        decision.delete()
    assert ReviewDecision.objects.get(pk=decision.pk).comment == ""
