"""Reads of the applicant register and the intake (issue 16 §4, §5): the applicant's other
applications to the same agency, their count in a calendar month (国办函〔2020〕109号, the fee), their
number and frequency (第三十五条), earlier answered requests that the new one resembles (第三十六条（六）),
and how the application came in.

Who sees what: the register (the applicant's other applications, the repeats, the figures) is the
disclosure office's (经办人, 办公室主任), like the full identity number; the intake facts are on the case
page for everyone who may open the case, with an agent's identity number masked for the other roles.
Unit staff never open the case page (``selectors.case_for``) and a supervisor sees no applicant.
Every read is limited to the case's agency: an applicant's applications to another agency are that
agency's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404

from gongkai.accounts.selectors import review_policy_for, sign_off_policy_for
from gongkai.applications.models import Application, Intake, IntakeFile, Letter
from gongkai.domain.applications.intake import IDENTITY_CHECK_LABELS, ORIGIN_LABELS
from gongkai.domain.applications.register import (
    ARTICLE_35,
    ARTICLE_36_6,
    FEE_MONTH_BASIS,
    FEE_MONTH_RULE,
    Frequency,
    frequency,
    month_of,
    month_position,
)
from gongkai.domain.applications.repeats import Resemblance, resemblance
from gongkai.domain.applications.tracking import mask_identity_number
from gongkai.domain.applications.workflow import Action, State, available_actions, reply_outcomes
from gongkai.domain.outcomes import outcome
from gongkai.domain.roles import Role

OFFICE_ROLES = frozenset({Role.CLERK.value, Role.OFFICE_HEAD.value})
# the earlier answered applications compared with a new one: the latest ones, enough for any applicant
REPEAT_CANDIDATES = 200
HISTORY_SHOWN = 100
# an application that is not one does not count towards the fee (第三十九条: 信访、投诉、举报)
_NOT_COUNTED_STATES = (State.NOT_TREATED_AS_APPLICATION.value,)


def intake_of(app: Application) -> Intake | None:
    return Intake.objects.select_related("applicant").filter(application=app).first()


def _same_applicant(app: Application, intake: Intake | None):
    """The applications of ``app``'s applicant to the same agency (``app`` included), or None."""
    if intake is None or intake.applicant_id is None:
        return None
    return Application.objects.filter(agency_id=app.agency_id, intake__applicant_id=intake.applicant_id)


def _day_of(app: Application) -> date:
    # the receipt date (第三十一条); one still waiting for its confirmation counts from its submission
    return app.received_on or app.submitted_at.date()


# -- the per-application fee (国办函〔2020〕109号) --------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    position: int  # this application's place in its applicant's month
    month_label: str  # "2026年3月"
    applications: list[Application]  # the month's applications counted, in order
    basis: str


def month_count(app: Application) -> MonthCount | None:
    """Where ``app`` stands among its applicant's applications to this agency received in the same
    calendar month (109号: 同一申请人一个自然月内累计申请). [I] Counted: every application received in
    the month up to this one, except those found not to be applications (第三十九条) and the new
    replies a 纠正 ordered (they are the same application answered again). None when the case has
    no receipt date yet or its applicant is not in the register."""
    if app.received_on is None:
        return None
    same = _same_applicant(app, intake_of(app))
    if same is None:
        return None
    first, last = month_of(app.received_on)
    counted = list(
        same.filter(received_on__range=(first, last), reopened_from__isnull=True)
        .exclude(state__in=_NOT_COUNTED_STATES)
        .exclude(pk=app.pk)
        .only("pk", "tracking_number", "received_on", "description", "state")
        .order_by("received_on", "pk")
    )
    position = month_position((app.received_on, app.pk), [(a.received_on, a.pk) for a in counted])
    before = [a for a in counted if (a.received_on, a.pk) < (app.received_on, app.pk)]
    return MonthCount(
        position=position,
        month_label=f"{first.year}年{first.month}月",
        applications=[*before, app],
        basis=f"{FEE_MONTH_BASIS}：{FEE_MONTH_RULE}",
    )


def register_month_position(app: Application) -> int | None:
    mc = month_count(app)
    return mc.position if mc else None


# -- the applicant's other applications, and 第三十五条 -----------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    app: Application
    day: date
    subject: str
    outcome_label: str


def _subject(text: str, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n] + "…"


def _outcome_label(a: Application) -> str:
    if a.outcome_code:
        return outcome(a.outcome_code).label
    return f"办理中（{State(a.state).label}）"


def applicant_history(app: Application, intake: Intake | None = None) -> list[HistoryRow]:
    """The applicant's other applications to this agency, latest first."""
    same = _same_applicant(app, intake if intake is not None else intake_of(app))
    if same is None:
        return []
    others = (
        same.exclude(pk=app.pk)
        .only("pk", "tracking_number", "received_on", "submitted_at", "description", "state", "outcome_code")
        .order_by("-submitted_at", "-pk")[:HISTORY_SHOWN]
    )
    return [HistoryRow(a, _day_of(a), _subject(a.description), _outcome_label(a)) for a in others]


def applicant_frequency(app: Application, *, today: date, intake: Intake | None = None) -> Frequency | None:
    """第三十五条's 数量、频次: the applicant's applications to this agency up to ``today``."""
    same = _same_applicant(app, intake if intake is not None else intake_of(app))
    if same is None:
        return None
    days = [r or s.date() for r, s in same.values_list("received_on", "submitted_at")]
    return frequency(days, today=today)


