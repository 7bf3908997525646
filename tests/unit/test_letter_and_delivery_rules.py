"""Rules behind the letters and the application form: short names and 文书编号, quoted text, the
details a 非本机关 reply carries (第三十六条（五）), and the form × channel pairs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.applications.delivery import CHANNEL_LABELS, DELIVERY_PAIRS, FORM_LABELS, delivery_problem
from gongkai.domain.applications.letters import agency_short_name, check_reply_details, quotable, reference_number
from gongkai.domain.fields import FieldError


@pytest.mark.parametrize(
    "name, short",
    [
        ("示范区教育局", "示教"),
        ("杭州市财政局", "杭财"),
        ("浙江省人民政府办公厅", "浙人"),
        ("国家统计局", "国家"),
    ],
)
def test_the_short_name_is_the_first_character_and_the_first_after_the_region(name, short):
    assert agency_short_name(name) == short


def test_a_reference_number_has_the_year_in_hexagonal_brackets_and_no_leading_zeros():
    assert reference_number(short="示教", year=2026, number=12) == "示教信公〔2026〕12号"


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("年检结果。", "年检结果"),
        ("年检结果", "年检结果"),
        ("甲；乙；", "甲；乙"),
        ("问题？", "问题？"),
        ("", ""),
    ],
)
def test_quoted_text_loses_the_full_stop_the_sentence_will_add(text, quoted):
    assert quotable(text) == quoted


def test_a_not_this_agency_reply_may_name_the_responsible_agency_and_no_other_outcome_may():
    check_reply_details("not_this_agency", {"responsible_agency": "某局", "responsible_agency_contact": "电话12345"})
    check_reply_details("not_this_agency", {})  # not determinable: nothing to name
    with pytest.raises(FieldError) as err:
        check_reply_details("disclosed", {"responsible_agency": "某局"})
    assert err.value.field == "responsible_agency"
    with pytest.raises(FieldError, match="同时填写"):
        check_reply_details("not_this_agency", {"responsible_agency_contact": "电话12345"})


@pytest.mark.parametrize(
    "form, channel, ok",
    [
        ("paper", "post", True),
        ("paper", "pickup", True),
        ("paper", "email", False),
        ("paper", "online", False),
        ("electronic", "email", True),
        ("electronic", "online", True),
        ("electronic", "post", False),
        ("electronic", "pickup", False),
        ("inspect", "pickup", True),
        ("inspect", "post", False),
        ("inspect", "email", False),
    ],
)
def test_only_sensible_form_and_channel_pairs_are_accepted(form, channel, ok):
    problem = delivery_problem(form, channel)
    assert (problem is None) == ok
    if not ok:
        assert FORM_LABELS[form] in problem and CHANNEL_LABELS[channel] in problem


@given(st.sampled_from(sorted(FORM_LABELS)), st.sampled_from(sorted(CHANNEL_LABELS)))
def test_every_form_has_a_channel_and_the_message_names_the_allowed_ones(form, channel):
    assert DELIVERY_PAIRS[form]
    problem = delivery_problem(form, channel)
    assert (problem is None) == (channel in DELIVERY_PAIRS[form])
    if problem:
        assert all(CHANNEL_LABELS[c] in problem for c in DELIVERY_PAIRS[form])
