"""The agency's own deadlines when its disclosure decision is challenged, and the new reply a 纠正 orders.

- 行政复议: the written answer (书面答复) with the evidence and the legal basis, within 10 日 of receiving
  the copy of the review application. Checked here only against the 1999 text as quoted publicly
  (第二十三条: "自收到申请书副本或者申请笔录复印件之日起十日内，提出书面答复"; its 第四十条 made only
  its 五日 and 七日 working days). The 2023 revision's article for the answer (said to be 第四十八条)
  and its rule on 期间 (said to be 第八十八条, counting "三日、五日、七日、十日" as 工作日) could not be
  confirmed against an official text with the search tool, so neither is cited;
- 行政诉讼: the 答辩状 with the evidence and the legal basis, within 15 日 of receiving the copy of the
  complaint (行政诉讼法 第六十七条, confirmed).

Both are counted as 日: the day of receipt is not counted, the period runs in calendar days, and a
last day that falls on a holiday or a weekend moves to the next working day (the 民事诉讼法's rule on
期间). For the 复议 answer this is the strict reading: if the 2023 text counts its 十日 in working
days, that date is never earlier than this one, so an office that keeps this date is never late;
the page says so.

A 纠正 result that orders the agency to answer again (责令重新答复) opens a new reply whose deadline is
the one the decision sets, or else 20 working days from the day the decision is received
(第三十三条第二款, as for a new application) [I].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.clocks import REPLY_WORKING_DAYS
from gongkai.domain.errors import DomainError

REVIEW_ANSWER_DAYS = 10
DEFENCE_DAYS = 15
_RULES = {
    "review": (REVIEW_ANSWER_DAYS, "书面答复期限", "《中华人民共和国行政复议法》", "收到行政复议申请书副本"),
    "litigation": (DEFENCE_DAYS, "答辩状提交期限", "《中华人民共和国行政诉讼法》第六十七条", "收到起诉状副本"),
}
CALENDAR_DAYS_NOTE = (
    "按日计算（不是工作日），收到副本的当日不计入；期间届满的最后一日为法定节假日或休息日的，顺延至其后的第一个工作日"
)
# The 复议 answer: counted the strict way until the 2023 text's rule on 期间 is checked (see above).
_STRICT_NOTE = {
    "review": "按日历日从严计算：如按工作日计算，期限不会早于此日",
    "litigation": "",
}


@dataclass(frozen=True)
class AnswerDeadline:
    label: str
    basis: str
    received_on: date
    days: int
    last_day: date  # received_on + days
    due: date  # last_day, or the first working day after it
    status: str  # running / met / missed
    note: str

    @property
    def moved(self) -> bool:
        return self.due != self.last_day


def calendar_days_due(start: date, days: int, calendar: WorkingCalendar) -> tuple[date, date]:
    """(last day, due): ``days`` calendar days after ``start``; a non-working last day moves forward."""
    if days < 1:
        raise DomainError("期间应至少为1日")
    last = start + timedelta(days=days)
    due = last
    while not calendar.is_working_day(due):
        due += timedelta(days=1)
    return last, due


def answer_deadline(
    kind: str, copy_received_on: date, *, calendar: WorkingCalendar, today: date, answered_on: date | None = None
) -> AnswerDeadline:
    """The agency's answer (复议) or defence (诉讼) deadline, counted from the day it received the copy."""
    try:
        days, label, basis, what = _RULES[kind]
    except KeyError:
        raise DomainError(f"未知的案件类别“{kind}”，应为行政复议或行政诉讼") from None
    if copy_received_on > today:
        raise DomainError(f"{what}的日期（{copy_received_on}）不能晚于今天")
    if answered_on is not None and answered_on < copy_received_on:
        raise DomainError(f"提交日期（{answered_on}）早于{what}的日期（{copy_received_on}）")
    last, due = calendar_days_due(copy_received_on, days, calendar)
    if answered_on is not None:
        status = "met" if answered_on <= due else "missed"
    else:
        status = "missed" if today > due else "running"
    note = f"自{what}之日起{days}日内；{CALENDAR_DAYS_NOTE}"
    if _STRICT_NOTE[kind]:
        note += f"（{_STRICT_NOTE[kind]}）"
    if due != last:
        note += f"（第{days}日{last}为非工作日，顺延至{due}）"
    return AnswerDeadline(label, basis, copy_received_on, days, last, due, status, note)


def re_reply_due(
    decision_received_on: date, *, calendar: WorkingCalendar, ordered_until: date | None = None
) -> tuple[date, str]:
    """The deadline of the new reply a 纠正 orders, and its basis."""
    if ordered_until is not None:
        if ordered_until <= decision_received_on:
            raise DomainError(f"决定确定的重新答复期限（{ordered_until}）应晚于收到决定之日（{decision_received_on}）")
        return ordered_until, "行政复议决定或人民法院裁判确定的期限"
    return calendar.add_working_days(
        decision_received_on, REPLY_WORKING_DAYS, "A"
    ), "第三十三条第二款（自收到决定之日起20个工作日）"
