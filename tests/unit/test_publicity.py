"""New media and public communication: the rules of one record, the year's figures the annual report
quotes, the parse of a sheet of monthly figures, and the chart's geometry.

Law: 条例第二十三条 — government information is published through 政府网站, 互联网政务媒体 and
新闻发布会 among other channels (what these registers count); 条例第六条 — an agency clears up false or
incomplete information by publishing accurate information (回应关切, 舆情); 条例第五十条 with the
national report format (国办公开办函〔2021〕30号) — section 一 总体情况 reports the year's work, e.g.
"政务微信公众号发布信息400余条，关注13万余人" (followers at the year's end, posts of the year).
"""

from datetime import date, datetime

import pytest

from gongkai.domain.fields import FieldError
from gongkai.domain.publicity import chart, media
from gongkai.domain.publicity import importing as imp
from gongkai.domain.publicity.media import MonthRow

TODAY = date(2026, 7, 15)
ACCOUNTS = [imp.KnownAccount(1, "示范区教育发布", "wechat"), imp.KnownAccount(2, "@示范区教育", "weibo")]


# -- one record ---------------------------------------------------------------------------------------------


def test_a_month_may_be_recorded_once_it_has_begun_never_before():
    assert media.check_month(date(2026, 7, 20), today=TODAY) == date(2026, 7, 1)  # the running month
    assert media.check_month(date(2025, 12, 31), today=TODAY) == date(2025, 12, 1)
    with pytest.raises(FieldError, match="2026年8月尚未开始"):
        media.check_month(date(2026, 8, 1), today=TODAY)


def test_posts_are_required_followers_and_reads_may_be_left_empty_none_negative():
    media.check_counts(posts=0, followers=None, reads=None)  # a website has no followers
    with pytest.raises(FieldError, match="请填写“发布条数”"):
        media.check_counts(posts=None, followers=10, reads=10)
    with pytest.raises(FieldError, match="“阅读量”不能为负数") as err:
        media.check_counts(posts=1, followers=1, reads=-1)
    assert err.value.field == "reads"


def test_a_concern_is_answered_after_it_arose_and_not_in_the_future():
    media.check_concern(occurred_on=date(2026, 7, 1), answered_on=None, today=TODAY)
    media.check_concern(occurred_on=date(2026, 7, 1), answered_on=date(2026, 7, 1), today=TODAY)
    with pytest.raises(FieldError, match="不能早于发现日期"):
        media.check_concern(occurred_on=date(2026, 7, 2), answered_on=date(2026, 7, 1), today=TODAY)
    with pytest.raises(FieldError, match="“回应日期”不能晚于今天"):
        media.check_concern(occurred_on=date(2026, 7, 2), answered_on=date(2026, 7, 16), today=TODAY)
    with pytest.raises(FieldError, match="“发现日期”不能晚于今天"):
        media.check_concern(occurred_on=date(2026, 7, 16), answered_on=None, today=TODAY)


def test_a_conference_names_each_speaker_with_the_post_they_speak_for():
    rows = [("王志强", "局长"), ("", ""), (" 李红 ", "基础教育科科长")]
    assert media.clean_speakers(rows) == [("王志强", "局长"), ("李红", "基础教育科科长")]
    with pytest.raises(FieldError, match="请填写王志强的职务") as err:
        media.clean_speakers([("王志强", "")])
    assert err.value.field == "speaker_1_post"
    with pytest.raises(FieldError, match="请至少填写一位发布人"):
        media.clean_speakers([("", "")])
    with pytest.raises(FieldError, match="举行后再登记"):
        media.check_briefing(held_on=date(2026, 7, 16), today=TODAY)


# -- the year's figures -------------------------------------------------------------------------------------


def test_posts_add_up_over_the_year_and_followers_are_those_at_its_end():
    rows = [MonthRow(1, "wechat", date(2026, m, 1), 30, 100_000 + m * 1000, 5000) for m in range(1, 13)]
    rows.append(MonthRow(1, "wechat", date(2025, 12, 1), 99, 1, 1))  # another year: not counted
    y = media.year_figures(rows, year=2026)["wechat"]
    assert (y.posts, y.followers, y.followers_month, y.reads, y.months) == (360, 112_000, date(2026, 12, 1), 60000, 12)
    assert y.complete and y.label == "政务微信公众号"


def test_without_december_the_followers_are_those_of_the_last_recorded_month_and_say_so():
    rows = [MonthRow(1, "weibo", date(2026, m, 1), 10, 4000 + m) for m in range(1, 12)]
    y = media.year_figures(rows, year=2026)["weibo"]
    assert (y.followers, y.followers_month, y.complete) == (4011, date(2026, 11, 1), False)


