"""Reads of the new-media and public-communication registers: who may see what, the lists, the
month statistics, the dashboard counts, the public column's press conferences, and the year's
figures for the annual report (:func:`report_figures`).

Who reads: the agency's own staff (any role but the unit roles, which read only their unit's cases)
and the supervising office. The supervising office reads the accounts, figures and conferences
(all public matters) but not the 回应关切 records, whose source and text may name a citizen: it
sees their counts only. Whatever a user may not read is "not found" (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from gongkai.accounts import selectors as accounts_selectors
from gongkai.accounts.models import Agency, Membership, Role
from gongkai.accounts.selectors import REGISTER_WRITE_ROLES, agencies_visible_to, site_agency
from gongkai.disclosure import selectors as disclosure_selectors
from gongkai.disclosure import selectors_staff as disclosure_staff
from gongkai.disclosure.models import Document
from gongkai.domain.disclosure.catalogue import DocumentKind
from gongkai.domain.disclosure.workflow import State as DocumentState
from gongkai.domain.publicity import chart as charts
from gongkai.domain.publicity import media
from gongkai.domain.roles import UNIT_ROLES
from gongkai.publicity.models import Briefing, Concern, ImportBatch, MediaAccount, MonthFigures, Speaker

WRITE_ROLES = REGISTER_WRITE_ROLES
PAGE_SIZE = 50
DOCUMENT_CHOICES_LIMIT = 300


def can_write(user, agency: Agency | int) -> bool:
    return writing_agencies(user).filter(pk=getattr(agency, "pk", agency)).exists()


def reads_details(user, agency: Agency | int) -> bool:
    """The agency's own staff (not its units', not the supervising office) read the concerns' text."""
    unit_roles = [r.value for r in UNIT_ROLES]
    return (
        Membership.objects.filter(user=user, agency_id=getattr(agency, "pk", agency))
        .exclude(role__in=unit_roles + [Role.SUPERVISOR.value])
        .exists()
    )


# -- accounts and their months ---------------------------------------------------------------------------


_PLATFORM_ORDER = {p: i for i, p in enumerate(media.PLATFORM_LABELS)}


def accounts(agency: Agency) -> list[MediaAccount]:
    """In use first, then by platform (微信, 微博, 抖音, 网站, 其他) and name."""
    found = MediaAccount.objects.filter(agency=agency)
    return sorted(found, key=lambda a: (not a.active, _PLATFORM_ORDER.get(a.platform, 99), a.name))


def account_for(user, pk: int) -> MediaAccount:
    found = MediaAccount.objects.select_related("agency").filter(pk=pk, agency__in=agencies_visible_to(user)).first()
    if found is None:
        raise Http404("账号不存在")
    return found


def figures_for(user, pk: int) -> MonthFigures:
    found = (
        MonthFigures.objects.select_related("account", "account__agency")
        .filter(pk=pk, account__agency__in=agencies_visible_to(user))
        .first()
    )
    if found is None:
        raise Http404("月度数据不存在")
    return found


def month_rows(agency: Agency, *, year: int) -> list[MonthFigures]:
    """The year's months, newest first, each month's accounts in the platforms' order."""
    found = MonthFigures.objects.filter(account__agency=agency, month__year=year).select_related("account")
    return sorted(
        found, key=lambda r: (-r.month.toordinal(), _PLATFORM_ORDER.get(r.account.platform, 99), r.account.name)
    )


def account_history(account: MediaAccount) -> list[MonthFigures]:
    return list(account.months.order_by("-month"))


def year_choices(agency: Agency, today: date) -> list[int]:
    years = {today.year}
    span = MonthFigures.objects.filter(account__agency=agency).aggregate(lo=Min("month"), hi=Max("month"))
    if span["lo"] is not None:
        years.update(range(span["lo"].year, span["hi"].year + 1))
    for model, field in ((Briefing, "held_on"), (Concern, "occurred_on")):
        s = model.objects.filter(agency=agency).aggregate(lo=Min(field), hi=Max(field))
        if s["lo"] is not None:
            years.update(range(s["lo"].year, s["hi"].year + 1))
    return sorted(years, reverse=True)


def batch_for(user, pk: int) -> ImportBatch:
    """A batch the user may import: one of an agency where they are a clerk or the office head."""
    batch = ImportBatch.objects.select_related("agency").filter(pk=pk, agency__in=writing_agencies(user)).first()
    if batch is None:
        raise Http404("导入批次不存在")
    return batch


def recent_batches(user, limit: int = 10) -> list[ImportBatch]:
    return list(
        ImportBatch.objects.filter(agency__in=writing_agencies(user))
        .defer("content")
        .select_related("agency")
        .order_by("-created_at", "-id")[:limit]
    )


# -- statistics ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformMonths:
    platform: str
    label: str
    posts: list[int | None]  # twelve months; None: not recorded
    followers: list[int | None]  # at each month's end, summed over the platform's accounts
    reads: list[int | None]
    year: media.PlatformYear


