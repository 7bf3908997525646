"""Writes of the supervisor's desk: an agency's column address, a report received (published in
gongkai, uploaded, fetched by its address), the fetch itself and the reaper of fetches whose worker
died. Every received copy is audited through the audit's own capped path
(``audits.services.audit_batch_create`` → ``audit_report_task`` → ``audits.isolation``)."""

from __future__ import annotations

import hashlib
import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Agency, Role
from gongkai.accounts.selectors import actor_label
from gongkai.audits.uploads import expand_uploads
from gongkai.domain.errors import DomainError
from gongkai.supervision import fetch as fetching
from gongkai.supervision import selectors
from gongkai.supervision.models import (
    DisclosureColumn,
    FindingReview,
    Rectification,
    RectificationStep,
    ReportFiling,
)
from gongkai.supervision.running import audit_filing, fetch_policy, filing_fetch_run  # noqa: F401 - also read from here
from gongkai.supervision.tasks import enqueue_fetches, filing_reap_stale  # noqa: F401 - also read from here

log = logging.getLogger(__name__)


class SupervisionError(DomainError):
    code = "supervision"


def _oversees(user, agency: Agency) -> None:
    if agency.pk not in selectors.overseen_ids(user):
        raise SupervisionError(f"{agency.name}不在您监督的机关范围内")


@transaction.atomic
def column_set(*, user, agency: Agency, url: str) -> DisclosureColumn | None:
    """Record (or, with an empty address, forget) the address of an overseen agency's column."""
    _oversees(user, agency)
    url = (url or "").strip()
    if not url:
        DisclosureColumn.objects.filter(agency=agency).delete()
        return None
    try:
        fetching.check_url(url)
    except fetching.FetchError as err:
        raise SupervisionError(err.message) from err
    column, _ = DisclosureColumn.objects.update_or_create(agency=agency, defaults={"url": url})
    return column


def _check_year(year: int, today: date) -> None:
    if not 2008 <= year < today.year:
        raise SupervisionError(f"{year}年度的报告尚不能报送：年度报告在次年公布")


@transaction.atomic
def filing_upload(
    *, user, agency: Agency, year: int, filename: str, data: bytes, published_on: date | None, today: date
) -> ReportFiling:
    """A report file the supervisor received (sent in, or saved from the agency's site)."""
    _oversees(user, agency)
    _check_year(year, today)
    if published_on and published_on > today:
        raise SupervisionError("公开日期不能晚于今天")
    expanded = expand_uploads([(filename, data)])
    if expanded.refused or len(expanded.files) != 1:
        raise SupervisionError(
            "；".join(expanded.refused) or "请上传一份年度报告（TXT、HTML、Markdown、PDF或Word .docx，不接受压缩包）"
        )
    name, body = expanded.files[0]
    filing = ReportFiling.objects.create(
        agency=agency,
        year=year,
        source=ReportFiling.Source.UPLOAD,
        status=ReportFiling.Status.STORED,
        published_on=published_on,
        filename=name[:300],
        content=body,
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=timezone.now(),
        created_by=user,
    )
    audit_filing(filing, user)
    return filing


@transaction.atomic
def filing_fetch_request(
    *, user, agency: Agency, year: int, url: str, published_on: date | None, today: date
) -> ReportFiling:
    """Queue the fetch of the report at ``url``; the worker fetches it (``fetch_report_task``)."""
    _oversees(user, agency)
    _check_year(year, today)
    if published_on and published_on > today:
        raise SupervisionError("公开日期不能晚于今天")
    try:
        fetching.check_url(url)
    except fetching.FetchError as err:
        raise SupervisionError(err.message) from err
    filing = ReportFiling.objects.create(
        agency=agency,
        year=year,
        source=ReportFiling.Source.FETCH,
        status=ReportFiling.Status.QUEUED,
        published_on=published_on,
        url=url.strip(),
        created_by=user,
    )
    enqueue_fetches([filing.pk])
    return filing


