"""The prose checklist: each section's points, covered by evidence in its own text."""

from __future__ import annotations

from gongkai.domain.annual_report.checklist import checklist, empty_sections, missing_required
from gongkai.domain.annual_report.content import ReportContent

FULL_OVERVIEW = (
    "本年度主动公开政府信息215条。\n"
    "本年度共收到政府信息公开申请4件，均已按时答复。\n"
    "严格落实公开属性源头认定和保密审查制度，及时更新政府信息公开指南。\n"
    "持续做好门户网站政府信息公开专栏和政务新媒体的维护。\n"
    "将政府信息公开工作纳入年度考核，组织业务培训2次。"
)
FULL_PROBLEMS = "一是公开内容的及时性仍有不足。下一步，我局将进一步完善发布审核流程。"
FULL_OTHER = "本年度未收取信息处理费。"


def content(year=2024, agency="示范区教育局", **sections):
    return ReportContent(agency, year, {}, sections)


def items(c, key):
    return {i.point: i for i in checklist(c)[key]}


def test_the_narrative_sections_of_the_format_are_listed_in_order():
    assert list(checklist(content())) == ["overview", "problems", "other"]


def test_an_overview_covering_the_five_points_leaves_nothing_required_missing():
    c = content(overview=FULL_OVERVIEW, problems=FULL_PROBLEMS, other=FULL_OTHER)
    assert [i.point for i in checklist(c)["overview"]] == [
        "主动公开",
        "依申请公开",
        "政府信息管理",
        "政府信息公开平台建设",
        "监督保障",
    ]
    assert all(i.covered and i.required for i in checklist(c)["overview"])
    assert missing_required(c) == []


def test_a_point_the_text_does_not_mention_is_missing_with_its_section_title():
    c = content(
        overview="本年度主动公开政府信息215条。依申请公开工作平稳有序。", problems=FULL_PROBLEMS, other=FULL_OTHER
    )
    assert missing_required(c) == [
        ("overview", "一、总体情况", "政府信息管理"),
        ("overview", "一、总体情况", "政府信息公开平台建设"),
        ("overview", "一、总体情况", "监督保障"),
    ]
    assert items(c, "overview")["政府信息管理"].hint.startswith("写明")


def test_evidence_is_tolerant_of_wording():
    covered = items(
        content(overview="收到群众申请3件；办理申请2件；政务微博运行良好；建立健全档案；开展督查。"), "overview"
    )
    assert covered["依申请公开"].covered and covered["政府信息公开平台建设"].covered
    assert covered["政府信息管理"].covered and covered["监督保障"].covered
    assert not covered["主动公开"].covered


def test_common_words_alone_are_not_evidence():
    c = content(
        overview="本年度，我局认真开展各项工作，取得良好成效，进一步加强了工作。",
        problems="我局将认真做好工作。",
        other="无。",
    )
    assert not any(i.covered for i in checklist(c)["overview"])
    assert not any(i.covered for i in checklist(c)["problems"])
    assert ("other", "六、其他需要报告的事项", "信息处理费") in missing_required(c)


def test_the_problems_section_needs_both_the_problems_and_the_improvements():
    only_problems = items(content(problems="信息公开的深度和广度还有差距。"), "problems")
    assert only_problems["存在的主要问题"].covered and not only_problems["改进情况"].covered
    assert all(i.required for i in only_problems.values())


def test_the_fee_must_be_stated_from_the_2021_format_on_and_is_recommended_before():
    assert items(content(2024), "other")["信息处理费"].required
    assert not items(content(2020), "other")["信息处理费"].required
    assert items(content(2024, other="本年度共收取信息处理费200元。"), "other")["信息处理费"].covered
    assert items(content(2024, other="本年度没有收取任何费用。"), "other")["信息处理费"].covered


def test_the_commonly_added_items_of_section_six_are_recommended_not_required():
    other = items(content(other="认真落实2024年政务公开工作要点。人大代表建议和政协提案办理结果全部公开。"), "other")
    assert other["落实上级年度政务公开工作要点情况"].covered and not other["落实上级年度政务公开工作要点情况"].required
    assert other["人大代表建议和政协提案办理结果公开情况"].covered
    assert not other["年度政务公开工作创新情况"].covered and not other["年度政务公开工作创新情况"].required


def test_a_peoples_government_must_also_report_assessment_evaluation_and_accountability():
    gov = content(agency="示范县人民政府", overview=FULL_OVERVIEW)
    point = items(gov, "overview")["工作考核、社会评议和责任追究结果"]
    assert point.required and not point.covered  # 考核 is there; 评议 and 责任追究 are not
    assert "工作考核、社会评议和责任追究结果" not in items(content(overview=FULL_OVERVIEW), "overview")
    done = content(agency="示范县人民政府", overview=FULL_OVERVIEW + "开展社会评议，全年未发生责任追究情形。")
    assert items(done, "overview")["工作考核、社会评议和责任追究结果"].covered


def test_the_2019_format_shows_the_overview_points_as_recommended():
    overview = checklist(content(2020))["overview"]
    assert [i.point for i in overview][:5] == [
        "主动公开",
        "依申请公开",
        "政府信息管理",
        "政府信息公开平台建设",
        "监督保障",
    ]
    assert not any(i.required for i in overview)
    assert [p for _, _, p in missing_required(content(2020))] == ["存在的主要问题", "改进情况"]


def test_empty_sections_are_named_with_their_titles():
    assert empty_sections(content()) == [
        ("overview", "一、总体情况"),
        ("problems", "五、存在的主要问题及改进情况"),
        ("other", "六、其他需要报告的事项"),
    ]
    assert empty_sections(content(overview="  \n ", problems="有。", other="无。")) == [("overview", "一、总体情况")]
