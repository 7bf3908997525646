"""The applicant register, the repeat test and the intake rules, written from the law (issue 16 §4, §5).

- 国办函〔2020〕109号 第四条: 按件计收 counts "同一申请人一个自然月内累计申请" (spec §5.3): the count
  restarts on the 1st of each month and counts only the same applicant's applications;
- 条例第三十六条（六）: "行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开相同政府信息的，
  告知申请人不予重复处理" — the same information asked again, however it is worded; other
  information (another year, another document, another school, 预算 rather than 决算) is not a repeat;
- 条例第三十五条: the number and frequency (数量、频次) of an applicant's applications;
- 条例第三十一条: an application is received when the agency receives it; a forwarded paper
  application on the day it reaches this office.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.applications.intake import (
    ARTICLE_31,
    IdentityCheck,
    Intake,
    Origin,
    check_intake,
    forwarded_receipt_dates,
)
from gongkai.domain.applications.register import (
    ARTICLE_35,
    ARTICLE_36_6,
    KeyKind,
    applicant_key,
    check_month_position,
    frequency,
    month_of,
    month_position,
)
from gongkai.domain.applications.repeats import THRESHOLD, dice, resemblance
from gongkai.domain.fields import FieldError

AGENCY = ("示范区教育局",)


# -- who the same applicant is ------------------------------------------------------------------------


def _key(**kw):
    args = {
        "applicant_type": "natural_person",
        "id_document_type": "resident_id",
        "id_document_number": "",
        "name": "刘洋",
        "phone": "13800000000",
    }
    return applicant_key(**{**args, **kw})


def test_an_identity_number_written_with_spaces_or_full_width_is_the_same_applicant():
    a = _key(id_document_number="110101199001011237")
    b = _key(id_document_number="１１０１０１ １９９００１０１ １２３７", name="刘 洋", phone="010-1")
    assert a == b and a.kind is KeyKind.IDENTITY


def test_a_lower_case_check_letter_x_is_the_same_number():
    assert _key(id_document_number="11010119900101123x") == _key(id_document_number="11010119900101123X")


def test_the_same_number_on_another_kind_of_document_is_another_applicant():
    assert _key(id_document_number="E12345678", id_document_type="passport") != _key(
        id_document_number="E12345678", id_document_type="other"
    )


def test_an_organisation_is_matched_by_its_credit_code():
    k = _key(
        applicant_type="commercial_enterprise", id_document_type="credit_code", id_document_number="91110000100000000A"
    )
    assert k.kind is KeyKind.CREDIT_CODE and "91110000100000000A" in k.key


def test_without_a_number_the_name_and_the_phone_identify_the_applicant():
    a = _key(name="刘洋", phone="138-0000-0000")
    assert a.kind is KeyKind.NAME_PHONE and a == _key(name="刘洋", phone="13800000000")
    assert a != _key(name="刘洋", phone="13900000000")  # a namesake with another phone is someone else
    assert _key(name="", phone="13800000000") is None and _key(name="刘洋", phone="") is None


# -- 109号: the count of the calendar month -------------------------------------------------------------


def test_the_month_is_the_calendar_month():
    assert month_of(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_of(date(2028, 2, 29)) == (date(2028, 2, 1), date(2028, 2, 29))
    assert month_of(date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_the_count_restarts_on_the_first_of_the_month():
    # three applications on 28, 29, 30 January and one on 2 February: the February one is the 1st of
    # its month (一个自然月内累计), not the 4th of a rolling 30 days
    january = [(date(2026, 1, 28), 1), (date(2026, 1, 29), 2), (date(2026, 1, 30), 3)]
    assert month_position((date(2026, 2, 2), 4), january) == 1
    assert month_position((date(2026, 1, 30), 3), january) == 3


def test_applications_of_the_same_day_count_in_the_order_they_were_registered():
    same_day = [(date(2026, 3, 2), 10), (date(2026, 3, 2), 11), (date(2026, 3, 2), 12)]
    assert [month_position(x, same_day) for x in same_day] == [1, 2, 3]


def test_later_applications_of_the_month_do_not_count_before_this_one():
    assert month_position((date(2026, 3, 5), 5), [(date(2026, 3, 20), 9), (date(2026, 3, 4), 7)]) == 2


@given(st.lists(st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 31)), min_size=1, max_size=40))
def test_the_positions_of_a_month_are_one_to_n(days):
    apps = [(d, i) for i, d in enumerate(days)]
    for first in {month_of(d)[0] for d in days}:
        month = [a for a in apps if month_of(a[0])[0] == first]
        assert sorted(month_position(a, apps) for a in month) == list(range(1, len(month) + 1))


def test_the_register_count_is_kept_unless_the_clerk_gives_a_reason():
    check_month_position(register_count=3, typed=3, reason=None)
    check_month_position(register_count=None, typed=12, reason=None)  # applicant not in the register
    with pytest.raises(FieldError) as err:
        check_month_position(register_count=3, typed=12, reason="  ")
    assert err.value.field == "month_position_reason" and "第3件" in err.value.message and "第12件" in err.value.message
    assert "一个自然月内累计" in err.value.message
    check_month_position(register_count=3, typed=12, reason="申请含10项内容，按一事一申请拆分")


# -- 第三十五条: number and frequency ------------------------------------------------------------------------


def test_the_frequency_counts_by_hand():
    today = date(2026, 3, 31)
    days = [date(2025, 3, 1), date(2025, 4, 1), date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 5), date(2026, 4, 1)]
    f = frequency(days, today=today)
    # 2026-04-01 is after today: left out; 2025-03-01 is more than 12 months back (the window starts 2025-04-01)
    assert f.total == 5
    assert f.last_12_months == 4 and f.this_month == 3
    assert f.last_30_days == 3  # 2026-03-02 (twice) and 03-05 are after 03-01
    assert f.busiest_day == (date(2026, 3, 2), 2)
    assert f.shortest_gap_days == 0
    assert f.by_month[0] == ("2025年4月", 1) and f.by_month[-1] == ("2026年3月", 3) and len(f.by_month) == 12
    assert "近30日3件" in f.summary and "同一日最多2件" in f.summary


def test_the_articles_are_quoted_in_full():
    assert ARTICLE_35.startswith("申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。")
    assert ARTICLE_36_6.endswith("告知申请人不予重复处理")
    assert "确认之日为收到申请之日" in ARTICLE_31


# -- 第三十六条（六）: repeated requests ----------------------------------------------------------------------

REWORDED_REPEATS = [
    ("请公开示范区2025年义务教育招生划片方案", "2025年示范区义务教育招生划片方案"),
    ("申请获取二〇二五年度示范区义务教育阶段招生划片方案文件", "请公开2025年示范区义务教育招生划片方案"),
    ("本人申请公开贵局2024年度的部门预算", "示范区教育局2024年部门预算"),
    ("请提供示范区第一中学的食堂承包合同一份", "示范区第一中学食堂承包合同"),
    ("示教〔2024〕12号文全文", "关于示教〔2024〕12号文件的全文"),
    ("申请公开示范区2023年度教师招聘考试的成绩和录用名单", "2023年示范区教师招聘考试成绩及录用名单"),
    ("２０２５年示范区义务教育招生划片方案（请邮寄）", "2025年示范区义务教育招生划片方案"),
]

NEAR_MISSES = [
    # another year is other information
    ("2024年示范区义务教育招生划片方案", "2025年示范区义务教育招生划片方案"),
    # one word changes what is asked
    ("示范区教育局2024年部门决算", "示范区教育局2024年部门预算"),
    ("示范区初中招生划片方案", "示范区小学招生划片方案"),
    ("示范区2025年义务教育阶段民办学校招生计划", "示范区2025年义务教育阶段公办学校招生计划"),
    # another school, another document number
    ("示范区第二中学食堂承包合同", "示范区第一中学食堂承包合同"),
    ("示教〔2024〕13号文件", "示教〔2024〕12号文件"),
    # more than was answered: the new part has not been answered
    ("2025年示范区义务教育招生划片方案制定过程中的会议纪要和征求意见稿", "2025年示范区义务教育招生划片方案"),
    # nothing alike
    ("2024年示范区校车安全检查记录", "2024年示范区教育局部门预算"),
]


@pytest.mark.parametrize(("new", "earlier"), REWORDED_REPEATS)
def test_a_reworded_repeat_is_flagged(new, earlier):
    r = resemblance(new, earlier, ignore=AGENCY)
    assert r.alike, r.reason
    assert r.score >= THRESHOLD


@pytest.mark.parametrize(("new", "earlier"), NEAR_MISSES)
def test_a_near_miss_is_not_flagged(new, earlier):
    r = resemblance(new, earlier, ignore=AGENCY)
    assert not r.alike, (r.score, r.reason)


def test_the_reason_says_what_differs():
    assert "年份" in resemblance(*NEAR_MISSES[0]).reason
    # alike enough by the score, but one word swapped: 第三十六条（六） asks for the same information
    swapped = resemblance(*NEAR_MISSES[3])
    assert swapped.score >= THRESHOLD and "“民”与“公”" in swapped.reason


@given(st.text(min_size=0, max_size=60), st.text(min_size=0, max_size=60))
def test_dice_is_symmetric_and_between_zero_and_one(a, b):
    assert dice(a, b) == dice(b, a)
    assert 0.0 <= dice(a, b) <= 1.0


@given(st.text(alphabet="示范区教育局招生划片方案预算决算年0123456789", min_size=0, max_size=40))
def test_a_request_resembles_itself(text):
    r = resemblance(text, text)
    assert r.score == 1.0 or not text


# -- 第三十一条 and the intake ------------------------------------------------------------------------------


def test_a_forwarded_paper_application_is_received_the_day_it_reaches_this_office():
    # the applicant wrote to the 政府办公室 on 3 March; the papers were handed over here on 9 March:
    # 第三十一条（一） counts the day this agency has it (9 March), not the 3rd
    dates = forwarded_receipt_dates("in_person", reached_on=date(2026, 3, 9), given={})
    assert dates == {"handed_in_on": date(2026, 3, 9)}
    assert forwarded_receipt_dates("post_signed", reached_on=date(2026, 3, 9), given={}) == {
        "signed_for_on": date(2026, 3, 9)
    }


def test_another_day_typed_for_forwarded_papers_is_refused_citing_article_31():
    with pytest.raises(FieldError) as err:
        forwarded_receipt_dates("in_person", reached_on=date(2026, 3, 9), given={"handed_in_on": date(2026, 3, 3)})
    assert err.value.field == "handed_in_on" and "第三十一条" in err.value.message


def test_a_forwarded_electronic_application_waits_for_the_confirmation_which_is_not_before_it_arrived():
    assert forwarded_receipt_dates("email", reached_on=date(2026, 3, 9), given={}) == {}
    assert forwarded_receipt_dates("email", reached_on=date(2026, 3, 9), given={"confirmed_on": date(2026, 3, 10)})
    with pytest.raises(FieldError) as err:
        forwarded_receipt_dates("email", reached_on=date(2026, 3, 9), given={"confirmed_on": date(2026, 3, 6)})
    assert err.value.field == "confirmed_on"


TODAY = date(2026, 3, 10)


def test_a_forwarded_application_needs_its_number_and_the_day_it_arrived():
    with pytest.raises(FieldError) as err:
        check_intake(Intake(origin=Origin.HOTLINE_12345, reached_on=date(2026, 3, 9)), today=TODAY)
    assert err.value.field == "origin_reference" and "12345工单编号" in err.value.message
    with pytest.raises(FieldError) as err:
        check_intake(Intake(origin=Origin.PETITION, reference="XF-1"), today=TODAY)
    assert err.value.field == "reached_on"
    with pytest.raises(FieldError) as err:
        check_intake(
            Intake(
                origin=Origin.GOV_OFFICE,
                reference="ZB-7",
                reached_on=date(2026, 3, 9),
                original_submitted_on=date(2026, 3, 10),
            ),
            today=TODAY,
        )
    assert err.value.field == "original_submitted_on"
    check_intake(
        Intake(
            origin=Origin.GOV_OFFICE,
            reference="ZB-7",
            reached_on=date(2026, 3, 9),
            original_submitted_on=date(2026, 3, 3),
        ),
        today=TODAY,
    )


def test_a_direct_application_has_no_forwarding_number():
    with pytest.raises(FieldError) as err:
        check_intake(Intake(origin=Origin.DIRECT, reference="12345-1"), today=TODAY)
    assert err.value.field == "origin"
    check_intake(Intake(identity_check=IdentityCheck.WINDOW_ORIGINAL), today=TODAY)


def test_an_agent_needs_name_id_phone_and_the_power_of_attorney():
    with pytest.raises(FieldError) as err:
        check_intake(Intake(agent_name="王律师", agent_id_number="110101199001011237"), today=TODAY)
    assert err.value.field == "agent_phone"
    with pytest.raises(FieldError) as err:
        check_intake(
            Intake(agent_name="王律师", agent_id_number="110101199001011237", agent_phone="13900000000"), today=TODAY
        )
    assert err.value.field == "power_of_attorney"
    check_intake(
        Intake(
            agent_name="王律师",
            agent_id_number="110101199001011237",
            agent_phone="13900000000",
            has_power_of_attorney=True,
        ),
        today=TODAY,
    )


def test_the_labels_are_the_official_words():
    assert [o.label for o in Origin] == ["直接提交", "政府办公室转来", "12345工单转来", "信访转来"]
    assert [c.label for c in IdentityCheck] == ["窗口核验原件", "电子证照", "复印件", "未核验"]