def test_several_accounts_on_one_platform_are_summed_and_a_website_has_no_followers():
    rows = [
        MonthRow(1, "wechat", date(2026, 12, 1), 10, 1000, None),
        MonthRow(2, "wechat", date(2026, 11, 1), 5, 300, None),  # its December not recorded
        MonthRow(3, "website", date(2026, 12, 1), 20, None, 800),
    ]
    figures = media.year_figures(rows, year=2026)
    assert list(figures) == ["wechat", "website"]
    assert (figures["wechat"].accounts, figures["wechat"].posts, figures["wechat"].followers) == (2, 15, 1300)
    assert figures["wechat"].reads is None
    assert (figures["website"].followers, figures["website"].reads) == (None, 800)


# -- the sheet ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    ["2026-03", "2026/3", "2026.03", "2026年3月", "202603", "2026-03-01", date(2026, 3, 9), datetime(2026, 3, 1, 0, 0)],
)
def test_a_month_is_read_as_offices_write_it(cell):
    assert imp.parse_month(cell) == date(2026, 3, 1)


@pytest.mark.parametrize("cell", ["三月", "2026-13", "26-03", "", None])
def test_what_is_not_a_month(cell):
    assert imp.parse_month(cell) is None


def test_counts_allow_separators_and_wan_but_not_fractions_or_negatives():
    assert imp.parse_count("1,234") == (1234, "")
    assert imp.parse_count("13万") == (130000, "")
    assert imp.parse_count("1.2万") == (12000, "")
    assert imp.parse_count(12.0) == (12, "")
    assert imp.parse_count("") == (None, "")
    assert imp.parse_count("12.5") == (None, "应为整数")
    assert imp.parse_count(-3) == (None, "不能为负数")
    assert imp.parse_count("许多") == (None, "应为整数")


def test_columns_are_found_by_header_in_any_order_and_by_their_other_names():
    head = ["阅读数", "粉丝数", "发布数", "统计月份", "账号"]
    rows = [[5000, "1.3万", 30, "2026-06", "示范区教育发布"]]
    (r,) = imp.parse_rows(head, rows, ACCOUNTS, today=TODAY)
    assert r.ok and (r.values["account"], r.values["month"], r.values["posts"]) == (1, date(2026, 6, 1), 30)
    assert (r.values["followers"], r.values["reads"]) == (13000, 5000)


def test_a_sheet_without_a_required_column_is_refused_whole_naming_it():
    with pytest.raises(imp.SheetError, match="找不到“月份”、“发布条数”列"):
        imp.parse_rows(["账号名称", "阅读量"], [], ACCOUNTS, today=TODAY)


def test_every_bad_row_says_why_in_chinese_and_none_is_dropped():
    head = ["账号名称", "月份", "发布条数", "关注/粉丝数", "平台"]
    rows = [
        ["示范区教育发布", "2026-05", 30, 1000, "政务微信公众号"],
        ["示范区教育发布", "2026年5月", 31, 1001, ""],  # the same month again in the file
        ["不存在的号", "2026-05", 1, "", ""],
        ["@示范区教育", "五月", -1, "", ""],
        ["@示范区教育", "2026-08", "", "", ""],
        ["@示范区教育", "2026-04", 3, "", "抖音"],
        ["", "", "", "", ""],  # empty: not a row
    ]
    parsed = imp.parse_rows(head, rows, ACCOUNTS, today=TODAY)
    assert [r.line for r in parsed] == [2, 3, 4, 5, 6, 7]
    assert parsed[0].ok
    assert parsed[1].errors == ["账号“示范区教育发布”2026年5月的数据与第2行重复"]
    assert parsed[2].errors[0].startswith("“不存在的号”不是本机关登记的账号")
    assert parsed[3].errors == ["“月份”无法识别：“五月”，应如2026-03或2026年3月", "“发布条数”不能为负数：“-1”"]
    assert parsed[4].errors == ["“月份”2026年8月尚未开始", "缺少“发布条数”"]
    assert parsed[5].errors == ["“平台”为“抖音”，而账号“@示范区教育”登记为政务微博"]


def test_a_sheet_longer_than_the_limit_is_refused():
    rows = [["示范区教育发布", f"2026-{m:02d}", 1] for m in range(1, 4)]
    with pytest.raises(imp.SheetError, match="超过2行"):
        imp.parse_rows(["账号名称", "月份", "发布条数"], rows, ACCOUNTS, today=TODAY, max_rows=2)


# -- the chart ----------------------------------------------------------------------------------------------


def test_the_chart_draws_one_bar_per_platform_and_month_scaled_to_a_round_top():
    c = chart.posts_chart({"weibo": [10] * 12, "wechat": [0] * 11 + [43]}, year=2026)
    assert [label for _, label in c.legend] == ["政务微信公众号", "政务微博"]  # in the platforms' order
    assert len(c.bars) == 24 and c.y_ticks[-1][1] == 50  # step 10: 0…50
    dec = next(b for b in c.bars if b.platform == "wechat" and b.month == 12)
    assert dec.value == 43 and dec.height == pytest.approx(43 * (c.bottom - c.top) / 50, abs=0.1)
    assert c.title == "2026年各月发布条数"
