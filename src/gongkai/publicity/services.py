"""Writes of the new-media and public-communication registers: the accounts, a month's figures
(entered, corrected, or imported from a sheet: upload → preview → confirm in one transaction), the
responses to public concerns, the press conferences with their speakers and documents. Only the
agency's clerk or office head writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.accounts.selectors import roles_in
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.publicity import importing as imp
from gongkai.domain.publicity import media
from gongkai.domain.roles import Role
from gongkai.publicity import selectors, sheets
from gongkai.publicity.models import Briefing, Concern, ImportBatch, MediaAccount, MonthFigures, Speaker

STAFF_ROLES = frozenset({Role.CLERK.value, Role.OFFICE_HEAD.value})


def _staff(actor, agency: Agency | int, what: str) -> None:
    if not roles_in(actor, agency) & STAFF_ROLES:
        raise TransitionNotAllowed(f"“{what}”应由本机关的经办人或办公室主任操作")


# -- accounts ------------------------------------------------------------------------------------------


@transaction.atomic
def account_save(
    *, agency: Agency, actor, platform: str, name: str, url: str = "", active: bool = True, account=None
) -> MediaAccount:
    """Register an account, or change one (its figures stay with it)."""
    _staff(actor, agency, "登记政务新媒体账号")
    platform = media.Platform(platform).value
    name = name.strip()
    if not name:
        raise FieldError("name", "请填写“账号名称”")
    clash = MediaAccount.objects.filter(agency=agency, name=name)
    if account is not None:
        if account.agency_id != agency.pk:
            raise DomainError("账号不属于该机关")
        clash = clash.exclude(pk=account.pk)
    if clash.exists():
        raise FieldError("name", f"本机关已登记名为“{name}”的账号")
    account = account or MediaAccount(agency=agency)
    account.platform, account.name, account.url, account.active = platform, name[:100], url.strip(), active
    account.save()
    return account


# -- a month's figures -----------------------------------------------------------------------------------


@transaction.atomic
def figures_record(
    *, account: MediaAccount, actor, month: date, posts: int, followers: int | None, reads: int | None, today: date
) -> MonthFigures:
    """Record one account's month. A month already recorded is refused, never overwritten: it is
    corrected on its own page (:func:`figures_correct`), which keeps the earlier values in the history."""
    _staff(actor, account.agency_id, "登记新媒体月度数据")
    month = media.check_month(month, today=today)
    media.check_counts(posts=posts, followers=followers, reads=reads)
    if MonthFigures.objects.filter(account=account, month=month).exists():
        raise FieldError(
            "month", f"“{account.name}”{media.month_label(month)}的数据已登记：如需更正，请在该月数据中修改"
        )
    try:
        with transaction.atomic():
            return MonthFigures.objects.create(
                account=account, month=month, posts=posts, followers=followers, reads=reads, recorded_by=actor
            )
    except IntegrityError:
        raise FieldError(
            "month", f"“{account.name}”{media.month_label(month)}的数据刚由他人登记，请刷新后查看"
        ) from None


@transaction.atomic
def figures_correct(
    *, figures: MonthFigures, actor, posts: int, followers: int | None, reads: int | None
) -> MonthFigures:
    """Correct a recorded month (the history keeps what it said before and who changed it)."""
    figures = MonthFigures.objects.select_for_update().select_related("account").get(pk=figures.pk)
    _staff(actor, figures.account.agency_id, "更正新媒体月度数据")
    media.check_counts(posts=posts, followers=followers, reads=reads)
    figures.posts, figures.followers, figures.reads = posts, followers, reads
    figures._change_reason = "更正"
    figures.save()
    return figures


# -- the import ------------------------------------------------------------------------------------------


def _known_accounts(agency_id: int) -> list[imp.KnownAccount]:
    return [
        imp.KnownAccount(a.pk, a.name, a.platform)
        for a in MediaAccount.objects.filter(agency_id=agency_id).only("id", "name", "platform")
    ]


@transaction.atomic
def batch_upload(*, agency: Agency, actor, filename: str, content: bytes) -> ImportBatch:
    """Keep the uploaded sheet for its preview; a file that cannot be read at all is refused now."""
    _staff(actor, agency, "导入新媒体月度数据")
    sheets.kind_of(filename)
    sheets.check_size(content)
    header, _rows = sheets.read_sheet(filename, content)
    imp.locate_columns(header)
    return ImportBatch.objects.create(agency=agency, filename=filename[:200], content=content, created_by=actor)


@dataclass
class Preview:
    header: list[str]
    rows: list[imp.ParsedRow]
    duplicates: list[imp.ParsedRow] = field(default_factory=list)  # months already in the register

    @property
    def valid(self) -> list[imp.ParsedRow]:
        dup = {id(r) for r in self.duplicates}
        return [r for r in self.rows if r.ok and id(r) not in dup]

    @property
    def rejected(self) -> list[imp.ParsedRow]:
        return [r for r in self.rows if not r.ok]


def _key(r: imp.ParsedRow) -> str:
    return f"{r.values['account_name']} {media.month_label(r.values['month'])}"


def batch_preview(batch: ImportBatch, *, today: date) -> Preview:
    """Every row of the batch's sheet parsed, with its errors, and whether the register already holds
    its account's month (then it is skipped and listed, with whether the recorded figures differ)."""
    header, rows = sheets.read_sheet(batch.filename, bytes(batch.content))
    parsed = imp.parse_rows(header, rows, _known_accounts(batch.agency_id), today=today)
    keys = {(r.values["account"], r.values["month"]) for r in parsed if r.ok}
    recorded = {}
    if keys:
        qs = MonthFigures.objects.filter(
            account_id__in={a for a, _ in keys}, month__in={m for _, m in keys}
        ).values_list("account_id", "month", "posts", "followers", "reads")
        recorded = {(a, m): (p, f, rd) for a, m, p, f, rd in qs}
    dups = []
    for r in parsed:
        held = recorded.get((r.values.get("account"), r.values.get("month"))) if r.ok else None
        r.values["duplicate"] = held is not None
        if held is not None:
            r.values["recorded"] = held
            r.values["differs"] = held != (r.values["posts"], r.values["followers"], r.values["reads"])
            dups.append(r)
    return Preview(header=[str(h or "") for h in header], rows=parsed, duplicates=dups)


