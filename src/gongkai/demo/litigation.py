"""Reviews and lawsuits of the demo year for 示范区教育局, made through the services.

:func:`seed_reviews` (``manage.py seed_reviews``) does nothing when the demo agency already has
cases. Otherwise it registers four cases of 2026 that the demo applications plausibly led to:

- a review (行政复议) of a refusal to protect a third party's interests, decided 维持, followed by
  a suit after that review (复议后起诉), still pending;
- a review of a refusal under 其他法律行政法规禁止公开, still pending;
- a direct suit (未经复议直接起诉) over the refusal of administrative enforcement files, dismissed by
  the court (驳回诉讼请求, counted as 维持).

Each case is placed after the reply it challenges (复议 within 60 days of it, a suit after review
within 15 days of the decision) and before ``today``; an application that ended too late in the
year for its chain of dates is passed over for an earlier one with a fitting outcome, and a case
no application fits is skipped and reported. Every case gets the papers the agency would hold, as
Word files, and its "now" timestamps are moved back to the days it was registered and concluded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from docx import Document as WordDocument

from gongkai.accounts.models import Agency
from gongkai.applications.models import Application
from gongkai.domain.errors import DomainError
from gongkai.litigation import services
from gongkai.litigation.models import ReviewCase, ReviewDocument

DEMO_AGENCY_CODE = "demo-edu"
DEMO_YEAR = 2026
REVIEW_BODY = "示范区人民政府"
COURT = "示范区人民法院"
REGISTERED_AFTER = 2  # days from filing to the clerk's entry (the copy of the application arrives)


@dataclass(frozen=True)
class DemoCase:
    key: str
    kind: str
    outcomes: tuple[str, ...]  # outcome codes of the application it may arise from, preferred first
    filed_after: int  # days after the reply (or after the prior review's decision)
    body: str
    case_number: str
    stage: str = ""
    prior: str | None = None  # key of the review a suit follows
    result: str = "pending"
    decided_after: int | None = None  # days after filing
    correction_note: str = ""
    notes: str = ""
    papers: tuple[tuple[str, str, str], ...] = ()  # (doc_type, file name, text with {info}: the information asked for)


CASES: tuple[DemoCase, ...] = (
    DemoCase(
        "review_third_party",
        "review",
        ("withheld_third_party", "partially_disclosed"),
        18,
        REVIEW_BODY,
        "示政复决字〔2026〕第17号",
        result="maintained",
        decided_after=55,
        notes="申请人认为所申请的信息不涉及商业秘密。复议机关认为被申请人已书面征求第三方意见，不予公开的理由成立，维持原答复。",
        papers=(
            (
                "review_application",
                "行政复议申请书.docx",
                "申请人请求撤销被申请人作出的政府信息公开答复，责令被申请人公开“{info}”。",
            ),
            (
                "review_reply",
                "行政复议答复书.docx",
                "被申请人收到申请后依法办理，就“{info}”作出的答复认定事实清楚，适用依据正确，程序合法。",
            ),
            (
                "review_decision",
                "行政复议决定书.docx",
                "根据《中华人民共和国行政复议法》第六十八条的规定，决定维持被申请人作出的政府信息公开答复。",
            ),
        ),
    ),
    DemoCase(
        "suit_after_review",
        "litigation",
        (),
        12,
        COURT,
        "（2026）示0102行初58号",
        stage="after_review",
        prior="review_third_party",
        notes="原告不服复议决定提起诉讼，复议机关为共同被告。",
        papers=(
            (
                "complaint",
                "起诉状.docx",
                "原告请求判决撤销被告就“{info}”作出的政府信息公开答复及行政复议决定，责令被告重新答复。",
            ),
        ),
    ),
    DemoCase(
        "review_law_prohibited",
        "review",
        ("withheld_law_prohibited", "withheld_process_info"),
        25,
        REVIEW_BODY,
        "",
        notes="复议机关已受理，被申请人已于收到答复通知书之日起十日内提交答复书和证据。",
        papers=(
            (
                "review_application",
                "行政复议申请书.docx",
                "申请人请求撤销被申请人作出的政府信息公开答复，公开“{info}”。",
            ),
        ),
    ),
    DemoCase(
        "direct_suit",
        "litigation",
        ("withheld_enforcement_file", "does_not_exist", "withheld_internal_affairs"),
        30,
        COURT,
        "（2026）示0102行初21号",
        stage="direct",
        result="maintained",
        decided_after=75,
        notes="判决驳回原告的诉讼请求（计为“维持”）。原告未上诉，判决已生效。",
        papers=(
            ("complaint", "起诉状.docx", "原告请求判决撤销被告作出的政府信息公开答复，责令被告公开“{info}”。"),
            (
                "judgment",
                "行政判决书.docx",
                "依照《中华人民共和国行政诉讼法》第六十九条之规定，判决驳回原告的诉讼请求。",
            ),
        ),
    ),
)


@dataclass
class SeedResult:
    created: int = 0
    skipped: list[str] = field(default_factory=list)


def _word(title: str, case_number: str, body: str) -> bytes:
    doc = WordDocument()
    doc.add_heading(title, level=1)
    if case_number:
        doc.add_paragraph(case_number)
    doc.add_paragraph(body)
    doc.add_paragraph("（演示数据）")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paper(name: str, spec: DemoCase, text: str, application: Application | None) -> bytes:
    info = application.description if application is not None else "相关政府信息"
    return _word(name.rsplit(".", 1)[0], spec.case_number, text.format(info=info))


def _aware(d: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour, 0)))


def _span(spec: DemoCase) -> int:
    """Days from the start of the case (the reply, or the prior decision) to its last date, later suits included."""
    own = spec.filed_after + max(REGISTERED_AFTER, spec.decided_after or 0)
    later = [spec.filed_after + (spec.decided_after or 0) + _span(s) for s in CASES if s.prior == spec.key]
    return max([own, *later])


def _application_for(spec: DemoCase, agency: Agency, taken: set[int], today: date) -> Application | None:
    """The earliest reply of the preferred outcome whose case (and the suits after it) fit before ``today``."""
    for code in spec.outcomes:
        for app in (
            Application.objects.filter(agency=agency, outcome_code=code, concluded_on__isnull=False)
            .exclude(pk__in=taken)
            .order_by("concluded_on", "pk")
        ):
            filed = app.concluded_on + timedelta(days=spec.filed_after)
            if filed.year == DEMO_YEAR and app.concluded_on + timedelta(days=_span(spec)) <= today:
                return app
    return None


def _backdate(case: ReviewCase, since_history_id: int, when: datetime) -> int:
    rows = case.history.filter(history_id__gt=since_history_id)
    last = rows.order_by("-history_id").values_list("history_id", flat=True).first()
    rows.update(history_date=when)
    return last or since_history_id


def _make(
    spec: DemoCase, *, agency: Agency, clerk, made: dict[str, ReviewCase], taken: set[int], today: date
) -> ReviewCase:
    prior = made.get(spec.prior) if spec.prior else None
    if spec.prior and (prior is None or prior.concluded_on is None):
        raise DomainError("此前的行政复议未能创建")
    if prior is not None:
        application, filed_on = prior.application, prior.concluded_on + timedelta(days=spec.filed_after)
    else:
        application = _application_for(spec, agency, taken, today)
        if application is None:
            raise DomainError("没有办理结果和日期合适的演示申请")
        filed_on = application.concluded_on + timedelta(days=spec.filed_after)
    if filed_on.year != DEMO_YEAR or filed_on + timedelta(days=REGISTERED_AFTER) > today:
        raise DomainError(f"立案日期{filed_on}不在{DEMO_YEAR}年或晚于今天")
    registered_on = filed_on + timedelta(days=REGISTERED_AFTER)
    case = services.review_case_register(
        agency=agency,
        kind=spec.kind,
        stage=spec.stage,
        prior_review=prior,
        body=spec.body,
        case_number=spec.case_number,
        filed_on=filed_on,
        application=application,
        applicant_name="",
        notes=spec.notes,
        created_by=clerk,
        today=registered_on,
    )
    if application is not None:
        taken.add(application.pk)
    history_id = _backdate(case, 0, _aware(registered_on, 10))
    ReviewCase.objects.filter(pk=case.pk).update(
        created_at=_aware(registered_on, 10), updated_at=_aware(registered_on, 10)
    )
    for doc_type, name, text in spec.papers:
        if doc_type in ("review_decision", "judgment"):
            continue  # arrives with the result
        doc = services.review_document_add(
            case=case, doc_type=doc_type, name=name, data=_paper(name, spec, text, application), actor=clerk
        )
        ReviewDocument.objects.filter(pk=doc.pk).update(uploaded_at=_aware(registered_on, 11))
    if spec.decided_after is not None:
        decided_on = filed_on + timedelta(days=spec.decided_after)
        noted_on = min(decided_on + timedelta(days=3), today)
        case = services.review_case_conclude(
            case=case,
            result=spec.result,
            concluded_on=decided_on,
            correction_note=spec.correction_note,
            actor=clerk,
            today=noted_on,
        )
        _backdate(case, history_id, _aware(noted_on, 15))
        for doc_type, name, text in spec.papers:
            if doc_type in ("review_decision", "judgment"):
                doc = services.review_document_add(
                    case=case,
                    doc_type=doc_type,
                    name=name,
                    data=_paper(name, spec, text, application),
                    actor=clerk,
                )
                ReviewDocument.objects.filter(pk=doc.pk).update(uploaded_at=_aware(noted_on, 16))
        ReviewCase.objects.filter(pk=case.pk).update(updated_at=_aware(noted_on, 16))
    return case


def seed_reviews(today: date | None = None) -> SeedResult:
    """Register the demo year's reviews and suits for 示范区教育局 unless it already has some."""
    today = today or timezone.localdate()
    result = SeedResult()
    agency = Agency.objects.filter(code=DEMO_AGENCY_CODE).first()
    if agency is None:
        raise DomainError("尚未创建演示机关“示范区教育局”，请先运行 manage.py seed_demo")
    if ReviewCase.objects.filter(agency=agency).exists():
        return result
    clerk = get_user_model().objects.get(username="jingban")
    made: dict[str, ReviewCase] = {}
    taken: set[int] = set()
    for spec in CASES:
        try:
            with transaction.atomic():
                made[spec.key] = _make(spec, agency=agency, clerk=clerk, made=made, taken=taken, today=today)
        except DomainError as err:
            result.skipped.append(f"{spec.key}：{err.message}")
            continue
        result.created += 1
    return result
