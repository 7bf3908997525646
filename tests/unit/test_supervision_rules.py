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
