"""The agency's published phone/fax/e-mail check, and the remedies paragraph written from the law:
条例 第五十一条 (the rights), 行政复议法 第二十条 (六十日), 行政诉讼法 第四十六条 (六个月)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.applications.letters import remedies_text, third_party_remedies_text
from gongkai.domain.contact import check_email, check_phone
from gongkai.domain.fields import FieldError


@pytest.mark.parametrize(
    "number",
    [
        "010-12345678",
        "(010)1234-5678转801",
        "13800138000",
        "400 800 1234",
        "０１０－６２０００００１",
        "010-62000001、62000002",
    ],
)
def test_numbers_as_offices_write_them_pass_unchanged(number):
    assert check_phone("phone", f"  {number} ") == number


@pytest.mark.parametrize("number", ["1234", "电话待定", "010-1234abcd", "12345678901234567890123456789012"])
def test_what_cannot_be_dialled_is_refused_in_chinese(number):
    with pytest.raises(FieldError, match="格式不正确") as err:
        check_phone("fax", number, "传真号码")
    assert err.value.field == "fax" and "传真号码" in err.value.message


@given(st.text(alphabet="abcdefghij一二三@# ", max_size=20))
def test_a_value_with_letters_is_never_accepted_as_a_number(value):
    if any(c.isalpha() or c in "@#" for c in value):
        with pytest.raises(FieldError):
            check_phone("phone", value)


def test_email_light_check():
    assert check_email("email", " xxgk@example.gov.cn ") == "xxgk@example.gov.cn"
    assert check_email("email", "") == ""
    for bad in ("xxgk.example.gov.cn", "a@b", "a b@c.cn"):
        with pytest.raises(FieldError, match="电子邮箱格式不正确"):
            check_email("email", bad)


def test_the_remedies_name_the_review_body_and_the_court_with_the_statutory_periods():
    text = remedies_text("示范区人民政府", "示范区人民法院")
    # 行政复议法 第二十条: 六十日; 行政诉讼法 第四十六条: 六个月
    assert "60日内依法向示范区人民政府申请行政复议" in text
    assert "6个月内依法向示范区人民法院提起行政诉讼" in text
    assert "投诉、举报" in text  # 第五十一条's other route
    for citation in (
        "《中华人民共和国政府信息公开条例》第五十一条",
        "《中华人民共和国行政复议法》第二十条",
        "《中华人民共和国行政诉讼法》第四十六条",
    ):
        assert citation in text


def test_unnamed_bodies_leave_the_generic_wording():
    text = remedies_text("", "  ")
    assert "60日内依法申请行政复议" in text and "6个月内依法向人民法院提起行政诉讼" in text and "向向" not in text
    third = third_party_remedies_text("示范区人民政府", "")
    assert "收到本告知书之日起60日内依法向示范区人民政府申请行政复议" in third and "依法向人民法院提起行政诉讼" in third