def _month_rows(agency: Agency, year: int) -> list[media.MonthRow]:
    qs = MonthFigures.objects.filter(
        account__agency=agency, month__gte=date(year, 1, 1), month__lte=date(year, 12, 1)
    ).values_list("account_id", "account__platform", "month", "posts", "followers", "reads")
    return [media.MonthRow(*r) for r in qs]


def month_statistics(agency: Agency, *, year: int) -> tuple[list[PlatformMonths], charts.Chart]:
    """Per platform, the twelve months of the year (posts, followers at month end, reads) with the
    year's figures; and the chart of posts per month."""
    rows = _month_rows(agency, year)
    years = media.year_figures(rows, year=year)
    out = []
    for platform, y in years.items():
        posts, followers, reads = [None] * 12, [None] * 12, [None] * 12
        for r in rows:
            if r.platform != platform:
                continue
            i = r.month.month - 1
            posts[i] = (posts[i] or 0) + r.posts
            if r.followers is not None:
                followers[i] = (followers[i] or 0) + r.followers
            if r.reads is not None:
                reads[i] = (reads[i] or 0) + r.reads
        out.append(PlatformMonths(platform, y.label, posts, followers, reads, y))
    chart = charts.posts_chart({p.platform: [v or 0 for v in p.posts] for p in out}, year=year)
    return out, chart


def counts(agency_id: int, *, today: date) -> dict[str, int]:
    """The dashboard's: accounts in use whose last month is not recorded; concerns not yet answered."""
    last_month = media.month_start(media.month_start(today) - timedelta(days=1))
    active = MediaAccount.objects.filter(agency_id=agency_id, active=True)
    missing = active.exclude(months__month=last_month).count()
    return {
        "accounts": active.count(),
        "missing_last_month": missing,
        "unanswered": Concern.objects.filter(agency_id=agency_id, answered_on__isnull=True).count(),
    }


# -- concerns --------------------------------------------------------------------------------------------


def concerns(agency: Agency, *, year: int | None = None, kind: str = "") -> QuerySet[Concern]:
    qs = Concern.objects.filter(agency=agency)
    if year is not None:
        qs = qs.filter(occurred_on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-occurred_on", "-id")


def concern_counts(agency: Agency, *, year: int) -> dict[str, int]:
    qs = Concern.objects.filter(agency=agency, occurred_on__year=year)
    return qs.aggregate(
        total=Count("id"),
        concern=Count("id", filter=Q(kind=media.ConcernKind.CONCERN.value)),
        opinion=Count("id", filter=Q(kind=media.ConcernKind.OPINION.value)),
        answered=Count("id", filter=Q(answered_on__isnull=False)),
    )


def concern_for(user, pk: int) -> Concern:
    """A concern, for the agency's own staff only (the supervising office reads counts, not texts)."""
    found = Concern.objects.select_related("agency").filter(pk=pk, agency__in=agencies_visible_to(user)).first()
    if found is None or not reads_details(user, found.agency_id):
        raise Http404("记录不存在")
    return found


# -- briefings -------------------------------------------------------------------------------------------


def _with_people(qs: QuerySet[Briefing]) -> QuerySet[Briefing]:
    return qs.prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("order", "id")))


def briefings(agency: Agency, *, year: int | None = None, kind: str = "") -> QuerySet[Briefing]:
    qs = Briefing.objects.filter(agency=agency)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return _with_people(qs.order_by("-held_on", "-id"))


def briefing_for(user, pk: int) -> Briefing:
    found = _with_people(
        Briefing.objects.select_related("agency").filter(pk=pk, agency__in=agencies_visible_to(user))
    ).first()
    if found is None:
        raise Http404("发布会不存在")
    return found


def policies_first(docs: list[Document]) -> list[Document]:
    """Each policy followed by its interpretations among ``docs``; the other documents keep their order."""
    readings: dict[int, list[Document]] = {}
    present = {d.pk for d in docs}
    for d in docs:
        if d.interprets_id in present:
            readings.setdefault(d.interprets_id, []).append(d)
    out = []
    for d in docs:
        if d.interprets_id in present:
            continue
        out.append(d)
        out.extend(readings.get(d.pk, []))
    return out


def briefing_documents(briefing: Briefing) -> list[Document]:
    """Every document the briefing explains, whatever its state (the staff page)."""
    return policies_first(list(briefing.documents.order_by("-formed_on", "-id")))


def linkable_documents(agency: Agency) -> QuerySet[Document]:
    """The register's documents a briefing may explain, read through the disclosure register's own
    list (:func:`gongkai.disclosure.selectors_staff.register_documents`, newest first): the 政策解读
    and the policy documents (规章, 行政规范性文件), never a withdrawn or taken-down one."""
    return (
        disclosure_staff.register_documents(agency)
        .filter(Q(interprets__isnull=False) | Q(kind__in=[DocumentKind.REGULATION, DocumentKind.NORMATIVE]))
        .exclude(state__in=[DocumentState.WITHDRAWN, DocumentState.UNPUBLISHED])
    )


