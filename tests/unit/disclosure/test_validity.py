"""Validity of 规章 and 行政规范性文件: allowed changes, dates, the deciding document, and in-force days."""

from datetime import date

import pytest

from gongkai.domain.disclosure.validity import (
    ALLOWED_CHANGES,
    Validity,
    ValidityError,
    check_validity_change,
    in_force_on,
    initial_validity,
)

SIGNED = date(2021, 3, 1)
TODAY = date(2026, 6, 1)


def change(current, new, **kw):
    args = dict(changed_on=date(2026, 5, 1), changed_by="示教发〔2026〕3号", signed_on=SIGNED, today=TODAY)
    return check_validity_change("normative", current, new, **{**args, **kw})


def test_labels_and_initial_state():
    assert [v.label for v in Validity] == ["现行有效", "已修改", "已废止", "已失效"]
    assert initial_validity("normative") is Validity.IN_FORCE and initial_validity("regulation") is Validity.IN_FORCE
    assert initial_validity("other") is None


def test_the_allowed_changes():
    assert change("in_force", "repealed").validity is Validity.REPEALED
    assert change("in_force", "amended").validity is Validity.AMENDED
    assert change("amended", "amended").validity is Validity.AMENDED  # amended again
    assert change("amended", "lapsed", changed_by="").validity is Validity.LAPSED
    assert change(None, "repealed").validity is Validity.REPEALED  # blank means in force
    for final in (Validity.REPEALED, Validity.LAPSED):
        assert ALLOWED_CHANGES[final] == frozenset()
        with pytest.raises(ValidityError, match="不能再变更"):
            change(final, "amended")
    with pytest.raises(ValidityError, match="不能从"):
        change("in_force", "in_force")


def test_only_regulations_and_normative_documents_have_a_validity():
    with pytest.raises(ValidityError, match="只有规章和行政规范性文件"):
        check_validity_change("other", None, "repealed", changed_on=TODAY, changed_by="x", signed_on=None, today=TODAY)


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"changed_on": None}, "changed_on", "废止日期"),
        ({"changed_on": date(2026, 6, 2)}, "changed_on", "晚于今天"),
        ({"changed_on": date(2021, 2, 28)}, "changed_on", "早于文件签发日期"),
        ({"changed_on": date(2024, 1, 1), "previous_change_on": date(2025, 1, 1)}, "changed_on", "早于上次变更日期"),
        ({"changed_by": "  "}, "changed_by", "废止本文件"),
    ],
)
def test_a_change_needs_a_sensible_date_and_the_repealing_document(kw, field, words):
    with pytest.raises(ValidityError) as err:
        change("in_force", "repealed", **kw)
    assert err.value.field == field and words in err.value.message


def test_lapse_needs_no_deciding_document_but_amendment_does():
    assert change("in_force", "lapsed", changed_by="").changed_by == ""
    with pytest.raises(ValidityError, match="修改本文件"):
        change("in_force", "amended", changed_by="")
    with pytest.raises(ValidityError, match="未知的有效性状态"):
        change("in_force", "vanished")


def test_in_force_on_a_day():
    assert not in_force_on(SIGNED, "in_force", None, date(2021, 2, 28))
    assert in_force_on(SIGNED, "in_force", None, SIGNED)
    assert in_force_on(SIGNED, "amended", date(2023, 1, 1), date(2025, 1, 1))  # amended stays in force
    repealed = date(2026, 5, 1)
    assert in_force_on(SIGNED, "repealed", repealed, date(2026, 4, 30))
    assert not in_force_on(SIGNED, "repealed", repealed, repealed)
    assert not in_force_on(SIGNED, "lapsed", date(2025, 12, 31), date(2025, 12, 31))
