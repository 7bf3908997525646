"""The annual report workspace: the whole path from opening a year to the public 年报 page, through
the services and the pages; freezing, revisions, the three downloads carrying the same figures,
access, last year's report made outside gongkai, fees, the countdown and the demo."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Agency, Membership
from gongkai.annualreports import selectors, services
from gongkai.annualreports.models import AnnualReport, PreviousReport, ReportDecision, ReportVersion
from gongkai.applications.models import Application, CaseEvent
from gongkai.disclosure.services import annual_figures_save
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.suggestions import suggested_sentences
from gongkai.domain.annual_report.workflow import SubmissionBlocked
from gongkai.domain.audit import audit_bytes
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from tests.factories import EDU, HEALTH, bureau

pytestmark = pytest.mark.django_db

YEAR = 2026
TODAY = date(2027, 1, 15)  # after the year: submitting, approving and publishing 2026 are refused before
CLERK, HEAD, LEADER = {"clerk"}, {"office_head"}, {"leader"}
FIXED_PROSE = {
    "overview": (
        "本机关严格落实保密审查和发布审核制度，做好政府信息管理。依托政府门户网站政府信息公开专栏做好平台建设。"
        "加强组织领导和业务培训，将政府信息公开工作纳入年度考核，强化监督保障。"
    ),
    "problems": "本年度政府信息公开工作仍存在政策解读形式单一等问题。下一步，我局将进一步丰富解读形式，持续改进。",
    "other": "本年度无其他需要报告的事项。",
}

_seq = iter(range(1, 10**6))


def _bulk(agency, cases):
    """Applications straight into the table: (applicant type, received, concluded, outcome code)."""
    rows = []
    for applicant_type, received, concluded, code in cases:
        n = next(_seq)
        rows.append(
            Application(
                agency=agency,
                tracking_number=f"AR-{n}",
                submission_year=2000,
                sequence=n,
                query_code_hash="x",
                channel="in_person",
                applicant_type=applicant_type,
                applicant_name="某",
                id_document_type="resident_id",
                id_document_number="110101199001011237",
                phone="1",
                description="d",
                delivery_form="paper",
                delivery_channel="post",
                received_on=received,
                concluded_on=concluded,
                outcome_code=code or "",
                state="replied" if concluded else "in_progress",
            )
        )
    return Application.objects.bulk_create(rows)


CASES_2025 = [
    ("natural_person", date(2025, 3, 2), date(2025, 3, 20), "disclosed"),
    ("natural_person", date(2025, 12, 15), None, None),  # carried into 2026
    ("commercial_enterprise", date(2025, 12, 22), None, None),  # carried into 2026
]
CASES_2026 = [
    ("natural_person", date(2026, 2, 3), date(2026, 2, 20), "disclosed"),
    ("natural_person", date(2026, 4, 8), date(2026, 4, 28), "partially_disclosed"),
    ("research_institution", date(2026, 6, 1), date(2026, 6, 15), "does_not_exist"),
    ("natural_person", date(2026, 12, 10), None, None),
]


@pytest.fixture
def env():
    cast = bureau()
    agency = cast.agency
    users = cast.people
    for year in (2025, YEAR):
        annual_figures_save(
            agency=agency,
            year=year,
            actor=None,
            figures={"licensing_decisions": 12, "penalty_decisions": 1, "coercion_decisions": 0, "fee_amount": "0"},
        )
    apps = _bulk(agency, CASES_2025)
    # the two December cases concluded in 2026
    Application.objects.filter(pk__in=[apps[1].pk]).update(
        concluded_on=date(2026, 1, 10), outcome_code="disclosed", state="replied"
    )
    Application.objects.filter(pk__in=[apps[2].pk]).update(
        concluded_on=date(2026, 1, 12), outcome_code="withheld_process_info", state="replied"
    )
    _bulk(agency, CASES_2026)
    return {"agency": agency, "users": users}


def open_report(env, year=YEAR):
    return services.report_open(
        agency=env["agency"], year=year, actor=env["users"]["jingban"], actor_roles=CLERK, today=TODAY
    )


def good_prose(report) -> dict[str, str]:
    """Every suggested sentence in its section, and text for each remaining point."""
    live = selectors.live_tables(agency=report.agency, year=report.year)
    facts = selectors.report_facts(agency=report.agency, year=report.year, tables=live.tables)
    texts = {k: [] for k in FIXED_PROSE}
    for s in suggested_sentences(facts):
        texts[s.section_key].append(s.text)
    return {k: "\n".join(texts[k] + [FIXED_PROSE[k]]) for k in FIXED_PROSE}


def write(env, report, sections):
    return services.report_save_sections(
        report=report, sections=sections, actor=env["users"]["jingban"], actor_roles=CLERK
    )


def move(env, report, action, who, comment=""):
    user, roles = {"clerk": ("jingban", CLERK), "head": ("zhuren", HEAD), "leader": ("lingdao", LEADER)}[who]
    return services.report_transition(
        report=report, action=action, actor=env["users"][user], actor_roles=roles, comment=comment, today=TODAY
    )


def published(env):
    report = open_report(env)
    write(env, report, good_prose(report))
    for action, who in (
        ("submit", "clerk"),
        ("office_approve", "head"),
        ("leader_approve", "leader"),
        ("publish", "leader"),
    ):
        report = move(env, report, action, who)
    return report


# -- the whole path -------------------------------------------------------------------------------


def test_the_live_tables_count_the_years_work_and_pass_every_rule(env):
    live = selectors.live_tables(agency=env["agency"], year=YEAR)
    assert live.problem == "" and live.tables is not None
    t3 = live.tables["table_3"]
    assert t3["new_received"]["total"] == 4
    assert t3["carried_over"]["total"] == 2 and t3["carried_over"]["commercial_enterprise"] == 1
    assert t3["results_total"]["total"] == 5 and t3["carry_forward"]["total"] == 1
    check = selectors.assemble.check_tables(YEAR, live.tables)
    assert check.ok and all(r.status == "passed" for r in check.rules if not r.rule.endswith("continuity"))


def test_opening_a_year_is_idempotent_and_starts_an_empty_version_one(env):
    report = open_report(env)
    again = open_report(env)
    assert again.pk == report.pk
    assert report.state == "drafting" and report.current_version.number == 1
    assert report.current_version.sections == {} and report.current_version.tables is None
    assert list(report.decisions.values_list("action", flat=True)) == ["open"]


def test_a_future_year_or_one_before_the_standard_tables_cannot_be_opened(env):
    with pytest.raises(DomainError, match="尚未开始"):
        open_report(env, year=2028)
    with pytest.raises(DomainError, match="统一表格"):
        open_report(env, year=2018)


def test_submitting_is_refused_while_sections_are_empty_points_missing_or_figures_wrong(env):
    report = open_report(env)
    with pytest.raises(SubmissionBlocked) as err:
        move(env, report, "submit", "clerk")
    assert "五、存在的主要问题及改进情况" in err.value.message
    prose = good_prose(report)
    write(env, report, {**prose, "overview": "本年度主动公开政府信息若干条。"})
    with pytest.raises(SubmissionBlocked) as err:
        move(env, report, "submit", "clerk")
    assert "政府信息管理" in err.value.message
    wrong = prose["overview"].replace("收到政府信息公开申请4件", "收到政府信息公开申请5件")
    assert wrong != prose["overview"]
    write(env, report, {**prose, "overview": wrong})
    with pytest.raises(SubmissionBlocked) as err:
        move(env, report, "submit", "clerk")
    assert "不一致" in err.value.message
    report.refresh_from_db()
    assert report.state == "drafting"
    assert list(report.decisions.values_list("action", flat=True)) == ["open"]


def test_the_whole_path_to_the_public_page(env, client):
    report = open_report(env)
    write(env, report, good_prose(report))
    report = move(env, report, "submit", "clerk")
    version = ReportVersion.objects.get(pk=report.current_version_id)
    assert report.state == "office_review"
    assert version.tables["table_3"]["new_received"]["total"] == 4  # the snapshot
    assert version.check_summary["ok"] is True
    report = move(env, report, "office_approve", "head", comment="同意")
    report = move(env, report, "leader_approve", "leader")
    version.refresh_from_db()
    assert report.state == "approved" and version.frozen
    assert version.office_approved_by.username == "zhuren" and version.leader_approved_by.username == "lingdao"
    assert client.get(reverse("annualreports:public_report", args=[YEAR])).status_code == 404
    report = move(env, report, "publish", "clerk")
    assert report.state == "published" and report.published_version_id == version.pk
    assert report.published_on == TODAY
    page = client.get(reverse("annualreports:public_report", args=[YEAR]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "示范区教育局2026年政府信息公开工作年度报告" in text
    assert "收到政府信息公开申请4件" in text
    assert selectors.public_content(report).dated == TODAY and "2027年1月15日" in text  # the sign-off date
    index = client.get(reverse("annualreports:public_index")).content.decode()
    assert f'href="{reverse("annualreports:public_report", args=[YEAR])}"' in index
    actions = list(report.decisions.values_list("action", "role"))
    assert actions == [
        ("open", "clerk"),
        ("submit", "clerk"),
        ("office_approve", "office_head"),
        ("leader_approve", "leader"),
        ("publish", "clerk"),
    ]


def test_the_snapshot_does_not_move_when_the_data_changes_after_submission(env):
    report = open_report(env)
    write(env, report, good_prose(report))
    report = move(env, report, "submit", "clerk")
    _bulk(env["agency"], [("natural_person", date(2026, 12, 12), None, None)])
    content = selectors.current_content(report)
    assert content.tables["table_3"]["new_received"]["total"] == 4
    assert selectors.live_tables(agency=env["agency"], year=YEAR).tables["table_3"]["new_received"]["total"] == 5


def test_a_frozen_version_can_never_be_saved_again_and_revising_makes_version_two(env):
    report = published(env)
    version = ReportVersion.objects.get(pk=report.current_version_id)
    with pytest.raises(TransitionNotAllowed, match="冻结"):
        write(env, report, {"other": "改一改"})
    version.sections = {"other": "偷偷改"}
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        ReportVersion.objects.get(pk=version.pk).save(update_fields=["reason"])
    with pytest.raises(FieldError):
        move(env, report, "revise", "clerk")
    report = move(env, report, "revise", "clerk", comment="更正第六部分的表述")
    assert report.state == "drafting" and report.current_version.number == 2
    assert report.current_version.reason == "更正第六部分的表述"
    assert report.current_version.sections == ReportVersion.objects.get(pk=version.pk).sections
    assert report.published_version_id == version.pk  # version 1 stays public meanwhile
    write(env, report, {"other": "本年度未收取信息处理费。另：更正。"})
    assert ReportVersion.objects.get(report=report, number=2).sections["other"] == "本年度未收取信息处理费。另：更正。"
    assert ReportVersion.objects.get(pk=version.pk).sections["other"] != "本年度未收取信息处理费。另：更正。"


def test_returns_need_a_comment_and_reopen_the_prose_with_the_live_tables(env):
    report = open_report(env)
    write(env, report, good_prose(report))
    report = move(env, report, "submit", "clerk")
    with pytest.raises(FieldError):
        move(env, report, "office_return", "head")
    report = move(env, report, "office_return", "head", comment="请补充平台建设情况")
    assert report.state == "drafting"
    assert ReportVersion.objects.get(pk=report.current_version_id).tables is None
    write(env, report, good_prose(report))  # editable again
    decision = report.decisions.get(action="office_return")
    assert decision.comment == "请补充平台建设情况" and decision.result == "returned"


def test_roles_are_checked_by_the_domain(env):
    report = open_report(env)
    write(env, report, good_prose(report))
    with pytest.raises(TransitionNotAllowed):
        move(env, report, "submit", "leader")
    report = move(env, report, "submit", "clerk")
    with pytest.raises(TransitionNotAllowed):
        move(env, report, "leader_approve", "leader")
    with pytest.raises(TransitionNotAllowed):
        move(env, report, "office_approve", "clerk")


def test_the_decision_log_is_append_only(env):
    report = open_report(env)
    decision = report.decisions.get()
    decision.comment = "x"
    with pytest.raises(ValidationError):
        decision.save()
    with pytest.raises(ValidationError):
        decision.delete()
    assert ReportDecision.objects.count() == 1


# -- the three outputs --------------------------------------------------------------------------------


def _cells(tables):
    out = {}
    for t in ("table_2", "table_3", "table_4"):

        def walk(node, path):
            if isinstance(node, dict):
                for k, v in node.items():
                    walk(v, path + (k,))
            else:
                out[".".join(path)] = Decimal(str(node)) if node is not None else None

        walk(tables.get(t, {}), (t,))
    return out


def test_the_word_pdf_and_html_outputs_carry_identical_figures(env, client):
    report = published(env)
    content = selectors.public_content(report)
    expected = _cells(selectors.tables_to_json(content.tables))
    docx = client.get(reverse("annualreports:public_download", args=[YEAR, "docx"]))
    pdf = client.get(reverse("annualreports:public_download", args=[YEAR, "pdf"]))
    html = client.get(reverse("annualreports:public_report", args=[YEAR]))
    assert docx.status_code == pdf.status_code == html.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert pdf["Content-Type"] == "application/pdf"
    docx_bytes, pdf_bytes = b"".join(docx.streaming_content), b"".join(pdf.streaming_content)
    assert pdf_bytes.startswith(b"%PDF")
    read = {
        "docx": audit_bytes(docx_bytes, "report.docx"),
        "pdf": audit_bytes(pdf_bytes, "report.pdf"),
        "html": audit_bytes(html.content, "report.html"),
    }
    for kind, audited in read.items():
        assert audited.year == YEAR, kind
        got = _cells(selectors.tables_to_json(audited.tables))
        assert {k: got.get(k) for k in expected} == expected, kind


def test_the_staff_downloads_give_the_current_version_and_any_earlier_one(env, client):
    report = published(env)
    report = move(env, report, "revise", "clerk", comment="补充说明")
    client.force_login(env["users"]["jingban"])
    base = reverse("annualreports:staff_download", args=[YEAR, "html"])
    current = client.get(base)
    assert current.status_code == 200 and "第2版" in current.content.decode()
    first = client.get(base + "?version=1")
    assert "第1版" in first.content.decode() and "已冻结" in first.content.decode()
    assert client.get(base + "?version=9").status_code == 404
    assert client.get(reverse("annualreports:staff_download", args=[YEAR, "exe"])).status_code == 404


# -- pages --------------------------------------------------------------------------------------------


def test_the_workspace_shows_tables_rules_checklists_suggestions_and_actions(env, client):
    open_report(env)
    client.force_login(env["users"]["jingban"])
    page = client.get(reverse("annualreports:staff_year", args=[YEAR]))
    assert page.status_code == 200
    text = page.content.decode()
    for title in (
        "一、总体情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ):
        assert title in text
    assert 'data-testid="rules-summary" data-failed="0"' in text
    assert text.count('data-testid="rule" ') == len(page.context["ws"].table_rules) == 9
    assert 'data-testid="suggestion"' in text and "插入" in text
    assert 'data-point="信息处理费" data-covered="no"' in text
    assert 'data-testid="empty-warning"' in text
    assert 'data-action="submit"' in text
    assert 'data-testid="previous-missing"' in text  # no 2025 report yet: the link to import or enter it
    assert "annualreports.js" in text


def test_the_insert_button_works_without_javascript(env, client):
    report = open_report(env)
    client.force_login(env["users"]["jingban"])
    ws = selectors.workspace(report, roles=CLERK, today=TODAY)
    section = next(s for s in ws.sections if s.suggestions)
    index, sentence = section.suggestions[0]
    data = {"overview": "我已写的开头。", "problems": "", "other": "", "insert": str(index)}
    response = client.post(reverse("annualreports:staff_sections", args=[YEAR]), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#section-{section.key}")
    saved = ReportVersion.objects.get(pk=report.current_version_id).sections
    if section.key == "overview":
        assert saved["overview"] == "我已写的开头。\n" + sentence.text
    else:
        assert saved[section.key] == sentence.text and saved["overview"] == "我已写的开头。"


def test_the_prose_form_keeps_what_was_typed_when_it_cannot_be_saved(env, client):
    report = open_report(env)
    write(env, report, good_prose(report))
    move(env, report, "submit", "clerk")
    client.force_login(env["users"]["jingban"])
    response = client.post(
        reverse("annualreports:staff_sections", args=[YEAR]),
        {"overview": "刚刚输入的文字", "problems": "", "other": ""},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "办公室主任审核" in text and "退回" in text
    assert "刚刚输入的文字" in text  # nothing typed is lost


def test_submit_through_the_page_lists_every_problem_next_to_the_button(env, client):
    open_report(env)
    client.force_login(env["users"]["jingban"])
    response = client.post(reverse("annualreports:staff_act", args=[YEAR, "submit"]), {"submit-comment": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-testid="action-error"' in text and "以下必填部分尚未填写" in text


def test_irreversible_moves_ask_for_confirmation_on_the_page(env, client, monkeypatch):
    from gongkai import localtime

    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    report = open_report(env)
    write(env, report, good_prose(report))
    move(env, report, "submit", "clerk")
    move(env, report, "office_approve", "head")
    client.force_login(env["users"]["lingdao"])
    url = reverse("annualreports:staff_act", args=[YEAR, "leader_approve"])
    refused = client.post(url, {"leader_approve-comment": "同意"})
    assert refused.status_code == 400 and "请勾选确认" in refused.content.decode()
    assert AnnualReport.objects.get().state == "leader_review"
    done = client.post(url, {"leader_approve-comment": "同意", "leader_approve-confirm": "on"})
    assert done.status_code == 302
    assert AnnualReport.objects.get().state == "approved"


STAFF_URLS = [
    ("annualreports:staff_index", []),
    ("annualreports:staff_year", [YEAR]),
    ("annualreports:staff_previous", [YEAR]),
    ("annualreports:staff_download", [YEAR, "html"]),
    ("annualreports:staff_download", [YEAR, "docx"]),
    ("annualreports:staff_download", [YEAR, "pdf"]),
]
STAFF_POSTS = [
    ("annualreports:staff_open", [YEAR]),
    ("annualreports:staff_sections", [YEAR]),
    ("annualreports:staff_act", [YEAR, "submit"]),
    ("annualreports:staff_previous", [YEAR]),
]


@pytest.mark.parametrize(("name", "args"), STAFF_URLS + STAFF_POSTS)
def test_anonymous_visitors_are_sent_to_the_login_page(env, client, name, args):
    open_report(env)
    url = reverse(name, args=args)
    response = client.post(url) if (name, args) in STAFF_POSTS else client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "args"), STAFF_URLS + STAFF_POSTS)
def test_another_agencys_report_is_not_found(env, client, name, args):
    open_report(env)
    other = Agency.objects.get(code=HEALTH)
    stranger = get_user_model().objects.create_user("waibu", password="x")
    Membership.objects.create(user=stranger, agency=other, role="clerk")
    client.force_login(stranger)
    url = reverse(name, args=args) + "?agency=" + EDU
    response = client.post(url) if (name, args) in STAFF_POSTS else client.get(url)
    assert response.status_code == 404
    assert AnnualReport.objects.filter(agency=other).count() == 0


def test_a_user_of_another_agency_sees_only_their_own_years(env, client):
    published(env)
    other = Agency.objects.get(code=HEALTH)
    stranger = get_user_model().objects.create_user("waibu", password="x")
    Membership.objects.create(user=stranger, agency=other, role="clerk")
    client.force_login(stranger)
    page = client.get(reverse("annualreports:staff_year", args=[YEAR]))
    assert page.status_code == 200 and "尚未开始编写" in page.content.decode()
    assert client.get(reverse("annualreports:staff_download", args=[YEAR, "docx"])).status_code == 404


def test_the_supervisor_reads_a_supervised_agencys_report_without_acting(env, client):
    open_report(env)
    client.force_login(env["users"]["jiandu"])
    page = client.get(reverse("annualreports:staff_year", args=[YEAR]) + "?agency=" + EDU)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="no-actions"' in text and "只能查看" in text
    assert "<textarea" not in text
    refused = client.post(
        reverse("annualreports:staff_sections", args=[YEAR]) + "?agency=" + EDU,
        {"overview": "x", "problems": "", "other": ""},
    )
    assert refused.status_code == 400 and ReportVersion.objects.get().sections == {}


@pytest.mark.parametrize("kind", ["", "docx/", "pdf/"])
def test_a_year_not_published_is_not_found_on_the_public_column(env, client, kind):
    report = open_report(env)
    write(env, report, good_prose(report))
    move(env, report, "submit", "clerk")
    assert client.get(f"/xxgk/nianbao/{YEAR}/{kind}").status_code == 404
    assert client.get(f"/xxgk/nianbao/2019/{kind}").status_code == 404


def test_the_public_index_lists_only_published_years(env, client):
    open_report(env)
    response = client.get(reverse("annualreports:public_index"))
    assert response.status_code == 200 and 'data-testid="no-reports"' in response.content.decode()


def test_prose_is_escaped_on_the_public_page(env, client):
    report = open_report(env)
    prose = good_prose(report)
    prose["other"] += '\n<script>alert("x")</script><b>粗体</b>'
    write(env, report, prose)
    for action, who in (
        ("submit", "clerk"),
        ("office_approve", "head"),
        ("leader_approve", "leader"),
        ("publish", "leader"),
    ):
        report = move(env, report, action, who)
    text = client.get(reverse("annualreports:public_report", args=[YEAR])).content.decode()
    assert "<script>alert" not in text and "<b>粗体" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;粗体&lt;/b&gt;" in text


# -- last year's report made outside gongkai --------------------------------------------------------


def test_last_years_key_cells_entered_make_the_cross_year_rules_run(env):
    agency = env["agency"]
    cells = selectors.key_cells(2025)
    names = {c.name for c in cells}
    assert "table_3.carry_forward.total" in names and "table_2.art20_1.normative_documents.in_force" in names
    values = {c.name: "0" for c in cells}
    values["table_3.carry_forward.natural_person"] = "1"
    values["table_3.carry_forward.commercial_enterprise"] = "1"
    values["table_3.carry_forward.total"] = "2"
    services.previous_report_enter(
        agency=agency, year=2025, values=values, complete=False, actor=env["users"]["jingban"]
    )
    report = open_report(env)
    ws = selectors.workspace(report, roles=CLERK, today=TODAY)
    notes = {n.rule: n for n in ws.check.cross_year}
    assert notes["t3_carry_continuity"].status == "passed"
    assert ws.previous.source == "entered"


def test_a_mismatch_with_last_year_is_explained_not_hidden(env, client):
    values = {c.name: "0" for c in selectors.key_cells(2025)}
    values["table_3.carry_forward.total"] = "3"
    values["table_3.carry_forward.natural_person"] = "3"
    services.previous_report_enter(
        agency=env["agency"], year=2025, values=values, complete=False, actor=env["users"]["jingban"]
    )
    open_report(env)
    client.force_login(env["users"]["jingban"])
    text = client.get(reverse("annualreports:staff_year", args=[YEAR])).content.decode()
    assert 'data-rule="t3_carry_continuity" data-status="mismatch"' in text
    assert "两者应当相等" in text and "本年度少1件" in text


def test_entry_errors_are_named_next_to_each_cell_and_nothing_is_saved(env, client):
    client.force_login(env["users"]["jingban"])
    data = {c.name: "1" for c in selectors.key_cells(2025)}
    data["mode"] = "key"
    data["table_3.carry_forward.total"] = "-2"
    data["table_3.carry_forward.natural_person"] = "两"
    response = client.post(reverse("annualreports:staff_previous", args=[YEAR]), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "不能为负数" in text and "请填写数字" in text
    assert 'value="两"' in text  # what was typed is kept
    assert PreviousReport.objects.count() == 0


def test_all_cells_can_be_entered_and_are_checked(env, client):
    live = selectors.live_tables(agency=env["agency"], year=2025)
    client.force_login(env["users"]["jingban"])
    data = {c.name: str(selectors.cell_value(live.tables, c)) for c in selectors.all_cells(2025)}
    data["mode"] = "all"
    response = client.post(reverse("annualreports:staff_previous", args=[YEAR]) + "?mode=all", data)
    assert response.status_code == 302
    record = PreviousReport.objects.get()
    assert record.complete and record.findings == [] and record.source == "entered"
    assert record.tables["table_3"]["carry_forward"]["total"] == 2


def _previous_docx(env, year=2025):
    from gongkai.annualreports.render import docx_bytes

    live = selectors.live_tables(agency=env["agency"], year=year)
    content = ReportContent(
        agency_name=env["agency"].name,
        year=year,
        tables=live.tables,
        sections={"overview": "本年度工作总体情况。", "problems": "存在问题。", "other": "无。"},
    )
    return docx_bytes(content)


def test_last_years_report_is_imported_from_its_file(env, client):
    data = _previous_docx(env)
    client.force_login(env["users"]["jingban"])
    response = client.post(
        reverse("annualreports:staff_previous", args=[YEAR]),
        {"mode": "import", "file": SimpleUploadedFile("2025年报.docx", data)},
    )
    assert response.status_code == 302
    record = PreviousReport.objects.get()
    assert record.source == "file" and record.original_name == "2025年报.docx"
    assert record.tables["table_3"]["carry_forward"]["total"] == 2
    assert bytes(record.data) == data
    report = open_report(env)
    ws = selectors.workspace(report, roles=CLERK, today=TODAY)
    assert {n.rule: n.status for n in ws.check.cross_year}["t3_carry_continuity"] == "passed"
    page = client.get(reverse("annualreports:staff_previous", args=[YEAR])).content.decode()
    assert "2025年报.docx" in page


def test_a_file_of_another_year_is_refused(env, client):
    data = _previous_docx(env, year=YEAR)
    client.force_login(env["users"]["jingban"])
    response = client.post(
        reverse("annualreports:staff_previous", args=[YEAR]),
        {"mode": "import", "file": SimpleUploadedFile("wrong.docx", data)},
    )
    assert response.status_code == 400
    assert "是2026年度报告，这里需要的是2025年度报告" in response.content.decode()
    assert PreviousReport.objects.count() == 0


def test_a_file_whose_tables_cannot_be_read_is_refused(env):
    text = "示范区教育局2025年政府信息公开工作年度报告\n一、总体情况\n本年度我局认真贯彻落实条例。\n".encode()
    with pytest.raises(DomainError, match="未能从文件") as err:
        services.previous_report_import(
            agency=env["agency"], year=2025, data=text, name="x.txt", actor=env["users"]["jingban"], for_year=YEAR
        )
    assert "手工录入" in err.value.message
    assert PreviousReport.objects.count() == 0


def test_a_report_made_in_gongkai_is_its_own_previous_year(env):
    published(env)
    prev = selectors.previous_for(agency=env["agency"], year=YEAR + 1)
    assert prev.source == "gongkai" and prev.tables["table_3"]["carry_forward"]["total"] == 1
    with pytest.raises(DomainError, match="在本系统中编写"):
        services.previous_report_enter(
            agency=env["agency"], year=YEAR, values={}, complete=False, actor=env["users"]["jingban"]
        )


# -- fees, countdown, demo ------------------------------------------------------------------------------


def test_fees_collected_are_the_notices_paid_in_the_year(env):
    agency = env["agency"]
    a, b, c = _bulk(agency, [("natural_person", date(2026, 3, 1), None, None)] * 3)
    for app, amount, paid in ((a, 100, "2026-03-20"), (b, 300, "2027-01-05"), (c, 2300, None)):
        CaseEvent.objects.create(
            application=app,
            seq=1,
            action="notify_fee",
            to_state="fee_notified",
            fields={"method": "per_page", "amount": amount},
            actor_label="x",
        )
        if paid:
            CaseEvent.objects.create(
                application=app,
                seq=2,
                action="fee_paid",
                to_state="in_progress",
                fields={"paid_on": paid},
                actor_label="x",
            )
    assert selectors.fees_collected(agency=agency, year=2026) == selectors.FeesCollected(Decimal(100), 1)
    assert selectors.fees_collected(agency=agency, year=2027) == selectors.FeesCollected(Decimal(300), 1)


def test_the_countdown_runs_to_31_january(env):
    agency = env["agency"]
    late = selectors.report_countdown(agency, date(2026, 11, 23))
    assert late.year == 2025 and late.overdue  # the 2025 report was never published nor entered
    values = {c.name: "0" for c in selectors.key_cells(2025)}
    services.previous_report_enter(
        agency=agency, year=2025, values=values, complete=False, actor=env["users"]["jingban"]
    )
    coming = selectors.report_countdown(agency, date(2026, 11, 23))
    assert (coming.year, coming.due, coming.days_left, coming.urgent) == (2026, date(2027, 1, 31), 69, False)
    assert coming.state_label == "未开始" and len(coming.empty_sections) == 3
    december = selectors.report_countdown(agency, date(2026, 12, 1))
    assert december.urgent and december.days_left == 61
    report = open_report(env)
    write(env, report, {"overview": "总体情况。"})
    assert selectors.report_countdown(agency, date(2026, 12, 1)).empty_sections == [
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    january = selectors.report_countdown(agency, date(2027, 1, 20))
    assert january.year == 2026 and january.days_left == 11 and january.urgent


def test_the_dashboard_panel_renders_the_countdown(env):
    from django.template.loader import render_to_string

    html = render_to_string(
        "annualreports/_dashboard_panel.html",
        {"countdown": selectors.report_countdown(env["agency"], date(2027, 1, 20)), "agency": env["agency"]},
    )
    assert "2026年度政府信息公开工作年度报告" in html and "还有<strong" in html
    assert "必填部分尚未填写：一、总体情况、五、存在的主要问题及改进情况、六、其他需要报告的事项" in html


def test_the_demo_enters_2025_honestly_and_opens_2026_without_prose_and_runs_twice():
    from gongkai.demo.accounts import seed_demo
    from gongkai.demo.annualreports import seed_annual_reports

    seed_demo()
    agency = Agency.objects.get(code=EDU)
    _bulk(agency, CASES_2025)
    first = seed_annual_reports(date(2026, 11, 23))
    second = seed_annual_reports(date(2026, 11, 23))
    assert len(first.created) == 3 and second.created == []
    record = PreviousReport.objects.get(agency=agency, year=2025)
    assert record.source == "entered"
    report = AnnualReport.objects.get(agency=agency, year=2026)
    assert report.state == "drafting" and report.current_version.sections == {}
    ws = selectors.workspace(report, roles=CLERK, today=date(2026, 11, 23))
    assert ws.incomplete == ""
    assert all(n.status == "passed" for n in ws.check.cross_year)
    assert all(r.status == "passed" for r in ws.check.rules)


def test_a_move_refused_to_someone_without_the_button_is_explained_on_the_page(env, client):
    open_report(env)
    client.force_login(env["users"]["lingdao"])
    response = client.post(reverse("annualreports:staff_act", args=[YEAR, "submit"]), {"submit-comment": ""})
    assert response.status_code == 400
    assert 'data-testid="page-error"' in response.content.decode() and "经办人" in response.content.decode()
    assert AnnualReport.objects.get().state == "drafting"


def test_the_publication_sentence_follows_the_register(env):
    from gongkai.disclosure import services as disclosure
    from gongkai.disclosure.models import Column

    agency, users = env["agency"], env["users"]
    disclosure.column_tree_install(agency=agency)
    disclosure.index_scheme_save(
        agency=agency, organisation_code="11110199MB0000015X", pattern="{agency_code}/{year}-{seq:05d}"
    )
    before = selectors.publication_sentence(agency=agency, year=YEAR)
    baomi = get_user_model().objects.get(username="baomi")
    doc = disclosure.document_create(
        agency=agency,
        actor=users["jingban"],
        actor_roles=CLERK,
        column=Column.objects.get(agency=agency, slug="gggs"),
        formed_on=date(2026, 3, 2),
        today=date(2026, 3, 2),
        title="关于春季学期开学工作的通知",
        body="正文。",
    )
    for action, user, roles, fields in (
        ("submit", "jingban", CLERK, {}),
        ("office_approve", "zhuren", HEAD, {}),
        ("confidentiality_pass", None, {"confidentiality_reviewer"}, {}),
        ("leader_approve", "lingdao", LEADER, {}),
        ("publish", "zhuren", HEAD, {"published_on": date(2026, 3, 3)}),
    ):
        disclosure.document_transition(
            document=doc,
            action=action,
            actor=users[user] if user else baomi,
            actor_roles=roles,
            fields=fields,
            today=date(2026, 3, 3),
        )
    after = selectors.publication_sentence(agency=agency, year=YEAR)
    assert after != before and "1条" in after


def test_submitting_approving_and_publishing_wait_for_the_year_to_end_while_drafting_does_not(env):
    from gongkai.domain.errors import TransitionNotAllowed

    report = services.report_open(
        agency=env["agency"], year=YEAR, actor=env["users"]["jingban"], actor_roles=CLERK, today=date(2026, 12, 7)
    )
    write(env, report, {"overview": FIXED_PROSE["overview"]})  # drafting is allowed on 7 December
    for day in (date(2026, 12, 7), date(2026, 12, 31)):
        with pytest.raises(TransitionNotAllowed, match="第四十九条") as info:
            services.report_transition(
                report=report, action="submit", actor=env["users"]["jingban"], actor_roles=CLERK, today=day
            )
        assert "2026年12月31日" in info.value.message and "可以继续编写" in info.value.message
    from gongkai.domain.annual_report.workflow import Action, check_year_ended

    for action in (Action.OFFICE_APPROVE, Action.LEADER_APPROVE, Action.PUBLISH):
        with pytest.raises(TransitionNotAllowed, match="年度结束前"):
            check_year_ended(action, year=2026, today=date(2026, 12, 31))
        check_year_ended(action, year=2026, today=date(2027, 1, 1))  # the first day of the next year is fine
    check_year_ended(Action.OFFICE_RETURN, year=2026, today=date(2026, 12, 7))  # returning a draft is not refused


def test_a_fee_in_section_six_that_the_register_does_not_show_blocks_submission(env):
    report = open_report(env)
    prose = good_prose(report)
    write(env, report, {**prose, "other": "本年度共收取信息处理费999元。"})
    with pytest.raises(SubmissionBlocked) as err:
        move(env, report, "submit", "clerk")
    assert any("办理登记" in p and "999元" in p for p in err.value.problems)
    write(env, report, prose)
    move(env, report, "submit", "clerk")  # the register's figure (none paid): submitted


def test_an_imported_earlier_report_is_published_in_the_public_list_by_the_office_head(env, client, monkeypatch):
    from gongkai import localtime

    monkeypatch.setattr(localtime, "local_today", lambda: date(2026, 12, 7))
    data = _previous_docx(env)
    client.force_login(env["users"]["jingban"])
    client.post(
        reverse("annualreports:staff_previous", args=[YEAR]),
        {"mode": "import", "file": SimpleUploadedFile("2025年报.docx", data)},
    )
    record = PreviousReport.objects.get()
    public = Client()
    assert 'data-year="2025"' not in public.get("/xxgk/nianbao/").content.decode()
    # the clerk cannot publish; the office head can
    with pytest.raises(DomainError):
        services.previous_report_publish(
            record=record, publish=True, actor=env["users"]["jingban"], actor_roles=CLERK, today=date(2026, 12, 7)
        )
    client.force_login(env["users"]["zhuren"])
    assert client.post(reverse("annualreports:staff_previous", args=[YEAR]), {"mode": "publish"}).status_code == 302
    record.refresh_from_db()
    assert record.published_on == date(2026, 12, 7)
    listing = public.get("/xxgk/nianbao/").content.decode()
    assert 'data-year="2025" data-made-here="no"' in listing
    page = public.get("/xxgk/nianbao/2025/").content.decode()
    assert "示范区教育局2025年政府信息公开工作年度报告" in page and "下载原报告文件" in page
    original = public.get("/xxgk/nianbao/2025/original/")
    assert original.status_code == 200 and b"".join(original.streaming_content) == data
    # the year in progress cannot be published
    with pytest.raises(DomainError, match="尚未结束"):
        record.year = 2026
        record.save(update_fields=["year"])
        services.previous_report_publish(
            record=record, publish=True, actor=env["users"]["zhuren"], actor_roles=HEAD, today=date(2026, 12, 7)
        )