def filing_from_published(*, report_id: int, actor_id: int) -> ReportFiling | None:
    """File and audit the published version of a report made in gongkai (after its publication
    commits). The copy audited is the Word file the public page offers, made from the version."""
    from django.contrib.auth import get_user_model

    from gongkai.annualreports.models import AnnualReport
    from gongkai.annualreports.render import docx_bytes
    from gongkai.annualreports.selectors import public_content

    report = AnnualReport.objects.select_related("agency", "published_version").filter(pk=report_id).first()
    if report is None or report.published_version is None:
        return None
    data = docx_bytes(public_content(report))
    user = get_user_model().objects.get(pk=actor_id)
    with transaction.atomic():
        filing = ReportFiling.objects.create(
            agency=report.agency,
            year=report.year,
            source=ReportFiling.Source.GONGKAI,
            status=ReportFiling.Status.STORED,
            annual_report=report,
            published_on=report.published_on,
            filename=f"{report.agency.name}{report.year}年政府信息公开工作年度报告.docx",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            content=data,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            fetched_at=timezone.now(),
            created_by=user,
        )
        audit_filing(filing, user)
    return filing


# -- findings that go back ------------------------------------------------------------------------------


def audit_findings_first_page(filing: ReportFiling) -> list[dict]:
    from gongkai.audits.models import AuditedReport
    from gongkai.audits.selectors import findings_page

    audit = AuditedReport.objects.defer("content", "text", "original", "result").filter(pk=filing.audit_id).first()
    return findings_page(audit, 1) if audit is not None and audit.status == AuditedReport.Status.DONE else []


