"""依申请公开转主动公开 (第四十四条): information released on application, marked for proactive publication.

The spec paraphrases the article (procedure.md §6.4): "If several applicants ask for the same
disclosable information, the agency may add it to the proactive list; applicants may suggest this
[R 第四十四条]." So only information that was *released* can be marked: a case concluded (已答复) with
予以公开 or 部分公开 (the part released); a refusal released nothing to publish. The mark creates a
draft in the disclosure register that goes through that register's own review (第十七条) before it is
public: marking decides nothing about publication by itself.

The annual report has no row for it: table 二 counts documents by 第二十条 item, table 三 counts
applications by outcome (annual-report-format.md §3, §4, §7), and procedure.md §4 keeps 第四十四条
suggestions out of table 三. The figure is given for the report's prose (一、总体情况, 主动公开) [I].

The mark is a row in the case log (:data:`LOG_PROACTIVE`); the clocks skip it, as they skip routing.
"""

from __future__ import annotations

from gongkai.domain.applications.states import State
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import outcome

BASIS = "第四十四条"
LOG_PROACTIVE = "proactive_publication"
LOG_ACTIONS: dict[str, str] = {LOG_PROACTIVE: "依申请公开转主动公开"}
# What the log row records of the draft made in the register.
DETAIL_LABELS: dict[str, str] = {"index_number": "主动公开文件索引号", "document_title": "主动公开文件标题"}

# The outcomes that released information (the whole of it, or the part that could be released).
RELEASING_OUTCOMES: frozenset[str] = frozenset({"disclosed", "partially_disclosed"})


def releases_information(state: str, outcome_code: str) -> bool:
    """Whether a case's released information may be marked for proactive publication."""
    return state == State.REPLIED.value and outcome_code in RELEASING_OUTCOMES


def check_can_mark(state: str, outcome_code: str) -> None:
    """Raise a DomainError (Chinese) unless the case released information that can be marked."""
    if state != State.REPLIED.value:
        raise DomainError(f"申请尚未答复办结，不能将所公开的信息转为主动公开（{BASIS}）")
    if outcome_code not in RELEASING_OUTCOMES:
        label = outcome(outcome_code).label if outcome_code else "无"
        raise DomainError(f"办理结果为“{label}”，没有公开的信息可转为主动公开（{BASIS}：仅限予以公开或部分公开的信息）")
