"""The review and litigation register: services, selectors, table 四 against an independent count, demo."""

from __future__ import annotations

import io
import uuid
import zipfile
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.accounts.models import Agency, Role
from gongkai.domain.disclosure.attachments import AttachmentError
from gongkai.domain.errors import DomainError
from gongkai.litigation import selectors, services
from gongkai.litigation.models import ReviewCase, ReviewDocument
from gongkai.litigation.services import ReviewCaseError
from tests.factories import EDU, HEALTH, bureau, person, submit_application
from tests.integration.signing import reply_and_issue

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
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
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people():
    cast = bureau()
    # a clerk of the other agency under the same supervising office
    cast.people["weijian"] = person(cast.neighbour, Role.CLERK, "weijian", last_name="周", first_name="芳")
    return cast.people


@pytest.fixture
def edu(people):
    return Agency.objects.get(code=EDU)


def _application(people, agency_code=EDU, received=date(2026, 3, 2)):
    agency = Agency.objects.get(code=agency_code)
    return submit_application(
        agency=agency, registered_by=people["jingban"], received=received, applicant=APPLICANT
    ).application


def _register(people, **kw):
    defaults = dict(
        agency=Agency.objects.get(code=EDU),
        kind="review",
        body="示范区人民政府",
        filed_on=date(2026, 4, 1),
        applicant_name="刘洋",
        created_by=people["jingban"],
        today=TODAY,
    )
    return services.review_case_register(**{**defaults, **kw})


def _refused_on(field, call):
    with pytest.raises(ReviewCaseError) as err:
        call()
    assert err.value.field == field, err.value.message
    return err.value.message


# -- register -------------------------------------------------------------------------------------


def test_a_registered_case_is_pending_with_its_registrar_and_a_history_record(people):
    case = _register(people, case_number=" 示政复决字〔2026〕第3号 ")
    assert (case.result, case.concluded_on, case.created_by, case.case_number) == (
        "pending",
        None,
        people["jingban"],
        "示政复决字〔2026〕第3号",
    )
    record = case.history.get()
    assert record.history_user == people["jingban"] and record.history_type == "+"


def test_the_applicant_defaults_to_the_applicant_of_the_linked_application(people):
    app = _application(people)
    case = _register(people, application=app, applicant_name="  ")
    assert case.applicant_name == "刘洋" and case.application == app


def test_an_application_of_another_agency_cannot_be_linked(people):
    app = _application(people, HEALTH)
    message = _refused_on("application", lambda: _register(people, application=app))
    assert app.tracking_number in message
    assert not ReviewCase.objects.exists()


def test_a_lawsuit_needs_its_stage_and_a_review_has_none(people):
    assert "起诉情形" in _refused_on("stage", lambda: _register(people, kind="litigation", body="示范区人民法院"))
    _refused_on("stage", lambda: _register(people, kind="review", stage="direct"))
    suit = _register(people, kind="litigation", stage="direct", body="示范区人民法院")
    assert suit.stage == "direct" and suit.group_label == "行政诉讼（未经复议直接起诉）"


def test_required_texts_and_dates_are_named_in_chinese(people):
    assert "复议机关或受理法院" in _refused_on("body", lambda: _register(people, body="  "))
    _refused_on("applicant_name", lambda: _register(people, applicant_name=""))
    _refused_on("filed_on", lambda: _register(people, filed_on=None))
    _refused_on("kind", lambda: _register(people, kind="appeal"))
    assert "不能晚于今天" in _refused_on("filed_on", lambda: _register(people, filed_on=TODAY + timedelta(days=1)))
    assert not ReviewCase.objects.exists()


