"""The staff pages of the applications: register, work list, case page, action forms, approvals.

Cases are built with the services at chosen dates (``today`` passed explicitly); the views read
"today" from ``gongkai.localtime.local_today``, which the tests freeze with monkeypatch.
"""

from __future__ import annotations

import uuid
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from gongkai import localtime
from gongkai.accounts.models import Agency, Role
from gongkai.applications import clock, letters
from gongkai.applications.models import Application, CaseEvent
from gongkai.applications.services import application_submit, application_transition, sign_off_policy_for
from gongkai.domain.applications.workflow import available_actions, reply_outcomes
from gongkai.domain.clocks import DeadlineStatus
from gongkai.workcalendar.selectors import working_calendar
from tests.factories import EDU, HEALTH, bureau, person
from tests.integration.signing import reply_and_issue, sign_and_issue

pytestmark = pytest.mark.django_db

ID_NUMBER = "110101199001011237"
APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "id_document_type": "resident_id",
    "id_document_number": ID_NUMBER,
    "phone": "13800000000",
    "description": "2025年示范区义务教育招生划片方案",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}
XSS = "<script>alert('x')</script>"
CLERK, HEAD, LEADER = {"clerk"}, {"office_head"}, {"leader"}


# -- helpers --------------------------------------------------------------------------------------


@pytest.fixture
def people():
    cast = bureau()
    # a clerk of the other agency under the same supervising office
    cast.people["weijian"] = person(cast.neighbour, Role.CLERK, "weijian", last_name="周", first_name="芳")
    return cast.people


@pytest.fixture
def freeze(monkeypatch):
    def _freeze(day: date):
        monkeypatch.setattr(localtime, "local_today", lambda: day)

    return _freeze


def _submit(people, *, agency=EDU, applicant=None, received=date(2025, 9, 1), **kw):
    defaults = dict(
        agency=Agency.objects.get(code=agency),
        channel="in_person",
        applicant=applicant or APPLICANT,
        submitted_on=received,
        handed_in_on=received,
        registered_by=people["jingban"],
        today=received,
    )
    return application_submit(**{**defaults, **kw}).application


def _move(app, action, user, roles, today, **fields):
    application_transition(application=app, action=action, actor=user, actor_roles=roles, fields=fields, today=today)
    app.refresh_from_db()
    return app


def _client(client, user):
    client.force_login(user)
    return client


def _case_url(app):
    return reverse("applications:staff_case", kwargs={"pk": app.pk})


def _act_url(app, action):
    return reverse("applications:staff_act", kwargs={"pk": app.pk, "action": action})


