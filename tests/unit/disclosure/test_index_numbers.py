"""索引号: configurable patterns, formatting, parsing back, validation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.disclosure.index_numbers import DEFAULT_PATTERN, IndexNumberError, IndexNumberParts, IndexPattern

ORG = "11110199MB0000015X"


def test_the_common_style():
    p = IndexPattern()
    assert p.pattern == DEFAULT_PATTERN
    assert p.format(agency_code=ORG, year=2026, seq=12) == "11110199MB0000015X/2026-00012"
    assert p.parse("11110199MB0000015X/2026-00012") == IndexNumberParts(ORG, 2026, 12)
    assert p.parse("  11110199MB0000015X/2026-00012 ") == IndexNumberParts(ORG, 2026, 12)


def test_other_patterns():
    p = IndexPattern("{agency_code}-{column}-{year}-{seq:04d}")
    assert p.uses_column and p.seq_width == 4
    number = p.format(agency_code="000014349", year=2025, seq=7, column="gggs")
    assert number == "000014349-gggs-2025-0007"
    assert p.parse(number) == IndexNumberParts("000014349", 2025, 7, "gggs")
    plain = IndexPattern("{agency_code}/{year}/{seq}")
    assert plain.format(agency_code="ABC", year=2026, seq=123456) == "ABC/2026/123456"
    assert plain.parse("ABC/2026/5").seq == 5


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("{agency_code}/{year}", "{seq}"),
        ("{year}-{seq}", "{agency_code}"),
        ("{agency_code}/{year}-{seq}-{month}", "未知"),
        ("{agency_code}/{year}-{seq:x}", "顺序号格式"),
        ("{agency_code}/{year:04d}-{seq}", "不能带格式"),
        ("{agency_code}{year}-{seq}", "分隔符"),
        ("{agency_code}/{year}-{seq}-{seq}", "两次"),
        ("{agency_code/{year}-{seq}", "格式有误"),
        ("{agency_code!r}/{year}-{seq}", "转换符"),
    ],
)
def test_bad_patterns_are_refused_in_chinese(pattern, words):
    with pytest.raises(IndexNumberError) as err:
        IndexPattern(pattern)
    assert words in err.value.message


@pytest.mark.parametrize(
    "text",
    [
        "11110199MB0000015X/2026-0012",
        "11110199MB0000015X/26-00012",
        "11110199MB0000015X-2026-00012",
        "/2026-00012",
        "11110199MB0000015X/2026-00012x",
        "",
    ],
)
def test_numbers_not_following_the_pattern_are_refused(text):
    p = IndexPattern()
    assert not p.is_valid(text)
    with pytest.raises(IndexNumberError, match="不符合本机关的索引号规则"):
        p.parse(text)


def test_sequence_zero_is_refused():
    with pytest.raises(IndexNumberError, match="从1开始"):
        IndexPattern().parse("11110199MB0000015X/2026-00000")


def test_format_refuses_what_it_could_not_parse_back():
    p = IndexPattern()
    with pytest.raises(IndexNumberError, match="机构代码"):
        p.format(agency_code="示范区", year=2026, seq=1)
    with pytest.raises(IndexNumberError, match="四位"):
        p.format(agency_code=ORG, year=26, seq=1)
    with pytest.raises(IndexNumberError, match="从1开始"):
        p.format(agency_code=ORG, year=2026, seq=0)
    with pytest.raises(IndexNumberError, match="超过99999"):
        p.format(agency_code=ORG, year=2026, seq=100000)
    with pytest.raises(IndexNumberError, match="栏目代码"):
        IndexPattern("{agency_code}/{column}/{year}-{seq}").format(agency_code=ORG, year=2026, seq=1)


@given(
    code=st.from_regex(r"[0-9A-Z][0-9A-Z]{5,17}", fullmatch=True),
    year=st.integers(1990, 2100),
    seq=st.integers(1, 99999),
    pattern=st.sampled_from([DEFAULT_PATTERN, "{agency_code}-{year}-{seq:06d}", "{year}/{agency_code}/{seq}"]),
)
def test_format_then_parse_gives_the_parts_back(code, year, seq, pattern):
    p = IndexPattern(pattern)
    assert p.parse(p.format(agency_code=code, year=year, seq=seq)) == IndexNumberParts(code, year, seq)
