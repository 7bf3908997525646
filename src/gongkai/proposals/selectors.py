"""Reads of the suggestions and proposals register: who may see what, the list with its deadlines,
the public column's replies. An item outside what the user may read is "not found" (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from gongkai.accounts import selectors as accounts_selectors
from gongkai.accounts.models import Agency, Membership, Role
from gongkai.accounts.selectors import REGISTER_WRITE_ROLES, agencies_visible_to, roles_in, site_agency
from gongkai.domain.proposals import workflow as wf
from gongkai.proposals.models import Proposal

WRITE_ROLES = REGISTER_WRITE_ROLES


def office_head_agencies(user) -> QuerySet[Agency]:
    return Agency.objects.filter(memberships__user=user, memberships__role=Role.OFFICE_HEAD.value).distinct()


def proposal_for(user, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("agency", "signed_by")
        .filter(pk=pk, agency__in=agencies_visible_to(user))
        .first()
    )
    if proposal is None:
        raise Http404("建议提案不存在")
    return proposal


def roles_for(user, proposal: Proposal) -> set[str]:
    return roles_in(user, proposal.agency_id)


def can_register(user) -> bool:
    return Membership.objects.filter(user=user, role__in=list(WRITE_ROLES)).exists()


@dataclass(frozen=True)
class Row:
    proposal: Proposal
    deadline: wf.DeadlineStatus | None


def proposal_rows(agency: Agency, *, today: date, year: int | None = None, view: str = "") -> list[Row]:
    """The agency's items, open ones first by deadline; ``view`` "overdue" keeps only the overdue."""
    qs = Proposal.objects.filter(agency=agency)
    if year is not None:
        qs = qs.filter(year=year)
    open_values = [s.value for s in wf.OPEN_STATES]
    if view == "overdue":
        qs = qs.filter(state__in=open_values, due_on__lt=today)
    rows = [Row(p, wf.deadline_status(p.due_on, today=today, state=p.state)) for p in qs.order_by("due_on", "id")]
    rows.sort(key=lambda r: (r.deadline is None, r.proposal.due_on if r.deadline else date.min))
    return rows


def year_choices(agency: Agency, today: date) -> list[int]:
    years = set(Proposal.objects.filter(agency=agency).values_list("year", flat=True).distinct())
    years.add(today.year)
    return sorted(years, reverse=True)


def counts(agency_id: int, *, today: date) -> dict[str, int]:
    open_values = [s.value for s in wf.OPEN_STATES]
    qs = Proposal.objects.filter(agency_id=agency_id)
    return {
        "open": qs.filter(state__in=open_values).count(),
        "overdue": qs.filter(state__in=open_values, due_on__lt=today).count(),
        "to_sign": qs.filter(state=wf.State.AWAITING_SIGN.value).count(),
        "unpublished": qs.filter(state__in=[wf.State.REPLIED.value, wf.State.FED_BACK.value], publication="").count(),
    }


def history(proposal: Proposal):
    return list(proposal.events.select_related("actor").order_by("at", "id"))


def contacts(proposal: Proposal):
    return list(proposal.contacts.order_by("contact_on", "id"))


# -- the public column: 建议提案复文公开 --------------------------------------------------------------------


def public_replies() -> QuerySet[Proposal]:
    """The replies this site's agency chose to publish, newest first (only those: never a withheld or
    undecided one)."""
    agency = site_agency()
    if agency is None:
        return Proposal.objects.none()
    return Proposal.objects.filter(agency=agency, publication=Proposal.Publication.PUBLISHED).order_by(
        "-published_on", "-id"
    )


def public_reply(pk: int) -> Proposal:
    found = public_replies().filter(pk=pk).first()
    if found is None:
        raise Http404("复文不存在")
    return found


# -- the annual report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindFigures:
    """One kind's items of a year (by the year of 交办), as 总体情况 quotes them."""

    handled: int
    replied: int  # a reply letter signed (the first round's counts: the item was answered)
    published: int  # the reply published in the column 建议提案复文公开
    fed_back: int  # the deputy's or member's feedback recorded
    satisfied: int  # … 满意 or 基本满意


def report_figures(*, agency: Agency, year: int) -> dict[str, KindFigures]:
    """Per kind (``suggestion``, ``proposal``) the items assigned to ``agency`` in ``year``; both
    kinds (a kind without items as zeros) when the year has any item, else an empty dict (the
    register is not kept for that year). One grouped query."""
    satisfied = [wf.Satisfaction.SATISFIED.value, wf.Satisfaction.BASICALLY.value]
    rows = (
        Proposal.objects.filter(agency=agency, year=year)
        .values("kind")
        .annotate(
            handled=Count("id"),
            replied=Count("id", filter=Q(replied_on__isnull=False)),
            published=Count("id", filter=Q(publication=Proposal.Publication.PUBLISHED)),
            fed_back=Count("id", filter=~Q(satisfaction="")),
            satisfied=Count("id", filter=Q(satisfaction__in=satisfied)),
        )
    )
    found = {r.pop("kind"): KindFigures(**r) for r in rows}
    if not found:
        return {}
    return {k.value: found.get(k.value, KindFigures(0, 0, 0, 0, 0)) for k in wf.Kind}


def visible_agencies(user) -> QuerySet[Agency]:
    return agencies_visible_to(user).order_by("name")


writing_agencies = accounts_selectors.writing_agencies
agency_for = accounts_selectors.register_agency_for
