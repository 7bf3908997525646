"""Table 二 第二十条第（一）项 and the year's publications from the register; hypothesis checks the
continuity of 现行有效 and agreement with a brute-force count."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.consistency import audit
from gongkai.domain.disclosure.counting import (
    PublicationCounts,
    RegisterEntry,
    art20_1_2019,
    art20_1_2021,
    art20_1_for_year,
    publication_sentence,
    publications_for_year,
)
from gongkai.domain.errors import DomainError
from gongkai.domain.report_format import format_for_year

d = date


def normative(signed, published=None, validity="in_force", changed=None, unpublished=None):
    return RegisterEntry("normative", published or signed, signed, validity, changed, unpublished)


def test_a_small_register_by_hand():
    entries = [
        normative(d(2025, 3, 1)),  # in force since 2025
        normative(d(2025, 6, 1), validity="repealed", changed=d(2026, 4, 1)),  # repealed in 2026
        normative(d(2026, 2, 1)),  # made in 2026
        normative(d(2026, 5, 1), validity="amended", changed=d(2026, 9, 1)),  # made and amended in 2026
        normative(d(2026, 6, 1), validity="repealed", changed=d(2026, 11, 1)),  # made and repealed in 2026
        normative(d(2024, 1, 1), validity="lapsed", changed=d(2026, 1, 1)),  # lapsed, not repealed
        RegisterEntry("regulation", d(2026, 7, 2), d(2026, 7, 1), "in_force"),
        RegisterEntry("normative", None, d(2026, 7, 1), "in_force"),  # never published: not issued
        RegisterEntry("other", d(2026, 7, 2)),  # not counted here
    ]
    assert art20_1_2021(entries, 2026) == {
        "regulations": {"made": 1, "repealed": 0, "in_force": 1},
        "normative_documents": {"made": 3, "repealed": 2, "in_force": 3},
    }
    assert art20_1_2021(entries, 2025)["normative_documents"] == {"made": 2, "repealed": 0, "in_force": 3}


def test_the_2019_format_counts_made_published_and_total():
    entries = [
        normative(d(2019, 12, 20), published=d(2020, 1, 6)),
        normative(d(2020, 3, 1)),
        normative(d(2018, 5, 1), unpublished=d(2020, 6, 1)),
    ]
    assert art20_1_2019(entries, 2020)["normative_documents"] == {
        "newly_made": 1,
        "newly_published": 2,
        "total_published": 2,
    }
    assert art20_1_2019(entries, 2019)["normative_documents"] == {
        "newly_made": 1,
        "newly_published": 0,
        "total_published": 1,
    }
    assert set(art20_1_for_year(entries, 2020)["regulations"]) == {"newly_made", "newly_published", "total_published"}
    assert set(art20_1_for_year(entries, 2021)["regulations"]) == {"made", "repealed", "in_force"}


def test_entries_that_do_not_hold_together_are_refused():
    with pytest.raises(DomainError, match="签发日期"):
        RegisterEntry("normative", d(2026, 1, 1), None)
    with pytest.raises(DomainError, match="废止日期"):
        RegisterEntry("normative", d(2026, 1, 1), d(2026, 1, 1), "repealed", None)
    with pytest.raises(DomainError, match="早于签发日期"):
        RegisterEntry("normative", d(2026, 1, 1), d(2026, 1, 1), "repealed", d(2025, 1, 1))
    with pytest.raises(DomainError, match="未知的文件类别"):
        RegisterEntry("poem", d(2026, 1, 1))


def test_publications_per_column_and_channel():
    entries = [
        RegisterEntry("other", d(2026, 1, 5), column="gggs", channels=("website", "new_media")),
        RegisterEntry("other", d(2026, 2, 5), column="gggs", channels=("website",)),
        RegisterEntry("other", d(2026, 3, 5), column="bmys", channels=("website", "gazette")),
        RegisterEntry("normative", d(2026, 3, 5), d(2026, 3, 1), column="gfxwj", channels=("website", "gazette")),
        RegisterEntry("other", d(2025, 12, 31), column="gggs"),
        RegisterEntry("other", None, column="gggs"),
    ]
    counts = publications_for_year(entries, 2026, roll_up={"bmys": "czyjs", "gfxwj": "zcwj"})
    assert counts == PublicationCounts(
        2026, 4, {"gggs": 2, "czyjs": 1, "zcwj": 1}, {"website": 4, "new_media": 1, "gazette": 2}
    )
    sentence = publication_sentence(counts, {"gggs": "公告公示", "czyjs": "财政预决算", "zcwj": "政策文件"})
    assert sentence == (
        "本年度主动公开政府信息4条，其中公告公示2条、政策文件1条、财政预决算1条；"
        "按发布渠道分，政府网站4条、政务新媒体1条、政府公报2条。"
    )
    assert publication_sentence(PublicationCounts(2026, 0, {}, {}), {}) == "本年度未主动公开政府信息。"


# -- properties ----------------------------------------------------------------------------------------

START = d(2019, 1, 1)


@st.composite
def entries(draw, lapses: bool = True):
    kind = draw(st.sampled_from(["regulation", "normative", "other"]))
    signed = START + timedelta(days=draw(st.integers(0, 8 * 365)))
    published = draw(
        st.one_of(st.none(), st.just(signed), st.builds(lambda n: signed + timedelta(days=n), st.integers(0, 60)))
    )
    states = ["in_force", "amended", "repealed"] + (["lapsed"] if lapses else [])
    validity = draw(st.sampled_from(states)) if kind != "other" else None
    changed = signed + timedelta(days=draw(st.integers(0, 4 * 365))) if validity not in (None, "in_force") else None
    unpublished = draw(
        st.one_of(st.none(), st.builds(lambda n: (published or signed) + timedelta(days=n), st.integers(0, 900)))
    )
    return RegisterEntry(kind, published, signed, validity, changed, unpublished if published else None)


def brute_force_2021(register: list[RegisterEntry], year: int) -> dict:
    """Walk every day of history and keep a set of documents in force."""
    out = {}
    for kind, row in (("regulation", "regulations"), ("normative", "normative_documents")):
        docs = [e for e in register if e.kind == kind and e.published_on is not None]
        alive = set()
        made = repealed = 0
        day = START
        while day <= d(year, 12, 31):
            for i, e in enumerate(docs):
                if e.signed_on == day:
                    alive.add(i)
                    made += day.year == year
                if e.validity_changed_on == day and e.validity in ("repealed", "lapsed"):
                    alive.discard(i)
                    repealed += day.year == year and e.validity == "repealed"
            day += timedelta(days=1)
        out[row] = {"made": made, "repealed": repealed, "in_force": len(alive)}
    return out


@settings(max_examples=40, deadline=None)
@given(register=st.lists(entries(), max_size=12), year=st.integers(2021, 2027))
def test_counts_equal_a_brute_force_walk(register, year):
    assert art20_1_2021(register, year) == brute_force_2021(register, year)


@settings(max_examples=200)
@given(register=st.lists(entries(lapses=False), max_size=40), year=st.integers(2021, 2027))
def test_in_force_continues_from_last_year_when_nothing_lapses(register, year):
    this, last = art20_1_2021(register, year), art20_1_2021(register, year - 1)
    for row in ("regulations", "normative_documents"):
        assert this[row]["in_force"] == last[row]["in_force"] + this[row]["made"] - this[row]["repealed"]


@settings(max_examples=100)
@given(register=st.lists(entries(lapses=False), max_size=30), year=st.integers(2022, 2027))
def test_the_counted_table_passes_the_formats_continuity_rule(register, year):
    fmt = format_for_year(year)
    tables = {"table_2": {"art20_1": art20_1_2021(register, year)}}
    previous = {"table_2": {"art20_1": art20_1_2021(register, year - 1)}}
    result = audit(fmt, tables, previous=previous)
    assert "t2_in_force_continuity" in result.passed_rule_ids() and "t2_non_negative" in result.passed_rule_ids()


@settings(max_examples=100)
@given(register=st.lists(entries(), max_size=30), year=st.integers(2019, 2020))
def test_2019_published_never_exceeds_total(register, year):
    for cells in art20_1_2019(register, year).values():
        assert cells["newly_published"] <= cells["total_published"] + sum(
            1 for e in register if e.unpublished_on and e.unpublished_on.year == year
        )


@settings(max_examples=100)
@given(register=st.lists(entries(), max_size=30), year=st.integers(2019, 2027))
def test_publications_count_each_document_once_and_each_channel_per_document(register, year):
    counts = publications_for_year(register, year)
    published = [e for e in register if e.published_on and e.published_on.year == year]
    assert counts.total == len(published) == sum(counts.by_column.values())
    assert sum(counts.by_channel.values()) == sum(len(set(e.channels)) for e in published)