def test_a_suit_after_review_links_only_an_earlier_review_of_the_same_agency(people):
    review = _register(people, filed_on=date(2026, 4, 1))
    suit = _register(
        people,
        kind="litigation",
        stage="after_review",
        prior_review=review,
        body="示范区人民法院",
        filed_on=date(2026, 6, 1),
    )
    assert suit.prior_review == review and list(review.later_suits.all()) == [suit]
    # a direct suit follows no review; a suit after review follows a review, not a suit
    _refused_on(
        "prior_review",
        lambda: _register(people, kind="litigation", stage="direct", prior_review=review, body="示范区人民法院"),
    )
    _refused_on(
        "prior_review",
        lambda: _register(people, kind="litigation", stage="after_review", prior_review=suit, body="示范区人民法院"),
    )
    _refused_on(
        "filed_on",
        lambda: _register(
            people,
            kind="litigation",
            stage="after_review",
            prior_review=review,
            body="示范区人民法院",
            filed_on=date(2026, 3, 1),
        ),
    )
    health = Agency.objects.get(code=HEALTH)
    _refused_on(
        "prior_review",
        lambda: _register(
            people, agency=health, kind="litigation", stage="after_review", prior_review=review, body="示范区人民法院"
        ),
    )


def test_the_same_submission_token_registers_one_case_and_returns_it_again(people):
    token = uuid.uuid4()
    first = _register(people, submission_token=token)
    again = _register(people, submission_token=token, body="另一个复议机关")
    assert first.newly_registered and not again.newly_registered
    assert again.pk == first.pk and again.body == "示范区人民政府"
    assert ReviewCase.objects.count() == 1 and first.history.count() == 1


def test_different_tokens_or_no_token_register_separate_cases(people):
    _register(people, submission_token=uuid.uuid4())
    _register(people, submission_token=uuid.uuid4())
    _register(people)
    _register(people)
    assert ReviewCase.objects.count() == 4
    assert ReviewCase.objects.filter(submission_token__isnull=True).count() == 2


def test_a_token_that_registered_a_case_of_another_agency_is_refused(people):
    token = uuid.uuid4()
    _register(people, submission_token=token)
    with pytest.raises(services.SubmissionTokenUsed) as err:
        _register(people, submission_token=token, agency=Agency.objects.get(code=HEALTH))
    assert "其他机关" in err.value.message and err.value.field is None
    assert ReviewCase.objects.count() == 1


def test_a_second_request_that_loses_the_race_returns_the_case_of_the_first(people, monkeypatch):
    token = uuid.uuid4()
    first = _register(people, submission_token=token)
    real = services._registered_with
    calls = []

    def committed_after_the_look_up(t, agency):
        # the first look-up runs before the other request commits; the insert then hits the unique token
        calls.append(t)
        return None if len(calls) == 1 else real(t, agency)

    monkeypatch.setattr(services, "_registered_with", committed_after_the_look_up)
    again = _register(people, submission_token=token)
    assert len(calls) == 2 and again.pk == first.pk and not again.newly_registered
    # the failed insert was rolled back to its savepoint: the transaction goes on
    assert ReviewCase.objects.count() == 1 and _register(people).newly_registered


# -- conclude -------------------------------------------------------------------------------------


def test_concluding_records_result_date_and_who_with_the_reason_in_the_history(people):
    case = _register(people)
    case = services.review_case_conclude(
        case=case, result="maintained", concluded_on=date(2026, 5, 20), actor=people["zhuren"], today=TODAY
    )
    case.refresh_from_db()
    assert (case.result, case.concluded_on) == ("maintained", date(2026, 5, 20))
    last = case.history.order_by("-history_id").first()
    assert last.history_user == people["zhuren"] and "维持" in last.history_change_reason
    # a wrong entry can be corrected; the history keeps both
    services.review_case_conclude(
        case=case,
        result="corrected",
        concluded_on=date(2026, 5, 21),
        correction_note="责令重新答复",
        actor=people["jingban"],
        today=TODAY,
    )
    assert [h.result for h in case.history.order_by("history_id")] == ["pending", "maintained", "corrected"]
    assert "更正" in case.history.order_by("-history_id").first().history_change_reason


