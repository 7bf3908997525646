"""The other channels in 一、总体情况: the sentences made from the registers' figures, the checklist
points that ask for them, and the figures the prose quotes checked against the registers.

The sentences are what real reports of education bureaus write (the issue's examples: “收到13件，
回复13件，回复率100%”, 办理并公开人大代表建议、政协委员提案, “发布400余条，关注13万余人”); the
checks must never report a figure that agrees with the register (tolerant of 全角 digits, 余, 约,
万), and must report one that does not, naming both figures.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.annual_report.channel_prose import channel_problems, quoted_figures, register_mismatches
from gongkai.domain.annual_report.channels import (
    HOTLINE,
    MAILBOX,
    PROVINCIAL,
    WECHAT,
    WEIBO,
    ChannelFigures,
    MediaCounts,
    ProposalCounts,
    PublicityFigures,
    WorkOrderCounts,
    channel_suggestions,
    media_sentence,
    press_sentence,
    proposals_sentence,
    work_orders_sentence,
)
from gongkai.domain.annual_report.checklist import checklist
from gongkai.domain.annual_report.content import ReportContent
from gongkai.domain.annual_report.prose_check import read_back
from gongkai.domain.errors import DomainError
from gongkai.domain.rates import rate_text

from .test_suggestions import tables_for

YEAR = 2026

HOT = WorkOrderCounts(HOTLINE, "12345政务服务便民热线", "工单", 13, 13, 12, 8, 7)
PROV = WorkOrderCounts(PROVINCIAL, "省级网上平台（民心网）", "工单", 5, 4, 4, 0, 0)
MAIL = WorkOrderCounts(MAILBOX, "局长信箱", "来信", 3, 3, 3, None, None)
FULL = ChannelFigures(
    YEAR,
    ProposalCounts(12, 11, 9, 8, 7),
    ProposalCounts(5, 4, 3, 3, 3),
    (HOT, PROV, MAIL),
    PublicityFigures(
        (MediaCounts(WECHAT, "微信公众号“示范区教育”", 400, 131456), MediaCounts(WEIBO, "政务微博", 210, 5230)),
        3,
        2,
        12,
    ),
)


# -- the sentences -------------------------------------------------------------------------------------


def test_the_sentences_read_like_the_reports():
    assert proposals_sentence(FULL) == (
        "本年度共办理人大代表建议12件、政协委员提案5件，已答复15件，在政府信息公开专栏公开答复复文12件，"
        "收到代表委员反馈意见11件，满意和基本满意率90.9%。"
    )
    assert work_orders_sentence(FULL) == (
        "本年度收到12345政务服务便民热线工单13件，回复13件，回复率100%，按时回复率92.3%，群众评价8件，满意率87.5%；"
        "收到省级网上平台（民心网）工单5件，回复4件，回复率80%，按时回复率80%；"
        "收到局长信箱来信3件，回复3件，回复率100%，按时回复率100%。"
    )
    assert media_sentence(FULL) == (
        "微信公众号“示范区教育”全年发布400条，年末关注人数131456人；政务微博全年发布210条，年末关注人数5230人。"
    )
    assert press_sentence(FULL) == "本年度召开新闻发布会3场，举办政策吹风会2场，回应社会关切12次。"


def test_the_issues_example_is_one_clause_of_the_work_order_sentence():
    f = ChannelFigures(YEAR, work_orders=(WorkOrderCounts(HOTLINE, "12345政务服务便民热线", "工单", 13, 13),))
    assert work_orders_sentence(f) == "本年度收到12345政务服务便民热线工单13件，回复13件，回复率100%。"


def test_an_absent_channel_gets_no_sentence_and_a_figure_left_out_no_clause():
    assert channel_suggestions(None) == []
    assert channel_suggestions(ChannelFigures(YEAR)) == []
    only = ChannelFigures(YEAR, suggestions=ProposalCounts(handled=4))
    assert [s.text for s in channel_suggestions(only)] == ["本年度共办理人大代表建议4件。"] * 2
    orders = ChannelFigures(YEAR, work_orders=(WorkOrderCounts(MAILBOX, "局长信箱", "来信", received=6),))
    assert work_orders_sentence(orders) == "本年度收到局长信箱来信6件。"
    press = ChannelFigures(YEAR, publicity=PublicityFigures(policy_briefings=2))
    assert press_sentence(press) == "本年度举办政策吹风会2场。" and media_sentence(press) is None


def test_zeros_are_said_in_words():
    f = ChannelFigures(
        YEAR,
        ProposalCounts(0, 0, 0, 0, 0),
        ProposalCounts(0, 0, 0, 0, 0),
        (WorkOrderCounts(MAILBOX, "局长信箱", "来信", 0, 0, 0, 0, 0),),
        PublicityFigures(press_conferences=0),
    )
    assert proposals_sentence(f) == "本年度未承办人大代表建议、政协委员提案。"
    assert work_orders_sentence(f) == "本年度局长信箱未收到来信。"
    assert press_sentence(f) == "本年度未召开新闻发布会。"
    one_kind = ChannelFigures(YEAR, ProposalCounts(3, 0), ProposalCounts(0, 0))
    assert proposals_sentence(one_kind) == "本年度共办理人大代表建议3件，尚未答复。"


def test_the_suggestions_go_to_overview_and_the_proposals_also_to_other():
    assert [(s.section_key, s.point, s.key) for s in channel_suggestions(FULL)] == [
        ("overview", "主动公开", "proposals"),
        ("overview", "政府信息公开平台建设", "work_orders"),
        ("overview", "政府信息公开平台建设", "media"),
        ("overview", "政府信息公开平台建设", "press"),
        ("other", "人大代表建议和政协提案办理结果公开情况", "proposals_other"),
    ]
    assert {s.source for s in channel_suggestions(FULL)} == {"建议提案办理登记", "工单登记", "新媒体和新闻发布登记"}


def test_rates_print_like_the_statistics_page():
    assert rate_text(13, 13) == "100%" and rate_text(12, 13) == "92.3%" and rate_text(1, 2) == "50%"
    assert rate_text(2, 3) == "66.7%" and rate_text(1, 8) == "12.5%" and rate_text(0, 0) == "—"
    # never 100% when one is missing, nor 0% when one is there
    assert rate_text(1999, 2000) == "99.95%" and rate_text(59999, 60000) == "99.998%"
    assert rate_text(1, 2001) == "0.05%" and rate_text(0, 7) == "0%"


@pytest.mark.parametrize(
    "make",
    [
        lambda: ProposalCounts(handled=2, replied=3),
        lambda: ProposalCounts(handled=-1),
        lambda: ProposalCounts(handled=True),
        lambda: WorkOrderCounts(HOTLINE, "12345", received=2, replied=3),
        lambda: WorkOrderCounts(HOTLINE, "12345", received=2, replied=2, rated=1, satisfied=2),
        lambda: MediaCounts(WECHAT, "微信公众号", posts=1.5),
        lambda: PublicityFigures(press_conferences=-2),
    ],
)
def test_impossible_figures_are_refused(make):
    with pytest.raises(DomainError):
        make()


# -- the audit reader reads the sentences as no figure of an application or a case ---------------------


def test_the_audit_reader_finds_no_contradiction_in_the_channel_sentences():
    t = tables_for(YEAR)
    sections: dict[str, list[str]] = {}
    for s in channel_suggestions(FULL):
        sections.setdefault(s.section_key, []).append(s.text)
    content = ReportContent("示范区教育局", YEAR, t, {k: "\n".join(v) for k, v in sections.items()})
    report = read_back(content)
    assert not [f for f in report.findings if f.severity in ("error", "warning") and f.rule.startswith("prose")]
    assert not [f for f in report.findings if f.rule == "parts_sum_mismatch"]
    assert channel_problems(content, FULL) == []


# -- the checklist asks for the figures the registers hold ----------------------------------------------


def test_the_checklist_asks_for_each_registered_channel_with_its_figures():
    content = ReportContent("示范区教育局", YEAR, {}, {"overview": "我局依托门户网站做好平台建设。"})
    plain = {i.point for i in checklist(content)["overview"]}
    items = {i.point: i for i in checklist(content, FULL)["overview"]}
    added = set(items) - plain
    assert added == {"建议提案办理和复文公开情况", "政务热线和网上平台工单办理情况", "政务新媒体和新闻发布情况"}
    assert all(not items[p].required and not items[p].covered for p in added)
    assert "收到12345政务服务便民热线工单13件" in items["政务热线和网上平台工单办理情况"].figures
    assert "发布400条" in items["政务新媒体和新闻发布情况"].figures
    assert "召开新闻发布会3场" in items["政务新媒体和新闻发布情况"].figures
    other = {i.point: i for i in checklist(content, FULL)["other"]}
    assert other["人大代表建议和政协提案办理结果公开情况"].figures.startswith("本年度共办理人大代表建议12件")
    # only the channels the registers hold
    orders_only = ChannelFigures(YEAR, work_orders=(HOT,))
    assert {i.point for i in checklist(content, orders_only)["overview"]} - plain == {"政务热线和网上平台工单办理情况"}


def test_a_point_is_covered_when_the_channel_is_named_with_a_figure():
    named = ReportContent("示范区教育局", YEAR, {}, {"overview": "我局重视12345热线工单办理。"})
    items = {i.point: i for i in checklist(named, FULL)["overview"]}
    assert not items["政务热线和网上平台工单办理情况"].covered
    counted = ReportContent("示范区教育局", YEAR, {}, {"overview": "全年收到热线工单１３件，回复13件。"})
    items = {i.point: i for i in checklist(counted, FULL)["overview"]}
    assert items["政务热线和网上平台工单办理情况"].covered


# -- reading the figures the prose quotes -----------------------------------------------------------------


def _read(text):
    return [(q.subject, q.measure, q.value, q.bound) for q in quoted_figures(text, YEAR)]


def test_every_figure_of_the_suggested_sentences_is_read_back_as_what_it_is():
    read = []
    for s in channel_suggestions(FULL)[:4]:
        read += [
            (q.subject, q.measure, int(q.value) if q.value == int(q.value) else q.value)
            for q in quoted_figures(s.text, YEAR)
        ]
    assert read == [
        ("suggestions", "handled", 12),
        ("proposals", "handled", 5),
        ("proposals_all", "replied", 15),
        ("proposals_all", "published", 12),
        ("proposals_all", "fed_back", 11),
        ("proposals_all", "satisfaction_rate", Decimal("90.9")),
        ("wo:12345", "received", 13),
        ("wo:12345", "replied", 13),
        ("wo:12345", "reply_rate", 100),
        ("wo:12345", "on_time_rate", Decimal("92.3")),
        ("wo:12345", "rated", 8),
        ("wo:12345", "satisfaction_rate", Decimal("87.5")),
        ("wo:provincial", "received", 5),
        ("wo:provincial", "replied", 4),
        ("wo:provincial", "reply_rate", 80),
        ("wo:provincial", "on_time_rate", 80),
        ("wo:mailbox", "received", 3),
        ("wo:mailbox", "replied", 3),
        ("wo:mailbox", "reply_rate", 100),
        ("wo:mailbox", "on_time_rate", 100),
        ("media:wechat", "posts", 400),
        ("media:wechat", "followers", 131456),
        ("media:weibo", "posts", 210),
        ("media:weibo", "followers", 5230),
        ("press", "count", 3),
        ("briefings", "count", 2),
        ("concerns", "count", 12),
    ]


def test_full_width_digits_wan_and_approximate_words_are_read():
    assert _read("办理人大代表建议１２件。") == [("suggestions", "handled", 12, "exact")]
    assert _read("微信公众号发布400余条，关注人数13万余人。") == [
        ("media:wechat", "posts", 400, "at_least"),
        ("media:wechat", "followers", 130000, "at_least"),
    ]
    assert _read("回应关切约20次。") == [("concerns", "count", 20, "about")]
    assert _read("召开新闻发布会三场。") == [("press", "count", 3, "exact")]
    assert _read("12345热线工单回复率达９８．５％。") == [("wo:12345", "reply_rate", Decimal("98.5"), "exact")]
    assert _read("2026年收到12345热线工单13件。") == [("wo:12345", "received", 13, "exact")]
    assert _read("微信公众号年末关注人数131,456人, 全年发布1,200条。") == [
        ("media:wechat", "followers", 131456, "exact"),
        ("media:wechat", "posts", 1200, "exact"),
    ]


@pytest.mark.parametrize(
    "text, readable",
    [
        ("2025年收到12345热线工单20件，回复20件。", set()),  # another year
        # sample-05 of the shared samples: after 其中 the parts, and 反馈 is not what was received
        ("教育局共受理群众诉求29件，其中民心网20件，电话接访9件，民心网反馈20件，其中1件无人接听。", set()),
        ("民心网反馈20件。", set()),
        ("全年收到12345热线工单13件，其中咨询类7件，回复7件。", {"全年收到12345热线工单13件"}),  # 回复7件: the part's
        ("收到12345热线和政务服务网工单共30件。", set()),  # with a platform gongkai does not hold
        ("收到12345热线、民心网工单共18件，回复18件。", set()),  # two platforms together
        ("收到12345热线工单13件，局长信箱来信5件，回复18件。", {"收到12345热线工单13件", "局长信箱来信5件"}),
        ("12345热线1月收到工单3件，回复3件。", set()),  # one month
        ("12345热线工单较上年增加5件。", set()),  # a comparison
        ("主办人大代表建议3件、会办5件。", set()),  # the lead items only
        ("办理重点提案2件。", set()),  # a part
        ("微信公众号新增关注5000人，阅读量10万余次。", set()),  # growth, reads
        ("参加市政府新闻发布会2场。", set()),  # someone else's
        ("12345热线工单13件回复12件。", set()),  # two numbers in one clause
        (
            "办理人大代表建议12件，已答复10件，政协委员提案5件，已答复5件。",  # the second 已答复: the proposals'
            {"办理人大代表建议12件", "已答复10件", "政协委员提案5件"},
        ),
    ],
)
def test_what_cannot_be_read_safely_is_not_compared(text, readable):
    f = ChannelFigures(
        YEAR,
        ProposalCounts(1, 1, 0, 0, 0),
        ProposalCounts(1, 1, 0, 0, 0),
        (
            WorkOrderCounts(HOTLINE, "12345", "工单", 1, 1, 1, 0, 0),
            WorkOrderCounts(PROVINCIAL, "民心网", "工单", 1, 1, 1, 0, 0),
            WorkOrderCounts(MAILBOX, "局长信箱", "来信", 1, 1, 1, 0, 0),
        ),
        PublicityFigures((MediaCounts(WECHAT, "微信公众号", 1, 1),), 1, 1, 1),
    )
    assert {q.text for q in quoted_figures(text, YEAR)} == readable
    assert {p.quoted for p in register_mismatches(text, f)} == readable  # every one differs from 1


def test_a_mismatch_names_both_figures():
    f = ChannelFigures(YEAR, ProposalCounts(12, 12, 10, 0, 0), ProposalCounts(5, 5, 5, 0, 0), (HOT,))
    text = "本年度办理人大代表建议14件、政协委员提案5件，已答复17件。收到12345政务服务便民热线工单15件，回复13件，回复率100%。"
    problems = register_mismatches(text, f, section_key="overview")
    assert [p.message for p in problems] == [
        "正文称“本年度办理人大代表建议14件”，而建议提案办理登记中本年度人大代表建议办理12件",
        "正文称“收到12345政务服务便民热线工单15件”，而工单登记中本年度12345政务服务便民热线收到工单13件",
    ]
    assert all(p.severity == "warning" and p.rule == "prose_register_mismatch" for p in problems)
    assert problems[0].stated == 14 and problems[0].expected == 12 and problems[0].section_key == "overview"


def test_a_rate_is_compared_to_its_written_precision_and_100_percent_means_all():
    f = ChannelFigures(YEAR, work_orders=(WorkOrderCounts(HOTLINE, "12345热线", "工单", 2000, 1999, 1990),))
    assert register_mismatches("12345热线工单回复率99.9%。", f) == []  # 99.95, cut
    assert register_mismatches("12345热线工单回复率99.95%。", f) == []
    (p,) = register_mismatches("12345热线工单回复率100%。", f)
    assert "回复率99.95%" in p.message and "收到2000件、回复1999件" in p.message
    assert register_mismatches("12345热线工单按时回复率99.5%。", f) == []
    assert len(register_mismatches("12345热线工单按时回复率98%。", f)) == 1


def test_at_least_is_a_lower_bound_and_wan_a_precision():
    f = ChannelFigures(YEAR, publicity=PublicityFigures((MediaCounts(WECHAT, "微信公众号", 420, 131456),)))
    assert register_mismatches("微信公众号发布400余条，关注人数13万余人。", f) == []
    assert register_mismatches("微信公众号关注人数13.1万人。", f) == []
    (p,) = register_mismatches("微信公众号发布500余条。", f)
    assert "不少于" in p.message and "发布420条" in p.message
    (p,) = register_mismatches("微信公众号关注人数13.2万人。", f)
    assert "131456人" in p.message
    assert register_mismatches("微信公众号发布约500条。", f) == []


# -- properties --------------------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=5000)


@st.composite
def proposal_counts(draw):
    handled = draw(counts)
    replied = draw(st.integers(0, handled))
    published = draw(st.integers(0, replied))
    fed_back = draw(st.integers(0, replied))
    satisfied = draw(st.integers(0, fed_back))
    return ProposalCounts(handled, replied, published, fed_back, satisfied)


@st.composite
def work_order_counts(draw, platform, label, noun):
    received = draw(st.integers(0, 60000))
    replied = draw(st.integers(0, received))
    on_time = draw(st.integers(0, replied))
    rated = draw(st.integers(0, replied))
    satisfied = draw(st.integers(0, rated))
    return WorkOrderCounts(platform, label, noun, received, replied, on_time, rated, satisfied)


@st.composite
def channel_figures(draw):
    orders = tuple(
        draw(work_order_counts(code, label, noun))
        for code, label, noun in (
            (HOTLINE, "12345政务服务便民热线", "工单"),
            (PROVINCIAL, "省级网上平台（民心网）", "工单"),
            (MAILBOX, "局长信箱", "来信"),
        )
        if draw(st.booleans())
    )
    media = tuple(
        MediaCounts(kind, label, draw(st.none() | counts), draw(st.none() | st.integers(0, 10**7)))
        for kind, label in ((WECHAT, "微信公众号“示范区教育”"), (WEIBO, "政务微博"))
        if draw(st.booleans())
    )
    publicity = draw(
        st.none()
        | st.builds(
            PublicityFigures,
            st.just(media),
            st.none() | st.integers(0, 50),
            st.none() | st.integers(0, 50),
            st.none() | st.integers(0, 500),
        )
    )
    return ChannelFigures(
        YEAR, draw(st.none() | proposal_counts()), draw(st.none() | proposal_counts()), orders, publicity
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=channel_figures())
def test_the_suggested_sentences_agree_with_the_registers_they_come_from(f):
    for s in channel_suggestions(f):
        assert register_mismatches(s.text, f) == [], s.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=channel_figures(), data=st.data())
def test_a_changed_count_in_a_suggested_sentence_is_found_naming_both_figures(f, data):
    stated = [
        (s, q)
        for s in channel_suggestions(f)
        for q in quoted_figures(s.text, YEAR)
        if q.measure not in ("reply_rate", "on_time_rate", "satisfaction_rate")
    ]
    if not stated:
        return
    s, q = data.draw(st.sampled_from(stated))
    old = int(q.value)
    new = data.draw(st.integers(0, 10**6).filter(lambda n: n != old))
    clause = s.text[q.start : q.end]
    changed_clause = clause[::-1].replace(str(old)[::-1], str(new)[::-1], 1)[::-1]
    text = s.text[: q.start] + changed_clause + s.text[q.end :]
    problems = [p for p in register_mismatches(text, f) if p.quoted == changed_clause.strip()]
    assert len(problems) == 1, (text, changed_clause)
    assert str(new) in problems[0].message and str(old) in problems[0].message
    assert problems[0].stated == new and problems[0].expected == old


FULL_WIDTH = str.maketrans("0123456789%.", "０１２３４５６７８９％．")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=channel_figures())
def test_full_width_digits_read_the_same(f):
    for s in channel_suggestions(f):
        wide = s.text.translate(FULL_WIDTH)
        assert [(q.subject, q.measure, q.value) for q in quoted_figures(wide, YEAR)] == [
            (q.subject, q.measure, q.value) for q in quoted_figures(s.text, YEAR)
        ]
        assert register_mismatches(wide, f) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=channel_figures(), data=st.data())
def test_about_is_never_compared_and_at_least_only_below(f, data):
    for s in channel_suggestions(f):
        for q in quoted_figures(s.text, YEAR):
            if q.measure.endswith("_rate"):
                continue
            clause = s.text[q.start : q.end]
            n = str(int(q.value))
            bigger = str(int(q.value) + data.draw(st.integers(1, 1000)))
            about = clause.replace(n, "约" + bigger, 1) if clause.count(n) == 1 else None
            if about:
                assert register_mismatches(about, f) == [], about
            if int(q.value) >= 10 and clause.count(n) == 1:
                lower = str(int(q.value) // 10 * 10)
                unit_at = clause.index(n) + len(n)
                at_least = clause[: clause.index(n)] + lower + "余" + clause[unit_at:]
                assert register_mismatches(s.text[: q.start] + at_least + s.text[q.end :], f) == [], at_least


# words and numbers such as reports hold, none of them naming a registered channel with a figure
_FILLER = st.sampled_from(
    [
        "我局",
        "高度重视",
        "政府信息公开工作",
        "主动公开政府信息",
        "1200条",
        "收到政府信息公开申请45件",
        "办结43件",
        "召开专题会议",
        "3次",
        "培训",
        "200人次",
        "，",
        "。",
        "；",
        "、",
        "１３",
        "约",
        "余",
        "其中",
        "2025年",
        "12月",
        "热线",
        "工单",
        "建议",
        "提案",
        "代表",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=channel_figures(), words=st.lists(_FILLER, max_size=40), noise=st.text(max_size=60))
def test_text_that_names_no_channel_yields_no_finding(f, words, noise):
    text = "".join(words) + noise
    if any(
        w in text
        for w in (
            "12345",
            "１２３４５",
            "民心网",
            "局长信箱",
            "网上平台",
            "微信",
            "公众号",
            "微博",
            "抖音",
            "头条",
            "视频号",
            "门户网站",
            "发布会",
            "吹风会",
            "关切",
            "代表建议",
            "人大建议",
            "委员提案",
            "政协提案",
            "建议提案",
            "建议和提案",
            "建议、提案",
        )
    ):
        return
    assert quoted_figures(text, YEAR) == []
    assert register_mismatches(text, f) == []