@transaction.atomic
def batch_confirm(*, batch: ImportBatch, actor, today: date) -> ImportBatch:
    """Import every valid row whose month is not recorded yet, all in one transaction; the rows with
    errors and the months already recorded are counted and listed on the batch: none is lost
    silently, none overwrites what the register holds."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _staff(actor, batch.agency_id, "导入新媒体月度数据")
    if batch.status != ImportBatch.Status.PENDING:
        raise TransitionNotAllowed("该批次已经导入，不能重复导入")
    preview = batch_preview(batch, today=today)
    rows = [
        MonthFigures(
            account_id=r.values["account"],
            month=r.values["month"],
            posts=r.values["posts"],
            followers=r.values["followers"],
            reads=r.values["reads"],
            batch=batch,
            recorded_by=actor,
        )
        for r in preview.valid
    ]
    try:
        with transaction.atomic():
            created = MonthFigures.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        # another import or entry took some of these months since the preview: import none of them
        raise DomainError("部分账号月份已被同时进行的另一次登记或导入占用，本次未导入任何数据：请重新预览") from None
    batch.status = ImportBatch.Status.IMPORTED
    batch.imported = len(created)
    batch.duplicates = [_key(r) for r in preview.duplicates]
    batch.rejected = len(preview.rejected)
    batch.imported_at = timezone.now()
    batch.save()
    return batch


# -- 回应关切 and 舆情 -------------------------------------------------------------------------------------


@transaction.atomic
def concern_save(
    *,
    agency: Agency,
    actor,
    today: date,
    kind: str,
    occurred_on: date,
    subject: str,
    source: str,
    actions: str,
    answered_on: date | None = None,
    channel: str = "",
    concern: Concern | None = None,
) -> Concern:
    """Record a public concern or a 舆情 event and what was done, or bring one up to date (its answer)."""
    _staff(actor, agency, "登记回应关切")
    kind = media.ConcernKind(kind).value
    media.check_concern(occurred_on=occurred_on, answered_on=answered_on, today=today)
    for name, label, value in (
        ("subject", "事项", subject),
        ("source", "来源", source),
        ("actions", "处置和回应情况", actions),
    ):
        if not (value or "").strip():
            raise FieldError(name, f"请填写“{label}”")
    if concern is None:
        concern = Concern(agency=agency, created_by=actor)
    elif concern.agency_id != agency.pk:
        raise DomainError("记录不属于该机关")
    concern.kind, concern.occurred_on, concern.answered_on = kind, occurred_on, answered_on
    concern.subject, concern.source = subject.strip()[:300], source.strip()[:200]
    concern.actions, concern.channel = actions.strip(), channel.strip()[:200]
    concern.save()
    return concern


# -- press conferences and briefings ---------------------------------------------------------------------


@transaction.atomic
def briefing_save(
    *,
    agency: Agency,
    actor,
    today: date,
    kind: str,
    held_on: date,
    topic: str,
    speakers: Iterable[tuple[str, str]],
    documents: Iterable[int] = (),
    place: str = "",
    summary: str = "",
    public: bool = True,
    briefing: Briefing | None = None,
) -> Briefing:
    """Record a press conference or briefing: its speakers with their posts, and the register's
    documents it explains (the agency's own, among those the form offers)."""
    _staff(actor, agency, "登记新闻发布会")
    kind = media.BriefingKind(kind).value
    media.check_briefing(held_on=held_on, today=today)
    if not topic.strip():
        raise FieldError("topic", "请填写“主题”")
    people = media.clean_speakers(speakers)
    doc_ids = list(dict.fromkeys(int(d) for d in documents))
    keep = set(briefing.documents.values_list("pk", flat=True)) if briefing is not None else set()
    allowed = keep | set(selectors.linkable_documents(agency).filter(pk__in=doc_ids).values_list("pk", flat=True))
    if any(d not in allowed for d in doc_ids):
        raise FieldError("documents", "所选文件不在本机关的政策文件和政策解读中")
    if briefing is None:
        briefing = Briefing(agency=agency, created_by=actor)
    elif briefing.agency_id != agency.pk:
        raise DomainError("发布会不属于该机关")
    briefing.kind, briefing.held_on, briefing.topic = kind, held_on, topic.strip()[:300]
    briefing.place, briefing.summary, briefing.public = place.strip()[:200], summary.strip(), public
    briefing.save()
    briefing.speakers.all().delete()
    Speaker.objects.bulk_create(
        [Speaker(briefing=briefing, order=i, name=n, post=p) for i, (n, p) in enumerate(people, start=1)]
    )
    briefing.documents.set(doc_ids)
    return briefing