def test_a_conclusion_date_must_lie_between_filing_and_today(people):
    case = _register(people, filed_on=date(2026, 4, 1))
    conclude = services.review_case_conclude
    assert "不能早于" in _refused_on(
        "concluded_on",
        lambda: conclude(
            case=case, result="maintained", concluded_on=date(2026, 3, 31), actor=people["jingban"], today=TODAY
        ),
    )
    assert "不能晚于今天" in _refused_on(
        "concluded_on",
        lambda: conclude(
            case=case, result="maintained", concluded_on=TODAY + timedelta(days=1), actor=people["jingban"], today=TODAY
        ),
    )
    _refused_on(
        "concluded_on",
        lambda: conclude(case=case, result="other", concluded_on=None, actor=people["jingban"], today=TODAY),
    )
    case.refresh_from_db()
    assert case.is_pending


def test_a_correction_must_say_what_was_corrected_and_pending_is_no_conclusion(people):
    case = _register(people)
    _refused_on(
        "correction_note",
        lambda: services.review_case_conclude(
            case=case, result="corrected", concluded_on=date(2026, 5, 1), correction_note=" ", actor=None, today=TODAY
        ),
    )
    _refused_on(
        "result",
        lambda: services.review_case_conclude(
            case=case, result="pending", concluded_on=date(2026, 5, 1), actor=None, today=TODAY
        ),
    )
    # the note of another result is not kept
    done = services.review_case_conclude(
        case=case, result="other", concluded_on=date(2026, 5, 1), correction_note="不相关", actor=None, today=TODAY
    )
    assert done.correction_note == ""


# -- update ---------------------------------------------------------------------------------------


def test_an_update_changes_only_what_differs_and_keeps_the_result(people):
    case = _register(people)
    services.review_case_conclude(
        case=case, result="maintained", concluded_on=date(2026, 5, 1), actor=None, today=TODAY
    )
    updated = services.review_case_update(
        case=case, actor=people["zhuren"], today=TODAY, body="示范区人民政府（复议办）", notes="补记"
    )
    assert (updated.body, updated.notes, updated.result) == ("示范区人民政府（复议办）", "补记", "maintained")
    last = updated.history.order_by("-history_id").first()
    assert last.history_user == people["zhuren"]
    before = updated.history.count()
    services.review_case_update(case=case, actor=people["zhuren"], today=TODAY, body="示范区人民政府（复议办）")
    assert updated.history.count() == before  # nothing changed, nothing recorded
    with pytest.raises(ValueError):
        services.review_case_update(case=case, actor=None, today=TODAY, result="pending")


def test_an_update_cannot_move_the_filing_after_the_decision_nor_turn_a_followed_review_into_a_suit(people):
    review = _register(people, filed_on=date(2026, 4, 1))
    services.review_case_conclude(
        case=review, result="maintained", concluded_on=date(2026, 5, 1), actor=None, today=TODAY
    )
    assert "不能早于" in _refused_on(
        "filed_on", lambda: services.review_case_update(case=review, actor=None, today=TODAY, filed_on=date(2026, 5, 2))
    )
    _register(
        people,
        kind="litigation",
        stage="after_review",
        prior_review=review,
        body="示范区人民法院",
        filed_on=date(2026, 5, 10),
    )
    _refused_on(
        "kind",
        lambda: services.review_case_update(case=review, actor=None, today=TODAY, kind="litigation", stage="direct"),
    )
    review.refresh_from_db()
    assert (review.kind, review.filed_on) == ("review", date(2026, 4, 1))


