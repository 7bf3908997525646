"""信息处理费 (procedure.md §5): both progressive tariffs, and never both for one application."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.errors import DomainError
from gongkai.domain.fees import (
    FeeMethod,
    fee_for_application,
    monthly_per_application_total,
    per_application_fee,
    per_page_fee,
)

positions = st.integers(min_value=1, max_value=500)
counts = st.integers(min_value=0, max_value=500)
page_counts = st.integers(min_value=0, max_value=20_000)


@pytest.mark.parametrize(
    ("k", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400), (61, 500)],
)
def test_the_kth_application_of_the_month_pays_the_rate_of_its_band(k, fee):
    assert per_application_fee(k) == fee


def test_forty_five_applications_in_a_month_cost_5500_yuan():
    assert monthly_per_application_total(45) == 10 * 0 + 20 * 100 + 10 * 200 + 5 * 300 == 5500


def test_2219_pages_cost_83460_yuan_as_in_the_xian_case():
    assert per_page_fee(2219) == 83460


@pytest.mark.parametrize(
    ("pages", "fee"), [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)]
)
def test_the_page_fee_at_each_band_boundary(pages, fee):
    assert per_page_fee(pages) == fee


@given(positions)
def test_the_per_application_fee_follows_the_band_formula(k):
    expected = 0 if k <= 10 else 100 if k <= 30 else 100 * (2 + (k - 31) // 10)
    assert per_application_fee(k) == expected


@given(counts)
def test_the_monthly_total_is_the_sum_of_the_per_application_fees(n):
    assert monthly_per_application_total(n) == sum(per_application_fee(k) for k in range(1, n + 1))


@given(positions)
def test_the_per_application_fee_never_falls_as_the_month_goes_on(k):
    assert per_application_fee(k + 1) >= per_application_fee(k)


@given(counts)
def test_the_monthly_total_grows_with_every_application(n):
    assert monthly_per_application_total(n + 1) >= monthly_per_application_total(n)


@given(page_counts)
def test_the_page_fee_equals_the_progressive_band_formula(p):
    expected = 10 * max(0, min(p, 100) - 30) + 20 * max(0, min(p, 200) - 100) + 40 * max(0, p - 200)
    assert per_page_fee(p) == expected


@given(page_counts)
def test_one_more_page_never_costs_less(p):
    assert per_page_fee(p + 1) >= per_page_fee(p)


@given(st.integers(min_value=0, max_value=30))
def test_thirty_pages_or_fewer_are_free(p):
    assert per_page_fee(p) == 0


def test_a_per_application_quote_explains_the_band_in_chinese():
    quote = fee_for_application(method=FeeMethod.PER_APPLICATION, month_position=45)
    assert quote.amount == 300
    assert quote.method is FeeMethod.PER_APPLICATION
    assert "第41—50件档" in quote.explanation and "300元" in quote.explanation
    assert "第四条" in quote.basis


def test_a_free_application_says_so():
    assert "不收费" in fee_for_application(method="per_application", month_position=3).explanation


def test_a_per_page_quote_lists_every_band_applied():
    quote = fee_for_application(method=FeeMethod.PER_PAGE, pages=2219)
    assert quote.amount == 83460
    for part in ("第1—30页免费", "70页×10元＝700元", "100页×20元＝2000元", "2019页×40元＝80760元", "合计83460元"):
        assert part in quote.explanation
    assert quote.method.label == "按量计收"


def test_charging_one_application_by_both_tariffs_is_refused():
    with pytest.raises(DomainError, match="同一申请不得同时按件和按量计收"):
        fee_for_application(method=FeeMethod.PER_PAGE, month_position=12, pages=100)


@pytest.mark.parametrize("method", list(FeeMethod))
def test_a_quote_without_a_count_is_refused(method):
    with pytest.raises(DomainError):
        fee_for_application(method=method)


def test_a_quote_with_the_count_of_the_other_tariff_is_refused():
    with pytest.raises(DomainError, match="按件计收"):
        fee_for_application(method=FeeMethod.PER_APPLICATION, pages=50)
    with pytest.raises(DomainError, match="页数"):
        fee_for_application(method=FeeMethod.PER_PAGE, month_position=50)


def test_an_unknown_method_is_refused_in_chinese():
    with pytest.raises(DomainError, match="未知的收费方式"):
        fee_for_application(method="per_kilo", pages=5)


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None])
def test_page_counts_must_be_non_negative_integers(bad):
    with pytest.raises(DomainError, match="页数"):
        per_page_fee(bad)


@pytest.mark.parametrize("bad", [0, -3, 2.0])
def test_the_position_in_the_month_starts_at_one(bad):
    with pytest.raises(DomainError, match="累计申请序号"):
        per_application_fee(bad)


def test_a_negative_monthly_count_is_refused():
    with pytest.raises(DomainError, match="非负整数"):
        monthly_per_application_total(-1)
    assert monthly_per_application_total(0) == 0
