"""Reads of delivery (送达) and archiving (归档): a case's letters with their deliveries, the clocks
waiting for a served date (待登记送达日期), the archive's state of a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from gongkai.accounts.models import Membership
from gongkai.applications import clock, letters
from gongkai.applications.models import (
    Application,
    ArchiveBatch,
    ArchivedCase,
    ArchiveSetting,
    DeliveryProof,
    DeliveryRecord,
    Letter,
)
from gongkai.domain.applications.archiving import DEFAULT_RETENTION_YEARS
from gongkai.domain.applications.workflow import State
from gongkai.domain.clocks import SERVICE_PERIODS, awaiting_service

READ_ROLES = ("clerk", "office_head", "leader")
WRITE_ROLES = ("clerk", "office_head")
# The log entry fields that date a letter (what it may not be sent before).
_DATE_FIELDS = ("requested_on", "notified_on", "sent_on", "approved_on", "fee_sent_on", "replied_on", "decided_on")
CLOSED_STATES = tuple(s.value for s in State if s.is_terminal)


def case_for(user, pk: int, roles=READ_ROLES) -> Application:
    """The case, if ``user`` holds one of ``roles`` in its agency; 404 otherwise."""
    agencies = Membership.objects.filter(user=user, role__in=list(roles)).values_list("agency_id", flat=True)
    app = Application.objects.select_related("agency").filter(pk=pk, agency_id__in=agencies).first()
    if app is None:
        raise Http404("申请不存在")
    return app


def can_write(user, app: Application) -> bool:
    return Membership.objects.filter(user=user, agency_id=app.agency_id, role__in=WRITE_ROLES).exists()


def letter_date(letter: Letter) -> date | None:
    """The date the letter bears: a reply's is the reply date, a notice's the date of its log entry."""
    if letter.kind.startswith("reply_"):
        return letter.application.concluded_on
    if letter.event is None:
        return None
    fields = clock.parse_fields(letter.event.fields)
    return next((fields[n] for n in _DATE_FIELDS if isinstance(fields.get(n), date)), None)


def default_recipient(letter: Letter) -> str:
    """The addressee: the applicant, or the party a consultation letter went to."""
    try:
        to_applicant = letters.LetterKind(letter.kind).to_applicant
    except ValueError:
        to_applicant = True
    if not to_applicant and letter.event is not None:
        return str(clock.parse_fields(letter.event.fields).get("party") or "")
    return letter.application.applicant_name


@dataclass(frozen=True)
class LetterDeliveries:
    letter: Letter
    records: list[DeliveryRecord]
    recipient: str

    @property
    def served(self) -> bool:
        return any(r.served_on for r in self.records)


def letters_with_deliveries(app: Application) -> list[LetterDeliveries]:
    """Every letter generated for the case (the latest of each), with its delivery records."""
    out = []
    for need in letters.letter_kinds_for(app):
        if not need.letters:
            continue
        letter = need.letters[-1]
        records = list(letter.deliveries.order_by("sent_on", "pk").prefetch_related("proofs"))
        out.append(LetterDeliveries(letter, records, default_recipient(letter)))
    return out


def record_for(app: Application, record_pk: int) -> DeliveryRecord:
    record = (
        DeliveryRecord.objects.select_related("letter", "application__agency")
        .filter(pk=record_pk, application=app)
        .first()
    )
    if record is None:
        raise Http404("送达记录不存在")
    return record


def proof_for(app: Application, proof_pk: int) -> DeliveryProof:
    proof = DeliveryProof.objects.filter(pk=proof_pk, record__application=app).first()
    if proof is None:
        raise Http404("送达凭证不存在")
    return proof


@dataclass(frozen=True)
class AwaitingService:
    key: str
    label: str
    letter_title: str


def awaiting_service_of(app: Application, log) -> list[AwaitingService]:
    """The clocks that run from a notice whose served date is not recorded (待登记送达日期)."""
    keys = awaiting_service(clock.clock_events(log), policy=clock.policy_for(app.agency))
    return [AwaitingService(k, SERVICE_PERIODS[k], "收费通知") for k in keys]


@dataclass(frozen=True)
class CaseDelivery:
    awaiting: list[AwaitingService]
    letters: int
    unserved: int  # letters generated without a served date
    archived: ArchivedCase | None


def case_summary(app: Application, log) -> CaseDelivery:
    rows = letters_with_deliveries(app)
    return CaseDelivery(
        awaiting=awaiting_service_of(app, log),
        letters=len(rows),
        unserved=sum(1 for r in rows if not r.served),
        archived=ArchivedCase.objects.filter(application=app).first(),
    )


# -- archive -----------------------------------------------------------------------------------------


def retention_years(agency) -> int:
    setting = ArchiveSetting.objects.filter(agency=agency).first()
    return setting.retention_years if setting else DEFAULT_RETENTION_YEARS


def closed_in(agency_id: int, year: int):
    return Application.objects.filter(agency_id=agency_id, state__in=CLOSED_STATES, concluded_on__year=year)


@dataclass(frozen=True)
class YearProgress:
    total: int
    filed: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.filed / self.total)

    @property
    def complete(self) -> bool:
        return self.filed >= self.total


def year_progress(agency_id: int, year: int) -> YearProgress:
    """Read from the filed cases themselves: a killed worker cannot make it wrong."""
    closed = closed_in(agency_id, year)
    return YearProgress(closed.count(), ArchivedCase.objects.filter(application__in=closed).count())


def latest_batch(agency_id: int, year: int) -> ArchiveBatch | None:
    return ArchiveBatch.objects.filter(agency_id=agency_id, year=year).order_by("-created_at", "-pk").first()


def archived_in(agency_id: int, year: int):
    return (
        ArchivedCase.objects.filter(application__agency_id=agency_id, year=year)
        .select_related("application")
        .order_by("application__tracking_number")
    )