# -- documents ------------------------------------------------------------------------------------


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def test_a_document_is_stored_under_a_random_name_with_the_checked_type(people):
    case = _register(people)
    doc = services.review_document_add(
        case=case, doc_type="review_decision", name="C:\\扫描\\复议决定书.PDF", data=PDF, actor=people["jingban"]
    )
    assert (doc.original_name, doc.content_type, doc.size) == ("复议决定书.PDF", "application/pdf", len(PDF))
    stored = doc.file.name.rsplit("/", 1)[-1]
    assert "复议" not in doc.file.name and stored.endswith(".pdf") and len(stored) == 36
    assert doc.file.open("rb").read() == PDF


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("判决书.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名不符"),
        ("统计.xlsx", _xlsx(), "只接受PDF、Word"),
        ("page.html", b"<html></html>", "类型不支持"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_a_document_of_the_wrong_kind_is_refused_and_nothing_is_stored(people, name, data, words):
    case = _register(people)
    with pytest.raises(AttachmentError) as err:
        services.review_document_add(case=case, doc_type="judgment", name=name, data=data, actor=None)
    assert words in err.value.message
    assert not ReviewDocument.objects.exists()


def test_a_document_needs_a_known_type(people):
    case = _register(people)
    _refused_on(
        "doc_type", lambda: services.review_document_add(case=case, doc_type="memo", name="a.pdf", data=PDF, actor=None)
    )


# -- selectors ------------------------------------------------------------------------------------


def test_the_list_filters_by_year_kind_and_result_and_the_application_shows_its_cases(people):
    app = _application(people)
    a = _register(people, filed_on=date(2025, 12, 30))
    b = _register(people, filed_on=date(2026, 2, 1), application=app)
    c = _register(
        people, kind="litigation", stage="direct", body="示范区人民法院", filed_on=date(2026, 3, 1), application=app
    )
    services.review_case_conclude(case=c, result="other", concluded_on=date(2026, 4, 1), actor=None, today=TODAY)
    edu = Agency.objects.get(code=EDU)
    assert list(selectors.review_cases(edu)) == [c, b, a]
    assert list(selectors.review_cases(edu, year=2026)) == [c, b]
    assert list(selectors.review_cases(edu, kind="review")) == [b, a]
    assert list(selectors.review_cases(edu, year=2026, result="pending")) == [b]
    assert list(selectors.review_cases_for_application(app)) == [b, c]
    assert list(selectors.review_cases(Agency.objects.get(code=HEALTH))) == []
    assert selectors.year_choices(edu, TODAY) == [2026, 2025]


def test_an_application_is_found_by_its_tracking_number_in_its_own_agency_only(people):
    app = _application(people)
    edu, health = Agency.objects.get(code=EDU), Agency.objects.get(code=HEALTH)
    assert selectors.application_by_number(edu, f" {app.tracking_number.lower()} ") == app
    with pytest.raises(DomainError, match="没有编号为"):
        selectors.application_by_number(health, app.tracking_number)
    with pytest.raises(DomainError, match="格式不正确"):
        selectors.application_by_number(edu, "2026-12")


def _independent_table4(rows, year: int) -> dict[str, int]:
    """Table 四 counted here without the domain: the year of filing, the result known on 31 December."""
    counts: Counter = Counter()
    for kind, stage, filed_on, result, concluded_on in rows:
        if filed_on.year != year:
            continue
        group = (
            "review"
            if kind == "review"
            else {"direct": "litigation_direct", "after_review": "litigation_after_review"}[stage]
        )
        known = result if concluded_on is not None and concluded_on <= date(year, 12, 31) else "pending"
        counts[f"{group}_{known}"] += 1
        counts[f"{group}_total"] += 1
    return counts


_case_rows = st.lists(
    st.tuples(
        st.sampled_from([("review", ""), ("litigation", "direct"), ("litigation", "after_review")]),
        st.dates(date(2024, 6, 1), date(2026, 11, 1)),
        st.sampled_from(["maintained", "corrected", "other", "pending"]),
        st.integers(0, 400),
        st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_case_rows, year=st.sampled_from([2024, 2025, 2026]))
def test_table_4_of_any_register_equals_an_independent_count_of_its_cases(edu, rows, year):
    ReviewCase.objects.all().delete()
    other = Agency.objects.get(code=HEALTH)
    stored = []
    for (kind, stage), filed_on, result, days, theirs in rows:
        concluded_on = None if result == "pending" else filed_on + timedelta(days=days)
        ReviewCase.objects.create(
            agency=other if theirs else edu,
            kind=kind,
            stage=stage,
            body="某机关",
            applicant_name="某人",
            filed_on=filed_on,
            result=result,
            concluded_on=concluded_on,
        )
        if not theirs:
            stored.append((kind, stage, filed_on, result, concluded_on))
    figures = selectors.table4_figures(agency=edu, year=year)
    expected = _independent_table4(stored, year)
    assert len(figures) == 15
    assert figures == {key: expected.get(key, 0) for key in figures}


def test_table_4_is_read_in_one_query(edu, django_assert_num_queries):
    for i in range(5):
        ReviewCase.objects.create(
            agency=edu, kind="review", body="x", applicant_name="y", filed_on=date(2026, 1, 1 + i)
        )
    with django_assert_num_queries(1):
        figures = selectors.table4_figures(agency=edu, year=2026)
    assert figures["review_pending"] == figures["review_total"] == 5


def test_a_case_decided_after_the_year_is_still_pending_in_that_years_table(people):
    case = _register(people, filed_on=date(2025, 11, 3))
    services.review_case_conclude(
        case=case,
        result="corrected",
        concluded_on=date(2026, 1, 8),
        correction_note="确认答复违法",
        actor=None,
        today=TODAY,
    )
    edu = Agency.objects.get(code=EDU)
    assert selectors.table4_figures(agency=edu, year=2025)["review_pending"] == 1
    assert selectors.table4_figures(agency=edu, year=2025)["review_corrected"] == 0
    assert selectors.table4_figures(agency=edu, year=2026)["review_total"] == 0


def test_the_preview_carries_the_official_labels_of_the_years_format(edu):
    preview = selectors.table4_preview(agency=edu, year=2026)
    assert preview.title == "四、政府信息公开行政复议、行政诉讼情况"
    assert (preview.review.label, preview.litigation_label) == ("行政复议", "行政诉讼")
    assert [g.label for g in preview.litigation] == ["未经复议直接起诉", "复议后起诉"]
    assert [c.label for c in preview.review.columns] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert preview.litigation_span == 10
    assert selectors.table4_preview(agency=edu, year=2018) is None


# -- demo -----------------------------------------------------------------------------------------


def test_the_demo_registers_four_cases_of_2026_linked_to_fitting_replies_once(edu):
    from gongkai.demo.applications import seed_applications
    from gongkai.demo.litigation import seed_reviews

    seed_applications(TODAY, with_letters=False)
    result = seed_reviews(TODAY)
    assert result.skipped == [] and result.created == 4
    cases = list(ReviewCase.objects.filter(agency=edu).select_related("application", "prior_review"))
    assert all(c.filed_on.year == 2026 and c.filed_on <= TODAY for c in cases)
    for c in cases:
        app = c.application
        assert app is not None and app.agency == edu and app.concluded_on < c.filed_on
        assert c.applicant_name == app.applicant_name
        assert app.outcome_code not in ("disclosed", "already_public")  # nobody appeals getting what they asked for
        assert c.documents.exists()
    suit = next(c for c in cases if c.stage == "after_review")
    assert suit.prior_review.result == "maintained" and suit.prior_review.concluded_on < suit.filed_on
    assert suit.application == suit.prior_review.application
    figures = selectors.table4_figures(agency=edu, year=2026)
    assert {k: v for k, v in figures.items() if v} == {
        "review_maintained": 1,
        "review_pending": 1,
        "review_total": 2,
        "litigation_direct_maintained": 1,
        "litigation_direct_total": 1,
        "litigation_after_review_pending": 1,
        "litigation_after_review_total": 1,
    }
    assert seed_reviews(TODAY).created == 0
    call_command("seed_reviews", stdout=io.StringIO())
    assert ReviewCase.objects.filter(agency=edu).count() == 4


# -- the agency's own deadlines and the new reply a 纠正 orders (issue 14) ---------------------------


def _replied(people, received=date(2026, 3, 2), replied=date(2026, 3, 20)):
    from gongkai.applications.services import application_transition

    app = _application(people, received=received)
    clerk = dict(actor=people["jingban"], actor_roles={"clerk"})
    application_transition(application=app, action="start_processing", fields={}, today=received, **clerk)
    app.refresh_from_db()
    # the demo agency signs only 已主动公开 without sign-off: written, then issued (送达) on ``replied``
    reply_and_issue(
        app, clerk=people["jingban"], outcome_code="already_public", legal_basis="第三十六条（一）", on=replied
    )
    return app


def test_the_review_answer_deadline_is_shown_with_the_rule_for_holidays(people, client):
    case = _register(people, copy_received_on=date(2026, 4, 3))
    deadline = selectors.answer_deadline_of(case, today=TODAY)
    # 04-03 + 10 days = Mon 04-13, a working day
    assert deadline.due == date(2026, 4, 13) and deadline.status == "missed"
    client.force_login(people["jingban"])
    page = client.get(f"/work/reviews/{case.pk}/").content.decode()
    assert 'data-due="2026-04-13"' in page and "不是工作日" in page
    _refused_on(
        "answered_on",
        lambda: services.review_case_update(
            case=case, actor=people["jingban"], today=TODAY, answered_on=date(2026, 4, 2)
        ),
    )


def test_a_correction_ordering_a_new_reply_opens_a_case_due_on_its_own_date_counted_in_table_3(people):
    from gongkai.applications.statistics import table3_for_year_sql

    original = _replied(people)
    case = _register(people, application=original, filed_on=date(2026, 4, 1))
    before = table3_for_year_sql(Agency.objects.get(code=EDU), 2026)
    _refused_on(
        "re_reply_ordered",
        lambda: services.review_case_conclude(
            case=case,
            result="maintained",
            concluded_on=date(2026, 6, 1),
            actor=people["jingban"],
            today=TODAY,
            re_reply_ordered=True,
            decision_received_on=date(2026, 6, 1),
        ),
    )
    done = services.review_case_conclude(
        case=case,
        result="corrected",
        concluded_on=date(2026, 5, 29),
        correction_note="撤销原答复，责令重新答复",
        actor=people["jingban"],
        today=TODAY,
        re_reply_ordered=True,
        decision_received_on=date(2026, 6, 1),
    )
    new = done.re_reply
    assert new.reopened_from == original and new.received_on == date(2026, 6, 1) and new.state == "received"
    # 20 working days from 06-01: 06-02..05 (4), 08..12 (9), 15..18 (13), 06-19 off, 22..26 (18), 29, 30 → 06-30
    assert new.reply_due == date(2026, 6, 30)
    after = table3_for_year_sql(Agency.objects.get(code=EDU), 2026)
    # the new reply is one more application received in 2026, still open: the balance of the table holds
    assert after["new_received"]["total"] == before["new_received"]["total"] + 1
    assert after["carry_forward"]["total"] == before["carry_forward"]["total"] + 1
    assert after["results_total"] == before["results_total"]


def test_a_new_reply_with_a_date_set_by_the_decision_is_due_that_day(people):
    original = _replied(people)
    case = _register(
        people,
        application=original,
        filed_on=date(2026, 4, 1),
        kind="litigation",
        stage="direct",
        body="示范区人民法院",
    )
    done = services.review_case_conclude(
        case=case,
        result="corrected",
        concluded_on=date(2026, 6, 1),
        correction_note="判决责令重新答复",
        actor=people["jingban"],
        today=TODAY,
        re_reply_ordered=True,
        decision_received_on=date(2026, 6, 3),
        re_reply_until=date(2026, 6, 17),
    )
    assert done.re_reply.reply_due == date(2026, 6, 17)