class _Elements(HTMLParser):
    """Every element carrying a data-testid, with its attributes, text and enclosing test ids."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict | None]] = []
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        el = None
        if "data-testid" in a:
            parents = [e for _, e in self.stack if e is not None]
            el = {"testid": a["data-testid"], "attrs": a, "text": "", "parent": parents[-1] if parents else None}
            self.found.append(el)
        if tag not in self.VOID:
            self.stack.append((tag, el))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, el in self.stack:
            if el is not None:
                el["text"] += data


def _elements(response) -> list[dict]:
    parser = _Elements()
    parser.feed(response.content.decode())
    return parser.found


def _by_testid(response, testid: str) -> list[dict]:
    return [e for e in _elements(response) if e["testid"] == testid]


def _inside(elements, parent, testid):
    return next(e for e in elements if e["testid"] == testid and e["parent"] is parent)


def _buttons(response) -> list[str]:
    return [e["attrs"]["data-action"] for e in _by_testid(response, "action")]


def _shown_deadlines(response) -> list[tuple]:
    els = _elements(response)
    rows = []
    for row in (e for e in els if e["testid"] == "deadline"):
        rows.append(
            (
                row["attrs"]["data-key"],
                _inside(els, row, "deadline-label")["text"].strip(),
                date.fromisoformat(_inside(els, row, "deadline-due")["attrs"]["datetime"]),
                int(_inside(els, row, "deadline-days-left")["attrs"]["data-value"]),
                row["attrs"]["data-status"],
            )
        )
    return rows


def _case_in_state(people, state: str) -> Application:
    """A case walked to ``state`` with the services, all in September–October 2025."""
    clerk, head = people["jingban"], people["zhuren"]
    app = _submit(people)
    if state == "received":
        return app
    if state == "correction_requested":
        return _move(
            app,
            "request_correction",
            clerk,
            CLERK,
            date(2025, 9, 3),
            items=["写明文件名称"],
            requested_on=date(2025, 9, 3),
            period_working_days=10,
        )
    _move(app, "start_processing", clerk, CLERK, date(2025, 9, 2))
    if state == "in_progress":
        return app
    if state == "third_party_consultation":
        return _move(
            app,
            "start_third_party_consultation",
            clerk,
            CLERK,
            date(2025, 9, 5),
            party="某培训机构",
            sent_on=date(2025, 9, 4),
            delivered_on=date(2025, 9, 5),
        )
    if state in ("extension_requested", "extended"):
        _move(app, "request_extension", clerk, CLERK, date(2025, 9, 15), reason="需调取档案", working_days=15)
        if state == "extended":
            _move(
                app, "approve_extension", head, HEAD, date(2025, 9, 16), working_days=15, approved_on=date(2025, 9, 16)
            )
        return app
    if state in ("awaiting_sign_off", "replied"):
        _move(
            app,
            "submit_reply_for_sign_off",
            clerk,
            CLERK,
            date(2025, 9, 15),
            outcome_code="disclosed",
            legal_basis="第三十六条（二）",
        )
        if state == "replied":
            sign_and_issue(app, head=head, leader=people["lingdao"], clerk=clerk, on=date(2025, 9, 16))
        return app
    raise ValueError(state)


# -- the case page's buttons and who may press them ------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        "received",
        "correction_requested",
        "in_progress",
        "third_party_consultation",
        "extension_requested",
        "awaiting_sign_off",
        "replied",
    ],
)
def test_every_button_on_the_case_page_is_an_available_action_of_the_users_roles(client, people, freeze, state):
    app = _case_in_state(people, state)
    freeze(date(2025, 9, 17))
    policy = sign_off_policy_for(app.agency)
    for username, roles in (
        ("jingban", CLERK),
        ("zhuren", HEAD),
        ("lingdao", LEADER),
        ("baomi", set()),
    ):
        response = _client(client, people[username]).get(_case_url(app))
        assert response.status_code == 200
        expected = [
            a.value for a in available_actions(app.state, roles, policy, pending_outcome=app.pending_outcome or None)
        ]
        assert _buttons(response) == expected, (username, state)
        if (username, state) == ("lingdao", "awaiting_sign_off"):  # the office head signs first
            assert "sign_off_reply" not in expected


def test_a_clerk_sees_no_approve_button_and_a_forged_approval_is_refused_in_chinese(client, people, freeze):
    app = _case_in_state(people, "extension_requested")
    freeze(date(2025, 9, 16))
    c = _client(client, people["jingban"])
    assert "approve_extension" not in _buttons(c.get(_case_url(app)))
    events = CaseEvent.objects.filter(application=app).count()
    response = c.post(
        _act_url(app, "approve_extension"),
        {"working_days": "15", "approved_on": "2025-09-16", "confirm_irreversible": "on"},
    )
    assert response.status_code == 403
    assert "“批准延期答复”应由办公室主任操作" in _by_testid(response, "refusal")[0]["text"]
    app.refresh_from_db()
    assert app.state == "extension_requested" and CaseEvent.objects.filter(application=app).count() == events


def test_the_office_head_approves_the_extension_through_the_form(client, people, freeze):
    app = _case_in_state(people, "extension_requested")
    freeze(date(2025, 9, 16))
    c = _client(client, people["zhuren"])
    form = c.get(_act_url(app, "approve_extension"))
    html = form.content.decode()
    assert 'value="15"' in html  # the requested working days, taken from the clerk's request
    assert 'type="date"' in html and 'value="2025-09-16"' in html  # dates default to today
    response = c.post(
        _act_url(app, "approve_extension"),
        {"working_days": "15", "approved_on": "2025-09-16", "confirm_irreversible": "on"},
    )
    assert response.status_code == 302 and response["Location"] == _case_url(app)
    app.refresh_from_db()
    assert app.state == "extended"
    assert "已批准延期答复" in c.get(_case_url(app)).content.decode()


def test_a_supervisor_never_opens_a_case_nor_sees_the_applicant_and_cannot_act(client, people, freeze):
    # issue 17: the supervising office sees counts and rates of the agencies it oversees, never an
    # applicant's name or identity number; a case names both, so it is not the supervisor's to open
    app = _case_in_state(people, "received")
    freeze(date(2025, 9, 2))
    c = _client(client, people["jiandu"])
    assert c.get(_case_url(app)).status_code == 404
    assert c.post(_act_url(app, "start_processing"), {}).status_code == 404
    listed = c.get(reverse("applications:staff_list"))
    assert app.tracking_number not in listed.content.decode()
    assert app.applicant_name not in listed.content.decode()
    app.refresh_from_db()
    assert app.state == "received"


def test_a_user_of_another_agency_gets_404_for_the_case_its_actions_and_attachments(client, people, freeze):
    app = _submit(people, attachments=[("scan.pdf", "application/pdf", b"%PDF-1.4 test")])
    freeze(date(2025, 9, 2))
    c = _client(client, people["weijian"])
    att = app.attachments.get()
    assert c.get(_case_url(app)).status_code == 404
    assert c.get(_act_url(app, "start_processing")).status_code == 404
    assert c.post(_act_url(app, "start_processing"), {}).status_code == 404
    assert (
        c.get(reverse("applications:staff_attachment", kwargs={"pk": app.pk, "attachment_pk": att.pk})).status_code
        == 404
    )
    assert app.tracking_number not in c.get(reverse("applications:staff_list")).content.decode()


def test_the_staff_pages_require_login(client, people):
    app = _submit(people)
    for url in (
        reverse("applications:staff_list"),
        reverse("applications:staff_register"),
        _case_url(app),
        reverse("applications:staff_approvals"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# -- action forms ---------------------------------------------------------------------------------


def test_a_missing_required_field_is_named_next_to_it_in_chinese_and_nothing_is_written(client, people, freeze):
    app = _case_in_state(people, "received")
    freeze(date(2025, 9, 3))
    c = _client(client, people["jingban"])
    events = CaseEvent.objects.filter(application=app).count()
    response = c.post(
        _act_url(app, "request_correction"),
        {"items": "", "requested_on": "2025-09-03", "period_working_days": "10", "confirm_irreversible": "on"},
    )
    assert response.status_code == 200
    errors = _by_testid(response, "error-items")
    assert errors and "请填写“需要补正的事项”" in errors[0]["text"]
    assert 'value="2025-09-03"' in response.content.decode()  # what was typed survives
    app.refresh_from_db()
    assert app.state == "received" and CaseEvent.objects.filter(application=app).count() == events


def test_an_invalid_date_is_refused_in_chinese_next_to_the_field(client, people, freeze):
    app = _case_in_state(people, "received")
    freeze(date(2025, 9, 3))
    response = _client(client, people["jingban"]).post(
        _act_url(app, "request_correction"),
        {
            "items": "写明文件名称",
            "requested_on": "2025-13-40",
            "period_working_days": "10",
            "confirm_irreversible": "on",
        },
    )
    assert "“发出日期”应为日期" in _by_testid(response, "error-requested_on")[0]["text"]
    assert CaseEvent.objects.filter(application=app).count() == 1


def test_a_domain_field_error_is_shown_next_to_the_field_it_names(client, people, freeze):
    app = _case_in_state(people, "in_progress")
    freeze(date(2025, 9, 10))
    response = _client(client, people["jingban"]).post(
        _act_url(app, "start_third_party_consultation"),
        {"party": "某培训机构", "sent_on": "2025-09-09", "delivered_on": "2025-09-08"},
    )
    assert "应不早于“征求意见函发出日期”" in _by_testid(response, "error-delivered_on")[0]["text"]
    app.refresh_from_db()
    assert app.state == "in_progress"


def test_an_irreversible_step_without_confirmation_is_refused_and_with_it_is_recorded(client, people, freeze):
    app = _case_in_state(people, "received")
    freeze(date(2025, 9, 3))
    c = _client(client, people["jingban"])
    data = {"items": "写明文件名称\n写明文号", "requested_on": "2025-09-03", "period_working_days": "10"}
    response = c.post(_act_url(app, "request_correction"), data)
    assert response.status_code == 200
    assert "我已确认此操作不可撤销" in _by_testid(response, "error-confirm_irreversible")[0]["text"]
    app.refresh_from_db()
    assert app.state == "received" and app.events.count() == 1
    response = c.post(_act_url(app, "request_correction"), {**data, "confirm_irreversible": "on"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "correction_requested"
    assert app.events.last().fields["items"] == ["写明文件名称", "写明文号"]  # one item per line


def test_the_fee_is_computed_by_the_tariff_and_a_typed_amount_is_ignored(client, people, freeze):
    app = _case_in_state(people, "in_progress")
    freeze(date(2025, 9, 10))
    c = _client(client, people["jingban"])
    data = {
        "method": "per_page",
        "pages": "100",
        "fee_sent_on": "2025-09-10",
        "notice_received_on": "2025-09-10",
        "amount": "1",
        "confirm_irreversible": "on",
    }
    first = c.post(_act_url(app, "notify_fee"), {**data, "_calculate": "1"})
    assert _by_testid(first, "fee-amount")[0]["attrs"]["data-value"] == "700"
    app.refresh_from_db()
    assert app.state == "in_progress"  # calculating writes nothing
    # submitting without the amount having been shown: shown first, never sent unseen
    unseen = c.post(_act_url(app, "notify_fee"), data)
    assert "700元" in _by_testid(unseen, "notice")[0]["text"]
    assert Application.objects.get(pk=app.pk).state == "in_progress"
    done = c.post(_act_url(app, "notify_fee"), {**data, "quoted_amount": "700"})
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.state == "fee_notified" and app.events.last().fields["amount"] == 700


def test_the_reply_form_offers_only_the_domains_outcomes_and_fills_in_the_legal_basis(client, people, freeze):
    app = _case_in_state(people, "in_progress")
    freeze(date(2025, 9, 10))
    c = _client(client, people["jingban"])
    form = c.get(_act_url(app, "submit_reply_for_sign_off")).content.decode()
    offered = set()
    for code in reply_outcomes("in_progress", "submit_reply_for_sign_off", sign_off_policy_for(app.agency)):
        assert f'value="{code}"' in form
        offered.add(code)
    assert 'value="petition_complaint"' not in form and "outcome-bases" in form
    response = c.post(_act_url(app, "submit_reply_for_sign_off"), {"outcome_code": "disclosed", "legal_basis": ""})
    assert "已按所选办理结果填入法律依据" in _by_testid(response, "notice")[0]["text"]
    assert "第三十六条（二）" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "in_progress"
    response = c.post(
        _act_url(app, "submit_reply_for_sign_off"), {"outcome_code": "disclosed", "legal_basis": "第三十六条（二）"}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.state, app.pending_outcome) == ("awaiting_sign_off", "disclosed")


def test_the_head_then_the_leader_sign_the_letter_itself_and_the_clerk_issues_it(client, people, freeze):
    app = _case_in_state(people, "awaiting_sign_off")
    other = _case_in_state(people, "awaiting_sign_off")
    freeze(date(2025, 9, 16))
    # the leader is second in the chain: the draft is not in the leader's queue yet, and signing is refused
    c = _client(client, people["lingdao"])
    assert not _by_testid(c.get(reverse("applications:staff_approvals")), "sign-off-row")
    c.post(_act_url(app, "sign_off_reply"), {})
    app.refresh_from_db()
    assert app.state == "awaiting_sign_off"
    # the office head reads the reply letter itself (the draft rendered from the template) and signs
    c = _client(client, people["zhuren"])
    form = c.get(_act_url(app, "sign_off_reply"))
    assert "予以公开" in _by_testid(form, "pending-reply")[0]["text"]
    letter = _by_testid(form, "reply-letter")[0]["text"]
    assert app.tracking_number in letter and "行政复议" in letter and "按模板生成的草稿" in letter
    assert c.post(_act_url(app, "sign_off_reply"), {}).status_code == 302
    app.refresh_from_db()
    assert app.state == "awaiting_leader_sign_off"
    rows = _by_testid(c.get(reverse("applications:staff_approvals")), "sign-off-row")
    assert [e["attrs"]["data-id"] for e in rows] == [str(other.pk)]  # it left the head's queue
    c = _client(client, people["lingdao"])
    assert [
        e["attrs"]["data-id"] for e in _by_testid(c.get(reverse("applications:staff_approvals")), "sign-off-row")
    ] == [str(app.pk)]
    assert c.post(_act_url(app, "sign_off_reply"), {}).status_code == 302
    app.refresh_from_db()
    assert (app.state, app.outcome_code, app.concluded_on) == ("reply_signed", "", None)  # signed is not replied
    # issuing needs the letter: refused until it is generated, then the case is 已答复 on the day it was sent
    c = _client(client, people["jingban"])
    refused = c.post(
        _act_url(app, "issue_reply"), {"replied_on": "2025-09-17", "issued_via": "post", "confirm_irreversible": "on"}
    )
    page = refused.content.decode()
    assert "生成答复书" in page and "再登记送达" in page
    # and the page says where the letter is made
    assert reverse("applications:letters", args=[app.pk]) in page
    letters.generate_letter(application=app, kind=letters.LetterKind.reply_for("disclosed"), user=people["jingban"])
    freeze(date(2025, 9, 17))
    assert (
        c.post(
            _act_url(app, "issue_reply"),
            {"replied_on": "2025-09-17", "issued_via": "post", "confirm_irreversible": "on"},
        ).status_code
        == 302
    )
    app.refresh_from_db()
    assert (app.state, app.outcome_code, app.concluded_on) == ("replied", "disclosed", date(2025, 9, 17))
    c = _client(client, people["lingdao"])
    assert c.post(_act_url(other, "return_reply"), {"comment": "请补充理由"}).status_code == 302
    other.refresh_from_db()
    assert other.state == "in_progress"
    assert "待签发的办理结果" not in _by_testid(c.get(_case_url(other)), "request")[0]["text"]


def test_every_transition_of_the_table_gets_a_form_with_its_fields_typed_by_the_domain_specs():
    from gongkai.applications.forms_staff import SERVER_FILLED, ActionForm
    from gongkai.domain.applications.workflow import FIELD_SPECS, TRANSITIONS
    from gongkai.domain.fields import FieldKind

    widget_of = {
        FieldKind.DATE: "date",
        FieldKind.INTEGER: "number",
        FieldKind.TEXT_LIST: "textarea",
        FieldKind.CHOICE: "select",
    }
    for row in TRANSITIONS:
        state = sorted(row.sources)[0]
        form = ActionForm(transition=row, outcome_codes=reply_outcomes(state, row.action), today=date(2025, 9, 1))
        shown = [n for n in row.field_names if n not in SERVER_FILLED.get(row.action, ())]
        # a reply that may be 非本机关 also asks for the responsible agency (第三十六条（五）), where the
        # outcome is chosen: signing and issuing a drafted reply carry the draft's details
        shown += form.detail_names
        if "not_this_agency" in reply_outcomes(state, row.action) and row.action not in (
            "sign_off_reply",
            "issue_reply",
        ):
            assert form.detail_names == ["responsible_agency", "responsible_agency_contact"], row.action
        assert [n for n in form.fields if n not in ("confirm_irreversible", "quoted_amount")] == shown, row.action
        assert ("confirm_irreversible" in form.fields) == row.irreversible
        for name in shown:
            html = str(form[name])
            expected = widget_of.get(FIELD_SPECS[name].kind)
            if expected in ("date", "number"):
                assert f'type="{expected}"' in html, name
            elif expected:
                assert html.startswith(f"<{expected}"), name
            assert form[name].label == FIELD_SPECS[name].label


# -- deadlines, history, escaping -----------------------------------------------------------------


def test_the_deadlines_shown_are_exactly_the_domain_clocks(client, people, freeze):
    app = _case_in_state(people, "third_party_consultation")
    today = date(2025, 9, 12)
    freeze(today)
    response = _client(client, people["zhuren"]).get(_case_url(app))
    expected = [
        (d.key, d.label, d.due, d.days_left, str(d.status))
        for d in clock.deadlines_of(
            app.events.order_by("seq"), calendar=working_calendar(), today=today, convention="A"
        )
    ]
    shown = _shown_deadlines(response)
    assert shown == expected
    assert {"reply", "consultation_reply", "correction_notice", "extension_decision"} <= {k for k, *_ in shown}
    assert dict((k, s) for k, _, _, _, s in shown)["reply"] == DeadlineStatus.PAUSED


def test_a_voided_reply_clock_is_shown_as_void(client, people, freeze):
    app = _case_in_state(people, "correction_requested")
    freeze(date(2025, 9, 5))
    response = _client(client, people["jingban"]).get(_case_url(app))
    reply = next(e for e in _by_testid(response, "deadline") if e["attrs"]["data-key"] == "reply")
    assert reply["attrs"]["data-status"] == "void" and "作废" in reply["text"]


def test_the_case_page_shows_the_log_and_the_field_history_with_who_and_when(client, people, freeze):
    app = _case_in_state(people, "extended")
    freeze(date(2025, 9, 17))
    response = _client(client, people["jingban"]).get(_case_url(app))
    actions = [e["text"].strip() for e in _by_testid(response, "event-action")]
    assert actions == ["提交申请", "开始办理", "申请延期答复", "批准延期答复"]
    events_text = _by_testid(response, "events")[0]["text"]
    assert "延长工作日数" in events_text and "需调取档案" in events_text and "2025年9月16日" in events_text
    history = " ".join(e["text"] for e in _by_testid(response, "history-row"))
    assert "办理状态" in history and "延期待批准 → 已延期" in history and "李华" in history
    assert "答复期限" in history


def test_script_in_every_free_text_field_is_escaped_on_the_case_page_and_in_the_list(client, people, freeze):
    hostile = {
        **APPLICANT,
        "applicant_name": XSS,
        "contact_person": XSS,
        "address": XSS,
        "description": XSS,
        "document_number_hint": XSS,
        "email": "",
    }
    app = _submit(people, applicant=hostile)
    _move(app, "start_processing", people["jingban"], CLERK, date(2025, 9, 2))
    _move(app, "request_extension", people["jingban"], CLERK, date(2025, 9, 3), reason=XSS, working_days=5)
    _move(app, "reject_extension", people["zhuren"], HEAD, date(2025, 9, 3), comment=XSS)
    freeze(date(2025, 9, 4))
    c = _client(client, people["jingban"])
    for response in (c.get(_case_url(app)), c.get(reverse("applications:staff_list"))):
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_identity_numbers_are_masked_in_the_list_and_for_roles_that_do_not_need_them(client, people, freeze):
    app = _submit(people)
    freeze(date(2025, 9, 2))
    listing = _client(client, people["jingban"]).get(reverse("applications:staff_list"))
    assert ID_NUMBER not in listing.content.decode()
    assert [e["text"] for e in _by_testid(listing, "masked-id")] == ["110***********1237"]
    assert ID_NUMBER in _client(client, people["jingban"]).get(_case_url(app)).content.decode()
    for username in ("lingdao", "baomi"):
        html = _client(client, people[username]).get(_case_url(app)).content.decode()
        assert ID_NUMBER not in html and "110***********1237" in html, username
    # the supervising office does not open the case at all (issue 17: counts only)
    assert _client(client, people["jiandu"]).get(_case_url(app)).status_code == 404


def test_an_attachment_downloads_as_an_attachment_with_its_stored_type_and_nosniff(client, people, freeze):
    app = _submit(people, attachments=[("<b>申请.html", "text/html", b"<script>alert(1)</script>")])
    att = app.attachments.get()
    freeze(date(2025, 9, 2))
    response = _client(client, people["jingban"]).get(
        reverse("applications:staff_attachment", kwargs={"pk": app.pk, "attachment_pk": att.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


# -- the work list --------------------------------------------------------------------------------


@pytest.fixture
def worklist_cases(people):
    """One case per tab, built at chosen dates; the list is then read on 2025-11-03."""
    clerk, head = people["jingban"], people["zhuren"]
    cases = {}
    cases["overdue"] = _submit(people, received=date(2025, 9, 1))  # due 2025-09-28
    cases["due_soon"] = _submit(people, received=date(2025, 10, 9))  # due 2025-11-05
    cases["fresh"] = _submit(people, received=date(2025, 11, 3))
    a = _submit(people, received=date(2025, 9, 1))
    cases["correction"] = _move(
        a,
        "request_correction",
        clerk,
        CLERK,
        date(2025, 9, 3),
        items=["写明名称"],
        requested_on=date(2025, 9, 3),
        until=date(2025, 12, 1),
    )
    a = _move(_submit(people, received=date(2025, 10, 20)), "start_processing", clerk, CLERK, date(2025, 10, 20))
    cases["consultation"] = _move(
        a,
        "start_agency_consultation",
        clerk,
        CLERK,
        date(2025, 10, 22),
        party="区财政局",
        sent_on=date(2025, 10, 21),
        delivered_on=date(2025, 10, 22),
    )
    a = _move(_submit(people, received=date(2025, 10, 20)), "start_processing", clerk, CLERK, date(2025, 10, 20))
    cases["extension"] = _move(a, "request_extension", clerk, CLERK, date(2025, 10, 30), reason="量大", working_days=10)
    a = _submit(people, received=date(2025, 10, 20))
    cases["sign_off"] = _move(
        a,
        "submit_reply_for_sign_off",
        clerk,
        CLERK,
        date(2025, 10, 21),
        outcome_code="duplicate",
        legal_basis="第三十六条（六）",
    )
    a = _move(_submit(people, received=date(2025, 9, 1)), "start_processing", clerk, CLERK, date(2025, 9, 2))
    reply_and_issue(a, clerk=clerk, outcome_code="already_public", legal_basis="第三十六条（一）", on=date(2025, 9, 5))
    cases["closed"] = a
    cases["unconfirmed"] = _submit(people, received=date(2025, 11, 3), channel="email", handed_in_on=None)
    cases["elsewhere"] = _submit(people, agency=HEALTH, received=date(2025, 9, 1))
    assert head  # the office head only reads here
    return cases


@pytest.mark.parametrize(
    "view, expected",
    [
        (
            "open",
            {"overdue", "due_soon", "fresh", "correction", "consultation", "extension", "sign_off", "unconfirmed"},
        ),
        ("overdue", {"overdue"}),
        ("due_soon", {"due_soon"}),
        ("awaiting_applicant", {"correction"}),
        ("consultation", {"consultation"}),
        ("extension_requested", {"extension"}),
        ("awaiting_sign_off", {"sign_off"}),
        ("closed", {"closed"}),
    ],
)
def test_each_work_list_filter_returns_its_cases(client, people, freeze, worklist_cases, view, expected):
    freeze(date(2025, 11, 3))
    response = _client(client, people["jingban"]).get(reverse("applications:staff_list"), {"view": view})
    shown = {e["attrs"]["data-tracking"] for e in _by_testid(response, "case-row")}
    assert shown == {worklist_cases[k].tracking_number for k in expected}


def test_the_work_list_is_sorted_by_reply_deadline_with_days_left_on_the_calendar(
    client, people, freeze, worklist_cases
):
    freeze(date(2025, 11, 3))
    response = _client(client, people["jingban"]).get(reverse("applications:staff_list"))
    els = _elements(response)
    rows = [e for e in els if e["testid"] == "case-row"]
    order = [r["attrs"]["data-tracking"] for r in rows]
    assert order[0] == worklist_cases["unconfirmed"].tracking_number  # no clock yet: confirm today
    dues = [date.fromisoformat(d) for d in _by_testid_dates(response)]
    assert dues == sorted(dues)
    days = {r["attrs"]["data-tracking"]: r for r in rows}
    overdue_cell = _inside(els, days[worklist_cases["overdue"].tracking_number], "days-left")
    soon_cell = _inside(els, days[worklist_cases["due_soon"].tracking_number], "days-left")
    cal = working_calendar()
    assert int(soon_cell["attrs"]["data-value"]) == cal.working_days_between(date(2025, 11, 3), date(2025, 11, 5)) == 2
    assert int(overdue_cell["attrs"]["data-value"]) == -cal.working_days_between(date(2025, 9, 28), date(2025, 11, 3))
    assert "已逾期" in overdue_cell["text"]


def _by_testid_dates(response) -> list[str]:
    return [e["text"].strip() for e in _by_testid(response, "reply-due") if e["text"].strip() != "—"]


def test_the_work_list_pages_by_fifty_in_few_queries(client, people, freeze, django_assert_max_num_queries):
    for _ in range(55):
        _submit(people, received=date(2025, 10, 9), submission_token=uuid.uuid4())
    freeze(date(2025, 11, 3))
    c = _client(client, people["jingban"])
    with django_assert_max_num_queries(12):
        first = c.get(reverse("applications:staff_list"))
    assert len(_by_testid(first, "case-row")) == 50 and _by_testid(first, "pager")
    second = c.get(reverse("applications:staff_list"), {"page": 2})
    assert len(_by_testid(second, "case-row")) == 5


# -- registering an application ----------------------------------------------------------------------


def _form(**overrides):
    data = {
        **APPLICANT,
        "channel": "in_person",
        "handed_in_on": "2025-09-01",
        "submission_token": str(uuid.uuid4()),
        "agency": str(Agency.objects.get(code=EDU).pk),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_clerk_registers_an_application_handed_in_and_gets_its_number_and_code(client, people, freeze):
    freeze(date(2025, 9, 1))
    response = _client(client, people["jingban"]).post(reverse("applications:staff_register"), _form())
    assert response.status_code == 200
    app = Application.objects.get()
    assert _by_testid(response, "tracking-number")[0]["text"].strip() == app.tracking_number
    assert len(_by_testid(response, "query-code")[0]["text"].strip()) == 8
    assert (app.state, app.received_on, app.reply_due, app.registered_by) == (
        "received",
        date(2025, 9, 1),
        date(2025, 9, 28),
        people["jingban"],
    )
    assert app.oral is False


def test_an_applicant_who_asks_the_clerk_to_be_told_gets_the_receipt_message_and_a_wrong_choice_is_refused(
    client, people, freeze
):
    """The applicant of a letter or at the counter asks, as one on the public form can, to be told when
    the receipt and the reply are ready: the clerk writes it down, and a case received on registration
    has its receipt message queued at once. SMS to a landline is refused, and nothing is stored."""
    from gongkai.applications.models import ApplicantNotice
    from gongkai.notifications.models import OutboxMessage

    freeze(date(2025, 9, 1))
    c = _client(client, people["jingban"])
    refused = c.post(reverse("applications:staff_register"), _form(phone="010-12345678", notify_by="sms"))
    assert refused.status_code == 200 and not Application.objects.exists()
    assert "手机" in _by_testid(refused, "error-notify_by")[0]["text"]
    c.post(reverse("applications:staff_register"), _form(notify_by="email", email="liuyang@example.com"))
    app = Application.objects.get()
    assert ApplicantNotice.objects.get(application=app).channel == "email"
    receipt = OutboxMessage.objects.get(key=f"applicant:{app.pk}:receipt:email")
    assert app.tracking_number in receipt.body and receipt.recipient == app.email
    # without the choice nothing is queued
    c.post(reverse("applications:staff_register"), _form(applicant_name="王芳"))
    other = Application.objects.exclude(pk=app.pk).get()
    assert not ApplicantNotice.objects.filter(application=other).exists()


def test_an_oral_application_is_marked_as_written_down_by_the_office(client, people, freeze):
    freeze(date(2025, 9, 1))
    _client(client, people["jingban"]).post(reverse("applications:staff_register"), _form(channel="oral"))
    app = Application.objects.get()
    assert app.oral is True and app.channel == "oral" and app.received_on == date(2025, 9, 1)


def test_signed_post_without_its_signing_date_is_refused_next_to_the_date(client, people, freeze):
    freeze(date(2025, 9, 1))
    response = _client(client, people["jingban"]).post(
        reverse("applications:staff_register"), _form(channel="post_signed", handed_in_on="")
    )
    assert "须填写签收日期" in _by_testid(response, "error-signed_for_on")[0]["text"]
    assert not Application.objects.exists()
    assert "2025年示范区义务教育招生划片方案" in response.content.decode()  # typed text kept


def test_a_date_the_channel_does_not_use_is_refused_in_chinese(client, people, freeze):
    freeze(date(2025, 9, 1))
    response = _client(client, people["jingban"]).post(reverse("applications:staff_register"), _form(channel="fax"))
    assert "不应填写提交日期" in _by_testid(response, "error-confirmed_on")[0]["text"]
    assert not Application.objects.exists()


def test_unsigned_post_without_confirmation_waits_to_be_confirmed(client, people, freeze):
    freeze(date(2025, 9, 1))
    c = _client(client, people["jingban"])
    c.post(reverse("applications:staff_register"), _form(channel="post_unsigned", handed_in_on=""))
    app = Application.objects.get()
    assert (app.state, app.received_on, app.reply_due) == ("submitted", None, None)
    assert _buttons(c.get(_case_url(app))) == ["confirm_receipt", "withdraw"]


def test_a_receipt_date_after_today_is_refused(client, people, freeze):
    freeze(date(2025, 9, 1))
    response = _client(client, people["jingban"]).post(
        reverse("applications:staff_register"), _form(handed_in_on="2025-09-05")
    )
    assert "晚于今天" in _by_testid(response, "error-handed_in_on")[0]["text"]
    assert not Application.objects.exists()


def test_a_missing_applicant_field_is_named_in_chinese(client, people, freeze):
    freeze(date(2025, 9, 1))
    response = _client(client, people["jingban"]).post(reverse("applications:staff_register"), _form(applicant_name=""))
    assert "请填写“申请人姓名或名称”" in _by_testid(response, "error-applicant_name")[0]["text"]
    assert not Application.objects.exists()


def test_submitting_the_registration_twice_creates_one_application(client, people, freeze):
    freeze(date(2025, 9, 1))
    c = _client(client, people["jingban"])
    data = _form()
    c.post(reverse("applications:staff_register"), data)
    again = c.post(reverse("applications:staff_register"), data)
    assert Application.objects.count() == 1
    assert again.status_code == 302 and again["Location"] == _case_url(Application.objects.get())


def test_only_clerks_register_applications(client, people):
    response = _client(client, people["lingdao"]).get(reverse("applications:staff_register"))
    assert response.status_code == 403 and "只有经办人可以登记" in response.content.decode()


# -- approvals and dashboards ---------------------------------------------------------------------


def test_the_approvals_page_lists_extensions_for_the_head_and_sign_offs_for_both(client, people, freeze):
    ext = _case_in_state(people, "extension_requested")
    sign = _case_in_state(people, "awaiting_sign_off")
    freeze(date(2025, 9, 16))
    head = _client(client, people["zhuren"]).get(reverse("applications:staff_approvals"))
    assert [e["attrs"]["data-id"] for e in _by_testid(head, "extension-row")] == [str(ext.pk)]
    assert [e["attrs"]["data-id"] for e in _by_testid(head, "sign-off-row")] == [str(sign.pk)]
    assert "需调取档案" in head.content.decode()
    # the office head signs first (the agency's default chain): the leader's queue is empty until then
    leader = _client(client, people["lingdao"]).get(reverse("applications:staff_approvals"))
    assert not _by_testid(leader, "extensions") and not _by_testid(leader, "sign-off-row")
    assert _client(client, people["jingban"]).get(reverse("applications:staff_approvals")).status_code == 403


def test_the_dashboards_count_the_work_of_each_role(client, people, worklist_cases, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: date(2025, 11, 3))

    def counts(username):
        response = _client(client, people[username]).get(reverse("accounts:dashboard"))
        found = {e["attrs"]["data-count"]: int(e["attrs"]["data-value"]) for e in _by_testid(response, "case-count")}
        # the proposals, work-order and new-media apps add their own counts to the same panels (none here: all zero)
        others = ("proposals_", "workorders_", "publicity_")
        assert all(v == 0 for k, v in found.items() if k.startswith(others)), found
        return {k: v for k, v in found.items() if not k.startswith(others)}

    assert counts("jingban") == {"open": 8, "overdue": 1, "due_soon": 1, "unconfirmed": 1, "to_issue": 0}
    # the draft awaits the office head's signature first (the agency's chain): not yet the leader's
    assert counts("zhuren") == {"extensions": 1, "sign_offs": 1, "overdue": 1}
    assert counts("lingdao") == {"sign_offs": 0}


def test_a_dashboard_counts_only_the_drafts_awaiting_its_own_signature(client, people, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: date(2025, 9, 16))
    app = _case_in_state(people, "awaiting_sign_off")

    def signing(username):
        response = _client(client, people[username]).get(reverse("accounts:dashboard"))
        return {e["attrs"]["data-count"]: int(e["attrs"]["data-value"]) for e in _by_testid(response, "case-count")}[
            "sign_offs"
        ]

    assert (signing("zhuren"), signing("lingdao")) == (1, 0)
    _move(app, "sign_off_reply", people["zhuren"], {"office_head"}, date(2025, 9, 16))
    assert (signing("zhuren"), signing("lingdao")) == (0, 1)
    # an agency whose chain for this outcome is the leader alone: the office head never counts it
    agency = app.agency
    agency.sign_off_chains = {app.pending_outcome: "leader"}
    agency.save()
    other = _case_in_state(people, "awaiting_sign_off")
    assert other.pending_outcome == app.pending_outcome
    assert (signing("zhuren"), signing("lingdao")) == (0, 2)


def test_the_clerks_registration_refuses_what_the_public_form_refuses(client, people, freeze):
    from django.core.files.uploadedfile import SimpleUploadedFile

    freeze(date(2025, 9, 1))
    bad_id = _client(client, people["jingban"]).post(
        reverse("applications:staff_register"), _form(id_document_number="110101199001011230")
    )
    assert "居民身份证号码校验位不正确" in bad_id.content.decode()
    fake_pdf = SimpleUploadedFile("通知.pdf", b"\x89PNG\r\n\x1a\n not a pdf")
    refused = _client(client, people["jingban"]).post(
        reverse("applications:staff_register"), {**_form(), "attachment": fake_pdf}
    )
    assert "内容与扩展名不符" in refused.content.decode()
    assert not Application.objects.exists()
