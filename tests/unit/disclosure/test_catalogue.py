"""The column tree, the 15 items of 第二十条 (labels as the spec writes them), kinds, channels, and
the registration checks."""

import re
from datetime import date

import pytest

from gongkai.domain.disclosure.catalogue import (
    ARTICLE_20_CHOICES,
    ARTICLE_20_ITEMS,
    EDUCATION_BUREAU_COLUMNS,
    TOPICS,
    Channel,
    ColumnSpec,
    DocumentKind,
    Registration,
    RegistrationError,
    article20_caption,
    article20_label,
    check_channels,
    check_registration,
    check_tree,
    flatten,
    topic_label,
)
from gongkai.domain.errors import DomainError

TODAY = date(2026, 6, 1)


def spec_items(shared_dir) -> list[str]:
    text = (shared_dir / "spec" / "procedure.md").read_text(encoding="utf-8")
    section = text.split("### 6.2", 1)[1].split("###", 1)[0]
    return re.findall(r"^\d+\. `([^`]+)`", section, flags=re.M)


def test_the_fifteen_items_are_the_spec_labels_exactly(shared_dir):
    assert list(ARTICLE_20_ITEMS) == spec_items(shared_dir)
    assert len(ARTICLE_20_ITEMS) == 15


def test_item_labels_and_captions():
    assert article20_label(7) == "财政预算、决算信息"
    assert article20_caption(1) == "第二十条第（一）项" and article20_caption(15) == "第二十条第（十五）项"
    assert ARTICLE_20_CHOICES[10] == (11, "（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况")
    for bad in (0, 16, True, "3"):
        with pytest.raises(DomainError, match="第二十条"):
            article20_label(bad)


def test_the_default_education_bureau_tree_holds_together():
    assert check_tree(EDUCATION_BUREAU_COLUMNS) == []
    names = [c.name for c in EDUCATION_BUREAU_COLUMNS]
    for expected in (
        "机构职能",
        "政策文件",
        "政策解读",
        "规划计划",
        "财政预决算",
        "招生入学",
        "公告公示",
        "工作动态",
        "人事信息",
    ):
        assert expected in names
    flat = flatten(EDUCATION_BUREAU_COLUMNS)
    assert ("czyjs", "三公经费") in [(p, c.name) for p, c in flat]
    # parents come before their children; two levels at most
    seen = set()
    for parent, col in flat:
        assert parent is None or parent in seen
        seen.add(col.slug)
        assert all(not child.children for child in col.children)
    assert [c for _p, c in flat if c.interpretations] == [c for c in EDUCATION_BUREAU_COLUMNS if c.slug == "zcjd"]


def test_a_broken_tree_is_reported_in_chinese():
    tree = (
        ColumnSpec("a", "甲"),
        ColumnSpec("a", "乙", article20_item=16),
        ColumnSpec("政策", " ", topic="gossip"),
    )
    problems = check_tree(tree)
    assert any("重复" in p for p in problems)
    assert any("1至15" in p for p in problems)
    assert any("只能使用英文字母" in p for p in problems)
    assert any("缺少名称" in p for p in problems)
    assert any("主题分类" in p for p in problems)


def test_kinds_channels_topics():
    assert DocumentKind.NORMATIVE.label == "行政规范性文件" and DocumentKind.REGULATION.label == "规章"
    assert DocumentKind.NORMATIVE.has_validity and not DocumentKind.OTHER.has_validity
    assert Channel.WEBSITE.label == "政府网站" and Channel.NEW_MEDIA.label == "政务新媒体"
    assert check_channels(["website", "gazette"]) == (Channel.WEBSITE, Channel.GAZETTE)
    with pytest.raises(DomainError, match="至少"):
        check_channels([])
    with pytest.raises(DomainError, match="重复"):
        check_channels(["website", "website"])
    with pytest.raises(DomainError, match="未知的公开渠道"):
        check_channels(["pigeon"])
    assert topic_label("education") == "教育" and "finance" in TOPICS
    with pytest.raises(DomainError):
        topic_label("astrology")


def _reg(**kw) -> Registration:
    base = dict(title="关于做好2026年义务教育招生入学工作的通知", kind="other", formed_on=date(2026, 4, 1))
    return Registration(**{**base, **kw})


def test_a_plain_registration_passes():
    check_registration(_reg(), today=TODAY)
    check_registration(
        _reg(
            kind="normative",
            signed_on=date(2026, 4, 2),
            doc_number="示教发〔2026〕3号",
            article20_item=1,
            needs_interpretation=True,
        ),
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": "  "}, "title", "标题"),
        ({"kind": "poem"}, "kind", "未知的文件类别"),
        ({"formed_on": None}, "formed_on", "成文日期"),
        ({"formed_on": date(2026, 6, 2)}, "formed_on", "晚于今天"),
        ({"signed_on": date(2026, 6, 2)}, "signed_on", "晚于今天"),
        ({"kind": "normative", "doc_number": "示教发〔2026〕3号"}, "signed_on", "签发日期"),
        ({"kind": "regulation", "signed_on": date(2026, 4, 1)}, "doc_number", "文号"),
        ({"article20_item": 16}, "article20_item", "第二十条"),
        (
            {"kind": "normative", "signed_on": date(2026, 4, 1), "doc_number": "x", "article20_item": 11},
            "article20_item",
            "第（一）项",
        ),
        ({"topic": "astrology"}, "topic", "主题分类"),
        ({"interprets": True, "needs_interpretation": True}, "needs_interpretation", "解读"),
        ({"interprets": True, "kind": "normative", "signed_on": date(2026, 4, 1), "doc_number": "x"}, "kind", "解读"),
        ({"channels": ()}, "channels", "公开渠道"),
    ],
)
def test_registration_problems_name_their_field(changes, field, words):
    with pytest.raises(RegistrationError) as err:
        check_registration(_reg(**changes), today=TODAY)
    assert err.value.field == field and words in err.value.message
