"""The supervisor's desk listens to the annual report: a published report is filed and audited."""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def _published(sender, *, report, actor, **kwargs) -> None:
    report_id, actor_id = report.pk, actor.pk

    def file_it() -> None:
        from gongkai.supervision.services import filing_from_published

        # the publication stands whatever happens here: a failure is logged, and the board shows
        # the report as published but not audited
        try:
            filing_from_published(report_id=report_id, actor_id=actor_id)
        except Exception:
            log.exception("filing the published report %s for the supervisor failed", report_id)

    transaction.on_commit(file_it)


def connect() -> None:
    from gongkai.annualreports.signals import annual_report_published

    annual_report_published.connect(_published, dispatch_uid="supervision_file_published_report")
