"""The supervisor's desk's rules (gongkai.domain.supervision), without Django."""

from datetime import date

from gongkai.domain.supervision import (
    Figures,
    Node,
    Timeliness,
    days_late,
    figures_of,
    outliers,
    oversight_tree,
    report_due,
    timeliness,
)


def test_a_departments_report_is_due_by_31_january_and_the_day_itself_is_in_time():
    # 条例第四十九条: 县级以上人民政府部门 publish the previous year's report "每年1月31日前"
    assert report_due(2025) == date(2026, 1, 31)
    assert timeliness(2025, date(2026, 1, 31), today=date(2026, 3, 1)) is Timeliness.ON_TIME
    assert timeliness(2025, date(2026, 2, 1), today=date(2026, 3, 1)) is Timeliness.LATE
    assert timeliness(2025, None, today=date(2026, 1, 31)) is Timeliness.NOT_DUE
    assert timeliness(2025, None, today=date(2026, 2, 1)) is Timeliness.MISSING
    assert days_late(2025, date(2026, 2, 3), today=date(2026, 3, 1)) == 3
    assert days_late(2025, None, today=date(2026, 2, 10)) == 10


def test_the_tree_goes_through_the_offices_in_between_and_cuts_a_loop():
    city, district, edu, sub, dept, other = 1, 2, 3, 4, 5, 6
    nodes = [
        Node(city, None, True),
        Node(district, city, True),
        Node(edu, district, False),
        Node(sub, district, True),
        Node(dept, sub, False),
        Node(other, None, False),
    ]
    tree = oversight_tree(city, nodes)
    assert [(o.id, o.depth, o.parent_id) for o in tree] == [(2, 1, 1), (3, 2, 2), (4, 2, 2), (5, 3, 4)]
    assert [o.id for o in oversight_tree(district, nodes)] == [3, 4, 5]
    looped = [Node(1, 2, True), Node(2, 1, True), Node(3, 2, False)]
    assert [o.id for o in oversight_tree(1, looped)] == [2, 3]


def test_what_the_figures_alone_prove():
    f = figures_of(
        {
            "table_3": {"new_received": {"total": 3}, "results_total": {"total": 3}, "granted": {"total": 0}},
            "table_4": {"litigation_direct_corrected": 1, "litigation_direct_maintained": 0},
        }
    )
    assert f.granted == 0 and f.lawsuits == 1 and f.corrected_rate == 100.0 and f.reviews is None
    assert outliers({2025: f}, 2025) == ["办结3件申请，无一予以公开或部分公开", "行政复议、行政诉讼结案的全部被纠正"]
    assert figures_of({}) == Figures(None, None, None, None, None, None, None)


# -- the comparison's figures and outliers (issue 17, 4.) ------------------------------------------------


def _t3(**totals) -> dict:
    return {"table_3": {row: {"total": n} for row, n in totals.items()}}


def _quiet(prose_received=None, text="") -> Figures:
    return Figures(0, 0, 0, 0, 0, 0, 0, prose_received=prose_received, prose_received_text=text)


def test_the_outcome_mix_documents_and_fee_are_read_from_tables_and_prose():
    from gongkai.domain.supervision import ProseStatement

    tables = _t3(
        new_received=9,
        results_total=9,
        granted=2,
        partially_granted=1,
        withheld_state_secret=1,
        withheld_third_party_rights=2,
        unable_not_held=3,
        not_processed_duplicate=0,
        other_other=0,
    )
    tables["table_2"] = {"art20_1": {"regulations": {"made": 1}, "normative_documents": {"made": 4}}}
    prose = [
        ProseStatement("applications_received", 9, "件", False, "收到申请9件"),
        ProseStatement("info_fee", 0.05, "万元", False, "收取信息处理费0.05万元"),
    ]
    f = figures_of(tables, prose=prose)
    assert dict(f.outcome_mix) == {
        "予以公开": 2,
        "部分公开": 1,
        "不予公开": 3,
        "无法提供": 3,
        "不予处理": 0,
        "其他处理": 0,
    }
    assert (f.documents, f.fee, f.prose_received) == (5, 500.0, 9)
    # no row of a kind, no figure of it: not a zero
    assert figures_of(_t3(granted=1)).withheld is None and figures_of({}).fee is None


def test_a_pre_2019_report_gives_counts_of_cases_but_no_corrected_rate():
    f = figures_of(
        {}, old_stats={"applications_received": 4, "review_cases": 2, "litigation_cases": 1, "fees_collected": 0}
    )
    assert (f.received, f.reviews, f.lawsuits) == (4, 2, 1)
    # the old statistics give no 纠正: the rate is unknown, never 0 %
    assert f.corrected_rate is None


def test_five_years_without_applications_while_the_prose_reports_them_is_proved_with_its_evidence():
    history = {y: _quiet() for y in range(2021, 2026)}
    history[2023] = _quiet(12, "全年共收到政府信息公开申请12件")
    history[2025] = _quiet(30, "收到申请30件")
    out = outliers(history, 2025)
    assert out == [
        "2021—2025年连续5年表格中新收申请均为0件，而正文称收到申请："
        "2023年“全年共收到政府信息公开申请12件”、2025年“收到申请30件”"
    ]


def test_five_quiet_years_whose_prose_agrees_are_only_quiet():
    history = {y: _quiet(0, "未收到政府信息公开申请") for y in range(2021, 2026)}
    assert outliers(history, 2025) == ["连续5年未收到政府信息公开申请"]


def test_no_quiet_outlier_from_a_missing_year_or_an_unread_figure():
    # the prose reports applications every year, but one year has no report: nothing is proved
    history = {y: _quiet(10, "收到申请10件") for y in range(2021, 2026) if y != 2022}
    assert outliers(history, 2025) == []
    # a report whose table has no 新收 figure is not a zero
    history = {y: _quiet(10, "收到申请10件") for y in range(2021, 2026)}
    history[2024] = Figures(None, 0, 0, None, None, None, None, prose_received=10, prose_received_text="x")
    assert outliers(history, 2025) == []
    # one year with applications breaks the run
    history[2024] = Figures(3, 3, 3, None, None, None, None)
    assert outliers(history, 2025) == []


def test_every_application_refused_is_proved_and_says_how_many():
    f = figures_of(
        _t3(results_total=6, granted=0, partially_granted=0, withheld_state_secret=4, withheld_process_info=2)
    )
    assert outliers({2025: f}, 2025) == ["办结6件申请，全部不予公开"]
    g = figures_of(_t3(results_total=6, granted=0, partially_granted=0, withheld_state_secret=2, unable_not_held=4))
    assert outliers({2025: g}, 2025) == ["办结6件申请，无一予以公开或部分公开（不予公开2件、无法提供4件）"]


def test_no_refusal_outlier_without_applications_or_with_one_disclosed_or_an_unread_table():
    nothing = figures_of(_t3(results_total=0, granted=0, partially_granted=0, withheld_state_secret=0))
    one = figures_of(_t3(results_total=6, granted=0, partially_granted=1, withheld_state_secret=5))
    unread = figures_of(_t3(results_total=6))  # no 予以公开 row read: unknown, not zero
    for f in (nothing, one, unread):
        assert outliers({2025: f}, 2025) == []
    assert outliers({}, 2025) == []
