"""Writes of the suggestions and proposals register. Every move goes through the workflow's check
(:func:`gongkai.domain.proposals.workflow.check_transition`) and leaves a :class:`ProposalEvent`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import actor_label, roles_in
from gongkai.domain.errors import CalendarNotCovered, DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.proposals import workflow as wf
from gongkai.domain.proposals.workflow import Action, Kind, State
from gongkai.domain.roles import Role
from gongkai.proposals.models import ContactRecord, Proposal, ProposalEvent, ProposalSettings
from gongkai.workcalendar.selectors import working_calendar

REGISTER_ROLES = frozenset({Role.CLERK.value, Role.OFFICE_HEAD.value})


def deadline_months(agency: Agency) -> tuple[int, int]:
    """The agency's (months, urgent months), or the defaults when it has set none."""
    s = ProposalSettings.objects.filter(agency=agency).first()
    return (s.months, s.urgent_months) if s else (wf.DEFAULT_MONTHS, wf.DEFAULT_URGENT_MONTHS)


def facts_of(proposal: Proposal) -> wf.ProposalFacts:
    return wf.ProposalFacts(
        round=proposal.round,
        contacts=proposal.contacts.filter(round=proposal.round).count(),
        assigned_on=proposal.assigned_on,
        replied_on=proposal.replied_on,
        publication=proposal.publication,
    )


def _log(proposal: Proposal, move, *, actor) -> ProposalEvent:
    details = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in move.details.items()}
    return ProposalEvent.objects.create(
        proposal=proposal,
        action=move.action,
        button=move.button,
        from_state=move.from_state,
        to_state=move.to_state,
        role=move.role,
        actor=actor,
        actor_label=actor_label(actor),
        comment=move.comment,
        details=details,
    )


@transaction.atomic
def proposal_register(
    *,
    agency: Agency,
    actor,
    today: date,
    kind: str,
    number: str,
    author: str,
    title: str,
    lead_unit: str,
    assigned_on: date,
    delegation: str = "",
    text: str = "",
    co_units: str = "",
    urgent: bool = False,
) -> Proposal:
    """Register an item the government office assigned (交办); its deadline is the agency's setting."""
    if not roles_in(actor, agency) & REGISTER_ROLES:
        raise TransitionNotAllowed("“登记交办件”应由经办人或办公室主任操作")
    kind = Kind(kind).value
    for name, label, value in (
        ("number", "编号", number),
        ("author", "代表或委员", author),
        ("title", "标题", title),
        ("lead_unit", "主办单位", lead_unit),
    ):
        if not (value or "").strip():
            raise FieldError(name, f"请填写“{label}”")
    if assigned_on > today:
        raise FieldError("assigned_on", f"“交办日期”不能晚于今天（{today:%Y-%m-%d}）")
    months, urgent_months = deadline_months(agency)
    nominal = wf.add_months(assigned_on, urgent_months if urgent else months)
    counted = wf.due_from_nominal(nominal, calendar=working_calendar())
    proposal = Proposal(
        agency=agency,
        year=assigned_on.year,
        kind=kind,
        number=number.strip(),
        author=author.strip(),
        delegation=delegation.strip(),
        title=title.strip(),
        text=text.strip(),
        lead_unit=lead_unit.strip(),
        co_units=co_units.strip(),
        assigned_on=assigned_on,
        urgent=urgent,
        due_nominal=nominal,
        due_on=counted.due,
        due_provisional=counted.provisional,
        state=State.REGISTERED.value,
        created_by=actor,
        reply_text=wf.reply_template(
            kind=kind, author=author.strip(), number=number.strip(), title=title.strip(), agency=agency.name
        ),
    )
    proposal._change_reason = f"{actor_label(actor)}：登记交办件"
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        raise FieldError(
            "number", f"本机关{assigned_on.year}年已登记第{number.strip()}号{Kind(kind).label}，不能重复登记"
        ) from None
    ProposalEvent.objects.create(
        proposal=proposal,
        action="register",
        button="登记交办件",
        from_state="",
        to_state=State.REGISTERED.value,
        role=Role.CLERK.value if Role.CLERK.value in roles_in(actor, agency) else Role.OFFICE_HEAD.value,
        actor=actor,
        actor_label=actor_label(actor),
        details={"assigned_on": assigned_on.isoformat(), "due_on": proposal.due_on.isoformat()},
    )
    return proposal


