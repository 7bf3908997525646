"""Issue 14 through the services and pages.

A case becomes 已答复 when the reply is issued (the letter exists and is marked sent, with
the date and the channel), not when it is written, also for a reply that needs no sign-off.

第三十三条第二款 counts the reply period to the day the reply is given; 第四十条 leaves the form of
delivery to the request: the reply date is the issue date, and before it the reply has not reached
the applicant (their status page does not show it).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from gongkai import localtime
from gongkai.accounts.models import Agency
from gongkai.applications import letters, statistics
from gongkai.applications.models import CaseEvent
from gongkai.applications.selectors_public import public_history
from gongkai.applications.services import application_submit, application_transition
from gongkai.demo.accounts import seed_demo
from gongkai.domain.errors import DomainError

pytestmark = pytest.mark.django_db

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13800000000",
    "description": "2026年示范区义务教育招生划片方案",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}
CLERK = {"clerk"}


@pytest.fixture
def clerk():
    seed_demo()
    return get_user_model().objects.get(username="jingban")


def _received(clerk, on: date):
    app = application_submit(
        agency=Agency.objects.get(code="demo-edu"),
        channel="in_person",
        applicant=APPLICANT,
        submitted_on=on,
        handed_in_on=on,
        registered_by=clerk,
        today=on,
    ).application
    application_transition(
        application=app, action="start_processing", actor=clerk, actor_roles=CLERK, fields={}, today=on
    )
    app.refresh_from_db()
    return app


def _move(app, action, clerk, on, **fields):
    application_transition(application=app, action=action, actor=clerk, actor_roles=CLERK, fields=fields, today=on)
    app.refresh_from_db()
    return app


def test_a_reply_needing_no_sign_off_is_replied_only_when_issued_and_dated_by_the_issue(clerk):
    # received Mon 2026-03-02: 20 working days → due 2026-03-30 (no holiday in March 2026)
    app = _received(clerk, date(2026, 3, 2))
    assert app.reply_due == date(2026, 3, 30)
    _move(app, "reply", clerk, date(2026, 3, 10), outcome_code="already_public", legal_basis="第三十六条（一）")
    assert app.state == "reply_ready" and not app.outcome_code and app.concluded_on is None
    assert app.pending_outcome == "already_public"
    # not yet a reply: the applicant sees nothing, table 三 does not count it as concluded
    assert "作出答复" not in [e.label for e in public_history(app)]
    assert statistics.table3_for_year_sql(app.agency, 2026)["carry_forward"]["natural_person"] == 1
    # no letter, no issue
    with pytest.raises(DomainError, match="答复书"):
        _move(app, "issue_reply", clerk, date(2026, 3, 12), replied_on=date(2026, 3, 12), issued_via="email")
    letters.generate_letter(application=app, kind=letters.LetterKind.reply_for("already_public"), user=clerk)
    _move(app, "issue_reply", clerk, date(2026, 3, 12), replied_on=date(2026, 3, 12), issued_via="email")
    assert app.state == "replied" and app.outcome_code == "already_public"
    assert app.concluded_on == date(2026, 3, 12) and app.reply_status == "met"
    assert [e.on for e in public_history(app) if e.label == "作出答复"] == [date(2026, 3, 12)]
    t3 = statistics.table3_for_year_sql(app.agency, 2026)
    assert t3["carry_forward"]["total"] == 0 and t3["results_total"]["natural_person"] == 1


def test_a_reply_written_in_time_but_issued_after_the_due_date_is_late(clerk):
    # due 2026-03-30 (above); written on 03-27, issued on 03-31: the reply was given late
    app = _received(clerk, date(2026, 3, 2))
    _move(app, "reply", clerk, date(2026, 3, 27), outcome_code="already_public", legal_basis="第三十六条（一）")
    letters.generate_letter(application=app, kind=letters.LetterKind.reply_for("already_public"), user=clerk)
    _move(app, "issue_reply", clerk, date(2026, 3, 31), replied_on=date(2026, 3, 31), issued_via="post")
    assert app.concluded_on == date(2026, 3, 31) and app.reply_status == "missed"


def test_an_unissued_reply_may_be_taken_back_by_the_clerk(clerk):
    app = _received(clerk, date(2026, 3, 2))
    _move(app, "reply", clerk, date(2026, 3, 10), outcome_code="already_public", legal_basis="第三十六条（一）")
    _move(app, "return_reply", clerk, date(2026, 3, 11), comment="链接地址有误")
    assert app.state == "in_progress" and not app.pending_outcome


def test_the_35th_article_refusal_is_issued_like_any_reply(clerk):
    # 第三十五条: reasons judged unreasonable → 不予处理, written and then issued
    app = _received(clerk, date(2026, 3, 2))
    _move(app, "ask_reason", clerk, date(2026, 3, 3), requested_on=date(2026, 3, 3))
    agency = app.agency
    agency.sign_off_outcomes = []  # this agency signs nothing
    agency.legal_review_outcomes = []  # and reviews nothing (issue 16 §2: else 不予处理 goes to 法制审核 first)
    agency.save()
    _move(app, "reason_unreasonable", clerk, date(2026, 3, 9), legal_basis="第三十五条")
    assert app.state == "reply_ready" and app.pending_outcome == "excessive_unreasonable"
    letters.generate_letter(application=app, kind=letters.LetterKind.reply_for("excessive_unreasonable"), user=clerk)
    _move(app, "issue_reply", clerk, date(2026, 3, 10), replied_on=date(2026, 3, 10), issued_via="post")
    assert (app.state, app.outcome_code, app.concluded_on) == ("replied", "excessive_unreasonable", date(2026, 3, 10))


# -- rule 8: an ordinary letter is confirmed on the day it arrives (第三十一条（二）) -------------------


def test_a_late_confirmation_of_an_ordinary_letter_is_kept_in_the_case_history(clerk, client, monkeypatch):
    # a 平信 (post_unsigned) arrives Mon 2026-03-02 and is confirmed Wed 03-04: allowed, but late.
    # The receipt date is the confirmation day (第三十一条（二）): 03-04 + 20 working days = 2026-04-01
    # (Mar 5–6, 9–13, 16–20, 23–27, 30–31 and Apr 1; Qingming falls on 4–6 April).
    monkeypatch.setattr(localtime, "local_today", lambda: date(2026, 3, 4))
    app = application_submit(
        agency=Agency.objects.get(code="demo-edu"),
        channel="post_unsigned",
        applicant=APPLICANT,
        submitted_on=date(2026, 3, 2),
        handed_in_on=None,
        registered_by=clerk,
        today=date(2026, 3, 2),
    ).application
    assert app.state == "submitted"
    client.force_login(clerk)
    response = client.post(
        f"/work/applications/{app.pk}/act/confirm_receipt/",
        {"confirmed_on": "2026-03-04", "arrived_on": "2026-03-02"},
        follow=True,
    )
    assert response.status_code == 200
    app.refresh_from_db()
    assert app.received_on == date(2026, 3, 4) and app.reply_due == date(2026, 4, 1)
    event = CaseEvent.objects.get(application=app, action="confirm_receipt")
    assert "第三十一条（二）" in event.fields["late_confirmation"]
    # it survives the request: the case page shows it in the history, read again from the log
    page = client.get(f"/work/applications/{app.pk}/").content.decode()
    assert "迟延确认（第三十一条（二））" in page and "要求在收到申请的当日确认" in page


def test_a_letter_confirmed_on_the_day_it_arrived_leaves_no_warning(clerk):
    app = application_submit(
        agency=Agency.objects.get(code="demo-edu"),
        channel="post_unsigned",
        applicant=APPLICANT,
        submitted_on=date(2026, 3, 2),
        handed_in_on=None,
        registered_by=clerk,
        today=date(2026, 3, 2),
    ).application
    _move(app, "confirm_receipt", clerk, date(2026, 3, 2), confirmed_on=date(2026, 3, 2), arrived_on=date(2026, 3, 2))
    assert "late_confirmation" not in CaseEvent.objects.get(application=app, action="confirm_receipt").fields


# -- rule 6: the 20 working days and the extension are 第三十三条第二款 (第一款 is 当场答复) --------------


def test_the_public_deadline_rules_cite_the_paragraph_of_each_period():
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    r = SimpleNamespace(
        received_on=date(2026, 3, 2),
        day_zero=date(2026, 3, 2),
        reply_due=date(2026, 3, 30),
        reply_due_provisional=False,
    )
    html = render_to_string("applications/public/_deadline_rules.html", {"r": r, "reply_working_days": 20})
    items = [li.split("</li>")[0] for li in html.split("<li>")[1:]]
    twenty = next(i for i in items if "20个工作日内答复" in i)
    # 当场答复 is the first paragraph, the 20 working days the second: the sentence holds both
    assert "（第三十三条第一款、第二款）" in twenty and "2026年3月30日" in twenty
    assert next(i for i in items if "延长的期限" in i).endswith("（第三十三条第二款）。")
    assert next(i for i in items if "征求第三方" in i).endswith("（第三十三条第三款）。")


# -- rule 2: 补正 while a consultation runs, within the 7 working days (第三十条) ----------------------


def test_a_correction_asked_during_a_consultation_returns_to_it_and_the_consultation_pauses_the_new_clock(clerk):
    app = _received(clerk, date(2026, 3, 2))
    _move(
        app,
        "start_third_party_consultation",
        clerk,
        date(2026, 3, 5),
        party="某公司",
        sent_on=date(2026, 3, 4),
        delivered_on=date(2026, 3, 5),
    )
    _move(
        app,
        "request_correction",
        clerk,
        date(2026, 3, 6),
        items=["所需信息的文号"],
        requested_on=date(2026, 3, 6),
        period_working_days=10,
    )
    assert app.state == "correction_requested"
    _move(app, "receive_correction", clerk, date(2026, 3, 12), received_on=date(2026, 3, 12))
    assert app.state == "third_party_consultation"
    _move(
        app, "end_consultation", clerk, date(2026, 3, 20), party="某公司", ended_on=date(2026, 3, 20), response="agreed"
    )
    # day 0 = 03-12; 20 working days → 04-10; paused (03-12, 03-20] = 6 → 2026-04-20 (counted in the unit test)
    assert app.state == "in_progress" and app.reply_due == date(2026, 4, 20)
