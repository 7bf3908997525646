"""The year's figures of the other channels 总体情况 counts, gathered from their registers for
:mod:`gongkai.domain.annual_report.channels`: suggestions and proposals (``proposals.selectors``),
work orders (``workorders.selectors``), new media and press conferences (``publicity.selectors``). A
register that holds nothing for the year gives no figures (None), so no sentence, checklist point or
check speaks of it.
"""

from __future__ import annotations

from gongkai.accounts.models import Agency
from gongkai.domain.annual_report.channels import (
    MAILBOX,
    ChannelFigures,
    MediaCounts,
    ProposalCounts,
    PublicityFigures,
    WorkOrderCounts,
)

# what a platform's items are called in the report's prose (默认 工单)
_NOUNS = {MAILBOX: "来信"}


def _proposal_counts(agency: Agency, year: int) -> tuple[ProposalCounts | None, ProposalCounts | None]:
    from gongkai.proposals.selectors import report_figures

    kinds = report_figures(agency=agency, year=year)

    def counts(kind: str) -> ProposalCounts | None:
        k = kinds.get(kind)
        if k is None:
            return None
        return ProposalCounts(k.handled, k.replied, k.published, k.fed_back, k.satisfied)

    return counts("suggestion"), counts("proposal")


def _work_order_counts(agency: Agency, year: int) -> tuple[WorkOrderCounts, ...]:
    from gongkai.domain.workorders.workflow import PLATFORM_LABELS
    from gongkai.workorders.selectors import report_figures

    return tuple(
        WorkOrderCounts(
            platform=code,
            label=PLATFORM_LABELS.get(code, code),
            noun=_NOUNS.get(code, "工单"),
            received=f.received,
            replied=f.replied,
            on_time=f.on_time,
            rated=f.rated,
            satisfied=f.satisfied,
        )
        for code, f in report_figures(agency=agency, year=year).items()
    )


def _publicity_figures(agency: Agency, year: int) -> PublicityFigures | None:
    """New-media accounts and press conferences of the year, from the publicity register; None when
    it holds nothing for the year.

    A sentence says 全年发布 and 年末关注人数, so a platform's posts are given only when all twelve
    months are recorded, and its followers only when December's are: a year still running, or a
    month never entered, gives no figure rather than a short one passed off as the year's.
    """
    from gongkai.publicity.selectors import report_figures

    r = report_figures(agency=agency, year=year)
    media = tuple(
        MediaCounts(
            kind=key,
            label=p.label,
            posts=p.posts if p.complete else None,
            followers=p.followers if p.followers_month is not None and p.followers_month.month == 12 else None,
        )
        for key, p in r.platforms.items()
    )
    if not media and not (r.press_conferences or r.policy_briefings or r.concerns_answered):
        return None
    return PublicityFigures(
        media=media,
        press_conferences=r.press_conferences,
        policy_briefings=r.policy_briefings,
        concerns_answered=r.concerns_answered,
    )


def channel_figures(*, agency: Agency, year: int) -> ChannelFigures:
    suggestions, proposals = _proposal_counts(agency, year)
    return ChannelFigures(
        year=year,
        suggestions=suggestions,
        proposals=proposals,
        work_orders=_work_order_counts(agency, year),
        publicity=_publicity_figures(agency, year),
    )