# -- 重复申请 (第三十六条（六）) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Repeat:
    earlier: Application
    resemblance: Resemblance
    reply_letter: Letter | None


def repeats_of(app: Application, *, intake: Intake | None = None) -> list[Repeat]:
    """The applicant's earlier applications to this agency, answered (已答复) by the day ``app`` was
    received, whose request ``app``'s resembles (:mod:`gongkai.domain.applications.repeats`), most
    alike first. A hint for the office: whether it is the same information is theirs to decide."""
    same = _same_applicant(app, intake if intake is not None else intake_of(app))
    if same is None:
        return []
    by = _day_of(app)
    earlier = (
        same.exclude(pk=app.pk)
        .filter(state=State.REPLIED.value, concluded_on__lte=by)
        .only("pk", "tracking_number", "received_on", "submitted_at", "description", "outcome_code", "concluded_on")
        .order_by("-concluded_on", "-pk")[:REPEAT_CANDIDATES]
    )
    ignore = (app.agency.name,)
    found = []
    for e in earlier:
        r = resemblance(app.description, e.description, ignore=ignore)
        if r.alike:
            found.append((e, r))
    found.sort(key=lambda er: (-er[1].score, -er[0].pk))
    letters = {}
    for letter in Letter.objects.filter(
        application_id__in=[e.pk for e, _ in found], kind__startswith="reply_"
    ).order_by("created_at", "pk"):
        letters[letter.application_id] = letter  # the latest reply letter of each
    return [Repeat(e, r, letters.get(e.pk)) for e, r in found]


# -- the case page --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeRow:
    label: str
    value: str


def intake_rows(intake: Intake | None, roles: set[str]) -> list[IntakeRow]:
    """How the application came in, for whoever may open the case; an agent's identity number in full
    only for the office (as the applicant's)."""
    if intake is None:
        return []
    rows = [IntakeRow("申请来源", ORIGIN_LABELS.get(intake.origin, intake.origin))]  # type: ignore[call-overload]
    if intake.origin_reference:
        rows.append(IntakeRow("转办编号", intake.origin_reference))
    if intake.reached_on:
        rows.append(IntakeRow("到达本机关日期", f"{intake.reached_on:%Y-%m-%d}"))
    if intake.original_submitted_on:
        rows.append(IntakeRow("申请人向转办机关提出日期", f"{intake.original_submitted_on:%Y-%m-%d}"))
    rows.append(
        IntakeRow("身份核验方式", IDENTITY_CHECK_LABELS.get(intake.identity_check, "（未记录）"))  # type: ignore[call-overload]
    )
    if intake.agent_name:
        number = intake.agent_id_number if roles & OFFICE_ROLES else mask_identity_number(intake.agent_id_number)
        rows.append(IntakeRow("委托代理人", f"{intake.agent_name}（身份证明号码 {number}，电话 {intake.agent_phone}）"))
    return rows


@dataclass
class CaseRegister:
    """What the case page shows of the register and the intake."""

    intake: list[IntakeRow] = field(default_factory=list)
    files: list[IntakeFile] = field(default_factory=list)
    office: bool = False  # the register below is shown (经办人, 办公室主任)
    in_register: bool = False
    history: list[HistoryRow] = field(default_factory=list)
    frequency: Frequency | None = None
    repeats: list[Repeat] = field(default_factory=list)
    # the move that can answer this case as 不予处理：重复申请, for the clerk to choose (never made here)
    duplicate_action: Action | None = None
    article_36_6: str = ARTICLE_36_6
    article_35: str = ARTICLE_35


def case_register(app: Application, *, roles: set[str], today: date) -> CaseRegister:
    intake = intake_of(app)
    office = bool(roles & OFFICE_ROLES)
    out = CaseRegister(intake=intake_rows(intake, roles), office=office)
    if not office:
        return out
    out.files = list(IntakeFile.objects.filter(application=app).order_by("kind", "pk"))
    out.in_register = bool(intake and intake.applicant_id)
    out.history = applicant_history(app, intake)
    out.frequency = applicant_frequency(app, today=today, intake=intake)
    out.repeats = repeats_of(app, intake=intake)
    if out.repeats:
        out.duplicate_action = duplicate_action(app, roles)
    return out


DUPLICATE = "duplicate"
_ANSWERING = (
    Action.REPLY,
    Action.SUBMIT_REPLY_FOR_REVIEW,  # where the agency has a 不予处理 reviewed first (法制审核)
    Action.SUBMIT_REPLY_FOR_SIGN_OFF,
    Action.ANSWER_ON_THE_SPOT,
)


def duplicate_action(app: Application, roles: set[str]) -> Action | None:
    """The first of the user's moves in the case's state that may carry the outcome 不予处理：重复申请,
    under the agency's sign-off and review settings."""
    policy, review = sign_off_policy_for(app.agency), review_policy_for(app.agency)
    allowed = available_actions(app.state, roles, policy, pending_outcome=app.pending_outcome or None, review=review)
    for action in _ANSWERING:
        if action in allowed and DUPLICATE in reply_outcomes(app.state, action, policy, review):
            return action
    return None


def intake_file_for(roles: set[str], app: Application, file_pk: int) -> IntakeFile:
    """A registered paper of the case (转来的原件, 授权委托书): the office's only (it carries identity
    numbers); 404 otherwise, like a case one may not open."""
    f = IntakeFile.objects.filter(pk=file_pk, application=app).first()
    if f is None or not roles & OFFICE_ROLES:
        raise Http404("材料不存在")
    return f
