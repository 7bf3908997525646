"""The supervisor's charts (gongkai.supervision.charts): inline SVG that holds to the strict CSP,
says its title and figures to a screen reader, and shows a year without a report as a gap."""

import re
import xml.etree.ElementTree as ET

from gongkai.domain.supervision import Figures
from gongkai.supervision.charts import Series, bar_chart, describe, history_charts

SVG = "{http://www.w3.org/2000/svg}"


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # well-formed XML, or this raises


def test_a_chart_has_an_accessible_title_and_its_figures_in_words():
    root = _svg(
        bar_chart(
            chart_id="r", title="新收申请（件）", years=[2024, 2025], series=[Series("新收申请", [3, 5])], unit="件"
        )
    )
    assert root.get("role") == "img" and root.get("aria-labelledby") == "r-title r-desc"
    assert root.find(f"{SVG}title").text == "新收申请（件）"
    # shown too, above the tallest bar's label (the <title> is only read out or shown on hover)
    shown = [t for t in root.findall(f"{SVG}text") if t.text == "新收申请（件）"]
    assert len(shown) == 1 and shown[0].get("aria-hidden") == "true"
    labels = [t for t in root.findall(f"{SVG}text") if t.text == "5"]
    assert float(labels[0].get("y")) - 12 >= float(shown[0].get("y"))
    assert root.find(f"{SVG}desc").text == "2024年：新收申请3件；2025年：新收申请5件"
    bars = root.findall(f"{SVG}rect")
    assert [b.find(f"{SVG}title").text for b in bars] == ["2024年新收申请：3件", "2025年新收申请：5件"]
    # the larger figure is the taller bar, both standing on the same axis
    assert float(bars[1].get("height")) > float(bars[0].get("height"))
    assert float(bars[0].get("y")) + float(bars[0].get("height")) == float(bars[1].get("y")) + float(
        bars[1].get("height")
    )


def test_a_year_without_a_report_is_a_gap_and_a_zero_is_a_hairline():
    markup = bar_chart(chart_id="g", title="t", years=[2023, 2024, 2025], series=[Series("s", [None, 0, 4])])
    root = _svg(markup)
    titles = [b.find(f"{SVG}title").text for b in root.findall(f"{SVG}rect")]
    assert titles == ["2024年s：0", "2025年s：4"]  # nothing drawn for 2023
    zero = root.findall(f"{SVG}rect")[0]
    assert float(zero.get("height")) == 1.0
    gaps = [t for t in root.findall(f"{SVG}text") if t.get("data-testid") == "gap"]
    assert len(gaps) == 1 and gaps[0].text == "无数据"
    assert "2023年：无数据" in root.find(f"{SVG}desc").text


def test_the_markup_holds_to_the_content_security_policy_and_escapes_what_it_prints():
    markup = bar_chart(
        chart_id="x",
        title='<script>alert(1)</script>"',
        years=[2025],
        series=[Series("<b>a</b>", [1]), Series("b", [2])],
        stacked=True,
    )
    assert "style=" not in markup and "<script" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup
    _svg(markup)


def test_a_stacked_bar_is_as_tall_as_its_total_and_a_percentage_has_a_fixed_top():
    root = _svg(
        bar_chart(chart_id="s", title="t", years=[2025], series=[Series("a", [1]), Series("b", [3])], stacked=True)
    )
    a, b = root.findall(f"{SVG}rect")[:2]
    assert float(b.get("height")) == 3 * float(a.get("height"))
    assert float(b.get("y")) + float(b.get("height")) == float(a.get("y"))  # b sits on a
    half = _svg(bar_chart(chart_id="p", title="t", years=[2025], series=[Series("率", [50.0])], ceiling=100))
    full = _svg(bar_chart(chart_id="q", title="t", years=[2025], series=[Series("率", [100.0])], ceiling=100))
    assert float(half.find(f"{SVG}rect").get("height")) * 2 == float(full.find(f"{SVG}rect").get("height"))


def test_describe_says_which_series_of_a_year_has_no_figure():
    assert describe([2025], [Series("复议", [2]), Series("诉讼", [None])], "件") == "2025年：复议2件，诉讼无数据"


def test_the_history_charts_cover_the_issue_list_and_leave_missing_years_out():
    f = Figures(
        12,
        10,
        4,
        2,
        1,
        1,
        0,
        granted_full=3,
        partial=1,
        withheld=6,
        unable=0,
        not_processed=0,
        other_handled=0,
        documents=5,
        fee=0.0,
    )
    charts = history_charts([(2024, None, []), (2025, f, [])])
    titles = [_svg(c).find(f"{SVG}title").text for c in charts]
    assert titles == [
        "新收政府信息公开申请（件）",
        "申请办理结果构成（件）",
        "行政复议、行政诉讼结案数（件）",
        "行政复议、行政诉讼被纠正率（%）",
        "收取信息处理费（元）",
        "制发规章和行政规范性文件（件）",
    ]
    for c in charts:
        assert "2024年：无数据" in _svg(c).find(f"{SVG}desc").text
    assert "2025年：纠正率33.3%" in _svg(charts[3]).find(f"{SVG}desc").text


def test_the_comparisons_cells_made_in_python_are_the_templates_markup():
    from django.template.loader import render_to_string

    from gongkai.supervision.presentation import figure_cells

    f = Figures(12, 10, 5, 2, 1, None, None)
    for figures, outliers in ((f, ["办结10件申请，全部不予公开", "<b>x</b>"]), (None, [])):
        template = render_to_string("supervision/_figures.html", {"f": figures, "outliers": outliers})
        assert str(figure_cells(figures, outliers)) == re.sub(r">\s+<", "><", template.strip())
