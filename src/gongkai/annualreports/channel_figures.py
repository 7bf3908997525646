"""The year's figures of the other channels 总体情况 counts, gathered from their registers for
:mod:`gongkai.domain.annual_report.channels`: suggestions and proposals (``proposals.selectors``),
work orders (``workorders.selectors``) and, once the publicity register is merged, new media and
press conferences (:func:`_publicity_figures`). A register that holds nothing for the year gives
no figures (None), so no sentence, checklist point or check speaks of it.
"""

from __future__ import annotations

from gongkai.accounts.models import Agency
from gongkai.domain.annual_report.channels import (
    MAILBOX,
    ChannelFigures,
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
    """New-media accounts and press conferences of the year: None until the publicity register exists.

    TODO(integrator): once ``gongkai.publicity`` is merged, return its figures here:
    ``gongkai.publicity.selectors.report_figures(agency=agency, year=year)`` gives per platform the
    posts of the year and the followers at the year's end, the press conferences, the policy
    briefings and the 回应关切 count. Map each platform to
    ``MediaCounts(kind=<WECHAT|WEIBO|DOUYIN|TOUTIAO|VIDEO|WEBSITE>, label=<as printed, e.g.
    微信公众号“示范区教育”>, posts=…, followers=…)`` and return
    ``PublicityFigures(media=(…), press_conferences=…, policy_briefings=…, concerns_answered=…)``
    (None when the register holds nothing for the year). The sentences, the checklist point and the
    prose check already read these fields (tests/unit/annual_report/test_channels.py).
    """
    return None


def channel_figures(*, agency: Agency, year: int) -> ChannelFigures:
    suggestions, proposals = _proposal_counts(agency, year)
    return ChannelFigures(
        year=year,
        suggestions=suggestions,
        proposals=proposals,
        work_orders=_work_order_counts(agency, year),
        publicity=_publicity_figures(agency, year),
    )