def document_choices(agency: Agency, *, keep: list[int] | tuple[int, ...] = ()) -> list[Document]:
    """The newest :func:`linkable_documents`, at most ``DOCUMENT_CHOICES_LIMIT``, for the form;
    ``keep``: those already linked, listed even if they no longer qualify."""
    docs = list(linkable_documents(agency)[:DOCUMENT_CHOICES_LIMIT])
    have = {d.pk for d in docs}
    missing = [pk for pk in keep if pk not in have]
    if missing:
        docs = list(disclosure_staff.register_documents(agency).filter(pk__in=missing)) + docs
    return policies_first(docs)


# -- the public column: 新闻发布 ----------------------------------------------------------------------------


def public_briefings() -> QuerySet[Briefing]:
    """This site's agency's conferences it chose to show, newest first."""
    agency = site_agency()
    if agency is None:
        return Briefing.objects.none()
    return _with_people(Briefing.objects.filter(agency=agency, public=True).order_by("-held_on", "-id"))


def public_briefing(pk: int) -> Briefing:
    found = public_briefings().filter(pk=pk).first()
    if found is None:
        raise Http404("发布会不存在")
    return found


def public_documents_of(briefing: Briefing) -> list[Document]:
    """The briefing's documents that are published (the disclosure column's own public read): a draft
    or a taken-down document is not named on the public page."""
    docs = []
    for pk in briefing.documents.order_by("-formed_on", "-id").values_list("pk", flat=True):
        d = disclosure_selectors.public_document(agency=briefing.agency, pk=pk)
        if d is not None:
            docs.append(d)
    return policies_first(docs)


# -- the annual report -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFigures:
    """The year's new-media and public-communication figures of one agency (see :func:`report_figures`)."""

    agency_id: int
    year: int
    platforms: dict[str, media.PlatformYear]
    press_conferences: int
    policy_briefings: int
    concerns_answered: int
    concerns: int
    opinion_events: int

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "platforms": {
                p: {
                    "label": y.label,
                    "accounts": y.accounts,
                    "posts": y.posts,
                    "followers": y.followers,
                    "followers_month": y.followers_month,
                    "reads": y.reads,
                    "months": y.months,
                }
                for p, y in self.platforms.items()
            },
            "press_conferences": self.press_conferences,
            "policy_briefings": self.policy_briefings,
            "concerns_answered": self.concerns_answered,
            "concerns": self.concerns,
            "opinion_events": self.opinion_events,
        }


def report_figures(*, agency: Agency, year: int) -> ReportFigures:
    """The figures section 一 (总体情况) of the annual report quotes, counted from the registers.

    Returns a frozen :class:`ReportFigures`:

    - ``platforms``: platform key (``"wechat"``, ``"weibo"``, ``"douyin"``, ``"website"``, ``"other"``)
      → :class:`gongkai.domain.publicity.media.PlatformYear`, only platforms with figures in the
      year, in that order. Each has ``label`` (e.g. "政务微信公众号"), ``accounts`` (accounts with
      figures), ``posts`` (the year's posts, all the platform's accounts), ``followers`` (at year end:
      each account's figure of its last recorded month of the year, summed; ``None`` if none was
      recorded), ``followers_month`` (the first day of the latest such month: 1 December when
      December is recorded; a sentence should say "截至11月底" otherwise), ``reads`` (summed, or
      ``None``), ``months`` (distinct months recorded; ``complete`` is True at 12);
    - ``press_conferences``: 新闻发布会 held in the year;
    - ``policy_briefings``: 政策吹风会 and 政策解读会 held in the year;
    - ``concerns_answered``: 回应关切 and 舆情 records answered (回应日期) in the year, both kinds —
      the "回应公众关注热点或重大舆情N次" of the reports;
    - ``concerns`` and ``opinion_events``: records of each kind that arose (发现日期) in the year.

    ``as_dict()`` gives the same as plain values (dates stay dates).
    """
    platforms = media.year_figures(_month_rows(agency, year), year=year)
    b = Briefing.objects.filter(agency=agency, held_on__year=year).aggregate(
        press=Count("id", filter=Q(kind=media.BriefingKind.PRESS_CONFERENCE.value)),
        policy=Count("id", filter=Q(kind__in=list(media.POLICY_BRIEFING_KINDS))),
    )
    c = concern_counts(agency, year=year)
    answered = Concern.objects.filter(agency=agency, answered_on__year=year).count()
    return ReportFigures(
        agency_id=agency.pk,
        year=year,
        platforms=platforms,
        press_conferences=b["press"],
        policy_briefings=b["policy"],
        concerns_answered=answered,
        concerns=c["concern"],
        opinion_events=c["opinion"],
    )


def year_totals(agency: Agency, *, year: int) -> dict[str, int]:
    """Sums over every platform (the statistics page's foot)."""
    return MonthFigures.objects.filter(account__agency=agency, month__year=year).aggregate(
        posts=Sum("posts"), reads=Sum("reads")
    )


def visible_agencies(user) -> QuerySet[Agency]:
    return agencies_visible_to(user).order_by("name")


writing_agencies = accounts_selectors.writing_agencies
agency_for = accounts_selectors.register_agency_for