def _finding(filing: ReportFiling, number: int) -> dict:
    from gongkai.audits.models import AuditedReport
    from gongkai.audits.presentation import FINDINGS_PER_PAGE
    from gongkai.audits.selectors import findings_page

    audit = AuditedReport.objects.defer("content", "text", "original", "result").filter(pk=filing.audit_id).first()
    if audit is None or audit.status != AuditedReport.Status.DONE:
        raise SupervisionError("该报告尚未审计完成，不能审阅审计发现")
    page = findings_page(audit, (number - 1) // FINDINGS_PER_PAGE + 1) if number >= 1 else []
    index = (number - 1) % FINDINGS_PER_PAGE
    if index >= len(page):
        raise SupervisionError(f"第{number}条审计发现不存在")
    return page[index]


@transaction.atomic
def finding_review(*, user, filing: ReportFiling, number: int, verdict: str, reason: str) -> FindingReview:
    """Confirm or dismiss one finding, with a reason (a new verdict is added; the newest counts)."""
    _oversees(user, filing.agency)
    if verdict not in FindingReview.Verdict.values:
        raise SupervisionError("请选择“确认”或“不予采纳”")
    reason = (reason or "").strip()
    if not reason:
        raise SupervisionError("请填写理由")
    found = _finding(filing, number)
    return FindingReview.objects.create(
        filing=filing,
        number=number,
        rule=str(found.get("rule") or "")[:100],
        severity=str(found.get("severity") or "")[:10],
        message=str(found.get("message") or ""),
        verdict=verdict,
        reason=reason,
        reviewer=user,
    )


def _step(rectification: Rectification, action: str, user, comment: str = "") -> None:
    RectificationStep.objects.create(
        rectification=rectification, action=action, actor=user, actor_label=actor_label(user), comment=comment
    )


@transaction.atomic
def rectification_send(
    *, user, filing: ReportFiling, notice: str, due_on: date, channel: str, today: date
) -> Rectification:
    """Send a rectification notice about the confirmed findings of a filing."""
    _oversees(user, filing.agency)
    notice = (notice or "").strip()
    if not notice:
        raise SupervisionError("请填写整改要求")
    if due_on <= today:
        raise SupervisionError("整改期限应晚于今天")
    if channel not in Rectification.Channel.values:
        raise SupervisionError("请选择送达方式")
    if not selectors.confirmed_findings(filing):
        raise SupervisionError("尚无确认的审计发现：请先逐条审阅，确认需要整改的问题")
    if (
        Rectification.objects.filter(agency=filing.agency, year=filing.year)
        .exclude(state=Rectification.State.CLOSED)
        .exists()
    ):
        raise SupervisionError("该机关该年度已有未办结的整改通知")
    rectification = Rectification.objects.create(
        agency=filing.agency,
        year=filing.year,
        filing=filing,
        channel=channel,
        notice=notice,
        due_on=due_on,
        created_by=user,
    )
    _step(rectification, "发出整改通知", user, f"整改期限：{due_on:%Y年%m月%d日}；{notice}")
    return rectification


def _locked_rectification(rectification: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("agency").get(pk=rectification.pk)


@transaction.atomic
def rectification_answer(
    *, user, rectification: Rectification, answer: str, filename: str, data: bytes, today: date
) -> Rectification:
    """The agency's office head answers: an explanation and the revised report, which is audited. A
    notice sent as a letter is answered outside gongkai; the supervisor records the answer."""
    from gongkai.accounts.selectors import roles_in

    rectification = _locked_rectification(rectification)
    if rectification.channel == Rectification.Channel.LETTER:
        # the agency answered outside gongkai: the supervisor records what it sent
        _oversees(user, rectification.agency)
    elif Role.OFFICE_HEAD not in roles_in(user, rectification.agency):
        raise SupervisionError("整改通知由被通知机关的办公室主任答复")
    if rectification.state != Rectification.State.SENT:
        raise SupervisionError(f"整改通知处于“{rectification.get_state_display()}”状态，不能答复")
    answer = (answer or "").strip()
    if not answer:
        raise SupervisionError("请填写整改情况说明")
    expanded = expand_uploads([(filename, data)])
    if expanded.refused or len(expanded.files) != 1:
        raise SupervisionError("；".join(expanded.refused) or "请上传修改后的年度报告（一份文件）")
    name, body = expanded.files[0]
    revised = ReportFiling.objects.create(
        agency=rectification.agency,
        year=rectification.year,
        source=ReportFiling.Source.REVISED,
        status=ReportFiling.Status.STORED,
        published_on=today,
        filename=name[:300],
        content=body,
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=timezone.now(),
        created_by=user,
    )
    audit_filing(revised, user)
    rectification.answer, rectification.revised, rectification.state = answer, revised, Rectification.State.ANSWERED
    rectification.save(update_fields=["answer", "revised", "state", "updated_at"])
    _step(rectification, "机关答复", user, answer)
    return rectification


@transaction.atomic
def rectification_close(*, user, rectification: Rectification, comment: str) -> Rectification:
    rectification = _locked_rectification(rectification)
    _oversees(user, rectification.agency)
    if rectification.state != Rectification.State.ANSWERED:
        raise SupervisionError("机关答复后才能办结")
    comment = (comment or "").strip()
    if not comment:
        raise SupervisionError("请填写核查意见")
    rectification.state = Rectification.State.CLOSED
    rectification.save(update_fields=["state", "updated_at"])
    _step(rectification, "办结", user, comment)
    return rectification


@transaction.atomic
def rectification_return(
    *, user, rectification: Rectification, comment: str, due_on: date, today: date
) -> Rectification:
    """The answer does not put it right: back to the agency with what is still wrong."""
    rectification = _locked_rectification(rectification)
    _oversees(user, rectification.agency)
    if rectification.state != Rectification.State.ANSWERED:
        raise SupervisionError("机关答复后才能退回")
    comment = (comment or "").strip()
    if not comment:
        raise SupervisionError("请写明仍需整改的问题")
    if due_on <= today:
        raise SupervisionError("整改期限应晚于今天")
    rectification.state, rectification.due_on = Rectification.State.SENT, due_on
    rectification.save(update_fields=["state", "due_on", "updated_at"])
    _step(rectification, "退回继续整改", user, f"整改期限：{due_on:%Y年%m月%d日}；{comment}")
    return rectification
