"""Tracking numbers, query codes and masked identity numbers."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.applications.tracking import (
    QUERY_CODE_ALPHABET,
    QUERY_CODE_LENGTH,
    is_query_code,
    mask_identity_number,
    new_query_code,
    normalise_query_code,
    parse_tracking_number,
    query_code_matches,
    tracking_number,
)
from gongkai.domain.errors import DomainError


def test_a_tracking_number_is_prefix_year_and_zero_padded_sequence():
    assert tracking_number(2026, 123) == "YSQ-2026-000123"
    assert tracking_number(2025, 7, prefix="SCJ") == "SCJ-2025-000007"


@given(st.integers(2019, 2099), st.integers(1, 999_999))
def test_a_tracking_number_reads_back_as_the_year_and_sequence_it_was_made_from(year, seq):
    assert parse_tracking_number(tracking_number(year, seq)) == (year, seq)


def test_a_typed_tracking_number_forgives_spaces_and_case_but_nothing_else():
    assert parse_tracking_number(" ysq-2026-000123 ") == (2026, 123)
    for bad in ("YSQ-2026-123", "YSQ2026000123", "ABC-2026-000123", "YSQ-2026-000000", "YSQ-26-000123", ""):
        with pytest.raises(DomainError, match="申请编号格式不正确，应形如YSQ-2026-000001"):
            parse_tracking_number(bad)


def test_a_sequence_that_does_not_fit_or_a_bad_prefix_is_refused():
    with pytest.raises(DomainError, match="流水号应为1至999999之间的整数"):
        tracking_number(2026, 1_000_000)
    with pytest.raises(DomainError, match="流水号"):
        tracking_number(2026, 0)
    with pytest.raises(DomainError, match="编号前缀"):
        tracking_number(2026, 1, prefix="ysq-")
    with pytest.raises(DomainError, match="年份应为四位数字"):
        tracking_number(26, 1)


def test_the_query_code_alphabet_has_no_characters_that_can_be_misread():
    assert not set("0O1IL") & set(QUERY_CODE_ALPHABET)
    assert len(set(QUERY_CODE_ALPHABET)) == len(QUERY_CODE_ALPHABET) == 31


def test_query_codes_are_eight_characters_of_that_alphabet_and_do_not_repeat():
    codes = {new_query_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == QUERY_CODE_LENGTH and set(c) <= set(QUERY_CODE_ALPHABET) for c in codes)
    # every symbol turns up: the draw uses the whole alphabet
    assert set("".join(codes)) == set(QUERY_CODE_ALPHABET)
    assert all(is_query_code(c) for c in codes)


@pytest.mark.parametrize("text", ["", "ABCDEFG", "ABCDEFGHJ", "abcdefgh", "ABCDEF0O", "ABCD EFG", None, 12345678])
def test_only_what_new_query_code_could_make_is_a_query_code(text):
    assert not is_query_code(text)


def test_a_typed_code_matches_regardless_of_case_spaces_and_hyphens():
    code = "K7M2-Q9XA".replace("-", "")
    assert normalise_query_code(" k7m2-q9xa ") == code
    assert query_code_matches("k7m2 q9xa", code)
    assert not query_code_matches("K7M2Q9XB", code)
    assert not query_code_matches("", code)
    assert not query_code_matches("查询码错误", code)  # non-ASCII input is refused, not an exception


def test_a_resident_identity_number_keeps_its_first_three_and_last_four_characters():
    assert mask_identity_number("110101199003071234") == "110***********1234"
    assert mask_identity_number("11010119900307123x") == "110***********123X"
    assert mask_identity_number(" 110101 19900307 1234 ") == "110***********1234"


def test_other_documents_reveal_at_most_a_third_split_between_start_and_end():
    assert mask_identity_number("E12345678") == "E******78"  # passport, 9 characters → 3 shown
    assert mask_identity_number("110101900307123") == "11**********123"  # old 15-digit card → 5 shown
    assert mask_identity_number("AB") == "**"
    assert mask_identity_number("") == ""


@given(st.text(alphabet="0123456789ABCDEFGHJKXYZ-", max_size=40))
def test_no_masked_number_shows_more_than_a_third_except_the_resident_card_rule(text):
    masked = mask_identity_number(text)
    shown = sum(ch != "*" for ch in masked)
    assert len(masked) == len(text)
    if re.fullmatch(r"\d{17}[\dX]", text):
        assert shown == 7
    else:
        assert 3 * shown <= len(text)
