"""The fetch of one report and the audit of a received copy, as the background task runs them
(imports run one way: services → tasks → running)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.audits.services import audit_batch_create
from gongkai.audits.uploads import Expanded
from gongkai.supervision import fetch as fetching
from gongkai.supervision.models import ReportFiling

log = logging.getLogger("gongkai.supervision.services")


def audit_filing(filing: ReportFiling, user) -> None:
    """Queue the audit of the filing's copy (after commit, by the audit's own path) and link it."""
    batch = audit_batch_create(
        user=user,
        title=f"{filing.agency.name}{filing.year}年度报告（{filing.get_source_display()}）",
        expanded=Expanded(files=[(filing.filename, bytes(filing.content))]),
    )
    filing.audit = batch.reports.get()
    filing.save(update_fields=["audit"])


def fetches_pending() -> bool:
    return ReportFiling.objects.filter(status__in=[ReportFiling.Status.QUEUED, ReportFiling.Status.FETCHING]).exists()


def fetch_policy() -> fetching.FetchPolicy:
    return fetching.FetchPolicy(
        max_bytes=int(settings.GONGKAI_FETCH_MAX_BYTES),
        timeout=float(settings.GONGKAI_FETCH_TIMEOUT_SECONDS),
        max_redirects=int(settings.GONGKAI_FETCH_MAX_REDIRECTS),
        allowed_hosts=frozenset(settings.GONGKAI_FETCH_ALLOWED_HOSTS),
    )


def filing_fetch_run(*, filing_id: int) -> ReportFiling | None:
    """Fetch one queued filing's report, store the copy and queue its audit; a failure is recorded
    on the filing, not raised. None when the filing is not waiting (a task queued twice)."""
    with transaction.atomic():
        filing = ReportFiling.objects.select_for_update().filter(pk=filing_id).first()
        if filing is None or filing.status != ReportFiling.Status.QUEUED:
            return None
        filing.status = ReportFiling.Status.FETCHING
        filing.started_at = timezone.now()
        filing.attempts += 1
        filing.save(update_fields=["status", "started_at", "attempts"])
    try:
        got = fetching.fetch(filing.url, fetch_policy())
    except fetching.FetchError as err:
        return _fetch_failed(filing, err.message)
    except Exception as exc:  # a bug must not leave the filing "fetching"
        log.exception("fetch of filing %s failed", filing_id)
        return _fetch_failed(filing, f"获取时发生内部错误：{type(exc).__name__}")
    with transaction.atomic():
        filing = ReportFiling.objects.select_for_update().get(pk=filing_id)
        if filing.status != ReportFiling.Status.FETCHING:  # the reaper gave up on it meanwhile
            return filing
        filing.status = ReportFiling.Status.STORED
        filing.final_url = got.final_url[:1000]
        filing.filename = got.filename[:300]
        filing.content_type = got.content_type[:120]
        filing.content = got.data
        filing.size = len(got.data)
        filing.sha256 = got.sha256
        filing.fetched_at = timezone.now()
        filing.failure = ""
        filing.save(
            update_fields=[
                "status",
                "final_url",
                "filename",
                "content_type",
                "content",
                "size",
                "sha256",
                "fetched_at",
                "failure",
            ]
        )
        audit_filing(filing, filing.created_by)
    return filing


def _fetch_failed(filing: ReportFiling, reason: str) -> ReportFiling:
    ReportFiling.objects.filter(pk=filing.pk, status=ReportFiling.Status.FETCHING).update(
        status=ReportFiling.Status.FAILED, failure=reason
    )
    filing.refresh_from_db(fields=["status", "failure"])
    return filing


def fetch_stale_after() -> timedelta:
    """A fetch cannot outlive its time limit: "fetching" beyond it plus the audit's margin means the
    worker died (kill -9, out of memory)."""
    return timedelta(
        seconds=float(settings.GONGKAI_FETCH_TIMEOUT_SECONDS) + int(settings.GONGKAI_AUDIT_STALE_MARGIN_SECONDS)
    )
