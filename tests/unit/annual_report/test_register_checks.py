"""The checks of the report against the register (issue 14), beside the format's 勾稽 rules."""

from decimal import Decimal

from gongkai.domain.annual_report.register_checks import RegisterFacts, register_problems, stated_fee_yuan


def tables(unclear=0, unpaid=0):
    return {"table_3": {"unable_unclear_after_correction": {"total": unclear}, "other_fee_unpaid": {"total": unpaid}}}


FACTS = RegisterFacts(corrections_answered=2, fee_notices=1, fees_paid_yuan=Decimal(1200))


def test_nothing_above_what_the_register_shows_passes():
    assert register_problems(tables(2, 1), {"other": "本年度共对2件申请收取信息处理费1200元。"}, FACTS) == []


def test_row_four_three_above_the_answered_corrections_is_a_problem():
    (p,) = register_problems(tables(unclear=3), {}, FACTS)
    assert "补正后申请内容仍不明确”为3件" in p and "只有2件" in p


def test_row_six_two_above_the_fee_notices_is_a_problem():
    (p,) = register_problems(tables(unpaid=2), {}, FACTS)
    assert "逾期未按收费通知要求缴纳费用”为2件" in p and "只有1件" in p


def test_the_fee_stated_in_section_six_must_be_the_fees_paid():
    (p,) = register_problems(tables(), {"other": "本年度收取信息处理费0.15万元。"}, FACTS)
    assert "1500元" in p and "1200元" in p
    (p,) = register_problems(tables(), {"other": "本年度未收取信息处理费。"}, FACTS)
    assert "0元" in p
    assert register_problems(tables(), {"other": "本年度无其他需要报告的事项。"}, FACTS) == []


def test_the_stated_fee_is_read_in_yuan():
    assert stated_fee_yuan("收取信息处理费共计1,200元") == Decimal(1200)
    assert stated_fee_yuan("信息处理费0.12万元") == Decimal("1200.00")
    assert stated_fee_yuan("未收取信息处理费") == 0 and stated_fee_yuan("无") is None
