"""第三十一条: the receipt date (day 0) by channel."""

from datetime import date, datetime

import pytest

from gongkai.domain.applications.receipt import Channel, receipt_date
from gongkai.domain.errors import DomainError

D = date(2026, 3, 2)


@pytest.mark.parametrize("channel", ["in_person", "oral"])
def test_an_application_handed_in_counts_from_the_day_it_is_handed_in(channel):
    assert receipt_date(channel, handed_in_on=D) == D


def test_signed_post_counts_from_the_day_the_agency_signs_for_it():
    assert receipt_date(Channel.POST_SIGNED, signed_for_on=D) == D


@pytest.mark.parametrize("channel", ["post_unsigned", "online", "email", "fax"])
def test_a_confirmation_channel_counts_from_the_confirmation_and_has_no_receipt_date_before_it(channel):
    assert receipt_date(channel, confirmed_on=D) == D
    assert receipt_date(channel) is None
    assert Channel(channel).needs_confirmation


@pytest.mark.parametrize(
    "channel, message",
    [
        ("in_person", "当面提交的申请须填写提交日期，以确定收到申请之日（第三十一条）"),
        ("oral", "口头申请（代为填写）的申请须填写提交日期，以确定收到申请之日（第三十一条）"),
        ("post_signed", "邮寄（签收）的申请须填写签收日期，以确定收到申请之日（第三十一条）"),
    ],
)
def test_a_channel_that_fixes_the_date_at_once_refuses_to_go_without_it(channel, message):
    with pytest.raises(DomainError) as info:
        receipt_date(channel)
    assert info.value.message == message


def test_a_date_the_channel_does_not_use_is_refused_so_a_wrong_channel_is_caught():
    with pytest.raises(DomainError, match="当面提交的申请以提交日期为收到日期，不应填写与申请人确认日期"):
        receipt_date("in_person", handed_in_on=D, confirmed_on=D)
    with pytest.raises(DomainError, match="网上申请的申请以与申请人确认日期为收到日期，不应填写签收日期"):
        receipt_date("online", signed_for_on=D)


def test_a_timestamp_or_text_is_not_a_date():
    with pytest.raises(DomainError, match="应为日期"):
        receipt_date("in_person", handed_in_on=datetime(2026, 3, 2, 10, 30))
    with pytest.raises(DomainError, match="应为日期"):
        receipt_date("post_signed", signed_for_on="2026-03-02")


def test_an_unknown_channel_is_refused_in_chinese():
    with pytest.raises(DomainError, match="未知的申请渠道“pigeon”"):
        receipt_date("pigeon", handed_in_on=D)


def test_every_channel_has_its_chinese_label():
    assert [c.label for c in Channel] == [
        "当面提交",
        "口头申请（代为填写）",
        "邮寄（签收）",
        "平信",
        "网上申请",
        "电子邮件",
        "传真",
    ]