@transaction.atomic
def proposal_act(*, proposal: Proposal, action: str, actor, today: date, fields: dict[str, Any]) -> Proposal:
    """Take one move of the table on ``proposal``: checked, applied, logged."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    roles = roles_in(actor, proposal.agency_id)
    from_state = proposal.state
    t = wf.check_transition(from_state, action, actor_roles=roles, fields=fields, facts=facts_of(proposal), today=today)
    move = wf.WORKFLOW.move(t, from_state=from_state, actor_roles=roles, fields=fields)
    a = t.action
    if a is Action.CONTACT:
        ContactRecord.objects.create(
            proposal=proposal,
            round=proposal.round,
            contact_on=fields["contact_on"],
            way=fields["contact_way"],
            summary=fields["summary"].strip(),
            recorded_by=actor,
        )
    elif a is Action.SUBMIT_REPLY:
        proposal.category = fields["category"]
        proposal.reply_text = fields["reply_text"].strip()
        proposal.co_opinions = (fields.get("co_opinions") or "").strip()
    elif a is Action.SIGN:
        proposal.replied_on = fields["replied_on"]
        proposal.signed_by = actor
    elif a is Action.FEEDBACK:
        proposal.satisfaction = fields["satisfaction"]
        proposal.feedback_on = fields["feedback_on"]
    elif a is Action.REHANDLE:
        # the first round's reply stays in the log; the second reply replaces it on the item
        proposal.satisfaction = wf.Satisfaction.DISSATISFIED.value
        proposal.feedback_on = fields["feedback_on"]
        proposal.round = 2
    elif a is Action.PUBLISH:
        proposal.publication = Proposal.Publication.PUBLISHED
        proposal.published_on = today
    elif a is Action.WITHHOLD:
        proposal.publication = Proposal.Publication.WITHHELD
        proposal.withhold_reason = fields["withhold_reason"]
        proposal.withhold_note = fields["comment"].strip()
    proposal.state = t.to.value
    proposal._change_reason = move.change_reason(actor_label(actor))
    proposal.save()
    _log(proposal, move, actor=actor)
    return proposal


@transaction.atomic
def proposal_settings_update(*, agency: Agency, actor, months: int, urgent_months: int) -> ProposalSettings:
    """The office head sets the agency's reply deadline (months from 交办; urgent items shorter)."""
    if Role.OFFICE_HEAD.value not in roles_in(actor, agency):
        raise TransitionNotAllowed("建议提案答复期限由办公室主任设置")
    if not 1 <= months <= 12:
        raise FieldError("months", "“答复期限（月）”应在1至12之间")
    if not 1 <= urgent_months <= months:
        raise FieldError("urgent_months", "“紧急件答复期限（月）”应至少1个月，且不长于一般答复期限")
    settings, _ = ProposalSettings.objects.update_or_create(
        agency=agency, defaults={"months": months, "urgent_months": urgent_months}
    )
    return settings


__all__ = ["DomainError", "proposal_act", "proposal_register", "proposal_settings_update", "deadline_months"]


# -- the calendar ----------------------------------------------------------------------------------------


@transaction.atomic
def deadlines_recompute_after_notice(*, year: int, actor=None, today: date) -> int:
    """Recount the deadline of every open item whose date was provisional, now that ``year``'s
    holiday notice was entered (or changed): the period's last day stays, only its move past
    holidays and rest days is recounted; every moved date is a line in the item's log."""
    calendar = working_calendar()
    moved = 0
    items = Proposal.objects.select_for_update().filter(
        state__in=[s.value for s in wf.OPEN_STATES], due_provisional=True, due_nominal__isnull=False
    )
    for proposal in items.order_by("pk"):
        try:
            counted = wf.due_from_nominal(proposal.due_nominal, calendar=calendar)
        except CalendarNotCovered:
            continue
        if (counted.due, counted.provisional) == (proposal.due_on, proposal.due_provisional):
            continue
        old = proposal.due_on
        proposal.due_on, proposal.due_provisional = counted.due, counted.provisional
        proposal._change_reason = f"录入{year}年节假日安排后重新计算答复期限"
        proposal.save(update_fields=["due_on", "due_provisional"])
        ProposalEvent.objects.create(
            proposal=proposal,
            action="deadline_recomputed",
            button="重新计算答复期限",
            from_state=proposal.state,
            to_state=proposal.state,
            role="",
            actor=actor,
            actor_label=actor_label(actor) if actor else "系统",
            details={"year": year, "old_due_on": old.isoformat(), "due_on": counted.due.isoformat()},
        )
        moved += 1
    return moved
